/* seccomp.c - the default filter, built with libseccomp (see seccomp.h). */
#include "seccomp.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ptrace.h>

#include "trace.h"

const struct pl_denied_syscall pl_denied_syscalls[] = {
	{ "keyctl", "the kernel keyring is not namespaced" },
	{ "add_key", "the kernel keyring is not namespaced" },
	{ "request_key", "the kernel keyring is not namespaced" },
	{ "bpf", "eBPF programs run in the kernel" },
	{ "perf_event_open", "performance counters see the whole machine" },
	{ "kexec_load", "replaces the running kernel" },
	{ "kexec_file_load", "replaces the running kernel" },
	{ "init_module", "loads code into the kernel" },
	{ "finit_module", "loads code into the kernel" },
	{ "delete_module", "unloads kernel code" },
	{ "create_module", "obsolete module interface" },
	{ "open_by_handle_at", "opens files by handle, bypassing the mount tree (the 'shocker' escape)" },
	{ "name_to_handle_at", "the other half of open_by_handle_at" },
	{ "userfaultfd", "a favourite tool for winning kernel races" },
	{ "mount", "new mounts: the container's tree is built before it starts" },
	{ "umount2", "unmounting could uncover what masks hide" },
	{ "pivot_root", "the root is set before the container starts" },
	{ "fsopen", "new mount API" },
	{ "fsconfig", "new mount API" },
	{ "fsmount", "new mount API" },
	{ "fspick", "new mount API" },
	{ "open_tree", "new mount API" },
	{ "move_mount", "new mount API" },
	{ "mount_setattr", "could make read-only mounts writable again" },
	{ "setns", "joining other namespaces" },
	{ "swapon", "swap is machine-wide" },
	{ "swapoff", "swap is machine-wide" },
	{ "reboot", "the machine is not the container's" },
	{ "settimeofday", "the clock is not namespaced" },
	{ "clock_settime", "the clock is not namespaced" },
	{ "clock_adjtime", "the clock is not namespaced" },
	{ "adjtimex", "the clock is not namespaced" },
	{ "syslog", "the kernel log is not namespaced" },
	{ "acct", "process accounting is machine-wide" },
	{ "quotactl", "quotas are machine-wide" },
	{ "iopl", "raw I/O port access" },
	{ "ioperm", "raw I/O port access" },
	{ "lookup_dcookie", "kernel profiling" },
	{ "uselib", "obsolete, and a past source of bugs" },
	{ "ustat", "obsolete" },
	{ "sysfs", "obsolete" },
	{ "vhangup", "hangs up the terminal" },
	{ "nfsservctl", "obsolete" },
	{ NULL, NULL },
};

int pl_seccomp_apply(pl_error **err)
{
	pl_trace("load the seccomp filter (deny %d system calls with EPERM)",
		 (int)(sizeof pl_denied_syscalls / sizeof *pl_denied_syscalls) - 1);
	/* LAB 07 BEGIN seccomp-filter: build and load the filter.
	 * Start from "allow everything" (seccomp_init(SCMP_ACT_ALLOW)) and add a
	 * rule SCMP_ACT_ERRNO(EPERM) for each name in pl_denied_syscalls (skip a
	 * name libseccomp cannot resolve on this architecture).  Three calls
	 * need their arguments looked at:
	 *   - ptrace: deny all but PTRACE_TRACEME (A0 != PTRACE_TRACEME);
	 *   - unshare and clone: deny when the flags (A0) contain CLONE_NEWUSER,
	 *     a fresh user namespace would hand back every capability;
	 *   - clone3: its flags are in memory seccomp cannot read, so return
	 *     ENOSYS, and libc falls back to clone, which is filtered.
	 * Then seccomp_load().  Free the context on every path. */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL)
		return pl_fail(err, ENOMEM, "cannot create a seccomp filter");
	int rc = 0;
	for (const struct pl_denied_syscall *d = pl_denied_syscalls; d->name && rc == 0; d++) {
		int nr = seccomp_syscall_resolve_name(d->name);
		if (nr == __NR_SCMP_ERROR)
			continue;
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
				      SCMP_A0(SCMP_CMP_NE, PTRACE_TRACEME));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	/* clone's flags are its first argument, except on s390, where the
	 * first two arguments are swapped. */
#if defined(__s390__) || defined(__s390x__)
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
#else
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
#endif
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0)
		return pl_fail(err, -rc, "cannot install the seccomp filter");
	return 0;
	/* LAB 07 END seccomp-filter: return pl_todo(err, "07", "seccomp-filter"); */
}
