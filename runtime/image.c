/* image.c - the image store: records, layers, import, list, remove.
 * (Reading OCI layouts and docker archives is in imageload.c.) */
#include "image.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imagestore.h"
#include "layer.h"
#include "trace.h"
#include "unshare.h"

void pl_layer_dir(const struct pl_storage *st, const char *diffid, char *buf, size_t len)
{
	pl_storage_path(st, buf, len, "layers/%s", diffid);
}

void pl_layer_tar(const struct pl_storage *st, const char *diffid, char *buf, size_t len)
{
	pl_storage_path(st, buf, len, "layers/%s.tar", diffid);
}

/* images/NAME.json, with '/' spelled '+': a file name cannot hold a '/',
 * and an image name cannot hold a '+', so no two names share a file
 * ('_' would not do: "a_b" and "a/b" are both valid names). */
static void record_path(const struct pl_storage *st, const char *name, char *buf, size_t len)
{
	char file[256];
	snprintf(file, sizeof file, "%s", name);
	for (char *p = file; *p; p++)
		if (*p == '/')
			*p = '+';
	pl_storage_path(st, buf, len, "images/%s.json", file);
}

/* ---- work done as root of a user namespace ------------------------------- */

struct extract_job {
	const char *tar, *dir;
};

static int extract_in_userns(void *arg, pl_error **err)
{
	struct extract_job *job = arg;
	return pl_layer_extract(job->tar, job->dir, false, err);
}

static int remove_in_userns(void *arg, pl_error **err)
{
	return pl_remove_tree(arg, err);
}

int pl_store_remove_tree(const char *path, pl_error **err)
{
	/* Files that image or container uids own belong to subordinate ids:
	 * only root of the user namespace may delete all of them. */
	return pl_in_userns(remove_in_userns, (void *)path, err);
}

static int copy_file(const char *from, const char *to, pl_error **err)
{
	cleanup_close int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return pl_fail(err, errno, "cannot read %s", from);
	cleanup_close int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		return pl_fail(err, errno, "cannot write %s", to);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			return pl_fail(err, errno, "cannot write %s", to);
	return n < 0 ? pl_fail(err, errno, "cannot read %s", from) : 0;
}

int pl_store_add_layer(const struct pl_storage *st, const char *blob, const char *expect, char *diffid,
		       pl_error **err)
{
	if (pl_sha256_uncompressed(blob, diffid, err) < 0)
		return -1;
	if (expect != NULL && strcmp(expect, diffid) != 0) {
		pl_fail(err, EINVAL, "layer digest mismatch: the image config says sha256:%.12s..., the layer's content "
				     "is sha256:%.12s...",
			expect, diffid);
		return pl_why(err, "the archive is damaged or was altered after it was made: nothing was imported");
	}
	char dir[4200], tar[4200];
	pl_layer_dir(st, diffid, dir, sizeof dir);
	if (access(dir, F_OK) == 0) {
		pl_trace("layer %.12s is already unpacked", diffid);
		return 0;
	}
	pl_trace("unpack layer %.12s", diffid);
	char work[4200];
	if (pl_storage_tmpdir(st, "layer", work, sizeof work, err) < 0)
		return -1;
	struct extract_job job = { blob, work };
	pl_layer_tar(st, diffid, tar, sizeof tar);
	char tar_tmp[4300];
	snprintf(tar_tmp, sizeof tar_tmp, "%s.part", tar);
	if (pl_in_userns(extract_in_userns, &job, err) < 0 || copy_file(blob, tar_tmp, err) < 0 ||
	    rename(tar_tmp, tar) < 0 || rename(work, dir) < 0) {
		/* Leave nothing behind: the half-unpacked tree, the half copy. */
		pl_store_remove_tree(work, NULL);
		unlink(tar_tmp);
		return -1;
	}
	return 0;
}

/* ---- records ---------------------------------------------------------------- */

static json_object *string_array(char *const *list)
{
	json_object *a = json_object_new_array();
	for (; list && *list; list++)
		json_object_array_add(a, json_object_new_string(*list));
	return a;
}

int pl_store_save_image(const struct pl_storage *st, const struct pl_image *img, pl_error **err)
{
	json_object *root = json_object_new_object();
	json_object_object_add(root, "name", json_object_new_string(img->name));
	json_object *layers = json_object_new_array();
	for (size_t i = 0; i < img->n_layers; i++)
		json_object_array_add(layers, json_object_new_string(img->layers[i]));
	json_object_object_add(root, "layers", layers);
	json_object_object_add(root, "env", string_array(img->env));
	json_object_object_add(root, "cmd", string_array(img->cmd));
	json_object_object_add(root, "workdir", json_object_new_string(img->workdir));
	char path[4200], tmp[4300];
	record_path(st, img->name, path, sizeof path);
	snprintf(tmp, sizeof tmp, "%s.part", path);
	int rc = json_object_to_file_ext(tmp, root, JSON_C_TO_STRING_PRETTY);
	json_object_put(root);
	if (rc < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return pl_fail(err, errno, "cannot write the image record %s", path);
	}
	return 0;
}

static void strings_from(json_object *a, char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; a && i < json_object_array_length(a) && n < max; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, i));
		if (s)
			out[n++] = strdup(s);
	}
	out[n] = NULL;
}

int pl_image_get(const struct pl_storage *st, const char *name, struct pl_image *img, pl_error **err)
{
	memset(img, 0, sizeof *img);
	char path[4200];
	record_path(st, name, path, sizeof path);
	if (access(path, F_OK) < 0) {
		pl_fail(err, ENOENT, "no image named '%s'", name);
		return pl_fix(err, "see 'podlab image ls'; make one with 'podlab image import ROOTFS.tar %s' (make rootfs "
				   "builds build/rootfs.tar) or 'podlab image load'",
			      name);
	}
	json_object *root = json_object_from_file(path);
	if (root == NULL)
		return pl_fail(err, EINVAL, "the image record %s is damaged: %s", path, json_util_get_last_err());
	json_object *v;
	if (json_object_object_get_ex(root, "name", &v))
		snprintf(img->name, sizeof img->name, "%s", json_object_get_string(v));
	if (json_object_object_get_ex(root, "layers", &v))
		for (size_t i = 0; i < json_object_array_length(v) && img->n_layers < PL_MAX_LAYERS; i++)
			snprintf(img->layers[img->n_layers++], sizeof img->layers[0], "%s",
				 json_object_get_string(json_object_array_get_idx(v, i)));
	json_object_object_get_ex(root, "env", &v);
	strings_from(v, img->env, PL_MAX_CONFIG);
	v = NULL;
	json_object_object_get_ex(root, "cmd", &v);
	strings_from(v, img->cmd, PL_MAX_CONFIG);
	if (json_object_object_get_ex(root, "workdir", &v))
		snprintf(img->workdir, sizeof img->workdir, "%s", json_object_get_string(v));
	json_object_put(root);
	return 0;
}

void pl_image_free(struct pl_image *img)
{
	for (char **p = img->env; *p; p++)
		free(*p);
	for (char **p = img->cmd; *p; p++)
		free(*p);
	img->env[0] = img->cmd[0] = NULL;
}

int pl_image_import(const struct pl_storage *st, const char *tarball, const char *name, pl_error **err)
{
	if (!pl_valid_name(name)) {
		pl_fail(err, EINVAL, "invalid image name '%s'", name);
		return pl_fix(err, "use lower-case letters, digits and . _ : / -, starting with a letter or digit");
	}
	struct pl_image img = { 0 };
	snprintf(img.name, sizeof img.name, "%s", name);
	if (pl_store_add_layer(st, tarball, NULL, img.layers[0], err) < 0)
		return pl_wrap(err, "importing %s", tarball);
	img.n_layers = 1;
	/* A bare root filesystem has no configuration: give it podman's
	 * defaults for an imported image, plus a PATH (podman import leaves
	 * it unset unless told with --change ENV=PATH=...). */
	char *env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	char *cmd[] = { "/bin/sh", NULL };
	memcpy(img.env, env, sizeof env);
	memcpy(img.cmd, cmd, sizeof cmd);
	snprintf(img.workdir, sizeof img.workdir, "/");
	return pl_store_save_image(st, &img, err);
}

int pl_image_list(const struct pl_storage *st, FILE *out, pl_error **err)
{
	char dir[4200];
	pl_storage_path(st, dir, sizeof dir, "images");
	DIR *d = opendir(dir);
	if (d == NULL)
		return pl_fail(err, errno, "cannot read %s", dir);
	fprintf(out, "%-32s %-7s %s\n", "NAME", "LAYERS", "TOP LAYER");
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(n - 5), e->d_name);
		for (char *p = name; *p; p++)
			if (*p == '+')
				*p = '/';
		struct pl_image img;
		if (pl_image_get(st, name, &img, NULL) < 0)
			continue;
		fprintf(out, "%-32s %-7zu %.12s\n", img.name, img.n_layers,
			img.n_layers ? img.layers[img.n_layers - 1] : "-");
		pl_image_free(&img);
	}
	closedir(d);
	return 0;
}

/* Does the record at `path` (an image's or a container's) list the layer? */
static bool record_uses(const char *path, const char *diffid, char *name, size_t len)
{
	json_object *root = json_object_from_file(path), *layers, *v;
	bool used = false;
	if (root && json_object_object_get_ex(root, "layers", &layers))
		for (size_t i = 0; i < json_object_array_length(layers) && !used; i++)
			used = strcmp(json_object_get_string(json_object_array_get_idx(layers, i)), diffid) == 0;
	if (used && name)
		snprintf(name, len, "%s",
			 json_object_object_get_ex(root, "name", &v) ? json_object_get_string(v) : "?");
	if (root)
		json_object_put(root);
	return used;
}

/* Which container (if any) has the layer below its files?  Its name goes
 * to `name`.  A container's record keeps its own list of layers, so it
 * still works after the image's name has gone. */
static bool container_uses(const struct pl_storage *st, const char *diffid, char *name, size_t len)
{
	char dir[4200];
	pl_storage_path(st, dir, sizeof dir, "containers");
	DIR *d = opendir(dir);
	bool used = false;
	for (struct dirent *e; d && !used && (e = readdir(d)) != NULL;) {
		char path[4500];
		snprintf(path, sizeof path, "%s/%s/config.json", dir, e->d_name);
		used = e->d_name[0] != '.' && record_uses(path, diffid, name, len);
	}
	if (d)
		closedir(d);
	return used;
}

/* Is a layer used by any image or container?  (For garbage collection.) */
static bool layer_in_use(const struct pl_storage *st, const char *diffid)
{
	char dir[4200];
	pl_storage_path(st, dir, sizeof dir, "images");
	DIR *d = opendir(dir);
	bool used = false;
	for (struct dirent *e; d && !used && (e = readdir(d)) != NULL;) {
		char path[4500];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		used = strstr(e->d_name, ".json") && record_uses(path, diffid, NULL, 0);
	}
	if (d)
		closedir(d);
	return used || container_uses(st, diffid, NULL, 0);
}

int pl_store_gc_layer(const struct pl_storage *st, const char *diffid, pl_error **err)
{
	if (layer_in_use(st, diffid))
		return 0;
	char dir[4200], tar[4200];
	pl_layer_dir(st, diffid, dir, sizeof dir);
	pl_layer_tar(st, diffid, tar, sizeof tar);
	unlink(tar);
	return pl_store_remove_tree(dir, err);
}

int pl_image_remove(const struct pl_storage *st, const char *name, pl_error **err)
{
	struct pl_image img;
	if (pl_image_get(st, name, &img, err) < 0)
		return -1;
	/* As podman does: an image under a container stays, until the
	 * container goes.  (Its layers would stay anyway; its name would not.) */
	char user[256];
	if (img.n_layers && container_uses(st, img.layers[img.n_layers - 1], user, sizeof user)) {
		pl_image_free(&img);
		pl_fail(err, EBUSY, "the image %s is used by the container %s", name, user);
		return pl_fix(err, "remove the container first: podlab rm %s", user);
	}
	char path[4200];
	record_path(st, name, path, sizeof path);
	if (unlink(path) < 0) {
		pl_image_free(&img);
		return pl_fail(err, errno, "cannot remove %s", path);
	}
	/* Then the layers no other image uses. */
	int rc = 0;
	for (size_t i = 0; i < img.n_layers && rc == 0; i++)
		rc = pl_store_gc_layer(st, img.layers[i], err);
	pl_image_free(&img);
	return rc;
}
