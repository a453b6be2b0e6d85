/* Lab 02 starter: pivot.c, generated from runtime/pivot.c by 'make labs'.
 * Fill in every part marked 'LAB 02 TODO', then build and check:
 *     make lab LAB=labs/02-mounts && build/podlab-check labs/02-mounts
 */
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
	/* LAB 02 TODO pivot-root: swap the roots and drop the old one.
	 * The classic sequence needs a directory for the old root; the trick
	 * runc uses needs none: chdir into the new root, then
	 * pivot_root(".", ".") stacks the old root on top of the new one at
	 * "/", and umount2(".", MNT_DETACH) takes the old root away (lazily,
	 * so busy mounts do not stop it).  glibc has no wrapper: use
	 * syscall(SYS_pivot_root, ...).  Finish with chdir("/"). */
	return pl_todo(err, "02", "pivot-root");
}
