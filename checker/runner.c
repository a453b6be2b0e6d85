/* runner.c - run, limit, time out, capture, and clean up (see runner.h). */
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CAPTURE_MAX (64 * 1024)
#define ACTIVE_MAX 16

static char scratch_dir[4096];
static unsigned long seq;
static rlim_t nproc_limit = 512;
static pid_t active[ACTIVE_MAX]; /* started and not yet waited for */

double runner_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* How many processes does our uid run right now?  RLIMIT_NPROC counts all
 * of them, so the limit is "what exists + a budget". */
static long count_own_processes(void)
{
	long n = 0;
	DIR *d = opendir("/proc");
	if (d == NULL)
		return 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		char path[300];
		struct stat st;
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s", e->d_name);
		if (stat(path, &st) == 0 && st.st_uid == getuid())
			n++;
	}
	closedir(d);
	return n;
}

int runner_init(const char *scratch)
{
	snprintf(scratch_dir, sizeof scratch_dir, "%s", scratch);
	/* Orphans of anything we run become our children, not init's: that
	 * is how leftovers are found and how nothing escapes the grader. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return -1;
	nproc_limit = (rlim_t)count_own_processes() + 256;
	return 0;
}

static bool keep_leftovers;

void runner_keep_leftovers(bool on)
{
	keep_leftovers = on;
}

static void track(pid_t pid, bool on)
{
	for (int i = 0; i < ACTIVE_MAX; i++) {
		if (on && active[i] == 0) {
			active[i] = pid;
			return;
		}
		if (!on && active[i] == pid) {
			active[i] = 0;
			return;
		}
	}
}

static bool is_active(pid_t pid)
{
	for (int i = 0; i < ACTIVE_MAX; i++)
		if (active[i] == pid)
			return true;
	return false;
}

static void limit(int resource, rlim_t value)
{
	struct rlimit r = { value, value };
	struct rlimit cur;
	/* Never raise a limit above what we have ourselves. */
	if (getrlimit(resource, &cur) == 0 && cur.rlim_max != RLIM_INFINITY && value > cur.rlim_max)
		r.rlim_cur = r.rlim_max = cur.rlim_max;
	setrlimit(resource, &r);
}

int runner_start(struct proc *p, char *const argv[], char *const env[])
{
	memset(p, 0, sizeof *p);
	seq++;
	snprintf(p->out_path, sizeof p->out_path, "%s/run-%lu.out", scratch_dir, seq);
	snprintf(p->err_path, sizeof p->err_path, "%s/run-%lu.err", scratch_dir, seq);
	int out = open(p->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int err = open(p->err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0 || err < 0)
		return -1;
	p->start = runner_now();
	pid_t pid = fork();
	if (pid < 0) {
		close(out);
		close(err);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		int null = open("/dev/null", O_RDONLY);
		dup2(null, STDIN_FILENO);
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		limit(RLIMIT_NPROC, nproc_limit);
		limit(RLIMIT_CPU, 120);
		limit(RLIMIT_FSIZE, 64 << 20);
		limit(RLIMIT_CORE, 0);
		limit(RLIMIT_NOFILE, 4096);
		for (char *const *e = env; e && *e; e++)
			putenv(*e);
		/* The signals the checker blocks must not stay blocked. */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "podlab-check: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out);
	close(err);
	setpgid(pid, pid); /* both sides, so it holds whichever runs first */
	p->pid = pid;
	track(pid, true);
	return 0;
}

static char *slurp(const char *path)
{
	char *buf = calloc(1, CAPTURE_MAX + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		size_t len = 0;
		ssize_t n;
		while (len < CAPTURE_MAX && (n = read(fd, buf + len, CAPTURE_MAX - len)) > 0)
			len += (size_t)n;
		close(fd);
		/* Output is text for the report: NULs would cut it short. */
		for (size_t i = 0; i < len; i++)
			if (buf[i] == '\0')
				buf[i] = '?';
	}
	unlink(path);
	return buf;
}

/* Parent pid and state letter of a process, from /proc/PID/stat. */
static pid_t parent_of(pid_t pid, char *state)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name is in parentheses and may itself hold ") ". */
	char *close_paren = strrchr(buf, ')');
	int ppid = -1;
	if (close_paren == NULL || sscanf(close_paren + 2, "%c %d", state, &ppid) != 2)
		return -1;
	return (pid_t)ppid;
}

static void comm_of(pid_t pid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	FILE *f = fopen(path, "re");
	snprintf(buf, len, "?");
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

int runner_kill_leftovers(char *desc, size_t len)
{
	pid_t seen[256];
	int total = 0;
	if (desc && len)
		desc[0] = '\0';
	/* Killing one process re-parents its children to us, so repeat until
	 * a pass finds nothing left to kill or to reap. */
	for (int pass = 0; pass < 100; pass++) {
		int pending = 0;
		DIR *d = opendir("/proc");
		for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			pid_t pid = (pid_t)atoi(e->d_name);
			char state = '?';
			if (parent_of(pid, &state) != getpid() || is_active(pid))
				continue;
			bool known = false;
			for (int i = 0; i < total && i < 256; i++)
				known |= seen[i] == pid;
			/* A zombie already ended by itself: reap it, do not blame. */
			if (!known && state != 'Z') {
				char comm[64];
				comm_of(pid, comm, sizeof comm);
				if (desc && strlen(desc) + 80 < len)
					snprintf(desc + strlen(desc), len - strlen(desc), "%s%s (pid %d)", total ? ", " : "",
						 comm, (int)pid);
				if (total < 256)
					seen[total] = pid;
				total++;
			}
			kill(pid, SIGKILL);
			if (waitpid(pid, NULL, WNOHANG) != pid)
				pending++;
		}
		if (d)
			closedir(d);
		if (pending == 0)
			break;
		usleep(10000);
	}
	return total;
}

void runner_wait(struct proc *p, int timeout_ms, struct run_result *r)
{
	memset(r, 0, sizeof *r);
	r->started = p->pid > 0;
	int status = 0;
	double deadline = p->start + timeout_ms / 1000.0;
	while (p->pid > 0) {
		pid_t w = waitpid(p->pid, &status, WNOHANG);
		if (w == p->pid)
			break;
		if (w < 0 && errno != EINTR) {
			status = 0;
			break;
		}
		if (runner_now() > deadline) {
			r->timed_out = true;
			kill(-p->pid, SIGKILL);
			kill(p->pid, SIGKILL);
			while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		usleep(2000);
	}
	track(p->pid, false);
	r->seconds = runner_now() - p->start;
	if (WIFEXITED(status)) {
		r->exited = true;
		r->code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		r->signal = WTERMSIG(status);
		r->code = 128 + r->signal;
	}
	/* Whatever it left running is re-parented to us: count it (and say
	 * what it was) before killing it, and only then sweep its process
	 * group, or helpers sharing the group would vanish unreported.
	 * (Unless the check expects survivors: `podlab run -d`.) */
	if (!keep_leftovers)
		r->leftovers = runner_kill_leftovers(r->leftover_desc, sizeof r->leftover_desc);
	kill(-p->pid, SIGKILL);
	r->out = slurp(p->out_path);
	r->err = slurp(p->err_path);
}

void runner_run(char *const argv[], char *const env[], int timeout_ms, struct run_result *r)
{
	struct proc p;
	if (runner_start(&p, argv, env) < 0) {
		memset(r, 0, sizeof *r);
		r->out = strdup("");
		if (asprintf(&r->err, "podlab-check: cannot start %s: %s", argv[0], strerror(errno)) < 0)
			r->err = NULL;
		return;
	}
	runner_wait(&p, timeout_ms, r);
}

void run_result_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void runner_excerpt(const char *text, char *buf, size_t len)
{
	buf[0] = '\0';
	if (text == NULL)
		return;
	/* Count lines, then keep the first 12 and the last 8. */
	int lines = 0;
	for (const char *p = text; *p; p++)
		lines += (*p == '\n');
	if (*text && text[strlen(text) - 1] != '\n')
		lines++;
	int line = 0;
	const char *p = text;
	while (*p && strlen(buf) + 8 < len) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (line < 12 || line >= lines - 8) {
			int w = n > 160 ? 160 : (int)n;
			snprintf(buf + strlen(buf), len - strlen(buf), "%.*s%s\n", w, p, n > 160 ? " [...]" : "");
		} else if (line == 12) {
			snprintf(buf + strlen(buf), len - strlen(buf), "[... %d lines cut ...]\n", lines - 20);
		}
		line++;
		p = nl ? nl + 1 : p + n;
	}
}
