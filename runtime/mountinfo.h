/* mountinfo.h - reading a mount table, with libmount.
 *
 * /proc/PID/mountinfo is the kernel's description of a mount namespace:
 * one line a mount, with its id, parent, root, target, options and file
 * system.  podlab reads it through libmount (util-linux's parser, the one
 * mount(8) and findmnt(8) use) to find the mounts below a directory, and
 * the checker reads the container's table with it to see what the
 * container can see.
 */
#ifndef PODLAB_MOUNTINFO_H
#define PODLAB_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"

struct pl_mount_entry {
	char target[1024];
	char fstype[64];
	char source[1024];
	char root[1024]; /* the part of the source file system that is mounted */
	bool readonly;
};

struct pl_mountinfo {
	struct pl_mount_entry *m;
	size_t n;
};

/* Parse mountinfo text (as read from /proc/PID/mountinfo). */
int pl_mountinfo_parse(const char *text, struct pl_mountinfo *mi, pl_error **err);

/* Read /proc/self/mountinfo, or another process's. */
int pl_mountinfo_read(const char *path, struct pl_mountinfo *mi, pl_error **err);

/* Is `target` equal to `dir` or below it? */
bool pl_path_below(const char *target, const char *dir);

void pl_mountinfo_free(struct pl_mountinfo *mi);

#endif
