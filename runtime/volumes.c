/* volumes.c - -v HOST:CONTAINER[:ro] (see volumes.h). */
#include "volumes.h"

#include "storage.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Reject "..", which could climb out of the root filesystem, and
 * normalise "//" and trailing slashes away. */
static int clean_container_path(const char *in, char *out, size_t len, pl_error **err)
{
	if (in[0] != '/') {
		pl_fail(err, EINVAL, "volume target '%s' is not an absolute path", in);
		return pl_fix(err, "write the path inside the container from /, e.g. -v ./data:/data");
	}
	size_t o = 0;
	for (const char *p = in; *p;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			pl_fail(err, EINVAL, "volume target '%s' contains '..'", in);
			return pl_fix(err, "name the directory inside the container directly");
		}
		if (!(n == 1 && p[0] == '.')) {
			if (o + n + 2 > len)
				return pl_fail(err, ENAMETOOLONG, "volume target '%.64s...' is too long", in);
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	if (o == 0) {
		pl_fail(err, EINVAL, "a volume cannot be mounted over the container's /");
		return pl_fix(err, "use --rootfs to choose the root filesystem");
	}
	out[o] = '\0';
	return 0;
}

int pl_volume_parse(const char *arg, struct pl_volume *v, pl_error **err)
{
	memset(v, 0, sizeof *v);
	const char *colon = strchr(arg, ':');
	if (colon == NULL || colon == arg) {
		pl_fail(err, EINVAL, "invalid volume '%s'", arg);
		return pl_fix(err, "write it as HOSTDIR:CONTAINERDIR or HOSTDIR:CONTAINERDIR:ro");
	}
	size_t host_len = (size_t)(colon - arg);
	if (host_len >= sizeof v->host)
		return pl_fail(err, ENAMETOOLONG, "volume source is too long");
	memcpy(v->host, arg, host_len);
	v->host[host_len] = '\0';
	const char *target = colon + 1;
	const char *opts = strchr(target, ':');
	char tbuf[4096];
	size_t tlen = opts ? (size_t)(opts - target) : strlen(target);
	if (tlen == 0 || tlen >= sizeof tbuf) {
		pl_fail(err, EINVAL, "invalid volume '%s': no container path", arg);
		return pl_fix(err, "write it as HOSTDIR:CONTAINERDIR[:ro]");
	}
	memcpy(tbuf, target, tlen);
	tbuf[tlen] = '\0';
	if (clean_container_path(tbuf, v->container, sizeof v->container, err) < 0)
		return -1;
	if (opts != NULL) {
		if (strcmp(opts + 1, "ro") == 0)
			v->readonly = true;
		else if (strcmp(opts + 1, "rw") != 0) {
			pl_fail(err, EINVAL, "unknown volume option '%s' in '%s'", opts + 1, arg);
			return pl_fix(err, "the options are 'ro' (read-only) and 'rw' (the default)");
		}
	}
	return 0;
}

/* A source without a '/' is a named volume, as in podman: a directory of
 * podlab's own (STORE/volumes/NAME), made on first use and kept until
 * removed.  play kube's emptyDir volumes are named pod.POD.VOLUME, so
 * they outlive a container restart and go with the pod. */
static int named_volume(struct pl_volume *v, pl_error **err)
{
	struct pl_storage st;
	if (!pl_valid_name(v->host)) {
		pl_fail(err, EINVAL, "volume source '%s' is neither a path nor a valid volume name", v->host);
		return pl_fix(err, "give a path (./data, /srv/data) or a name of lower-case letters, digits and . _ -");
	}
	if (pl_storage_open(&st, err) < 0)
		return -1;
	char dir[4096];
	pl_storage_path(&st, dir, sizeof dir, "volumes");
	mkdir(dir, 0700);
	pl_storage_path(&st, dir, sizeof dir, "volumes/%s", v->host);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return pl_fail(err, errno, "cannot create the volume %s", dir);
	snprintf(v->host, sizeof v->host, "%s", dir);
	return 0;
}

int pl_volume_check(struct pl_volume *v, pl_error **err)
{
	if (strchr(v->host, '/') == NULL)
		return named_volume(v, err);
	char real[PATH_MAX];
	if (realpath(v->host, real) == NULL) {
		int e = errno;
		pl_fail(err, e, "volume source '%s' cannot be used", v->host);
		if (e == ENOENT)
			return pl_fix(err, "create it first (mkdir -p %s), or fix the path before the ':'", v->host);
		return pl_fix(err, "check that you can read it and every directory above it");
	}
	snprintf(v->host, sizeof v->host, "%s", real);
	return 0;
}
