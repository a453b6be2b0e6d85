/* devices.c - the container's /dev (see devices.h). */
#include "devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "mounts.h"
#include "trace.h"

const char *const pl_dev_allowed[] = { "null", "zero", "full", "random", "urandom", "tty", NULL };

/* Create a symlink /dev/NAME -> TARGET inside the new /dev. */
static int dev_symlink(int rootfd, const char *name, const char *target, pl_error **err)
{
	cleanup_close int dev = pl_path_open_in_root(rootfd, "/dev", PL_PATH_EXISTING, err);
	if (dev < 0)
		return -1;
	char path[64];
	pl_fd_path(dev, path, sizeof path);
	char link[128];
	snprintf(link, sizeof link, "%s/%s", path, name);
	if (symlink(target, link) < 0 && errno != EEXIST)
		return pl_fail(err, errno, "cannot create /dev/%s", name);
	return 0;
}

int pl_dev_setup(int rootfd, pl_error **err)
{
	if (pl_mount_at(rootfd, "/dev", PL_PATH_DIR, NULL, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k",
			err) < 0)
		return -1;
	/* LAB 02 BEGIN dev-binds: give the container the host's harmless devices.
	 * For each name in pl_dev_allowed, bind-mount the host's /dev/NAME onto
	 * /dev/NAME in the new tmpfs.  The mount point must exist first, as an
	 * empty regular file (pl_mount_at with PL_PATH_FILE creates it).  Do not
	 * mknod: it is not allowed here, and a bind keeps the host's node, its
	 * major/minor numbers and permissions. */
	for (const char *const *d = pl_dev_allowed; *d != NULL; d++) {
		char host[64], inside[64];
		snprintf(host, sizeof host, "/dev/%s", *d);
		snprintf(inside, sizeof inside, "/dev/%s", *d);
		if (access(host, F_OK) < 0) {
			pl_trace("host has no %s: skipped", host);
			continue;
		}
		if (pl_mount_at(rootfd, inside, PL_PATH_FILE, host, NULL, 0, NULL, err) < 0)
			return -1;
	}
	/* LAB 02 END dev-binds: return pl_todo(err, "02", "dev-binds"); */
	/* A devpts of our own: its ptys are numbered from 0 and invisible to
	 * the host's.  ptmxmode makes its ptmx usable by everyone inside. */
	if (pl_mount_at(rootfd, "/dev/pts", PL_PATH_DIR, NULL, "devpts", MS_NOSUID | MS_NOEXEC,
			"newinstance,ptmxmode=0666,mode=0620", err) < 0)
		return -1;
	if (pl_mount_at(rootfd, "/dev/shm", PL_PATH_DIR, NULL, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			"mode=1777,size=65536k", err) < 0)
		return -1;
	if (dev_symlink(rootfd, "ptmx", "pts/ptmx", err) < 0 || dev_symlink(rootfd, "fd", "/proc/self/fd", err) < 0 ||
	    dev_symlink(rootfd, "stdin", "/proc/self/fd/0", err) < 0 ||
	    dev_symlink(rootfd, "stdout", "/proc/self/fd/1", err) < 0 ||
	    dev_symlink(rootfd, "stderr", "/proc/self/fd/2", err) < 0)
		return -1;
	return 0;
}
