/* storage.c - the per-user store (see storage.h). */
#include "storage.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pl_storage_root(const char *xdg_data_home, const char *home, char *out, size_t len, pl_error **err)
{
	/* The XDG Base Directory rule: XDG_DATA_HOME if set and absolute,
	 * else $HOME/.local/share. */
	if (xdg_data_home != NULL && xdg_data_home[0] == '/') {
		snprintf(out, len, "%s/podlab", xdg_data_home);
		return 0;
	}
	if (home == NULL || home[0] != '/') {
		pl_fail(err, ENOENT, "cannot find where to keep images: neither XDG_DATA_HOME nor HOME is an absolute path");
		return pl_fix(err, "export HOME (or XDG_DATA_HOME) to a directory you own");
	}
	snprintf(out, len, "%s/.local/share/podlab", home);
	return 0;
}

int pl_mkdir_p(const char *path, mode_t mode)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, mode) < 0 && errno != EEXIST ? -1 : 0;
}

int pl_storage_open(struct pl_storage *st, pl_error **err)
{
	const char *home = getenv("HOME");
	struct passwd *pw = home ? NULL : getpwuid(getuid());
	if (pl_storage_root(getenv("XDG_DATA_HOME"), home ? home : pw ? pw->pw_dir : NULL, st->root, sizeof st->root,
			    err) < 0)
		return -1;
	const char *sub[] = { "", "/images", "/layers", "/containers", "/tmp" };
	for (size_t i = 0; i < sizeof sub / sizeof *sub; i++) {
		char dir[4200];
		snprintf(dir, sizeof dir, "%s%s", st->root, sub[i]);
		if (pl_mkdir_p(dir, 0700) < 0) {
			pl_fail(err, errno, "cannot create the image store %s", dir);
			return pl_fix(err, "check that you own %s and it is writable", st->root);
		}
	}
	return 0;
}

void pl_storage_path(const struct pl_storage *st, char *buf, size_t len, const char *fmt, ...)
{
	int n = snprintf(buf, len, "%s/", st->root);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < len)
		vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	va_end(ap);
}

int pl_storage_tmpdir(const struct pl_storage *st, const char *what, char *out, size_t len, pl_error **err)
{
	pl_storage_path(st, out, len, "tmp/%s.XXXXXX", what);
	if (mkdtemp(out) == NULL)
		return pl_fail(err, errno, "cannot create a work directory in %s/tmp", st->root);
	return 0;
}

int pl_valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 128 || !(islower((unsigned char)name[0]) || isdigit((unsigned char)name[0])))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!(islower(c) || isdigit(c) || strchr("._:/-", c)))
			return 0;
	}
	return strstr(name, "..") == NULL;
}

enum pl_ref pl_ref_match(const char *ref, const char *name, const char *id)
{
	if (strcmp(name, ref) == 0 || strcmp(id, ref) == 0)
		return PL_REF_EXACT;
	if (strlen(ref) >= 3 && strncmp(id, ref, strlen(ref)) == 0)
		return PL_REF_PREFIX;
	return PL_REF_NONE;
}
