/* stage03.c - checks for stage 03: images, layers, copy-on-write.
 *
 * The images come from fixtures.c, so the checker knows every byte of
 * every layer.  Effects are observed in two places: by the probe inside
 * the container, and on the host, in this run's private image store
 * (ctx->store): layer directories, upper directories, whiteouts,
 * fuse-overlayfs processes.
 */
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "check.h"
#include "fixtures.h"
#include "host.h"

#define NEEDS "userns,newuidmap,newgidmap"
#define RUN_HOLES "03:overlay-options,03:fuse-wait"
#define LAYER_HOLES "03:whiteouts,03:overlay-options,03:fuse-wait"
#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ---- shared set-up: fixtures and the base image ---------------------------- */

static char fixtures[4300];
static char outside[4300];
static char victim[4300];

static const char *fixture(struct check_ctx *ctx, const char *name, char *buf, size_t len)
{
	if (!fixtures[0]) {
		snprintf(fixtures, sizeof fixtures, "%s/fixtures", ctx->scratch);
		snprintf(outside, sizeof outside, "%s/written-through-a-symlink", ctx->scratch);
		snprintf(victim, sizeof victim, "%s/victim", ctx->scratch);
		mkdir(fixtures, 0755);
		char probe[4400];
		snprintf(probe, sizeof probe, "%s/probe", ctx->rootfs);
		pl_error *err = NULL;
		if (fixtures_write(fixtures, probe, ctx->nonce, outside, victim, &err) < 0) {
			fprintf(stderr, "podlab-check: cannot write the stage 03 fixtures: %s\n", err->what);
			pl_error_free(&err);
		}
	}
	snprintf(buf, len, "%s/%s", fixtures, name);
	return buf;
}

/* Import the base image once; later checks build on it. */
static enum outcome need_base(struct check_ctx *ctx, struct check_result *r)
{
	static int done = 0;
	if (done)
		return OUT_PENDING;
	char tar[4400];
	if (import_image(ctx, r, fixture(ctx, "base.tar", tar, sizeof tar), "probe-base") != OUT_PENDING)
		return OUT_FAIL;
	done = 1;
	return OUT_PENDING;
}

/* Names of the entries of a store directory ("layers", "images", ...). */
static int count_entries(struct check_ctx *ctx, const char *sub)
{
	char dir[4400];
	snprintf(dir, sizeof dir, "%s/%s", ctx->store, sub);
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* The store directory of the container called `name`, from its record. */
static bool container_dir(struct check_ctx *ctx, const char *name, char *buf, size_t len)
{
	char dir[4400];
	snprintf(dir, sizeof dir, "%s/containers", ctx->store);
	DIR *d = opendir(dir);
	bool found = false;
	for (struct dirent *e; d && !found && (e = readdir(d)) != NULL;) {
		char cfg[8900];
		snprintf(cfg, sizeof cfg, "%s/%s/config.json", dir, e->d_name);
		json_object *j = e->d_name[0] != '.' ? json_object_from_file(cfg) : NULL, *v;
		if (j && json_object_object_get_ex(j, "name", &v) && strcmp(json_object_get_string(v), name) == 0) {
			snprintf(buf, len, "%s/%s", dir, e->d_name);
			found = true;
		}
		if (j)
			json_object_put(j);
	}
	if (d)
		closedir(d);
	return found;
}

/* Run the probe in a container of IMAGE: `podlab run [OPTS] IMAGE /probe ARGS`. */
static void probe_image(struct check_ctx *ctx, const char *const *opts, const char *image, const char *const *probe,
			struct run_result *res, struct kv *kv)
{
	const char *args[48];
	size_t n = 0;
	args[n++] = "run";
	args[n++] = "--network";
	args[n++] = "none";
	for (; opts && *opts && n < 30; opts++)
		args[n++] = *opts;
	args[n++] = image;
	args[n++] = "/probe";
	for (; probe && *probe && n < 46; probe++)
		args[n++] = *probe;
	args[n] = NULL;
	run_podlab(ctx, args, res, kv);
}

#define IMAGE_PROBE_OR_FAIL(ctx, r, res, kv, opts, image, ...)                \
	probe_image(ctx, opts, image, PROBE(__VA_ARGS__), &res, &kv);          \
	if (require_probe(r, &res, &kv) != OUT_PENDING) {                       \
		kv_free(&kv);                                                   \
		run_result_free(&res);                                          \
		return OUT_FAIL;                                                \
	}

/* The outcome of one probe operation in a container, copied out. */
static enum outcome try_in(struct check_ctx *ctx, struct check_result *r, const char *const *opts, const char *image,
			   const char *op, const char *arg, char *result, size_t len)
{
	struct run_result res;
	struct kv kv;
	IMAGE_PROBE_OR_FAIL(ctx, r, res, kv, opts, image, "try", op, arg);
	snprintf(result, len, "%s", kv_get(&kv, "result") ? kv_get(&kv, "result") : "?");
	kv_free(&kv);
	run_result_free(&res);
	return OUT_PENDING;
}

static bool is_whiteout(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

/* ---- the checks ---------------------------------------------------------------- */

static enum outcome c_import(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_base(ctx, r);
	if (o != OUT_PENDING)
		return o;
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, ARGS("image", "ls"), &res, &kv);
	o = res.out && strstr(res.out, "probe-base") ? check_pass(r, "imported, and listed by image ls")
						    : check_fail(r, "the imported image is missing from 'podlab image ls'");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_run_image(struct check_ctx *ctx, struct check_result *r)
{
	if (need_base(ctx, r) != OUT_PENDING)
		return OUT_FAIL;
	struct run_result res;
	struct kv kv;
	IMAGE_PROBE_OR_FAIL(ctx, r, res, kv, ARGS("--rm"), "probe-base", "id");
	const char *uid = kv_get(&kv, "uid");
	enum outcome o = uid && strcmp(uid, "0") == 0 ? check_pass(r, "a container of the image ran the probe as root")
						     : check_fail(r, "the probe ran as uid %s", uid ? uid : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

/* Write in one container, look in a fresh one and in the layers. */
static enum outcome c_image_unchanged(struct check_ctx *ctx, struct check_result *r)
{
	char result[128];
	if (try_in(ctx, r, ARGS("--name", "writer"), "probe-base", "append", "/etc/hosts", result, sizeof result) !=
	    OUT_PENDING)
		return OUT_FAIL;
	if (strcmp(result, "ok") != 0)
		return check_fail(r, "container root could not write /etc/hosts (%s): the root filesystem must be "
				     "writable (an upper directory over the image)",
				  result);
	struct run_result res;
	struct kv kv;
	IMAGE_PROBE_OR_FAIL(ctx, r, res, kv, ARGS("--rm"), "probe-base", "try", "read", "/etc/hosts");
	const char *bytes = kv_get(&kv, "bytes");
	enum outcome o = bytes && strcmp(bytes, "20") == 0
				 ? check_pass(r, "a second container still reads the image's /etc/hosts (20 bytes)")
				 : check_fail(r, "after one container wrote /etc/hosts, a new container of the same image "
						 "reads %s bytes instead of the image's 20: the write reached the image",
					      bytes ? bytes : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_isolated(struct check_ctx *ctx, struct check_result *r)
{
	char result[128];
	if (try_in(ctx, r, ARGS("--name", "iso-a"), "probe-base", "append", "/etc/hostname", result, sizeof result) !=
	    OUT_PENDING)
		return OUT_FAIL;
	if (strcmp(result, "ok") != 0)
		return check_fail(r, "container iso-a could not write /etc/hostname (%s)", result);
	struct run_result res;
	struct kv kv;
	IMAGE_PROBE_OR_FAIL(ctx, r, res, kv, ARGS("--name", "iso-b"), "probe-base", "try", "read", "/etc/hostname");
	const char *bytes = kv_get(&kv, "bytes");
	enum outcome o = bytes && strcmp(bytes, "5") == 0
				 ? check_pass(r, "container iso-b does not see iso-a's write")
				 : check_fail(r, "iso-b reads %s bytes of /etc/hostname instead of the image's 5: two "
						 "containers of one image must each have their own upper layer",
					      bytes ? bytes : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_whiteout_upper(struct check_ctx *ctx, struct check_result *r)
{
	char result[128], dir[4400], path[4600];
	if (try_in(ctx, r, ARGS("--name", "deleter"), "probe-base", "unlink", "/etc/hostname", result, sizeof result) !=
	    OUT_PENDING)
		return OUT_FAIL;
	if (strcmp(result, "ok") != 0)
		return check_fail(r, "deleting /etc/hostname inside failed (%s)", result);
	if (!container_dir(ctx, "deleter", dir, sizeof dir))
		return check_fail(r, "the container 'deleter' is not in the store after it exited (run without --rm "
				     "must keep it)");
	snprintf(path, sizeof path, "%s/upper/etc/hostname", dir);
	bool wh = is_whiteout(path);
	snprintf(path, sizeof path, "%s/upper/etc/.wh.hostname", dir);
	if (!wh && !is_whiteout(path) && access(path, F_OK) != 0)
		return check_fail(r, "a lower file deleted inside left no whiteout in the upper directory (expected a "
				     "character device 0:0 at upper/etc/hostname)");
	return check_pass(r, "the deletion is a whiteout in the container's upper directory");
}

static enum outcome c_diff(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, ARGS("diff", "deleter"), &res, &kv);
	const char *out = res.out ? res.out : "";
	enum outcome o = strstr(out, "D /etc/hostname") && strstr(out, "C /etc")
				 ? check_pass(r, "podlab diff reports C /etc and D /etc/hostname")
				 : check_fail(r, "podlab diff deleter printed '%.200s'; expected lines 'C /etc' and 'D "
						 "/etc/hostname'",
					      out);
	kv_free(&kv);
	run_result_free(&res);
	if (o != OUT_PASS)
		return o;
	run_podlab(ctx, ARGS("diff", "writer"), &res, &kv);
	out = res.out ? res.out : "";
	if (!strstr(out, "C /etc/hosts"))
		o = check_fail(r, "podlab diff writer printed '%.200s'; expected 'C /etc/hosts'", out);
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

/* A two-layer image whose second layer deletes and replaces. */
static enum outcome multi_layer(struct check_ctx *ctx, struct check_result *r, const char *image,
			       const char *const *opts)
{
	char result[128];
	const char *gone[] = { "/etc/hostname", "/bin/vi", "/var/www/index.html" };
	for (int i = 0; i < 3; i++) {
		if (try_in(ctx, r, opts, image, "stat", gone[i], result, sizeof result) != OUT_PENDING)
			return OUT_FAIL;
		if (!strstr(result, "ENOENT"))
			return check_fail(r, "%s still exists in %s, though layer 2 %s (stat: %s)", gone[i], image,
					  i < 2 ? "whites it out" : "makes /var/www opaque", result);
	}
	const char *there[] = { "/etc/motd", "/var/www/new.html", "/etc/hosts" };
	for (int i = 0; i < 3; i++) {
		if (try_in(ctx, r, opts, image, "stat", there[i], result, sizeof result) != OUT_PENDING)
			return OUT_FAIL;
		if (strcmp(result, "ok") != 0)
			return check_fail(r, "%s is missing from %s (%s)", there[i], image, result);
	}
	return check_pass(r, "%s: layer 2's whiteouts and opaque directory hide layer 1's files", image);
}

static enum outcome load(struct check_ctx *ctx, struct check_result *r, const char *fixture_name, const char *name)
{
	char path[4400];
	struct run_result res;
	struct kv kv;
	fixture(ctx, fixture_name, path, sizeof path);
	if (name)
		run_podlab(ctx, ARGS("image", "load", path, name), &res, &kv);
	else
		run_podlab(ctx, ARGS("image", "load", path), &res, &kv);
	char how[256];
	describe_run(&res, how, sizeof how);
	bool ok = res.exited && res.code == 0;
	kv_free(&kv);
	run_result_free(&res);
	return ok ? OUT_PENDING : check_fail(r, "podlab image load %s failed: %s", fixture_name, how);
}

static enum outcome c_multi_oci(struct check_ctx *ctx, struct check_result *r)
{
	if (load(ctx, r, "multi-oci", NULL) != OUT_PENDING)
		return OUT_FAIL;
	return multi_layer(ctx, r, "multi:latest", ARGS("--rm"));
}

static enum outcome c_oci_archive(struct check_ctx *ctx, struct check_result *r)
{
	if (load(ctx, r, "multi-oci.tar", "multi-from-tar") != OUT_PENDING)
		return OUT_FAIL;
	return multi_layer(ctx, r, "multi-from-tar", ARGS("--rm"));
}

static enum outcome c_docker(struct check_ctx *ctx, struct check_result *r)
{
	if (load(ctx, r, "multi-docker.tar", NULL) != OUT_PENDING)
		return OUT_FAIL;
	return multi_layer(ctx, r, "docker-multi:latest", ARGS("--rm"));
}

static enum outcome c_image_config(struct check_ctx *ctx, struct check_result *r)
{
	/* No command given: the image's own ("/probe id"), its environment
	 * and its working directory (/etc). */
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, ARGS("run", "--rm", "--network", "none", "multi:latest"), &res, &kv);
	if (require_probe(r, &res, &kv) != OUT_PENDING) {
		kv_free(&kv);
		run_result_free(&res);
		return check_fail(r, "podlab run IMAGE with no command must run the image's Cmd (/probe id)");
	}
	kv_free(&kv);
	run_result_free(&res);
	IMAGE_PROBE_OR_FAIL(ctx, r, res, kv, ARGS("--rm"), "multi:latest", "env", "FROM_IMAGE");
	const char *env = kv_get(&kv, "FROM_IMAGE"), *cwd = kv_get(&kv, "cwd");
	enum outcome o = env && strcmp(env, "yes") == 0 && cwd && strcmp(cwd, "/etc") == 0
				 ? check_pass(r, "the image's Cmd, Env and WorkingDir are used")
				 : check_fail(r, "the image sets FROM_IMAGE=yes and WorkingDir /etc; inside, FROM_IMAGE is "
						 "'%s' and the working directory '%s'",
					      env ? env : "?", cwd ? cwd : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

/* A hostile archive must be refused, for the right reason, leaving the
 * store as it was. */
static enum outcome refused(struct check_ctx *ctx, struct check_result *r, const char *const *args, const char *word,
			    const char *what)
{
	int images = count_entries(ctx, "images"), layers = count_entries(ctx, "layers");
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, args, &res, &kv);
	enum outcome o;
	const char *e = res.err ? res.err : "";
	int tmp_left = count_entries(ctx, "tmp");
	/* The worst failure first: a file written outside is what matters. */
	if (access(outside, F_OK) == 0) {
		o = check_fail(r, "%s: a file was written outside the store, through a symlink (%s)", what, outside);
		unlink(outside); /* so that the next check starts clean */
	} else if (res.exited && res.code == 0)
		o = check_fail(r, "%s was accepted", what);
	else if (!strstr(e, word))
		o = check_fail(r, "%s was refused, but the message does not say why (expected it to mention '%s'): "
				  "'%.200s'",
			       what, word, e);
	else if (count_entries(ctx, "images") != images || count_entries(ctx, "layers") != layers || tmp_left)
		o = check_fail(r, "%s was refused, but left things in the store (images %d -> %d, layers %d -> %d, %d "
				  "in tmp/)",
			       what, images, count_entries(ctx, "images"), layers, count_entries(ctx, "layers"), tmp_left);
	else
		o = check_pass(r, "%s: refused, explained, nothing kept", what);
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome import_hostile(struct check_ctx *ctx, struct check_result *r, const char *file, const char *word,
				   const char *what)
{
	char path[4400];
	fixture(ctx, file, path, sizeof path);
	return refused(ctx, r, ARGS("image", "import", path, "hostile"), word, what);
}

static enum outcome c_traversal(struct check_ctx *ctx, struct check_result *r)
{
	return import_hostile(ctx, r, "hostile-a.tar", "..", "a member named '../escaped'");
}

static enum outcome c_absolute(struct check_ctx *ctx, struct check_result *r)
{
	return import_hostile(ctx, r, "hostile-b.tar", "absolute", "a member named '/etc/escaped'");
}

static enum outcome c_device(struct check_ctx *ctx, struct check_result *r)
{
	return import_hostile(ctx, r, "hostile-c.tar", "device", "a block device node dev/sda");
}

static enum outcome c_symlink(struct check_ctx *ctx, struct check_result *r)
{
	return import_hostile(ctx, r, "hostile-d.tar", "symlink",
			      "a symlink etc -> (outside) followed by etc/passwd");
}

/* A whiteout is a deletion: made through a symlink it deletes host files.
 * The victim is a real file of yours, outside the store. */
static enum outcome c_whiteout_symlink(struct check_ctx *ctx, struct check_result *r)
{
	char path[4400], keep[4400];
	fixture(ctx, "hostile-e.tar", path, sizeof path);
	snprintf(keep, sizeof keep, "%s/keep", victim);
	mkdir(victim, 0755);
	FILE *f = fopen(keep, "w");
	if (f)
		fclose(f);
	enum outcome o = refused(ctx, r, ARGS("image", "import", path, "hostile"), "symlink",
				 "a symlink w -> (outside) followed by the whiteout w/.wh.keep");
	struct stat st;
	int entries = 0;
	DIR *d = opendir(victim);
	for (struct dirent *e; d && (e = readdir(d)) != NULL;)
		entries += e->d_name[0] != '.';
	if (d)
		closedir(d);
	if (lstat(keep, &st) < 0 || !S_ISREG(st.st_mode))
		o = check_fail(r, "the whiteout w/.wh.keep followed the symlink w and deleted %s, a file outside the "
				  "image (open the whiteout's directory with pl_layer_open_dir)",
			       keep);
	else if (entries != 1)
		o = check_fail(r, "the whiteout w/.wh.keep followed the symlink w and wrote into %s, outside the image",
			       victim);
	return o;
}

/* `image load` unpacks an outer archive too, and the same rule holds. */
static enum outcome c_load_symlinks(struct check_ctx *ctx, struct check_result *r)
{
	char path[4400];
	fixture(ctx, "hostile-load.tar", path, sizeof path);
	return refused(ctx, r, ARGS("image", "load", path), "symlink",
		       "an image archive whose symlinks climb out together (a/.../s -> ../../f, a/.../s/t -> ../..)");
}

static enum outcome c_bad_digest(struct check_ctx *ctx, struct check_result *r)
{
	char path[4400];
	fixture(ctx, "bad-blob-oci", path, sizeof path);
	enum outcome o = refused(ctx, r, ARGS("image", "load", path), "digest", "an OCI blob altered after its digest");
	if (o != OUT_PASS)
		return o;
	fixture(ctx, "bad-diffid-oci", path, sizeof path);
	return refused(ctx, r, ARGS("image", "load", path), "digest", "a layer whose diff_id does not match");
}

/* The same copy-on-write behaviour, with a given driver. */
static enum outcome with_driver(struct check_ctx *ctx, struct check_result *r, const char *driver)
{
	if (need_base(ctx, r) != OUT_PENDING)
		return OUT_FAIL;
	char name[64], result[128], dir[4400], path[4600];
	snprintf(name, sizeof name, "drv-%s", driver);
	const char *opts[] = { "--storage-driver", driver, "--name", name, NULL };
	if (try_in(ctx, r, opts, "probe-base", "unlink", "/etc/hostname", result, sizeof result) != OUT_PENDING)
		return OUT_FAIL;
	if (strcmp(result, "ok") != 0)
		return check_fail(r, "with --storage-driver %s, deleting /etc/hostname failed (%s)", driver, result);
	if (try_in(ctx, r, ARGS("--rm", "--storage-driver", driver), "probe-base", "stat", "/etc/hostname", result,
		   sizeof result) != OUT_PENDING)
		return OUT_FAIL;
	if (strcmp(result, "ok") != 0)
		return check_fail(r, "with --storage-driver %s a new container lost /etc/hostname (%s): the deletion "
				     "reached the image",
				  driver, result);
	if (!container_dir(ctx, name, dir, sizeof dir))
		return check_fail(r, "the container %s is not in the store", name);
	if (strcmp(driver, "vfs") == 0) {
		snprintf(path, sizeof path, "%s/rootfs/etc/hostname", dir);
		if (access(path, F_OK) == 0)
			return check_fail(r, "vfs: the container's copy still has /etc/hostname");
	} else {
		snprintf(path, sizeof path, "%s/upper/etc/hostname", dir);
		char alt[4600];
		snprintf(alt, sizeof alt, "%s/upper/etc/.wh.hostname", dir);
		if (!is_whiteout(path) && access(alt, F_OK) != 0)
			return check_fail(r, "%s: no whiteout for /etc/hostname in the upper directory", driver);
	}
	return check_pass(r, "--storage-driver %s: private changes, the image untouched", driver);
}

static enum outcome c_overlay(struct check_ctx *ctx, struct check_result *r)
{
	return with_driver(ctx, r, "overlay");
}

static enum outcome c_fuse(struct check_ctx *ctx, struct check_result *r)
{
	return with_driver(ctx, r, "fuse-overlayfs");
}

static enum outcome c_vfs(struct check_ctx *ctx, struct check_result *r)
{
	/* vfs applies the whiteouts itself, by deleting: the two-layer image
	 * shows whether it does. */
	enum outcome o = with_driver(ctx, r, "vfs");
	return o != OUT_PASS ? o : multi_layer(ctx, r, "multi:latest", ARGS("--rm", "--storage-driver", "vfs"));
}

/* fuse-overlayfs reads whiteouts and opaque directories its own way
 * (it also accepts user.fuseoverlayfs.opaque): the two-layer image shows
 * whether the layers were written so that it understands them too. */
static enum outcome c_fuse_multi(struct check_ctx *ctx, struct check_result *r)
{
	return multi_layer(ctx, r, "multi:latest", ARGS("--rm", "--storage-driver", "fuse-overlayfs"));
}

/* fuse-overlayfs processes serving this run's store. */
static pid_t fuse_daemon(struct check_ctx *ctx, uid_t *uid)
{
	DIR *d = opendir("/proc");
	pid_t found = 0;
	for (struct dirent *e; d && !found && (e = readdir(d)) != NULL;) {
		char path[300], buf[8192];
		snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
		FILE *f = e->d_name[0] >= '0' && e->d_name[0] <= '9' ? fopen(path, "r") : NULL;
		if (f == NULL)
			continue;
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		if (strstr(buf, "fuse-overlayfs") && strstr(buf, ctx->store)) {
			found = (pid_t)atoi(e->d_name);
			uid_t ids[4];
			host_process_uids(found, ids);
			*uid = ids[0];
		}
	}
	if (d)
		closedir(d);
	return found;
}

static enum outcome c_fuse_user(struct check_ctx *ctx, struct check_result *r)
{
	if (need_base(ctx, r) != OUT_PENDING)
		return OUT_FAIL;
	/* A container that sleeps, so its daemon can be looked at. */
	const char *argv[] = { ctx->podlab, "run", "--rm", "--network", "none", "--storage-driver", "fuse-overlayfs",
			       "probe-base", "/probe", "sleep", "20", NULL };
	struct proc p;
	if (runner_start(&p, (char *const *)argv, NULL) < 0)
		return check_fail(r, "cannot start podlab");
	uid_t uid = 0;
	pid_t daemon = 0;
	for (int t = 0; t < ctx->timeout_ms && !daemon; t += 20) {
		daemon = fuse_daemon(ctx, &uid);
		if (!daemon)
			usleep(20000);
	}
	enum outcome o;
	if (daemon == 0)
		o = check_fail(r, "no fuse-overlayfs process serving the container appeared");
	else if (uid != ctx->uid)
		o = check_fail(r, "fuse-overlayfs (pid %d) runs as uid %u on the host; it must run as you (%u), as "
				  "the container's storage belongs to you",
			       (int)daemon, (unsigned)uid, (unsigned)ctx->uid);
	else
		o = check_pass(r, "fuse-overlayfs (pid %d) runs as you, uid %u", (int)daemon, (unsigned)uid);
	/* Stop podlab politely (SIGTERM reaches the sleeping probe, which
	 * exits), so it can clean up as it would after any run. */
	kill(p.pid, SIGTERM);
	struct run_result res;
	runner_wait(&p, ctx->timeout_ms, &res);
	run_result_free(&res);
	return o;
}

static enum outcome c_rm_clean(struct check_ctx *ctx, struct check_result *r)
{
	if (need_base(ctx, r) != OUT_PENDING)
		return OUT_FAIL;
	int before = count_entries(ctx, "containers");
	/* Kept (no --rm): when podlab returns, the container has exited and
	 * nothing of it may still run; its directory stays until rm. */
	const char *kept[] = { "--name", "rm-clean", "--storage-driver", "fuse-overlayfs", NULL };
	const char *removed[] = { "--rm", "--storage-driver", "fuse-overlayfs", NULL };
	const char *const *runs[] = { kept, removed };
	for (int i = 0; i < 2; i++) {
		struct run_result res;
		struct kv kv;
		IMAGE_PROBE_OR_FAIL(ctx, r, res, kv, runs[i], "probe-base", "id");
		/* The runner ends and reports whatever outlived podlab. */
		int left = res.leftovers;
		char desc[512];
		snprintf(desc, sizeof desc, "%s", res.leftover_desc);
		kv_free(&kv);
		run_result_free(&res);
		uid_t uid;
		if (left > 0 || fuse_daemon(ctx, &uid))
			return check_fail(r, "after 'podlab run%s' returned, processes of the container still ran: %s",
					  i ? " --rm" : "", left ? desc : "fuse-overlayfs");
		if (i == 1 && count_entries(ctx, "containers") != before + 1)
			return check_fail(r, "'run --rm' left the container's directory in the store");
	}
	char dir[4400];
	if (!container_dir(ctx, "rm-clean", dir, sizeof dir))
		return check_fail(r, "the container rm-clean (run without --rm) is not in the store");
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, ARGS("rm", "rm-clean"), &res, &kv);
	bool ok = res.exited && res.code == 0;
	kv_free(&kv);
	run_result_free(&res);
	if (!ok || access(dir, F_OK) == 0)
		return check_fail(r, "podlab rm did not remove the container's directory %s", dir);
	return check_pass(r, "no fuse-overlayfs process after the container exits; no directory after --rm and rm");
}

static enum outcome c_info(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, ARGS("info"), &res, &kv);
	const char *out = res.out ? res.out : "";
	bool names = strstr(out, "overlay") || strstr(out, "vfs");
	enum outcome o = res.code == 0 && names && strstr(out, "why")
				 ? check_pass(r, "podlab info names the driver and why")
				 : check_fail(r, "podlab info must name the storage driver it would use and say why");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static const struct check checks[] = {
	{ "03.import", "image import of a rootfs tarball", 1, { NULL }, NEEDS, "",
	  "unpack the tarball into a layer directory, write an image record", c_import },
	{ "03.run-image", "podlab run IMAGE runs a container of it", 2, { "03.import" }, NEEDS, RUN_HOLES,
	  "the merged view must be mounted before the container pivots into it", c_run_image },
	{ "03.image-unchanged", "a write inside does not change the image", 2, { "03.run-image" }, NEEDS, RUN_HOLES,
	  "writes go to the container's upper directory; the image's layers are read-only lowers", c_image_unchanged },
	{ "03.isolated", "two containers of one image do not see each other's changes", 2, { "03.run-image" }, NEEDS,
	  RUN_HOLES, "one upper and work directory per container", c_isolated },
	{ "03.whiteout-upper", "a deleted lower file is a whiteout in the upper directory", 2, { "03.run-image" },
	  NEEDS, RUN_HOLES, "overlayfs writes a character device 0:0; keep the container after it exits", c_whiteout_upper },
	{ "03.diff", "podlab diff lists A/C/D changes", 1, { "03.whiteout-upper" }, NEEDS, RUN_HOLES,
	  "walk the upper directory; a whiteout is D, a path the image has is C, else A", c_diff },
	{ "03.multi-layer-oci", "an OCI layout: a later layer deletes and replaces files of an earlier one", 3,
	  { "03.run-image" }, NEEDS, LAYER_HOLES,
	  "'.wh.NAME' becomes a 0:0 character device, '.wh..wh..opq' the user.overlay.opaque xattr", c_multi_oci },
	{ "03.oci-archive", "an OCI archive (tar of a layout) loads and runs", 1, { "03.multi-layer-oci" }, NEEDS,
	  LAYER_HOLES, "unpack the outer tar, then read it as a layout", c_oci_archive },
	{ "03.docker-archive", "a docker/podman save archive loads and runs", 2, { "03.multi-layer-oci" }, NEEDS,
	  LAYER_HOLES, "manifest.json -> Config and Layers; check diff_ids", c_docker },
	{ "03.image-config", "the image's command, environment and working directory are used", 1,
	  { "03.multi-layer-oci" }, NEEDS, LAYER_HOLES, "config.Cmd, config.Env, config.WorkingDir", c_image_config },
	{ "03.hostile-traversal", "an archive member with '..' is refused", 1, { "03.import" }, NEEDS, "",
	  "reject '..' components before touching the disk", c_traversal },
	{ "03.hostile-absolute", "an archive member with an absolute name is refused", 1, { "03.import" }, NEEDS, "",
	  "layer names are relative to the image root", c_absolute },
	{ "03.hostile-device", "an archive with a device node is refused", 1, { "03.import" }, NEEDS, "",
	  "refuse block and character devices", c_device },
	{ "03.hostile-symlink", "writing through a symlink in an archive is refused", 2, { "03.import" }, NEEDS, "",
	  "open each member's directory without following symlinks (openat2 RESOLVE_NO_SYMLINKS)", c_symlink },
	{ "03.hostile-whiteout", "a whiteout through a symlink is refused", 2, { "03.import" }, NEEDS, "03:whiteouts",
	  "open the whiteout's directory without following symlinks, as for any other member", c_whiteout_symlink },
	{ "03.hostile-load", "an image archive whose symlinks climb out together is refused", 1, { "03.import" }, NEEDS,
	  "", "create each member relative to its directory's descriptor, opened without following symlinks",
	  c_load_symlinks },
	{ "03.bad-digest", "blobs and layers that do not match their digests are refused", 2, { "03.import" }, NEEDS,
	  "", "hash each blob; hash each decompressed layer against rootfs.diff_ids", c_bad_digest },
	{ "03.driver-overlay", "the native overlay driver", 1, { "03.run-image" }, NEEDS ",overlay", RUN_HOLES,
	  "lowerdir (top layer first), upperdir, workdir, userxattr", c_overlay },
	{ "03.driver-fuse-overlayfs", "the fuse-overlayfs driver", 2, { "03.run-image" }, NEEDS ",fuse-overlayfs",
	  RUN_HOLES, "start fuse-overlayfs in the container's namespaces and wait for the mount", c_fuse },
	{ "03.driver-vfs", "the vfs driver (a full copy), whiteouts applied", 2, { "03.multi-layer-oci" }, NEEDS,
	  LAYER_HOLES,
	  "apply the layers in order into the container's own directory", c_vfs },
	{ "03.fuse-multi-layer", "fuse-overlayfs shows a multi-layer image's whiteouts and opaque directory", 1,
	  { "03.driver-fuse-overlayfs", "03.multi-layer-oci" }, NEEDS ",fuse-overlayfs", LAYER_HOLES,
	  "set both opaque xattrs: user.overlay.opaque and user.fuseoverlayfs.opaque", c_fuse_multi },
	{ "03.fuse-as-user", "fuse-overlayfs runs as you", 1, { "03.driver-fuse-overlayfs" }, NEEDS ",fuse-overlayfs",
	  RUN_HOLES, "it runs in your user namespace, which maps root to you", c_fuse_user },
	{ "03.rm-clean", "after rm (and run --rm), no mount, daemon or directory remains", 2,
	  { "03.driver-fuse-overlayfs" }, NEEDS ",fuse-overlayfs", RUN_HOLES,
	  "stop fuse-overlayfs, then remove the container's directory from inside the user namespace", c_rm_clean },
	{ "03.info", "podlab info names the storage driver and why", 1, { NULL }, NEEDS, "",
	  "try the native overlay in a user namespace; fall back to fuse-overlayfs, then vfs", c_info },
};

const struct check_table stage03_table = { 3, "overlay root filesystems", checks, sizeof checks / sizeof *checks };
