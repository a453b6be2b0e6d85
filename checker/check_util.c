/* check_util.c - the helpers that check functions share (see check.h). */
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixtures.h"
#include "host.h"
#include "state.h"

static enum outcome verdict(struct check_result *r, enum outcome o, const char *fmt, va_list ap)
{
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	return o;
}

enum outcome check_fail(struct check_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum outcome o = verdict(r, OUT_FAIL, fmt, ap);
	va_end(ap);
	return o;
}

enum outcome check_env(struct check_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum outcome o = verdict(r, OUT_ENV, fmt, ap);
	va_end(ap);
	return o;
}

enum outcome check_pass(struct check_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum outcome o = verdict(r, OUT_PASS, fmt, ap);
	va_end(ap);
	return o;
}

const char *kv_get(const struct kv *kv, const char *key)
{
	for (int i = 0; i < kv->n; i++)
		if (strcmp(kv->key[i], key) == 0)
			return kv->value[i];
	return NULL;
}

void kv_free(struct kv *kv)
{
	for (int i = 0; i < kv->n; i++)
		free(kv->value[i]);
	kv->n = 0;
}

/* Undo the probe's escaping of newlines and backslashes. */
static char *unescape(const char *s, size_t n)
{
	char *v = malloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			v[j++] = s[i + 1] == 'n' ? '\n' : s[i + 1];
			i++;
		} else {
			v[j++] = s[i];
		}
	}
	v[j] = '\0';
	return v;
}

void kv_parse(const char *out, const char *nonce, struct kv *kv)
{
	memset(kv, 0, sizeof *kv);
	char begin[128];
	snprintf(begin, sizeof begin, "@@podlab-probe %s begin", nonce);
	/* Only the block that carries our nonce counts: anything else the
	 * runtime printed, however probe-like, is ignored. */
	const char *p = out ? strstr(out, begin) : NULL;
	if (p == NULL)
		return;
	kv->found = true;
	p = strchr(p, '\n');
	while (p != NULL && *++p != '\0' && kv->n < KV_MAX) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (strncmp(p, "@@podlab-probe", 14) == 0)
			break;
		const char *eq = memchr(p, '=', len);
		if (eq != NULL && (size_t)(eq - p) < sizeof kv->key[0]) {
			snprintf(kv->key[kv->n], sizeof kv->key[0], "%.*s", (int)(eq - p), p);
			kv->value[kv->n] = unescape(eq + 1, len - (size_t)(eq - p) - 1);
			kv->n++;
		}
		p = nl;
	}
}

static void build_argv(struct check_ctx *ctx, const char *const *opts, const char *const *probe, const char **argv,
		       size_t max)
{
	size_t n = 0;
	bool podman = ctx->engine && strcmp(ctx->engine, "podman") == 0, pod = false;
	for (const char *const *o = opts; o && *o; o++)
		pod |= strcmp(*o, "--pod") == 0;
	argv[n++] = podman ? "podman" : ctx->podlab;
	argv[n++] = "run";
	if (podman)
		argv[n++] = "--rm";
	/* Stages other than 04 need no network: a machine without a usable
	 * /dev/net/tun must not fail them.  A later --network wins.  In a pod
	 * the network is the pod's. */
	if (!pod) {
		argv[n++] = "--network";
		argv[n++] = "none";
	}
	for (; opts && *opts && n < max - 6; opts++)
		argv[n++] = *opts;
	argv[n++] = "--rootfs";
	argv[n++] = ctx->rootfs;
	if (!podman)
		argv[n++] = "--";
	argv[n++] = "/probe";
	for (; probe && *probe && n < max - 1; probe++)
		argv[n++] = *probe;
	argv[n] = NULL;
}

void run_probe(struct check_ctx *ctx, const char *const *opts, const char *const *probe, char *const *env,
	       struct run_result *res, struct kv *kv)
{
	const char *argv[64];
	build_argv(ctx, opts, probe, argv, 64);
	runner_run((char *const *)argv, env, ctx->timeout_ms, res);
	kv_parse(res->out, ctx->nonce, kv);
	if (ctx->current)
		keep_output(ctx->current, res);
}

void run_podlab(struct check_ctx *ctx, const char *const *args, struct run_result *res, struct kv *kv)
{
	const char *argv[64];
	size_t n = 0;
	argv[n++] = ctx->podlab;
	for (; args && *args && n < 63; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	runner_run((char *const *)argv, NULL, ctx->timeout_ms, res);
	kv_parse(res->out, ctx->nonce, kv);
	if (ctx->current)
		keep_output(ctx->current, res);
}

int start_probe(struct check_ctx *ctx, const char *const *opts, const char *const *probe, struct proc *p)
{
	const char *argv[64];
	build_argv(ctx, opts, probe, argv, 64);
	return runner_start(p, (char *const *)argv, NULL);
}

void describe_run(const struct run_result *res, char *buf, size_t len)
{
	if (!res->started)
		snprintf(buf, len, "podlab could not be started");
	else if (res->timed_out)
		snprintf(buf, len, "podlab did not finish within the time limit and was killed");
	else if (res->signal)
		snprintf(buf, len, "podlab was killed by signal %d", res->signal);
	else
		snprintf(buf, len, "podlab exited with status %d", res->code);
}

void keep_output(struct check_result *r, const struct run_result *res)
{
	char both[8192];
	snprintf(both, sizeof both, "%s%s", res->out ? res->out : "", res->err ? res->err : "");
	runner_excerpt(both, r->output, sizeof r->output);
}

void rootfs_path(const struct check_ctx *ctx, const char *inside, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", ctx->rootfs, inside);
}

enum outcome require_probe(struct check_result *r, const struct run_result *res, const struct kv *kv)
{
	if (kv->found)
		return OUT_PENDING;
	char how[256];
	describe_run(res, how, sizeof how);
	const char *err = res->err ? res->err : "";
	int n = (int)strcspn(err, "\n");
	return check_fail(r, "the probe never ran in the container: %s%s%.*s", how, n ? "; it said: " : "", n > 300 ? 300 : n,
		    err);
}

bool wait_for_file(const char *path, int timeout_ms)
{
	for (int t = 0; t < timeout_ms; t += 10) {
		if (access(path, F_OK) == 0)
			return true;
		usleep(10000);
	}
	return false;
}

pid_t start_sleeper(struct check_ctx *ctx, const char *const *opts, const char *tag, struct proc *p)
{
	char inside[128], outside[1200];
	snprintf(inside, sizeof inside, "/shared/%s-%s", tag, ctx->nonce);
	rootfs_path(ctx, inside, outside, sizeof outside);
	if (start_probe(ctx, opts, PROBE("sleep", "20", inside), p) < 0)
		return -1;
	if (!wait_for_file(outside, ctx->timeout_ms))
		return 0;
	return host_find_process("/probe", inside);
}

/* Import the probe's root filesystem once, as PROBE_IMAGE. */
enum outcome need_probe_image(struct check_ctx *ctx, struct check_result *r)
{
	static int done;
	if (done)
		return OUT_PENDING;
	char dir[4300], probe[4400], outside[4400], victim[4400], tar[4400];
	snprintf(dir, sizeof dir, "%s/fixtures-image", ctx->scratch);
	snprintf(probe, sizeof probe, "%s/probe", ctx->rootfs);
	snprintf(outside, sizeof outside, "%s/outside-image", ctx->scratch);
	snprintf(victim, sizeof victim, "%s/victim-image", ctx->scratch);
	snprintf(tar, sizeof tar, "%s/base.tar", dir);
	mkdir(dir, 0755);
	pl_error *err = NULL;
	if (fixtures_write(dir, probe, ctx->nonce, outside, victim, &err) < 0) {
		enum outcome o = check_env(r, "cannot write the checker's image: %s", err->what);
		pl_error_free(&err);
		return o;
	}
	if (import_image(ctx, r, tar, PROBE_IMAGE) != OUT_PENDING)
		return OUT_FAIL;
	done = 1;
	return OUT_PENDING;
}

enum outcome import_image(struct check_ctx *ctx, struct check_result *r, const char *tar, const char *name)
{
	struct run_result res;
	struct kv kv;
	run_podlab(ctx, (const char *const[]){ "image", "import", tar, name, NULL }, &res, &kv);
	bool ok = res.exited && res.code == 0;
	char how[256];
	describe_run(&res, how, sizeof how);
	kv_free(&kv);
	run_result_free(&res);
	if (!ok)
		return check_fail(r, "podlab image import of a plain root filesystem tarball failed (stage 03), so no "
				     "container can be made: %s",
				  how);
	return OUT_PENDING;
}

bool process_alive(long pid)
{
	/* The runtime's reading of /proc/PID/stat: no start time for a
	 * process that is gone or only a zombie. */
	return pid > 0 && pl_proc_start((pid_t)pid) != 0;
}
