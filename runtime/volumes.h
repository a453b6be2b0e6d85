/* volumes.h - parsing -v HOST:CONTAINER[:ro].
 *
 * A volume is a bind mount of a host directory (or file) into the
 * container: the same inode seen from both sides, so writes inside show up
 * on the host, with the ownership rules of the user namespace.  The host
 * side is checked before anything is created, so a typo fails with a
 * clear message and leaves nothing behind.
 */
#ifndef PODLAB_VOLUMES_H
#define PODLAB_VOLUMES_H

#include "errors.h"
#include "spec.h"

/* Parse one -v argument (pure: no file system access). */
int pl_volume_parse(const char *arg, struct pl_volume *v, pl_error **err);

/* Host side: does the source exist?  Resolves it to an absolute path.  A
 * source without '/' is a named volume: STORE/volumes/NAME, made on
 * first use. */
int pl_volume_check(struct pl_volume *v, pl_error **err);

#endif
