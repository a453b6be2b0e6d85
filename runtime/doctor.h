/* doctor.h - is this machine ready for rootless containers?
 *
 * `podlab doctor` is the first command a student runs.  Each check looks
 * at one prerequisite, says what it found, and when something is wrong
 * says exactly what to type to fix it.  The checker uses the same checks
 * to tell "the grading machine cannot do this" apart from "the student's
 * code is wrong".
 */
#ifndef PODLAB_DOCTOR_H
#define PODLAB_DOCTOR_H

#include <stddef.h>
#include <stdio.h>

enum pl_verdict { PL_OK, PL_INFO, PL_WARN, PL_FAIL };

struct pl_finding {
	const char *id;
	enum pl_verdict verdict;
	char summary[512];
	char fix[768];
};

/* Run every check.  Returns the number of findings stored. */
size_t pl_doctor_run(struct pl_finding *out, size_t max);

/* Run one check by id ("userns", "subuid", "newuidmap", ...).
 * Returns -1 for an unknown id. */
int pl_doctor_check(const char *id, struct pl_finding *f);

/* Print findings as a table; returns the number of failures. */
int pl_doctor_print(const struct pl_finding *f, size_t n, FILE *out);

#endif
