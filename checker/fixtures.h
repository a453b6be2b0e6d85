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
 *   hostile-[a-d].tar archives a runtime must refuse: a "../" name (a), an
 *                     absolute name (b), a device node (c), a write through
 *                     a symlink (d) -- neutral file names, so that a
 *                     message naming the file cannot pass for an
 *                     explanation -- and OCI layouts with a wrong blob
 *                     digest and a wrong diff_id (bad-blob-oci/, bad-diffid-oci/)
 */
#ifndef PODLAB_CHECK_FIXTURES_H
#define PODLAB_CHECK_FIXTURES_H

#include "errors.h"

/* Write every fixture into `dir`.  `probe` is the static probe binary and
 * `nonce` the marker its answers carry; `outside` is a path (not yet
 * existing) that the symlink attack aims at. */
int fixtures_write(const char *dir, const char *probe, const char *nonce, const char *outside, pl_error **err);

#endif
