/* Lab 05 starter: supervise.c, generated from runtime/supervise.c by 'make labs'.
 * Fill in every part marked 'LAB 05 TODO', then build and check:
 *     make lab LAB=labs/05-pods && build/podlab-check labs/05-pods
 */
/* supervise.c - a container's supervisor: detach, report, record. */
#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "state.h"
#include "trace.h"

/* The CLI's side: wait for one message, then leave.  "+" is success;
 * "-", the exit code in one byte and a packed error is a failure; end-of-file without a message
 * means the supervisor died without a word.  One read(): the message is
 * written with one write() of less than PIPE_BUF bytes, which a pipe
 * delivers whole -- and waiting for end-of-file instead would wait for
 * the network helpers too, which inherited the pipe's write end. */
/* A container's id and log, or a pod infra's (spec.h). */
static const char *state_id(const struct pl_run *run)
{
	return run->have_ctr ? run->ctr.id : run->spec->state_id;
}

static void cli_waits(struct pl_run *run, int fd)
{
	char buf[PIPE_BUF];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) < 0 && errno == EINTR)
		;
	size_t len = n > 0 ? (size_t)n : 0;
	if (len > 0 && buf[0] == '+') {
		printf("%s\n", state_id(run));
		fflush(stdout);
		_exit(0);
	}
	pl_error *err = NULL;
	int code = 125;
	if (len > 2) {
		code = (unsigned char)buf[1];
		pl_error_unpack(&err, buf + 2, len - 2);
	} else {
		pl_fail(&err, 0, "the supervisor ended before the container started");
		pl_fix(&err, "see what it wrote in %s", run->have_ctr ? run->ctr.dir : run->spec->log_path);
	}
	pl_error_print(err, stderr, "podlab");
	_exit(code);
}

int pl_supervise_detach(struct pl_run *run, pl_error **err)
{
	/* The state must be writable before anything goes into the
	 * background: a supervisor that cannot record would leave a
	 * container nobody can see or stop. */
	char log[4400];
	if (pl_state_root(log, sizeof log, err) < 0)
		return -1;
	if (run->have_ctr)
		snprintf(log, sizeof log, "%s/ctr.log", run->ctr.dir);
	else
		snprintf(log, sizeof log, "%s", run->spec->log_path);
	int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (logfd < 0)
		return pl_fail(err, errno, "cannot open the container's log %s", log);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		close(logfd);
		return pl_fail(err, errno, "cannot make a pipe to the supervisor");
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(logfd);
		close(p[0]);
		close(p[1]);
		return pl_fail(err, errno, "cannot start the container's supervisor");
	}
	if (pid > 0) {
		close(logfd);
		close(p[1]);
		cli_waits(run, p[0]); /* does not return */
	}
	close(p[0]);
	setsid();
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(logfd, STDOUT_FILENO);
	dup2(logfd, STDERR_FILENO);
	if (null >= 0)
		close(null);
	close(logfd);
	run->notify_fd = p[1];
	pl_trace("supervisor is pid %d; the container's output goes to %s", (int)getpid(), log);
	return 0;
}

static void record(struct pl_run *run)
{
	pl_error *err = NULL;
	if (state_id(run) == NULL)
		return;
	if (pl_state_write(state_id(run), &run->state, &err) < 0) {
		pl_warn("%s", err->what);
		pl_error_free(&err);
	}
}

/* The supervisor's pid, for systemd (Type=forking reads PIDFile= once
 * the start command has exited): in the state directory always, and
 * where --pidfile asks.  Written before the waiting podlab is released,
 * so it is there when that podlab exits. */
static void write_pidfiles(struct pl_run *run)
{
	char path[4400] = "";
	const char *paths[2] = { run->spec->pidfile, NULL };
	if (state_id(run) != NULL && pl_state_root(path, sizeof path, NULL) == 0) {
		size_t n = strlen(path);
		snprintf(path + n, sizeof path - n, "/containers/%s/supervisor.pid", state_id(run));
		paths[1] = path;
	}
	for (int i = 0; i < 2; i++) {
		FILE *f = paths[i] ? fopen(paths[i], "we") : NULL;
		if (f == NULL) {
			if (paths[i] && i == 0)
				pl_warn("cannot write the pid file %s: %s", paths[i], strerror(errno));
			continue;
		}
		fprintf(f, "%d\n", (int)getpid());
		fclose(f);
	}
}

void pl_supervise_started(struct pl_run *run)
{
	{
		run->state = (struct pl_state){
			.status = PL_RUNNING,
			.supervisor = getpid(),
			.sup_start = pl_proc_start(getpid()),
			.pid = run->child,
			.pid_start = pl_proc_start(run->child),
			.started_at = (long long)time(NULL),
		};
		record(run);
	}
	write_pidfiles(run);
	if (run->notify_fd >= 0) {
		if (write(run->notify_fd, "+", 1) < 0)
			pl_trace("the podlab that started us is gone: %s", strerror(errno));
		close(run->notify_fd);
		run->notify_fd = -1;
	}
}

void pl_supervise_exited(struct pl_run *run)
{
	/* LAB 05 TODO exit-record: record how the container ended.
	 * run->state holds what pl_supervise_started() wrote; set its status
	 * to PL_EXITED, its exit_code to run->exit_code (already in shell form:
	 * 128+N for signal N) and finished_at to the time now, then record()
	 * it.  Without this, the state keeps saying "running" after the
	 * supervisor is gone, and ps can only say "supervisor lost". */
	(void)run;
}

void pl_supervise_failed(struct pl_run *run, const pl_error *err, int exit_code)
{
	if (run->notify_fd < 0)
		return;
	char buf[PIPE_BUF];
	buf[0] = '-';
	buf[1] = (char)exit_code;
	size_t n = pl_error_pack(err, buf + 2, sizeof buf - 2);
	if (write(run->notify_fd, buf, n + 2) < 0)
		pl_trace("the podlab that started us is gone: %s", strerror(errno));
	close(run->notify_fd);
	run->notify_fd = -1;
}
