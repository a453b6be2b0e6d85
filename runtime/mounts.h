/* mounts.h - stage 02: a file system tree of the container's own.
 *
 * In its new mount namespace the container side builds, below the root
 * filesystem directory, everything a program expects to find at /:
 *
 *     ROOTFS            bind-mounted onto itself (pivot_root needs a mount)
 *     ROOTFS/proc       a new procfs, showing the new PID namespace
 *     ROOTFS/dev        a tmpfs with a few host devices bound in (devices.c)
 *     ROOTFS/sys        sysfs read-only, or the host's bound read-only
 *     ROOTFS/tmp        a tmpfs
 *     ROOTFS/VOLUME...  the -v bind mounts
 *
 * then pivot.c makes ROOTFS the root and drops the old one, and masks.c
 * hides the parts of /proc and /sys a container has no business reading.
 * Every mount happens in the container's private mount namespace: when
 * it ends, they all go, and the host's table never changes.
 */
#ifndef PODLAB_MOUNTS_H
#define PODLAB_MOUNTS_H

#include "errors.h"
#include "paths.h"
#include "spec.h"

/* Host side, before anything is created: rootfs and volume sources. */
int pl_rootfs_check(struct pl_spec *spec, pl_error **err);

/* Container side: build the tree below spec->rootfs (or, without a
 * rootfs, give the host's tree a /proc of the new PID namespace). */
int pl_mounts_prepare(const struct pl_spec *spec, pl_error **err);

/* Mount something on `target` (a path inside the root below rootfd),
 * creating the mount point if needed.  source == NULL: a new file system
 * of type fstype; otherwise a bind mount of the host path `source`. */
int pl_mount_at(int rootfd, const char *target, enum pl_mkpath make, const char *source, const char *fstype,
		unsigned long flags, const char *data, pl_error **err);

/* Make the mount at `target` (inside the root below rootfd) and every
 * mount below it read-only. */
int pl_mount_readonly(int rootfd, const char *target, pl_error **err);

#endif
