/* cli.c - parsing podlab's command line (see cli.h). */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "volumes.h"

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

static int parse_run(int argc, char **argv, struct pl_cli *cli, pl_error **err)
{
	static const struct option opts[] = {
		{ "rootfs", required_argument, NULL, 'r' }, { "hostname", required_argument, NULL, 'h' },
		{ "env", required_argument, NULL, 'e' },    { "dry-run", no_argument, NULL, 'n' },
		{ "trace", no_argument, NULL, 't' },        { "help", no_argument, NULL, 'H' },
		{ "volume", required_argument, NULL, 'v' }, { "init", no_argument, NULL, 'I' },
		{ "cap-add", required_argument, NULL, 'A' }, { "cap-drop", required_argument, NULL, 'D' },
		{ "security-opt", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	/* "+": stop at the first non-option, so `podlab run sh -c 'ls -l'`
	 * leaves "-c" and "-l" to the command.  ":" lets us word the errors. */
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:e:v:", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			cli->spec.rootfs = optarg;
			break;
		case 'h':
			if (!pl_valid_hostname(optarg)) {
				pl_fail(err, EINVAL, "invalid hostname '%s'", optarg);
				return pl_fix(err, "use letters, digits and '-', at most 63 per dot-separated part and "
						   "64 in all");
			}
			cli->spec.hostname = optarg;
			break;
		case 'e':
			if (strchr(optarg, '=') == NULL || optarg[0] == '=') {
				pl_fail(err, EINVAL, "invalid environment variable '%s'", optarg);
				return pl_fix(err, "write it as NAME=VALUE");
			}
			if (cli->spec.n_env == PL_MAX_ENV)
				return pl_fail(err, E2BIG, "more than %d -e options", PL_MAX_ENV);
			cli->spec.env[cli->spec.n_env++] = optarg;
			break;
		case 'n':
			cli->dry_run = true;
			break;
		case 'v':
			if (cli->spec.n_volumes == PL_MAX_VOLUMES)
				return pl_fail(err, E2BIG, "more than %d volumes", PL_MAX_VOLUMES);
			if (pl_volume_parse(optarg, &cli->spec.volumes[cli->spec.n_volumes], err) < 0)
				return -1;
			cli->spec.n_volumes++;
			break;
		case 'I':
			cli->spec.init = true;
			break;
		case 'A':
		case 'D': {
			const char **list = c == 'A' ? cli->spec.cap_add : cli->spec.cap_drop;
			size_t *n = c == 'A' ? &cli->spec.n_cap_add : &cli->spec.n_cap_drop;
			if (*n == PL_MAX_CAPS)
				return pl_fail(err, E2BIG, "too many --cap-add/--cap-drop options");
			list[(*n)++] = optarg;
			break;
		}
		case 'S':
			if (strcmp(optarg, "seccomp=unconfined") == 0) {
				cli->spec.seccomp = false;
			} else if (strcmp(optarg, "no-new-privileges") != 0 && strcmp(optarg, "no-new-privileges=true") != 0) {
				pl_fail(err, EINVAL, "unsupported --security-opt '%s'", optarg);
				return pl_fix(err, "podlab knows seccomp=unconfined (turn the filter off) and no-new-privileges "
						   "(always on)");
			}
			break;
		case 't':
			cli->trace = true;
			break;
		case 'H':
			cli->cmd = PL_CMD_HELP;
			cli->help_topic = "run";
			return 0;
		case ':':
			pl_fail(err, EINVAL, "option '%s' needs a value", argv[optind - 1]);
			return pl_fix(err, "see 'podlab run --help'");
		default:
			pl_fail(err, EINVAL, "unknown option '%s' for 'podlab run'", argv[optind - 1]);
			return pl_fix(err, "see 'podlab run --help'; to pass options to the command, put '--' before it");
		}
	}
	if (optind >= argc) {
		pl_fail(err, EINVAL, "no command given to run");
		return pl_fix(err, "for example: podlab run --rootfs build/rootfs -- /bin/sh");
	}
	cli->spec.argv = argv + optind;
	return 0;
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
	if (strcmp(cmd, "doctor") == 0) {
		cli->cmd = PL_CMD_DOCTOR;
		return 0;
	}
	if (strcmp(cmd, "run") == 0) {
		cli->cmd = PL_CMD_RUN;
		return parse_run(argc - i, argv + i, cli, err);
	}
	pl_fail(err, EINVAL, "unknown command '%s'", cmd);
	return pl_fix(err, "see 'podlab --help' for the list of commands");
}

void pl_cli_usage(const char *topic, FILE *out)
{
	if (topic != NULL && strcmp(topic, "run") == 0) {
		fputs("usage: podlab run [OPTIONS] [--] COMMAND [ARG...]\n"
		      "\n"
		      "Run COMMAND in new user, mount, PID, UTS and IPC namespaces, as root inside\n"
		      "and as you outside.\n"
		      "\n"
		      "  --rootfs DIR      use DIR as the container's root filesystem\n"
		      "  --hostname NAME   hostname inside (default: podlab)\n"
		      "  -e, --env K=V     add an environment variable (repeatable)\n"
		      "  -v, --volume H:C[:ro]  bind host path H at C inside (read-only with :ro)\n"
		      "  --init            run a small init as PID 1 (reaps zombies, forwards signals)\n"
		      "  --cap-add CAP     keep a capability beyond the default set (repeatable)\n"
		      "  --cap-drop CAP    drop a capability of the default set (ALL: every one)\n"
		      "  --security-opt seccomp=unconfined   run without the seccomp filter\n"
		      "  --dry-run         print the plan of steps and exit\n"
		      "  --trace           narrate each step on stderr\n"
		      "\n"
		      "Exit status: the command's, 128+N if signal N killed it, 125 if podlab\n"
		      "failed, 126 if the command cannot run, 127 if it was not found.\n",
		      out);
		return;
	}
	fputs("usage: podlab [--trace] COMMAND [OPTIONS]\n"
	      "\n"
	      "A rootless container runtime built for learning.\n"
	      "\n"
	      "commands:\n"
	      "  run       run a command in a new container\n"
	      "  doctor    check this machine for rootless prerequisites\n"
	      "  version   print the version\n"
	      "  help CMD  show help for a command\n",
	      out);
}
