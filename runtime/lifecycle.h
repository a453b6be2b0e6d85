/* lifecycle.h - containers after `podlab run`: start, stop, kill, ps,
 * logs, wait, inspect.  No daemon: every command reads the records and
 * the supervisors' state files (state.h), and checks them against the
 * processes that are really there. */
#ifndef PODLAB_LIFECYCLE_H
#define PODLAB_LIFECYCLE_H

#include "cli.h"
#include "ctrstore.h"

int pl_cmd_start(struct pl_cli *cli);
int pl_cmd_stop(struct pl_cli *cli);
int pl_cmd_kill(struct pl_cli *cli);
int pl_cmd_ps(struct pl_cli *cli);
int pl_cmd_logs(struct pl_cli *cli);
int pl_cmd_wait(struct pl_cli *cli);
int pl_cmd_inspect(struct pl_cli *cli);
int pl_cmd_config(struct pl_cli *cli);

/* Stop a running container: SIGTERM through its supervisor, SIGKILL to
 * its PID 1 after `timeout` seconds, then wait for the supervisor to
 * finish (helpers stopped, state written).  0 if it is not running. */
int pl_ctr_stop(const struct pl_ctr *c, int timeout, pl_error **err);

/* Is it running, truly (supervisor alive)? */
bool pl_ctr_running(const struct pl_ctr *c);

/* A signal by name or number: "KILL", "SIGTERM", "9"; -1 if unknown. */
int pl_signal_parse(const char *name);

#endif
