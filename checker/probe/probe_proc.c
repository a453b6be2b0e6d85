/* probe_proc.c - processes and signals: ps, pid, signal receipt, orphans. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

static int cmd_mypid(int argc, char **argv)
{
	(void)argc, (void)argv;
	out("pid", "%d", (int)getpid());
	out("ppid", "%d", (int)getppid());
	return 0;
}

/* The processes this /proc shows: "pid:comm" separated by commas. */
static int cmd_ps(int argc, char **argv)
{
	(void)argc, (void)argv;
	DIR *d = opendir("/proc");
	if (d == NULL) {
		out("ps", "errno=%d", errno);
		return 1;
	}
	char list[8192] = "";
	int count = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char path[300], comm[64] = "?";
		snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
		FILE *f = fopen(path, "re");
		if (f) {
			if (fgets(comm, sizeof comm, f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s:%s", count ? "," : "", e->d_name, comm);
		count++;
	}
	closedir(d);
	out("ps", "%s", list);
	out("count", "%d", count);
	return 0;
}

static volatile sig_atomic_t got;
static void on_signal(int sig)
{
	got = sig;
}

/* Wait up to SECONDS for SIGTERM/SIGINT/SIGHUP.  On receipt, write the
 * signal number to FILE (so the checker can see it even if our output is
 * lost) and exit 128+signal as a shell would. */
static int cmd_wait_signal(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int seconds = atoi(argv[1]);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	out("ready", "%d", (int)getpid());
	for (int i = 0; i < seconds * 100 && !got; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (!got) {
		out("signal", "none");
		return 1;
	}
	FILE *f = fopen(argv[2], "we");
	if (f) {
		fprintf(f, "%d\n", (int)got);
		fclose(f);
	}
	out("signal", "%d", (int)got);
	printf("@@podlab-probe exiting %d\n", 128 + (int)got);
	_exit(128 + got);
}

/* Sleep, after announcing ourselves in FILE (if given). */
static int cmd_sleep(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 1;
	if (argc > 2) {
		FILE *f = fopen(argv[2], "we");
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
	out("sleeping", "%d", seconds);
	sleep((unsigned)seconds);
	return 0;
}

/* Leave a child behind that sleeps in its own session, then exit at once.
 * A runtime that lets the command be PID 1 of a PID namespace gets this
 * child killed by the kernel when we exit; one that does not leaks it. */
static int cmd_orphan(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 30;
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		sleep((unsigned)seconds);
		_exit(0);
	}
	out("orphan", "%d", (int)pid);
	return 0;
}

/* Count the zombie processes this /proc shows. */
static int count_zombies(void)
{
	int n = 0;
	DIR *d = opendir("/proc");
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char path[300], buf[512];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "re");
		if (f == NULL)
			continue;
		size_t len = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[len] = '\0';
		char *paren = strrchr(buf, ')');
		n += paren && paren[1] == ' ' && paren[2] == 'Z';
	}
	if (d)
		closedir(d);
	return n;
}

/* Make N orphans that die at once: each is re-parented to PID 1, and
 * only a PID 1 that reaps leaves no zombie behind. */
static int cmd_zombies(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	for (int i = 0; i < n; i++) {
		pid_t middle = fork();
		if (middle == 0) {
			if (fork() == 0) {
				usleep(50000); /* outlive the middle process */
				_exit(0);
			}
			_exit(0);
		}
		waitpid(middle, NULL, 0);
	}
	usleep(400000);
	out("pid", "%d", (int)getpid());
	out("zombies", "%d", count_zombies());
	return 0;
}

const struct probe_cmd probe_proc_cmds[] = {
	{ "mypid", "pid and ppid as seen inside", cmd_mypid },
	{ "ps", "processes visible in /proc", cmd_ps },
	{ "wait-signal", "SECONDS FILE: wait for a signal, record it", cmd_wait_signal },
	{ "sleep", "SECONDS [FILE]: sleep, pid written to FILE", cmd_sleep },
	{ "orphan", "[SECONDS]: leave a sleeping child behind and exit", cmd_orphan },
	{ "zombies", "[N]: make N orphans that exit; count zombies", cmd_zombies },
	{ NULL, NULL, NULL },
};
