/* check.h - what a check is, and what it can use.
 *
 * Checks are declared in tables (one per stage, stageNN.c), CodeCrafters-
 * style: an id, a title, points, the checks it builds on, the machine
 * features it needs, the lab holes it exercises, a hint for students, and
 * a function.  The function returns one of three verdicts, kept apart on
 * purpose:
 *
 *   PASS  the student's build does what the stage asks;
 *   FAIL  it does not (the message says what was expected and seen);
 *   ENV   the grading machine cannot run the check (the message says what
 *         is missing and how to fix it); this costs the student nothing.
 *
 * A check whose prerequisite did not pass is reported as SKIP, naming it.
 */
#ifndef PODLAB_CHECK_H
#define PODLAB_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "idmap.h"
#include "runner.h"

enum outcome { OUT_PENDING, OUT_PASS, OUT_FAIL, OUT_SKIP, OUT_ENV };

struct check_result {
	enum outcome outcome;
	int score;
	char message[2048]; /* why it failed, was skipped, or could not run */
	char output[4096];  /* excerpt of what the student's build printed */
	double seconds;
};

/* What every check may use: the build under test and the grading set-up. */
struct check_ctx {
	const char *podlab;  /* the binary under test */
	const char *rootfs;  /* the checker's root filesystem (holds /probe) */
	const char *scratch; /* a private directory for this run */
	const char *nonce;   /* marks genuine probe output */
	const char *user;
	uid_t uid;
	gid_t gid;
	long loginuid;        /* the grading session's, -1 when unset */
	const char *host_marker; /* a file outside the rootfs: escapes look for it */
	const char *store;       /* podlab's image store for this run (XDG_DATA_HOME/podlab) */
	struct pl_idmap uids; /* the maps a correct runtime must produce, */
	struct pl_idmap gids; /* computed with the reference code */
	int timeout_ms;       /* per command */
	struct check_result *current;
	const struct check *check;      /* the check being run */
	const char *const *drill_opts;  /* extra `podlab run` options for the drill */
	const char *submission;         /* week 11: the student's files (pod.yaml, results.txt, NOTES.md) */
	const char *engine;             /* week 11: "podlab" or "podman" */
};

struct check {
	const char *id;
	const char *title;
	int points;
	const char *prereqs[4]; /* ids of checks that must pass first */
	const char *needs;      /* machine features, comma-separated: "userns,subuid" */
	const char *holes;      /* lab holes exercised, "01:build-map,01:write-map" */
	const char *hint;       /* shown on failure */
	enum outcome (*run)(struct check_ctx *ctx, struct check_result *r);
};

/* ---- helpers for check functions ----------------------------------------- */

/* Set the message and return FAIL, ENV or PASS: `return check_fail(r, ...)`. */
enum outcome check_fail(struct check_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum outcome check_env(struct check_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum outcome check_pass(struct check_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Key/value results of one probe run. */
#define KV_MAX 64
struct kv {
	int n;
	char key[KV_MAX][48];
	char *value[KV_MAX];
	bool found; /* a genuine (nonce-marked) probe block was seen */
};
const char *kv_get(const struct kv *kv, const char *key);
void kv_free(struct kv *kv);
void kv_parse(const char *out, const char *nonce, struct kv *kv);

/* Run `podlab run --rootfs ROOTFS OPTS... -- /probe PROBE...` and parse the
 * probe's block.  opts and probe are NULL-terminated.  The captured output
 * goes into the current result's `output`. */
void run_probe(struct check_ctx *ctx, const char *const *opts, const char *const *probe, char *const *env,
	       struct run_result *res, struct kv *kv);

/* Start the same in the background (for checks that act while it runs). */
int start_probe(struct check_ctx *ctx, const char *const *opts, const char *const *probe, struct proc *p);

/* OUT_PENDING when the probe's block is there; otherwise FAIL, saying how
 * podlab ended and the first line of what it printed on stderr. */
enum outcome require_probe(struct check_result *r, const struct run_result *res, const struct kv *kv);

/* Run `podlab ARGS...` (NULL-terminated) and parse a probe block if any. */
void run_podlab(struct check_ctx *ctx, const char *const *args, struct run_result *res, struct kv *kv);

/* Describe how a podlab run ended, for failure messages. */
void describe_run(const struct run_result *res, char *buf, size_t len);

/* Keep an excerpt of the run's output in the result. */
void keep_output(struct check_result *r, const struct run_result *res);

/* Path of a file inside the checker's rootfs, seen from the host. */
void rootfs_path(const struct check_ctx *ctx, const char *inside, char *buf, size_t len);

/* Argument lists for run_probe(): OPTS("--init"), PROBE("id"). */
#define OPTS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_OPTS ((const char *const[]){ NULL })
#define PROBE(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Run the probe and stop the check with FAIL unless its block came back;
 * `res` and `kv` are then the caller's to free. */
#define PROBE_OR_FAIL(ctx, r, res, kv, opts, ...)                            \
	run_probe(ctx, opts, PROBE(__VA_ARGS__), NULL, &res, &kv);            \
	if (require_probe(r, &res, &kv) != OUT_PENDING) {                      \
		kv_free(&kv);                                                  \
		run_result_free(&res);                                         \
		return OUT_FAIL;                                               \
	}

/* Wait until `path` exists (probes write such files once running). */
bool wait_for_file(const char *path, int timeout_ms);

/* Start the probe as `probe sleep 20 FILE` and find its host pid. */
pid_t start_sleeper(struct check_ctx *ctx, const char *const *opts, const char *tag, struct proc *p);

/* Import the probe's root filesystem as an image, once per run (stages 05
 * and later need containers made from an image).  OUT_PENDING when it is
 * there. */
#define PROBE_IMAGE "probe-image"
enum outcome need_probe_image(struct check_ctx *ctx, struct check_result *r);

/* podlab image import TAR NAME; OUT_PENDING when it worked, else FAIL. */
enum outcome import_image(struct check_ctx *ctx, struct check_result *r, const char *tar, const char *name);

/* Is the process there and not a zombie (which has ended, and waits only
 * to be reaped, often by the checker itself, a subreaper)? */
bool process_alive(long pid);

/* ---- the tables ------------------------------------------------------------ */

struct check_table {
	int stage;
	const char *name;
	const struct check *checks;
	size_t n;
};

extern const struct check_table stage01_table;
extern const struct check_table stage02_table;
extern const struct check_table stage03_table;
extern const struct check_table stage04_table;
extern const struct check_table stage05_table;
extern const struct check_table stage06_table;
extern const struct check_table stage07_table;
extern const struct check_table week11_table;

/* The stage 07 drill, for the week 11 suite: how many attempts, and one
 * attempt by index (run with ctx->drill_opts). */
size_t drill_count(void);
size_t drill_index(const char *id); /* drill_count() if there is none */
enum outcome drill_attempt(struct check_ctx *ctx, struct check_result *r, size_t i);

/* Stop the host process the drill aims at (called after grading). */
void drill_cleanup(void);

#endif
