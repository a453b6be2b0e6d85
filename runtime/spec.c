/* spec.c - defaults of a container spec (see spec.h). */
#include "spec.h"

#include <sched.h>
#include <string.h>

void pl_spec_init(struct pl_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	/* A user namespace first (it is what makes the others possible without
	 * root), then mount, PID, UTS, IPC and network.  --network host takes
	 * the last one away again. */
	spec->namespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
	spec->net.mode = PL_NET_SLIRP;
	spec->seccomp = true;
	spec->subuid_path = "/etc/subuid";
	spec->subgid_path = "/etc/subgid";
}
