/* digest.h - content addresses: "sha256:<64 hex digits>".
 *
 * An image names each of its blobs by the SHA-256 of its bytes, so a
 * blob that was changed on the way (or on disk) no longer matches its
 * name.  podlab checks every digest before it unpacks anything.
 */
#ifndef PODLAB_DIGEST_H
#define PODLAB_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"

#define PL_DIGEST_HEX 64

/* SHA-256 of a file's bytes, as 64 hex digits. */
int pl_sha256_file(const char *path, char hex[PL_DIGEST_HEX + 1], pl_error **err);

/* SHA-256 of a (possibly gzip/zstd/xz-compressed) file's *decompressed*
 * bytes: what an image config's rootfs.diff_ids names. */
int pl_sha256_uncompressed(const char *path, char hex[PL_DIGEST_HEX + 1], pl_error **err);

/* Split "sha256:HEX" and check it is well formed. */
bool pl_digest_parse(const char *digest, char hex[PL_DIGEST_HEX + 1]);

#endif
