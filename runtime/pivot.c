/* pivot.c - pivot_root and detaching the old root (see pivot.h). */
#include "pivot.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "trace.h"

int pl_pivot_root(const char *rootfs, pl_error **err)
{
	pl_trace("pivot_root into %s and detach the old root", rootfs);
	/* LAB 02 BEGIN pivot-root: swap the roots and drop the old one.
	 * The classic sequence needs a directory for the old root; the trick
	 * runc uses needs none: chdir into the new root, then
	 * pivot_root(".", ".") stacks the old root on top of the new one at
	 * "/", and umount2(".", MNT_DETACH) takes the old root away (lazily,
	 * so busy mounts do not stop it).  glibc has no wrapper: use
	 * syscall(SYS_pivot_root, ...).  Finish with chdir("/"). */
	if (chdir(rootfs) < 0)
		return pl_fail(err, errno, "cannot enter %s", rootfs);
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		pl_fail(err, errno, "pivot_root into %s failed", rootfs);
		return pl_why(err, "the new root must be a mount point in this mount namespace, and the old root's "
				   "mounts must not be shared");
	}
	if (umount2(".", MNT_DETACH) < 0)
		return pl_fail(err, errno, "cannot detach the old root");
	if (chdir("/") < 0)
		return pl_fail(err, errno, "cannot enter the new /");
	return 0;
	/* LAB 02 END pivot-root: return pl_todo(err, "02", "pivot-root"); */
}
