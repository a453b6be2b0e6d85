/* network.h - stage 04: the container's network, and who runs it.
 *
 *   --network slirp          (default) a network namespace; podlab's own
 *                            libslirp helper behind tap0; published ports
 *                            through podlab's splice() forwarder, or
 *                            through libslirp with port_handler=slirp
 *   --network slirp4netns    the same plumbing by the slirp4netns program,
 *                            ports through its API socket
 *   --network pasta          passt's pasta: a tap whose other end maps
 *                            sockets one to one, ports with -t/-u
 *   --network none           a network namespace with only lo
 *   --network host           the host's network namespace (no isolation)
 *
 * Options follow a colon: slirp:allow_host_loopback=true,port_handler=slirp.
 *
 * The helpers are supervised: podlab, which waits for the container
 * anyway, notices when one dies, starts it again and re-adds the port
 * forwards, so the container's network comes back without a restart.
 */
#ifndef PODLAB_NETWORK_H
#define PODLAB_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "errors.h"
#include "ports.h"

enum pl_netmode { PL_NET_SLIRP, PL_NET_SLIRP4NETNS, PL_NET_PASTA, PL_NET_NONE, PL_NET_HOST };

struct pl_netopts {
	enum pl_netmode mode;
	bool allow_host_loopback;
	bool slirp_port_handler; /* port_handler=slirp (libslirp instead of the forwarder) */
};

/* Parse --network (pure). */
int pl_network_parse(const char *arg, struct pl_netopts *o, pl_error **err);
const char *pl_network_name(enum pl_netmode mode);

struct pl_net {
	struct pl_netopts opts;
	const struct pl_port *ports;
	size_t n_ports;
	pid_t container; /* host pid of the container's PID 1 */
	pid_t helper;    /* slirp / slirp4netns / pasta */
	pid_t forwarder; /* podlab's port forwarder */
	int restarts;
	char dir[4200];  /* a private directory: API socket, resolv.conf */
	char resolv[4300];
};

/* Host side, before anything is created: ports valid for the mode and
 * bindable, tools installed, /dev/net/tun usable. */
int pl_network_check(const struct pl_netopts *o, const struct pl_port *ports, size_t n, pl_error **err);

/* Host side, before clone(): the private directory, and in it the
 * resolv.conf the container will see (its path goes to *resolv, or NULL
 * when the mode keeps the image's own). */
int pl_network_prepare(struct pl_net *net, const char **resolv, pl_error **err);

/* Host side, after the id maps: start the helper(s) and wait until the
 * container's network is configured. */
int pl_network_start(struct pl_net *net, pl_error **err);

/* A child of podlab ended: if it was a network helper, start it again
 * (and say so).  Returns true when the pid was the network's. */
bool pl_network_reap(struct pl_net *net, pid_t pid, int status);

/* Stop every helper; remove the private directory. */
void pl_network_stop(struct pl_net *net);

#endif
