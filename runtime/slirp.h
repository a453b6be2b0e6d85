/* slirp.h - podlab's user-mode network helper, on libslirp.
 *
 * libslirp is a TCP/IP stack in a library (QEMU's user networking, and
 * the heart of slirp4netns).  Fed the Ethernet frames the container sends
 * through tap0, it answers ARP and DHCP as the gateway, forwards DNS, and
 * for every TCP connection or UDP flow the container opens it opens an
 * ordinary socket on the host -- as you, with your rights.  Replies come
 * back as frames written to tap0.  No privilege is involved anywhere.
 *
 * The price is copying: every packet crosses the kernel twice more and is
 * reassembled by a stack in user space, which is why slirp is slower than
 * pasta's approach or a splice()ing port forwarder (forward.c).
 */
#ifndef PODLAB_SLIRP_H
#define PODLAB_SLIRP_H

#include <stdbool.h>
#include <stddef.h>

#include "ports.h"

struct pl_slirp_opts {
	bool allow_host_loopback; /* may the container reach the host's 127.0.0.1 at 10.0.2.2? */
	const struct pl_port *ports; /* published through libslirp (port_handler=slirp) */
	size_t n_ports;
};

/* Run the helper on a TAP descriptor until the TAP goes away (the
 * container ended) or SIGTERM.  Returns an exit status. */
int pl_slirp_run(int tapfd, const struct pl_slirp_opts *opts);

#endif
