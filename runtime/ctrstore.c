/* ctrstore.c - container records and writable layers (see ctrstore.h). */
#include "ctrstore.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "imagestore.h"
#include "layer.h"
#include "trace.h"
#include "unshare.h"

static void fill_paths(const struct pl_storage *st, struct pl_ctr *c)
{
	pl_storage_path(st, c->dir, sizeof c->dir, "containers/%s", c->id);
	snprintf(c->rootfs, sizeof c->rootfs, "%s/%s", c->dir, c->driver == PL_DRIVER_VFS ? "rootfs" : "merged");
}

static int save(const struct pl_ctr *c, pl_error **err)
{
	json_object *root = json_object_new_object();
	json_object_object_add(root, "id", json_object_new_string(c->id));
	json_object_object_add(root, "name", json_object_new_string(c->name));
	json_object_object_add(root, "image", json_object_new_string(c->image));
	json_object_object_add(root, "driver", json_object_new_string(pl_driver_name(c->driver)));
	json_object *layers = json_object_new_array();
	for (size_t i = 0; i < c->n_layers; i++)
		json_object_array_add(layers, json_object_new_string(c->layers[i]));
	json_object_object_add(root, "layers", layers);
	json_object_object_add(root, "ports", pl_ports_to_json(c->ports, c->n_ports));
	json_object_object_add(root, "created", json_object_new_int64(c->created));
	json_object_object_add(root, "command", json_object_new_string(c->command));
	json_object_object_add(root, "pod", json_object_new_string(c->pod));
	json_object *args = json_object_new_array();
	for (size_t at = 0; at < c->args_len; at += strlen(c->args + at) + 1)
		json_object_array_add(args, json_object_new_string(c->args + at));
	json_object_object_add(root, "args", args);
	char path[4300];
	snprintf(path, sizeof path, "%s/config.json", c->dir);
	int rc = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	json_object_put(root);
	return rc < 0 ? pl_fail(err, errno, "cannot write %s", path) : 0;
}

static int load(const struct pl_storage *st, const char *id, struct pl_ctr *c)
{
	memset(c, 0, sizeof *c);
	char path[4300];
	pl_storage_path(st, path, sizeof path, "containers/%s/config.json", id);
	json_object *root = json_object_from_file(path), *v;
	if (root == NULL)
		return -1;
	const char *keys[] = { "id", "name", "image", "command", "pod" };
	char *dest[] = { c->id, c->name, c->image, c->command, c->pod };
	size_t size[] = { sizeof c->id, sizeof c->name, sizeof c->image, sizeof c->command, sizeof c->pod };
	for (int i = 0; i < 5; i++)
		if (json_object_object_get_ex(root, keys[i], &v))
			snprintf(dest[i], size[i], "%s", json_object_get_string(v));
	if (json_object_object_get_ex(root, "driver", &v))
		pl_driver_parse(json_object_get_string(v), &c->driver, NULL);
	if (json_object_object_get_ex(root, "layers", &v))
		for (size_t i = 0; i < json_object_array_length(v) && c->n_layers < PL_MAX_LAYERS; i++)
			snprintf(c->layers[c->n_layers++], sizeof c->layers[0], "%s",
				 json_object_get_string(json_object_array_get_idx(v, i)));
	/* Ports are stored as -p specs and read back with the same parser. */
	if (json_object_object_get_ex(root, "ports", &v))
		c->n_ports = pl_ports_from_json(v, c->ports, PL_MAX_PORTS);
	if (json_object_object_get_ex(root, "created", &v))
		c->created = json_object_get_int64(v);
	if (json_object_object_get_ex(root, "args", &v))
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			const char *a = json_object_get_string(json_object_array_get_idx(v, i));
			size_t n = strlen(a) + 1;
			if (c->args_len + n > sizeof c->args)
				break;
			memcpy(c->args + c->args_len, a, n);
			c->args_len += n;
		}
	json_object_put(root);
	fill_paths(st, c);
	return 0;
}

int pl_ctr_set_args(struct pl_ctr *c, int argc, char **argv, char *const *command, pl_error **err)
{
	size_t used = 0;
	c->command[0] = '\0';
	for (; command && *command && used < sizeof c->command; command++)
		used += snprintf(c->command + used, sizeof c->command - used, "%s%s", used ? " " : "", *command);
	c->args_len = 0;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (c->args_len + n > sizeof c->args) {
			pl_fail(err, E2BIG, "the command line is longer than the %zu bytes a container record keeps",
				sizeof c->args);
			return pl_fix(err, "put a long command in a script inside the image or a volume");
		}
		memcpy(c->args + c->args_len, argv[i], n);
		c->args_len += n;
	}
	return save(c, err);
}

int pl_ctr_get_args(const struct pl_ctr *c, int *argc, char ***argv, pl_error **err)
{
	int n = 0;
	for (size_t at = 0; at < c->args_len; at += strlen(c->args + at) + 1)
		n++;
	if (n == 0) {
		pl_fail(err, EINVAL, "container %.12s has no recorded command line", c->id);
		return pl_fix(err, "it was made by an older podlab: remove it (podlab rm %s) and run it again", c->name);
	}
	/* One block: the pointers, then a copy of the strings they point into. */
	char **v = malloc((n + 1) * sizeof *v + c->args_len);
	if (v == NULL)
		return pl_fail(err, ENOMEM, "cannot hold the command line of %.12s", c->id);
	char *copy = (char *)(v + n + 1);
	memcpy(copy, c->args, c->args_len);
	int i = 0;
	for (size_t at = 0; at < c->args_len; at += strlen(copy + at) + 1)
		v[i++] = copy + at;
	v[n] = NULL;
	*argc = n;
	*argv = v;
	return 0;
}

int pl_ctr_each(const struct pl_storage *st, int (*fn)(const struct pl_ctr *c, void *arg), void *arg,
		pl_error **err)
{
	char dir[4200];
	pl_storage_path(st, dir, sizeof dir, "containers");
	DIR *d = opendir(dir);
	if (d == NULL)
		return pl_fail(err, errno, "cannot read %s", dir);
	struct pl_ctr *c = malloc(sizeof *c);
	int rc = 0;
	for (struct dirent *e; c != NULL && rc == 0 && (e = readdir(d)) != NULL;)
		if (e->d_name[0] != '.' && load(st, e->d_name, c) == 0)
			rc = fn(c, arg);
	free(c);
	closedir(d);
	return 0;
}

int pl_ctr_find(const struct pl_storage *st, const char *ref, struct pl_ctr *c, pl_error **err)
{
	char dir[4200];
	pl_storage_path(st, dir, sizeof dir, "containers");
	DIR *d = opendir(dir);
	if (d == NULL)
		return pl_fail(err, errno, "cannot read %s", dir);
	int found = 0;
	struct pl_ctr cand;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.' || load(st, e->d_name, &cand) < 0)
			continue;
		enum pl_ref m = pl_ref_match(ref, cand.name, cand.id);
		if (m != PL_REF_NONE)
			*c = cand;
		if (m == PL_REF_EXACT) {
			found = 1;
			break;
		}
		found += m == PL_REF_PREFIX;
	}
	closedir(d);
	if (found == 1)
		return 0;
	if (found > 1)
		return pl_fail(err, EINVAL, "'%s' is the start of several container ids: give more of it", ref);
	pl_fail(err, ENOENT, "no container named '%s'", ref);
	return pl_fix(err, "containers are named with --name; an id prefix of 3 or more characters works too");
}

struct copy_job {
	const struct pl_storage *st;
	const struct pl_ctr *c;
};

/* vfs: apply every layer, bottom first, onto the container's own copy. */
static int vfs_copy(void *arg, pl_error **err)
{
	struct copy_job *job = arg;
	for (size_t i = 0; i < job->c->n_layers; i++) {
		char tar[4200];
		pl_layer_tar(job->st, job->c->layers[i], tar, sizeof tar);
		if (pl_layer_extract(tar, job->c->rootfs, true, err) < 0)
			return -1;
	}
	return 0;
}

int pl_ctr_create(const struct pl_storage *st, const struct pl_image *img, const char *name, enum pl_driver driver,
		  struct pl_ctr *c, pl_error **err)
{
	memset(c, 0, sizeof *c);
	/* Two podlab run --name web at once: without a lock both could see
	 * the name free.  The lock ends with this function (the fd closes). */
	char lock[4200];
	pl_storage_path(st, lock, sizeof lock, "containers.lock");
	cleanup_close int lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0)
		return pl_fail(err, errno, "cannot lock %s", lock);
	if (name != NULL) {
		struct pl_ctr other;
		if (!pl_valid_name(name)) {
			pl_fail(err, EINVAL, "invalid container name '%s'", name);
			return pl_fix(err, "use lower-case letters, digits and . _ : -");
		}
		if (pl_ctr_find(st, name, &other, NULL) == 0) {
			pl_fail(err, EEXIST, "the name '%s' is already used by container %.12s", name, other.id);
			return pl_fix(err, "remove it first (podlab rm %s) or choose another --name", name);
		}
	}
	unsigned char raw[32];
	if (getrandom(raw, sizeof raw, 0) != sizeof raw)
		return pl_fail(err, errno, "cannot make a container id");
	for (int i = 0; i < 32; i++)
		snprintf(c->id + 2 * i, 3, "%02x", raw[i]);
	snprintf(c->name, sizeof c->name, "%s", name ? name : "");
	if (name == NULL)
		snprintf(c->name, sizeof c->name, "podlab-%.8s", c->id);
	snprintf(c->image, sizeof c->image, "%s", img->name);
	c->created = (long long)time(NULL);
	c->driver = driver;
	c->n_layers = img->n_layers;
	memcpy(c->layers, img->layers, sizeof c->layers);
	fill_paths(st, c);
	const char *subs[] = { "", "/upper", "/work", "/merged" };
	for (size_t i = 0; i < (driver == PL_DRIVER_VFS ? 1 : 4); i++) {
		char d[4300];
		snprintf(d, sizeof d, "%s%s", c->dir, subs[i]);
		if (mkdir(d, 0700) < 0) {
			pl_fail(err, errno, "cannot create %s", d);
			pl_remove_tree(c->dir, NULL);
			return -1;
		}
	}
	if (driver == PL_DRIVER_VFS) {
		/* Root of the copy belongs to container root: 0755, yours. */
		struct copy_job job = { st, c };
		pl_trace("vfs: copy %zu layer(s) into %s", c->n_layers, c->rootfs);
		if (mkdir(c->rootfs, 0755) < 0 || pl_in_userns(vfs_copy, &job, err) < 0) {
			pl_store_remove_tree(c->dir, NULL);
			return pl_fail(err, errno, "cannot make the vfs copy of %s", img->name);
		}
	}
	if (save(c, err) < 0) {
		pl_store_remove_tree(c->dir, NULL);
		return -1;
	}
	return 0;
}

int pl_ctr_set_ports(struct pl_ctr *c, const struct pl_port *ports, size_t n, pl_error **err)
{
	c->n_ports = n < PL_MAX_PORTS ? n : PL_MAX_PORTS;
	memcpy(c->ports, ports, c->n_ports * sizeof *ports);
	return save(c, err);
}

int pl_ctr_remove(const struct pl_storage *st, const struct pl_ctr *c, pl_error **err)
{
	(void)st;
	pl_trace("remove container %.12s (%s)", c->id, c->name);
	return pl_store_remove_tree(c->dir, err);
}

int pl_ctr_overlay_options(const struct pl_storage *st, const struct pl_ctr *c, char *out, size_t len,
			   pl_error **err)
{
	char dirs[PL_MAX_LAYERS][4200];
	char *lower[PL_MAX_LAYERS];
	for (size_t i = 0; i < c->n_layers; i++) {
		pl_layer_dir(st, c->layers[i], dirs[i], sizeof dirs[i]);
		lower[i] = dirs[i];
	}
	char upper[4300], work[4300];
	snprintf(upper, sizeof upper, "%s/upper", c->dir);
	snprintf(work, sizeof work, "%s/work", c->dir);
	return pl_overlay_options(lower, c->n_layers, upper, work, c->driver, out, len, err);
}
