/* Lab 03 starter: driver.c, generated from runtime/driver.c by 'make labs'.
 * Fill in every part marked 'LAB 03 TODO', then build and check:
 *     make lab LAB=labs/03-overlay && build/podlab-check labs/03-overlay
 */
/* driver.c - overlay, fuse-overlayfs and vfs (see driver.h). */
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "imagestore.h"
#include "layer.h"
#include "mountinfo.h"
#include "process.h"
#include "storage.h"
#include "trace.h"
#include "unshare.h"

static const char *const names[] = { [PL_DRIVER_OVERLAY] = "overlay", [PL_DRIVER_FUSE] = "fuse-overlayfs",
				     [PL_DRIVER_VFS] = "vfs" };

const char *pl_driver_name(enum pl_driver d)
{
	return names[d];
}

int pl_driver_parse(const char *name, enum pl_driver *d, pl_error **err)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(name, names[i]) == 0) {
			*d = (enum pl_driver)i;
			return 0;
		}
	pl_fail(err, EINVAL, "unknown storage driver '%s'", name);
	return pl_fix(err, "use overlay, fuse-overlayfs or vfs ('podlab info' says which this machine supports)");
}

int pl_overlay_options(char *const *lower, size_t n, const char *upper, const char *work, enum pl_driver d,
		       char *out, size_t len, pl_error **err)
{
	/* LAB 03 TODO overlay-options: the mount options of the merged view.
	 * "lowerdir=TOP:...:BOTTOM,upperdir=UPPER,workdir=WORK": overlayfs reads
	 * lowerdir left to right as top to bottom, while `lower` is in image
	 * order (bottom first), so write it reversed.  The native driver also
	 * needs "userxattr": in a user namespace overlayfs may not use trusted.*
	 * xattrs and keeps its metadata in user.overlay.* instead.  Fail (E2BIG)
	 * rather than cut the string short. */
	return pl_todo(err, "03", "overlay-options");
}

/* Join the user and mount namespaces of `pid`: root there, with its
 * mount table, but still a process of the host's PID namespace. */
static int join(pid_t pid)
{
	return pl_join(pid, CLONE_NEWUSER | CLONE_NEWNS);
}

/* Is something of file system type `fstype` (prefix) mounted on `target`
 * in the mount namespace of `pid`?  Read with libmount. */
static bool mounted(pid_t pid, const char *target, const char *fstype)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mountinfo", (int)pid);
	struct pl_mountinfo mi;
	if (pl_mountinfo_read(path, &mi, NULL) < 0)
		return false;
	bool found = false;
	for (size_t i = 0; i < mi.n && !found; i++)
		found = strcmp(mi.m[i].target, target) == 0 && strncmp(mi.m[i].fstype, fstype, strlen(fstype)) == 0;
	pl_mountinfo_free(&mi);
	return found;
}

static int mount_native(pid_t pid, const char *options, const char *merged, pl_error **err)
{
	pid_t helper = pl_fork_helper(SIGKILL, err);
	if (helper < 0)
		return pl_wrap(err, "cannot start the mount helper");
	if (helper == 0) {
		if (join(pid) < 0)
			_exit(100);
		_exit(mount("overlay", merged, "overlay", 0, options) < 0 ? (errno & 0x7f) : 0);
	}
	int status;
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 127;
	if (code == 0)
		return 0;
	if (code == 100)
		return pl_fail(err, 0, "the mount helper could not join the container's namespaces");
	pl_fail(err, code, "cannot mount the overlay on %s", merged);
	if (code == ENOENT || code == ENOTDIR)
		return pl_fix(err, "a layer, upper or work directory is missing: the store is damaged (was a layer "
				   "removed by hand?); remove the container and the image, then import or load it again");
	if (code == EPERM || code == EINVAL)
		return pl_fix(err, "this kernel may not allow overlayfs in a user namespace (Linux 5.11+ is needed): "
				   "use --storage-driver fuse-overlayfs, and see 'podlab info'");
	return pl_fix(err, "try --storage-driver fuse-overlayfs, and see 'podlab info' and 'podlab doctor'");
}

/* The line of the daemon's log that says why it stopped: the last one,
 * skipping its chatter about options it ignores. */
static void daemon_words(int logfd, char *out, size_t len)
{
	char log[8192];
	ssize_t n = pread(logfd, log, sizeof log - 1, 0);
	log[n > 0 ? n : 0] = '\0';
	out[0] = '\0';
	for (char *save = NULL, *line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strstr(line, "argument ignored") == NULL)
			snprintf(out, len, "%s", line);
}

static int mount_fuse(pid_t pid, const char *options, const char *merged, pid_t *daemon, pl_error **err)
{
	if (access("/dev/fuse", R_OK | W_OK) < 0) {
		pl_fail(err, errno, "fuse-overlayfs needs /dev/fuse, which you cannot open");
		return pl_fix(err, "ask root to let users open it: sudo chmod 0666 /dev/fuse (podlab doctor checks it)");
	}
	char log[] = "/tmp/podlab-fuse.XXXXXX";
	int logfd = mkstemp(log);
	unlink(log);
	/* LAB 03 TODO fuse-wait: start fuse-overlayfs and wait for its mount.
	 * Start a helper that dies with podlab (pl_fork_helper(SIGTERM, err)),
	 * joins the container's namespaces (join()), sends its output to logfd,
	 * and execs "fuse-overlayfs -f -o OPTIONS MERGED" (-f: stay in the
	 * foreground, so its pid stays the daemon's).  The parent then polls,
	 * for up to 10 s, until mounted(pid, merged, "fuse") is true, failing
	 * early, with the daemon's own words from logfd, if the child exits. */
	close(logfd); return pl_todo(err, "03", "fuse-wait");
}

int pl_driver_mount(enum pl_driver d, pid_t pid, const char *options, const char *merged, pid_t *daemon,
		    pl_error **err)
{
	*daemon = 0;
	if (d == PL_DRIVER_VFS)
		return 0; /* the container's own copy needs no mount */
	pl_trace("mount %s on %s (in the storage mount namespace, which the container's copies)", pl_driver_name(d), merged);
	pl_trace("options %s", options);
	return d == PL_DRIVER_OVERLAY ? mount_native(pid, options, merged, err)
				      : mount_fuse(pid, options, merged, daemon, err);
}

void pl_driver_stop(pid_t daemon)
{
	if (daemon <= 0)
		return;
	/* fuse-overlayfs unmounts and exits on SIGTERM. */
	kill(daemon, SIGTERM);
	for (int i = 0; i < 400; i++) {
		if (waitpid(daemon, NULL, WNOHANG) == daemon)
			return;
		usleep(5000);
	}
	kill(daemon, SIGKILL);
	waitpid(daemon, NULL, 0);
}

/* ---- detection ----------------------------------------------------------- */

static int try_overlay(void *arg, pl_error **err)
{
	const char *dir = arg;
	char l[4200], u[4200], w[4200], m[4200], opts[16384];
	snprintf(l, sizeof l, "%s/l", dir);
	snprintf(u, sizeof u, "%s/u", dir);
	snprintf(w, sizeof w, "%s/w", dir);
	snprintf(m, sizeof m, "%s/m", dir);
	mkdir(l, 0755), mkdir(u, 0755), mkdir(w, 0755), mkdir(m, 0755);
	snprintf(opts, sizeof opts, "lowerdir=%s,upperdir=%s,workdir=%s,userxattr", l, u, w);
	if (mount("overlay", m, "overlay", 0, opts) < 0)
		return pl_fail(err, errno, "overlay mount failed");
	umount2(m, MNT_DETACH);
	return 0;
}

enum pl_driver pl_driver_detect(char *why, size_t len)
{
	struct pl_storage st;
	char dir[4200];
	pl_error *err = NULL;
	int rc = -1;
	/* The test must run where containers' files live: the store's file
	 * system may refuse user xattrs even where the kernel allows overlay. */
	if (pl_storage_open(&st, &err) == 0 && pl_storage_tmpdir(&st, "probe", dir, sizeof dir, &err) == 0) {
		rc = pl_in_userns(try_overlay, dir, &err);
		/* overlayfs left work/work with mode 0: only root of the user
		 * namespace can clear it away. */
		pl_store_remove_tree(dir, NULL);
	}
	if (rc == 0) {
		snprintf(why, len, "the kernel mounts overlayfs in a user namespace (userxattr)");
		pl_error_free(&err);
		return PL_DRIVER_OVERLAY;
	}
	char reason[256];
	snprintf(reason, sizeof reason, "%s%s%s", err && err->what ? err->what : "native overlay unavailable",
		 err && err->errnum ? ": " : "", err && err->errnum ? strerror(err->errnum) : "");
	pl_error_free(&err);
	char prog[4200];
	bool have_fuse = access("/dev/fuse", R_OK | W_OK) == 0 && pl_find_program("fuse-overlayfs", prog, sizeof prog);
	if (have_fuse) {
		snprintf(why, len, "native overlay is not allowed here (%s); fuse-overlayfs and /dev/fuse are usable",
			 reason);
		return PL_DRIVER_FUSE;
	}
	snprintf(why, len, "neither native overlay (%s) nor fuse-overlayfs (installed, with /dev/fuse usable) works: "
			   "full copies",
		 reason);
	return PL_DRIVER_VFS;
}
