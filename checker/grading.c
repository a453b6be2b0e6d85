/* grading.c - the check loop: prerequisites, machine needs, verdicts.
 *
 * For each selected check, in table order:
 *   1. a prerequisite that did not pass makes it SKIP (no points);
 *   2. a machine feature it needs that is missing makes it ENV (not graded);
 *   3. otherwise it runs, and its own verdict stands.
 * After every check the report file (if any) is rewritten, so a grader
 * that is killed half-way still leaves a valid results file behind.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doctor.h"
#include "grading.h"
#include "report.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* The machine features checks may need, each decided once by the same
 * code as `podlab doctor`. */
struct need {
	const char *id;
	bool ok;
	char why[1400];
};

static void probe_needs(struct need *needs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct pl_finding f;
		needs[i].ok = true;
		if (pl_doctor_check(needs[i].id, &f) < 0)
			continue;
		/* Optional features (a storage driver) must be fully there; for
		 * the rest, a warning still lets the check run. */
		bool strict = strcmp(needs[i].id, "overlay") == 0 || strcmp(needs[i].id, "fuse-overlayfs") == 0 ||
			      strcmp(needs[i].id, "slirp4netns") == 0 || strcmp(needs[i].id, "pasta") == 0;
		needs[i].ok = strict ? f.verdict == PL_OK : f.verdict != PL_FAIL;
		snprintf(needs[i].why, sizeof needs[i].why, "%s%s%s", f.summary, f.fix[0] ? ". Fix: " : "", f.fix);
	}
}

/* NULL when every need in the comma list is met, else the first reason. */
static const char *unmet(const char *list, const struct need *needs, size_t n)
{
	if (list == NULL)
		return NULL;
	char copy[256];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save))
		for (size_t i = 0; i < n; i++)
			if (strcmp(needs[i].id, id) == 0 && !needs[i].ok)
				return needs[i].why;
	return NULL;
}

static const struct check_result *result_of(const char *id, const struct check **checks,
					    const struct check_result *results, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(checks[i]->id, id) == 0)
			return &results[i];
	return NULL;
}

static void save(struct grading *g, const struct report *rep)
{
	if (g->output && report_write_file(rep, g->format, g->output) < 0)
		fprintf(stderr, "podlab-check: cannot write %s\n", g->output);
}

int grading_run(struct grading *g, const struct check_table *const *tables, size_t n_tables)
{
	/* Gather the selected checks; a lab grades its own stage by default. */
	int lab_stage = 0;
	if (g->lab && g->n_stages == 0) {
		const char *base = strrchr(g->target_desc, '/');
		base = base ? base + 1 : g->target_desc;
		if (base[0] >= '0' && base[0] <= '9' && base[1] >= '0' && base[1] <= '9')
			lab_stage = (base[0] - '0') * 10 + (base[1] - '0');
		if (lab_stage)
			g->stages[g->n_stages++] = lab_stage;
	}
	size_t n = 0;
	for (size_t t = 0; t < n_tables; t++)
		if (stage_selected(tables[t]->stage, g->stages, g->n_stages))
			n += tables[t]->n;
	if (n == 0) {
		fprintf(stderr, "podlab-check: no checks selected (stage %d is not graded by this checker)\n",
			g->n_stages ? g->stages[0] : 0);
		return 2;
	}
	const struct check **checks = calloc(n, sizeof *checks);
	struct check_result *results = calloc(n, sizeof *results);
	size_t k = 0;
	for (size_t t = 0; t < n_tables; t++)
		if (stage_selected(tables[t]->stage, g->stages, g->n_stages))
			for (size_t i = 0; i < tables[t]->n; i++)
				checks[k++] = &tables[t]->checks[i];

	struct report rep = { .target = g->target_desc, .user = g->ctx.user, .checks = checks, .results = results,
			      .n = n };
	struct need needs[] = { { .id = "userns" }, { .id = "newuidmap" }, { .id = "newgidmap" }, { .id = "subuid" },
				{ .id = "subgid" }, { .id = "overlay" }, { .id = "fuse-overlayfs" }, { .id = "tun" },
				{ .id = "slirp4netns" }, { .id = "pasta" } };
	probe_needs(needs, sizeof needs / sizeof *needs);

	struct sigaction sa = { .sa_handler = on_stop };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	double start = runner_now();
	char note[512] = "";
	for (size_t i = 0; i < n; i++) {
		const struct check *c = checks[i];
		struct check_result *r = &results[i];
		double t0 = runner_now();
		if (stop_requested || t0 - start >= g->max_seconds) {
			snprintf(note, sizeof note, "grading was cut short after %zu of %zu checks (%s)", i, n,
				 stop_requested ? "stopped by a signal" : "time limit reached");
			rep.note = note;
			break;
		}
		const char *why = NULL;
		for (int p = 0; p < 4 && c->prereqs[p]; p++) {
			const struct check_result *pr = result_of(c->prereqs[p], checks, results, n);
			if (pr && pr->outcome != OUT_PASS) {
				r->outcome = OUT_SKIP;
				snprintf(r->message, sizeof r->message, "not run: it needs %s, which %s", c->prereqs[p],
					 pr->outcome == OUT_ENV ? "this machine cannot run" : "did not pass");
				if (pr->outcome == OUT_ENV) {
					r->outcome = OUT_ENV;
				}
				break;
			}
		}
		if (r->outcome == OUT_PENDING && g->build_failed) {
			r->outcome = OUT_FAIL;
			snprintf(r->message, sizeof r->message, "the lab did not build:\n%.1900s", g->build_log);
		} else if (r->outcome == OUT_PENDING && (why = unmet(c->needs, needs, sizeof needs / sizeof *needs))) {
			r->outcome = OUT_ENV;
			snprintf(r->message, sizeof r->message, "this machine cannot run it: %s", why);
		} else if (r->outcome == OUT_PENDING) {
			g->ctx.current = r;
			g->ctx.check = c;
			r->outcome = c->run(&g->ctx, r);
			g->ctx.current = NULL;
			g->ctx.check = NULL;
			if (r->outcome == OUT_PENDING)
				r->outcome = OUT_FAIL;
		}
		r->score = r->outcome == OUT_PASS ? c->points : 0;
		r->seconds = runner_now() - t0;
		rep.done = i + 1;
		rep.seconds = runner_now() - start;
		save(g, &rep);
	}
	drill_cleanup();
	rep.seconds = runner_now() - start;
	save(g, &rep);
	if (g->output == NULL || strcmp(g->format, "human") != 0)
		report_write(&rep, g->output ? "human" : g->format, stdout);
	struct totals t = report_totals(&rep);
	free(checks);
	free(results);
	return t.failed || t.skipped || t.pending ? 1 : 0;
}
