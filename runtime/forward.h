/* forward.h - podlab's own port forwarder (what podman calls rootlessport).
 *
 * Publishing a port through slirp means every byte of every connection
 * goes through a TCP/IP stack in user space.  A forwarder avoids that: it
 * listens on the host port in the host's network namespace, then joins
 * the container's user and network namespaces -- sockets keep the
 * namespace they were made in -- and for each accepted connection opens
 * one to the container's port from inside.  Bytes are then moved between
 * the two sockets with splice(), through a pipe, without ever being
 * copied into the forwarder's memory.
 */
#ifndef PODLAB_FORWARD_H
#define PODLAB_FORWARD_H

#include <stddef.h>
#include <sys/types.h>

#include "ports.h"

/* Listen on the host ports (here, in the caller's namespaces), join the
 * namespaces of `pid`, and forward until SIGTERM.  Runs in a child
 * process; returns its exit status. */
int pl_forward_run(pid_t pid, const struct pl_port *ports, size_t n);

#endif
