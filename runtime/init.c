/* init.c - the --init loop at PID 1 (see init.h). */
#include "init.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

int pl_init_fork(const sigset_t *old_mask, int close_fd)
{
	/* Every catchable signal: blocked here, so that sigwaitinfo() takes
	 * them (a blocked signal is queued even for PID 1), and restored in
	 * the command. */
	sigset_t all;
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	sigprocmask(SIG_BLOCK, &all, NULL);
	pid_t child = fork();
	if (child < 0)
		_exit(125);
	if (child == 0) {
		sigprocmask(SIG_SETMASK, old_mask, NULL);
		return 0;
	}
	if (close_fd >= 0)
		close(close_fd);
	int code = 0;
	bool done = false;
	while (!done) {
		siginfo_t info;
		int sig = sigwaitinfo(&all, &info);
		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(child, sig);
			continue;
		}
		/* Reap everything that has ended: the command, and orphans that
		 * were re-parented to us. */
		for (;;) {
			int status;
			pid_t p = waitpid(-1, &status, WNOHANG);
			if (p <= 0)
				break;
			if (p == child) {
				code = pl_exit_code(status);
				done = true;
			}
		}
	}
	/* Our exit ends the namespace: the kernel kills what is left. */
	_exit(code);
}
