/* lifecycle.c - the commands that act on existing containers.
 *
 * Each reads the record (ctrstore.h) and the state (state.h), believes
 * "running" only when the supervisor process is really there, and acts
 * on processes only after checking they are still the ones recorded
 * (pid and start time): a pid can be reused by an unrelated process.
 */
#include "lifecycle.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "help.h"
#include "process.h"
#include "state.h"

static int failed(pl_error **err)
{
	pl_error_print(*err, stderr, "podlab");
	pl_error_free(err);
	return 125;
}

static struct pl_truth_state {
	struct pl_state s;
	enum pl_truth t;
} look(const struct pl_ctr *c)
{
	struct pl_truth_state r;
	if (pl_state_read(c->id, &r.s, NULL) < 0)
		memset(&r.s, 0, sizeof r.s);
	r.t = pl_state_truth(&r.s);
	return r;
}

bool pl_ctr_running(const struct pl_ctr *c)
{
	return look(c).t == PL_T_RUNNING;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Wait up to `ms` for the supervisor to be gone. */
static bool supervisor_gone(const struct pl_state *s, int ms)
{
	for (int waited = 0; waited <= ms; waited += 20) {
		if (!pl_state_alive(s->supervisor, s->sup_start))
			return true;
		sleep_ms(20);
	}
	return false;
}

int pl_ctr_stop(const struct pl_ctr *c, int timeout, pl_error **err)
{
	struct pl_truth_state now = look(c);
	if (now.t != PL_T_RUNNING)
		return 0;
	/* Through the supervisor, which forwards it: the container's PID 1
	 * may well ignore it (a PID 1 without a handler does), hence the
	 * timeout and SIGKILL, which PID 1 cannot ignore from outside. */
	/* The supervisor hears of the stop even with no time to wait: it
	 * then ends with 0 (a stop that was asked for), not 137. */
	kill(now.s.supervisor, SIGTERM);
	if (timeout > 0 && supervisor_gone(&now.s, timeout * 1000))
		return 0;
	if (pl_state_alive(now.s.pid, now.s.pid_start))
		kill(now.s.pid, SIGKILL);
	if (supervisor_gone(&now.s, 10000))
		return 0;
	pl_fail(err, ETIMEDOUT, "the supervisor of %s (pid %d) did not finish within 10 s of SIGKILL to the container",
		c->name, (int)now.s.supervisor);
	return pl_fix(err, "look at it with 'ps -p %d -o pid,stat,cmd' and 'podlab logs %s'", (int)now.s.supervisor,
		      c->name);
}

/* Options before the names: "-f", "-a", "-t N", "-s SIG". */
static int opt_value(struct pl_cli *cli, int *i, const char *flag)
{
	if (*i < cli->n_args && strcmp(cli->args[*i], flag) == 0 && *i + 1 < cli->n_args) {
		*i += 2;
		return *i - 1;
	}
	return -1;
}

static bool opt_flag(struct pl_cli *cli, int *i, const char *flag, const char *long_flag)
{
	if (*i < cli->n_args && (strcmp(cli->args[*i], flag) == 0 || strcmp(cli->args[*i], long_flag) == 0)) {
		(*i)++;
		return true;
	}
	return false;
}

static int need_names(struct pl_cli *cli, int i, const char *usage, pl_error **err)
{
	if (i < cli->n_args)
		return 0;
	pl_fail(err, EINVAL, "no container given");
	return pl_fix(err, "usage: %s", usage);
}

/* ---- start, config ------------------------------------------------------ */

/* The container's recorded `podlab run`, parsed again into `again`. */
static int reparse(const struct pl_ctr *c, struct pl_cli *again, char ***argv, pl_error **err)
{
	int argc;
	if (pl_ctr_get_args(c, &argc, argv, err) < 0)
		return -1;
	memset(again, 0, sizeof *again);
	pl_spec_init(&again->spec);
	if (pl_cli_parse_run(argc, *argv, again, err) < 0) {
		free(*argv);
		return pl_wrap(err, "the recorded command line of %s", c->name);
	}
	again->spec.start_id = c->id;
	again->spec.create_only = false;
	return 0;
}

int pl_cmd_config(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	struct pl_ctr c;
	struct pl_cli again;
	char **argv;
	if (pl_storage_open(&st, &err) < 0 || pl_ctr_find(&st, cli->args[0], &c, &err) < 0 ||
	    reparse(&c, &again, &argv, &err) < 0)
		return failed(&err);
	again.spec.print_config = true;
	again.spec.detach = false;
	int code = 125;
	if (pl_container_run(&again.spec, &code, &err) < 0)
		failed(&err);
	free(argv);
	return code;
}

static int start_one(const struct pl_storage *st, const char *ref)
{
	pl_error *err = NULL;
	struct pl_ctr c;
	if (pl_ctr_find(st, ref, &c, &err) < 0)
		return failed(&err);
	if (pl_ctr_running(&c)) {
		pl_fail(&err, EBUSY, "container %s is already running", c.name);
		pl_fix(&err, "stop it first (podlab stop %s), or look at it: podlab logs %s", c.name, c.name);
		return failed(&err);
	}
	/* The recorded `podlab run` arguments, parsed again: the container
	 * starts as it was made.  Always in the background, as podman's. */
	struct pl_cli again;
	char **argv;
	if (reparse(&c, &again, &argv, &err) < 0)
		return failed(&err);
	again.spec.detach = true;
	/* The podlab that runs this returns in two processes: the one that
	 * detached exits inside the detach step (0, or the start's error);
	 * the supervisor returns here when the container has ended. */
	int code = 125;
	if (pl_container_run(&again.spec, &code, &err) < 0)
		failed(&err);
	free(argv);
	return pl_stop_requested ? 0 : code;
}

int pl_cmd_start(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	int rc = 0;
	for (int i = 0; i < cli->n_args; i++) {
		/* One process per container: detaching ends the process that
		 * does it, and the others still have to be started. */
		fflush(NULL);
		pid_t pid = fork();
		if (pid == 0)
			_exit(start_one(&st, cli->args[i]));
		int status = 0;
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = 125;
	}
	return rc;
}

/* ---- stop, kill --------------------------------------------------------- */

int pl_cmd_stop(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	int i = 0, timeout = 10, t = opt_value(cli, &i, "-t");
	if (t >= 0) {
		char *end;
		long v = strtol(cli->args[t], &end, 10);
		if (*end || v < 0 || v > 3600) {
			pl_fail(&err, EINVAL, "-t %s: not a number of seconds from 0 to 3600", cli->args[t]);
			pl_fix(&err, "for example: podlab stop -t 2 web");
			return failed(&err);
		}
		timeout = (int)v;
	}
	if (need_names(cli, i, pl_help_usage("stop"), &err) < 0 || pl_storage_open(&st, &err) < 0)
		return failed(&err);
	for (; i < cli->n_args; i++) {
		struct pl_ctr c;
		if (pl_ctr_find(&st, cli->args[i], &c, &err) < 0 || pl_ctr_stop(&c, timeout, &err) < 0)
			return failed(&err);
		printf("%s\n", cli->args[i]);
	}
	return 0;
}

int pl_signal_parse(const char *name)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = { { "HUP", SIGHUP },   { "INT", SIGINT },   { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
		     { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM }, { "CONT", SIGCONT },
		     { "STOP", SIGSTOP }, { "WINCH", SIGWINCH } };
	char *end;
	long n = strtol(name, &end, 10);
	if (*name && *end == '\0')
		return n > 0 && n < NSIG ? (int)n : -1;
	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		if (strcasecmp(name, sigs[i].name) == 0)
			return sigs[i].sig;
	return -1;
}

int pl_cmd_kill(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	int i = 0, sig = SIGKILL, s = opt_value(cli, &i, "-s");
	if (s >= 0 && (sig = pl_signal_parse(cli->args[s])) < 0) {
		pl_fail(&err, EINVAL, "unknown signal '%s'", cli->args[s]);
		pl_fix(&err, "give a name (TERM, KILL, HUP, INT, USR1...) or a number");
		return failed(&err);
	}
	if (need_names(cli, i, pl_help_usage("kill"), &err) < 0 || pl_storage_open(&st, &err) < 0)
		return failed(&err);
	for (; i < cli->n_args; i++) {
		struct pl_ctr c;
		if (pl_ctr_find(&st, cli->args[i], &c, &err) < 0)
			return failed(&err);
		struct pl_truth_state now = look(&c);
		if (now.t != PL_T_RUNNING || !pl_state_alive(now.s.pid, now.s.pid_start)) {
			pl_fail(&err, ESRCH, "container %s is not running", c.name);
			pl_fix(&err, "see 'podlab ps -a'; start it with podlab start %s", c.name);
			return failed(&err);
		}
		/* Straight to PID 1.  The kernel delivers only SIGKILL, SIGSTOP
		 * and the signals PID 1 has a handler for: the rest are dropped,
		 * as they are for any namespace's init. */
		if (kill(now.s.pid, sig) < 0) {
			pl_fail(&err, errno, "cannot signal container %s (pid %d)", c.name, (int)now.s.pid);
			return failed(&err);
		}
		printf("%s\n", cli->args[i]);
	}
	return 0;
}

/* ---- ps ------------------------------------------------------------------ */

struct ps_job {
	bool all;
	long long now;
};

static int ps_row(const struct pl_ctr *c, void *arg)
{
	struct ps_job *job = arg;
	struct pl_truth_state now = look(c);
	if (!job->all && now.t != PL_T_RUNNING)
		return 0;
	char status[96], created[64], ports[256] = "", cmd[23];
	pl_state_describe(&now.s, job->now, status, sizeof status);
	pl_human_duration(job->now - c->created, created, sizeof created);
	strcat(created, " ago");
	for (size_t i = 0, used = 0; i < c->n_ports && used < sizeof ports; i++) {
		char one[96];
		pl_port_format(&c->ports[i], one, sizeof one);
		used += snprintf(ports + used, sizeof ports - used, "%s%s", i ? ", " : "", one);
	}
	snprintf(cmd, sizeof cmd, "%s", c->command);
	if (strlen(c->command) >= sizeof cmd)
		strcpy(cmd + sizeof cmd - 4, "...");
	printf("%-12.12s  %-16.16s  %-22s  %-24s  %-36s  %-20s  %s\n", c->id, c->image, cmd, created, status,
	       ports, c->name);
	return 0;
}

int pl_cmd_ps(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	int i = 0;
	struct ps_job job = { .all = opt_flag(cli, &i, "-a", "--all"), .now = (long long)time(NULL) };
	if (i < cli->n_args) {
		pl_fail(&err, EINVAL, "podlab ps: unknown argument '%s'", cli->args[i]);
		pl_fix(&err, "usage: %s", pl_help_usage("ps"));
		return failed(&err);
	}
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	printf("%-12s  %-16s  %-22s  %-24s  %-36s  %-20s  %s\n", "CONTAINER ID", "IMAGE", "COMMAND", "CREATED",
	       "STATUS", "PORTS", "NAMES");
	return pl_ctr_each(&st, ps_row, &job, &err) < 0 ? failed(&err) : 0;
}

/* ---- logs, wait ---------------------------------------------------------- */

static void copy_out(int fd)
{
	char buf[65536];
	for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
	fflush(stdout);
}

int pl_cmd_logs(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	struct pl_ctr c;
	int i = 0;
	bool follow = opt_flag(cli, &i, "-f", "--follow");
	if (need_names(cli, i, pl_help_usage("logs"), &err) < 0 || pl_storage_open(&st, &err) < 0 ||
	    pl_ctr_find(&st, cli->args[i], &c, &err) < 0)
		return failed(&err);
	char path[4400];
	snprintf(path, sizeof path, "%s/ctr.log", c.dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0; /* never ran in the background: nothing logged */
		pl_fail(&err, errno, "cannot read %s", path);
		return failed(&err);
	}
	copy_out(fd);
	/* Follow while it runs; one last read catches what it wrote while
	 * it was exiting. */
	while (follow && pl_ctr_running(&c)) {
		sleep_ms(100);
		copy_out(fd);
	}
	copy_out(fd);
	close(fd);
	return 0;
}

int pl_cmd_wait(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	for (int i = 0; i < cli->n_args; i++) {
		struct pl_ctr c;
		if (pl_ctr_find(&st, cli->args[i], &c, &err) < 0)
			return failed(&err);
		struct pl_truth_state now;
		while ((now = look(&c)).t == PL_T_RUNNING)
			sleep_ms(100);
		if (now.t == PL_T_EXITED) {
			printf("%d\n", now.s.exit_code);
			continue;
		}
		if (now.t == PL_T_CREATED)
			pl_fail(&err, EINVAL, "container %s has not run", c.name);
		else
			pl_fail(&err, ESRCH, "the supervisor of %s died before it could record an exit code", c.name);
		pl_fix(&err, now.t == PL_T_CREATED ? "start it: podlab start %s" : "see 'podlab logs %s'", c.name);
		return failed(&err);
	}
	return 0;
}

/* ---- inspect ------------------------------------------------------------- */

static json_object *when(long long t)
{
	if (t == 0)
		return json_object_new_string("");
	char buf[64];
	struct tm tm;
	time_t tt = (time_t)t;
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&tt, &tm));
	return json_object_new_string(buf);
}

static json_object *inspect_one(const struct pl_ctr *c)
{
	static const char *const truths[] = { "created", "running", "exited", "exited" };
	struct pl_truth_state now = look(c);
	json_object *o = json_object_new_object(), *state = json_object_new_object(), *ports = json_object_new_array();
	json_object_object_add(o, "Id", json_object_new_string(c->id));
	json_object_object_add(o, "Name", json_object_new_string(c->name));
	json_object_object_add(o, "Image", json_object_new_string(c->image));
	json_object_object_add(o, "Command", json_object_new_string(c->command));
	json_object_object_add(o, "Created", when(c->created));
	json_object_object_add(o, "Driver", json_object_new_string(pl_driver_name(c->driver)));
	json_object_object_add(o, "Rootfs", json_object_new_string(c->rootfs));
	char log[4400];
	snprintf(log, sizeof log, "%s/ctr.log", c->dir);
	json_object_object_add(o, "LogPath", json_object_new_string(log));
	for (size_t i = 0; i < c->n_ports; i++) {
		char one[96];
		pl_port_format(&c->ports[i], one, sizeof one);
		json_object_array_add(ports, json_object_new_string(one));
	}
	json_object_object_add(o, "Ports", ports);
	json_object_object_add(state, "Status", json_object_new_string(truths[now.t]));
	json_object_object_add(state, "Running", json_object_new_boolean(now.t == PL_T_RUNNING));
	json_object_object_add(state, "Pid", json_object_new_int(now.t == PL_T_RUNNING ? now.s.pid : 0));
	json_object_object_add(state, "SupervisorPid", json_object_new_int(now.t == PL_T_RUNNING ? now.s.supervisor : 0));
	json_object_object_add(state, "SupervisorLost", json_object_new_boolean(now.t == PL_T_LOST));
	json_object_object_add(state, "ExitCode", json_object_new_int(now.t == PL_T_EXITED ? now.s.exit_code : 0));
	json_object_object_add(state, "StartedAt", when(now.s.started_at));
	json_object_object_add(state, "FinishedAt", when(now.s.finished_at));
	json_object_object_add(o, "State", state);
	return o;
}

int pl_cmd_inspect(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	json_object *all = json_object_new_array();
	for (int i = 0; i < cli->n_args; i++) {
		struct pl_ctr c;
		if (pl_ctr_find(&st, cli->args[i], &c, &err) < 0) {
			json_object_put(all);
			return failed(&err);
		}
		json_object_array_add(all, inspect_one(&c));
	}
	puts(json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(all);
	return 0;
}
