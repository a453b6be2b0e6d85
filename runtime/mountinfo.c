/* mountinfo.c - mount tables through libmount (see mountinfo.h). */
#include "mountinfo.h"

#include <errno.h>
#include <libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int from_table(struct libmnt_table *tb, struct pl_mountinfo *mi, pl_error **err)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	size_t cap = 0;
	memset(mi, 0, sizeof *mi);
	while (mnt_table_next_fs(tb, it, &fs) == 0) {
		if (mi->n == cap) {
			cap = cap ? cap * 2 : 32;
			struct pl_mount_entry *grown = realloc(mi->m, cap * sizeof *grown);
			if (grown == NULL) {
				mnt_free_iter(it);
				return pl_fail(err, ENOMEM, "cannot read the mount table");
			}
			mi->m = grown;
		}
		struct pl_mount_entry *e = &mi->m[mi->n++];
		memset(e, 0, sizeof *e);
		const char *v;
		if ((v = mnt_fs_get_target(fs)))
			snprintf(e->target, sizeof e->target, "%s", v);
		if ((v = mnt_fs_get_fstype(fs)))
			snprintf(e->fstype, sizeof e->fstype, "%s", v);
		if ((v = mnt_fs_get_source(fs)))
			snprintf(e->source, sizeof e->source, "%s", v);
		if ((v = mnt_fs_get_root(fs)))
			snprintf(e->root, sizeof e->root, "%s", v);
		const char *opts = mnt_fs_get_vfs_options(fs);
		e->readonly = opts && mnt_optstr_get_option(opts, "ro", NULL, NULL) == 0;
	}
	mnt_free_iter(it);
	return 0;
}

int pl_mountinfo_parse(const char *text, struct pl_mountinfo *mi, pl_error **err)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	if (in == NULL)
		return pl_fail(err, errno, "cannot read the mount table");
	struct libmnt_table *tb = mnt_new_table();
	int rc = mnt_table_parse_stream(tb, in, "mountinfo");
	fclose(in);
	if (rc != 0) {
		mnt_unref_table(tb);
		return pl_fail(err, -rc, "cannot parse the mount table");
	}
	rc = from_table(tb, mi, err);
	mnt_unref_table(tb);
	return rc;
}

int pl_mountinfo_read(const char *path, struct pl_mountinfo *mi, pl_error **err)
{
	struct libmnt_table *tb = mnt_new_table_from_file(path);
	if (tb == NULL)
		return pl_fail(err, errno ? errno : EINVAL, "cannot read the mount table %s", path);
	int rc = from_table(tb, mi, err);
	mnt_unref_table(tb);
	return rc;
}

bool pl_path_below(const char *target, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return target[0] == '/';
	return strncmp(target, dir, n) == 0 && (target[n] == '\0' || target[n] == '/');
}

void pl_mountinfo_free(struct pl_mountinfo *mi)
{
	free(mi->m);
	memset(mi, 0, sizeof *mi);
}
