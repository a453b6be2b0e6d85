/* stage04.c - checks for stage 04: rootless networking.
 *
 * Paths are proven end to end with tokens: the probe serves a token the
 * checker chose inside the container, and the checker reads it through
 * the published port on the host; the checker serves one on the host's
 * loopback, and the probe must (or must not) reach it at the gateway.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "host.h"

#define NEEDS "userns,newuidmap,newgidmap,tun"
#define HOLES "04:tap-fd,04:slirp-loop"
#define PORT_HOLES "04:port-spec,04:tap-fd,04:slirp-loop"

/* A free host port, different for each call. */
static unsigned free_port(void)
{
	for (;;) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof a;
		bind(fd, (struct sockaddr *)&a, sizeof a);
		getsockname(fd, (struct sockaddr *)&a, &len);
		close(fd);
		unsigned p = ntohs(a.sin_port);
		if (p >= 20000)
			return p;
	}
}

/* Connect to 127.0.0.1:port on the host, retrying for up to `ms`, and
 * read the first line.  true when `want` was in it. */
static bool host_fetch(unsigned port, bool http, const char *want, int ms, char *got, size_t len)
{
	got[0] = '\0';
	for (int t = 0; t < ms; t += 100) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		struct timeval tv = { 2, 0 };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
			if (http)
				dprintf(fd, "GET / HTTP/1.0\r\n\r\n");
			size_t n = 0;
			ssize_t k;
			while (n < len - 1 && (k = read(fd, got + n, len - 1 - n)) > 0)
				n += (size_t)k;
			got[n] = '\0';
		}
		close(fd);
		if (strstr(got, want))
			return true;
		usleep(100000);
	}
	return false;
}

static bool host_udp(unsigned port, const char *msg, const char *want, int ms, char *got, size_t len)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bool ok = false;
	got[0] = '\0';
	for (int t = 0; t < ms && !ok; t += 200) {
		sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&a, sizeof a);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 200) == 1) {
			ssize_t n = recv(fd, got, len - 1, 0);
			got[n > 0 ? n : 0] = '\0';
			ok = strstr(got, want) != NULL;
		}
	}
	close(fd);
	return ok;
}

/* Start the probe with `opts` and wait for its "listen" (or "ready") line. */
static bool start_server(struct check_ctx *ctx, const char *const *opts, const char *const *probe, struct proc *p)
{
	const char *argv[64];
	size_t n = 0;
	argv[n++] = ctx->podlab;
	argv[n++] = "run";
	argv[n++] = "--rootfs";
	argv[n++] = ctx->rootfs;
	for (; opts && *opts && n < 40; opts++)
		argv[n++] = *opts;
	argv[n++] = "--";
	argv[n++] = "/probe";
	for (; probe && *probe && n < 62; probe++)
		argv[n++] = *probe;
	argv[n] = NULL;
	if (runner_start(p, (char *const *)argv, NULL) < 0)
		return false;
	for (int t = 0; t < ctx->timeout_ms; t += 20) {
		FILE *f = fopen(p->out_path, "r");
		char buf[4096] = "";
		if (f) {
			buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
			fclose(f);
		}
		if (strstr(buf, "listen=ok") || strstr(buf, "ready="))
			return true;
		if (strstr(buf, "listen=errno"))
			return false;
		usleep(20000);
	}
	return false;
}

static void stop_server(struct proc *p, struct check_result *r)
{
	kill(p->pid, SIGKILL); /* podlab; its container and helpers follow it */
	struct run_result res;
	runner_wait(p, 2000, &res);
	if (r && !r->output[0])
		keep_output(r, &res);
	run_result_free(&res);
}

/* ---- inside ------------------------------------------------------------------ */

static enum outcome ifaces(struct check_ctx *ctx, struct check_result *r, const char *const *opts, char *buf,
			   size_t len)
{
	struct run_result res;
	struct kv kv;
	run_probe(ctx, opts, PROBE("ifaces"), NULL, &res, &kv);
	enum outcome o = require_probe(r, &res, &kv);
	snprintf(buf, len, "%s", kv_get(&kv, "ifaces") ? kv_get(&kv, "ifaces") : "");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_lo_up(struct check_ctx *ctx, struct check_result *r)
{
	char list[4096];
	if (ifaces(ctx, r, OPTS("--network", "slirp"), list, sizeof list) != OUT_PENDING)
		return OUT_FAIL;
	return strstr(list, "lo:UP:127.0.0.1") ? check_pass(r, "lo is up with 127.0.0.1")
					       : check_fail(r, "inside, lo is not up with 127.0.0.1: %s", list);
}

static enum outcome c_only_lo_tap(struct check_ctx *ctx, struct check_result *r)
{
	char list[4096], copy[4096], extra[1024] = "";
	if (ifaces(ctx, r, OPTS("--network", "slirp"), list, sizeof list) != OUT_PENDING)
		return OUT_FAIL;
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		e[strcspn(e, ":")] = '\0';
		if (strcmp(e, "lo") && strcmp(e, "tap0") && !strstr(extra, e))
			snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " %s", e);
	}
	if (extra[0])
		return check_fail(r, "the container sees host interfaces:%s. It needs a network namespace of its own "
				     "(CLONE_NEWNET)",
				  extra);
	if (!strstr(list, "tap0:UP:10.0.2.100"))
		return check_fail(r, "tap0 is missing or not up with 10.0.2.100: %s", list);
	return check_pass(r, "only lo and tap0 (10.0.2.100), both up");
}

static enum outcome c_none(struct check_ctx *ctx, struct check_result *r)
{
	char list[4096];
	if (ifaces(ctx, r, OPTS("--network", "none"), list, sizeof list) != OUT_PENDING)
		return OUT_FAIL;
	char copy[4096];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save))
		if (strncmp(e, "lo:", 3) != 0)
			return check_fail(r, "--network none, yet the container has %s", e);
	return strstr(list, "lo:UP") ? check_pass(r, "--network none: lo only, up")
				      : check_fail(r, "--network none: lo is not up (%s)", list);
}

static enum outcome c_host(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, OPTS("--network", "host"), "ns");
	char mine[128] = "";
	ssize_t n = readlink("/proc/self/ns/net", mine, sizeof mine - 1);
	mine[n > 0 ? n : 0] = '\0';
	const char *theirs = kv_get(&kv, "net");
	enum outcome o = theirs && strcmp(theirs, mine) == 0
				 ? check_pass(r, "--network host shares the host's network namespace")
				 : check_fail(r, "--network host, but the container's network namespace is %s, not the host's %s",
					      theirs ? theirs : "?", mine);
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

/* ---- reaching the host ----------------------------------------------------------- */

/* A token server on the host's loopback, in a child process. */
static pid_t host_server(unsigned port, const char *token)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 16) < 0)
		_exit(1);
	for (int i = 0; i < 1000; i++) {
		int c = accept(fd, NULL, NULL);
		if (c >= 0) {
			dprintf(c, "%s\n", token);
			close(c);
		}
	}
	_exit(0);
}

static void stop_pid(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static enum outcome via_gateway(struct check_ctx *ctx, struct check_result *r, const char *net, bool allowed)
{
	unsigned port = free_port();
	char token[64], portstr[16];
	snprintf(token, sizeof token, "host-%s", ctx->nonce);
	snprintf(portstr, sizeof portstr, "%u", port);
	pid_t server = host_server(port, token);
	usleep(100000);
	struct run_result res;
	struct kv kv;
	run_probe(ctx, OPTS("--network", net), PROBE("connect", "10.0.2.2", portstr), NULL, &res, &kv);
	enum outcome o = require_probe(r, &res, &kv);
	const char *line = kv_get(&kv, "line"), *conn = kv_get(&kv, "connect");
	bool reached = line && strcmp(line, token) == 0;
	if (o == OUT_PENDING) {
		if (allowed)
			o = reached ? check_pass(r, "with %s the container reaches the host's 127.0.0.1 at 10.0.2.2", net)
				    : check_fail(r, "with %s the container should reach a server on the host's loopback at "
						    "10.0.2.2:%u, but: %s",
						 net, port, conn ? conn : "?");
		else
			o = !reached ? check_pass(r, "without allow_host_loopback, 10.0.2.2:%u is refused (%s)", port,
						  conn ? conn : "?")
				     : check_fail(r, "the container reached a service bound to the host's 127.0.0.1 "
						     "without allow_host_loopback: the host's loopback must stay private");
	}
	kv_free(&kv);
	run_result_free(&res);
	stop_pid(server);
	return o;
}

static enum outcome c_loopback_allowed(struct check_ctx *ctx, struct check_result *r)
{
	return via_gateway(ctx, r, "slirp:allow_host_loopback=true", true);
}

static enum outcome c_loopback_denied(struct check_ctx *ctx, struct check_result *r)
{
	return via_gateway(ctx, r, "slirp", false);
}

/* ---- publishing ------------------------------------------------------------------- */

static enum outcome publish(struct check_ctx *ctx, struct check_result *r, const char *net, bool http)
{
	unsigned port = free_port();
	char map[64], token[64];
	snprintf(map, sizeof map, "%u:8080", port);
	snprintf(token, sizeof token, "ctr-%s", ctx->nonce);
	struct proc p;
	bool up = start_server(ctx, OPTS("--network", net, "-p", map),
			       http ? PROBE("serve", "8080", "30", token, "http") : PROBE("serve", "8080", "30", token), &p);
	char got[512];
	bool ok = up && host_fetch(port, http, token, 5000, got, sizeof got);
	stop_server(&p, r);
	if (!up)
		return check_fail(r, "the container with --network %s -p %s did not start serving", net, map);
	if (!ok)
		return check_fail(r, "--network %s -p %s: connecting to 127.0.0.1:%u on the host did not reach the "
				     "container's server (got '%.100s')",
				  net, map, port, got);
	return check_pass(r, "--network %s: host port %u reaches the container's %s server", net, port,
			  http ? "HTTP" : "TCP");
}

static enum outcome c_publish_tcp(struct check_ctx *ctx, struct check_result *r)
{
	return publish(ctx, r, "slirp", false);
}

static enum outcome c_publish_http(struct check_ctx *ctx, struct check_result *r)
{
	return publish(ctx, r, "slirp", true);
}

static enum outcome c_publish_slirp_handler(struct check_ctx *ctx, struct check_result *r)
{
	return publish(ctx, r, "slirp:port_handler=slirp", false);
}

static enum outcome c_slirp4netns(struct check_ctx *ctx, struct check_result *r)
{
	return publish(ctx, r, "slirp4netns", false);
}

static enum outcome c_pasta(struct check_ctx *ctx, struct check_result *r)
{
	return publish(ctx, r, "pasta", false);
}

static enum outcome c_publish_udp(struct check_ctx *ctx, struct check_result *r)
{
	unsigned port = free_port();
	char map[64], token[64];
	snprintf(map, sizeof map, "%u:5353/udp", port);
	snprintf(token, sizeof token, "udp-%s", ctx->nonce);
	struct proc p;
	bool up = start_server(ctx, OPTS("-p", map), PROBE("udp-echo", "5353", "30", token), &p);
	char got[512];
	bool ok = up && host_udp(port, "ping", token, 5000, got, sizeof got);
	stop_server(&p, r);
	if (!ok)
		return check_fail(r, "-p %s: a datagram to 127.0.0.1:%u got no answer from the container (got '%.100s')",
				  map, port, got);
	return check_pass(r, "UDP datagrams reach the container and come back");
}

/* ---- errors ------------------------------------------------------------------------ */

static enum outcome c_low_port(struct check_ctx *ctx, struct check_result *r)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "r");
	long start = 1024;
	if (f) {
		if (fscanf(f, "%ld", &start) != 1)
			start = 1024;
		fclose(f);
	}
	if (start <= 1)
		return check_env(r, "net.ipv4.ip_unprivileged_port_start is %ld here: every port is open to users, so "
				    "the low-port error cannot be provoked",
				 start);
	char map[32], portstr[16];
	snprintf(portstr, sizeof portstr, "%ld", start - 1);
	snprintf(map, sizeof map, "%ld:80", start - 1);
	const char *argv[] = { ctx->podlab, "run", "--rootfs", ctx->rootfs, "-p", map, "--", "/probe", "id", NULL };
	struct run_result res;
	runner_run((char *const *)argv, NULL, ctx->timeout_ms, &res);
	keep_output(r, &res);
	const char *e = res.err ? res.err : "";
	char value[16];
	snprintf(value, sizeof value, "%ld", start);
	enum outcome o;
	if (res.code == 0)
		o = check_fail(r, "-p %s was accepted although ports below %ld are root's here", map, start);
	else if (res.leftovers > 0)
		o = check_fail(r, "after refusing -p %s, processes were left: %s", map, res.leftover_desc);
	else if (!strstr(e, portstr) || !strstr(e, "ip_unprivileged_port_start") || !strstr(e, value) ||
		 !strstr(e, "sysctl"))
		o = check_fail(r, "-p %s must fail with a message that names the port (%s), the sysctl "
				  "net.ipv4.ip_unprivileged_port_start and its value (%ld), and both fixes (a higher "
				  "port, or sysctl); stderr was '%.300s'",
			       map, portstr, start, e);
	else if (strstr(e, "slirp_add_hostfwd") || strstr(e, "map["))
		o = check_fail(r, "the message is the helper's, not an explanation: '%.200s'", e);
	else
		o = check_pass(r, "host port %s refused before anything started, with the sysctl and both fixes", portstr);
	run_result_free(&res);
	return o;
}

static enum outcome c_port_in_use(struct check_ctx *ctx, struct check_result *r)
{
	unsigned port = free_port();
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	bind(fd, (struct sockaddr *)&a, sizeof a);
	listen(fd, 1);
	char map[32], portstr[16];
	snprintf(map, sizeof map, "%u:80", port);
	snprintf(portstr, sizeof portstr, "%u", port);
	const char *argv[] = { ctx->podlab, "run", "--rootfs", ctx->rootfs, "-p", map, "--", "/probe", "id", NULL };
	struct run_result res;
	runner_run((char *const *)argv, NULL, ctx->timeout_ms, &res);
	close(fd);
	keep_output(r, &res);
	const char *e = res.err ? res.err : "";
	enum outcome o = res.code != 0 && strstr(e, portstr) && strstr(e, "in use")
				 ? check_pass(r, "a host port already in use is refused, naming it")
				 : check_fail(r, "-p %s with host port %u taken must fail saying the port is in use; exit %d, "
						 "stderr '%.200s'",
					      map, port, res.code, e);
	run_result_free(&res);
	return o;
}

/* ---- supervision ------------------------------------------------------------------ */

/* The podlab helper of process `podlab` whose name is `comm`. */
static pid_t helper_of(pid_t podlab, const char *comm)
{
	DIR *d = opendir("/proc");
	pid_t found = 0;
	for (struct dirent *e; d && !found && (e = readdir(d)) != NULL;) {
		char path[300], buf[512], name[64] = "";
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = e->d_name[0] >= '1' && e->d_name[0] <= '9' ? fopen(path, "r") : NULL;
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		char *open = strchr(buf, '('), *close = strrchr(buf, ')');
		int ppid = 0;
		if (!open || !close)
			continue;
		snprintf(name, sizeof name, "%.*s", (int)(close - open - 1), open + 1);
		if (sscanf(close + 2, "%*c %d", &ppid) == 1 && ppid == podlab && strcmp(name, comm) == 0)
			found = (pid_t)atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

/* Successes logged after `since` (ms since the epoch). */
static int successes_after(const char *log, long long since)
{
	FILE *f = fopen(log, "r");
	int n = 0;
	long long t;
	char what[16];
	while (f && fscanf(f, "%lld %15s", &t, what) == 2)
		n += t > since && strcmp(what, "ok") == 0;
	if (f)
		fclose(f);
	return n;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum outcome c_helper_restart(struct check_ctx *ctx, struct check_result *r)
{
	/* The container keeps connecting to a server on the host through the
	 * gateway (so through libslirp) and logs each try; the checker kills
	 * the helper, and connections must work again afterwards. */
	unsigned port = free_port();
	char token[64], portstr[16], inside[128], outside[1200];
	snprintf(token, sizeof token, "host-%s", ctx->nonce);
	snprintf(portstr, sizeof portstr, "%u", port);
	snprintf(inside, sizeof inside, "/shared/reconnect-%s", ctx->nonce);
	rootfs_path(ctx, inside, outside, sizeof outside);
	pid_t server = host_server(port, token);
	struct proc p;
	bool up = start_server(ctx, OPTS("--network", "slirp:allow_host_loopback=true"),
			       PROBE("reconnect", "10.0.2.2", portstr, "25", inside), &p);
	enum outcome o = OUT_PENDING;
	pid_t helper = 0;
	for (int t = 0; up && t < 3000 && successes_after(outside, 0) == 0; t += 100)
		usleep(100000);
	if (!up || successes_after(outside, 0) == 0)
		o = check_fail(r, "the container never reached the host's server through the gateway");
	else if ((helper = helper_of(p.pid, "podlab-slirp")) <= 0)
		o = check_fail(r, "no network helper named 'podlab-slirp' runs under podlab (pid %d): name it with "
				  "prctl(PR_SET_NAME) so it can be found",
			       (int)p.pid);
	if (o == OUT_PENDING) {
		kill(helper, SIGKILL);
		long long killed = now_ms();
		usleep(300000);
		for (int t = 0; t < 8000 && successes_after(outside, killed + 200) == 0; t += 200)
			usleep(200000);
		int after = successes_after(outside, killed + 200);
		pid_t again = helper_of(p.pid, "podlab-slirp");
		o = after > 0 ? check_pass(r, "the helper (pid %d) was killed; podlab restarted it (pid %d) and the "
					      "container reached the host again",
					   (int)helper, (int)again)
			      : check_fail(r, "after the network helper (pid %d) was killed, the container never reached the "
					      "host again: notice the helper's exit, start a new one (a new tap0) and re-add "
					      "the ports",
					   (int)helper);
	}
	stop_server(&p, r);
	stop_pid(server);
	return o;
}

static enum outcome c_forwarder_restart(struct check_ctx *ctx, struct check_result *r)
{
	unsigned port = free_port();
	char map[64], token[64];
	snprintf(map, sizeof map, "%u:8080", port);
	snprintf(token, sizeof token, "ctr-%s", ctx->nonce);
	struct proc p;
	bool up = start_server(ctx, OPTS("-p", map), PROBE("serve", "8080", "30", token), &p);
	char got[512];
	enum outcome o;
	pid_t fwd = 0;
	if (!up || !host_fetch(port, false, token, 5000, got, sizeof got))
		o = check_fail(r, "the published port did not work to begin with");
	else if ((fwd = helper_of(p.pid, "podlab-forward")) <= 0)
		o = check_fail(r, "no port forwarder named 'podlab-forward' runs under podlab");
	else {
		kill(fwd, SIGKILL);
		usleep(200000);
		o = host_fetch(port, false, token, 8000, got, sizeof got)
			    ? check_pass(r, "the forwarder was killed and restarted; host port %u works again", port)
			    : check_fail(r, "after the port forwarder was killed, host port %u never worked again", port);
	}
	stop_server(&p, r);
	return o;
}

static enum outcome c_resolv(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, OPTS("--network", "slirp"), "cat", "/etc/resolv.conf");
	const char *text = kv_get(&kv, "content");
	enum outcome o = text && strstr(text, "nameserver 10.0.2.3")
				 ? check_pass(r, "resolv.conf points at slirp's DNS forwarder, 10.0.2.3")
				 : check_fail(r, "inside, /etc/resolv.conf is '%.120s'; with slirp it must say "
						 "'nameserver 10.0.2.3'",
					      text ? text : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static const struct check checks[] = {
	{ "04.lo-up", "lo is up inside", 1, { NULL }, NEEDS, HOLES, "bring lo up in the container's namespace",
	  c_lo_up },
	{ "04.only-lo-tap", "only lo and tap0 exist inside (host interfaces invisible)", 2, { "04.lo-up" }, NEEDS,
	  HOLES, "create tap0 inside the container's network namespace (TUNSETIFF after setns)", c_only_lo_tap },
	{ "04.loopback-denied", "the host's loopback is out of reach by default", 1, { "04.only-lo-tap" }, NEEDS,
	  HOLES, "disable_host_loopback in libslirp's configuration", c_loopback_denied },
	{ "04.loopback-allowed", "allow_host_loopback=true reaches the host at 10.0.2.2", 2, { "04.only-lo-tap" },
	  NEEDS, HOLES, "libslirp forwards 10.0.2.2 to the host's 127.0.0.1 when allowed", c_loopback_allowed },
	{ "04.publish-tcp", "-p publishes a TCP port (podlab's forwarder)", 2, { "04.only-lo-tap" }, NEEDS,
	  PORT_HOLES, "listen on the host, then join the container's namespaces and connect inside", c_publish_tcp },
	{ "04.publish-http", "a published port serves the container's HTTP server", 1, { "04.publish-tcp" }, NEEDS,
	  PORT_HOLES, "the same path, carrying HTTP", c_publish_http },
	{ "04.publish-udp", "-p .../udp publishes a UDP port", 2, { "04.publish-tcp" }, NEEDS, PORT_HOLES,
	  "a host socket per published port, a container socket per client", c_publish_udp },
	{ "04.port-handler-slirp", "port_handler=slirp publishes through libslirp", 1, { "04.only-lo-tap" }, NEEDS,
	  PORT_HOLES, "slirp_add_hostfwd() for each port", c_publish_slirp_handler },
	{ "04.low-port", "a host port below ip_unprivileged_port_start fails clearly, before anything starts", 2,
	  { NULL }, NEEDS, "04:port-spec",
	  "read /proc/sys/net/ipv4/ip_unprivileged_port_start on the host side and explain", c_low_port },
	{ "04.port-in-use", "a host port already in use fails clearly", 1, { NULL }, NEEDS, "04:port-spec",
	  "try to bind each port before starting anything", c_port_in_use },
	{ "04.helper-restart", "killing the network helper is survived", 2, { "04.loopback-allowed" }, NEEDS, HOLES,
	  "reap the helper while waiting for the container; start a new one", c_helper_restart },
	{ "04.forwarder-restart", "killing the port forwarder is survived", 1, { "04.publish-tcp" }, NEEDS, PORT_HOLES,
	  "restart it, re-binding the host ports", c_forwarder_restart },
	{ "04.mode-slirp4netns", "--network slirp4netns works, with a published port", 1, { "04.publish-tcp" },
	  NEEDS ",slirp4netns", "04:port-spec", "run slirp4netns, add the port through its API socket", c_slirp4netns },
	{ "04.mode-pasta", "--network pasta works, with a published port", 1, { "04.publish-tcp" }, NEEDS ",pasta",
	  "04:port-spec", "run pasta --config-net with -t", c_pasta },
	{ "04.resolv", "resolv.conf names slirp's DNS forwarder", 1, { "04.only-lo-tap" }, NEEDS, HOLES,
	  "bind a generated resolv.conf over /etc/resolv.conf", c_resolv },
	{ "04.mode-none", "--network none: only lo", 1, { NULL }, "userns,newuidmap,newgidmap", "",
	  "a network namespace, and nothing in it but lo", c_none },
	{ "04.mode-host", "--network host shares the host's network", 1, { NULL }, "userns,newuidmap,newgidmap", "",
	  "leave CLONE_NEWNET out", c_host },
};

const struct check_table stage04_table = { 4, "rootless networking", checks, sizeof checks / sizeof *checks };
