/* iperf.c - run the iperf3 client and read its JSON report.
 *
 * iperf3 -J prints one JSON document; json-c reads it, so the numbers are
 * the ones iperf3 computed rather than digits scraped from a table meant
 * for people.  The client runs as a helper with a deadline: a server that
 * accepts and then says nothing (a forwarder whose container side is not
 * up yet) must not stall the benchmark.
 */
#include "iperf.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

int pl_iperf_parse(const char *json, double *bps, pl_error **err)
{
	json_object *root = json_tokener_parse(json);
	if (root == NULL)
		return pl_fail(err, 0, "iperf3 printed no JSON report");
	json_object *e, *end, *sum, *v;
	int rc = 0;
	if (json_object_object_get_ex(root, "error", &e)) {
		/* A server still letting go of the previous test answers "busy":
		 * EBUSY lets the caller tell that apart and try again. */
		const char *msg = json_object_get_string(e);
		rc = pl_fail(err, strstr(msg, "busy") ? EBUSY : 0, "iperf3: %s", msg);
	} else if (!json_object_object_get_ex(root, "end", &end) ||
		   !json_object_object_get_ex(end, "sum_received", &sum) ||
		   !json_object_object_get_ex(sum, "bits_per_second", &v)) {
		rc = pl_fail(err, 0, "iperf3's report has no end.sum_received.bits_per_second");
	} else {
		*bps = json_object_get_double(v);
	}
	json_object_put(root);
	return rc;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int client_once(const char *host, int port, int seconds, bool reverse, double *bps, pl_error **err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return pl_fail(err, errno, "cannot make a pipe for iperf3");
	pid_t pid = pl_fork_helper(SIGKILL, err);
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		char portstr[16], secs[16];
		snprintf(portstr, sizeof portstr, "%d", port);
		snprintf(secs, sizeof secs, "%d", seconds);
		dup2(p[1], STDOUT_FILENO);
		/* --connect-timeout: fail fast while the server is not up yet. */
		execlp("iperf3", "iperf3", "-c", host, "-p", portstr, "-t", secs, "-J", "--connect-timeout", "2000",
		       reverse ? "-R" : NULL, (char *)NULL);
		printf("{\"error\": \"cannot run iperf3: %s\"}\n", strerror(errno));
		_exit(127);
	}
	close(p[1]);
	size_t len = 0, cap = 1 << 16;
	cleanup_free char *buf = malloc(cap);
	double deadline = now() + seconds + 15;
	bool late = false;
	int why = ETIMEDOUT;
	while (buf != NULL) {
		struct pollfd pfd = { p[0], POLLIN, 0 };
		int left = (int)((deadline - now()) * 1000);
		int ready = left > 0 ? poll(&pfd, 1, left) : 0;
		if (ready <= 0) { /* past the deadline, or a signal (Ctrl-C) */
			why = ready < 0 ? errno : ETIMEDOUT;
			late = true;
			break;
		}
		if (len + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (bigger == NULL)
				break;
			buf = bigger;
		}
		ssize_t n = read(p[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(p[0]);
	if (late)
		kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (buf == NULL)
		return pl_fail(err, ENOMEM, "cannot hold iperf3's report");
	if (late)
		return why == ETIMEDOUT ? pl_fail(err, why, "iperf3 -c %s -p %d ran past %d s", host, port, seconds + 15)
					: pl_fail(err, why, "iperf3 -c %s -p %d was stopped", host, port);
	buf[len] = '\0';
	return pl_iperf_parse(buf, bps, err);
}

/* iperf3 serves one test at a time, and after a client has its report the
 * server may still be closing that test for a moment: longer through a
 * forwarder, which closes the container side of a connection after the
 * host side.  A client arriving then is told "the server is busy".  That
 * is not a failure of the path being measured, so wait and ask again. */
int pl_iperf_client(const char *host, int port, int seconds, bool reverse, double *bps, pl_error **err)
{
	for (int tries = 1;; tries++) {
		pl_error *e = NULL;
		if (client_once(host, port, seconds, reverse, bps, &e) == 0)
			return 0;
		if (e == NULL || e->errnum != EBUSY || tries == 25) {
			if (err != NULL)
				*err = e;
			else
				pl_error_free(&e);
			return -1;
		}
		pl_error_free(&e);
		usleep(200000);
	}
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double pl_median(double *v, int n)
{
	qsort(v, n, sizeof *v, by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
