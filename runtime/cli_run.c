/* cli_run.c - the options of `podlab run` (see cli.h). */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "volumes.h"

int pl_cli_parse_run(int argc, char **argv, struct pl_cli *cli, pl_error **err)
{
	static const struct option opts[] = {
		{ "rootfs", required_argument, NULL, 'r' }, { "hostname", required_argument, NULL, 'h' },
		{ "env", required_argument, NULL, 'e' },    { "dry-run", no_argument, NULL, 'n' },
		{ "trace", no_argument, NULL, 't' },        { "help", no_argument, NULL, 'H' },
		{ "volume", required_argument, NULL, 'v' }, { "init", no_argument, NULL, 'I' },
		{ "cap-add", required_argument, NULL, 'A' }, { "cap-drop", required_argument, NULL, 'D' },
		{ "security-opt", required_argument, NULL, 'S' },
		{ "name", required_argument, NULL, 'N' },   { "rm", no_argument, NULL, 'R' },
		{ "storage-driver", required_argument, NULL, 'g' }, { "detach", no_argument, NULL, 'd' }, { "workdir", required_argument, NULL, 'w' },
		{ "network", required_argument, NULL, 'T' }, { "net", required_argument, NULL, 'T' },
		{ "publish", required_argument, NULL, 'p' }, { "pod", required_argument, NULL, 'P' },
		{ "runtime", required_argument, NULL, 'X' }, { "pidfile", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	/* "+": stop at the first non-option, so `podlab run sh -c 'ls -l'`
	 * leaves "-c" and "-l" to the command.  ":" lets us word the errors. */
	bool net_given = false;
	/* PODLAB_RUNTIME=crun makes crun the default (--runtime overrides). */
	const char *rt = getenv("PODLAB_RUNTIME");
	cli->spec.use_crun = rt != NULL && strcmp(rt, "crun") == 0;
	cli->spec.run_argc = argc;
	cli->spec.run_argv = argv;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:de:v:w:p:", opts, NULL)) != -1) {
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
		case 'N':
			cli->spec.name = optarg;
			break;
		case 'T':
			net_given = true;
			if (pl_network_parse(optarg, &cli->spec.net, err) < 0)
				return -1;
			if (cli->spec.net.mode == PL_NET_HOST)
				cli->spec.namespaces &= ~(unsigned long)CLONE_NEWNET;
			else
				cli->spec.namespaces |= CLONE_NEWNET;
			break;
		case 'p': {
			int n = pl_port_parse(optarg, cli->spec.ports + cli->spec.n_ports, PL_MAX_PORTS - cli->spec.n_ports, err);
			if (n < 0)
				return -1;
			cli->spec.n_ports += (size_t)n;
			break;
		}
		case 'R':
			cli->spec.remove = true;
			break;
		case 'g':
			cli->spec.driver = optarg;
			break;
		case 'P':
			cli->spec.pod = optarg;
			break;
		case 'F':
			if (optarg[0] != '/') {
				pl_fail(err, EINVAL, "--pidfile %s is not an absolute path", optarg);
				return pl_fix(err, "systemd reads it from anywhere: give the full path");
			}
			cli->spec.pidfile = optarg;
			break;
		case 'X':
			if (strcmp(optarg, "crun") != 0 && strcmp(optarg, "podlab") != 0) {
				pl_fail(err, EINVAL, "unknown --runtime '%s'", optarg);
				return pl_fix(err, "podlab (its own executor, the default) or crun");
			}
			cli->spec.use_crun = optarg[0] == 'c';
			break;
		case 'd':
			cli->spec.detach = true;
			break;
		case 'w':
			if (optarg[0] != '/') {
				pl_fail(err, EINVAL, "the working directory '%s' is not absolute", optarg);
				return pl_fix(err, "give the path inside the container, from /");
			}
			cli->spec.workdir = optarg;
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
	if (cli->spec.pod && (net_given || cli->spec.hostname)) {
		pl_fail(err, EINVAL, "--pod shares the pod's network and hostname: --network and --hostname do not apply");
		return pl_fix(err, "give them to podlab pod create instead");
	}
	/* The pod's user, network, UTS and IPC namespaces are joined, not
	 * made (pod.h): the plan has no id-map or network steps. */
	if (cli->spec.pod)
		cli->spec.namespaces &= ~(unsigned long)(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC);
	/* With --rootfs, the rest is the command.  Without it, podman's form:
	 * IMAGE [COMMAND...], the image's own command when none is given. */
	if (cli->spec.rootfs == NULL) {
		if (optind >= argc) {
			pl_fail(err, EINVAL, "no image given to run");
			return pl_fix(err, "podlab run IMAGE [COMMAND...] (see 'podlab image ls'), or podlab run --rootfs DIR "
					   "COMMAND...");
		}
		cli->spec.image = argv[optind++];
		cli->spec.argv = optind < argc ? argv + optind : NULL;
		return 0;
	}
	if (cli->spec.name || cli->spec.remove || cli->spec.driver || cli->spec.detach) {
		pl_fail(err, EINVAL, "--name, --rm, -d and --storage-driver go with an image, not with --rootfs");
		return pl_fix(err, "a --rootfs directory is used as it is: no container is created in the store");
	}
	if (optind >= argc) {
		pl_fail(err, EINVAL, "no command given to run");
		return pl_fix(err, "for example: podlab run --rootfs build/rootfs -- /bin/sh");
	}
	cli->spec.argv = argv + optind;
	return 0;
}

