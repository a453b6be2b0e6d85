/* spec.h - a container, described as data.
 *
 * The command line is turned into this structure first; nothing happens
 * to the system until it is complete.  Then plan.c turns it into a list
 * of steps, and only then are the steps carried out (the order bubblewrap
 * and the OCI runtimes use: describe, plan, apply).  Keeping the three
 * apart is what lets `--dry-run` print the plan and `--trace` narrate it.
 */
#ifndef PODLAB_SPEC_H
#define PODLAB_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#define PL_MAX_ENV 128

struct pl_spec {
	char **argv;          /* the command to run, NULL-terminated */
	const char *rootfs;   /* directory to use as /, or NULL for the host's view */
	const char *hostname; /* UTS name inside, or NULL to keep "podlab" */
	const char *env[PL_MAX_ENV + 1]; /* extra KEY=VALUE, NULL-terminated */
	size_t n_env;
	unsigned long namespaces; /* CLONE_NEW* flags */
	const char *subuid_path;  /* normally /etc/subuid and /etc/subgid */
	const char *subgid_path;
};

/* Fill in the defaults: every namespace podlab creates, the subid files. */
void pl_spec_init(struct pl_spec *spec);

#endif
