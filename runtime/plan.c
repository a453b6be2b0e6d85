/* plan.c - printing and running a plan (see plan.h). */
#include "plan.h"

#include <stdlib.h>

#include "trace.h"

static const char *side_name(enum pl_side side)
{
	return side == PL_HOST ? "host" : "container";
}

void pl_plan_add(struct pl_plan *plan, enum pl_side side, const char *title, pl_step_fn fn)
{
	/* The plan is built by podlab's own code from a fixed set of steps:
	 * running out of room is a programming error, not a user's. */
	if (plan->n == PL_PLAN_MAX)
		abort();
	plan->steps[plan->n++] = (struct pl_step){ side, title, fn };
}

void pl_plan_print(const struct pl_plan *plan, FILE *out)
{
	for (int side = PL_HOST; side <= PL_CONTAINER; side++) {
		fprintf(out, "%s side:\n", side_name((enum pl_side)side));
		int k = 0;
		for (size_t i = 0; i < plan->n; i++)
			if (plan->steps[i].side == (enum pl_side)side)
				fprintf(out, "  %2d. %s\n", ++k, plan->steps[i].title);
	}
}

int pl_plan_run(const struct pl_plan *plan, enum pl_side side, struct pl_run *run, pl_error **err)
{
	int k = 0;
	for (size_t i = 0; i < plan->n; i++) {
		const struct pl_step *s = &plan->steps[i];
		if (s->side != side)
			continue;
		pl_trace("%s step %d: %s", side_name(side), ++k, s->title);
		if (s->fn(run, err) < 0)
			return pl_wrap(err, "%s", s->title);
	}
	return 0;
}
