/* storage.h - where a user's images and containers live.
 *
 * Rootless means per-user: every user has their own store, in their home
 * directory, as podman's ~/.local/share/containers/storage:
 *
 *     $XDG_DATA_HOME/podlab/          (default ~/.local/share/podlab)
 *         images/NAME.json            an image: its layers, in order, and config
 *         layers/DIFFID/              one unpacked layer (an overlay lower dir)
 *         layers/DIFFID.tar           the layer as it came (for the vfs driver)
 *         containers/ID/              a container: config.json, upper/, work/,
 *                                     merged/ (or rootfs/ with vfs)
 *         tmp/                        work in progress; never read from
 *
 * Nothing in it is shared with other users or with root.
 */
#ifndef PODLAB_STORAGE_H
#define PODLAB_STORAGE_H

#include <stddef.h>
#include <sys/types.h>

#include "errors.h"

struct pl_storage {
	char root[4096];
};

/* Find (and create, mode 0700) the store of the calling user. */
int pl_storage_open(struct pl_storage *st, pl_error **err);

/* The store's root for a given XDG_DATA_HOME and HOME (pure: tests). */
int pl_storage_root(const char *xdg_data_home, const char *home, char *out, size_t len, pl_error **err);

/* Build a path below the store: pl_storage_path(st, buf, len, "layers/%s", id). */
void pl_storage_path(const struct pl_storage *st, char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* mkdir -p: PATH with mode (its missing parents 0755); 0 if it exists. */
int pl_mkdir_p(const char *path, mode_t mode);

/* A fresh, empty directory below tmp/, for work that may fail midway. */
int pl_storage_tmpdir(const struct pl_storage *st, const char *what, char *out, size_t len, pl_error **err);

/* How `ref` (what a user typed) names a record with this name and id:
 * exactly (the name, or the whole id), by an id prefix of 3 or more
 * characters (which must then be unique), or not at all. */
enum pl_ref { PL_REF_NONE, PL_REF_PREFIX, PL_REF_EXACT };
enum pl_ref pl_ref_match(const char *ref, const char *name, const char *id);

/* Is this a valid image or container name? ([a-z0-9] then [a-z0-9._:/-]) */
int pl_valid_name(const char *name);

#endif
