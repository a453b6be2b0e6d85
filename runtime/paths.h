/* paths.h - finding a path inside the root filesystem, safely.
 *
 * The root filesystem belongs to the container, and its author may be
 * hostile: if /dev in it were a symlink to /etc, a runtime that mounted on
 * "ROOTFS/dev" would mount over the host's /etc (in its own mount
 * namespace, but still outside the container's tree).  So every mount
 * target is looked up with openat2(RESOLVE_IN_ROOT): symlinks are followed
 * as if ROOTFS were "/", never out of it.  The mount is then made on the
 * resulting file descriptor, through /proc/self/fd/N, as crun does.
 */
#ifndef PODLAB_PATHS_H
#define PODLAB_PATHS_H

#include <stdbool.h>

#include "errors.h"

enum pl_mkpath { PL_PATH_EXISTING, PL_PATH_DIR, PL_PATH_FILE };

/* Open `path` (absolute, as seen inside) below the directory `rootfd` as
 * an O_PATH descriptor, creating it as a directory or an empty file (and
 * its parents as directories) when `make` asks for it. */
int pl_path_open_in_root(int rootfd, const char *path, enum pl_mkpath make, pl_error **err);

/* "/proc/self/fd/N" for an O_PATH descriptor, to give to mount(2). */
void pl_fd_path(int fd, char *buf, unsigned long len);

#endif
