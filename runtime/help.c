/* help.c - what each podlab command is for, in one table.
 *
 * `podlab help CMD` and `podlab CMD --help` print an entry; the parser's
 * "wrong number of arguments" errors print the same usage line.  Keeping
 * usage and explanation side by side means a new option is documented
 * where the next reader of the help will look, and nowhere else.
 */
#include "help.h"

#include <string.h>

struct topic {
	const char *name;
	const char *usage; /* one line, or lines joined by "\n       " */
	const char *text;  /* what it does and why, then its options */
};

static const struct topic topics[] = {
	{ "run",
	  "podlab run [OPTIONS] IMAGE [COMMAND [ARG...]]\n"
	  "       podlab run [OPTIONS] --rootfs DIR [--] COMMAND [ARG...]",
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
	  "  -v, --volume H:C[:ro]  bind host path H at C inside (read-only with :ro);\n"
	  "                    H without a slash is a named volume (made on first use)\n"
	  "  --init            run a small init as PID 1 (reaps zombies, forwards signals)\n"
	  "  --cap-add CAP     keep a capability beyond the default set (repeatable)\n"
	  "  --cap-drop CAP    drop a capability of the default set (ALL: every one)\n"
	  "  --security-opt seccomp=unconfined   run without the seccomp filter\n"
	  "  --security-opt no-new-privileges    accepted; podlab always sets it\n"
	  "  --dry-run         print the plan of steps and exit\n"
	  "  --trace           narrate each step on stderr\n"
	  "\n"
	  "Exit status: the command's, 128+N if signal N killed it, 125 if podlab\n"
	  "failed, 126 if the command cannot run, 127 if it was not found.\n" },
	{ "create", "podlab create [OPTIONS] IMAGE [COMMAND [ARG...]]",
	  "Make a container from an image and record it, without starting it: its\n"
	  "writable layer exists, no namespace does yet.  'podlab start' runs it.\n"
	  "Takes the options of 'podlab run' (see 'podlab help run'), except --rootfs.\n" },
	{ "start", "podlab start CONTAINER...",
	  "Start created or exited containers in the background, each under its own\n"
	  "supervisor process (there is no daemon: the supervisor is what waits for the\n"
	  "container, keeps its network helper, and records how it ended).\n" },
	{ "ps", "podlab ps [-a]",
	  "List running containers (-a: all of them).  The status is checked, not\n"
	  "remembered: a container whose process is gone, or whose pid now belongs to\n"
	  "another program, shows as exited.\n" },
	{ "logs", "podlab logs [-f] CONTAINER",
	  "Print what a background container wrote to stdout and stderr.\n"
	  "\n"
	  "  -f   keep following the log until the container exits\n" },
	{ "stop", "podlab stop [-t SECONDS] CONTAINER...",
	  "Ask a container to end: SIGTERM to its PID 1, then SIGKILL after SECONDS\n"
	  "(default 10).  A PID 1 without a SIGTERM handler ignores SIGTERM (the kernel\n"
	  "protects init), which is what --init is for.\n" },
	{ "kill", "podlab kill [-s SIGNAL] CONTAINER...",
	  "Send SIGNAL (a name like TERM or SIGHUP, or a number; default KILL) to each\n"
	  "container's PID 1.\n" },
	{ "wait", "podlab wait CONTAINER...",
	  "Wait until each container has exited and print its exit code.\n" },
	{ "exec", "podlab exec [-e NAME=VALUE]... [-w /DIR] CONTAINER COMMAND [ARG...]",
	  "Run one more command inside a running container: it joins the container's\n"
	  "user namespace first (for the right to join the others), then its mount,\n"
	  "PID, UTS, IPC and network namespaces, and gets the same capabilities and\n"
	  "seccomp filter as the container's own process.\n"
	  "\n"
	  "  -e NAME=VALUE   add an environment variable (repeatable)\n"
	  "  -w /DIR         the working directory inside\n" },
	{ "inspect", "podlab inspect CONTAINER...",
	  "Print each container's record and current state as JSON.\n" },
	{ "config", "podlab config CONTAINER",
	  "Print the container as an OCI runtime config.json: the same description\n"
	  "'--runtime crun' hands to crun.  Compare it with 'podlab run --dry-run'.\n" },
	{ "rm", "podlab rm [-f] CONTAINER...",
	  "Remove containers and their writable layers.  A running container is\n"
	  "refused unless -f, which stops it first.\n" },
	{ "diff", "podlab diff CONTAINER",
	  "What the container changed in its writable layer: A added, C changed,\n"
	  "D deleted (an overlay whiteout).\n" },
	{ "port", "podlab port CONTAINER", "The ports a container publishes, host side -> container side.\n" },
	{ "image", "podlab image import FILE NAME | load FILE [NAME] | ls | rm NAME",
	  "Manage local images (no registry: build root filesystems yourself).\n"
	  "\n"
	  "  import FILE NAME   a root filesystem tarball as a one-layer image\n"
	  "  load FILE [NAME]   an OCI image layout or a 'podman save' / 'docker save'\n"
	  "                     archive, layers and all\n"
	  "  ls                 the images, with their number of layers\n"
	  "  rm NAME            remove an image (its layers go when nothing uses them)\n" },
	{ "pod",
	  "podlab pod create [--name NAME] [-p [IP:]HOST:CTR[/udp]]... [--network MODE] [--restart POLICY] "
	  "[--pidfile /FILE]\n"
		 "       podlab pod ps | stop POD... | rm [-f] POD... | inspect POD...",
	  "A pod is a group of containers sharing one user, network, UTS and IPC\n"
	  "namespace, held open by a small infra process ('podlab pause').  Ports are\n"
	  "published on the pod, not on its members; members reach each other on\n"
	  "localhost.  Add a member with 'podlab run --pod POD ...'.\n"
	  "\n"
	  "  --restart POLICY  no, on-failure or always: recorded, not acted on (podlab\n"
	  "                    has no daemon); generate systemd makes it the units'\n"
	  "                    Restart=, generate kube the restartPolicy\n"
	  "  --pidfile /FILE   write the infra's supervisor pid there (systemd's PIDFile=)\n" },
	{ "play", "podlab play kube [--down] FILE.yaml",
	  "Run a Kubernetes Pod or Deployment (one replica) as a podlab pod: its\n"
	  "containers, hostPorts, env and volumes (emptyDir, hostPath).\n"
	  "Errors name the line and column of the YAML.  Nothing is left behind when\n"
	  "one container fails to start.\n"
	  "\n"
	  "  --down   stop and remove what the file started\n" },
	{ "generate",
	  "podlab generate kube POD\n"
	  "       podlab generate systemd [--new] [--name] [--files | --install] [--restart-policy POLICY] "
	  "[-t SECONDS] CONTAINER|POD\n"
	  "       podlab generate quadlet [--files | --install] CONTAINER|POD",
	  "Describe what runs as something else can run:\n"
	  "\n"
	  "  kube      a pod as YAML that 'podlab play kube' accepts back\n"
	  "  systemd   user units (systemctl --user): one per container, and for a pod\n"
	  "            a pod unit its containers are bound to\n"
	  "  quadlet   the same as Quadlet files, podman's newer way\n"
	  "\n"
	  "  --new              the unit creates the container on start, removes it on stop\n"
	  "  --files            write files in the current directory instead of printing\n"
	  "  --install          write them to ~/.config/systemd/user (or the Quadlet\n"
	  "                     directory) and print the next commands\n"
	  "  --restart-policy P systemd's Restart= (default on-failure)\n"
	  "  -t SECONDS         stop timeout (default 10)\n" },
	{ "info", "podlab info", "Which storage driver podlab uses on this machine, and why.\n" },
	{ "unshare", "podlab unshare [COMMAND [ARG...]]",
	  "Run a shell (or COMMAND) as root of your user namespace, with your subuid\n"
	  "range mapped: the place to look at or remove files that container processes\n"
	  "created under ids other than yours.\n" },
	{ "doctor", "podlab doctor",
	  "Check this machine for what rootless containers need (subuid ranges,\n"
	  "newuidmap, user namespaces, /dev/fuse, /dev/net/tun, cgroups, ...) and say\n"
	  "how to fix what is missing.  Exit status 1 if something is.\n" },
	{ "bench", "podlab bench net [--runs N] [--seconds S] [--svg FILE] [--json FILE] [--modes LIST]",
	  "Measure TCP throughput through a published port with iperf3, for each\n"
	  "network mode (loopback, slirp, libslirp, slirp4netns, pasta), both\n"
	  "directions; print medians, ratios to loopback, and draw an SVG chart.\n"
	  "\n"
	  "  --runs N      runs per direction (default 3)\n"
	  "  --seconds S   length of each run (default 3)\n"
	  "  --svg FILE    where the chart goes (default podlab-bench-net.svg)\n"
	  "  --json FILE   also write the medians as JSON (null: not measured, and why)\n"
	  "  --modes LIST  some of loopback,slirp,libslirp,slirp4netns,pasta\n" },
	{ "pause", "podlab pause",
	  "The infra process of a pod: it sleeps in the pod's namespaces so they live\n"
	  "while members come and go.  'podlab pod create' starts it; not for direct use.\n" },
	{ "version", "podlab version", "Print podlab's version.\n" },
	{ "help", "podlab help [COMMAND]", "The list of commands, or what one of them does.\n" },
};

static const struct topic *find(const char *name)
{
	for (size_t i = 0; name != NULL && i < sizeof topics / sizeof *topics; i++)
		if (strcmp(topics[i].name, name) == 0)
			return &topics[i];
	return NULL;
}

const char *pl_help_usage(const char *command)
{
	const struct topic *t = find(command);
	return t ? t->usage : "podlab help";
}

int pl_help_print(const char *command, FILE *out)
{
	const struct topic *t = find(command);
	if (t == NULL)
		return -1;
	fprintf(out, "usage: %s\n\n%s", t->usage, t->text);
	return 0;
}

void pl_help_overview(FILE *out)
{
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
	      "  pod create [--name N] [-p ...] [--network M] [--restart P]   a pod: shared network, hostname, IPC\n"
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
	      "  help CMD        what one command does, with its options (also: CMD --help)\n",
	      out);
}
