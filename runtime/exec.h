/* exec.h - podlab exec: one more process in a running container. */
#ifndef PODLAB_EXEC_H
#define PODLAB_EXEC_H

#include "cli.h"

/* podlab exec [-e K=V]... [-w DIR] CONTAINER COMMAND [ARG...] */
int pl_cmd_exec(struct pl_cli *cli);

#endif
