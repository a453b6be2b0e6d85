/* stage01.c - checks for stage 01: the user namespace.
 *
 * Everything here is observed, never taken on trust: ids and maps are
 * read by the probe inside the container, ownership of files and of the
 * process is read on the host, and the expected maps are computed from
 * /etc/subuid and /etc/subgid with the reference code.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "host.h"

/* Compare a map read inside with the expected one, line for line. */
static bool same_map(const struct pl_idmap *a, const struct pl_idmap *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->ext[i].inside != b->ext[i].inside || a->ext[i].outside != b->ext[i].outside ||
		    a->ext[i].count != b->ext[i].count)
			return false;
	return true;
}

static void map_text(const struct pl_idmap *m, char *buf, size_t len)
{
	if (pl_idmap_format(m, buf, len) < 0)
		snprintf(buf, len, "(too long)");
	for (char *p = buf; *p; p++)
		if (*p == '\n' && p[1])
			*p = ';';
	buf[strcspn(buf, "\n")] = '\0';
}

static enum outcome c_runs(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "id");
	enum outcome o = res.code == 0 ? check_pass(r, "the probe ran and podlab exited 0")
				       : check_fail(r, "the probe ran but podlab exited with %d instead of 0", res.code);
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_uid_root(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "id");
	const char *uid = kv_get(&kv, "uid"), *euid = kv_get(&kv, "euid"), *gid = kv_get(&kv, "gid");
	enum outcome o;
	if (uid && euid && gid && !strcmp(uid, "0") && !strcmp(euid, "0") && !strcmp(gid, "0"))
		o = check_pass(r, "uid 0, gid 0 inside");
	else
		o = check_fail(r, "inside the container the command runs as uid %s (effective %s), gid %s; expected 0, 0 "
			    "(65534 means the id is not mapped: was uid_map written before the command started?)",
			 uid ? uid : "?", euid ? euid : "?", gid ? gid : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_caps(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "id");
	const char *eff = kv_get(&kv, "cap_eff");
	unsigned long long caps = eff ? strtoull(eff, NULL, 16) : 0;
	/* CHOWN (0), SETGID (6) and SETUID (7) are in every default set,
	 * podman's included: root in the namespace must hold them. */
	unsigned long long want = (1ULL << 0) | (1ULL << 6) | (1ULL << 7);
	enum outcome o;
	if ((caps & want) == want)
		o = check_pass(r, "container root holds its capabilities (CapEff %s)", eff);
	else
		o = check_fail(r, "container root has CapEff %s, without CAP_CHOWN/CAP_SETGID/CAP_SETUID. A process that "
			    "calls execve() while its uid is still unmapped loses every capability: the container side "
			    "must wait until the host side has written the maps",
			 eff ? eff : "(unknown)");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome check_map(struct check_ctx *ctx, struct check_result *r, const char *key,
			      const struct pl_idmap *want, bool root_line_only)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "maps");
	const char *text = kv_get(&kv, key);
	struct pl_idmap got;
	pl_error *err = NULL;
	char got_s[512] = "?", want_s[512];
	map_text(want, want_s, sizeof want_s);
	enum outcome o;
	if (text == NULL || pl_idmap_parse(text, &got, &err) < 0) {
		o = check_fail(r, "could not read /proc/self/%s inside the container", key);
	} else {
		map_text(&got, got_s, sizeof got_s);
		bool root_ok = got.n > 0 && got.ext[0].inside == 0 && got.ext[0].outside == want->ext[0].outside &&
			       got.ext[0].count == 1;
		if (root_line_only ? root_ok : same_map(&got, want))
			o = check_pass(r, "%s is %s", key, got_s);
		else if (!root_ok)
			o = check_fail(r, "%s inside is '%s'; its first line must map container 0 to your own id %lu "
				    "('0 %lu 1')",
				 key, got_s, want->ext[0].outside, want->ext[0].outside);
		else
			o = check_fail(r, "%s inside is '%s'; expected '%s' (root, then the ranges of /etc/sub%sid in file "
				    "order, 65536 ids in all)",
				 key, got_s, want_s, key[0] == 'u' ? "u" : "g");
	}
	pl_error_free(&err);
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_uid_map(struct check_ctx *ctx, struct check_result *r)
{
	return check_map(ctx, r, "uid_map", &ctx->uids, true);
}

static enum outcome c_gid_map(struct check_ctx *ctx, struct check_result *r)
{
	return check_map(ctx, r, "gid_map", &ctx->gids, true);
}

static enum outcome c_full_range(struct check_ctx *ctx, struct check_result *r)
{
	enum outcome o = check_map(ctx, r, "uid_map", &ctx->uids, false);
	if (o != OUT_PASS)
		return o;
	return check_map(ctx, r, "gid_map", &ctx->gids, false);
}

/* Run the probe as if the user had no subordinate ids, through the kit's
 * documented test hook (PODLAB_SUBUID_FILE/PODLAB_SUBGID_FILE naming an
 * empty file): podlab must fall back to the one-id map. */
static void run_without_subids(struct check_ctx *ctx, const char *const *probe, struct run_result *res, struct kv *kv)
{
	char empty[600], e1[700], e2[700];
	snprintf(empty, sizeof empty, "%s/empty-subid", ctx->scratch);
	FILE *f = fopen(empty, "w");
	if (f)
		fclose(f);
	snprintf(e1, sizeof e1, "PODLAB_SUBUID_FILE=%s", empty);
	snprintf(e2, sizeof e2, "PODLAB_SUBGID_FILE=%s", empty);
	char *env[] = { e1, e2, NULL };
	run_probe(ctx, NO_OPTS, probe, env, res, kv);
}

static enum outcome c_single_map(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	run_without_subids(ctx, PROBE("maps"), &res, &kv);
	enum outcome o = require_probe(r, &res, &kv);
	if (o == OUT_PENDING) {
		const char *u = kv_get(&kv, "uid_map"), *g = kv_get(&kv, "gid_map"), *sg = kv_get(&kv, "setgroups");
		char want_u[64], want_g[64];
		snprintf(want_u, sizeof want_u, "0 %u 1", (unsigned)ctx->uid);
		snprintf(want_g, sizeof want_g, "0 %u 1", (unsigned)ctx->gid);
		struct pl_idmap mu, mg;
		bool ok_u = u && pl_idmap_parse(u, &mu, NULL) == 0 && mu.n == 1 && mu.ext[0].outside == ctx->uid &&
			    mu.ext[0].count == 1 && mu.ext[0].inside == 0;
		bool ok_g = g && pl_idmap_parse(g, &mg, NULL) == 0 && mg.n == 1 && mg.ext[0].outside == ctx->gid &&
			    mg.ext[0].count == 1 && mg.ext[0].inside == 0;
		if (!ok_u || !ok_g)
			o = check_fail(r, "with no subordinate ids the maps must be uid_map '%s' and gid_map '%s'; got '%s' and "
				    "'%s'",
				 want_u, want_g, u ? u : "?", g ? g : "?");
		else if (sg == NULL || strncmp(sg, "deny", 4) != 0)
			o = check_fail(r, "with a single-id map /proc/self/setgroups must say 'deny' (the kernel requires it "
				    "before an unprivileged gid_map write), but it says '%s'",
				 sg ? sg : "?");
		else
			o = check_pass(r, "single-id maps and setgroups 'deny'");
	}
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_single_warning(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	run_without_subids(ctx, PROBE("id"), &res, &kv);
	enum outcome o = require_probe(r, &res, &kv);
	if (o == OUT_PENDING) {
		const char *e = res.err ? res.err : "";
		bool names_file = strstr(e, "subuid") != NULL;
		bool says_how = strstr(e, "usermod") != NULL || strstr(e, "add") != NULL;
		if (names_file && says_how)
			o = check_pass(r, "a warning names /etc/subuid and the fix");
		else
			o = check_fail(r, "with no /etc/subuid entry podlab must still run, but warn on stderr that only one id "
				    "is mapped and say how to add a range (usermod --add-subuids); stderr was: '%.200s'",
				 e);
	}
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_host_uid(struct check_ctx *ctx, struct check_result *r)
{
	struct proc p;
	pid_t pid = start_sleeper(ctx, NO_OPTS, "host-uid", &p);
	if (pid < 0)
		return check_fail(r, "cannot start podlab");
	enum outcome o;
	if (pid == 0) {
		o = check_fail(r, "the probe did not start within the time limit");
	} else {
		uid_t ids[4];
		host_process_uids(pid, ids);
		if (ids[0] == ctx->uid && ids[1] == ctx->uid && ids[2] == ctx->uid && ids[3] == ctx->uid)
			o = check_pass(r, "the host sees the container's root as uid %u (pid %d)", (unsigned)ctx->uid, (int)pid);
		else
			o = check_fail(r, "on the host the container process (pid %d) runs as uid %u/%u/%u/%u; expected your uid "
				    "%u: container root must be you, nothing more",
				 (int)pid, (unsigned)ids[0], (unsigned)ids[1], (unsigned)ids[2], (unsigned)ids[3],
				 (unsigned)ctx->uid);
	}
	kill(-p.pid, SIGKILL);
	struct run_result res;
	runner_wait(&p, 1000, &res);
	keep_output(r, &res);
	run_result_free(&res);
	return o;
}

static enum outcome file_owner(struct check_ctx *ctx, struct check_result *r, const char *as, unsigned long inside_uid)
{
	char inside[128], outside[1200];
	snprintf(inside, sizeof inside, "/shared/owner-%s-%lu", ctx->nonce, inside_uid);
	rootfs_path(ctx, inside, outside, sizeof outside);
	struct run_result res;
	struct kv kv;
	if (as != NULL)
		run_probe(ctx, NO_OPTS, PROBE("as", as, as, "touch", inside), NULL, &res, &kv);
	else
		run_probe(ctx, NO_OPTS, PROBE("touch", inside), NULL, &res, &kv);
	enum outcome o = require_probe(r, &res, &kv);
	unsigned long want = 0;
	pl_idmap_to_host(&ctx->uids, inside_uid, &want);
	struct stat st;
	if (o != OUT_PENDING) {
	} else if (stat(outside, &st) < 0) {
		o = check_fail(r, "container uid %lu could not create %s (%s)", inside_uid, inside,
			 kv_get(&kv, "create") ? kv_get(&kv, "create") : "no result");
	} else if (st.st_uid != want) {
		o = check_fail(r, "a file created by container uid %lu is owned by host uid %u; expected %lu (%s)", inside_uid,
			 (unsigned)st.st_uid, want, inside_uid == 0 ? "you" : "the first id of your /etc/subuid range");
	} else {
		o = check_pass(r, "container uid %lu creates files owned by host uid %lu", inside_uid, want);
	}
	/* A file owned by a subordinate id cannot be removed by us outside:
	 * the scratch clean-up does it from inside a user namespace. */
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_file_root(struct check_ctx *ctx, struct check_result *r)
{
	return file_owner(ctx, r, NULL, 0);
}

static enum outcome c_file_subuid(struct check_ctx *ctx, struct check_result *r)
{
	return file_owner(ctx, r, "1", 1);
}

static enum outcome c_loginuid(struct check_ctx *ctx, struct check_result *r)
{
	if (ctx->loginuid < 0)
		return check_env(r, "this grading session has no loginuid (4294967295): it was not started by a "
				      "login, so there is no audit identity to carry into the container. Run the checker "
				      "from a normal login session");
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "loginuid");
	/* The kernel shows loginuid translated through the reader's user
	 * namespace: inside, your loginuid appears as the container id it maps
	 * to (0 when it is your own uid). */
	unsigned long inside = 4294967295UL;
	pl_idmap_to_container(&ctx->uids, (unsigned long)ctx->loginuid, &inside);
	const char *got = kv_get(&kv, "loginuid");
	enum outcome o;
	if (got && strtoul(got, NULL, 10) == inside)
		o = check_pass(r, "loginuid %ld on the host reads as %lu inside: the audit trail follows you in", ctx->loginuid,
			 inside);
	else
		o = check_fail(r, "loginuid inside reads '%s'; the session's loginuid %ld should read as %lu through the uid "
			    "map",
			 got ? got : "?", ctx->loginuid, inside);
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_exit_code(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	run_probe(ctx, NO_OPTS, PROBE("exit", "42"), NULL, &res, &kv);
	enum outcome o;
	if (res.timed_out)
		o = check_fail(r, "podlab did not exit after the command exited 42");
	else if (res.code == 42)
		o = check_pass(r, "exit code 42 came through");
	else
		o = check_fail(r, "the command exited 42 but podlab exited %d: pass the container's exit code on", res.code);
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_exit_signal(struct check_ctx *ctx, struct check_result *r)
{
	struct proc p;
	pid_t pid = start_sleeper(ctx, NO_OPTS, "killed", &p);
	if (pid < 0)
		return check_fail(r, "cannot start podlab");
	if (pid > 0)
		kill(pid, SIGKILL);
	struct run_result res;
	runner_wait(&p, ctx->timeout_ms, &res);
	keep_output(r, &res);
	enum outcome o;
	if (pid <= 0)
		o = check_fail(r, "the probe did not start within the time limit");
	else if (res.timed_out)
		o = check_fail(r, "after the container's command was killed, podlab did not exit");
	else if (res.code == 128 + SIGKILL)
		o = check_pass(r, "killed by SIGKILL, podlab exited 137");
	else
		o = check_fail(r, "the command was killed by SIGKILL (9), so podlab should exit 128+9 = 137, like a shell; it "
			    "exited %d",
			 res.code);
	run_result_free(&res);
	return o;
}

static enum outcome c_signal_forward(struct check_ctx *ctx, struct check_result *r)
{
	char inside[128], outside[1200];
	snprintf(inside, sizeof inside, "/shared/signal-%s", ctx->nonce);
	rootfs_path(ctx, inside, outside, sizeof outside);
	struct proc p;
	if (start_probe(ctx, NO_OPTS, PROBE("wait-signal", "20", inside), &p) < 0)
		return check_fail(r, "cannot start podlab");
	/* The probe prints "ready" once its handler is installed. */
	bool ready = false;
	for (int t = 0; t < ctx->timeout_ms && !ready; t += 10) {
		FILE *f = fopen(p.out_path, "r");
		char buf[4096] = "";
		if (f) {
			size_t n = fread(buf, 1, sizeof buf - 1, f);
			buf[n] = '\0';
			fclose(f);
		}
		ready = strstr(buf, "ready=") != NULL;
		if (!ready)
			usleep(10000);
	}
	if (ready)
		kill(p.pid, SIGTERM);
	struct run_result res;
	runner_wait(&p, ctx->timeout_ms, &res);
	keep_output(r, &res);
	FILE *f = fopen(outside, "r");
	int got = 0;
	if (f) {
		if (fscanf(f, "%d", &got) != 1)
			got = 0;
		fclose(f);
	}
	enum outcome o;
	if (!ready)
		o = check_fail(r, "the probe did not start within the time limit");
	else if (got != SIGTERM)
		o = check_fail(r, "SIGTERM sent to podlab never reached the container's command: forward it");
	else if (res.code != 128 + SIGTERM)
		o = check_fail(r, "SIGTERM reached the command, which exited 143, but podlab exited %d", res.code);
	else
		o = check_pass(r, "SIGTERM forwarded, exit status 143");
	run_result_free(&res);
	return o;
}

static enum outcome c_no_leftovers(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "orphan", "30");
	enum outcome o;
	if (res.timed_out)
		o = check_fail(r, "podlab did not exit when the command did (it left a child sleeping)");
	else if (res.leftovers > 0)
		o = check_fail(r, "after podlab exited, %d process%s still ran: %s. The command should be PID 1 of a new PID "
			    "namespace, so the kernel ends everything when it exits",
			 res.leftovers, res.leftovers == 1 ? "" : "es", res.leftover_desc);
	else
		o = check_pass(r, "nothing survived the command");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_dies_with_podlab(struct check_ctx *ctx, struct check_result *r)
{
	struct proc p;
	pid_t pid = start_sleeper(ctx, NO_OPTS, "orphaned", &p);
	if (pid < 0)
		return check_fail(r, "cannot start podlab");
	enum outcome o;
	if (pid <= 0) {
		o = check_fail(r, "the probe did not start within the time limit");
	} else {
		kill(p.pid, SIGKILL); /* podlab only, not its process group */
		bool gone = false;
		for (int t = 0; t < 2000 && !gone; t += 10) {
			gone = !process_alive(pid);
			if (!gone)
				usleep(10000);
		}
		o = gone ? check_pass(r, "killing podlab took the container with it")
			 : check_fail(r, "podlab was killed with SIGKILL, but the container's command (host pid %d) was "
					 "still running 2 s later: nothing ties the container to podlab's life",
				      (int)pid);
	}
	struct run_result res;
	runner_wait(&p, 1000, &res);
	run_result_free(&res);
	return o;
}

static enum outcome c_hostname(struct check_ctx *ctx, struct check_result *r)
{
	char name[32];
	snprintf(name, sizeof name, "chk-%.8s", ctx->nonce);
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, OPTS("--hostname", name), "hostname");
	const char *got = kv_get(&kv, "hostname");
	enum outcome o = got && strcmp(got, name) == 0
				 ? check_pass(r, "hostname %s inside", name)
				 : check_fail(r, "--hostname %s, but the container's hostname is '%s'", name, got ? got : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_missing_rootfs(struct check_ctx *ctx, struct check_result *r)
{
	char missing[700];
	snprintf(missing, sizeof missing, "%s/no-such-rootfs", ctx->scratch);
	const char *argv[] = { ctx->podlab, "run", "--network", "none", "--rootfs", missing, "--", "/probe", "id", NULL };
	struct run_result res;
	runner_run((char *const *)argv, NULL, ctx->timeout_ms, &res);
	keep_output(r, &res);
	enum outcome o;
	if (res.timed_out || !res.exited)
		o = check_fail(r, "podlab did not exit cleanly when given a missing root filesystem");
	else if (res.code == 0)
		o = check_fail(r, "podlab exited 0 with a root filesystem that does not exist");
	else if (res.err == NULL || strstr(res.err, "no-such-rootfs") == NULL)
		o = check_fail(r, "the error must name the missing directory; stderr was '%.200s'", res.err ? res.err : "");
	else if (res.leftovers > 0)
		o = check_fail(r, "after the error, processes were left behind: %s", res.leftover_desc);
	else
		o = check_pass(r, "exit %d, and the message names the directory", res.code);
	run_result_free(&res);
	return o;
}

static enum outcome c_not_found(struct check_ctx *ctx, struct check_result *r)
{
	const char *argv[] = { ctx->podlab, "run", "--network", "none", "--rootfs", ctx->rootfs, "--", "/no-such-command", NULL };
	struct run_result res;
	runner_run((char *const *)argv, NULL, ctx->timeout_ms, &res);
	keep_output(r, &res);
	enum outcome o;
	if (res.timed_out)
		o = check_fail(r, "podlab hung when the command does not exist");
	else if (res.code != 127)
		o = check_fail(r, "a command that does not exist should make podlab exit 127 (as a shell and podman do); it "
			    "exited %d",
			 res.code);
	else if (res.err == NULL || strstr(res.err, "no-such-command") == NULL)
		o = check_fail(r, "exit 127 is right, but the message must name the command; stderr was '%.200s'",
			 res.err ? res.err : "");
	else
		o = check_pass(r, "exit 127 with a message naming the command");
	run_result_free(&res);
	return o;
}

#define USERNS "userns,newuidmap,newgidmap"
#define HOLES "01:owned-by,01:build-map,01:write-map,01:wait-go"

static const struct check checks[] = {
	{ "01.runs", "podlab runs a command in a new user namespace", 1, { NULL }, USERNS, HOLES,
	  "start with 'podlab --trace run --rootfs build/rootfs -- /bin/id' and read which step fails", c_runs },
	{ "01.uid-root", "the command runs as uid 0 and gid 0 inside", 2, { "01.runs" }, USERNS, HOLES,
	  "uid 65534 inside means the maps were never written, or written after the command started", c_uid_root },
	{ "01.caps", "the command starts only after its id maps exist (root keeps its capabilities)", 2,
	  { "01.runs" }, USERNS, HOLES,
	  "the child must block on the sync pipe until the parent has written both maps", c_caps },
	{ "01.uid-map", "uid_map maps container root to your uid", 2, { "01.runs" }, USERNS, HOLES,
	  "the first line of uid_map is '0 <your uid> 1'", c_uid_map },
	{ "01.gid-map", "gid_map maps container root to your gid", 1, { "01.runs" }, USERNS, HOLES,
	  "the first line of gid_map is '0 <your gid> 1'", c_gid_map },
	{ "01.full-range", "with /etc/subuid and /etc/subgid entries, 65536 more ids are mapped", 2, { "01.uid-map" },
	  USERNS ",subuid,subgid", HOLES,
	  "a subid line belongs to you by name or by uid; map container ids 1.. to your ranges in file order",
	  c_full_range },
	{ "01.single-map", "without subordinate ids, a one-id map with setgroups 'deny'", 2, { "01.runs" }, "userns",
	  HOLES, "write /proc/PID/setgroups 'deny' before gid_map; no newuidmap is needed for your own id",
	  c_single_map },
	{ "01.single-map-warning", "without subordinate ids, a warning says how to add a range", 1,
	  { "01.single-map" }, "userns", HOLES, "warn on stderr, naming /etc/subuid and usermod --add-subuids",
	  c_single_warning },
	{ "01.host-uid", "the host sees the container's root as your uid", 2, { "01.uid-root" }, USERNS, HOLES,
	  "look at /proc/PID/status of the container process on the host", c_host_uid },
	{ "01.file-owner-root", "files created by container root belong to you on the host", 1, { "01.uid-root" },
	  USERNS, HOLES, "container uid 0 is your uid through uid_map", c_file_root },
	{ "01.file-owner-subuid", "files created by container uid 1 belong to your first subordinate uid", 2,
	  { "01.full-range" }, USERNS ",subuid,subgid", HOLES, "container uid 1 is the first id of your range",
	  c_file_subuid },
	{ "01.loginuid", "the audit loginuid inside is yours, seen through the map", 1, { "01.uid-map" },
	  USERNS, HOLES, "loginuid is inherited, never set by the runtime: do not touch it", c_loginuid },
	{ "01.exit-code", "the command's exit code is podlab's exit code", 1, { "01.runs" }, USERNS, HOLES,
	  "return the container's exit status from main", c_exit_code },
	{ "01.exit-signal", "a command killed by signal N makes podlab exit 128+N", 1, { "01.runs" }, USERNS, HOLES,
	  "WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status)", c_exit_signal },
	{ "01.signal-forward", "SIGTERM sent to podlab reaches the command", 2, { "01.runs" }, USERNS, HOLES,
	  "block the signals, then wait with sigwaitinfo and kill() the child with each one", c_signal_forward },
	{ "01.no-leftovers", "no process outlives the command", 2, { "01.runs" }, USERNS, HOLES,
	  "the command must be PID 1 of a new PID namespace (CLONE_NEWPID)", c_no_leftovers },
	{ "01.dies-with-podlab", "killing podlab kills the container", 1, { "01.runs" }, USERNS, HOLES,
	  "ask for a parent-death signal in the child: prctl(PR_SET_PDEATHSIG, SIGKILL)", c_dies_with_podlab },
	{ "01.hostname", "--hostname sets the name in a new UTS namespace", 1, { "01.runs" }, USERNS, HOLES,
	  "sethostname() in the child, after CLONE_NEWUTS", c_hostname },
	{ "01.missing-rootfs", "a missing --rootfs fails with a message naming it", 1, { NULL }, "", "",
	  "check the directory before creating anything, and say which path is wrong", c_missing_rootfs },
	{ "01.not-found", "a command that does not exist gives exit 127 and a clear message", 1, { "01.runs" },
	  USERNS, HOLES, "report execve()'s error to the host side and exit 127", c_not_found },
};

const struct check_table stage01_table = { 1, "user namespace", checks, sizeof checks / sizeof *checks };
