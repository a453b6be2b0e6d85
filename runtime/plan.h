/* plan.h - the steps that build a container, as a list to print or run.
 *
 * Each step says on which side it runs (the host side, i.e. podlab itself,
 * or the container side, the cloned child) and what it does in one line of
 * English.  `podlab run --dry-run` prints the list; `--trace` prints each
 * step as it starts.  The runner stops at the first failing step.
 */
#ifndef PODLAB_PLAN_H
#define PODLAB_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "errors.h"

struct pl_run; /* the state the steps share: see container.h */

enum pl_side { PL_HOST, PL_CONTAINER };

typedef int (*pl_step_fn)(struct pl_run *run, pl_error **err);

struct pl_step {
	enum pl_side side;
	const char *title;
	pl_step_fn fn;
};

#define PL_PLAN_MAX 48

struct pl_plan {
	struct pl_step steps[PL_PLAN_MAX];
	size_t n;
};

void pl_plan_add(struct pl_plan *plan, enum pl_side side, const char *title, pl_step_fn fn);

void pl_plan_print(const struct pl_plan *plan, FILE *out);

/* Run, in order, every step of one side.  Returns -1 at the first failure,
 * with the step's title added to the error. */
int pl_plan_run(const struct pl_plan *plan, enum pl_side side, struct pl_run *run, pl_error **err);

#endif
