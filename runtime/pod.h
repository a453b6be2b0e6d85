/* pod.h - pods: containers that share one network, hostname and IPC.
 *
 * A pod is held by its infra process (podman's "pause" container): a
 * podlab container whose only job is to exist.  It owns the pod's user,
 * network, UTS and IPC namespaces; its supervisor runs the network
 * helper and publishes the pod's ports.  A container run with --pod
 * joins those four namespaces with setns() and gets new mount and PID
 * namespaces of its own, made *inside* the pod's user namespace (so
 * container root has its capabilities over them).  Containers of a pod
 * therefore reach each other on localhost and share the hostname, but
 * each still sees only its own processes and its own files.
 *
 *     pods/ID/pod.json    id, name, created, network, ports
 *     pods/ID/infra.log   what the infra's supervisor had to say
 *
 * and the infra's state lives with the containers' (state.h), under the
 * pod's id.
 */
#ifndef PODLAB_POD_H
#define PODLAB_POD_H

#include <sys/types.h>

#include "cli.h"
#include "network.h"
#include "ports.h"
#include "spec.h"
#include "storage.h"

struct pl_pod {
	char id[65];
	char name[129];
	long long created;
	char network[128];                   /* --network as given */
	struct pl_port ports[PL_MAX_PORTS];
	size_t n_ports;
	char restart[16];                    /* --restart: no, on-failure, always; "" unset */
	char dir[4200];                      /* pods/ID */
};

/* Find a pod by name, id, or unique id prefix. */
int pl_pod_find(const struct pl_storage *st, const char *ref, struct pl_pod *pod, pl_error **err);

#define PL_POD_MAX_MEMBERS 256

/* The ids of the pod's containers (at most max); -1 on error. */
int pl_pod_members(const struct pl_storage *st, const struct pl_pod *pod, char (*ids)[65], int max, pl_error **err);

/* For `run --pod`: check the pod runs, record its infra's pid in the
 * spec, and write the container's resolv.conf for the pod's network. */
int pl_pod_prepare(struct pl_spec *spec, struct pl_net *net, pl_error **err);

/* Like fork(): a child in the infra's user, network, UTS and IPC
 * namespaces and in new namespaces of `flags` minus those four.  The
 * child is ours (CLONE_PARENT), so podlab waits for it as for any
 * container, and its parent-death signal follows podlab. */
pid_t pl_pod_clone(pid_t infra, unsigned long flags, pl_error **err);

/* podlab pod create|ps|stop|rm|inspect */
int pl_cmd_pod(struct pl_cli *cli);

/* The infra's command (`podlab pause`, internal): PID 1 that holds the
 * namespaces, reaps, and ends on SIGTERM or SIGINT. */
int pl_cmd_pause(void);

#endif
