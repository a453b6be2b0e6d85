/* report.h - one grading run, written for people and for machines.
 *
 *   human       a table, one line a check, then "Score: X/Y"
 *   tap         TAP version 13
 *   junit       JUnit XML (Jenkins, GitLab, most CI dashboards)
 *   gradescope  results.json for Gradescope's autograder
 *   classroom   the runner result GitHub Classroom's reporter reads
 *
 * Scoring is the same in every format: a passed check earns its points; a
 * failed or prerequisite-skipped one earns none; a check the machine could
 * not run (ENV) is left out of both the score and the maximum.
 */
#ifndef PODLAB_CHECK_REPORT_H
#define PODLAB_CHECK_REPORT_H

#include <stdio.h>

#include "check.h"

struct report {
	const char *target; /* what was graded */
	const char *user;   /* as whom */
	double seconds;
	const struct check **checks;
	struct check_result *results;
	size_t n;
	size_t done;      /* how many have a verdict (less than n if cut short) */
	const char *note; /* a line for the whole run (build failure, cut short) */
};

struct totals {
	int score, max, passed, failed, skipped, env, pending;
};

struct totals report_totals(const struct report *rep);

/* Returns 0, or -1 for an unknown format. */
int report_write(const struct report *rep, const char *format, FILE *out);

/* Write to `path` through a temporary file and rename(), so a reader (or a
 * grader that kills us) never sees half a file. */
int report_write_file(const struct report *rep, const char *format, const char *path);

#endif
