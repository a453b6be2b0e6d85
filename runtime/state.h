/* state.h - what a container is doing now, kept by its supervisor.
 *
 * podlab has no daemon to ask.  Each running container has a supervisor
 * (the podlab process that started it, or, with -d, the one it left
 * behind: conmon's role in podman) which writes the container's state to
 *
 *     $XDG_RUNTIME_DIR/podlab/containers/ID/state.json
 *
 * ($XDG_RUNTIME_DIR is per login session and gone at reboot, like the
 * processes it describes; without it, /tmp/podlab-run-UID, made 0700 and
 * checked to be yours.)  A record can lie: a supervisor killed with -9
 * writes nothing.  So a reader never trusts "running" alone: it checks
 * that the supervisor's pid is alive *and* is still the same process
 * (same start time), and says "supervisor lost" otherwise.
 */
#ifndef PODLAB_STATE_H
#define PODLAB_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "errors.h"

enum pl_status { PL_CREATED, PL_RUNNING, PL_EXITED };

struct pl_state {
	enum pl_status status;
	pid_t supervisor;              /* host pid of the supervising podlab */
	unsigned long long sup_start;  /* its start time (/proc/PID/stat field 22) */
	pid_t pid;                     /* host pid of the container's PID 1 */
	unsigned long long pid_start;
	int exit_code;                 /* PL_EXITED: code, or 128 + signal */
	long long started_at, finished_at; /* Unix seconds; 0: not yet */
};

/* The directory for state: $XDG_RUNTIME_DIR/podlab or the fallback. */
int pl_state_root(char *out, size_t len, pl_error **err);

/* Read (a missing file: PL_CREATED, all zero) and write (atomically:
 * a temporary file renamed over the old one, so a reader never sees half). */
int pl_state_read(const char *id, struct pl_state *s, pl_error **err);
int pl_state_write(const char *id, const struct pl_state *s, pl_error **err);
void pl_state_remove(const char *id);

/* The start time of a process, or 0 if it does not exist. */
unsigned long long pl_proc_start(pid_t pid);

/* Is the recorded process still that process? */
bool pl_state_alive(pid_t pid, unsigned long long start);

/* The truth, for ps and inspect: "running" only if the supervisor is
 * alive; a record that says running with a dead supervisor is "lost". */
enum pl_truth { PL_T_CREATED, PL_T_RUNNING, PL_T_EXITED, PL_T_LOST };
enum pl_truth pl_state_truth(const struct pl_state *s);

/* "Up 5 seconds", "Exited (0) 2 minutes ago", "Created",
 * "Exited (supervisor lost)": podman's STATUS column. */
void pl_state_describe(const struct pl_state *s, long long now, char *out, size_t len);

/* "5 seconds", "2 minutes", "3 hours", "4 days". */
void pl_human_duration(long long seconds, char *out, size_t len);

#endif
