/* crun.c - drive crun through the OCI runtime verbs (see crun.h). */
#include "crun.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "layer.h"
#include "process.h"
#include "state.h"
#include "trace.h"

/* Run `crun --root R --cgroup-manager=disabled --log=... VERB ARGS...`;
 * crun's log (its own words) gives the error message.  Its stdout is
 * out_fd, or ours (-1): the container's, for create. */
static int crun(struct pl_crun *c, const char *const *args, int out_fd, pl_error **err)
{
	char path[4096];
	if (!pl_find_program("crun", path, sizeof path)) {
		pl_fail(err, ENOENT, "--runtime crun needs crun, which is not installed");
		return pl_fix(err, "sudo apt-get install crun, or run without --runtime");
	}
	/* crun's own messages go to a log file of ours (--log), so that its
	 * stdout and stderr can stay the container's: the command inherits
	 * them from crun create. */
	char log[4400], logopt[4500];
	snprintf(log, sizeof log, "%s/crun.log", c->bundle[0] ? c->bundle : c->root);
	snprintf(logopt, sizeof logopt, "--log=file:%s", log);
	unlink(log);
	const char *argv[16] = { "crun", "--root", c->root, "--cgroup-manager=disabled", logopt };
	int n = 5;
	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (pl_trace_on) {
		fprintf(stderr, "podlab[trace]   $");
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n");
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		/* podlab blocks the signals it waits for; crun, and the command
		 * it starts, must not inherit that (a blocked mask survives exec). */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (out_fd >= 0)
			dup2(out_fd, STDOUT_FILENO);
		execv(path, (char **)argv);
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return pl_fail(err, errno, "cannot run crun");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* The last line crun logged is its reason. */
	char words[1024] = "", line[1024];
	FILE *f = fopen(log, "re");
	while (f && fgets(line, sizeof line, f))
		if (line[0] != '\n')
			snprintf(words, sizeof words, "%s", line);
	if (f)
		fclose(f);
	words[strcspn(words, "\n")] = '\0';
	pl_fail(err, 0, "crun %s failed (exit %d)", argv[5], pl_exit_code(status));
	pl_why(err, "%s", words[0] ? words : "crun said nothing");
	if (strstr(words, "hybrid"))
		return pl_fix(err, "crun refuses cgroups in hybrid mode: have root move a controller off cgroup2, e.g. "
				   "mkdir -p /sys/fs/cgroup/hugetlb; mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb");
	return pl_fix(err, "run the same container without --runtime crun to compare; --trace shows crun's command");
}

/* A podlab killed with SIGKILL can neither `crun delete` its container
 * nor remove its bundle.  Each bundle names the podlab that made it (pid
 * and start time, so a pid used again by another program does not count):
 * the next crun run deletes the containers and bundles of podlabs that
 * are gone.  `crun delete --force` also kills what still runs of one. */
static void remove_stale(const struct pl_crun *c, const char *bundles)
{
	DIR *d = opendir(bundles);
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		struct pl_crun old = { 0 };
		char owner[4400];
		long pid = 0;
		unsigned long long start = 0;
		snprintf(owner, sizeof owner, "%s/%s/owner", bundles, e->d_name);
		FILE *f = fopen(owner, "re");
		if (f == NULL)
			continue;
		int got = fscanf(f, "%ld %llu", &pid, &start);
		fclose(f);
		if (got != 2 || pl_state_alive((pid_t)pid, start))
			continue;
		snprintf(old.id, sizeof old.id, "%.79s", e->d_name);
		snprintf(old.root, sizeof old.root, "%s", c->root);
		snprintf(old.bundle, sizeof old.bundle, "%s/%s", bundles, e->d_name);
		old.created = 1;
		pl_trace("crun container %s: its podlab (pid %ld) is gone: delete it", old.id, pid);
		pl_crun_delete(&old);
	}
	if (d)
		closedir(d);
}

int pl_crun_bundle(struct pl_crun *c, const char *id, json_object *config, pl_error **err)
{
	char state[4096];
	if (pl_state_root(state, sizeof state, err) < 0)
		return -1;
	snprintf(c->id, sizeof c->id, "podlab-%.64s", id);
	snprintf(c->root, sizeof c->root, "%s/crun", state);
	snprintf(c->bundle, sizeof c->bundle, "%s/bundles", state);
	mkdir(c->root, 0700);
	mkdir(c->bundle, 0700);
	remove_stale(c, c->bundle);
	size_t n = strlen(c->bundle);
	snprintf(c->bundle + n, sizeof c->bundle - n, "/%s", c->id);
	if (mkdir(c->bundle, 0700) < 0 && errno != EEXIST)
		return pl_fail(err, errno, "cannot create the bundle %s", c->bundle);
	char path[4300];
	snprintf(path, sizeof path, "%s/owner", c->bundle);
	FILE *f = fopen(path, "we");
	if (f == NULL || fprintf(f, "%d %llu\n", (int)getpid(), pl_proc_start(getpid())) < 0 || fclose(f) != 0)
		return pl_fail(err, errno, "cannot write %s", path);
	snprintf(path, sizeof path, "%s/config.json", c->bundle);
	if (json_object_to_file_ext(path, config, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE) < 0)
		return pl_fail(err, errno, "cannot write %s", path);
	pl_trace("OCI bundle %s", c->bundle);
	return 0;
}

int pl_crun_create(struct pl_crun *c, pl_error **err)
{
	/* crun create forks the container and exits; a subreaper adopts
	 * orphans, so the container becomes our child and we can wait for
	 * it like for our own. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	char pidfile[4300];
	snprintf(pidfile, sizeof pidfile, "%s/pid", c->bundle);
	const char *args[] = { "create", "--bundle", c->bundle, "--pid-file", pidfile, c->id, NULL };
	if (crun(c, args, -1, err) < 0)
		return -1;
	c->created = 1;
	FILE *f = fopen(pidfile, "re");
	int pid = 0;
	if (f == NULL || fscanf(f, "%d", &pid) != 1 || pid <= 0) {
		if (f)
			fclose(f);
		return pl_fail(err, EINVAL, "crun create wrote no pid to %s", pidfile);
	}
	fclose(f);
	c->pid = pid;
	pl_trace("crun created the container: host pid %d", pid);
	return 0;
}

int pl_crun_start(struct pl_crun *c, pl_error **err)
{
	const char *args[] = { "start", c->id, NULL };
	return crun(c, args, -1, err);
}

int pl_crun_state(struct pl_crun *c, char *status, size_t len, pid_t *pid, pl_error **err)
{
	/* The state is a JSON document on crun's stdout: through a file, as
	 * a pipe could fill before we read it. */
	char path[4300];
	snprintf(path, sizeof path, "%s/state.json", c->bundle[0] ? c->bundle : c->root);
	cleanup_close int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return pl_fail(err, errno, "cannot create %s", path);
	const char *args[] = { "state", c->id, NULL };
	if (crun(c, args, fd, err) < 0)
		return -1;
	json_object *root = json_object_from_file(path), *v;
	unlink(path);
	if (root == NULL)
		return pl_fail(err, EINVAL, "crun state %s printed no JSON", c->id);
	int rc = 0;
	if (json_object_object_get_ex(root, "status", &v) && json_object_get_string(v)) {
		snprintf(status, len, "%s", json_object_get_string(v));
		*pid = json_object_object_get_ex(root, "pid", &v) ? (pid_t)json_object_get_int(v) : 0;
	} else {
		rc = pl_fail(err, EINVAL, "crun state %s has no \"status\"", c->id);
	}
	json_object_put(root);
	return rc;
}

int pl_crun_kill(struct pl_crun *c, int sig, pl_error **err)
{
	char num[16];
	snprintf(num, sizeof num, "%d", sig);
	const char *args[] = { "kill", c->id, num, NULL };
	return crun(c, args, -1, err);
}

void pl_crun_delete(struct pl_crun *c)
{
	if (c->created) {
		const char *args[] = { "delete", "--force", c->id, NULL };
		pl_error *err = NULL;
		if (crun(c, args, -1, &err) < 0) {
			pl_warn("%s", err->what);
			pl_error_free(&err);
		}
		c->created = 0;
	}
	if (c->bundle[0])
		pl_remove_tree(c->bundle, NULL);
	c->bundle[0] = '\0';
}
