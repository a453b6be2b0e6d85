/* fixtures.c - writing the stage 03 images (see fixtures.h). */
#include "fixtures.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"

/* One archive member. */
struct member {
	const char *name;
	char type;           /* 'f' file, 'd' dir, 'l' symlink, 'b' block device */
	const char *content; /* file content, or symlink target */
	const char *from;    /* file content read from this host file instead */
	mode_t mode;
};

static int write_tar(const char *path, const struct member *m, size_t n, bool gzip, pl_error **err)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	if (gzip)
		archive_write_add_filter_gzip(a);
	if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
		pl_fail(err, EIO, "cannot write %s: %s", path, archive_error_string(a));
		archive_write_free(a);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *data = NULL;
		size_t size = 0;
		if (m[i].from) {
			FILE *f = fopen(m[i].from, "rb");
			if (f == NULL) {
				rc = pl_fail(err, errno, "cannot read %s", m[i].from);
				break;
			}
			fseek(f, 0, SEEK_END);
			size = (size_t)ftell(f);
			rewind(f);
			data = malloc(size ? size : 1);
			if (fread(data, 1, size, f) != size)
				rc = pl_fail(err, EIO, "cannot read %s", m[i].from);
			fclose(f);
		} else if (m[i].type == 'f' && m[i].content) {
			data = strdup(m[i].content);
			size = strlen(data);
		}
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_uid(e, 0);
		archive_entry_set_gid(e, 0);
		archive_entry_set_mtime(e, 1700000000, 0);
		archive_entry_set_perm(e, m[i].mode ? m[i].mode : (m[i].type == 'd' ? 0755 : 0644));
		switch (m[i].type) {
		case 'd':
			archive_entry_set_filetype(e, AE_IFDIR);
			break;
		case 'l':
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, m[i].content);
			break;
		case 'b':
			archive_entry_set_filetype(e, AE_IFBLK);
			archive_entry_set_rdevmajor(e, 8);
			archive_entry_set_rdevminor(e, 0);
			break;
		default:
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)size);
		}
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    (size && archive_write_data(a, data, size) != (la_ssize_t)size))
			rc = pl_fail(err, EIO, "cannot write %s into %s: %s", m[i].name, path, archive_error_string(a));
		archive_entry_free(e);
		free(data);
	}
	if (archive_write_close(a) != ARCHIVE_OK && rc == 0)
		rc = pl_fail(err, EIO, "cannot finish %s", path);
	archive_write_free(a);
	return rc;
}

/* The base image: the probe and what the checks look for. */
static const char *nonce_text = "none\n";

static int base(const char *path, const char *probe, bool gzip, pl_error **err)
{
	const struct member m[] = {
		{ "./", 'd', NULL, NULL, 0755 },
		{ ".probe-nonce", 'f', nonce_text, NULL, 0644 },
		{ "probe", 'f', NULL, probe, 0755 },
		{ "bin/", 'd', NULL, NULL, 0755 },
		{ "bin/vi", 'f', "not really vi\n", NULL, 0755 },
		{ "etc/", 'd', NULL, NULL, 0755 },
		{ "etc/hostname", 'f', "base\n", NULL, 0644 },
		{ "etc/hosts", 'f', "127.0.0.1 localhost\n", NULL, 0644 },
		{ "var/", 'd', NULL, NULL, 0755 },
		{ "var/www/", 'd', NULL, NULL, 0755 },
		{ "var/www/index.html", 'f', "<p>from the base layer</p>\n", NULL, 0644 },
		{ "proc/", 'd', NULL, NULL, 0755 },
		{ "sys/", 'd', NULL, NULL, 0755 },
		{ "dev/", 'd', NULL, NULL, 0755 },
		{ "tmp/", 'd', NULL, NULL, 01777 },
		{ "mnt/", 'd', NULL, NULL, 0755 },
		{ "shared/", 'd', NULL, NULL, 0777 },
	};
	return write_tar(path, m, sizeof m / sizeof *m, gzip, err);
}

/* The second layer: deletions in OCI spelling, and an opaque directory. */
static int top(const char *path, bool gzip, pl_error **err)
{
	const struct member m[] = {
		{ "etc/", 'd', NULL, NULL, 0755 },
		{ "etc/motd", 'f', "added by layer 2\n", NULL, 0644 },
		{ "etc/.wh.hostname", 'f', "", NULL, 0644 },
		{ "bin/", 'd', NULL, NULL, 0755 },
		{ "bin/.wh.vi", 'f', "", NULL, 0644 },
		{ "var/www/", 'd', NULL, NULL, 0755 },
		{ "var/www/.wh..wh..opq", 'f', "", NULL, 0644 },
		{ "var/www/new.html", 'f', "<p>from layer 2</p>\n", NULL, 0644 },
	};
	return write_tar(path, m, sizeof m / sizeof *m, gzip, err);
}

static int write_json(const char *path, json_object *o, pl_error **err)
{
	int rc = json_object_to_file_ext(path, o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_put(o);
	return rc < 0 ? pl_fail(err, errno, "cannot write %s", path) : 0;
}

/* Move a file into blobs/sha256/ under its own digest; return it. */
static int to_blob(const char *layout, const char *file, char hex[65], long *size, pl_error **err)
{
	if (pl_sha256_file(file, hex, err) < 0)
		return -1;
	struct stat st;
	stat(file, &st);
	*size = (long)st.st_size;
	char dest[4400];
	snprintf(dest, sizeof dest, "%s/blobs/sha256/%s", layout, hex);
	return rename(file, dest) < 0 ? pl_fail(err, errno, "cannot move %s", file) : 0;
}

static json_object *descriptor(const char *media, const char *hex, long size)
{
	json_object *d = json_object_new_object();
	char digest[80];
	snprintf(digest, sizeof digest, "sha256:%s", hex);
	json_object_object_add(d, "mediaType", json_object_new_string(media));
	json_object_object_add(d, "digest", json_object_new_string(digest));
	json_object_object_add(d, "size", json_object_new_int64(size));
	return d;
}

static json_object *config(const char *diff1, const char *diff2)
{
	json_object *c = json_object_new_object(), *cfg = json_object_new_object(), *env = json_object_new_array(),
		    *cmd = json_object_new_array(), *rootfs = json_object_new_object(), *ids = json_object_new_array();
	json_object_array_add(env, json_object_new_string("PATH=/bin"));
	json_object_array_add(env, json_object_new_string("FROM_IMAGE=yes"));
	json_object_array_add(cmd, json_object_new_string("/probe"));
	json_object_array_add(cmd, json_object_new_string("id"));
	json_object_object_add(cfg, "Env", env);
	json_object_object_add(cfg, "Cmd", cmd);
	json_object_object_add(cfg, "WorkingDir", json_object_new_string("/etc"));
	json_object_object_add(c, "architecture", json_object_new_string("amd64"));
	json_object_object_add(c, "os", json_object_new_string("linux"));
	json_object_object_add(c, "config", cfg);
	char d[80];
	snprintf(d, sizeof d, "sha256:%s", diff1);
	json_object_array_add(ids, json_object_new_string(d));
	snprintf(d, sizeof d, "sha256:%s", diff2);
	json_object_array_add(ids, json_object_new_string(d));
	json_object_object_add(rootfs, "type", json_object_new_string("layers"));
	json_object_object_add(rootfs, "diff_ids", ids);
	json_object_object_add(c, "rootfs", rootfs);
	return c;
}

enum oci_fault { OCI_GOOD, OCI_BAD_BLOB, OCI_BAD_DIFFID };

static int oci_layout(const char *dir, const char *probe, const char *name, enum oci_fault fault, pl_error **err)
{
	char p[4400], l1[4400], l2[4400], blobs[4400];
	snprintf(blobs, sizeof blobs, "%s/blobs", dir);
	snprintf(p, sizeof p, "%s/blobs/sha256", dir);
	if (mkdir(dir, 0755) < 0 || mkdir(blobs, 0755) < 0 || mkdir(p, 0755) < 0)
		return pl_fail(err, errno, "cannot create %s", dir);
	snprintf(l1, sizeof l1, "%s/l1.tmp", dir);
	snprintf(l2, sizeof l2, "%s/l2.tmp", dir);
	char diff1[65], diff2[65], h1[65], h2[65], hc[65], hm[65];
	long s1, s2, sc, sm;
	if (base(l1, probe, false, err) < 0 || top(l2, true, err) < 0 || pl_sha256_file(l1, diff1, err) < 0 ||
	    pl_sha256_uncompressed(l2, diff2, err) < 0 || to_blob(dir, l1, h1, &s1, err) < 0 ||
	    to_blob(dir, l2, h2, &s2, err) < 0)
		return -1;
	if (fault == OCI_BAD_DIFFID)
		diff2[0] = diff2[0] == '0' ? '1' : '0';
	char cfg[4400];
	snprintf(cfg, sizeof cfg, "%s/config.tmp", dir);
	if (write_json(cfg, config(diff1, diff2), err) < 0 || to_blob(dir, cfg, hc, &sc, err) < 0)
		return -1;
	json_object *m = json_object_new_object(), *layers = json_object_new_array();
	json_object_object_add(m, "schemaVersion", json_object_new_int(2));
	json_object_object_add(m, "mediaType", json_object_new_string("application/vnd.oci.image.manifest.v1+json"));
	json_object_object_add(m, "config", descriptor("application/vnd.oci.image.config.v1+json", hc, sc));
	json_object_array_add(layers, descriptor("application/vnd.oci.image.layer.v1.tar", h1, s1));
	json_object_array_add(layers, descriptor("application/vnd.oci.image.layer.v1.tar+gzip", h2, s2));
	json_object_object_add(m, "layers", layers);
	char man[4400];
	snprintf(man, sizeof man, "%s/manifest.tmp", dir);
	if (write_json(man, m, err) < 0 || to_blob(dir, man, hm, &sm, err) < 0)
		return -1;
	json_object *index = json_object_new_object(), *list = json_object_new_array(),
		    *d = descriptor("application/vnd.oci.image.manifest.v1+json", hm, sm), *ann = json_object_new_object();
	json_object_object_add(ann, "org.opencontainers.image.ref.name", json_object_new_string(name));
	json_object_object_add(d, "annotations", ann);
	json_object_array_add(list, d);
	json_object_object_add(index, "schemaVersion", json_object_new_int(2));
	json_object_object_add(index, "manifests", list);
	snprintf(p, sizeof p, "%s/index.json", dir);
	if (write_json(p, index, err) < 0)
		return -1;
	json_object *layout = json_object_new_object();
	json_object_object_add(layout, "imageLayoutVersion", json_object_new_string("1.0.0"));
	snprintf(p, sizeof p, "%s/oci-layout", dir);
	if (write_json(p, layout, err) < 0)
		return -1;
	if (fault == OCI_BAD_BLOB) {
		/* Change one byte of the layer-2 blob after its digest was taken. */
		snprintf(p, sizeof p, "%s/blobs/sha256/%s", dir, h2);
		int fd = open(p, O_WRONLY);
		if (fd < 0 || pwrite(fd, "X", 1, 20) != 1)
			return pl_fail(err, errno, "cannot alter %s", p);
		close(fd);
	}
	return 0;
}

/* Pack a directory's files (not recursive below one level of blobs/). */
static int pack_dir(const char *dir, const char *tarpath, pl_error **err)
{
	char cmd[9000];
	/* tar(1) is part of every base system; this only packs the fixture. */
	snprintf(cmd, sizeof cmd, "tar -C '%s' -cf '%s' . 2>/dev/null", dir, tarpath);
	return system(cmd) == 0 ? 0 : pl_fail(err, EIO, "cannot pack %s", dir);
}

static int docker_archive(const char *dir, const char *work, const char *probe, pl_error **err)
{
	char p[4400], l1[4400], l2[4400];
	if (mkdir(work, 0755) < 0)
		return pl_fail(err, errno, "cannot create %s", work);
	snprintf(l1, sizeof l1, "%s/layer1.tar", work);
	snprintf(l2, sizeof l2, "%s/layer2.tar", work);
	char diff1[65], diff2[65];
	if (base(l1, probe, false, err) < 0 || top(l2, false, err) < 0 || pl_sha256_file(l1, diff1, err) < 0 ||
	    pl_sha256_file(l2, diff2, err) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/config.json", work);
	if (write_json(p, config(diff1, diff2), err) < 0)
		return -1;
	json_object *list = json_object_new_array(), *m = json_object_new_object(), *tags = json_object_new_array(),
		    *layers = json_object_new_array();
	json_object_array_add(tags, json_object_new_string("docker-multi:latest"));
	json_object_array_add(layers, json_object_new_string("layer1.tar"));
	json_object_array_add(layers, json_object_new_string("layer2.tar"));
	json_object_object_add(m, "Config", json_object_new_string("config.json"));
	json_object_object_add(m, "RepoTags", tags);
	json_object_object_add(m, "Layers", layers);
	json_object_array_add(list, m);
	snprintf(p, sizeof p, "%s/manifest.json", work);
	if (write_json(p, list, err) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/multi-docker.tar", dir);
	return pack_dir(work, p, err);
}

/* hostile-load.tar: an image archive whose links each look harmless by
 * name but climb out together.  "a/.../a/s -> ../../f" resolves much
 * higher than its name suggests, so "a/.../a/s/t -> ../(x41)/DIR" -- fine
 * by name, counted from a/.../a/s -- really leaves the archive, and a
 * last member written below it lands in DIR.  A runtime must refuse to
 * create anything through a symlink, not just check each link's text. */
static int hostile_load(const char *path, const char *outside, pl_error **err)
{
	enum { DEPTH = 40 };
	static char names[DEPTH + 4][512];
	static char targets[2][4400];
	struct member m[DEPTH + 5];
	size_t n = 0;
	char deep[512] = "";
	for (int i = 0; i < DEPTH; i++) {
		strcat(deep, "a/");
		snprintf(names[n], sizeof names[n], "%s", deep);
		m[n] = (struct member){ names[n], 'd', NULL, NULL, 0 };
		n++;
	}
	m[n++] = (struct member){ "f/", 'd', NULL, NULL, 0 };
	char up[4400] = "";
	for (int i = 0; i < DEPTH; i++)
		strcat(up, "../");
	snprintf(targets[0], sizeof targets[0], "%sf", up);
	snprintf(names[n], sizeof names[n], "%ss", deep);
	m[n] = (struct member){ names[n], 'l', targets[0], NULL, 0 };
	n++;
	/* From f/ (where s really is), DEPTH+1 levels up is above "/" for any
	 * store less deep than that, and "/" stops the climb. */
	const char *slash = strrchr(outside, '/');
	snprintf(targets[1], sizeof targets[1], "%s../%.*s", up, (int)(slash - outside), outside + 1);
	snprintf(names[n], sizeof names[n], "%ss/t", deep);
	m[n] = (struct member){ names[n], 'l', targets[1], NULL, 0 };
	n++;
	snprintf(names[n], sizeof names[n], "%ss/t/%s", deep, slash + 1);
	m[n] = (struct member){ names[n], 'f', "owned\n", NULL, 0 };
	n++;
	return write_tar(path, m, n, false, err);
}

int fixtures_write(const char *dir, const char *probe, const char *nonce, const char *outside, const char *victim,
		   pl_error **err)
{
	char p[4400], q[4400];
	/* The probe only answers in a block marked with the nonce it reads
	 * from /.probe-nonce: the base layer carries this run's. */
	static char nonce_line[80];
	snprintf(nonce_line, sizeof nonce_line, "%s\n", nonce);
	nonce_text = nonce_line;
	snprintf(p, sizeof p, "%s/base.tar", dir);
	if (base(p, probe, false, err) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/multi-oci", dir);
	if (oci_layout(p, probe, "multi:latest", OCI_GOOD, err) < 0)
		return -1;
	snprintf(q, sizeof q, "%s/multi-oci.tar", dir);
	if (pack_dir(p, q, err) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/docker-work", dir);
	if (docker_archive(dir, p, probe, err) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/bad-blob-oci", dir);
	if (oci_layout(p, probe, "bad-blob:latest", OCI_BAD_BLOB, err) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/bad-diffid-oci", dir);
	if (oci_layout(p, probe, "bad-diffid:latest", OCI_BAD_DIFFID, err) < 0)
		return -1;
	/* Hostile single-layer archives, for `image import`. */
	const struct member traversal[] = { { "etc/", 'd', NULL, NULL, 0 }, { "../escaped", 'f', "x\n", NULL, 0 } };
	const struct member absolute[] = { { "/etc/escaped", 'f', "x\n", NULL, 0 } };
	const struct member device[] = { { "dev/", 'd', NULL, NULL, 0 }, { "dev/sda", 'b', NULL, NULL, 0600 } };
	const struct member through[] = { { "etc", 'l', outside, NULL, 0 }, { "etc/passwd", 'f', "owned\n", NULL, 0 } };
	const struct member wh_through[] = { { "w", 'l', victim, NULL, 0 }, { "w/.wh.keep", 'f', "", NULL, 0 } };
	struct {
		const char *name;
		const struct member *m;
		size_t n;
	} hostile[] = {
		{ "hostile-a.tar", traversal, 2 },
		{ "hostile-b.tar", absolute, 1 },
		{ "hostile-c.tar", device, 2 },
		{ "hostile-d.tar", through, 2 },
		{ "hostile-e.tar", wh_through, 2 },
	};
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, hostile[i].name);
		if (write_tar(p, hostile[i].m, hostile[i].n, false, err) < 0)
			return -1;
	}
	snprintf(p, sizeof p, "%s/hostile-load.tar", dir);
	return hostile_load(p, outside, err);
}
