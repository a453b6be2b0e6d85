/* grading.h - one grading run: set-up, the check loop, clean-up. */
#ifndef PODLAB_CHECK_GRADING_H
#define PODLAB_CHECK_GRADING_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"

#define MAX_STAGES 16
#define SUITE_WEEK11 11 /* --suite week11: its table's "stage" */

struct grading {
	/* from the command line */
	const char *lab;    /* a lab directory, or NULL */
	bool reference;     /* grade the kit's own build */
	const char *binary; /* grade this podlab binary */
	const char *submission; /* --suite: the student's submission directory */
	const char *engine;     /* --suite: podlab (default) or podman */
	int stages[MAX_STAGES];
	size_t n_stages;
	const char *format;
	const char *output;
	const char *as_user;
	const char *kit;
	int timeout_ms;
	int max_seconds;
	bool keep;
	/* worked out by grading_setup */
	char kit_dir[4096];
	char scratch[4096];
	char rootfs[4200];
	char podlab[4200];
	char probe[4200];
	char target_desc[4300];
	char nonce[40];
	char host_marker[4200]; /* exists outside the rootfs only */
	char store[4200];       /* XDG_DATA_HOME/podlab, private to this run */
	char build_log[4096]; /* excerpt, when the build failed */
	bool build_failed;
	struct check_ctx ctx;
};

bool stage_selected(int stage, const int *stages, size_t n);

/* Drop root, find the kit, make the scratch directory, build the target,
 * lay out the root filesystem.  Prints the reason and returns -1 when
 * grading cannot start at all. */
int grading_setup(struct grading *g);

/* Run the selected checks and write the report.  Returns the exit status. */
int grading_run(struct grading *g, const struct check_table *const *tables, size_t n_tables);

void grading_cleanup(struct grading *g);

#endif
