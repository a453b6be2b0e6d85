/* userns.h - giving a new user namespace its id maps.
 *
 * A process that has just been cloned with CLONE_NEWUSER has every
 * capability inside the new namespace, but no ids: until someone writes
 * /proc/PID/uid_map and gid_map it runs as the overflow id 65534.  Who may
 * write which map is the whole security story of rootless containers:
 *
 *  - an unprivileged parent may map exactly one id, its own, and for the
 *    gid map only after writing "deny" to /proc/PID/setgroups (otherwise
 *    the child could drop a supplementary group that was protecting a
 *    file from it: "chmod 0707 file; chgrp banned file");
 *  - anything larger goes through the setuid helpers newuidmap/newgidmap,
 *    which check the request against /etc/subuid and /etc/subgid.
 */
#ifndef PODLAB_USERNS_H
#define PODLAB_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "errors.h"
#include "idmap.h"

/* Everything decided about ids before any process is created. */
struct pl_idplan {
	char user[64]; /* the caller's login name ("" if unknown) */
	uid_t uid;     /* the caller's uid and gid on the host */
	gid_t gid;
	struct pl_idmap uidmap;
	struct pl_idmap gidmap;
	const char *subuid_path; /* where the ranges were looked up */
	const char *subgid_path;
};

/* Decide the maps for the calling user.  Prints a warning, with the fix,
 * when a subordinate range is missing or smaller than 65536 ids. */
int pl_userns_plan(struct pl_idplan *plan, const char *subuid_path, const char *subgid_path, pl_error **err);

/* Host side: write both maps of process `pid`. */
int pl_userns_write_maps(pid_t pid, const struct pl_idplan *plan, pl_error **err);

/* Container side, after the maps exist: make root the real, effective and
 * saved id, and drop the supplementary groups inherited from the host
 * (when setgroups is allowed; with "deny" they simply stay unmapped). */
int pl_userns_become_root(pl_error **err);

#endif
