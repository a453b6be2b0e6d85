/* seccomp.h - the system calls a container may not make.
 *
 * Capabilities decide what a process may do with a system call;
 * seccomp decides which system calls it may make at all.  The kernel's
 * code behind some calls is rarely needed by containers and has a record
 * of vulnerabilities reachable from an unprivileged user namespace, or
 * acts on things no namespace isolates (the kernel keyring, modules, the
 * clock).  podman's default profile is an allow-list (some 350 calls
 * allowed, everything else refused); podlab's is the shorter, readable
 * inverse: everything is allowed except this list, which fails with
 * EPERM, as if a capability were missing -- something programs handle.
 * The two lists are not the same: podman's lets mount, keyctl, unshare or
 * clone3 through (capabilities and the kernel decide) and refuses others
 * podlab allows; and a system call newer than the list is refused by an
 * allow-list but allowed by a deny-list like this one.
 */
#ifndef PODLAB_SECCOMP_H
#define PODLAB_SECCOMP_H

#include "errors.h"

struct pl_denied_syscall {
	const char *name;
	const char *why;
};

/* The calls denied outright, with the reason for each, NULL-ended. */
extern const struct pl_denied_syscall pl_denied_syscalls[];

/* Container side, just before execve(): load the filter. */
int pl_seccomp_apply(pl_error **err);

#endif
