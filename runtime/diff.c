/* diff.c - what a container changed: `podlab diff` (see ctrstore.h).
 *
 * With an overlay driver the answer is the upper directory itself: every
 * entry there was added or changed by the container, and a whiteout (a
 * character device 0:0, or a ".wh." file from fuse-overlayfs) records a
 * deletion.  Whether an upper entry is an addition or a change depends on
 * whether the image had that path: the lower layers are looked up, top
 * layer first, as overlayfs itself does.  With vfs there is no upper
 * directory: the copy is compared with the image instead.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "ctrstore.h"
#include "unshare.h"

struct walk {
	const struct pl_storage *st;
	const struct pl_ctr *c;
	FILE *out;
};

/* The places podlab mounts over at every start: creating one of them (an
 * empty mount point) is not the container's change.  podman leaves out
 * its own list the same way -- the paths themselves, never what is below. */
static bool runtime_mount_point(const char *path)
{
	static const char *const points[] = { "/dev", "/proc", "/sys", "/tmp", "/etc/resolv.conf" };
	for (size_t i = 0; i < sizeof points / sizeof *points; i++)
		if (strcmp(path, points[i]) == 0)
			return true;
	return false;
}

static void emit(const struct walk *w, char kind, const char *path)
{
	if (!runtime_mount_point(path))
		fprintf(w->out, "%c %s\n", kind, path);
}

static bool is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static bool is_opaque(const char *path)
{
	char v[4];
	return (getxattr(path, "user.overlay.opaque", v, sizeof v) > 0 && v[0] == 'y') ||
	       (getxattr(path, "user.fuseoverlayfs.opaque", v, sizeof v) > 0 && v[0] == 'y') ||
	       (getxattr(path, "trusted.overlay.opaque", v, sizeof v) > 0 && v[0] == 'y');
}

/* Does the image (its layers, top first) have `rel`?  Fills *st if so. */
static bool in_image(const struct walk *w, const char *rel, struct stat *st)
{
	for (size_t i = w->c->n_layers; i-- > 0;) {
		char layer[4200], path[8500];
		pl_layer_dir(w->st, w->c->layers[i], layer, sizeof layer);
		snprintf(path, sizeof path, "%s%s", layer, rel);
		if (lstat(path, st) == 0)
			return !is_whiteout(st);
		/* An opaque directory on the way hides every layer below. */
		char parent[8500];
		snprintf(parent, sizeof parent, "%s", path);
		bool hidden = false;
		for (char *slash = strrchr(parent, '/'); slash && slash > parent + strlen(layer) && !hidden;
		     slash = strrchr(parent, '/')) {
			*slash = '\0';
			hidden = is_opaque(parent);
		}
		if (hidden)
			return false;
	}
	return false;
}

static void upper_walk(const struct walk *w, const char *dir, const char *rel)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		if (strcmp(name, ".") && strcmp(name, "..")) {
			char path[8500], sub[4200];
			snprintf(path, sizeof path, "%s/%s", dir, name);
			struct stat st, low;
			if (lstat(path, &st) == 0) {
				if (strcmp(name, ".wh..wh..opq") == 0 || strcmp(name, ".wh..opq") == 0) {
					/* fuse-overlayfs marks a directory it made opaque
					 * with these: not changes of their own. */
				} else if (is_whiteout(&st)) {
					snprintf(sub, sizeof sub, "%s/%s", rel, name);
					emit(w, 'D', sub);
				} else if (strncmp(name, ".wh.", 4) == 0) {
					snprintf(sub, sizeof sub, "%s/%s", rel, name + 4);
					emit(w, 'D', sub);
				} else {
					snprintf(sub, sizeof sub, "%s/%s", rel, name);
					emit(w, in_image(w, sub, &low) ? 'C' : 'A', sub);
					if (S_ISDIR(st.st_mode))
						upper_walk(w, path, sub);
				}
			}
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

/* vfs: additions and changes, by comparing the copy with the image. */
static void copy_walk(const struct walk *w, const char *dir, const char *rel)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		char path[8500], sub[4200];
		struct stat st, low;
		snprintf(path, sizeof path, "%s/%s", dir, name);
		snprintf(sub, sizeof sub, "%s/%s", rel, name);
		if (strcmp(name, ".") && strcmp(name, "..") && lstat(path, &st) == 0) {
			if (!in_image(w, sub, &low))
				emit(w, 'A', sub);
			else if (!S_ISDIR(st.st_mode) && (st.st_size != low.st_size || st.st_mtime != low.st_mtime ||
							   st.st_mode != low.st_mode))
				emit(w, 'C', sub);
			if (S_ISDIR(st.st_mode))
				copy_walk(w, path, sub);
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

/* vfs: deletions, by looking for image paths the copy lacks. */
static void missing_walk(const struct walk *w, const char *layer, const char *rel)
{
	char dir[8500];
	snprintf(dir, sizeof dir, "%s%s", layer, rel);
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		char sub[4200], mine[8500];
		struct stat st, low;
		snprintf(sub, sizeof sub, "%s/%s", rel, name);
		snprintf(mine, sizeof mine, "%s%s", w->c->rootfs, sub);
		if (strcmp(name, ".") && strcmp(name, "..") && in_image(w, sub, &low)) {
			if (lstat(mine, &st) < 0)
				emit(w, 'D', sub);
			else if (S_ISDIR(low.st_mode))
				missing_walk(w, layer, sub);
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

static int diff_in_userns(void *arg, pl_error **err)
{
	(void)err;
	const struct walk *w = arg;
	if (w->c->driver == PL_DRIVER_VFS) {
		copy_walk(w, w->c->rootfs, "");
		for (size_t i = w->c->n_layers; i-- > 0;) {
			char layer[4200];
			pl_layer_dir(w->st, w->c->layers[i], layer, sizeof layer);
			missing_walk(w, layer, "");
		}
	} else {
		char upper[4300];
		snprintf(upper, sizeof upper, "%s/upper", w->c->dir);
		upper_walk(w, upper, "");
	}
	fflush(w->out);
	return 0;
}

int pl_ctr_diff(const struct pl_storage *st, const struct pl_ctr *c, FILE *out, pl_error **err)
{
	/* Inside the user namespace: the container's files may belong to
	 * subordinate ids and be unreadable to you outside it. */
	fflush(out);
	struct walk w = { st, c, out };
	return pl_in_userns(diff_in_userns, &w, err);
}
