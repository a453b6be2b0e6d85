/* spec.c - defaults of a container spec (see spec.h). */
#include "spec.h"

#include <sched.h>
#include <string.h>

void pl_spec_init(struct pl_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	/* A user namespace first (it is what makes the others possible without
	 * root), then mount, PID, UTS and IPC.  The network namespace is left
	 * to the network stage: without a helper it would have only `lo`. */
	spec->namespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;
	spec->seccomp = true;
	spec->subuid_path = "/etc/subuid";
	spec->subgid_path = "/etc/subgid";
}
