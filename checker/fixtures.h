/* fixtures.h - images made to order, for stage 03's checks.
 *
 * No registry is needed, and none is trusted: the checker writes its own
 * images with libarchive, json-c and SHA-256, so it knows exactly what
 * each layer holds and can tell a correct runtime from a broken one:
 *
 *   base.tar          a root filesystem with the probe (image import)
 *   multi-oci/        an OCI layout, two layers; the second deletes
 *   multi-oci.tar     /etc/hostname and /bin/vi (whiteouts), replaces
 *                     /var/www (opaque) and adds /etc/motd
 *   multi-docker.tar  the same, as a docker/podman save archive
 *   hostile-[a-e].tar archives a runtime must refuse: a "../" name (a), an
 *                     absolute name (b), a device node (c), a write through
 *                     a symlink (d), a whiteout through a symlink (e)
 *   hostile-load.tar  an image archive whose symlinks escape together
 *                     (for `image load`) -- neutral file names, so that a
 *                     message naming the file cannot pass for an
 *                     explanation -- and OCI layouts with a wrong blob
 *                     digest and a wrong diff_id (bad-blob-oci/, bad-diffid-oci/)
 */
#ifndef PODLAB_CHECK_FIXTURES_H
#define PODLAB_CHECK_FIXTURES_H

#include "errors.h"

/* Write every fixture into `dir`.  `probe` is the static probe binary and
 * `nonce` the marker its answers carry; `outside` is a path (not yet
 * existing, its directory existing) that the symlink attacks write, and
 * `victim` a directory whose file "keep" a whiteout attack deletes. */
int fixtures_write(const char *dir, const char *probe, const char *nonce, const char *outside, const char *victim,
		   pl_error **err);

#endif
