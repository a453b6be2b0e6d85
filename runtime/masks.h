/* masks.h - hiding what a container must not read, freezing what it must
 * not write.
 *
 * A new /proc shows the container's processes, but many of its files
 * describe the whole machine: the kernel's memory (/proc/kcore), its keys,
 * timers and scheduler, the SCSI bus, ACPI.  The OCI runtimes hide these
 * by default: a masked file has /dev/null mounted over it, a masked
 * directory an empty read-only tmpfs.  Other files must stay readable but
 * must not be written by container root (sysctls in /proc/sys, the
 * sysrq trigger): they are bind-mounted onto themselves read-only.
 */
#ifndef PODLAB_MASKS_H
#define PODLAB_MASKS_H

#include "errors.h"

extern const char *const pl_masked_paths[];   /* NULL-terminated */
extern const char *const pl_readonly_paths[]; /* NULL-terminated */

/* Is `path` one of the masked (or read-only) paths? */
int pl_is_masked(const char *path);
int pl_is_readonly(const char *path);

/* Container side, after pivot_root: apply both lists. */
int pl_masks_apply(pl_error **err);

#endif
