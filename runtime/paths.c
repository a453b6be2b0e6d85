/* paths.c - resolving mount targets inside the rootfs (see paths.h). */
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_in_root(int rootfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		/* Resolve as if rootfd were "/"; refuse /proc magic links. */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof how);
}

int pl_path_open_in_root(int rootfd, const char *path, enum pl_mkpath make, pl_error **err)
{
	while (*path == '/')
		path++;
	if (*path == '\0')
		return open_in_root(rootfd, ".", O_PATH);
	int fd = open_in_root(rootfd, path, O_PATH);
	if (fd >= 0 || errno != ENOENT || make == PL_PATH_EXISTING) {
		if (fd < 0)
			return pl_fail(err, errno, "cannot find /%s in the root filesystem", path);
		return fd;
	}
	/* Create what is missing, one component at a time, each looked up
	 * with the same confinement. */
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *slash = buf;; slash++) {
		slash = strchr(slash, '/');
		bool last = slash == NULL;
		if (!last)
			*slash = '\0';
		int parent;
		char *base = strrchr(buf, '/');
		if (base == NULL) {
			parent = dup(rootfd);
			base = buf;
		} else {
			*base = '\0';
			parent = open_in_root(rootfd, buf, O_PATH | O_DIRECTORY);
			*base++ = '/';
		}
		if (parent < 0)
			return pl_fail(err, errno, "cannot find the parent of /%s in the root filesystem", buf);
		int rc;
		if (last && make == PL_PATH_FILE) {
			/* The O_PATH parent cannot be used with openat(O_CREAT): go
			 * through its /proc/self/fd name instead. */
			char pp[64];
			pl_fd_path(parent, pp, sizeof pp);
			char file[4200];
			snprintf(file, sizeof file, "%s/%s", pp, base);
			int f = open(file, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
			rc = f < 0 ? -1 : close(f);
		} else {
			char pp[64];
			pl_fd_path(parent, pp, sizeof pp);
			char dir[4200];
			snprintf(dir, sizeof dir, "%s/%s", pp, base);
			rc = mkdir(dir, 0755);
		}
		int saved = errno;
		close(parent);
		if (rc < 0 && saved != EEXIST) {
			pl_fail(err, saved, "cannot create /%s in the root filesystem", buf);
			return pl_fix(err, "the root filesystem must be writable by you, or already contain it");
		}
		if (last)
			break;
		*slash = '/';
	}
	fd = open_in_root(rootfd, path, O_PATH);
	if (fd < 0)
		return pl_fail(err, errno, "cannot open /%s in the root filesystem", path);
	return fd;
}

void pl_fd_path(int fd, char *buf, unsigned long len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}
