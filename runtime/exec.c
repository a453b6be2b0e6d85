/* exec.c - podlab exec: join a running container and run a command.
 *
 * The container's namespaces are files: the links in /proc/PID/ns of its
 * PID 1.  setns() on them moves this process in, in an order that matters: the
 * user namespace first (it owns the others, and joining it grants the
 * capabilities the rest need), the PID namespace last and only for
 * children (a process never changes its own pid), hence the fork.  Then
 * the process is brought to the container's level of privilege the same
 * way PID 1 was: the container's capabilities, no_new_privs, seccomp.
 * Joining the mount namespace also moves root and working directory to
 * the container's root, so what it sees is the container's tree.
 */
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "ctrstore.h"
#include "process.h"
#include "seccomp.h"
#include "state.h"

static int failed(pl_error **err)
{
	pl_error_print(*err, stderr, "podlab");
	pl_error_free(err);
	return 125;
}

/* The container's own privileges, from the command line that made it. */
static int container_limits(const struct pl_ctr *c, uint64_t *caps, bool *seccomp, pl_error **err)
{
	int argc;
	char **argv;
	struct pl_cli made = { 0 };
	pl_spec_init(&made.spec);
	if (pl_ctr_get_args(c, &argc, &argv, err) < 0)
		return -1;
	int rc = pl_cli_parse_run(argc, argv, &made, err);
	if (rc == 0) {
		struct pl_spec *s = &made.spec;
		rc = pl_caps_resolve(s->cap_add, s->n_cap_add, s->cap_drop, s->n_cap_drop, caps, err);
		*seccomp = s->seccomp;
	}
	free(argv);
	return rc;
}

/* In the child: enter, lower privileges, exec.  Never returns. */
static void enter(pid_t pid, uint64_t caps, bool seccomp, const char *workdir, char **env, char **cmd)
{
	pl_error *err = NULL;
	if (pl_join(pid, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID) < 0) {
		fprintf(stderr, "podlab: error: cannot join the container's namespaces (pid %d): %s\n", (int)pid,
			strerror(errno));
		_exit(125);
	}
	pid_t child = fork(); /* into the PID namespace */
	if (child < 0)
		_exit(125);
	if (child > 0) {
		int status;
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		_exit(pl_exit_code(status));
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (chdir(workdir ? workdir : "/") < 0) {
		fprintf(stderr, "podlab: error: cannot use %s as the working directory: %s\n", workdir, strerror(errno));
		_exit(125);
	}
	if (pl_caps_apply(caps, &err) < 0 || (seccomp && pl_seccomp_apply(&err) < 0)) {
		pl_error_print(err, stderr, "podlab");
		_exit(125);
	}
	execvpe(cmd[0], cmd, env);
	int e = errno;
	fprintf(stderr, "podlab: error: cannot run '%s' in the container: %s\n", cmd[0], strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}

int pl_cmd_exec(struct pl_cli *cli)
{
	pl_error *err = NULL;
	char *env[PL_MAX_ENV + 4] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
				      "container=podlab" };
	int n_env = 3, i = 0;
	const char *workdir = NULL;
	for (; i + 1 < cli->n_args && cli->args[i][0] == '-'; i += 2) {
		if (strcmp(cli->args[i], "-e") == 0 && strchr(cli->args[i + 1], '=') && n_env < PL_MAX_ENV)
			env[n_env++] = cli->args[i + 1];
		else if (strcmp(cli->args[i], "-w") == 0 && cli->args[i + 1][0] == '/')
			workdir = cli->args[i + 1];
		else
			break;
	}
	if (i + 1 >= cli->n_args || cli->args[i][0] == '-') {
		pl_fail(&err, EINVAL, "podlab exec: expected [-e NAME=VALUE]... [-w /DIR] CONTAINER COMMAND [ARG...]");
		pl_fix(&err, "for example: podlab exec web sh -c 'ps; cat /etc/hostname'");
		return failed(&err);
	}
	struct pl_storage st;
	struct pl_ctr c;
	struct pl_state s;
	uint64_t caps;
	bool seccomp = true;
	if (pl_storage_open(&st, &err) < 0 || pl_ctr_find(&st, cli->args[i], &c, &err) < 0 ||
	    pl_state_read(c.id, &s, &err) < 0 || container_limits(&c, &caps, &seccomp, &err) < 0)
		return failed(&err);
	if (pl_state_truth(&s) != PL_T_RUNNING || !pl_state_alive(s.pid, s.pid_start)) {
		pl_fail(&err, ESRCH, "container %s is not running", c.name);
		pl_fix(&err, "start it first: podlab start %s", c.name);
		return failed(&err);
	}
	env[n_env] = NULL;
	fflush(NULL);
	pid_t child = fork();
	if (child < 0) {
		pl_fail(&err, errno, "cannot fork");
		return failed(&err);
	}
	if (child == 0)
		enter(s.pid, caps, seccomp, workdir, env, cli->args + i + 1);
	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return pl_exit_code(status);
}
