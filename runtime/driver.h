/* driver.h - storage drivers: how a container gets a writable root.
 *
 * An image is read-only and shared; every container needs its own
 * writable copy, cheaply.  Three ways:
 *
 *   overlay         the kernel's overlayfs: the image layers as read-only
 *                   "lower" directories, the container's changes in its own
 *                   "upper" directory, merged into one view.  Changing a
 *                   lower file first copies it up.  Allowed inside a user
 *                   namespace since Linux 5.11, with the "userxattr" option.
 *   fuse-overlayfs  the same idea, in a user-space daemon through FUSE,
 *                   for kernels that refuse the native one.  Every file
 *                   operation travels kernel -> daemon -> kernel: slower.
 *   vfs             no overlay at all: each container gets a full copy of
 *                   the image.  Simple, slow to create, heavy on disk.
 *
 * The overlay mounts are made in the mount namespace clone() gave the
 * container, by a helper that joins its user and mount namespaces.  The
 * container then copies that namespace into one of its own (see mounts.c)
 * and pivots there; the first stays behind as the *storage* namespace,
 * where a fuse-overlayfs daemon keeps the host's view of the layers.  The
 * host never sees these mounts, and they vanish with the container.
 */
#ifndef PODLAB_DRIVER_H
#define PODLAB_DRIVER_H

#include <stddef.h>
#include <sys/types.h>

#include "errors.h"

enum pl_driver { PL_DRIVER_OVERLAY, PL_DRIVER_FUSE, PL_DRIVER_VFS };

const char *pl_driver_name(enum pl_driver d);
int pl_driver_parse(const char *name, enum pl_driver *d, pl_error **err);

/* The best driver this machine allows, and why, by trying. */
enum pl_driver pl_driver_detect(char *why, size_t len);

/* The overlay mount options.  `lower` lists the layer directories bottom
 * first (image order); overlayfs wants them top first. */
int pl_overlay_options(char *const *lower, size_t n, const char *upper, const char *work, enum pl_driver d,
		       char *out, size_t len, pl_error **err);

/* Host side: mount the merged view at `merged` in the namespaces of
 * process `pid`.  For fuse-overlayfs the daemon's pid is stored in
 * *daemon; stop it with pl_driver_stop() when the container is gone. */
int pl_driver_mount(enum pl_driver d, pid_t pid, const char *options, const char *merged, pid_t *daemon,
		    pl_error **err);
void pl_driver_stop(pid_t daemon);

#endif
