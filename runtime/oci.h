/* oci.h - the same container, described as an OCI runtime bundle.
 *
 * Everything podlab's own executor does in steps (namespaces, id maps,
 * mounts, masks, capabilities, seccomp, hostname) has a field in the OCI
 * runtime specification's config.json.  Writing it makes two things
 * possible: running the container with crun (--runtime crun), and
 * putting what the student built beside what the standard describes
 * (`podlab config CONTAINER`).
 */
#ifndef PODLAB_OCI_H
#define PODLAB_OCI_H

#include <json-c/json.h>
#include <stdint.h>
#include <sys/types.h>

#include "errors.h"
#include "spec.h"
#include "userns.h"

struct pl_oci_input {
	const struct pl_spec *spec;    /* argv, hostname, volumes, workdir, seccomp... */
	const struct pl_idplan *ids;   /* the id maps */
	const char *rootfs;            /* the root directory, absolute */
	const char *const *env;        /* the command's environment, NULL-ended */
	uint64_t caps;                 /* the capabilities the command keeps */
	const char *init;              /* --init: the host path of a static init
					* (catatonit), bound at /dev/init; or NULL */
	pid_t holder;                  /* > 0: join this process's user and network
					* namespaces (their maps and network exist) */
};

/* The config.json, as a json-c object (the caller puts it). */
json_object *pl_oci_config(const struct pl_oci_input *in);

#endif
