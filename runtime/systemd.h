/* systemd.h - podlab generate systemd | quadlet: rootless services.
 *
 * A rootless container has no daemon to bring it back after a reboot or
 * a crash; the user's own systemd manager (systemctl --user) is that
 * daemon.  `generate systemd` writes the unit files that let it run a
 * container or a pod: one unit per container, and for a pod a pod unit
 * its containers are bound to.  `generate quadlet` writes the same as
 * Quadlet files, the form podman itself now prefers.
 */
#ifndef PODLAB_SYSTEMD_H
#define PODLAB_SYSTEMD_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

struct pl_unit_opts {
	bool new_;           /* --new: create on start, remove on stop */
	const char *restart; /* Restart=: no, on-success, on-failure, on-abnormal, on-abort, always */
	int stop_timeout;    /* seconds podlab stop waits before SIGKILL */
	const char *self;    /* podlab's absolute path, for Exec lines */
};

/* One container's unit.  `args` are its recorded `podlab run` words
 * (argv[0] "run"); `pod` is the pod it belongs to, or NULL. */
int pl_unit_container(FILE *out, const struct pl_unit_opts *o, const char *name, const char *id, char **args,
		      const char *pod);

/* A pod's unit; `create` are the options its `podlab pod create` needs
 * besides the name (NULL-terminated: --network, -p, --restart ...), and
 * `members` its containers' names. */
int pl_unit_pod(FILE *out, const struct pl_unit_opts *o, const char *name, char **create, char **members,
		int n_members);

/* systemd's quoting for one word of an Exec line. */
void pl_unit_word(FILE *out, const char *word);

int pl_cmd_generate_systemd(struct pl_cli *cli, bool quadlet);

#endif
