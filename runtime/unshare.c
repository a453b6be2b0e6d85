/* unshare.c - pl_in_userns (see unshare.h). */
#include "unshare.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"
#include "sync.h"
#include "userns.h"

/* The common part: run fn in the namespace; the child's exit status, in
 * shell form, goes to *code when the caller wants it. */
static int in_userns(int (*fn)(void *arg, pl_error **err), void *arg, int *code, pl_error **err)
{
	struct pl_idplan ids;
	if (pl_userns_plan(&ids, "/etc/subuid", "/etc/subgid", err) < 0)
		return -1;
	struct pl_sync sync;
	if (pl_sync_init(&sync, err) < 0)
		return -1;
	/* Empty the stdio buffers now: the child would otherwise write out
	 * its copy of them a second time when it flushes its own output. */
	fflush(NULL);
	pid_t pid = pl_clone(CLONE_NEWUSER | CLONE_NEWNS, err);
	if (pid < 0) {
		pl_sync_close(&sync);
		return -1;
	}
	if (pid == 0) {
		pl_error *child_err = NULL;
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pl_sync_container_side(&sync);
		if (pl_sync_wait_go(&sync, &child_err) < 0 || pl_userns_become_root(&child_err) < 0 ||
		    fn(arg, &child_err) < 0) {
			fflush(NULL);
			pl_sync_fail(&sync, child_err);
			_exit(1);
		}
		/* _exit() skips stdio: whatever fn printed must go out first. */
		fflush(NULL);
		_exit(0);
	}
	pl_sync_host_side(&sync);
	int rc = pl_userns_write_maps(pid, &ids, err);
	pl_sync_go(&sync, rc == 0, NULL);
	/* The report pipe has no exec to close it: EOF comes when the child
	 * exits, with a report first if it failed. */
	pl_error *child_err = NULL;
	if (pl_sync_wait_exec(&sync, &child_err) < 0 && rc == 0) {
		rc = pl_fail(err, child_err->errnum, "%s", child_err->what);
		if (child_err->why)
			pl_why(err, "%s", child_err->why);
		if (child_err->fix)
			pl_fix(err, "%s", child_err->fix);
	}
	pl_error_free(&child_err);
	pl_sync_close(&sync);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (code != NULL) {
		*code = pl_exit_code(status);
		return rc;
	}
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = pl_fail(err, 0, "the helper in the user namespace ended with status %d", pl_exit_code(status));
	return rc;
}

int pl_in_userns(int (*fn)(void *arg, pl_error **err), void *arg, pl_error **err)
{
	return in_userns(fn, arg, NULL, err);
}

static int exec_command(void *arg, pl_error **err)
{
	char **argv = arg;
	fflush(NULL);
	execvp(argv[0], argv);
	pl_fail(err, errno, "cannot run '%s' in the user namespace", argv[0]);
	return -1;
}

int pl_unshare_exec(char **argv, int *code, pl_error **err)
{
	return in_userns(exec_command, argv, code, err);
}
