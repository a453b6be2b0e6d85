/* stage06.c - checks for stage 06: systemd units for rootless services.
 *
 * A unit is graded the way systemd would use it, without needing a user
 * manager: systemd-analyze verify reads it; its Exec lines are run in
 * the order systemd runs them (%t and %n expanded as systemd would);
 * the file named by PIDFile= must then hold the pid of the process that
 * really supervises the container.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

#define NEEDS "userns,newuidmap,newgidmap"
#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void tidy(struct check_ctx *ctx, const char *ctr, const char *pod)
{
	struct run_result res;
	struct kv kv;
	if (pod) {
		run_podlab(ctx, ARGS("pod", "rm", "-f", pod), &res, &kv);
		kv_free(&kv);
		run_result_free(&res);
	}
	if (ctr) {
		run_podlab(ctx, ARGS("rm", "-f", ctr), &res, &kv);
		kv_free(&kv);
		run_result_free(&res);
	}
	runner_keep_leftovers(false);
	runner_kill_leftovers(NULL, 0);
}

static bool ok_run(struct check_ctx *ctx, const char *const *args, char *how, size_t len)
{
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, args, &res, &kv);
	bool ok = res.exited && res.code == 0;
	describe_run(&res, how, len);
	if (!ok && res.err)
		snprintf(how + strlen(how), len - strlen(how), "; it said: %.300s", res.err);
	kv_free(&kv);
	run_result_free(&res);
	return ok;
}

/* Generate units for NAME into DIR (podlab generate systemd OPTS --files NAME). */
static bool generate(struct check_ctx *ctx, const char *dir, const char *opt, const char *name, char *how, size_t len)
{
	mkdir(dir, 0755);
	char old[4096];
	if (getcwd(old, sizeof old) == NULL || chdir(dir) < 0)
		return false;
	bool ok = opt ? ok_run(ctx, ARGS("generate", "systemd", opt, "--files", name), how, len)
		      : ok_run(ctx, ARGS("generate", "systemd", "--files", name), how, len);
	if (chdir(old) < 0)
		return false;
	return ok;
}

static char *slurp_file(const char *path)
{
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return NULL;
	char *buf = calloc(1, 65536);
	if (buf)
		buf[fread(buf, 1, 65535, f)] = '\0';
	fclose(f);
	return buf;
}

/* The value of the first line "KEY=..." of a unit, or NULL. */
static const char *unit_value(const char *unit, const char *key, char *out, size_t len)
{
	size_t k = strlen(key);
	for (const char *l = unit; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, k) == 0 && l[k] == '=') {
			snprintf(out, len, "%.*s", (int)strcspn(l + k + 1, "\n"), l + k + 1);
			return out;
		}
	return NULL;
}

/* Expand systemd's %t (runtime directory) and %n (unit name). */
static void expand(const char *in, const char *unit_name, char *out, size_t len)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	size_t n = 0;
	for (; *in && n + 1 < len; in++) {
		if (in[0] == '%' && (in[1] == 't' || in[1] == 'n')) {
			n += (size_t)snprintf(out + n, len - n, "%s", in[1] == 't' ? (rt ? rt : "") : unit_name);
			in++;
		} else {
			out[n++] = *in;
		}
	}
	out[n < len ? n : len - 1] = '\0';
}

/* Run one Exec line of a unit (plain words only: what the checker's own
 * containers need), as systemd would: the leading "-" means "ignore
 * failure".  true if it succeeded (or its failure is to be ignored). */
static bool exec_line(struct check_ctx *ctx, const char *unit, const char *unit_name, const char *key, char *how,
		      size_t len)
{
	char line[4096], expanded[4096];
	if (unit_value(unit, key, line, sizeof line) == NULL) {
		snprintf(how, len, "the unit has no %s= line", key);
		return false;
	}
	bool ignore = line[0] == '-';
	expand(line + ignore, unit_name, expanded, sizeof expanded);
	const char *argv[64];
	int n = 0;
	for (char *save = NULL, *w = strtok_r(expanded, " ", &save); w && n < 63; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	struct run_result res;
	runner_run((char *const *)argv, NULL, ctx->timeout_ms, &res);
	bool ok = ignore || (res.exited && res.code == 0);
	describe_run(&res, how, len);
	run_result_free(&res);
	return ok;
}

static long read_pid(const char *path)
{
	FILE *f = fopen(path, "re");
	long pid = -1;
	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return pid;
}

static bool alive(long pid)
{
	return process_alive(pid);
}

/* ---- checks ---------------------------------------------------------------- */

static enum outcome c_verify(struct check_ctx *ctx, struct check_result *r)
{
	runner_keep_leftovers(true);
	enum outcome o = need_probe_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char how[1024], dir[4400];
	snprintf(dir, sizeof dir, "%s/units-verify", ctx->scratch);
	if (!ok_run(ctx, ARGS("pod", "create", "--name", "u06", "--network", "none"), how, sizeof how) ||
	    !ok_run(ctx, ARGS("create", "--pod", "u06", "--name", "u06-srv", PROBE_IMAGE, "/probe", "sleep", "30"), how,
		    sizeof how)) {
		tidy(ctx, "u06-srv", "u06");
		return check_fail(r, "cannot make the pod to generate units for: %s", how);
	}
	if (!generate(ctx, dir, "--new", "u06", how, sizeof how)) {
		tidy(ctx, "u06-srv", "u06");
		return check_fail(r, "podlab generate systemd --new --files u06 failed: %s", how);
	}
	const char *argv[] = { "systemd-analyze", "verify", "--user", "pod-u06.service", "container-u06-srv.service", NULL };
	char old[4096];
	struct run_result res;
	if (getcwd(old, sizeof old) == NULL || chdir(dir) < 0) {
		tidy(ctx, "u06-srv", "u06");
		return check_env(r, "cannot enter %s", dir);
	}
	runner_run((char *const *)argv, NULL, ctx->timeout_ms * 2, &res);
	if (chdir(old) < 0)
		o = check_env(r, "cannot return to %s", old);
	else if (!res.started || (res.exited && res.code == 127))
		o = check_env(r, "systemd-analyze is not installed here (sudo apt-get install systemd)");
	else if (!res.exited || res.code != 0 || (res.err && res.err[0]) || (res.out && res.out[0]))
		o = check_fail(r, "systemd-analyze verify --user has objections: %.400s%.400s", res.out ? res.out : "",
			       res.err ? res.err : "");
	else
		o = check_pass(r, "pod-u06.service and container-u06-srv.service: systemd-analyze verify says nothing");
	run_result_free(&res);
	tidy(ctx, "u06-srv", "u06");
	return o;
}

static enum outcome c_pod_binding(struct check_ctx *ctx, struct check_result *r)
{
	runner_keep_leftovers(true);
	enum outcome o = need_probe_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char how[1024], dir[4400], path[4500], v[512];
	snprintf(dir, sizeof dir, "%s/units-binding", ctx->scratch);
	if (!ok_run(ctx, ARGS("pod", "create", "--name", "b06", "--network", "none"), how, sizeof how) ||
	    !ok_run(ctx, ARGS("create", "--pod", "b06", "--name", "b06-srv", PROBE_IMAGE, "/probe", "sleep", "30"), how,
		    sizeof how) ||
	    !generate(ctx, dir, "--new", "b06", how, sizeof how)) {
		tidy(ctx, "b06-srv", "b06");
		return check_fail(r, "cannot generate units for a pod: %s", how);
	}
	snprintf(path, sizeof path, "%s/container-b06-srv.service", dir);
	char *unit = slurp_file(path);
	if (unit == NULL)
		o = check_fail(r, "no container-b06-srv.service was written");
	else if (!unit_value(unit, "BindsTo", v, sizeof v) || strcmp(v, "pod-b06.service") != 0)
		o = check_fail(r, "the container's unit must have BindsTo=pod-b06.service (stop and fail with the pod); "
				  "it has %s",
			       unit_value(unit, "BindsTo", v, sizeof v) ? v : "none");
	else if (!strstr(unit, "\nAfter=pod-b06.service\n"))
		o = check_fail(r, "the container's unit must be ordered After=pod-b06.service (the pod's namespaces first)");
	else
		o = check_pass(r, "BindsTo=pod-b06.service and After=pod-b06.service");
	free(unit);
	tidy(ctx, "b06-srv", "b06");
	return o;
}

/* Start a unit's container the way systemd would, then check PIDFile=. */
static enum outcome tracked(struct check_ctx *ctx, struct check_result *r, const char *opt, const char *name)
{
	runner_keep_leftovers(true);
	enum outcome o = need_probe_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char how[1024], dir[4400], path[4500], unit_name[128], v[512], pidfile[4096];
	snprintf(dir, sizeof dir, "%s/units-%s", ctx->scratch, name);
	snprintf(unit_name, sizeof unit_name, "container-%s.service", name);
	if (!ok_run(ctx, ARGS("create", "--network", "none", "--name", name, PROBE_IMAGE, "/probe", "sleep", "30"), how,
		    sizeof how) ||
	    !generate(ctx, dir, opt, name, how, sizeof how)) {
		tidy(ctx, name, NULL);
		return check_fail(r, "cannot generate a unit for a container: %s", how);
	}
	snprintf(path, sizeof path, "%s/%s", dir, unit_name);
	char *unit = slurp_file(path);
	if (unit == NULL) {
		tidy(ctx, name, NULL);
		return check_fail(r, "no %s was written", unit_name);
	}
	if (!unit_value(unit, "Type", v, sizeof v) || strcmp(v, "forking") != 0) {
		o = check_fail(r, "Type=%s: podlab start and run -d exit and leave the supervisor running, which is "
				  "Type=forking",
			       unit_value(unit, "Type", v, sizeof v) ? v : "(none)");
	} else if (!unit_value(unit, "PIDFile", v, sizeof v)) {
		o = check_fail(r, "no PIDFile=: with Type=forking systemd must be told which process is the service");
	} else {
		expand(v, unit_name, pidfile, sizeof pidfile);
		unlink(pidfile);
		if (opt)
			exec_line(ctx, unit, unit_name, "ExecStartPre", how, sizeof how);
		if (!exec_line(ctx, unit, unit_name, "ExecStart", how, sizeof how)) {
			o = check_fail(r, "the unit's ExecStart= failed: %s", how);
		} else {
			char out[16384];
			struct run_result res;
			struct kv kv;
			run_podlab(ctx, ARGS("inspect", name), &res, &kv);
			snprintf(out, sizeof out, "%s", res.out ? res.out : "");
			kv_free(&kv);
			run_result_free(&res);
			long pid = read_pid(pidfile);
			char want[64];
			snprintf(want, sizeof want, "\"SupervisorPid\":%ld", pid);
			if (pid <= 0)
				o = check_fail(r, "after ExecStart=, PIDFile= (%s) holds no pid", pidfile);
			else if (!alive(pid) || !strstr(out, want))
				o = check_fail(r, "PIDFile= says %ld, which is not the container's running supervisor", pid);
			else if (!exec_line(ctx, unit, unit_name, "ExecStop", how, sizeof how))
				o = check_fail(r, "ExecStop= failed: %s", how);
			else {
				exec_line(ctx, unit, unit_name, "ExecStopPost", how, sizeof how);
				usleep(300000);
				o = alive(pid) ? check_fail(r, "after ExecStop=, the supervisor (pid %ld) still runs", pid)
					       : check_pass(r, "Type=forking; PIDFile= held the supervisor's pid (%ld); "
							       "ExecStop= ended it",
							    pid);
			}
		}
	}
	free(unit);
	tidy(ctx, name, NULL);
	return o;
}

static enum outcome c_tracking(struct check_ctx *ctx, struct check_result *r)
{
	return tracked(ctx, r, NULL, "t06");
}

static enum outcome c_new(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = tracked(ctx, r, "--new", "n06");
	if (o != OUT_PASS)
		return o;
	/* --new: after the stop, nothing of the container is left. */
	char out[16384] = "";
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, ARGS("ps", "-a"), &res, &kv);
	snprintf(out, sizeof out, "%s", res.out ? res.out : "");
	kv_free(&kv);
	run_result_free(&res);
	return strstr(out, " n06\n") ? check_fail(r, "with --new, ExecStop=/ExecStopPost= must remove the container; "
						     "ps -a still lists n06")
				     : check_pass(r, "--new: the unit made the container, tracked it, and removed it");
}

static enum outcome c_restart_policy(struct check_ctx *ctx, struct check_result *r)
{
	runner_keep_leftovers(true);
	enum outcome o = need_probe_image(ctx, r);
	if (o != OUT_PENDING)
		return o;
	char how[1024], dir[4400], path[4500], v[64];
	snprintf(dir, sizeof dir, "%s/units-restart", ctx->scratch);
	if (!ok_run(ctx, ARGS("create", "--network", "none", "--name", "r06", PROBE_IMAGE, "/probe", "exit", "0"), how,
		    sizeof how) ||
	    !generate(ctx, dir, NULL, "r06", how, sizeof how)) {
		tidy(ctx, "r06", NULL);
		return check_fail(r, "cannot generate a unit: %s", how);
	}
	snprintf(path, sizeof path, "%s/container-r06.service", dir);
	char *unit = slurp_file(path);
	bool bad_refused = !ok_run(ctx, ARGS("generate", "systemd", "--restart-policy", "sometimes", "r06"), how, sizeof how);
	if (!unit || !unit_value(unit, "Restart", v, sizeof v) || strcmp(v, "on-failure") != 0)
		o = check_fail(r, "the default must be Restart=on-failure (a crash restarts it, a stop does not)");
	else if (!strstr(unit, "\nWantedBy=default.target"))
		o = check_fail(r, "[Install] needs WantedBy=default.target, or enable starts nothing");
	else if (!bad_refused)
		o = check_fail(r, "--restart-policy sometimes was accepted: only systemd's Restart= values are valid");
	else
		o = check_pass(r, "Restart=on-failure, WantedBy=default.target, a bad policy refused");
	free(unit);
	tidy(ctx, "r06", NULL);
	return o;
}

static const struct check checks[] = {
	{ "06.verify", "generated units pass systemd-analyze verify --user without a word", 2, { NULL }, NEEDS, "",
	  "absolute Exec paths, known keys, specifiers doubled where meant literally", c_verify },
	{ "06.pod-binding", "a pod's container unit is bound to and ordered after the pod's unit", 2, { "06.verify" },
	  NEEDS, "06:unit-deps", "BindsTo= and After= on the pod's unit", c_pod_binding },
	{ "06.tracking", "Type=forking and a PIDFile= that names the running supervisor", 3, { "06.verify" }, NEEDS,
	  "06:unit-tracking", "the supervisor writes its pid before the start command exits", c_tracking },
	{ "06.new", "--new: the unit creates, tracks and removes the container", 2, { "06.tracking" }, NEEDS,
	  "06:unit-tracking", "run -d --rm --pidfile %t/%n.pid; ExecStopPost removes what is left", c_new },
	{ "06.restart-policy", "Restart=on-failure by default, WantedBy=default.target, bad policies refused", 1,
	  { "06.verify" }, NEEDS, "", "systemd's Restart= values only", c_restart_policy },
};

const struct check_table stage06_table = { 6, "systemd units for rootless services", checks,
					   sizeof checks / sizeof *checks };
