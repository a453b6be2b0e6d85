/* rootfs.h - stage 01's view of the filesystem.
 *
 * Stage 01 is about ids, so it keeps the filesystem simple: with --rootfs
 * it chroot()s into the directory, and in both cases it mounts a /proc
 * that belongs to the new PID namespace (a /proc mounted by the host shows
 * the host's processes, whatever namespace the reader is in).
 *
 * chroot is not a security boundary: a process with CAP_SYS_CHROOT can
 * walk out of it.  Stage 02 replaces this file's work with pivot_root and
 * a proper set of mounts.
 */
#ifndef PODLAB_ROOTFS_H
#define PODLAB_ROOTFS_H

#include "errors.h"
#include "spec.h"

/* Host side, before anything is created: is the rootfs usable? */
int pl_rootfs_check(const struct pl_spec *spec, pl_error **err);

/* Container side: enter the root filesystem and mount /proc. */
int pl_rootfs_enter(const struct pl_spec *spec, pl_error **err);

#endif
