/* stage05.c - checks for stage 05: containers without a daemon, and pods.
 *
 * Nothing a student's podlab says about its containers is taken on
 * trust: the checker kills containers, supervisors and podlab itself from
 * outside, then compares `ps` and `inspect` with the processes /proc
 * shows, and compares a pod member's namespaces with the infra's by the
 * inode numbers of the links in /proc/PID/ns.  Detached containers outlive the
 * command that made them, so these checks tell the runner to let
 * survivors be (runner_keep_leftovers) and clean up after themselves.
 */
#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fixtures.h"

#define NEEDS "userns,newuidmap,newgidmap"
#define EXIT_HOLES "05:exit-record"
#define POD_HOLES "05:pod-join"
#define KUBE_HOLES "05:kube-container,05:pod-join"
#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define IMAGE PROBE_IMAGE

/* ---- set-up and small tools ----------------------------------------------- */

/* The probe's image; detached containers may outlive their command. */
static enum outcome need_image(struct check_ctx *ctx, struct check_result *r)
{
	runner_keep_leftovers(true);
	return need_probe_image(ctx, r);
}

/* Remove what a check made, and only then sweep what is still ours. */
static void tidy(struct check_ctx *ctx, const char *const *ctrs, const char *const *pods)
{
	struct run_result res;
	struct kv kv;
	for (; pods && *pods; pods++) {
		run_podlab(ctx, ARGS("pod", "rm", "-f", *pods), &res, &kv);
		kv_free(&kv);
		run_result_free(&res);
	}
	for (; ctrs && *ctrs; ctrs++) {
		run_podlab(ctx, ARGS("rm", "-f", *ctrs), &res, &kv);
		kv_free(&kv);
		run_result_free(&res);
	}
	runner_keep_leftovers(false);
	runner_kill_leftovers(NULL, 0);
}

/* `podlab ARGS`; true if it exited 0.  Its stdout is copied to out. */
static bool podlab_ok(struct check_ctx *ctx, const char *const *args, char *out, size_t len, char *how, size_t hlen)
{
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, args, &res, &kv);
	bool ok = res.exited && res.code == 0;
	if (out)
		snprintf(out, len, "%s", res.out ? res.out : "");
	if (how) {
		describe_run(&res, how, hlen);
		if (res.err && res.err[0])
			snprintf(how + strlen(how), hlen - strlen(how), "; it said: %.300s", res.err);
	}
	kv_free(&kv);
	run_result_free(&res);
	return ok;
}

/* The line of `podlab ps -a` whose last word is NAME. */
static bool ps_line(struct check_ctx *ctx, const char *name, char *line, size_t len)
{
	char out[16384];
	line[0] = '\0';
	if (!podlab_ok(ctx, ARGS("ps", "-a"), out, sizeof out, NULL, 0))
		return false;
	for (char *save = NULL, *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		const char *last = strrchr(l, ' ');
		if (last && strcmp(last + 1, name) == 0) {
			snprintf(line, len, "%s", l);
			return true;
		}
	}
	return false;
}

/* A number from `podlab inspect NAME`: State.KEY (or KEY at the top). */
static long inspect_num(struct check_ctx *ctx, const char *cmd, const char *name, const char *key)
{
	char out[16384];
	bool pod = strcmp(cmd, "pod") == 0;
	if (!podlab_ok(ctx, pod ? ARGS("pod", "inspect", name) : ARGS("inspect", name), out, sizeof out, NULL, 0))
		return -1;
	json_object *j = json_tokener_parse(out), *o, *v;
	long n = -1;
	if (j && json_object_is_type(j, json_type_array) && (o = json_object_array_get_idx(j, 0)) != NULL) {
		if (!pod && json_object_object_get_ex(o, "State", &v))
			o = v;
		if (json_object_object_get_ex(o, key, &v))
			n = (long)json_object_get_int64(v);
	}
	if (j)
		json_object_put(j);
	return n;
}

static bool alive(long pid)
{
	return process_alive(pid);
}

static bool gone_within(long pid, int ms)
{
	for (int t = 0; t < ms; t += 50) {
		if (!alive(pid))
			return true;
		usleep(50000);
	}
	return !alive(pid);
}

/* Run a detached container: podlab run -d --network none --name NAME [OPTS] IMAGE /probe ARGS. */
static bool detach(struct check_ctx *ctx, const char *name, const char *const *opts, const char *const *probe,
		   char *id, size_t len, char *how, size_t hlen)
{
	const char *args[40];
	int n = 0;
	args[n++] = "run";
	args[n++] = "-d";
	args[n++] = "--name";
	args[n++] = name;
	bool pod = false;
	for (; opts && *opts && n < 20; opts++) {
		pod |= strcmp(*opts, "--pod") == 0;
		args[n++] = *opts;
	}
	if (!pod) { /* a pod brings its own network */
		args[n++] = "--network";
		args[n++] = "none";
	}
	args[n++] = IMAGE;
	args[n++] = "/probe";
	for (; probe && *probe && n < 38; probe++)
		args[n++] = *probe;
	args[n] = NULL;
	bool ok = podlab_ok(ctx, args, id, len, how, hlen);
	id[strcspn(id, "\n")] = '\0';
	return ok;
}

/* ---- the lifecycle -------------------------------------------------------- */

static enum outcome c_detach(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char id[256], how[1024], line[1024];
	double t0 = runner_now();
	if (!detach(ctx, "c05-detach", NULL, PROBE("sleep", "30"), id, sizeof id, how, sizeof how)) {
		o = check_fail(r, "podlab run -d failed: %s", how);
	} else if (strlen(id) != 64 || strspn(id, "0123456789abcdef") != 64) {
		o = check_fail(r, "podlab run -d printed '%.80s', not the container's 64-hex-digit id", id);
	} else if (runner_now() - t0 > 10) {
		o = check_fail(r, "podlab run -d took %.0f s to return: it must not wait for the container", runner_now() - t0);
	} else if (!ps_line(ctx, "c05-detach", line, sizeof line) || !strstr(line, " Up ")) {
		o = check_fail(r, "after run -d, podlab ps -a shows '%s', not Up", line[0] ? line : "nothing for it");
	} else {
		long pid = inspect_num(ctx, "", "c05-detach", "Pid");
		o = alive(pid) ? check_pass(r, "id printed, command returned, container running (pid %ld)", pid)
			       : check_fail(r, "inspect says the container's pid is %ld, and no such process runs", pid);
	}
	tidy(ctx, ARGS("c05-detach"), NULL);
	return o;
}

static enum outcome c_logs(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char id[256], how[1024];
	if (!detach(ctx, "c05-logs", NULL, PROBE("hostname"), id, sizeof id, how, sizeof how)) {
		tidy(ctx, ARGS("c05-logs"), NULL);
		return check_fail(r, "podlab run -d failed: %s", how);
	}
	struct kv kv = { 0 };
	for (int t = 0; t < 50 && !kv.found; t++) {
		struct run_result res;
		kv_free(&kv);
		run_podlab(ctx, ARGS("logs", "c05-logs"), &res, &kv);
		run_result_free(&res);
		if (!kv.found)
			usleep(100000);
	}
	o = kv.found ? check_pass(r, "what the detached container printed is in podlab logs")
		     : check_fail(r, "podlab logs shows nothing the detached container printed (its stdout must go to "
				     "the container's log)");
	kv_free(&kv);
	tidy(ctx, ARGS("c05-logs"), NULL);
	return o;
}

/* Wait for NAME to leave Up; its ps line and wait's output. */
static void settle(struct check_ctx *ctx, const char *name, char *line, size_t len, char *waited, size_t wlen)
{
	for (int t = 0; t < 100; t++) {
		if (ps_line(ctx, name, line, len) && !strstr(line, " Up "))
			break;
		usleep(100000);
	}
	podlab_ok(ctx, ARGS("wait", name), waited, wlen, NULL, 0);
	waited[strcspn(waited, "\n")] = '\0';
}

static enum outcome c_exit_code(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char id[256], how[1024], line[1024] = "", waited[64] = "";
	if (!detach(ctx, "c05-exit", NULL, PROBE("exit", "7"), id, sizeof id, how, sizeof how)) {
		tidy(ctx, ARGS("c05-exit"), NULL);
		return check_fail(r, "podlab run -d failed: %s", how);
	}
	settle(ctx, "c05-exit", line, sizeof line, waited, sizeof waited);
	if (strcmp(waited, "7") != 0)
		o = check_fail(r, "the command exited 7; podlab wait printed '%s'", waited);
	else if (!strstr(line, "Exited (7)"))
		o = check_fail(r, "the command exited 7; podlab ps -a says '%s'", line);
	else
		o = check_pass(r, "exit code 7 recorded: wait prints it, ps says Exited (7)");
	tidy(ctx, ARGS("c05-exit"), NULL);
	return o;
}

static enum outcome c_killed_container(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char id[256], how[1024], line[1024] = "", waited[64] = "";
	if (!detach(ctx, "c05-kill", NULL, PROBE("sleep", "30"), id, sizeof id, how, sizeof how)) {
		tidy(ctx, ARGS("c05-kill"), NULL);
		return check_fail(r, "podlab run -d failed: %s", how);
	}
	long pid = inspect_num(ctx, "", "c05-kill", "Pid");
	if (pid <= 0 || !alive(pid)) {
		tidy(ctx, ARGS("c05-kill"), NULL);
		return check_fail(r, "podlab inspect gives no running pid for the container (State.Pid %ld)", pid);
	}
	kill((pid_t)pid, SIGKILL);
	settle(ctx, "c05-kill", line, sizeof line, waited, sizeof waited);
	o = strcmp(waited, "137") == 0 && strstr(line, "Exited (137)")
		    ? check_pass(r, "container killed with SIGKILL: Exited (137), as recorded by its supervisor")
		    : check_fail(r, "after kill -9 of the container (pid %ld): wait printed '%s', ps -a says '%s'; "
				    "expected 137 and Exited (137)",
				 pid, waited, line);
	tidy(ctx, ARGS("c05-kill"), NULL);
	return o;
}

static enum outcome c_killed_supervisor(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char id[256], how[1024], line[1024] = "";
	if (!detach(ctx, "c05-sup", NULL, PROBE("sleep", "30"), id, sizeof id, how, sizeof how)) {
		tidy(ctx, ARGS("c05-sup"), NULL);
		return check_fail(r, "podlab run -d failed: %s", how);
	}
	long pid = inspect_num(ctx, "", "c05-sup", "Pid"), sup = inspect_num(ctx, "", "c05-sup", "SupervisorPid");
	if (sup <= 0 || !alive(sup) || !alive(pid)) {
		tidy(ctx, ARGS("c05-sup"), NULL);
		return check_fail(r, "podlab inspect gives no live State.SupervisorPid (%ld) and State.Pid (%ld)", sup, pid);
	}
	kill((pid_t)sup, SIGKILL);
	bool died = gone_within(pid, 3000);
	ps_line(ctx, "c05-sup", line, sizeof line);
	if (!died)
		o = check_fail(r, "the supervisor (pid %ld) was killed, but the container (pid %ld) still runs: nothing "
				  "ties it to its supervisor",
			       sup, pid);
	else if (strstr(line, " Up ") || !line[0])
		o = check_fail(r, "with its supervisor killed, podlab ps -a says '%s': a dead container shown as running",
			       line[0] ? line : "nothing");
	else
		o = check_pass(r, "supervisor killed: the container went with it, and ps says '%s'", strstr(line, "Exited") ?: line);
	tidy(ctx, ARGS("c05-sup"), NULL);
	return o;
}

static enum outcome c_killed_cli(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	const char *argv[] = { ctx->podlab, "run", "--name", "c05-fg", "--network", "none", IMAGE, "/probe", "sleep", "30",
			       NULL };
	struct proc p;
	if (runner_start(&p, (char *const *)argv, NULL) < 0) {
		tidy(ctx, ARGS("c05-fg"), NULL);
		return check_env(r, "cannot start podlab: %s", strerror(errno));
	}
	char line[1024] = "";
	for (int t = 0; t < 100 && !strstr(line, " Up "); t++) {
		usleep(100000);
		ps_line(ctx, "c05-fg", line, sizeof line);
	}
	long pid = inspect_num(ctx, "", "c05-fg", "Pid");
	kill(p.pid, SIGKILL);
	struct run_result res;
	runner_wait(&p, 5000, &res);
	run_result_free(&res);
	if (!strstr(line, " Up ")) {
		o = check_fail(r, "a foreground podlab run never showed as Up in podlab ps (%s)", line[0] ? line : "not listed");
	} else {
		bool died = gone_within(pid, 3000);
		ps_line(ctx, "c05-fg", line, sizeof line);
		o = !died ? check_fail(r, "podlab was killed with SIGKILL, but its container (pid %ld) still runs", pid)
		    : strstr(line, " Up ") ? check_fail(r, "podlab was killed; ps still says '%s'", line)
					   : check_pass(r, "podlab killed mid-run: container gone, ps no longer says Up");
	}
	tidy(ctx, ARGS("c05-fg"), NULL);
	return o;
}

static enum outcome c_rm_force(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char id[256], how[1024], line[1024] = "";
	if (!detach(ctx, "c05-rm", NULL, PROBE("sleep", "30"), id, sizeof id, how, sizeof how)) {
		tidy(ctx, ARGS("c05-rm"), NULL);
		return check_fail(r, "podlab run -d failed: %s", how);
	}
	long pid = inspect_num(ctx, "", "c05-rm", "Pid"), sup = inspect_num(ctx, "", "c05-rm", "SupervisorPid");
	bool ok = podlab_ok(ctx, ARGS("rm", "-f", "c05-rm"), NULL, 0, how, sizeof how);
	bool listed = ps_line(ctx, "c05-rm", line, sizeof line);
	if (!ok)
		o = check_fail(r, "podlab rm -f of a running container failed: %s", how);
	else if (listed)
		o = check_fail(r, "after rm -f, ps -a still lists it: %s", line);
	else if (alive(pid) || alive(sup))
		o = check_fail(r, "after rm -f, the container (pid %ld) or its supervisor (pid %ld) still runs", pid, sup);
	else
		o = check_pass(r, "rm -f stopped it, and nothing of it is left");
	tidy(ctx, ARGS("c05-rm"), NULL);
	return o;
}

/* ---- pods ----------------------------------------------------------------- */

static void ns_link(long pid, const char *kind, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/ns/%s", pid, kind);
	ssize_t n = readlink(path, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
}

/* A pod (network none: localhost is all it needs) with a server in it. */
static enum outcome make_pod(struct check_ctx *ctx, struct check_result *r, const char *pod, const char *token)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char id[256], how[1024];
	if (!podlab_ok(ctx, ARGS("pod", "create", "--name", pod, "--network", "none"), NULL, 0, how, sizeof how))
		return check_fail(r, "podlab pod create failed: %s", how);
	char name[64];
	snprintf(name, sizeof name, "%s-srv", pod);
	if (!detach(ctx, name, ARGS("--pod", pod), PROBE("serve", "8080", "30", token), id, sizeof id, how, sizeof how))
		return check_fail(r, "podlab run -d --pod %s failed: %s", pod, how);
	return OUT_PENDING;
}

static enum outcome c_pod_localhost(struct check_ctx *ctx, struct check_result *r)
{
	char token[64];
	snprintf(token, sizeof token, "pod-%s", ctx->nonce);
	enum outcome o = make_pod(ctx, r, "c05-pod", token);
	if (o == OUT_PENDING) {
		struct kv kv = { 0 };
		const char *line = NULL;
		for (int t = 0; t < 30; t++) {
			struct run_result res;
			kv_free(&kv);
			run_podlab(ctx, ARGS("run", "--rm", "--pod", "c05-pod", IMAGE, "/probe", "connect", "127.0.0.1", "8080"),
				   &res, &kv);
			run_result_free(&res);
			if ((line = kv_get(&kv, "line")) && strcmp(line, token) == 0)
				break;
			usleep(200000);
		}
		o = line && strcmp(line, token) == 0
			    ? check_pass(r, "a second member reached the first on 127.0.0.1:8080")
			    : check_fail(r, "a member connecting to 127.0.0.1:8080 got '%s', not the other member's token: "
					    "the members must share one network namespace",
					 line ? line : kv_get(&kv, "connect") ? kv_get(&kv, "connect") : "no answer");
		kv_free(&kv);
	}
	tidy(ctx, NULL, ARGS("c05-pod"));
	return o;
}

static enum outcome c_pod_namespaces(struct check_ctx *ctx, struct check_result *r)
{
	char token[64];
	snprintf(token, sizeof token, "ns-%s", ctx->nonce);
	enum outcome o = make_pod(ctx, r, "c05-ns", token);
	if (o == OUT_PENDING) {
		long infra = inspect_num(ctx, "pod", "c05-ns", "InfraPid"), member = inspect_num(ctx, "", "c05-ns-srv", "Pid");
		char bad[256] = "";
		if (!alive(infra) || !alive(member)) {
			o = check_fail(r, "pod inspect's InfraPid (%ld) or the member's State.Pid (%ld) is not a live process",
				       infra, member);
		} else {
			const char *shared[] = { "user", "net", "uts", "ipc" }, *own[] = { "mnt", "pid" };
			for (int i = 0; i < 4; i++) {
				char a[128], b[128];
				ns_link(infra, shared[i], a, sizeof a);
				ns_link(member, shared[i], b, sizeof b);
				if (strcmp(a, b) != 0 || !a[0])
					snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s not shared;", shared[i]);
			}
			for (int i = 0; i < 2; i++) {
				char a[128], b[128];
				ns_link(infra, own[i], a, sizeof a);
				ns_link(member, own[i], b, sizeof b);
				if (strcmp(a, b) == 0)
					snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s shared with the infra;", own[i]);
			}
			char self[128], member_user[128];
			ns_link(getpid(), "user", self, sizeof self);
			ns_link(member, "user", member_user, sizeof member_user);
			if (strcmp(self, member_user) == 0)
				snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " the user namespace is the host's;");
			o = bad[0] ? check_fail(r, "the member (pid %ld) and the infra (pid %ld):%s", member, infra, bad)
				   : check_pass(r, "user, net, uts, ipc: the infra's; mnt and pid: the member's own");
		}
	}
	tidy(ctx, NULL, ARGS("c05-ns"));
	return o;
}

static enum outcome c_pod_view(struct check_ctx *ctx, struct check_result *r)
{
	char token[64];
	snprintf(token, sizeof token, "view-%s", ctx->nonce);
	enum outcome o = make_pod(ctx, r, "c05-view", token);
	if (o == OUT_PENDING) {
		struct run_result res;
		struct kv kv;
		run_podlab(ctx, ARGS("run", "--rm", "--pod", "c05-view", IMAGE, "/probe", "hostname"), &res, &kv);
		const char *host = kv_get(&kv, "hostname");
		char hostname[128];
		snprintf(hostname, sizeof hostname, "%s", host ? host : "");
		kv_free(&kv);
		run_result_free(&res);
		run_podlab(ctx, ARGS("run", "--rm", "--pod", "c05-view", IMAGE, "/probe", "ps"), &res, &kv);
		const char *ps = kv_get(&kv, "ps");
		if (strcmp(hostname, "c05-view") != 0)
			o = check_fail(r, "inside a member the hostname is '%s', not the pod's name", hostname);
		else if (ps == NULL)
			o = check_fail(r, "the probe's ps did not run in the member");
		/* Alone in a PID namespace of its own, the probe is PID 1 and the
		 * only process ("pid:comm" pairs).  (Matching the other member's
		 * command line could never fail: its comm is "probe" too.) */
		else if (strcmp(ps, "1:probe") != 0)
			o = check_fail(r, "a member must see only itself, as PID 1; it sees %.200s: each member needs its own "
					  "PID namespace",
				       ps);
		else
			o = check_pass(r, "hostname c05-view (the pod's), and only its own processes in ps");
		kv_free(&kv);
		run_result_free(&res);
	}
	tidy(ctx, NULL, ARGS("c05-view"));
	return o;
}

/* ---- play kube -------------------------------------------------------------- */

static void write_yaml(struct check_ctx *ctx, const char *name, const char *text, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", ctx->scratch, name);
	FILE *f = fopen(path, "we");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static enum outcome c_kube_line(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char path[4400];
	write_yaml(ctx, "bad.yaml",
		   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: c05-bad\nspec:\n  containers:\n  - name: a\n"
		   "    image: " IMAGE "\n    command: [/probe, hostname]\n    resources: {}\n",
		   path, sizeof path);
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, ARGS("play", "kube", path), &res, &kv);
	char where[64], pods[4096] = "";
	snprintf(where, sizeof where, "bad.yaml:10:5");
	podlab_ok(ctx, ARGS("pod", "ps"), pods, sizeof pods, NULL, 0);
	if (res.exited && res.code == 0)
		o = check_fail(r, "play kube accepted a container with an unsupported field (resources)");
	else if (!res.err || !strstr(res.err, where) || !strstr(res.err, "resources"))
		o = check_fail(r, "the error must name the file, line 10, column 5 and the field 'resources'; it said: %.300s",
			       res.err ? res.err : "");
	else if (strstr(pods, "c05-bad"))
		o = check_fail(r, "the file was refused, but pod c05-bad was created anyway");
	else
		o = check_pass(r, "refused with file:line:column and the field's name; nothing started");
	kv_free(&kv);
	run_result_free(&res);
	tidy(ctx, NULL, ARGS("c05-bad"));
	return o;
}

static const char *kube_text(struct check_ctx *ctx, char *buf, size_t len)
{
	snprintf(buf, len,
		 "apiVersion: v1\nkind: Pod\nmetadata:\n  name: c05-kube\nspec:\n  containers:\n"
		 /* args before command, on purpose: command still comes first */
		 "  - name: srv\n    image: " IMAGE "\n    args: [serve, \"8080\", \"30\", kube-%s]\n    command: [/probe]\n"
		 "  - name: cli\n    image: " IMAGE "\n    command: [/probe, sleep, \"30\"]\n"
		 "    volumeMounts:\n    - {name: shared, mountPath: /shared}\n"
		 /* env, workingDir and a volume mount, seen from inside */
		 /* (/kube-vol is not in the image: only the volume mount makes it) */
		 "  - name: env\n    image: " IMAGE "\n    command: [/probe, env, GREETING]\n    workingDir: /kube-vol\n"
		 "    env:\n    - {name: GREETING, value: hello-%s}\n"
		 "    volumeMounts:\n    - {name: shared, mountPath: /kube-vol}\n"
		 "  volumes:\n  - name: shared\n    emptyDir: {}\n",
		 ctx->nonce, ctx->nonce);
	return buf;
}

/* Both members of the played pod are Up. */
static bool kube_running(struct check_ctx *ctx, char *why, size_t len)
{
	char line[1024];
	for (int t = 0; t < 50; t++) {
		bool srv = ps_line(ctx, "c05-kube-srv", line, sizeof line) && strstr(line, " Up ");
		bool cli = ps_line(ctx, "c05-kube-cli", line, sizeof line) && strstr(line, " Up ");
		if (srv && cli)
			return true;
		usleep(100000);
	}
	snprintf(why, len, "containers c05-kube-srv and c05-kube-cli are not both Up (cli: %s)", line[0] ? line : "absent");
	return false;
}

static enum outcome c_kube_play(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char text[2048], path[4400], how[1024], why[1200];
	write_yaml(ctx, "pod.yaml", kube_text(ctx, text, sizeof text), path, sizeof path);
	if (!podlab_ok(ctx, ARGS("play", "kube", path), NULL, 0, how, sizeof how)) {
		o = check_fail(r, "podlab play kube failed: %s", how);
	} else if (!kube_running(ctx, why, sizeof why)) {
		o = check_fail(r, "after play kube: %s", why);
	} else {
		/* cli reached srv on localhost: its log, read from a member. */
		struct kv kv = { 0 };
		const char *log = NULL;
		for (int t = 0; t < 30 && !(log && strstr(log, " ok")); t++) {
			struct run_result res;
			kv_free(&kv);
			usleep(200000);
			run_podlab(ctx, ARGS("run", "--rm", "--pod", "c05-kube", IMAGE, "/probe", "connect", "127.0.0.1", "8080"),
				   &res, &kv);
			run_result_free(&res);
			log = kv_get(&kv, "line");
		}
		char want[64], hello[64];
		snprintf(want, sizeof want, "kube-%s", ctx->nonce);
		snprintf(hello, sizeof hello, "hello-%s", ctx->nonce);
		/* What `env` printed: its variable and its working directory. */
		struct kv env = { 0 };
		for (int t = 0; t < 30 && !env.found; t++) {
			struct run_result res;
			kv_free(&env);
			run_podlab(ctx, ARGS("logs", "c05-kube-env"), &res, &env);
			run_result_free(&res);
			if (!env.found)
				usleep(100000);
		}
		const char *greeting = kv_get(&env, "GREETING"), *cwd = kv_get(&env, "cwd");
		if (!log || strcmp(log, want) != 0)
			o = check_fail(r, "srv (args serve ..., then command /probe) does not answer on the pod's 127.0.0.1:8080 "
					  "(got '%s'): command comes first in argv, then args, whatever their order in the file",
				       log ? log : "nothing");
		else if (!greeting || strcmp(greeting, hello) != 0)
			o = check_fail(r, "container env printed GREETING=%s; the YAML's env sets it to %s", greeting ? greeting : "?",
				       hello);
		else if (!cwd || strcmp(cwd, "/kube-vol") != 0)
			o = check_fail(r, "container env ran in %s, not its workingDir /kube-vol (a mounted volume)",
				       cwd ? cwd : "?");
		else
			o = check_pass(r, "pod c05-kube: srv answers on localhost; env sees its variable, workingDir and volume");
		kv_free(&env);
		kv_free(&kv);
	}
	tidy(ctx, NULL, ARGS("c05-kube"));
	return o;
}

static enum outcome c_kube_roundtrip(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = need_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char text[2048], path[4400], gen[4400], how[1024], why[1200], yaml[16384] = "";
	write_yaml(ctx, "rt.yaml", kube_text(ctx, text, sizeof text), path, sizeof path);
	snprintf(gen, sizeof gen, "%s/generated.yaml", ctx->scratch);
	if (!podlab_ok(ctx, ARGS("play", "kube", path), NULL, 0, how, sizeof how) || !kube_running(ctx, why, sizeof why)) {
		tidy(ctx, NULL, ARGS("c05-kube"));
		return check_fail(r, "play kube of the original file failed: %s", how);
	}
	if (!podlab_ok(ctx, ARGS("generate", "kube", "c05-kube"), yaml, sizeof yaml, how, sizeof how)) {
		o = check_fail(r, "podlab generate kube failed: %s", how);
	} else {
		FILE *f = fopen(gen, "we");
		if (f) {
			fputs(yaml, f);
			fclose(f);
		}
		bool down = podlab_ok(ctx, ARGS("play", "kube", "--down", path), NULL, 0, how, sizeof how);
		char line[1024];
		bool gone = !ps_line(ctx, "c05-kube-srv", line, sizeof line);
		if (!down || !gone)
			o = check_fail(r, "play kube --down did not remove the pod and its containers: %s", how);
		else if (!podlab_ok(ctx, ARGS("play", "kube", gen), NULL, 0, how, sizeof how))
			o = check_fail(r, "play kube refused what generate kube wrote: %s", how);
		else if (!kube_running(ctx, why, sizeof why))
			o = check_fail(r, "the generated YAML played back, but %s", why);
		else
			o = check_pass(r, "generate kube -> play kube --down -> play kube of the generated YAML: same pod");
	}
	tidy(ctx, NULL, ARGS("c05-kube"));
	return o;
}

static const struct check checks[] = {
	{ "05.detach", "run -d prints the id and returns; the container runs on", 2, { NULL }, NEEDS, "",
	  "fork a supervisor that calls setsid() and waits for the container; the CLI exits", c_detach },
	{ "05.logs", "a detached container's output is in podlab logs", 1, { "05.detach" }, NEEDS, "",
	  "the supervisor opens the log and gives it to the container as stdout and stderr", c_logs },
	{ "05.exit-code", "the exit code is recorded: wait prints it, ps says Exited (N)", 2, { "05.detach" }, NEEDS,
	  EXIT_HOLES, "write status exited, the exit code and the time when the container ends", c_exit_code },
	{ "05.killed-container", "a container killed from outside is Exited (137)", 2, { "05.exit-code" }, NEEDS,
	  EXIT_HOLES, "the supervisor reaps the container and records 128 + the signal", c_killed_container },
	{ "05.killed-supervisor", "a killed supervisor takes its container along, and ps does not say Up", 2,
	  { "05.detach" }, NEEDS, "",
	  "believe 'running' only if the supervisor's pid is alive with the start time recorded", c_killed_supervisor },
	{ "05.killed-cli", "podlab killed mid-run: container gone, ps does not say Up", 1, { "05.detach" }, NEEDS, "",
	  "the foreground podlab is the supervisor: the same checks apply", c_killed_cli },
	{ "05.rm-force", "rm -f stops a running container and leaves nothing", 1, { "05.detach" }, NEEDS, "",
	  "SIGKILL to the container, wait for its supervisor, then remove the record", c_rm_force },
	{ "05.pod-localhost", "members of a pod reach each other on 127.0.0.1", 3, { "05.detach" }, NEEDS, POD_HOLES,
	  "setns() into the infra's network namespace before cloning the container", c_pod_localhost },
	{ "05.pod-namespaces", "members share user, net, uts, ipc with the infra, not mnt and pid", 2,
	  { "05.pod-localhost" }, NEEDS, POD_HOLES, "join four namespaces; clone with CLONE_NEWNS | CLONE_NEWPID",
	  c_pod_namespaces },
	{ "05.pod-view", "a member has the pod's hostname and sees only its own processes", 1, { "05.pod-localhost" },
	  NEEDS, POD_HOLES, "UTS joined, PID namespace new", c_pod_view },
	{ "05.kube-line", "play kube refuses an unsupported field at its line and column, starting nothing", 2,
	  { NULL }, NEEDS, "05:kube-container", "check each key against the known list; fail_at() names the place",
	  c_kube_line },
	{ "05.kube-play", "play kube runs a pod from YAML: command, args, env, workingDir, volumes", 3, { "05.detach" }, NEEDS, KUBE_HOLES,
	  "command, then args, into argv; volumeMounts; then pod create and one run -d --pod each", c_kube_play },
	{ "05.kube-roundtrip", "generate kube writes YAML that plays back into the same pod", 2, { "05.kube-play" },
	  NEEDS, KUBE_HOLES, "generate reads each member's recorded command line", c_kube_roundtrip },
};

const struct check_table stage05_table = { 5, "containers without a daemon, and pods", checks,
					   sizeof checks / sizeof *checks };
