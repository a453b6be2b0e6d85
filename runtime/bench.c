/* bench.c - `podlab bench net`: how fast is each way into a container?
 *
 * An iperf3 server runs inside a podlab container, published on a host
 * port; the iperf3 client runs on the host and connects to 127.0.0.1.
 * The same container is started once per network mode, so the only thing
 * that changes between rows is the path the bytes take:
 *
 *   loopback       no container: client and server on the host.  The ceiling.
 *   slirp          podlab's forwarder: a host socket spliced to a socket
 *                  made inside the container's network namespace
 *   slirp, port_handler=slirp   the same container, ports through libslirp
 *   slirp4netns    the external tool, with its own (libslirp) port handler
 *   pasta          the external tool: host sockets mapped to the container's
 *
 * Each cell is the median of several runs, both ways (host -> container
 * is iperf3's normal direction; container -> host is -R).  The container
 * needs iperf3, so its root filesystem is the host's /usr, read-only,
 * behind the same /bin, /lib... links the host has: nothing to download.
 */
#include "bench.h"

#include <errno.h>
#include <ftw.h>
#include <json-c/json.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chart.h"
#include "help.h"
#include "iperf.h"
#include "process.h"

struct mode {
	const char *key;     /* for --modes */
	const char *label;   /* for the table and the chart */
	const char *network; /* podlab's --network value; NULL: no container */
	const char *program; /* an external tool the mode needs, or NULL */
};

static const struct mode modes[] = {
	{ "loopback", "loopback (ceiling)", NULL, NULL },
	{ "slirp", "slirp (podlab forwarder)", "slirp", NULL },
	{ "libslirp", "slirp, port_handler=slirp", "slirp:port_handler=slirp", NULL },
	{ "slirp4netns", "slirp4netns", "slirp4netns", "slirp4netns" },
	{ "pasta", "pasta", "pasta", "pasta" },
};
enum { N_MODES = sizeof modes / sizeof *modes, MAX_VOLUMES = 8 };

struct opts {
	int runs, seconds;
	const char *svg;
	const char *json; /* --json FILE: the same numbers for programs */
	bool want[N_MODES];
};

struct work {
	char dir[PATH_MAX];            /* scratch: rootfs/ and the server logs */
	char rootfs[PATH_MAX];
	char *volumes[MAX_VOLUMES];    /* -v /X:/X:ro for the host's real dirs */
	int n_volumes;
};

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) { interrupted = sig; }

static int parse(struct pl_cli *cli, struct opts *o, pl_error **err)
{
	*o = (struct opts){ .runs = 3, .seconds = 3, .svg = "podlab-bench-net.svg" };
	bool any = false;
	char **a = cli->args;
	if (cli->n_args < 1 || strcmp(a[0], "net") != 0) {
		pl_fail(err, EINVAL, "podlab bench measures one thing so far: the network");
		return pl_fix(err, "usage: %s", pl_help_usage("bench"));
	}
	for (int i = 1; i < cli->n_args; i++) {
		const char *v = i + 1 < cli->n_args ? a[i + 1] : NULL;
		char *end = NULL;
		if (v == NULL) {
			pl_fail(err, EINVAL, "'%s' needs a value", a[i]);
			return pl_fix(err, "usage: %s", pl_help_usage("bench"));
		} else if (strcmp(a[i], "--runs") == 0 || strcmp(a[i], "--seconds") == 0) {
			long n = strtol(v, &end, 10);
			if (*v == '\0' || *end != '\0' || n < 1 || n > 100) {
				pl_fail(err, EINVAL, "%s %s: not a whole number from 1 to 100", a[i], v);
				return pl_fix(err, "for example: podlab bench net --runs 5 --seconds 4");
			}
			*(a[i][2] == 'r' ? &o->runs : &o->seconds) = (int)n;
		} else if (strcmp(a[i], "--svg") == 0) {
			o->svg = v;
		} else if (strcmp(a[i], "--json") == 0) {
			o->json = v;
		} else if (strcmp(a[i], "--modes") == 0) {
			char list[256];
			snprintf(list, sizeof list, "%s", v);
			for (char *s = NULL, *m = strtok_r(list, ",", &s); m; m = strtok_r(NULL, ",", &s)) {
				int k = 0;
				while (k < N_MODES && strcmp(modes[k].key, m) != 0)
					k++;
				if (k == N_MODES) {
					pl_fail(err, EINVAL, "--modes: no mode '%s'", m);
					return pl_fix(err, "choose from loopback,slirp,libslirp,slirp4netns,pasta");
				}
				o->want[k] = any = true;
			}
		} else {
			pl_fail(err, EINVAL, "podlab bench net: unknown option '%s'", a[i]);
			return pl_fix(err, "usage: %s", pl_help_usage("bench"));
		}
		i++;
	}
	for (int k = 0; k < N_MODES && !any; k++)
		o->want[k] = true;
	return 0;
}

/* ---- the container's root: the host's /usr and its links ----------- */

static int make_rootfs(struct work *w, pl_error **err)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(w->dir, sizeof w->dir, "%s/podlab-bench.XXXXXX", tmp);
	if (mkdtemp(w->dir) == NULL)
		return pl_fail(err, errno, "cannot make a scratch directory under %s", tmp);
	snprintf(w->rootfs, sizeof w->rootfs, "%s/rootfs", w->dir);
	static const char *const dirs[] = { "", "/usr", "/proc", "/dev", "/sys", "/tmp", "/etc" };
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char p[PATH_MAX];
		snprintf(p, sizeof p, "%s%s", w->rootfs, dirs[i]);
		if (mkdir(p, 0755) < 0)
			return pl_fail(err, errno, "cannot make %s", p);
	}
	w->volumes[w->n_volumes++] = strdup("/usr:/usr:ro");
	/* Merged-/usr hosts (Debian 12) have /bin -> usr/bin and so on: the
	 * same links inside make /usr enough.  A real directory is shared
	 * read-only instead. */
	static const char *const tops[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32" };
	for (size_t i = 0; i < sizeof tops / sizeof *tops; i++) {
		char host[64], in[PATH_MAX], target[PATH_MAX];
		snprintf(host, sizeof host, "/%s", tops[i]);
		snprintf(in, sizeof in, "%s/%s", w->rootfs, tops[i]);
		struct stat st;
		if (lstat(host, &st) < 0)
			continue;
		ssize_t n = S_ISLNK(st.st_mode) ? readlink(host, target, sizeof target - 1) : -1;
		if (n > 0) {
			target[n] = '\0';
			if (symlink(target, in) < 0)
				return pl_fail(err, errno, "cannot link %s -> %s", in, target);
		} else if (S_ISDIR(st.st_mode) && w->n_volumes < MAX_VOLUMES) {
			char vol[160];
			snprintf(vol, sizeof vol, "%s:%s:ro", host, host);
			if (mkdir(in, 0755) < 0)
				return pl_fail(err, errno, "cannot make %s", in);
			w->volumes[w->n_volumes++] = strdup(vol);
		}
	}
	char resolv[PATH_MAX];
	snprintf(resolv, sizeof resolv, "%s/etc/resolv.conf", w->rootfs);
	FILE *f = fopen(resolv, "we");
	if (f == NULL)
		return pl_fail(err, errno, "cannot write %s", resolv);
	fclose(f);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	remove(path);
	return 0;
}

static void clean_work(struct work *w)
{
	if (w->dir[0])
		nftw(w->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	for (int i = 0; i < w->n_volumes; i++)
		free(w->volumes[i]);
}

/* ---- the server: iperf3 -s, on the host or in a container ----------- */

/* A port nobody listens on now: bind to port 0 and see what we got. */
static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int port = -1;
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

static pid_t start_server(const struct mode *m, const struct work *w, int port, const char *log, pl_error **err)
{
	char self[PATH_MAX], iperf[PATH_MAX], portstr[16], publish[32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		return pl_fail(err, errno, "cannot find podlab's own program (/proc/self/exe)");
	self[n] = '\0';
	if (!pl_find_program("iperf3", iperf, sizeof iperf)) {
		pl_fail(err, ENOENT, "iperf3 is not installed");
		return pl_fix(err, "sudo apt-get install iperf3");
	}
	snprintf(portstr, sizeof portstr, "%d", port);
	snprintf(publish, sizeof publish, "%d:5201", port);
	char *argv[32];
	int c = 0;
	if (m->network == NULL) {
		char *host[] = { iperf, "-s", "-B", "127.0.0.1", "-p", portstr };
		for (size_t i = 0; i < sizeof host / sizeof *host; i++)
			argv[c++] = host[i];
	} else {
		char *ctr[] = { self, "run", "--rootfs", (char *)w->rootfs, "--init", "--network", (char *)m->network,
				"-p", publish };
		for (size_t i = 0; i < sizeof ctr / sizeof *ctr; i++)
			argv[c++] = ctr[i];
		for (int i = 0; i < w->n_volumes; i++) {
			argv[c++] = "-v";
			argv[c++] = w->volumes[i];
		}
		argv[c++] = "--";
		argv[c++] = iperf;
		argv[c++] = "-s";
	}
	argv[c] = NULL;
	/* SIGTERM if we die: podlab run passes it to the container's init. */
	pid_t pid = pl_fork_helper(SIGTERM, err);
	if (pid == 0) {
		FILE *f = freopen(log, "we", stdout);
		if (f != NULL)
			dup2(STDOUT_FILENO, STDERR_FILENO);
		execv(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	return pid;
}

static void stop_server(pid_t pid)
{
	kill(pid, SIGTERM);
	for (int i = 0; i < 500; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The last lines the server wrote, for an error message. */
static void tail_of(const char *log, char *out, size_t len)
{
	out[0] = '\0';
	FILE *f = fopen(log, "re");
	if (f == NULL)
		return;
	char line[512];
	while (fgets(line, sizeof line, f))
		if (strspn(line, " \n") < strlen(line))
			snprintf(out, len, "%s", line);
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

/* Wait until one short run gets through: the container, its helper and
 * its forwarder take a moment, and a forwarder accepts before the server
 * inside listens.  The run also warms everything up. */
static int wait_ready(pid_t server, const char *log, int port, pl_error **err)
{
	for (int tries = 0; !interrupted; tries++) {
		double bps;
		pl_error *e = NULL;
		if (pl_iperf_client("127.0.0.1", port, 1, false, &bps, &e) == 0)
			return 0;
		if (waitpid(server, NULL, WNOHANG) == server) {
			char why[512];
			tail_of(log, why, sizeof why);
			pl_error_free(&e);
			pl_fail(err, 0, "the iperf3 server stopped before it served");
			pl_why(err, "%s", why[0] ? why : "it said nothing");
			return pl_fix(err, "run 'podlab doctor', or try that mode by hand with 'podlab run --network ...'");
		}
		if (tries == 20) {
			*err = e;
			return pl_wrap(err, "no iperf3 run got through port %d in 20 tries", port);
		}
		pl_error_free(&e);
		usleep(200000);
	}
	return pl_fail(err, EINTR, "interrupted");
}

/* Medians for one mode, both directions, into med[0] and med[1]. */
static int measure(const struct mode *m, const struct work *w, const struct opts *o, double med[2], pl_error **err)
{
	if (m->program && !pl_find_program(m->program, (char[PATH_MAX]){ 0 }, PATH_MAX)) {
		pl_fail(err, ENOENT, "%s is not installed", m->program);
		return pl_fix(err, "sudo apt-get install %s", strcmp(m->program, "pasta") ? m->program : "passt");
	}
	int port = free_port();
	char log[PATH_MAX];
	snprintf(log, sizeof log, "%s/%s.log", w->dir, m->key);
	pid_t server = start_server(m, w, port, log, err);
	if (server < 0)
		return -1;
	int rc = wait_ready(server, log, port, err);
	for (int d = 0; d < 2 && rc == 0; d++) {
		double v[100];
		for (int i = 0; i < o->runs && rc == 0; i++) {
			rc = pl_iperf_client("127.0.0.1", port, o->seconds, d == 1, &v[i], err);
			if (rc == 0)
				fprintf(stderr, "  %-26s %s run %d/%d: %6.2f Gbit/s\n", m->label,
					d ? "ctr->host" : "host->ctr", i + 1, o->runs, v[i] / 1e9);
		}
		if (rc == 0)
			med[d] = pl_median(v, o->runs) / 1e9;
	}
	stop_server(server);
	return rc;
}

/* ---- the report ------------------------------------------------------ */

static void goal(const char *what, double a, double b, double factor)
{
	if (a < 0 || b < 0) {
		printf("  %-44s not measured\n", what);
		return;
	}
	printf("  %-44s %.2f vs %.2f Gbit/s (%.2fx): %s\n", what, a, b, a / b, a >= factor * b ? "met" : "MISSED");
}

/* The numbers of the table for programs (the week-11 checker, a
 * gradebook): Gbit/s, null where a mode was not measured, with the reason. */
static int write_json(const struct opts *o, double med[N_MODES][2], const char *why[N_MODES])
{
	json_object *root = json_object_new_object(), *rows = json_object_new_array();
	json_object_object_add(root, "runs", json_object_new_int(o->runs));
	json_object_object_add(root, "seconds", json_object_new_int(o->seconds));
	json_object_object_add(root, "unit", json_object_new_string("Gbit/s"));
	json_object_object_add(root, "statistic", json_object_new_string("median"));
	for (int k = 0; k < N_MODES; k++) {
		if (!o->want[k])
			continue;
		json_object *row = json_object_new_object();
		json_object_object_add(row, "mode", json_object_new_string(modes[k].key));
		json_object_object_add(row, "label", json_object_new_string(modes[k].label));
		json_object_object_add(row, "host_to_ctr", why[k] ? NULL : json_object_new_double(med[k][0]));
		json_object_object_add(row, "ctr_to_host", why[k] ? NULL : json_object_new_double(med[k][1]));
		json_object_object_add(row, "error", why[k] ? json_object_new_string(why[k]) : NULL);
		json_object_array_add(rows, row);
	}
	json_object_object_add(root, "modes", rows);
	int rc = json_object_to_file_ext(o->json, root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_put(root);
	if (rc < 0) {
		fprintf(stderr, "podlab: error: cannot write %s: %s\n", o->json, json_util_get_last_err());
		return 125;
	}
	return 0;
}

static int report(const struct opts *o, double med[N_MODES][2], const char *why[N_MODES])
{
	printf("\nTCP throughput through a published port, iperf3 from the host to 127.0.0.1\n"
	       "medians of %d run(s) of %d s, Gbit/s; x: the fraction of loopback, the ceiling\n\n",
	       o->runs, o->seconds);
	printf("%-28s %10s %6s %10s %6s\n", "mode", "host->ctr", "x", "ctr->host", "x");
	for (int k = 0; k < N_MODES; k++) {
		if (!o->want[k])
			continue;
		if (why[k]) {
			printf("%-28s not measured: %s\n", modes[k].label, why[k]);
			continue;
		}
		printf("%-28s", modes[k].label);
		for (int d = 0; d < 2; d++) {
			if (med[0][d] > 0)
				printf(" %10.2f %6.2f", med[k][d], med[k][d] / med[0][d]);
			else
				printf(" %10.2f %6s", med[k][d], "-");
		}
		printf("\n");
	}
	printf("\ngoals (host->ctr):\n");
	goal("libslirp port handler >= slirp4netns", med[2][0], med[3][0], 1.0);
	goal("podlab's forwarder >= 0.9 x pasta", med[1][0], med[4][0], 0.9);

	const char *labels[N_MODES];
	double values[N_MODES * 2];
	int n = 0;
	for (int k = 0; k < N_MODES; k++) {
		if (!o->want[k])
			continue;
		labels[n] = modes[k].label;
		values[2 * n] = med[k][0];
		values[2 * n + 1] = med[k][1];
		n++;
	}
	char title[128];
	snprintf(title, sizeof title, "TCP through a published port (iperf3, median of %d x %d s)", o->runs, o->seconds);
	struct pl_chart c = { .title = title, .unit = "Gbit/s", .n_series = 2,
			      .series = { "host -> container", "container -> host" }, .n_rows = n, .rows = labels,
			      .values = values };
	FILE *f = fopen(o->svg, "we");
	if (f == NULL || pl_chart_svg(&c, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "podlab: error: cannot write the chart %s: %s\n", o->svg, strerror(errno));
		return 125;
	}
	printf("\nchart: %s\n", o->svg);
	return o->json ? write_json(o, med, why) : 0;
}

int pl_cmd_bench(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct opts o;
	if (parse(cli, &o, &err) < 0) {
		pl_error_print(err, stderr, "podlab");
		pl_error_free(&err);
		return 2;
	}
	struct work w = { 0 };
	if (make_rootfs(&w, &err) < 0) {
		pl_error_print(err, stderr, "podlab");
		pl_error_free(&err);
		clean_work(&w);
		return 125;
	}
	/* Ctrl-C ends the run the way an error does: servers stopped, the
	 * scratch directory removed.  No SA_RESTART, so a wait is cut short. */
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	double med[N_MODES][2];
	char *why[N_MODES] = { 0 };
	for (int k = 0; k < N_MODES; k++) {
		med[k][0] = med[k][1] = -1;
		if (!o.want[k] || interrupted)
			continue;
		fprintf(stderr, "%s: measuring\n", modes[k].label);
		if (measure(&modes[k], &w, &o, med[k], &err) < 0) {
			why[k] = strdup(err->what);
			pl_error_print(err, stderr, "podlab");
			pl_error_free(&err);
			med[k][0] = med[k][1] = -1;
		}
	}
	clean_work(&w);
	int rc = interrupted ? 128 + interrupted : report(&o, med, (const char **)why);
	for (int k = 0; k < N_MODES; k++)
		free(why[k]);
	return rc;
}
