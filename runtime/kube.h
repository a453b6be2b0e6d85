/* kube.h - Kubernetes YAML in, a pod out (and back).
 *
 * `podlab play kube FILE` reads a `v1 Pod` (or an `apps/v1 Deployment`
 * with one replica) and makes what it describes: a pod, then one
 * container per entry of spec.containers, each started with the same
 * `podlab run --pod` a user could type.  The YAML is read by libyaml into
 * a document tree and mapped onto the structures below; every field the
 * mapping does not know is an error that names its line and column, and
 * the whole file is checked before anything starts.
 */
#ifndef PODLAB_KUBE_H
#define PODLAB_KUBE_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "errors.h"

#define PL_KUBE_MAX 16

struct pl_kube_mount {
	char volume[64];   /* volumeMounts[].name */
	char path[4096];   /* mountPath */
	bool readonly;
};

struct pl_kube_port {
	unsigned ctr, host; /* host 0: not published */
	bool udp;
};

struct pl_kube_container {
	char name[64];
	char image[256];
	char *argv[64];    /* command, then args (strdup'ed) */
	int argc;
	bool has_command;  /* command: given (else args alone, or the image's) */
	char *env[64];     /* NAME=VALUE (strdup'ed) */
	int n_env;
	char workdir[4096];
	struct pl_kube_port ports[PL_KUBE_MAX];
	int n_ports;
	struct pl_kube_mount mounts[PL_KUBE_MAX];
	int n_mounts;
};

struct pl_kube_volume {
	char name[64];
	char host_path[4096]; /* hostPath.path, or "" for an emptyDir */
	bool empty_dir;
};

struct pl_kube_pod {
	char name[64];
	char restart[16];  /* Always, OnFailure, Never */
	struct pl_kube_container containers[PL_KUBE_MAX];
	int n_containers;
	struct pl_kube_volume volumes[PL_KUBE_MAX];
	int n_volumes;
};

/* Parse and check a YAML text; `file` names it in messages
 * ("web.yaml:12:9: ..."). */
int pl_kube_parse(const char *text, size_t len, const char *file, struct pl_kube_pod *pod, pl_error **err);
int pl_kube_parse_file(const char *path, struct pl_kube_pod *pod, pl_error **err);
void pl_kube_free(struct pl_kube_pod *pod);

/* Kubernetes' restartPolicy (Always, OnFailure, Never) as podlab's pod
 * --restart (always, on-failure, no), or back with to_kube; NULL for an
 * unknown word. */
const char *pl_kube_restart(const char *policy, bool to_kube);

/* Write a pod as YAML that pl_kube_parse() accepts (libyaml's emitter). */
int pl_kube_emit(const struct pl_kube_pod *pod, FILE *out, pl_error **err);

/* podlab play kube [--down] FILE; podlab generate kube POD */
int pl_cmd_play(struct pl_cli *cli);
int pl_cmd_generate(struct pl_cli *cli);

#endif
