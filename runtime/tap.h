/* tap.h - a network card whose other end is a program.
 *
 * A new network namespace has nothing but a loopback, and an unprivileged
 * user cannot give it a veth pair (the other end would be in the host's
 * namespace, which it does not own).  What it can do: join the container's
 * user and network namespaces, where it is root, and create a TAP device
 * there.  Whatever the container sends through tap0 arrives, as Ethernet
 * frames, on a file descriptor -- which is passed back to a helper outside
 * (over a unix socket, SCM_RIGHTS) that speaks TCP/IP to the real network
 * on the container's behalf.  This is what slirp4netns does, and podlab's
 * own helper (slirp.c).
 *
 * The address plan is slirp's classic one:
 *
 *     10.0.2.100/24   the container (tap0, MTU 65520)
 *     10.0.2.2        the gateway, which is the helper (and the host)
 *     10.0.2.3        the DNS forwarder
 */
#ifndef PODLAB_TAP_H
#define PODLAB_TAP_H

#include <sys/types.h>

#include "errors.h"

#define PL_TAP_NAME "tap0"
#define PL_NET_MTU 65520
#define PL_NET_ADDR "10.0.2.100"
#define PL_NET_GATEWAY "10.0.2.2"
#define PL_NET_DNS "10.0.2.3"
#define PL_NET_PREFIX 24

/* In the network namespace of `pid`: bring lo up, create tap0 with the
 * address plan above, and return the TAP's file descriptor. */
int pl_tap_create(pid_t pid, int *tapfd, pl_error **err);

/* Inside a network namespace: bring the loopback up (--network none). */
int pl_net_loopback_up(pl_error **err);

/* Pass a file descriptor over a unix socket, and receive one. */
int pl_send_fd(int sock, int fd);
int pl_recv_fd(int sock);

#endif
