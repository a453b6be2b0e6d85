/* cli.h - the podlab command line, parsed into data.
 *
 *   podlab [--trace] COMMAND [OPTIONS] [ARGS]
 *
 * Parsing only fills a struct pl_cli; it never touches the system, so the
 * unit tests can feed it any argv.  main.c then acts on the result.
 */
#ifndef PODLAB_CLI_H
#define PODLAB_CLI_H

#include <stdbool.h>

#include "errors.h"
#include "spec.h"

enum pl_command {
	PL_CMD_HELP,
	PL_CMD_VERSION,
	PL_CMD_RUN,
	PL_CMD_DOCTOR,
	PL_CMD_INFO,
	PL_CMD_IMAGE,
	PL_CMD_RM,
	PL_CMD_DIFF,
	PL_CMD_UNSHARE,
	PL_CMD_PORT,
	PL_CMD_BENCH,
	PL_CMD_START,
	PL_CMD_STOP,
	PL_CMD_KILL,
	PL_CMD_PS,
	PL_CMD_LOGS,
	PL_CMD_WAIT,
	PL_CMD_INSPECT,
	PL_CMD_POD,
	PL_CMD_PAUSE,
	PL_CMD_PLAY,
	PL_CMD_GENERATE,
	PL_CMD_CONFIG,
	PL_CMD_EXEC,
};

struct pl_cli {
	enum pl_command cmd;
	bool trace;   /* --trace: narrate every step on stderr */
	bool dry_run; /* run --dry-run: print the plan, do nothing */
	const char *help_topic; /* for PL_CMD_HELP: a command name or NULL */
	char **args;            /* the arguments of the simple commands */
	int n_args;
	struct pl_spec spec;
};

int pl_cli_parse(int argc, char **argv, struct pl_cli *cli, pl_error **err);

/* The options of `podlab run` (cli_run.c); argv[0] is "run". */
int pl_cli_parse_run(int argc, char **argv, struct pl_cli *cli, pl_error **err);

/* Is this a valid hostname (RFC 1123 label rules, at most 64 bytes)? */
bool pl_valid_hostname(const char *name);

#endif
