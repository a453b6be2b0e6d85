/* network.c - network modes, their helpers, and keeping them alive
 * (see network.h). */
#include "network.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "forward.h"
#include "layer.h"
#include "process.h"
#include "slirp.h"
#include "tap.h"
#include "trace.h"

#define MAX_RESTARTS 20

static const char *const mode_names[] = { [PL_NET_SLIRP] = "slirp", [PL_NET_SLIRP4NETNS] = "slirp4netns",
					  [PL_NET_PASTA] = "pasta", [PL_NET_NONE] = "none", [PL_NET_HOST] = "host" };

const char *pl_network_name(enum pl_netmode mode)
{
	return mode_names[mode];
}

int pl_network_parse(const char *arg, struct pl_netopts *o, pl_error **err)
{
	memset(o, 0, sizeof *o);
	char buf[256];
	snprintf(buf, sizeof buf, "%s", arg);
	char *opts = strchr(buf, ':');
	if (opts)
		*opts++ = '\0';
	int found = -1;
	for (int i = 0; i < 5; i++)
		if (strcmp(buf, mode_names[i]) == 0)
			found = i;
	if (found < 0) {
		pl_fail(err, EINVAL, "unknown network mode '%s'", buf);
		return pl_fix(err, "use slirp (the default), slirp4netns, pasta, none or host");
	}
	o->mode = (enum pl_netmode)found;
	for (char *save = NULL, *kv = opts ? strtok_r(opts, ",", &save) : NULL; kv; kv = strtok_r(NULL, ",", &save)) {
		if (strcmp(kv, "allow_host_loopback=true") == 0)
			o->allow_host_loopback = true;
		else if (strcmp(kv, "allow_host_loopback=false") == 0)
			o->allow_host_loopback = false;
		else if (strcmp(kv, "port_handler=slirp") == 0 && o->mode == PL_NET_SLIRP)
			o->slirp_port_handler = true;
		else if (strcmp(kv, "port_handler=podlab") == 0 && o->mode == PL_NET_SLIRP)
			o->slirp_port_handler = false;
		else {
			pl_fail(err, EINVAL, "unknown option '%s' for --network %s", kv, buf);
			return pl_fix(err, "options are allow_host_loopback=true|false, and for slirp "
					   "port_handler=podlab|slirp");
		}
	}
	if (o->mode >= PL_NET_NONE && opts) {
		pl_fail(err, EINVAL, "--network %s takes no options", buf);
		return -1;
	}
	return 0;
}

int pl_network_check(const struct pl_netopts *o, const struct pl_port *ports, size_t n, pl_error **err)
{
	if (n > 0 && o->mode >= PL_NET_NONE) {
		pl_fail(err, EINVAL, "ports cannot be published with --network %s", pl_network_name(o->mode));
		return pl_fix(err, o->mode == PL_NET_HOST ? "with the host's network the container's ports are the host's "
							    "already: leave -p out"
							  : "choose slirp, slirp4netns or pasta");
	}
	const char *tool = o->mode == PL_NET_SLIRP4NETNS ? "slirp4netns" : o->mode == PL_NET_PASTA ? "pasta" : NULL;
	char path[4200];
	if (tool && !pl_find_program(tool, path, sizeof path)) {
		pl_fail(err, ENOENT, "--network %s needs the %s program, which is not installed", tool, tool);
		return pl_fix(err, "sudo apt-get install %s, or use --network slirp (podlab's own helper)",
			      o->mode == PL_NET_PASTA ? "passt" : tool);
	}
	if (o->mode <= PL_NET_PASTA && access("/dev/net/tun", R_OK | W_OK) < 0) {
		pl_fail(err, errno, "--network %s needs /dev/net/tun, which you cannot open", pl_network_name(o->mode));
		return pl_fix(err, "ask root for 'sudo chmod 0666 /dev/net/tun' (the usual mode; podlab doctor checks it), "
				   "or use --network none");
	}
	long start = pl_unprivileged_port_start();
	for (size_t i = 0; i < n; i++) {
		/* libslirp's host forwards (ours with port_handler=slirp, and
		 * slirp4netns's) bind IPv4 addresses only: an IPv6 one would be
		 * misread as "every address". */
		bool libslirp = o->mode == PL_NET_SLIRP4NETNS || (o->mode == PL_NET_SLIRP && o->slirp_port_handler);
		if (libslirp && strchr(ports[i].host_ip, ':')) {
			pl_fail(err, EINVAL, "cannot publish on %s with %s: libslirp forwards IPv4 host addresses only",
				ports[i].host_ip, o->mode == PL_NET_SLIRP4NETNS ? "slirp4netns" : "port_handler=slirp");
			return pl_fix(err, "use an IPv4 host address (or none), or podlab's forwarder (--network slirp) "
					   "or pasta for IPv6");
		}
		if (pl_port_check(&ports[i], start, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- readiness --------------------------------------------------------------- */

/* Does the container's network namespace have a default route yet?
 * /proc/PID/net/route shows the routing table of PID's namespace. */
static bool has_default_route(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/net/route", (int)pid);
	FILE *f = fopen(path, "re");
	bool found = false;
	while (f && !found && fgets(line, sizeof line, f)) {
		char iface[32];
		unsigned long dest;
		found = sscanf(line, "%31s %lx", iface, &dest) == 2 && dest == 0;
	}
	if (f)
		fclose(f);
	return found;
}

static int wait_ready(struct pl_net *net, const char *what, pl_error **err)
{
	for (int waited = 0; waited < 10000; waited += 5) {
		if (has_default_route(net->container))
			return 0;
		int status;
		if (net->helper > 0 && waitpid(net->helper, &status, WNOHANG) == net->helper) {
			net->helper = 0;
			char log[4400], msg[512] = "";
			snprintf(log, sizeof log, "%s/%s.log", net->dir, what);
			FILE *f = fopen(log, "re");
			if (f) {
				/* its last words are in the last line */
				char line[512];
				while (fgets(line, sizeof line, f))
					snprintf(msg, sizeof msg, "%s", line);
				fclose(f);
				msg[strcspn(msg, "\n")] = '\0';
			}
			pl_fail(err, 0, "%s exited (status %d) before the container's network was up", what,
				pl_exit_code(status));
			if (msg[0])
				pl_why(err, "%s said: %s", what, msg);
			return pl_fix(err, "run with --trace, and check 'podlab doctor' (tun)");
		}
		usleep(5000);
	}
	return pl_fail(err, ETIMEDOUT, "%s did not configure the container's network within 10 s", what);
}

/* ---- the helpers of each mode --------------------------------------------------- */

static pid_t spawn(int (*fn)(struct pl_net *, int), struct pl_net *net, int arg, const char *name)
{
	/* A helper must not outlive podlab: it would hold the container's
	 * network namespace (and your ports) forever. */
	pid_t pid = pl_fork_helper(SIGTERM, NULL);
	if (pid == 0) {
		/* A name of its own, so `ps -e` and `pkill` can tell it apart. */
		prctl(PR_SET_NAME, name);
		_exit(fn(net, arg));
	}
	return pid;
}

static int run_slirp(struct pl_net *net, int tapfd)
{
	struct pl_slirp_opts o = { .allow_host_loopback = net->opts.allow_host_loopback };
	if (net->opts.slirp_port_handler) {
		o.ports = net->ports;
		o.n_ports = net->n_ports;
	}
	return pl_slirp_run(tapfd, &o);
}

static int run_forwarder(struct pl_net *net, int unused)
{
	(void)unused;
	return pl_forward_run(net->container, net->ports, net->n_ports);
}

static int exec_tool(struct pl_net *net, int ready_fd)
{
	char user[64], netns[64], pidarg[32], api[4400], ready[16];
	snprintf(user, sizeof user, "/proc/%d/ns/user", (int)net->container);
	snprintf(netns, sizeof netns, "/proc/%d/ns/net", (int)net->container);
	snprintf(pidarg, sizeof pidarg, "%d", (int)net->container);
	const char *argv[64];
	size_t n = 0;
	if (net->opts.mode == PL_NET_SLIRP4NETNS) {
		snprintf(api, sizeof api, "--api-socket=%s/api.sock", net->dir);
		snprintf(ready, sizeof ready, "--ready-fd=%d", ready_fd);
		argv[n++] = "slirp4netns";
		argv[n++] = "--configure";
		argv[n++] = "--mtu=65520";
		if (!net->opts.allow_host_loopback)
			argv[n++] = "--disable-host-loopback";
		argv[n++] = api;
		argv[n++] = ready;
		argv[n++] = "--userns-path";
		argv[n++] = user;
		argv[n++] = pidarg;
		argv[n++] = PL_TAP_NAME;
	} else {
		static char specs[PL_MAX_PORTS][128];
		argv[n++] = "pasta";
		argv[n++] = "--config-net";
		argv[n++] = "--quiet";
		argv[n++] = "--foreground";
		if (!net->opts.allow_host_loopback)
			argv[n++] = "--no-map-gw";
		bool tcp = false, udp = false;
		for (size_t i = 0; i < net->n_ports && n < 50; i++) {
			const struct pl_port *p = &net->ports[i];
			snprintf(specs[i], sizeof specs[i], "%s%s%u:%u", p->host_ip, p->host_ip[0] ? "/" : "", p->host_port,
				 p->ctr_port);
			argv[n++] = p->udp ? "-u" : "-t";
			argv[n++] = specs[i];
			tcp |= !p->udp;
			udp |= p->udp;
		}
		if (!tcp)
			argv[n++] = "-t", argv[n++] = "none";
		if (!udp)
			argv[n++] = "-u", argv[n++] = "none";
		argv[n++] = "--userns";
		argv[n++] = user;
		argv[n++] = "--netns";
		argv[n++] = netns;
	}
	argv[n] = NULL;
	/* slirp4netns narrates everything it does on stdout and stderr: keep
	 * that in a log in the private directory (shown when it fails). */
	char log[4400];
	snprintf(log, sizeof log, "%s/%s.log", net->dir, argv[0]);
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execvp(argv[0], (char **)argv);
	fprintf(stderr, "podlab: cannot run %s: %s\n", argv[0], strerror(errno));
	return 127;
}

/* slirp4netns takes port forwards over its API socket, as JSON. */
static int slirp4netns_ports(struct pl_net *net, pl_error **err)
{
	char path[4400];
	snprintf(path, sizeof path, "%s/api.sock", net->dir);
	for (size_t i = 0; i < net->n_ports; i++) {
		const struct pl_port *p = &net->ports[i];
		json_object *req = json_object_new_object(), *args = json_object_new_object();
		json_object_object_add(req, "execute", json_object_new_string("add_hostfwd"));
		json_object_object_add(args, "proto", json_object_new_string(p->udp ? "udp" : "tcp"));
		json_object_object_add(args, "host_addr", json_object_new_string(p->host_ip[0] ? p->host_ip : "0.0.0.0"));
		json_object_object_add(args, "host_port", json_object_new_int((int)p->host_port));
		json_object_object_add(args, "guest_port", json_object_new_int((int)p->ctr_port));
		json_object_object_add(req, "arguments", args);
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
		const char *text = json_object_to_json_string(req);
		char reply[1024] = "";
		ssize_t got = -1;
		if (s >= 0 && connect(s, (struct sockaddr *)&sun, sizeof sun) == 0 &&
		    write(s, text, strlen(text)) == (ssize_t)strlen(text)) {
			shutdown(s, SHUT_WR);
			got = read(s, reply, sizeof reply - 1);
		}
		if (s >= 0)
			close(s);
		json_object_put(req);
		reply[got > 0 ? got : 0] = '\0';
		json_object *r = got > 0 ? json_tokener_parse(reply) : NULL, *e;
		bool failed = r == NULL || json_object_object_get_ex(r, "error", &e);
		if (r)
			json_object_put(r);
		if (failed) {
			pl_fail(err, 0, "slirp4netns refused to forward host port %u", p->host_port);
			return pl_why(err, "its API answered: %s", reply[0] ? reply : "nothing");
		}
	}
	return 0;
}

static int start_helper(struct pl_net *net, pl_error **err)
{
	if (net->opts.mode == PL_NET_SLIRP) {
		int tapfd;
		if (pl_tap_create(net->container, &tapfd, err) < 0)
			return -1;
		net->helper = spawn(run_slirp, net, tapfd, "podlab-slirp");
		close(tapfd);
		pl_trace("podlab's slirp helper is pid %d (tap0 in the container, 10.0.2.100/24)", (int)net->helper);
		return 0;
	}
	int ready[2] = { -1, -1 };
	if (net->opts.mode == PL_NET_SLIRP4NETNS && pipe(ready) < 0)
		return pl_fail(err, errno, "cannot create a pipe for slirp4netns");
	net->helper = spawn(exec_tool, net, ready[1], "podlab-nethelp");
	pl_trace("%s is pid %d", pl_network_name(net->opts.mode), (int)net->helper);
	if (ready[1] >= 0)
		close(ready[1]);
	int rc = wait_ready(net, pl_network_name(net->opts.mode), err);
	if (ready[0] >= 0)
		close(ready[0]);
	if (rc == 0 && net->opts.mode == PL_NET_SLIRP4NETNS)
		rc = slirp4netns_ports(net, err);
	return rc;
}

static bool uses_forwarder(const struct pl_net *net)
{
	return net->opts.mode == PL_NET_SLIRP && !net->opts.slirp_port_handler && net->n_ports > 0;
}

/* A podlab killed with SIGKILL cannot remove its network directory.  The
 * directory's name carries the pid that made it: the next podlab removes
 * the ones of yours whose podlab no longer exists. */
static void remove_stale(const char *base)
{
	DIR *d = opendir(base);
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		int pid;
		char path[4200];
		struct stat st;
		if (sscanf(e->d_name, "podlab-net-%d-", &pid) != 1 || pid <= 0)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH) /* alive (EPERM: alive, not ours) */
			continue;
		snprintf(path, sizeof path, "%s/%s", base, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid())
			pl_remove_tree(path, NULL);
	}
	if (d)
		closedir(d);
}

int pl_network_prepare(struct pl_net *net, const char **resolv, pl_error **err)
{
	*resolv = NULL;
	const char *base = getenv("XDG_RUNTIME_DIR");
	remove_stale(base && *base ? base : "/tmp");
	snprintf(net->dir, sizeof net->dir, "%s/podlab-net-%d-XXXXXX", base && *base ? base : "/tmp", (int)getpid());
	if (mkdtemp(net->dir) == NULL)
		return pl_fail(err, errno, "cannot create a private directory for the network in %s", base ? base : "/tmp");
	if (net->opts.mode == PL_NET_NONE)
		return 0;
	/* slirp answers DNS at 10.0.2.3; pasta and the host's network reach
	 * the host's own resolvers directly. */
	snprintf(net->resolv, sizeof net->resolv, "%s/resolv.conf", net->dir);
	FILE *out = fopen(net->resolv, "we");
	if (out == NULL)
		return pl_fail(err, errno, "cannot write %s", net->resolv);
	if (net->opts.mode == PL_NET_SLIRP || net->opts.mode == PL_NET_SLIRP4NETNS) {
		fprintf(out, "nameserver %s\n", PL_NET_DNS);
	} else {
		FILE *in = fopen("/etc/resolv.conf", "re");
		char line[512];
		while (in && fgets(line, sizeof line, in))
			fputs(line, out);
		if (in)
			fclose(in);
	}
	fclose(out);
	chmod(net->resolv, 0644);
	*resolv = net->resolv;
	return 0;
}

int pl_network_start(struct pl_net *net, pl_error **err)
{
	if (net->opts.mode >= PL_NET_NONE)
		return 0;
	if (start_helper(net, err) < 0)
		return -1;
	if (uses_forwarder(net)) {
		net->forwarder = spawn(run_forwarder, net, 0, "podlab-forward");
		pl_trace("podlab's port forwarder is pid %d", (int)net->forwarder);
	}
	return 0;
}

bool pl_network_reap(struct pl_net *net, pid_t pid, int status)
{
	bool helper = pid == net->helper && pid > 0, forwarder = pid == net->forwarder && pid > 0;
	if (!helper && !forwarder)
		return false;
	const char *who = helper ? pl_network_name(net->opts.mode) : "the port forwarder";
	if (helper)
		net->helper = 0;
	else
		net->forwarder = 0;
	if (++net->restarts > MAX_RESTARTS) {
		pl_warn("%s exited (status %d) and has been restarted %d times: giving up; the container has no network",
			who, pl_exit_code(status), MAX_RESTARTS);
		return true;
	}
	/* podman 1.x left a container without network when slirp4netns died;
	 * here the helper comes back, with the ports. */
	pl_warn("%s exited (status %d): restarting it", who, pl_exit_code(status));
	pl_error *err = NULL;
	if (helper && start_helper(net, &err) < 0) {
		pl_warn("could not restart %s: %s", who, err->what);
		pl_error_free(&err);
	}
	if (forwarder)
		net->forwarder = spawn(run_forwarder, net, 0, "podlab-forward");
	return true;
}

static void stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		usleep(5000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

void pl_network_stop(struct pl_net *net)
{
	stop(net->forwarder);
	stop(net->helper);
	net->forwarder = net->helper = 0;
	if (net->dir[0])
		pl_remove_tree(net->dir, NULL);
	net->dir[0] = '\0';
}
