/* imageload.c - reading OCI image layouts and docker/podman save archives.
 *
 * Both forms are a few JSON documents that point at blobs:
 *
 *   OCI layout                          docker save / podman save
 *   ----------                          -------------------------
 *   oci-layout                          manifest.json
 *   index.json -> manifest digest         [{Config, RepoTags, Layers}]
 *   blobs/sha256/HEX (manifest)         CONFIG.json
 *     -> config digest, layer digests   LAYER.tar ...
 *   blobs/sha256/HEX (config, layers)
 *
 * and in both the config lists rootfs.diff_ids: the digest of each layer
 * once decompressed.  podlab checks every digest it is given.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <json-c/json.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "imagestore.h"
#include "layer.h"
#include "trace.h"

/* A path named inside the image's JSON, made safe and absolute. */
static int member_path(const char *dir, const char *rel, char *out, size_t len, pl_error **err)
{
	char clean[4096];
	if (pl_layer_clean_name(rel, clean, sizeof clean, err) < 0)
		return pl_wrap(err, "the image refers to a file outside itself");
	snprintf(out, len, "%s/%s", dir, clean);
	return 0;
}

static json_object *read_json(const char *path, pl_error **err)
{
	json_object *j = json_object_from_file(path);
	if (j == NULL)
		pl_fail(err, EINVAL, "cannot parse %s: %s", path, json_util_get_last_err());
	return j;
}

static const char *get_string(json_object *o, const char *key)
{
	json_object *v;
	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* A blob of an OCI layout: check that its bytes match its digest. */
static int oci_blob(const char *dir, const char *digest, char *path, size_t len, pl_error **err)
{
	char hex[PL_DIGEST_HEX + 1], real[PL_DIGEST_HEX + 1];
	if (!pl_digest_parse(digest, hex))
		return pl_fail(err, EINVAL, "malformed digest '%s' (expected sha256: and 64 hex digits)", digest ? digest : "");
	snprintf(path, len, "%s/blobs/sha256/%s", dir, hex);
	if (pl_sha256_file(path, real, err) < 0)
		return -1;
	if (strcmp(hex, real) != 0) {
		pl_fail(err, EINVAL, "blob %.19s... does not match its digest (its content is sha256:%.12s...)", digest,
			real);
		return pl_why(err, "the archive is damaged or was altered after it was made: nothing was imported");
	}
	return 0;
}

/* From an image config: environment, command, working directory. */
static void take_config(json_object *config, struct pl_image *img)
{
	json_object *c = NULL, *v;
	json_object_object_get_ex(config, "config", &c);
	size_t n = 0;
	if (c && json_object_object_get_ex(c, "Env", &v))
		for (size_t i = 0; i < json_object_array_length(v) && n < PL_MAX_CONFIG; i++)
			img->env[n++] = strdup(json_object_get_string(json_object_array_get_idx(v, i)));
	img->env[n] = NULL;
	n = 0;
	const char *keys[] = { "Entrypoint", "Cmd" };
	for (int k = 0; k < 2; k++)
		if (c && json_object_object_get_ex(c, keys[k], &v) && json_object_is_type(v, json_type_array))
			for (size_t i = 0; i < json_object_array_length(v) && n < PL_MAX_CONFIG; i++)
				img->cmd[n++] = strdup(json_object_get_string(json_object_array_get_idx(v, i)));
	img->cmd[n] = NULL;
	const char *wd = get_string(c, "WorkingDir");
	snprintf(img->workdir, sizeof img->workdir, "%s", wd && *wd ? wd : "/");
}

/* Add the layers, bottom first, each checked against config's diff_ids. */
static int add_layers(const struct pl_storage *st, char paths[][4200], size_t n, json_object *config,
		      struct pl_image *img, pl_error **err)
{
	json_object *rootfs = NULL, *diff_ids = NULL;
	json_object_object_get_ex(config, "rootfs", &rootfs);
	if (rootfs == NULL || !json_object_object_get_ex(rootfs, "diff_ids", &diff_ids) ||
	    json_object_array_length(diff_ids) != n)
		return pl_fail(err, EINVAL, "the image config's rootfs.diff_ids does not list the %zu layers", n);
	if (n > PL_MAX_LAYERS)
		return pl_fail(err, E2BIG, "the image has %zu layers; podlab handles at most %d", n, PL_MAX_LAYERS);
	for (size_t i = 0; i < n; i++) {
		char expect[PL_DIGEST_HEX + 1];
		if (!pl_digest_parse(json_object_get_string(json_object_array_get_idx(diff_ids, i)), expect))
			return pl_fail(err, EINVAL, "diff_id %zu is not a sha256 digest", i);
		if (pl_store_add_layer(st, paths[i], expect, img->layers[i], err) < 0)
			return pl_wrap(err, "layer %zu of %zu", i + 1, n);
		img->n_layers = i + 1;
	}
	return 0;
}

static int load_oci(const struct pl_storage *st, const char *dir, struct pl_image *img, pl_error **err)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/index.json", dir);
	json_object *index = read_json(path, err);
	if (index == NULL)
		return -1;
	json_object *manifests = NULL, *first;
	int rc = -1;
	json_object *manifest = NULL, *config = NULL;
	if (!json_object_object_get_ex(index, "manifests", &manifests) || json_object_array_length(manifests) < 1) {
		pl_fail(err, EINVAL, "index.json lists no manifest");
		goto out;
	}
	first = json_object_array_get_idx(manifests, 0);
	json_object *ann;
	const char *ref = json_object_object_get_ex(first, "annotations", &ann)
				  ? get_string(ann, "org.opencontainers.image.ref.name")
				  : NULL;
	if (ref && !img->name[0])
		snprintf(img->name, sizeof img->name, "%s", ref);
	if (oci_blob(dir, get_string(first, "digest"), path, sizeof path, err) < 0 ||
	    (manifest = read_json(path, err)) == NULL)
		goto out;
	json_object *cfg = NULL, *layers = NULL;
	json_object_object_get_ex(manifest, "config", &cfg);
	if (oci_blob(dir, get_string(cfg, "digest"), path, sizeof path, err) < 0 ||
	    (config = read_json(path, err)) == NULL)
		goto out;
	if (!json_object_object_get_ex(manifest, "layers", &layers)) {
		pl_fail(err, EINVAL, "the manifest lists no layers");
		goto out;
	}
	size_t n = json_object_array_length(layers);
	char(*paths)[4200] = calloc(n ? n : 1, sizeof *paths);
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = oci_blob(dir, get_string(json_object_array_get_idx(layers, i), "digest"), paths[i], sizeof paths[i],
			      err);
	if (rc == 0)
		rc = add_layers(st, paths, n, config, img, err);
	free(paths);
	if (rc == 0)
		take_config(config, img);
out:
	json_object_put(config);
	json_object_put(manifest);
	json_object_put(index);
	return rc;
}

static int load_docker(const struct pl_storage *st, const char *dir, struct pl_image *img, pl_error **err)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/manifest.json", dir);
	json_object *list = read_json(path, err), *config = NULL;
	if (list == NULL)
		return -1;
	int rc = -1;
	json_object *m = json_object_is_type(list, json_type_array) && json_object_array_length(list) > 0
				 ? json_object_array_get_idx(list, 0)
				 : NULL, *tags, *layers;
	if (m == NULL || !json_object_object_get_ex(m, "Layers", &layers)) {
		pl_fail(err, EINVAL, "manifest.json names no image");
		goto out;
	}
	if (!img->name[0] && json_object_object_get_ex(m, "RepoTags", &tags) && json_object_array_length(tags) > 0)
		snprintf(img->name, sizeof img->name, "%s", json_object_get_string(json_object_array_get_idx(tags, 0)));
	if (member_path(dir, get_string(m, "Config") ? get_string(m, "Config") : "", path, sizeof path, err) < 0 ||
	    (config = read_json(path, err)) == NULL)
		goto out;
	size_t n = json_object_array_length(layers);
	char(*paths)[4200] = calloc(n ? n : 1, sizeof *paths);
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = member_path(dir, json_object_get_string(json_object_array_get_idx(layers, i)), paths[i],
				 sizeof paths[i], err);
	if (rc == 0)
		rc = add_layers(st, paths, n, config, img, err);
	free(paths);
	if (rc == 0)
		take_config(config, img);
out:
	json_object_put(config);
	json_object_put(list);
	return rc;
}

/* A symlink inside an image archive may only point to another member:
 * "dir/layer.tar -> ../HEX.tar", as docker/podman save write them.
 * Join it to the link's directory and refuse anything that climbs out. */
static bool link_stays_inside(const char *member, const char *target)
{
	if (target == NULL || target[0] == '/')
		return false;
	char joined[8192];
	const char *slash = strrchr(member, '/');
	snprintf(joined, sizeof joined, "%.*s%s%s", slash ? (int)(slash - member) : 0, member, slash ? "/" : "", target);
	int depth = 0;
	for (char *save = NULL, *c = strtok_r(joined, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, "..") == 0)
			depth--;
		else if (strcmp(c, ".") != 0)
			depth++;
		if (depth < 0)
			return false;
	}
	return depth > 0;
}

/* Check, once everything is unpacked, that a symlink really resolves to
 * something inside the work directory.  The name check above is not
 * enough on its own: "x/a -> ../y" followed by "x/b -> a/../../q" looks
 * harmless by name, yet x/b climbs out through a.  RESOLVE_BENEATH makes
 * the kernel walk the links for us and refuse any escape. */
static int link_resolves_inside(int rootfd, const char *clean, pl_error **err)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, rootfd, clean, &how, sizeof how);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EXDEV || errno == ELOOP)
		return pl_fail(err, EINVAL, "the symlink '%s' in the image archive leads outside it", clean);
	return pl_fail(err, errno, "the symlink '%s' in the image archive points at nothing", clean);
}

/* Unpack one member.  Every parent is opened with pl_layer_open_dir(),
 * which refuses symlinks on the way, and the member itself is created
 * relative to that descriptor: a link in the archive can never redirect a
 * later write (say "d -> /tmp", then "d/file"). */
static int unpack_member(struct archive *a, struct archive_entry *e, int rootfd, const char *clean,
			 pl_error **err)
{
	const char *member = archive_entry_pathname(e);
	char dir[4096];
	const char *slash = strrchr(clean, '/');
	const char *base = slash ? slash + 1 : clean;
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - clean) : 0, clean);
	cleanup_close int parent = pl_layer_open_dir(rootfd, dir, member, err);
	if (parent < 0)
		return -1;
	mode_t type = archive_entry_filetype(e);
	if (type == AE_IFDIR) {
		if (mkdirat(parent, base, 0700) < 0 && errno != EEXIST)
			return pl_fail(err, errno, "cannot unpack %s", member);
		return 0;
	}
	if (type == AE_IFLNK) {
		const char *target = archive_entry_symlink(e);
		if (!link_stays_inside(member, target))
			return pl_fail(err, EINVAL, "the symlink '%s' in the image archive points outside it (to '%s')",
				       member, target ? target : "");
		if (symlinkat(target, parent, base) < 0)
			return pl_fail(err, errno, "cannot unpack %s", member);
		return 0;
	}
	if (type == AE_IFREG && archive_entry_hardlink(e) == NULL) {
		errno = 0;
		cleanup_close int fd = openat(parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 || archive_read_data_into_fd(a, fd) != ARCHIVE_OK)
			return pl_fail(err, errno ? errno : EIO, "cannot unpack %s", member);
		return 0;
	}
	return pl_fail(err, EINVAL, "unexpected member '%s' in an image archive (only files, directories and "
				    "symlinks between them belong there)",
		       member);
}

/* Unpack an archive of an image (files, directories, and symlinks from
 * one member to another) into a work directory. */
static int unpack_outer(const char *archive_path, const char *dir, pl_error **err)
{
	cleanup_close int rootfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return pl_fail(err, errno, "cannot open %s", dir);
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	int rc = 0;
	char (*links)[4096] = NULL;
	size_t nlinks = 0;
	if (archive_read_open_filename(a, archive_path, 65536) != ARCHIVE_OK) {
		rc = pl_fail(err, EINVAL, "cannot read %s: %s", archive_path, archive_error_string(a));
		goto out;
	}
	struct archive_entry *e;
	while (rc == 0 && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		char clean[4096];
		if (pl_layer_clean_name(archive_entry_pathname(e), clean, sizeof clean, err) < 0) {
			rc = pl_wrap(err, "the image archive names a file outside itself");
			break;
		}
		if (clean[0] == '\0')
			continue; /* "./", the archive's own root */
		rc = unpack_member(a, e, rootfd, clean, err);
		if (rc == 0 && archive_entry_filetype(e) == AE_IFLNK) {
			char(*more)[4096] = realloc(links, (nlinks + 1) * sizeof *links);
			if (more == NULL) {
				rc = pl_fail(err, ENOMEM, "out of memory");
				break;
			}
			links = more;
			snprintf(links[nlinks++], sizeof *links, "%s", clean);
		}
	}
	for (size_t i = 0; rc == 0 && i < nlinks; i++)
		rc = link_resolves_inside(rootfd, links[i], err);
out:
	free(links);
	archive_read_free(a);
	return rc;
}

int pl_image_load(const struct pl_storage *st, const char *path, const char *name, char *used, size_t len,
		  pl_error **err)
{
	struct pl_image img = { 0 };
	if (name)
		snprintf(img.name, sizeof img.name, "%s", name);
	struct stat sb;
	if (stat(path, &sb) < 0)
		return pl_fail(err, errno, "cannot read %s", path);
	char work[4200] = "", dir[4200];
	if (S_ISDIR(sb.st_mode)) {
		snprintf(dir, sizeof dir, "%s", path);
	} else {
		if (pl_storage_tmpdir(st, "load", work, sizeof work, err) < 0)
			return -1;
		snprintf(dir, sizeof dir, "%s", work);
		pl_trace("unpack the archive %s", path);
		if (unpack_outer(path, work, err) < 0)
			goto fail;
	}
	char probe[4300];
	int rc;
	snprintf(probe, sizeof probe, "%s/oci-layout", dir);
	if (access(probe, F_OK) == 0) {
		pl_trace("%s is an OCI image layout", path);
		rc = load_oci(st, dir, &img, err);
	} else {
		snprintf(probe, sizeof probe, "%s/manifest.json", dir);
		if (access(probe, F_OK) != 0) {
			pl_fail(err, EINVAL, "%s is neither an OCI image layout nor a docker/podman save archive", path);
			pl_fix(err, "load a directory or tar with oci-layout and index.json, or with manifest.json; a plain "
				    "root filesystem tarball goes through 'podlab image import'");
			goto fail;
		}
		pl_trace("%s is a docker/podman save archive", path);
		rc = load_docker(st, dir, &img, err);
	}
	if (rc < 0)
		goto fail;
	if (!img.name[0] || !pl_valid_name(img.name)) {
		pl_fail(err, EINVAL, "the image %s", img.name[0] ? "has an invalid name" : "carries no name");
		pl_fix(err, "give one: podlab image load %s NAME", path);
		goto fail;
	}
	if (pl_store_save_image(st, &img, err) < 0)
		goto fail;
	if (used)
		snprintf(used, len, "%s", img.name);
	if (work[0])
		pl_remove_tree(work, NULL);
	pl_image_free(&img);
	return 0;
fail:
	/* Leave nothing behind: the work directory, and the layers this load
	 * unpacked that no stored image uses. */
	if (work[0])
		pl_remove_tree(work, NULL);
	for (size_t i = 0; i < img.n_layers; i++)
		pl_store_gc_layer(st, img.layers[i], NULL);
	pl_image_free(&img);
	return pl_wrap(err, "loading %s", path);
}
