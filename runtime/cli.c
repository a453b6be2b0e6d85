/* cli.c - parsing podlab's command line (see cli.h). */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

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
	if (strcmp(cmd, "run") == 0 || strcmp(cmd, "create") == 0) {
		cli->cmd = PL_CMD_RUN;
		cli->spec.create_only = cmd[0] == 'c';
		if (pl_cli_parse_run(argc - i, argv + i, cli, err) < 0)
			return -1;
		if (cli->spec.create_only && cli->spec.image == NULL && cli->cmd == PL_CMD_RUN) {
			pl_fail(err, EINVAL, "podlab create makes a container from an image, not from --rootfs");
			return pl_fix(err, "podlab create [OPTIONS] IMAGE [COMMAND...]");
		}
		return 0;
	}
	/* The other commands take plain arguments, checked here for number. */
	static const struct {
		const char *name;
		enum pl_command cmd;
		int min, max; /* arguments after the command; -1: any */
		const char *usage;
	} simple[] = {
		{ "doctor", PL_CMD_DOCTOR, 0, 0, "podlab doctor" },
		{ "info", PL_CMD_INFO, 0, 0, "podlab info" },
		{ "rm", PL_CMD_RM, 1, -1, "podlab rm [-f] CONTAINER..." },
		{ "diff", PL_CMD_DIFF, 1, 1, "podlab diff CONTAINER" },
		{ "port", PL_CMD_PORT, 1, 1, "podlab port CONTAINER" },
		{ "play", PL_CMD_PLAY, 2, 3, "podlab play kube [--down] FILE.yaml" },
		{ "generate", PL_CMD_GENERATE, 2, -1, "podlab generate kube POD | systemd [OPTIONS] NAME | quadlet NAME" },
		{ "pod", PL_CMD_POD, 1, -1, "podlab pod create|ps|stop|rm|inspect ..." },
		{ "pause", PL_CMD_PAUSE, 0, 0, "podlab pause (a pod's infra process; not for direct use)" },
		{ "start", PL_CMD_START, 1, -1, "podlab start CONTAINER..." },
		{ "stop", PL_CMD_STOP, 1, -1, "podlab stop [-t SECONDS] CONTAINER..." },
		{ "kill", PL_CMD_KILL, 1, -1, "podlab kill [-s SIGNAL] CONTAINER..." },
		{ "ps", PL_CMD_PS, 0, 1, "podlab ps [-a]" },
		{ "logs", PL_CMD_LOGS, 1, 2, "podlab logs [-f] CONTAINER" },
		{ "wait", PL_CMD_WAIT, 1, -1, "podlab wait CONTAINER..." },
		{ "config", PL_CMD_CONFIG, 1, 1, "podlab config CONTAINER" },
		{ "exec", PL_CMD_EXEC, 2, -1, "podlab exec [-e NAME=VALUE]... [-w /DIR] CONTAINER COMMAND [ARG...]" },
		{ "inspect", PL_CMD_INSPECT, 1, -1, "podlab inspect CONTAINER..." },
		{ "unshare", PL_CMD_UNSHARE, 0, -1, "podlab unshare [COMMAND...]" },
		{ "bench", PL_CMD_BENCH, 1, -1, "podlab bench net [--runs N] [--seconds S] [--svg FILE] [--modes LIST]" },
		{ "image", PL_CMD_IMAGE, 1, 3, "podlab image import FILE NAME | load FILE [NAME] | ls | rm NAME" },
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
			return pl_fix(err, "usage: %s", simple[k].usage);
		}
		cli->cmd = simple[k].cmd;
		cli->args = argv + i + 1;
		cli->n_args = n;
		return 0;
	}
	pl_fail(err, EINVAL, "unknown command '%s'", cmd);
	return pl_fix(err, "see 'podlab --help' for the list of commands");
}

void pl_cli_usage(const char *topic, FILE *out)
{
	if (topic != NULL && strcmp(topic, "run") == 0) {
		fputs("usage: podlab run [OPTIONS] IMAGE [COMMAND [ARG...]]\n"
		      "       podlab run [OPTIONS] --rootfs DIR [--] COMMAND [ARG...]\n"
		      "\n"
		      "Run COMMAND in new user, mount, PID, UTS, IPC and network namespaces, as root\n"
		      "inside and as you outside.\n"
		      "\n"
		      "  --rootfs DIR      use DIR as the container's root filesystem (no image)\n"
		      "  --name NAME       name the container (images only)\n"
		      "  --rm              remove the container when it exits\n"
		      "  -d, --detach      run in the background under a supervisor; print the id\n"
		      "  --pod POD         join a pod's user, network, UTS and IPC namespaces\n"
		      "  --pidfile FILE    write the supervisor's pid there (for systemd's PIDFile=)\n"
		      "  --runtime crun    let crun execute it from an OCI bundle (default: podlab;\n"
		      "                    PODLAB_RUNTIME=crun changes the default)\n"
		      "  --storage-driver overlay|fuse-overlayfs|vfs   (default: see podlab info)\n"
		      "  -w, --workdir DIR the command's working directory inside\n"
		      "  --network MODE    slirp (default), slirp4netns, pasta, none, host;\n"
		      "                    options: slirp:allow_host_loopback=true,port_handler=slirp\n"
		      "  -p, --publish [IP:]HOST:CTR[/udp]   publish a container port on the host\n"
		      "  --hostname NAME   hostname inside (default: podlab)\n"
		      "  -e, --env K=V     add an environment variable (repeatable)\n"
		      "  -v, --volume H:C[:ro]  bind host path H at C inside (read-only with :ro)\n"
		      "  --init            run a small init as PID 1 (reaps zombies, forwards signals)\n"
		      "  --cap-add CAP     keep a capability beyond the default set (repeatable)\n"
		      "  --cap-drop CAP    drop a capability of the default set (ALL: every one)\n"
		      "  --security-opt seccomp=unconfined   run without the seccomp filter\n"
		      "  --security-opt no-new-privileges    accepted; podlab always sets it\n"
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
	      "  run             run a command in a new container (from an image or --rootfs)\n"
	      "  image import FILE NAME   a root filesystem tarball as a one-layer image\n"
	      "  image load FILE [NAME]   an OCI image layout or a docker/podman save archive\n"
	      "  image ls | image rm NAME\n"
	      "  create IMAGE [CMD]  make a container without starting it (options as run)\n"
	      "  start CONTAINER     start a created or exited container, in the background\n"
	      "  ps [-a]             containers running (-a: all), with the truth about each\n"
	      "  logs [-f] CONTAINER what a background container printed (-f: follow)\n"
	      "  stop [-t S] CONTAINER   SIGTERM, then SIGKILL after S seconds (default 10)\n"
	      "  kill [-s SIG] CONTAINER a signal to the container's PID 1 (default KILL)\n"
	      "  wait CONTAINER      wait for it to exit; print its exit code\n"
	      "  exec CONTAINER CMD  run one more command in a running container\n"
	      "  inspect CONTAINER   its record and state, as JSON\n"
	      "  config CONTAINER    the container as an OCI runtime config.json\n"
	      "  rm [-f] CONTAINER   remove a container and its writable layer (-f: stop it first)\n"
	      "  pod create [--name N] [-p ...] [--network M]   a pod: shared network, hostname, IPC\n"
	      "  pod ps | pod stop POD | pod rm [-f] POD | pod inspect POD\n"
	      "  run --pod POD ...   run a container in a pod (it joins the pod's namespaces)\n"
	      "  play kube [--down] FILE.yaml   run (or remove) a Kubernetes Pod or Deployment\n"
	      "  generate kube POD   a pod as Kubernetes YAML that play kube accepts\n"
	      "  generate systemd [--new] [--files|--install] [--restart-policy P] NAME\n"
	      "                      user units for a container or pod (systemctl --user)\n"
	      "  generate quadlet [--files|--install] NAME   the same as Quadlet files (podman >= 4.4; pods 5.0)\n"
	      "  diff CONTAINER  what a container added (A), changed (C), deleted (D)\n"
	      "  port CONTAINER  the ports it publishes\n"
	      "  info            the storage driver podlab uses here, and why\n"
	      "  unshare [CMD]   a shell (or CMD) as root of your user namespace\n"
	      "  doctor          check this machine for rootless prerequisites\n"
	      "  bench net       TCP throughput of each network mode (iperf3), with a chart\n"
	      "  version         print the version\n"
	      "  help CMD        show help for a command\n",
	      out);
}
