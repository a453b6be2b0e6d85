/* layer.h - unpacking one image layer, safely.
 *
 * A layer is a tar archive of the changes one build step made: new and
 * changed files, plus *whiteouts* for what it deleted, spelled the OCI
 * way:
 *
 *     etc/.wh.motd          "etc/motd is deleted"
 *     var/cache/.wh..wh..opq  "var/cache replaces, not merges with, the
 *                             directory of the layers below" (opaque)
 *
 * The kernel's overlayfs spells them differently: a deleted file is a
 * character device 0:0 with the file's name, an opaque directory carries
 * the xattr user.overlay.opaque=y (user.*, because an overlay mounted in a
 * user namespace may not use trusted.*).  Unpacking converts one spelling
 * into the other, so the unpacked layer can be an overlay lower directory
 * as it is.  For the vfs driver the whiteouts are *applied* instead: the
 * named file is deleted from what the layers below put there.
 *
 * An image comes from somewhere else and may be hostile.  Every entry is
 * checked: no absolute names, no "..", nothing written through a symlink
 * (a layer that ships "etc -> /etc" and then "etc/passwd" would otherwise
 * write the host's /etc/passwd), no device nodes.  The first bad entry
 * stops the whole layer.
 */
#ifndef PODLAB_LAYER_H
#define PODLAB_LAYER_H

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"

enum pl_whiteout {
	PL_WH_NONE,   /* an ordinary entry */
	PL_WH_FILE,   /* ".wh.NAME": NAME is deleted */
	PL_WH_OPAQUE, /* ".wh..wh..opq": the directory is opaque */
};

/* Clean an archive member's name: drop a leading "./", refuse absolute
 * names, ".." components and empty names.  Writes the relative path. */
int pl_layer_clean_name(const char *name, char *out, size_t len, pl_error **err);

/* What a cleaned name means: for PL_WH_FILE, `target` gets the deleted
 * path ("etc/.wh.motd" -> "etc/motd"); for PL_WH_OPAQUE, the directory
 * ("var/cache/.wh..wh..opq" -> "var/cache"). */
enum pl_whiteout pl_layer_whiteout(const char *clean, char *target, size_t len);

/* Unpack `tarball` (any compression libarchive reads) into `dir`.
 * apply == false: keep whiteouts, in overlay's spelling (a lower layer);
 * apply == true: carry them out on what `dir` already holds (vfs).
 * Run it as root of a user namespace, so that owners are kept. */
int pl_layer_extract(const char *tarball, const char *dir, bool apply, pl_error **err);

/* Open (as O_PATH) the directory `dir` below `rootfd`, creating missing
 * parts, and refuse any symlink on the way: nothing named in an archive
 * can make podlab write outside the directory it unpacks into.  `member`
 * names the archive entry in the error. */
int pl_layer_open_dir(int rootfd, const char *dir, const char *member, pl_error **err);

/* Remove a directory tree, without following symlinks. */
int pl_remove_tree(const char *path, pl_error **err);

#endif
