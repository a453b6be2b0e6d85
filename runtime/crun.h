/* crun.h - crun as the executor: podlab prepares, crun runs.
 *
 * With --runtime crun, podlab still does what an engine does (image,
 * storage, id plan, network, supervision) but hands the namespaces,
 * mounts and the exec to crun through an OCI bundle (oci.h), using the
 * runtime's standard verbs: create, start, state, kill, delete.  state
 * confirms each step; kill carries the signals podlab forwards.  crun is
 * called as `crun --root DIR --cgroup-manager=disabled`: state in
 * podlab's own state directory, and no cgroups (podlab makes none).
 */
#ifndef PODLAB_CRUN_H
#define PODLAB_CRUN_H

#include <json-c/json.h>
#include <sys/types.h>

#include "errors.h"

struct pl_crun {
	char id[80];        /* crun's name for the container */
	char bundle[4200];  /* the directory holding config.json */
	char root[4200];    /* crun's state directory */
	pid_t pid;          /* the container's PID 1, once created */
	int created;
};

/* Make the bundle directory and write config.json into it. */
int pl_crun_bundle(struct pl_crun *c, const char *id, json_object *config, pl_error **err);

/* crun create: the container exists, stopped before its exec. */
int pl_crun_create(struct pl_crun *c, pl_error **err);

/* crun start: the command runs. */
int pl_crun_start(struct pl_crun *c, pl_error **err);

/* crun state: the container's status as the OCI runtime spec names it
 * (creating, created, running, stopped) and its PID 1. */
int pl_crun_state(struct pl_crun *c, char *status, size_t len, pid_t *pid, pl_error **err);

/* crun kill ID SIGNAL: a signal to the container's PID 1. */
int pl_crun_kill(struct pl_crun *c, int sig, pl_error **err);

/* crun delete --force, and the bundle removed. */
void pl_crun_delete(struct pl_crun *c);

#endif
