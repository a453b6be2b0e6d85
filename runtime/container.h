/* container.h - running one container: the plan's steps and their state.
 *
 * pl_container_plan() turns a spec into the list of steps (plan.h);
 * pl_container_run() carries them out.  The host side creates the child
 * in the middle of its list; the child then runs the container side's
 * list and ends in execve().
 */
#ifndef PODLAB_CONTAINER_H
#define PODLAB_CONTAINER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "crun.h"
#include "ctrstore.h"
#include "errors.h"
#include "image.h"
#include "network.h"
#include "plan.h"
#include "spec.h"
#include "state.h"
#include "sync.h"
#include "userns.h"

struct pl_run {
	struct pl_spec *spec; /* the check step resolves volume paths in it */
	const struct pl_plan *plan;
	struct pl_idplan ids;
	struct pl_sync sync;
	sigset_t old_mask; /* the signal mask to restore before execve() */
	pid_t child;       /* host pid of the container's PID 1 */
	int exit_code;     /* shell form: code, or 128 + signal */
	uint64_t caps;     /* the capabilities the command keeps */
	int exec_errno;    /* container side: why execve() failed, if it did */
	bool child_failed; /* host side: the container side reported a failure */
	struct sigaction old_pipe; /* SIGPIPE as it was before the run */
	/* stage 03: a container made from an image */
	struct pl_storage store;
	struct pl_image image;
	struct pl_ctr ctr;
	bool have_ctr;     /* this run created ctr */
	bool started;      /* the command did start */
	pid_t fuse;        /* the fuse-overlayfs daemon, or 0 */
	struct pl_net net; /* stage 04: the network helpers */
	/* stage 05: the container's life after podlab returns */
	bool reused;       /* podlab start: an existing container, run again */
	int notify_fd;     /* -d: the pipe to the podlab waiting for the start */
	struct pl_state state;
	struct pl_crun crun; /* --runtime crun */
	pid_t holder;        /* crun with a network: the namespaces' holder */
	int holder_fd;       /* its pipe: end-of-file means podlab is gone */
	char crun_init[4096]; /* --init with crun: catatonit's host path */
	const char *env[PL_MAX_ENV + PL_MAX_CONFIG + 8]; /* the command's environment */
};

void pl_container_plan(const struct pl_spec *spec, struct pl_plan *plan);

/* Run the container to completion.  Returns 0 and sets *exit_code, or -1
 * with err set when the container could not be started (nothing is left
 * behind in that case: the child is killed and reaped). */
int pl_container_run(struct pl_spec *spec, int *exit_code, pl_error **err);

#endif
