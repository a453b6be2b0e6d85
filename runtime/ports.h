/* ports.h - publishing container ports on the host (-p).
 *
 *   -p 8080:80             host port 8080, all addresses -> container port 80/tcp
 *   -p 127.0.0.1:8080:80   only on the host's loopback
 *   -p [::1]:8080:80/tcp   an IPv6 host address, in brackets
 *   -p 5353:53/udp         UDP
 *   -p 8000-8002:80-82     a range, host and container of the same length
 *
 * A rootless process binds host ports like any other program of yours,
 * so ports below net.ipv4.ip_unprivileged_port_start (1024 unless root
 * changed it) are out of reach.  podlab says so before anything starts,
 * instead of letting a network helper fail with a cryptic message.
 */
#ifndef PODLAB_PORTS_H
#define PODLAB_PORTS_H

#include <stdbool.h>
#include <json-c/json.h>
#include <stddef.h>
#include <sys/socket.h>

#include "errors.h"

#define PL_MAX_PORTS 64

struct pl_port {
	char host_ip[64]; /* "" = every address */
	unsigned host_port;
	unsigned ctr_port;
	bool udp;
};

/* Parse one -p argument into up to `max` ports (a range gives several).
 * Returns how many, or -1. */
int pl_port_parse(const char *spec, struct pl_port *out, size_t max, pl_error **err);

/* "0.0.0.0:8080->80/tcp" */
void pl_port_format(const struct pl_port *p, char *buf, size_t len);

/* The same port as a -p spec that pl_port_parse() reads back:
 * "[::1]:8443:443/tcp", "8080:80/tcp". */
void pl_port_spec(const struct pl_port *p, char *buf, size_t len);

/* Host side, before anything is created: may this user bind the port, and
 * is it free?  `start` is ip_unprivileged_port_start (read by the caller). */
int pl_port_check(const struct pl_port *p, long unprivileged_start, pl_error **err);

/* The host side of a published port as a socket address (IPv4 or IPv6,
 * every address when no host IP was given); returns its length. */
socklen_t pl_port_sockaddr(const struct pl_port *p, struct sockaddr_storage *ss);

/* Ports in a record: a JSON array of -p specs, read back with the parser
 * that reads -p.  Reading returns how many were stored (at most max). */
json_object *pl_ports_to_json(const struct pl_port *ports, size_t n);
size_t pl_ports_from_json(json_object *array, struct pl_port *out, size_t max);

/* net.ipv4.ip_unprivileged_port_start, or 1024 when it cannot be read. */
long pl_unprivileged_port_start(void);

#endif
