/* process.c - clone, wait, forward signals (see process.h). */
#include "process.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace.h"

/* The signals a user may send podlab to reach the container. */
static const int forwarded_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

/* SIGCHLD (to notice the exit) and every forwarded signal. */
static void signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof forwarded_signals / sizeof *forwarded_signals; i++)
		sigaddset(set, forwarded_signals[i]);
}

int pl_signals_block(sigset_t *old, pl_error **err)
{
	sigset_t set;
	signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return pl_fail(err, errno, "cannot block signals");
	return 0;
}

bool pl_stop_requested;

pid_t pl_fork_helper(int deathsig, pl_error **err)
{
	pid_t parent = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return pl_fail(err, errno, "cannot start a helper process");
	if (pid > 0)
		return pid;
	if (deathsig) {
		prctl(PR_SET_PDEATHSIG, deathsig);
		/* podlab may have died before prctl(): then we are already an
		 * orphan and no signal will come. */
		if (getppid() != parent)
			_exit(1);
	}
	/* A process group of its own: Ctrl-C at the terminal (or `timeout`)
	 * signals the whole foreground group, and a helper that died of it
	 * would be "restarted" while podlab winds the container down.  podlab
	 * itself decides when its helpers stop. */
	setpgid(0, 0);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	return 0;
}

pid_t pl_clone(unsigned long ns_flags, pl_error **err)
{
	/* The raw system call, not glibc's clone(): with a NULL stack it
	 * behaves like fork() (the child continues on a copy of our stack),
	 * which keeps the code straight-line.  SIGCHLD makes the child's exit
	 * reported to us like a forked child's. */
	long pid = syscall(SYS_clone, ns_flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0) {
		int e = errno;
		pl_fail(err, e, "cannot create the container's namespaces (clone)");
		if (e == EPERM || e == EACCES)
			return pl_fix(err, "unprivileged user namespaces are blocked on this machine; 'podlab doctor' "
					   "says by what (a sysctl, AppArmor, or a container's seccomp profile) and how "
					   "to allow them");
		if (e == ENOSPC)
			return pl_fix(err, "the limit of user namespaces is reached: check 'sysctl "
					   "user.max_user_namespaces' (podlab doctor shows it)");
		return -1;
	}
	return (pid_t)pid;
}

int pl_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

int pl_wait_forwarding(pid_t child, void (*other)(pid_t pid, int status, void *arg),
		       void (*deliver)(pid_t child, int sig, void *arg), void *arg)
{
	sigset_t set;
	signal_set(&set);
	for (;;) {
		/* Reap first: the child may have exited before we got here, and
		 * its SIGCHLD is then already consumed or merged. */
		int status;
		pid_t r;
		while ((r = waitpid(-1, &status, WNOHANG)) > 0 && r != child)
			if (other)
				other(r, status, arg);
		if (r == child)
			return pl_exit_code(status);
		if (r < 0 && errno != EINTR)
			return 255;
		siginfo_t info;
		int sig = sigwaitinfo(&set, &info);
		if (sig < 0 || sig == SIGCHLD)
			continue;
		/* A signal from the keyboard (si_code SI_KERNEL) already went to
		 * the whole foreground process group, container included: passing
		 * it on would deliver it twice.  Forward only what a process sent
		 * to podlab itself with kill(). */
		if (info.si_code == SI_KERNEL)
			continue;
		pl_trace("forwarding signal %d to the container (host pid %d)", sig, (int)child);
		if (sig == SIGTERM || sig == SIGINT)
			pl_stop_requested = true;
		if (deliver)
			deliver(child, sig, arg);
		else
			kill(child, sig);
	}
}

bool pl_find_program(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char dirs[4096];
	snprintf(dirs, sizeof dirs, "%s:/usr/bin:/bin:/usr/sbin:/sbin", path ? path : "");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", d, name);
		if (access(out, X_OK) == 0)
			return true;
	}
	return false;
}

int pl_join(pid_t pid, int types)
{
	static const struct {
		int type;
		const char *name;
	} order[] = { { CLONE_NEWUSER, "user" }, { CLONE_NEWNS, "mnt" }, { CLONE_NEWNET, "net" },
		      { CLONE_NEWUTS, "uts" },   { CLONE_NEWIPC, "ipc" }, { CLONE_NEWPID, "pid" } };
	enum { N = sizeof order / sizeof *order };
	int fds[N] = { -1, -1, -1, -1, -1, -1 }, rc = 0;
	/* Open them all first: after the user namespace is joined, another
	 * process's /proc entries may no longer be ours to open.  One we are
	 * in already (a container on the host's network) is left alone:
	 * joining it again would need privilege over the host's. */
	for (int i = 0; i < N && rc == 0; i++) {
		if (!(types & order[i].type))
			continue;
		char path[64], mine[64];
		struct stat theirs, ours;
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, order[i].name);
		snprintf(mine, sizeof mine, "/proc/self/ns/%s", order[i].name);
		if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			rc = -1;
		} else if (fstat(fds[i], &theirs) == 0 && stat(mine, &ours) == 0 && theirs.st_ino == ours.st_ino &&
			   theirs.st_dev == ours.st_dev) {
			close(fds[i]);
			fds[i] = -1;
		}
	}
	for (int i = 0; i < N && rc == 0; i++)
		if (fds[i] >= 0 && setns(fds[i], order[i].type) < 0)
			rc = -1;
	for (int i = 0; i < N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}
