/* cli.c - parsing podlab's command line (see cli.h). */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "help.h"

bool pl_valid_hostname(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > 64)
		return false;
	size_t label = 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (c == '.') {
			if (label == 0 || name[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)c) && c != '-')
			return false;
		if (c == '-' && label == 0)
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && name[len - 1] != '-';
}

int pl_cli_parse(int argc, char **argv, struct pl_cli *cli, pl_error **err)
{
	memset(cli, 0, sizeof *cli);
	pl_spec_init(&cli->spec);
	cli->cmd = PL_CMD_HELP;
	int i = 1;
	/* Global options come before the command. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--trace") == 0)
			cli->trace = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 0;
		else if (strcmp(argv[i], "--version") == 0) {
			cli->cmd = PL_CMD_VERSION;
			return 0;
		} else {
			pl_fail(err, EINVAL, "unknown option '%s'", argv[i]);
			return pl_fix(err, "see 'podlab --help'");
		}
	}
	if (i >= argc)
		return 0;
	const char *cmd = argv[i];
	if (strcmp(cmd, "help") == 0) {
		cli->help_topic = i + 1 < argc ? argv[i + 1] : NULL;
		return 0;
	}
	if (strcmp(cmd, "version") == 0) {
		cli->cmd = PL_CMD_VERSION;
		return 0;
	}
	/* `podlab CMD --help` is `podlab help CMD`: only as the first argument,
	 * so a container command may still take a --help of its own. */
	if (i + 1 < argc && (strcmp(argv[i + 1], "--help") == 0 || strcmp(argv[i + 1], "-h") == 0)) {
		cli->help_topic = cmd;
		return 0;
	}
	if (strcmp(cmd, "run") == 0 || strcmp(cmd, "create") == 0) {
		cli->cmd = PL_CMD_RUN;
		cli->spec.create_only = cmd[0] == 'c';
		if (pl_cli_parse_run(argc - i, argv + i, cli, err) < 0)
			return -1;
		if (cli->spec.create_only && cli->spec.image == NULL && cli->cmd == PL_CMD_RUN) {
			pl_fail(err, EINVAL, "podlab create makes a container from an image, not from --rootfs");
			return pl_fix(err, "usage: %s", pl_help_usage("create"));
		}
		return 0;
	}
	/* The other commands take plain arguments, checked here for number. */
	static const struct {
		const char *name;
		enum pl_command cmd;
		int min, max; /* arguments after the command; -1: any */
	} simple[] = {
		{ "doctor", PL_CMD_DOCTOR, 0, 0 },
		{ "info", PL_CMD_INFO, 0, 0 },
		{ "rm", PL_CMD_RM, 1, -1 },
		{ "diff", PL_CMD_DIFF, 1, 1 },
		{ "port", PL_CMD_PORT, 1, 1 },
		{ "play", PL_CMD_PLAY, 2, 3 },
		{ "generate", PL_CMD_GENERATE, 2, -1 },
		{ "pod", PL_CMD_POD, 1, -1 },
		{ "pause", PL_CMD_PAUSE, 0, 0 },
		{ "start", PL_CMD_START, 1, -1 },
		{ "stop", PL_CMD_STOP, 1, -1 },
		{ "kill", PL_CMD_KILL, 1, -1 },
		{ "ps", PL_CMD_PS, 0, 1 },
		{ "logs", PL_CMD_LOGS, 1, 2 },
		{ "wait", PL_CMD_WAIT, 1, -1 },
		{ "config", PL_CMD_CONFIG, 1, 1 },
		{ "exec", PL_CMD_EXEC, 2, -1 },
		{ "inspect", PL_CMD_INSPECT, 1, -1 },
		{ "unshare", PL_CMD_UNSHARE, 0, -1 },
		{ "bench", PL_CMD_BENCH, 1, -1 },
		{ "image", PL_CMD_IMAGE, 1, 3 },
	};
	for (size_t k = 0; k < sizeof simple / sizeof *simple; k++) {
		if (strcmp(cmd, simple[k].name) != 0)
			continue;
		int n = argc - i - 1;
		/* "--" before a command to unshare is allowed and dropped. */
		if (n > 0 && strcmp(argv[i + 1], "--") == 0) {
			i++;
			n--;
		}
		if (n < simple[k].min || (simple[k].max >= 0 && n > simple[k].max)) {
			pl_fail(err, EINVAL, "wrong number of arguments for 'podlab %s'", cmd);
			return pl_fix(err, "usage: %s", pl_help_usage(cmd));
		}
		cli->cmd = simple[k].cmd;
		cli->args = argv + i + 1;
		cli->n_args = n;
		return 0;
	}
	pl_fail(err, EINVAL, "unknown command '%s'", cmd);
	return pl_fix(err, "see 'podlab --help' for the list of commands");
}
