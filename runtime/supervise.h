/* supervise.h - the supervisor: the podlab process that stays with a
 * container while it runs (conmon's role in podman).
 *
 * In the foreground the podlab you started is the supervisor.  With -d
 * (and for podlab start) it forks one and leaves: the supervisor makes a
 * session of its own, so no terminal's hang-up or Ctrl-C reaches it; its
 * stdin is /dev/null and its stdout and stderr go to the container's log
 * (containers/ID/ctr.log), which the container inherits.  It tells the
 * podlab that forked it whether the command started (then that one prints
 * the id and exits 0) or why not (then it prints the error and exits 125).
 * Either way the supervisor writes the state (state.h) as the container
 * starts and ends, reaps it, and runs the network and storage helpers.
 */
#ifndef PODLAB_SUPERVISE_H
#define PODLAB_SUPERVISE_H

#include "container.h"

/* Fork the supervisor.  Returns 0 in the supervisor; the calling podlab
 * never returns (it exits with 0 or 125 once the supervisor reports). */
int pl_supervise_detach(struct pl_run *run, pl_error **err);

/* The command runs: record it, and release a waiting CLI. */
void pl_supervise_started(struct pl_run *run);

/* The command ended with run->exit_code: record it. */
void pl_supervise_exited(struct pl_run *run);

/* The start failed: hand the error and the exit code (125, or 126/127
 * when the command could not run) to a waiting CLI. */
void pl_supervise_failed(struct pl_run *run, const pl_error *err, int exit_code);

#endif
