/* runner.h - running untrusted programs under a leash.
 *
 * Everything the checker runs from a student's build goes through here.
 * Student code can hang, fork without end, fill the disk with output or
 * leave daemons behind; the grade must not change because of it.  So each
 * command runs:
 *   - in its own process group, killed as a whole at its deadline;
 *   - with resource limits (processes, CPU seconds, file size, no core);
 *   - with stdout and stderr captured to files, of which only the first
 *     64 KiB are read back;
 *   - under the checker as "child subreaper": whatever it leaves running
 *     is re-parented to the checker, which finds it, reports it, kills it.
 */
#ifndef PODLAB_CHECK_RUNNER_H
#define PODLAB_CHECK_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct run_result {
	bool started;     /* false: could not even fork/exec */
	bool exited;      /* exited normally, with `code` */
	int code;         /* exit code, or 128+signal when killed */
	int signal;       /* the signal that killed it, or 0 */
	bool timed_out;   /* killed at the deadline */
	double seconds;   /* wall time */
	char *out, *err;  /* captured output, NUL-terminated, at most 64 KiB */
	int leftovers;    /* processes still running after it ended */
	char leftover_desc[512];
};

struct proc {
	pid_t pid;
	char out_path[4200], err_path[4200];
	double start;
};

/* Set once at start-up: become subreaper, note the scratch directory for
 * output files, and compute the process limit. */
int runner_init(const char *scratch);

/* Start argv; the environment is the checker's own plus `env` (NULL-ended
 * "K=V" list, may be NULL). */
int runner_start(struct proc *p, char *const argv[], char *const env[]);

/* Wait until the process ends or `timeout_ms` passes (then kill it).
 * Fills r, including leftovers, and reaps everything. */
void runner_wait(struct proc *p, int timeout_ms, struct run_result *r);

/* Both at once. */
void runner_run(char *const argv[], char *const env[], int timeout_ms, struct run_result *r);

/* Kill and reap every descendant still around (re-parented orphans);
 * returns how many there were, described in desc. */
int runner_kill_leftovers(char *desc, size_t len);

/* For checks of detached containers: what a command leaves running (a
 * supervisor) is expected and must survive it.  While on, runner_wait()
 * neither counts nor kills it; the check turns it off and calls
 * runner_kill_leftovers() itself when it is done. */
void runner_keep_leftovers(bool on);

void run_result_free(struct run_result *r);

/* A readable excerpt of captured output: the first and last lines, each
 * line cut to a sane width. */
void runner_excerpt(const char *text, char *buf, size_t len);

double runner_now(void);

#endif
