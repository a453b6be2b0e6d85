/* Lab 02 starter: masks.c, generated from runtime/masks.c by 'make labs'.
 * Fill in every part marked 'LAB 02 TODO', then build and check:
 *     make lab LAB=labs/02-mounts && build/podlab-check labs/02-mounts
 */
/* masks.c - masked and read-only paths (see masks.h). */
#include "masks.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"
#include "trace.h"

/* The defaults of podman and the OCI runtime spec's examples. */
const char *const pl_masked_paths[] = {
	"/proc/acpi",       "/proc/asound",    "/proc/kcore",       "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi",       "/sys/firmware",   NULL,
};

const char *const pl_readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

static int in_list(const char *const *list, const char *path)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, path) == 0)
			return 1;
	return 0;
}

int pl_is_masked(const char *path)
{
	return in_list(pl_masked_paths, path);
}

int pl_is_readonly(const char *path)
{
	return in_list(pl_readonly_paths, path);
}

static int mask_one(int rootfd, const char *path, pl_error **err)
{
	/* LAB 02 TODO masked-paths: hide one path.
	 * A path this kernel does not have needs no mask (lstat fails with
	 * ENOENT: skip it).  Over a directory mount an empty tmpfs, read-only
	 * (MS_RDONLY: nothing can be put in it; its size=0 would otherwise
	 * mean "no limit" for tmpfs); over anything else bind-mount /dev/null,
	 * so reading it gives nothing.  pl_mount_at() does the mounting. */
	return pl_todo(err, "02", "masked-paths");
}

int pl_masks_apply(pl_error **err)
{
	cleanup_close int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return pl_fail(err, errno, "cannot open /");
	for (const char *const *p = pl_masked_paths; *p != NULL; p++)
		if (mask_one(rootfd, *p, err) < 0)
			return pl_wrap(err, "masking %s", *p);
	for (const char *const *p = pl_readonly_paths; *p != NULL; p++) {
		if (access(*p, F_OK) < 0)
			continue;
		if (pl_mount_at(rootfd, *p, PL_PATH_EXISTING, *p, NULL, MS_REC, NULL, err) < 0 ||
		    pl_mount_readonly(rootfd, *p, err) < 0)
			return pl_wrap(err, "making %s read-only", *p);
	}
	return 0;
}
