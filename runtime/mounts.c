/* mounts.c - the container's file system tree (see mounts.h). */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "devices.h"
#include "mountinfo.h"
#include "paths.h"
#include "trace.h"
#include "volumes.h"

int pl_rootfs_check(struct pl_spec *spec, pl_error **err)
{
	if (spec->rootfs != NULL) {
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
		if (realpath(spec->rootfs, spec->rootfs_real) == NULL)
			return pl_fail(err, errno, "cannot resolve the root filesystem path %s", spec->rootfs);
		spec->rootfs = spec->rootfs_real;
	} else if (spec->n_volumes > 0) {
		pl_fail(err, EINVAL, "volumes need a root filesystem to be mounted into");
		return pl_fix(err, "add --rootfs DIR");
	}
	for (size_t i = 0; i < spec->n_volumes; i++)
		if (pl_volume_check(&spec->volumes[i], err) < 0)
			return -1;
	return 0;
}

int pl_mount_at(int rootfd, const char *target, enum pl_mkpath make, const char *source, const char *fstype,
		unsigned long flags, const char *data, pl_error **err)
{
	cleanup_close int fd = pl_path_open_in_root(rootfd, target, make, err);
	if (fd < 0)
		return pl_wrap(err, "mounting %s", target);
	char where[64];
	pl_fd_path(fd, where, sizeof where);
	if (pl_trace_on) {
		/* Say where the target really is, when a symlink in the image
		 * moved it (it stays inside the root: RESOLVE_IN_ROOT). */
		char landed[4096], root[4096];
		char rootlink[64];
		pl_fd_path(rootfd, rootlink, sizeof rootlink);
		ssize_t n = readlink(where, landed, sizeof landed - 1), m = readlink(rootlink, root, sizeof root - 1);
		if (n > 0 && m > 0) {
			landed[n] = root[m] = '\0';
			/* After pivot_root the root is "/" itself: nothing to cut. */
			size_t cut = strcmp(root, "/") == 0 ? 0 : (size_t)m;
			const char *inside = strncmp(landed, root, cut) == 0 ? landed + cut : landed;
			if (strcmp(inside, target) != 0 && !(inside[0] == '\0' && strcmp(target, "/") == 0))
				pl_trace("%s resolves to %s inside the root filesystem", target, inside);
		}
	}
	if (source != NULL)
		pl_trace("bind %s on %s%s", source, target, flags & MS_REC ? " (recursive)" : "");
	else
		pl_trace("mount %s on %s%s%s", fstype, target, data ? " with " : "", data ? data : "");
	if (mount(source ? source : fstype, where, source ? NULL : fstype, source ? (flags | MS_BIND) : flags,
		  data) < 0)
		return pl_fail(err, errno, "cannot mount %s on %s", source ? source : fstype, target);
	return 0;
}

int pl_mount_readonly(int rootfd, const char *target, pl_error **err)
{
	cleanup_close int fd = pl_path_open_in_root(rootfd, target, PL_PATH_EXISTING, err);
	if (fd < 0)
		return -1;
	pl_trace("make %s read-only (recursive)", target);
	/* One call for the whole subtree (Linux 5.12+).  Adding restrictions
	 * is always allowed, even on mounts inherited from the host. */
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) == 0)
		return 0;
	if (errno != ENOSYS)
		return pl_fail(err, errno, "cannot make %s read-only", target);
	/* Older kernels: remount each mount below it, found with libmount.
	 * A remount must keep the flags the host set (nosuid, noexec...): the
	 * kernel refuses to clear a flag of a mount inherited from it. */
	char link[64], path[4096];
	pl_fd_path(fd, link, sizeof link);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n < 0)
		return pl_fail(err, errno, "cannot make %s read-only", target);
	path[n] = '\0';
	struct pl_mountinfo mi;
	if (pl_mountinfo_read("/proc/self/mountinfo", &mi, err) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < mi.n && rc == 0; i++) {
		if (!pl_path_below(mi.m[i].target, path))
			continue;
		struct statvfs sv;
		unsigned long keep = 0;
		if (statvfs(mi.m[i].target, &sv) == 0)
			keep = (sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0) | (sv.f_flag & ST_NOATIME ? MS_NOATIME : 0) |
			       (sv.f_flag & ST_NODIRATIME ? MS_NODIRATIME : 0) | (sv.f_flag & ST_RELATIME ? MS_RELATIME : 0);
		if (mount(NULL, mi.m[i].target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | keep,
			  NULL) < 0)
			rc = pl_fail(err, errno, "cannot make %s read-only", mi.m[i].target);
	}
	pl_mountinfo_free(&mi);
	return rc;
}

/* sysfs belongs to a network namespace: a user namespace may mount one
 * only for a network namespace it owns.  Without one (stage 04 adds it),
 * the host's /sys is bound in and made read-only instead. */
static int mount_sys(int rootfd, pl_error **err)
{
	unsigned long ro = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	pl_error *fresh = NULL;
	if (pl_mount_at(rootfd, "/sys", PL_PATH_DIR, NULL, "sysfs", ro, NULL, &fresh) == 0)
		return 0;
	pl_trace("a new sysfs is not allowed here (%s): binding the host's /sys read-only",
		 fresh->errnum ? strerror(fresh->errnum) : "?");
	pl_error_free(&fresh);
	if (pl_mount_at(rootfd, "/sys", PL_PATH_DIR, "/sys", NULL, MS_REC, NULL, err) < 0)
		return -1;
	return pl_mount_readonly(rootfd, "/sys", err);
}

static int mount_volumes(int rootfd, const struct pl_spec *spec, pl_error **err)
{
	for (size_t i = 0; i < spec->n_volumes; i++) {
		const struct pl_volume *v = &spec->volumes[i];
		struct stat st;
		if (stat(v->host, &st) < 0)
			return pl_fail(err, errno, "volume source %s disappeared", v->host);
		enum pl_mkpath make = S_ISDIR(st.st_mode) ? PL_PATH_DIR : PL_PATH_FILE;
		if (pl_mount_at(rootfd, v->container, make, v->host, NULL, MS_REC, NULL, err) < 0)
			return pl_wrap(err, "volume %s:%s", v->host, v->container);
		if (v->readonly && pl_mount_readonly(rootfd, v->container, err) < 0)
			return -1;
	}
	return 0;
}

/* POSIX shared memory (shm_open, sem_open) is files under /dev/shm, which
 * the IPC namespace does not cover: it isolates only SysV IPC.  So a
 * container with an IPC namespace of its own also gets a /dev/shm of its
 * own (pl_dev_setup mounts it in a new /dev), and the members of a pod,
 * which share the infra's IPC namespace, share the infra's /dev/shm too,
 * as podman's pods do.  The infra runs without a root filesystem, on the
 * host's tree: without a tmpfs of its own there, it would hand its
 * members the host's /dev/shm.
 *
 * The infra's tmpfs is a mount in *its* mount namespace, and mount(2)
 * refuses to bind from another namespace (EINVAL).  open_tree() can
 * clone it, from inside that namespace: step in (we are root of the pod's
 * user namespace, which owns both), clone, step back, and attach the
 * clone with move_mount(). */
static int bind_infra_shm(int rootfd, pid_t infra, pl_error **err)
{
	char ns[64];
	snprintf(ns, sizeof ns, "/proc/%d/ns/mnt", (int)infra);
	cleanup_close int own = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	cleanup_close int theirs = open(ns, O_RDONLY | O_CLOEXEC);
	cleanup_close int target = pl_path_open_in_root(rootfd, "/dev/shm", PL_PATH_DIR, err);
	if (target < 0)
		return -1;
	if (own < 0 || theirs < 0)
		return pl_fail(err, errno, "cannot open the mount namespaces (%s)", ns);
	if (setns(theirs, CLONE_NEWNS) < 0)
		return pl_fail(err, errno, "cannot enter the infra's mount namespace (%s)", ns);
	cleanup_close int tree = open_tree(AT_FDCWD, "/dev/shm", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	int saved = errno;
	if (setns(own, CLONE_NEWNS) < 0) /* our cwd and root are reset: rootfd still holds the tree */
		return pl_fail(err, errno, "cannot return to the container's mount namespace");
	if (tree < 0)
		return pl_fail(err, saved, "cannot clone the infra's /dev/shm");
	pl_trace("attach a clone of the pod's /dev/shm (infra %d) on /dev/shm", (int)infra);
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return pl_fail(err, errno, "cannot attach the pod's /dev/shm");
	return 0;
}

static int mount_shm(int rootfd, const struct pl_spec *spec, pl_error **err)
{
	if (spec->pod_infra > 0) {
		if (bind_infra_shm(rootfd, spec->pod_infra, err) < 0)
			return pl_wrap(err, "sharing the pod's /dev/shm");
		return 0;
	}
	if (spec->rootfs != NULL || !(spec->namespaces & CLONE_NEWIPC))
		return 0;
	pl_trace("mount tmpfs on /dev/shm (the host's tree, a new IPC namespace)");
	return pl_mount_at(rootfd, "/dev/shm", PL_PATH_DIR, NULL, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			   "mode=1777,size=65536k", err);
}

int pl_mounts_prepare(const struct pl_spec *spec, pl_error **err)
{
	/* Step into a mount namespace of our own, a copy of the one clone()
	 * made.  That one stays behind as the *storage* namespace: a
	 * fuse-overlayfs daemon working there must keep the host's view of
	 * the layer directories, and pivot_root (below) moves the root of
	 * every process in the namespace it runs in. */
	if (unshare(CLONE_NEWNS) < 0)
		return pl_fail(err, errno, "cannot create the container's mount namespace");
	/* Our mount namespace starts as a copy of the host's, and its shared
	 * mounts still receive what the host mounts later (in a user
	 * namespace the kernel already demotes them to slaves, so nothing
	 * we do goes back).  Private: no traffic either way. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return pl_fail(err, errno, "cannot make the mounts private");
	unsigned long nosuid = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	if (spec->rootfs == NULL) {
		/* No root filesystem: keep the host's tree, with our own /proc. */
		/* /dev/shm first: the infra is found through the host's /proc. */
		cleanup_close int host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (host < 0)
			return pl_fail(err, errno, "cannot open /");
		if (mount_shm(host, spec, err) < 0)
			return -1;
		pl_trace("mount proc on /proc (host file system view)");
		if (mount("proc", "/proc", "proc", nosuid, NULL) < 0)
			return pl_fail(err, errno, "cannot mount a new /proc for the PID namespace");
		return 0;
	}
	const char *r = spec->rootfs;
	/* pivot_root needs the new root to be a mount point. */
	pl_trace("bind %s onto itself", r);
	if (mount(r, r, NULL, MS_BIND | MS_REC, NULL) < 0)
		return pl_fail(err, errno, "cannot bind-mount the root filesystem %s", r);
	cleanup_close int rootfd = open(r, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return pl_fail(err, errno, "cannot open %s", r);
	if (pl_mount_at(rootfd, "/proc", PL_PATH_DIR, NULL, "proc", nosuid, NULL, err) < 0 ||
	    pl_dev_setup(rootfd, err) < 0 || mount_shm(rootfd, spec, err) < 0 || mount_sys(rootfd, err) < 0 ||
	    pl_mount_at(rootfd, "/tmp", PL_PATH_DIR, NULL, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", err) < 0 ||
	    mount_volumes(rootfd, spec, err) < 0)
		return -1;
	/* The resolver the network mode provides, over the image's own. */
	if (spec->resolv_conf &&
	    pl_mount_at(rootfd, "/etc/resolv.conf", PL_PATH_FILE, spec->resolv_conf, NULL, 0, NULL, err) < 0)
		return -1;
	return 0;
}
