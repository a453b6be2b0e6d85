/* stage07.c - checks for stage 07: capabilities, seccomp, and the
 * hardening drill.
 *
 * The drill is a table of escape attempts, each made from inside the
 * container by the probe.  Every one must fail, or succeed only in a way
 * the user namespace makes harmless (a "setuid root" file that the host
 * sees as yours).  Each has its own check, so a report names exactly the
 * door that was left open.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "check.h"

#define HOLES "07:cap-drop,07:seccomp-filter"
#define NEEDS "userns,newuidmap,newgidmap"

/* Read a hex capability mask out of the probe's "id" block. */
static unsigned long long mask_of(const struct kv *kv, const char *key)
{
	const char *v = kv_get(kv, key);
	return v ? strtoull(v, NULL, 16) : ~0ULL;
}

static enum outcome c_caps_default(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "id");
	unsigned long long want = pl_caps_default();
	const char *sets[] = { "cap_bnd", "cap_prm", "cap_eff" };
	const char *names[] = { "bounding", "permitted", "effective" };
	char want_s[512], got_s[1024];
	pl_caps_format(want, want_s, sizeof want_s);
	enum outcome o = check_pass(r, "effective, permitted and bounding sets are podman's default: %s", want_s);
	for (int i = 0; i < 3; i++) {
		unsigned long long got = mask_of(&kv, sets[i]);
		if (got == want)
			continue;
		pl_caps_format(got, got_s, sizeof got_s);
		o = check_fail(r, "the %s set is %s; it must be exactly %s%s", names[i], got_s, want_s,
			       i == 0 ? ". The bounding set is the ceiling no execve(), setuid program or file capability "
					"can raise a process above; only no_new_privs stands in for it otherwise"
				      : "");
		break;
	}
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_no_new_privs(struct check_ctx *ctx, struct check_result *r)
{
	/* libseccomp sets no_new_privs itself when it loads a filter, so the
	 * run without a filter is the one that shows the runtime sets it. */
	const char *const *runs[] = { NO_OPTS, OPTS("--security-opt", "seccomp=unconfined") };
	for (int i = 0; i < 2; i++) {
		struct run_result res;
		struct kv kv;
		PROBE_OR_FAIL(ctx, r, res, kv, runs[i], "id");
		char nnp[32];
		snprintf(nnp, sizeof nnp, "%s", kv_get(&kv, "no_new_privs") ? kv_get(&kv, "no_new_privs") : "?");
		kv_free(&kv);
		run_result_free(&res);
		if (strcmp(nnp, "1") != 0)
			return check_fail(r, "NoNewPrivs is %s%s: setuid programs could still raise privileges", nnp,
					  i ? " with seccomp=unconfined" : "");
	}
	return check_pass(r, "no_new_privs is set, with and without the seccomp filter");
}

static enum outcome c_seccomp_on(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "try", "keyctl");
	char result[128];
	snprintf(result, sizeof result, "%s", kv_get(&kv, "result") ? kv_get(&kv, "result") : "?");
	bool denied = strstr(result, "EPERM") != NULL;
	kv_free(&kv);
	run_result_free(&res);
	if (!denied)
		return check_fail(r, "keyctl() returned %s inside: the default seccomp filter must deny it with EPERM "
				     "(capabilities alone do not stop it)",
				  result);
	PROBE_OR_FAIL(ctx, r, res, kv, NO_OPTS, "id");
	const char *mode = kv_get(&kv, "seccomp");
	enum outcome o = mode && strcmp(mode, "2") == 0
				 ? check_pass(r, "a seccomp filter is loaded and keyctl() fails with EPERM")
				 : check_fail(r, "Seccomp mode is %s, not 2 (filter)", mode ? mode : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_unconfined(struct check_ctx *ctx, struct check_result *r)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, OPTS("--security-opt", "seccomp=unconfined"), "try", "keyctl");
	const char *result = kv_get(&kv, "result");
	enum outcome o = result && !strstr(result, "EPERM")
				 ? check_pass(r, "with seccomp=unconfined keyctl() is no longer denied (%s)", result)
				 : check_fail(r, "with --security-opt seccomp=unconfined keyctl() still fails with %s: "
						 "the filter must not be loaded",
					      result ? result : "?");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome cap_option(struct check_ctx *ctx, struct check_result *r, const char *opt, const char *name,
			       int cap, bool want_present)
{
	struct run_result res;
	struct kv kv;
	PROBE_OR_FAIL(ctx, r, res, kv, OPTS(opt, name), "id");
	unsigned long long eff = mask_of(&kv, "cap_eff"), bnd = mask_of(&kv, "cap_bnd");
	bool present = (eff & (1ULL << cap)) && (bnd & (1ULL << cap));
	bool absent = !(eff & (1ULL << cap)) && !(bnd & (1ULL << cap));
	enum outcome o;
	if (want_present ? present : absent)
		o = check_pass(r, "%s %s works", opt, name);
	else
		o = check_fail(r, "%s %s: capability %s is %s the effective and bounding sets", opt, name, name,
			       want_present ? "missing from" : "still in");
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

static enum outcome c_cap_add(struct check_ctx *ctx, struct check_result *r)
{
	return cap_option(ctx, r, "--cap-add", "NET_RAW", 13, true);
}

static enum outcome c_cap_drop(struct check_ctx *ctx, struct check_result *r)
{
	return cap_option(ctx, r, "--cap-drop", "CHOWN", 0, false);
}

static enum outcome c_cap_unknown(struct check_ctx *ctx, struct check_result *r)
{
	const char *argv[] = { ctx->podlab, "run", "--network", "none", "--rootfs", ctx->rootfs, "--cap-add", "NOT_A_CAP", "--", "/probe",
			       "id", NULL };
	struct run_result res;
	runner_run((char *const *)argv, NULL, ctx->timeout_ms, &res);
	keep_output(r, &res);
	enum outcome o;
	if (res.code == 0 || res.timed_out)
		o = check_fail(r, "--cap-add NOT_A_CAP was accepted");
	else if (res.err == NULL || strstr(res.err, "NOT_A_CAP") == NULL)
		o = check_fail(r, "the error must name the unknown capability; stderr was '%.200s'", res.err ? res.err : "");
	else
		o = check_pass(r, "exit %d, naming the unknown capability", res.code);
	run_result_free(&res);
	return o;
}

/* ---- the drill ------------------------------------------------------------ */

enum expect {
	DENIED,      /* the operation must fail, with any error */
	EMPTY,       /* fail, or read nothing */
	NOT_FOUND,   /* the escape must not find the host's marker file */
	HOST_SAFE,   /* fail, and the host's sentinel process must live on */
	REMAPPED,    /* may succeed: the host must see the file as the caller's */
};

struct drill {
	const char *id;
	const char *why; /* what it would mean if it worked */
	enum expect expect;
	const char *args[5]; /* probe arguments; @marker, @pid, @ns are filled in */
};

static const struct drill drills[] = {
	{ "07.drill.mount-host-root", "re-mounting / or /home would expose the host's files", DENIED,
	  { "try", "mount-bind", "/", "/mnt" } },
	{ "07.drill.mount-new-fs", "a new file system is kernel code run on the container's say-so", DENIED,
	  { "try", "mount-fs", "tmpfs", "/mnt" } },
	{ "07.drill.mount-proc", "a second procfs could be mounted without the masks", DENIED,
	  { "try", "mount-fs", "proc", "/mnt" } },
	{ "07.drill.host-disk", "opening the host's disk is reading every file on it", DENIED, { "try", "open-disks" } },
	{ "07.drill.mknod-block", "a block device node would reach the host's disk", DENIED,
	  { "try", "mknod-block", "/tmp/sda" } },
	{ "07.drill.mknod-mem", "a /dev/mem node would reach physical memory", DENIED,
	  { "try", "mknod-char", "/tmp/mem" } },
	{ "07.drill.dev-mem", "/dev/mem is all of physical memory", DENIED, { "try", "open", "/dev/mem" } },
	{ "07.drill.kcore", "/proc/kcore is the kernel's memory", EMPTY, { "try", "read", "/proc/kcore" } },
	{ "07.drill.kmsg", "the kernel log belongs to the host", DENIED, { "try", "syslog" } },
	{ "07.drill.ptrace-host", "tracing a host process is controlling it", HOST_SAFE, { "try", "ptrace", "@pid" } },
	{ "07.drill.signal-host", "killing a host process", HOST_SAFE, { "try", "kill", "@pid", "9" } },
	{ "07.drill.host-proc", "a host process's /proc entry leaks its environment and files", DENIED,
	  { "try", "stat", "/proc/@pid/cmdline" } },
	{ "07.drill.proc-root", "/proc/PID/root of a host process is the host's /", NOT_FOUND,
	  { "try", "chroot-escape", "/proc/@pid/root@marker" } },
	{ "07.drill.setns-host", "joining the host's mount namespace", DENIED, { "try", "setns", "/proc/@pid/ns/mnt" } },
	{ "07.drill.sysrq", "sysrq can reboot or crash the machine", DENIED, { "try", "write", "/proc/sysrq-trigger", "b" } },
	{ "07.drill.proc-sys", "kernel tunables are machine-wide", DENIED,
	  { "try", "write", "/proc/sys/vm/drop_caches", "3" } },
	{ "07.drill.sysfs", "sysfs and the cgroup tree are the host's", DENIED,
	  { "try", "mkdir", "/sys/fs/cgroup/escape" } },
	{ "07.drill.load-module", "a kernel module runs with every privilege", DENIED, { "try", "init-module" } },
	{ "07.drill.finit-module", "loading a module from a file", DENIED, { "try", "finit-module" } },
	{ "07.drill.keyctl", "the kernel keyring is shared with the host", DENIED, { "try", "keyctl" } },
	{ "07.drill.unshare-user", "a nested user namespace gives back every capability", DENIED,
	  { "try", "unshare-user" } },
	{ "07.drill.chroot-escape", "walking '..' out of a chroot reaches the host", NOT_FOUND,
	  { "try", "chroot-escape", "@marker" } },
	{ "07.drill.open-by-handle", "file handles bypass the mount tree (the 'shocker' escape)", DENIED,
	  { "try", "open-by-handle" } },
	{ "07.drill.bpf", "eBPF runs code in the kernel", DENIED, { "try", "bpf" } },
	{ "07.drill.perf", "performance counters observe the whole machine", DENIED, { "try", "perf-event" } },
	{ "07.drill.userfaultfd", "a classic tool for kernel races", DENIED, { "try", "userfaultfd" } },
	{ "07.drill.kexec", "replacing the running kernel", DENIED, { "try", "kexec" } },
	{ "07.drill.reboot", "rebooting the machine", DENIED, { "try", "reboot" } },
	{ "07.drill.clock", "the clock is shared by every process on the host", DENIED, { "try", "settime" } },
	{ "07.drill.iopl", "raw I/O ports talk to hardware", DENIED, { "try", "iopl" } },
	{ "07.drill.swapon", "swap is machine-wide", DENIED, { "try", "swapon" } },
	{ "07.drill.raw-socket", "raw packets on a shared network", DENIED, { "try", "raw-socket" } },
	{ "07.drill.setuid-root-file", "a setuid-root file made inside must not be root's on the host", REMAPPED,
	  { "try", "setuid-file", "/shared/setuid-@nonce" } },
};

/* A host process for the drill to aim at: it must be out of reach. */
static pid_t sentinel;
static struct proc sentinel_proc;

static pid_t host_sentinel(void)
{
	if (sentinel > 0 && kill(sentinel, 0) == 0)
		return sentinel;
	char *argv[] = { "sleep", "600", NULL };
	if (runner_start(&sentinel_proc, argv, NULL) < 0)
		return -1;
	sentinel = sentinel_proc.pid;
	return sentinel;
}

/* Replace @pid, @marker, @nonce in one argument. */
static void expand(struct check_ctx *ctx, const char *in, char *out, size_t len)
{
	char pid[16];
	snprintf(pid, sizeof pid, "%d", (int)host_sentinel());
	size_t o = 0;
	while (*in && o + 1 < len) {
		const char *val = NULL;
		size_t skip = 0;
		if (strncmp(in, "@pid", 4) == 0)
			val = pid, skip = 4;
		else if (strncmp(in, "@marker", 7) == 0)
			val = ctx->host_marker, skip = 7;
		else if (strncmp(in, "@nonce", 6) == 0)
			val = ctx->nonce, skip = 6;
		if (val) {
			o += (size_t)snprintf(out + o, len - o, "%s", val);
			in += skip;
		} else {
			out[o++] = *in++;
		}
	}
	out[o < len ? o : len - 1] = '\0';
}

size_t drill_count(void)
{
	return sizeof drills / sizeof *drills;
}

size_t drill_index(const char *id)
{
	size_t i = 0;
	while (i < drill_count() && strcmp(drills[i].id, id) != 0)
		i++;
	return i;
}

static enum outcome run_drill(struct check_ctx *ctx, struct check_result *r, const struct drill *d);

enum outcome drill_attempt(struct check_ctx *ctx, struct check_result *r, size_t i)
{
	return i < drill_count() ? run_drill(ctx, r, &drills[i]) : check_fail(r, "internal: no drill %zu", i);
}

static enum outcome c_drill(struct check_ctx *ctx, struct check_result *r)
{
	const struct drill *d = NULL;
	for (size_t i = 0; i < sizeof drills / sizeof *drills && !d; i++)
		if (strcmp(drills[i].id, ctx->check->id) == 0)
			d = &drills[i];
	if (d == NULL)
		return check_fail(r, "internal: no drill entry for %s", ctx->check->id);
	return run_drill(ctx, r, d);
}

static enum outcome run_drill(struct check_ctx *ctx, struct check_result *r, const struct drill *d)
{
	char buf[5][1200];
	const char *probe[6] = { NULL };
	for (int i = 0; i < 5 && d->args[i]; i++) {
		expand(ctx, d->args[i], buf[i], sizeof buf[i]);
		probe[i] = buf[i];
	}
	struct run_result res;
	struct kv kv;
	run_probe(ctx, ctx->drill_opts ? ctx->drill_opts : NO_OPTS, probe, NULL, &res, &kv);
	if (require_probe(r, &res, &kv) != OUT_PENDING) {
		kv_free(&kv);
		run_result_free(&res);
		return OUT_FAIL;
	}
	const char *result = kv_get(&kv, "result"), *found = kv_get(&kv, "found"), *bytes = kv_get(&kv, "bytes");
	bool failed = result && strncmp(result, "errno=", 6) == 0;
	enum outcome o = OUT_FAIL;
	char attempt[256];
	snprintf(attempt, sizeof attempt, "%s%s%s", probe[1] ? probe[1] : "", probe[2] ? " " : "", probe[2] ? probe[2] : "");
	switch (d->expect) {
	case DENIED:
		o = failed ? check_pass(r, "%s: refused (%s)", attempt, result)
			   : check_fail(r, "%s SUCCEEDED inside the container: %s", attempt, d->why);
		break;
	case EMPTY:
		o = failed || (bytes && strcmp(bytes, "0") == 0)
			    ? check_pass(r, "%s: %s", attempt, failed ? result : "reads nothing")
			    : check_fail(r, "%s returned %s bytes: %s", attempt, bytes ? bytes : "?", d->why);
		break;
	case NOT_FOUND:
		o = (found && strcmp(found, "no") == 0) || failed
			    ? check_pass(r, "%s: the host's files stay out of reach (%s)", attempt,
					 failed ? result : "marker not found")
			    : check_fail(r, "%s reached a file outside the container: %s", attempt, d->why);
		break;
	case HOST_SAFE:
		o = failed && kill(host_sentinel(), 0) == 0
			    ? check_pass(r, "%s: refused (%s), the host process lives on", attempt, result)
			    : check_fail(r, "%s: %s (result %s)", attempt, d->why, result ? result : "?");
		break;
	case REMAPPED: {
		char inside[128], outside[1400];
		snprintf(inside, sizeof inside, "/shared/setuid-%s", ctx->nonce);
		rootfs_path(ctx, inside, outside, sizeof outside);
		struct stat st;
		if (stat(outside, &st) < 0)
			o = failed ? check_pass(r, "could not even create it (%s)", result)
				   : check_fail(r, "the probe reported success but no file is on the host");
		else if (st.st_uid == 0)
			o = check_fail(r, "a setuid file made inside is owned by the HOST's root: %s", d->why);
		else
			o = check_pass(r, "inside it is setuid root; on the host it is owned by uid %u, harmless",
				       (unsigned)st.st_uid);
		break;
	}
	}
	kv_free(&kv);
	run_result_free(&res);
	return o;
}

void drill_cleanup(void)
{
	if (sentinel > 0) {
		kill(sentinel, SIGKILL);
		struct run_result res;
		runner_wait(&sentinel_proc, 1000, &res);
		run_result_free(&res);
		sentinel = 0;
	}
}

#define DRILL(id, title) { id, title, 1, { "07.caps-default" }, NEEDS, HOLES, NULL, c_drill }

static const struct check checks[] = {
	{ "07.caps-default", "only podman's default capabilities remain, bounding set included", 3, { NULL }, NEEDS,
	  HOLES, "drop every other capability from the bounding set, then set the effective/permitted sets",
	  c_caps_default },
	{ "07.no-new-privs", "no_new_privs is set", 1, { "07.caps-default" }, NEEDS, HOLES,
	  "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) before execve()", c_no_new_privs },
	{ "07.seccomp", "a seccomp filter denies keyctl() with EPERM", 2, { NULL }, NEEDS, HOLES,
	  "seccomp_init(SCMP_ACT_ALLOW), a SCMP_ACT_ERRNO(EPERM) rule a denied call, seccomp_load()", c_seccomp_on },
	{ "07.seccomp-unconfined", "--security-opt seccomp=unconfined loads no filter", 1, { "07.seccomp" }, NEEDS,
	  HOLES, "skip the filter step when the spec says so", c_unconfined },
	{ "07.cap-add", "--cap-add NET_RAW adds it", 1, { "07.caps-default" }, NEEDS, HOLES,
	  "resolve the set before dropping: default + added - dropped", c_cap_add },
	{ "07.cap-drop", "--cap-drop CHOWN removes it", 1, { "07.caps-default" }, NEEDS, HOLES,
	  "resolve the set before dropping: default + added - dropped", c_cap_drop },
	{ "07.cap-unknown", "an unknown capability name is a clear error", 1, { NULL }, NEEDS, "",
	  "parse names with cap_from_name() on the host side, before clone()", c_cap_unknown },
	DRILL("07.drill.mount-host-root", "drill: mounting the host's / fails"),
	DRILL("07.drill.mount-new-fs", "drill: mounting a new file system fails"),
	DRILL("07.drill.mount-proc", "drill: mounting another procfs fails"),
	DRILL("07.drill.host-disk", "drill: the host's disks cannot be opened"),
	DRILL("07.drill.mknod-block", "drill: block device nodes cannot be made"),
	DRILL("07.drill.mknod-mem", "drill: a /dev/mem node cannot be made"),
	DRILL("07.drill.dev-mem", "drill: /dev/mem cannot be opened"),
	DRILL("07.drill.kcore", "drill: /proc/kcore gives nothing"),
	DRILL("07.drill.kmsg", "drill: the kernel log cannot be read"),
	DRILL("07.drill.ptrace-host", "drill: a host process cannot be traced"),
	DRILL("07.drill.signal-host", "drill: a host process cannot be signalled"),
	DRILL("07.drill.host-proc", "drill: host PIDs are invisible"),
	DRILL("07.drill.proc-root", "drill: no /proc/PID/root path leads to the host"),
	DRILL("07.drill.setns-host", "drill: the host's namespaces cannot be joined"),
	DRILL("07.drill.sysrq", "drill: /proc/sysrq-trigger cannot be written"),
	DRILL("07.drill.proc-sys", "drill: /proc/sys cannot be written"),
	DRILL("07.drill.sysfs", "drill: sysfs and cgroups cannot be written"),
	DRILL("07.drill.load-module", "drill: no kernel module can be loaded"),
	DRILL("07.drill.finit-module", "drill: no kernel module file can be loaded"),
	DRILL("07.drill.keyctl", "drill: the kernel keyring is out of reach"),
	DRILL("07.drill.unshare-user", "drill: a nested user namespace is refused"),
	DRILL("07.drill.chroot-escape", "drill: the chroot escape finds nothing"),
	DRILL("07.drill.open-by-handle", "drill: open_by_handle_at is refused"),
	DRILL("07.drill.bpf", "drill: bpf() is refused"),
	DRILL("07.drill.perf", "drill: perf_event_open() is refused"),
	DRILL("07.drill.userfaultfd", "drill: userfaultfd() is refused"),
	DRILL("07.drill.kexec", "drill: kexec_load() is refused"),
	DRILL("07.drill.reboot", "drill: reboot() is refused"),
	DRILL("07.drill.clock", "drill: the clock cannot be set"),
	DRILL("07.drill.iopl", "drill: I/O ports are out of reach"),
	DRILL("07.drill.swapon", "drill: swapon() is refused"),
	DRILL("07.drill.raw-socket", "drill: raw packet sockets are refused"),
	DRILL("07.drill.setuid-root-file", "drill: a setuid-root file made inside is harmless outside"),
};

const struct check_table stage07_table = { 7, "hardening", checks, sizeof checks / sizeof *checks };
