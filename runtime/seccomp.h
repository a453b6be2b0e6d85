/* seccomp.h - the system calls a container may not make.
 *
 * Capabilities decide what a process may do with a system call;
 * seccomp decides which system calls it may make at all.  The kernel's
 * code behind some calls is rarely needed by containers and has a record
 * of vulnerabilities reachable from an unprivileged user namespace, or
 * acts on things no namespace isolates (the kernel keyring, modules, the
 * clock).  Like podman's default profile, podlab's filter allows
 * everything else and makes these fail with EPERM, as if the capability
 * were missing, which programs already handle.
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
