/* stage02.c - checks for stage 02: mounts, PID 1, hostname, volumes.
 *
 * The container's mount table is read by the probe from inside and
 * parsed here with libmount (mountinfo.c); escapes are attempted from
 * inside against a marker file that exists only outside the rootfs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "masks.h"
#include "mountinfo.h"

#define HOLES "02:pivot-root,02:dev-binds,02:masked-paths"
#define NEEDS "userns,newuidmap,newgidmap"

/* What the container may have mounted: its root, its own /proc (with the
 * masks below it), /dev, /sys, /tmp, the resolver configuration its
 * network provides (as podman does), and the volumes a check asks for. */
static bool mount_allowed(const char *target, const char *extra)
{
	static const char *const roots[] = { "/proc", "/dev", "/sys", "/tmp", "/etc/resolv.conf" };
	if (strcmp(target, "/") == 0)
		return true;
	for (size_t i = 0; i < sizeof roots / sizeof *roots; i++)
		if (pl_path_below(target, roots[i]))
			return true;
	return extra != NULL && pl_path_below(target, extra);
}

/* The container's mount table, read inside and parsed with libmount.
 * Returns OUT_PENDING on success (mi filled), or a verdict. */
static enum outcome inside_mounts(struct check_ctx *ctx, struct check_result *r, struct pl_mountinfo *mi)
{
	struct run_result res;
	struct kv kv;
	memset(mi, 0, sizeof *mi);
	run_probe(ctx, NO_OPTS, PROBE("mountinfo"), NULL, &res, &kv);
	enum outcome o = require_probe(r, &res, &kv);
	const char *text = kv_get(&kv, "mountinfo");
	if (o == OUT_PENDING && (text == NULL || pl_mountinfo_parse(text, mi, NULL) < 0))
		o = check_fail(r, "could not read /proc/self/mountinfo inside the container");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_pid1(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "ps");
	const char *ps = kv_get(&kv, "ps"), *count = kv_get(&kv, "count");
	enum outcome o;
	if (ps && count && strcmp(count, "1") == 0 && strcmp(ps, "1:probe") == 0)
		o = check_pass(r, "ps inside: %s", ps);
	else
		o = check_fail(r, "ps inside the container shows '%.300s'; expected only the command itself, as PID 1 "
				  "('1:probe'). A /proc that shows more belongs to another PID namespace: mount a new one",
			       ps ? ps : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_host_mounts_hidden(struct check_ctx *ctx, struct check_result *r)
{
	struct pl_mountinfo mi;
	enum outcome o = inside_mounts(ctx, r, &mi);
	if (o != OUT_PENDING)
		return o;
	char extra[2048] = "";
	bool has_proc = false, root_ok = mi.n > 0 && strcmp(mi.m[0].target, "/") == 0;
	for (size_t i = 0; i < mi.n; i++) {
		if (!mount_allowed(mi.m[i].target, NULL) && strlen(extra) < 1800)
			snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " %s", mi.m[i].target);
		has_proc |= strcmp(mi.m[i].target, "/proc") == 0 && strcmp(mi.m[i].fstype, "proc") == 0;
	}
	if (extra[0])
		o = check_fail(r, "the container can see host mounts:%s. Only /, /proc, /dev, /sys, /tmp (and volumes) "
				  "belong in its table: pivot_root and detach the old root",
			       extra);
	else if (!root_ok || !has_proc)
		o = check_fail(r, "the container's mount table has no %s", has_proc ? "root mount" : "procfs on /proc");
	else
		o = check_pass(r, "%zu mounts inside, none of them the host's", mi.n);
	pl_mountinfo_free(&mi);
	return o;
}

static enum outcome c_old_root_gone(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	/* chroot into a subdirectory and climb ".." past it: works against
	 * chroot(2), finds nothing above a pivoted root. */
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "try", "chroot-escape", ctx->host_marker);
	const char *found = kv_get(&kv, "found"), *result = kv_get(&kv, "result");
	enum outcome o;
	if (found && strcmp(found, "no") == 0)
		o = check_pass(r, "walking '..' past a chroot finds nothing of the host");
	else if (found && strcmp(found, "yes") == 0)
		o = check_fail(r, "the classic chroot escape reached the host: %s was visible from inside. chroot only "
				  "changes how / is resolved; use pivot_root and unmount the old root",
			       ctx->host_marker);
	else
		o = check_fail(r, "the escape attempt could not be made (%s); container root should hold CAP_SYS_CHROOT",
			       result ? result : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

/* Read every masked path inside; a masked file reads as empty, a masked
 * directory lists as empty.  Paths this kernel lacks are not checked. */
static enum outcome c_masked(struct check_ctx *ctx, struct check_result *r)
{
	char bad[1024] = "", checked[1024] = "", unmounted[1024] = "";
	struct pl_mountinfo mi;
	enum outcome o = inside_mounts(ctx, r, &mi);
	if (o != OUT_PENDING)
		return o;
	for (const char *const *p = pl_masked_paths; *p; p++) {
		struct stat st;
		if (stat(*p, &st) < 0)
			continue; /* not on this kernel: nothing to hide */
		struct run_result res;
		struct kv kv;
		if (S_ISDIR(st.st_mode))
			run_probe(ctx, NO_OPTS, PROBE("list", *p), NULL, &res, &kv);
		else
			run_probe(ctx, NO_OPTS, PROBE("try", "read", *p), NULL, &res, &kv);
		if (require_probe(r, &res, &kv) != OUT_PENDING) {
			kv_free(&kv);
			run_result_free(&res);
			pl_mountinfo_free(&mi);
			return OUT_FAIL;
		}
		const char *entries = kv_get(&kv, "entries"), *bytes = kv_get(&kv, "bytes");
		bool hidden = S_ISDIR(st.st_mode) ? (entries && (entries[0] == '\0' || strncmp(entries, "errno=", 6) == 0))
						  : (bytes == NULL || strcmp(bytes, "0") == 0);
		snprintf(checked + strlen(checked), sizeof checked - strlen(checked), " %s", *p);
		if (!hidden)
			snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s", *p);
		/* Empty can also mean "nothing to show here": a mask is a mount,
		 * and a masked directory's must be read-only, or container root
		 * could put its own files there. */
		bool mounted = false, writable = false;
		for (size_t i = 0; i < mi.n; i++)
			if (strcmp(mi.m[i].target, *p) == 0) {
				mounted = true;
				writable = S_ISDIR(st.st_mode) && !mi.m[i].readonly;
			}
		if (!mounted)
			snprintf(unmounted + strlen(unmounted), sizeof unmounted - strlen(unmounted), " %s", *p);
		if (writable)
			snprintf(bad + strlen(bad), sizeof bad - strlen(bad), " %s (its mask is writable)", *p);
		kv_free(&kv);
		run_result_free(&res);
	}
	pl_mountinfo_free(&mi);
	if (bad[0] || unmounted[0])
		return check_fail(r, "%s%s%s%s. Mount /dev/null over a masked file and an empty read-only tmpfs over a "
				     "masked directory",
				  bad[0] ? "readable inside:" : "", bad, unmounted[0] ? "; no mask mounted on:" : "",
				  unmounted);
	return check_pass(r, "hidden:%s", checked[0] ? checked : " (none of the paths exists on this kernel)");
}

static enum outcome c_readonly(struct check_ctx *ctx, struct check_result *r)
{
	/* Each read-only path this kernel has must be a read-only mount
	 * inside.  A write test would prove little: the kernel refuses most
	 * sysctls to anyone but the host's root anyway, read-only or not. */
	struct pl_mountinfo mi;
	enum outcome o = inside_mounts(ctx, r, &mi);
	if (o != OUT_PENDING)
		return o;
	char bad[1024] = "", good[1024] = "";
	for (const char *const *p = pl_readonly_paths; *p; p++) {
		if (access(*p, F_OK) < 0)
			continue;
		bool ro = false;
		for (size_t i = 0; i < mi.n; i++)
			if (strcmp(mi.m[i].target, *p) == 0)
				ro = mi.m[i].readonly; /* the last mount on a path is the one seen */
		snprintf(ro ? good + strlen(good) : bad + strlen(bad), 1024 - strlen(ro ? good : bad), " %s", *p);
	}
	pl_mountinfo_free(&mi);
	if (bad[0])
		return check_fail(r, "not mounted read-only inside:%s. Bind each path onto itself, then make the bind "
				     "read-only",
				  bad);
	return check_pass(r, "read-only inside:%s", good);
}

static enum outcome c_sys_readonly(struct check_ctx *ctx, struct check_result *r)
{
	/* A write attempt is no proof: most of sysfs refuses container root
	 * anyway.  The mount table is: /sys and everything below it must be
	 * mounted read-only. */
	struct pl_mountinfo mi;
	enum outcome o = inside_mounts(ctx, r, &mi);
	if (o != OUT_PENDING)
		return o;
	char writable[1024] = "";
	int n = 0;
	for (size_t i = 0; i < mi.n; i++) {
		if (!pl_path_below(mi.m[i].target, "/sys"))
			continue;
		n++;
		if (!mi.m[i].readonly && strlen(writable) < 900)
			snprintf(writable + strlen(writable), sizeof writable - strlen(writable), " %s", mi.m[i].target);
	}
	pl_mountinfo_free(&mi);
	if (n == 0)
		return check_fail(r, "nothing is mounted on /sys inside");
	if (writable[0])
		return check_fail(r, "mounted read-write inside:%s. Make /sys and every mount below it read-only", writable);
	return check_pass(r, "/sys and the %d mount(s) below it are read-only", n - 1);
}

static enum outcome c_dev(struct check_ctx *ctx, struct check_result *r)
{
	static const char *const allowed[] = { "null", "zero", "full", "random", "urandom", "tty", "pts", "ptmx", "shm",
					       "fd", "stdin", "stdout", "stderr", "console", "mqueue", "core", NULL };
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "list", "/dev");
	char extra[1024] = "", list[4096];
	snprintf(list, sizeof list, "%s", kv_get(&kv, "entries") ? kv_get(&kv, "entries") : "");
	bool has_null = false, has_zero = false;
	for (char *save = NULL, *e = strtok_r(list, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, e) == 0;
		has_null |= strcmp(e, "null") == 0;
		has_zero |= strcmp(e, "zero") == 0;
		if (!ok)
			snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " %s", e);
	}
	kv_free(&kv);
	run_result_free(&res);
	if (extra[0])
		return check_fail(r, "/dev inside holds more than the harmless devices:%s", extra);
	if (!has_null || !has_zero)
		return check_fail(r, "/dev inside lacks null or zero: bind the host's devices onto empty files in a tmpfs");
	/* The devices must work, not merely exist. */
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "try", "read", "/dev/zero");
	const char *bytes = kv_get(&kv, "bytes");
	enum outcome o = bytes && atoi(bytes) > 0
				 ? check_pass(r, "/dev has only the allowed devices, and /dev/zero reads")
				 : check_fail(r, "/dev/zero exists but does not read (%s): was it created with mknod instead "
						 "of bind-mounted from the host?",
					      kv_get(&kv, "result") ? kv_get(&kv, "result") : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_namespaces(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "ns");
	const char *types[] = { "user", "mnt", "pid", "uts", "ipc" };
	char same[256] = "";
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		char path[64], mine[128] = "";
		snprintf(path, sizeof path, "/proc/self/ns/%s", types[i]);
		ssize_t n = readlink(path, mine, sizeof mine - 1);
		mine[n > 0 ? n : 0] = '\0';
		const char *theirs = kv_get(&kv, types[i]);
		if (theirs == NULL || strcmp(theirs, mine) == 0)
			snprintf(same + strlen(same), sizeof same - strlen(same), " %s", types[i]);
	}
	enum outcome o = same[0] ? check_fail(r, "the container shares these namespaces with the host:%s", same)
				 : check_pass(r, "own user, mount, PID, UTS and IPC namespaces");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

/* A host directory for volume checks, writable by container root. */
static void volume_dir(struct check_ctx *ctx, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", ctx->scratch, name);
	mkdir(buf, 0755);
}

static enum outcome c_volume(struct check_ctx *ctx, struct check_result *r)
{
	char dir[1200], spec[1300], host_file[1400];
	volume_dir(ctx, "vol-rw", dir, sizeof dir);
	snprintf(spec, sizeof spec, "%s:/data", dir);
	snprintf(host_file, sizeof host_file, "%s/written-inside", dir);
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, OPTS("-v", spec), "touch", "/data/written-inside");
	struct stat st;
	enum outcome o;
	if (stat(host_file, &st) < 0)
		o = check_fail(r, "a file created in /data inside did not appear in the volume's host directory %s", dir);
	else if (st.st_uid != ctx->uid)
		o = check_fail(r, "the file appeared but is owned by uid %u on the host, not by you", (unsigned)st.st_uid);
	else
		o = check_pass(r, "-v %s: written inside, visible on the host, owned by you", spec);
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_volume_ro(struct check_ctx *ctx, struct check_result *r)
{
	char dir[1200], spec[1300];
	volume_dir(ctx, "vol-ro", dir, sizeof dir);
	snprintf(spec, sizeof spec, "%s:/data:ro", dir);
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, OPTS("-v", spec), "touch", "/data/should-not-exist");
	const char *created = kv_get(&kv, "create");
	char host_file[1400];
	snprintf(host_file, sizeof host_file, "%s/should-not-exist", dir);
	enum outcome o;
	if (access(host_file, F_OK) == 0 || (created && strcmp(created, "ok") == 0))
		o = check_fail(r, "a :ro volume accepted a new file: make the bind mount read-only");
	else if (created && strstr(created, "EROFS"))
		o = check_pass(r, "writing into a :ro volume fails with EROFS");
	else
		o = check_fail(r, "creating a file in a :ro volume failed, but with %s instead of EROFS: was the volume "
				  "mounted at all?",
			       created ? created : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

/* The host's mount table, as a list of targets, through libmount. */
static char *host_mount_targets(void)
{
	struct pl_mountinfo mi;
	if (pl_mountinfo_read("/proc/self/mountinfo", &mi, NULL) < 0)
		return strdup("?");
	size_t len = 1;
	for (size_t i = 0; i < mi.n; i++)
		len += strlen(mi.m[i].target) + 1;
	char *all = calloc(1, len);
	for (size_t i = 0; i < mi.n; i++) {
		strcat(all, mi.m[i].target);
		strcat(all, " ");
	}
	pl_mountinfo_free(&mi);
	return all;
}

static enum outcome c_volume_missing(struct check_ctx *ctx, struct check_result *r)
{
	char spec[1300];
	snprintf(spec, sizeof spec, "%s/no-such-volume:/data", ctx->scratch);
	char *before = host_mount_targets();
	const char *argv[] = { ctx->podlab, "run", "--network", "none", "--rootfs", ctx->rootfs, "-v", spec, "--", "/probe", "id", NULL };
	struct run_result res;
	runner_run((char *const *)argv, NULL, ctx->timeout_ms, &res);
	keep_output(r, &res);
	char *after = host_mount_targets();
	enum outcome o;
	if (res.timed_out || res.code == 0)
		o = check_fail(r, "podlab %s with a volume whose source does not exist",
			       res.timed_out ? "hung" : "exited 0");
	else if (res.err == NULL || strstr(res.err, "no-such-volume") == NULL)
		o = check_fail(r, "the error must name the missing source; stderr was '%.200s'", res.err ? res.err : "");
	else if (res.leftovers > 0)
		o = check_fail(r, "processes were left behind: %s", res.leftover_desc);
	else if (strcmp(before, after) != 0)
		o = check_fail(r, "the host's mount table changed");
	else
		o = check_pass(r, "exit %d, the message names the source, the host's mounts are unchanged", res.code);
	free(before);
	free(after);
	run_result_free(&res);
	return o;
}

static enum outcome c_init_pid1(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, OPTS("--init"), "ps");
	const char *ps = kv_get(&kv, "ps");
	enum outcome o;
	/* PID 1 is the init (any name), the command a later PID. */
	if (ps && strncmp(ps, "1:", 2) == 0 && strncmp(ps, "1:probe", 7) != 0 && strstr(ps, ":probe"))
		o = check_pass(r, "with --init: %s", ps);
	else
		o = check_fail(r, "with --init, PID 1 must be the init and the command a child of it; ps shows '%.200s'",
			       ps ? ps : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_init_reaps(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, OPTS("--init"), "zombies", "3");
	const char *z = kv_get(&kv, "zombies");
	enum outcome o = z && strcmp(z, "0") == 0
				 ? check_pass(r, "three orphans exited and were reaped")
				 : check_fail(r, "with --init, %s zombie(s) remained: PID 1 must wait() for every child "
						 "re-parented to it",
					      z ? z : "?");
	kv_free(&kv);
	run_result_free(&res);
	if (o != OUT_PASS)
		return o;
	/* And the probe is not fooling us: without an init nothing reaps. */
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "zombies", "3");
	z = kv_get(&kv, "zombies");
	if (z == NULL || strcmp(z, "0") == 0)
		o = check_fail(r, "without --init the orphans were reaped too: is the command really PID 1?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_init_signals(struct check_ctx *ctx, struct check_result *r)
{
	char inside[128], outside[1200];
	snprintf(inside, sizeof inside, "/shared/init-signal-%s", ctx->nonce);
	rootfs_path(ctx, inside, outside, sizeof outside);
	struct proc p;
	if (start_probe(ctx, OPTS("--init"), PROBE("wait-signal", "20", inside), &p) < 0)
		return check_fail(r, "cannot start podlab");
	bool ready = false;
	for (int t = 0; t < ctx->timeout_ms && !ready; t += 10) {
		FILE *f = fopen(p.out_path, "r");
		char buf[4096] = "";
		if (f) {
			buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
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
	int got = 0;
	FILE *f = fopen(outside, "r");
	if (f) {
		if (fscanf(f, "%d", &got) != 1)
			got = 0;
		fclose(f);
	}
	run_result_free(&res);
	if (!ready)
		return check_fail(r, "the probe did not start within the time limit");
	if (got != SIGTERM)
		return check_fail(r, "with --init, SIGTERM sent to podlab did not reach the command: the init must "
				     "forward what it receives");
	if (res.code != 128 + SIGTERM)
		return check_fail(r, "the command got SIGTERM and exited 143, but podlab exited %d", res.code);
	return check_pass(r, "SIGTERM went podlab -> init -> command; exit 143");
}

static enum outcome c_tmp(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "touch", "/tmp/podlab-check");
	const char *created = kv_get(&kv, "create");
	enum outcome o = created && strcmp(created, "ok") == 0 ? check_pass(r, "/tmp is writable")
							       : check_fail(r, "cannot create a file in /tmp (%s)",
									    created ? created : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static const struct check checks[] = {
	{ "02.pid1", "ps inside shows only the container, the command as PID 1", 2, { NULL }, NEEDS, HOLES,
	  "mount a new procfs on /proc inside the new PID namespace", c_pid1 },
	{ "02.host-mounts-hidden", "the host's mounts are not visible inside", 2, { "02.pid1" }, NEEDS, HOLES,
	  "make mounts private, bind the rootfs on itself, pivot_root, and detach the old root", c_host_mounts_hidden },
	{ "02.old-root-gone", "the old root cannot be reached (chroot escape fails)", 2, { "02.pid1" }, NEEDS, HOLES,
	  "pivot_root(\".\", \".\") then umount2(\".\", MNT_DETACH)", c_old_root_gone },
	{ "02.masked", "masked paths read as empty", 2, { "02.pid1" }, NEEDS, HOLES,
	  "/dev/null over files, an empty read-only tmpfs over directories; skip paths the kernel lacks", c_masked },
	{ "02.readonly", "read-only /proc paths cannot be written", 2, { "02.pid1" }, NEEDS, HOLES,
	  "bind each path onto itself, then make the bind read-only", c_readonly },
	{ "02.sys-readonly", "/sys is read-only", 1, { "02.pid1" }, NEEDS, HOLES,
	  "without a network namespace sysfs cannot be mounted: bind the host's read-only", c_sys_readonly },
	{ "02.dev", "/dev holds only the harmless devices, and they work", 2, { "02.pid1" }, NEEDS, HOLES,
	  "a tmpfs on /dev, then bind null, zero, full, random, urandom and tty from the host", c_dev },
	{ "02.namespaces", "own user, mount, PID, UTS and IPC namespaces", 1, { "02.pid1" }, NEEDS, HOLES,
	  "clone with CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWUTS|CLONE_NEWIPC", c_namespaces },
	{ "02.tmp", "/tmp is writable", 1, { "02.pid1" }, NEEDS, HOLES, "mount a tmpfs with mode=1777 on /tmp",
	  c_tmp },
	{ "02.volume", "-v HOST:CTR shares a directory, files owned by you", 2, { "02.pid1" }, NEEDS, HOLES,
	  "bind-mount the host path onto the target inside the rootfs, before pivot_root", c_volume },
	{ "02.volume-ro", "-v HOST:CTR:ro cannot be written (EROFS)", 1, { "02.volume" }, NEEDS, HOLES,
	  "after the bind, make it read-only (mount_setattr or a bind remount)", c_volume_ro },
	{ "02.volume-missing", "a missing volume source fails clearly and changes nothing", 1, { NULL }, "", "",
	  "check every volume source on the host side, before clone()", c_volume_missing },
	{ "02.init-pid1", "--init runs an init as PID 1 and the command under it", 1, { "02.pid1" }, NEEDS, HOLES,
	  "fork in the container: the child execs the command, the parent loops as init", c_init_pid1 },
	{ "02.init-reaps", "--init reaps orphaned zombies", 2, { "02.init-pid1" }, NEEDS, HOLES,
	  "on SIGCHLD, waitpid(-1, ..., WNOHANG) until nothing is left", c_init_reaps },
	{ "02.init-signals", "--init forwards signals to the command", 1, { "02.init-pid1" }, NEEDS, HOLES,
	  "block the signals, sigwaitinfo(), kill() the command with each", c_init_signals },
};

const struct check_table stage02_table = { 2, "mounts and process isolation", checks, sizeof checks / sizeof *checks };
