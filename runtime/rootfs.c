/* rootfs.c - chroot and /proc for stage 01 (see rootfs.h). */
#include "rootfs.h"

#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace.h"

int pl_rootfs_check(const struct pl_spec *spec, pl_error **err)
{
	if (spec->rootfs == NULL)
		return 0;
	struct stat st;
	if (stat(spec->rootfs, &st) < 0) {
		pl_fail(err, errno, "cannot use '%s' as the root filesystem", spec->rootfs);
		return pl_fix(err, "give an existing directory, for example one built with 'make rootfs' "
				   "(build/rootfs)");
	}
	if (!S_ISDIR(st.st_mode)) {
		pl_fail(err, ENOTDIR, "cannot use '%s' as the root filesystem", spec->rootfs);
		return pl_fix(err, "--rootfs takes a directory holding an unpacked root filesystem");
	}
	return 0;
}

static int mount_proc(pl_error **err)
{
	struct stat st;
	if (stat("/proc", &st) < 0 || !S_ISDIR(st.st_mode)) {
		pl_fail(err, ENOENT, "the root filesystem has no /proc directory");
		return pl_fix(err, "create it in the rootfs (mkdir ROOTFS/proc): the container's own /proc is mounted there");
	}
	pl_trace("mount proc on /proc");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return pl_fail(err, errno, "cannot mount a new /proc for the PID namespace");
	return 0;
}

int pl_rootfs_enter(const struct pl_spec *spec, pl_error **err)
{
	/* Our mount namespace starts as a copy of the host's.  Make every
	 * mount private so that nothing we mount propagates back. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return pl_fail(err, errno, "cannot make the mounts private");
	if (spec->rootfs != NULL) {
		pl_trace("chroot %s", spec->rootfs);
		if (chroot(spec->rootfs) < 0)
			return pl_fail(err, errno, "cannot chroot into %s", spec->rootfs);
		if (chdir("/") < 0)
			return pl_fail(err, errno, "cannot chdir to the new /");
	}
	return mount_proc(err);
}
