/* devices.h - a /dev for the container.
 *
 * A rootless container cannot create device nodes: mknod(2) needs
 * CAP_MKNOD in the *initial* user namespace, and in any case the kernel
 * refuses to open device nodes on a file system mounted from inside a
 * user namespace (an internal flag of such a superblock, not a mount
 * option you would see in mountinfo).  So /dev is a fresh tmpfs holding only the harmless
 * devices every program expects, each one the host's node bind-mounted
 * onto an empty file:
 *
 *     null zero full random urandom tty
 *
 * plus a private devpts instance for terminals (/dev/pts, /dev/ptmx),
 * /dev/shm for POSIX shared memory, and the /dev/fd, stdin, stdout and
 * stderr symlinks into /proc.  Nothing else: no disks, no /dev/mem, no
 * /dev/kmsg.
 */
#ifndef PODLAB_DEVICES_H
#define PODLAB_DEVICES_H

#include "errors.h"

/* The devices bound from the host, NULL-terminated. */
extern const char *const pl_dev_allowed[];

/* Set up ROOTFS/dev (rootfd is the root filesystem directory). */
int pl_dev_setup(int rootfd, pl_error **err);

#endif
