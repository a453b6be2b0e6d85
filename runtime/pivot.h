/* pivot.h - making the root filesystem the root, for good.
 *
 * chroot(2) only changes how "/" is resolved for one process; the old
 * root is still mounted and reachable (a process with CAP_SYS_CHROOT can
 * chroot into a subdirectory and walk ".." past it).  pivot_root(2)
 * changes the root *mount* of the mount namespace, and once the old root
 * is unmounted there is no path back to the host's file system at all.
 */
#ifndef PODLAB_PIVOT_H
#define PODLAB_PIVOT_H

#include "errors.h"

/* Make `rootfs` (a mount point) the root and detach the old root. */
int pl_pivot_root(const char *rootfs, pl_error **err);

#endif
