/* ports.c - -p specs and their checks (see ports.h). */
#include "ports.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* "80" or "80-82": a port or an inclusive range of them. */
static bool parse_range(const char *s, size_t len, unsigned *lo, unsigned *hi)
{
	char buf[32];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	char *end;
	for (const char *p = buf; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	unsigned long a = strtoul(buf, &end, 10), b = a;
	if (dash) {
		for (const char *p = dash + 1; *p; p++)
			if (!isdigit((unsigned char)*p))
				return false;
		if (dash[1] == '\0')
			return false;
		b = strtoul(dash + 1, &end, 10);
	}
	if (buf[0] == '\0' || a < 1 || b > 65535 || a > b)
		return false;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return true;
}

int pl_port_parse(const char *spec, struct pl_port *out, size_t max, pl_error **err)
{
	/* LAB 04 BEGIN port-spec: parse [HOSTIP:]HOSTPORT:CTRPORT[/tcp|/udp].
	 * Split off "/proto" first, then the container port after the last
	 * ':', then the host port before it; what is left (if anything) is the
	 * host address: "[v6]" in brackets, or an IPv4 address.  Check the
	 * address with inet_pton, ports with parse_range (1-65535, "a-b"
	 * ranges of equal length on both sides), and fill one struct pl_port
	 * per port of the range.  Every refusal names the spec and the rule. */
	char buf[128];
	if (strlen(spec) >= sizeof buf) {
		pl_fail(err, EINVAL, "invalid port mapping '%.40s...': too long", spec);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", spec);
	bool udp = false;
	char *slash = strrchr(buf, '/');
	if (slash) {
		if (strcmp(slash + 1, "udp") == 0)
			udp = true;
		else if (strcmp(slash + 1, "tcp") != 0) {
			pl_fail(err, EINVAL, "invalid port mapping '%s': unknown protocol '%s'", spec, slash + 1);
			return pl_fix(err, "the protocol is tcp (the default) or udp");
		}
		*slash = '\0';
	}
	char *last = strrchr(buf, ':');
	if (last == NULL) {
		pl_fail(err, EINVAL, "invalid port mapping '%s': no container port", spec);
		return pl_fix(err, "write it as [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp], e.g. -p 8080:80");
	}
	*last = '\0';
	const char *ctr = last + 1, *host = buf, *ip = "";
	char *mid = strrchr(buf, ':');
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (close == NULL || close[1] != ':') {
			pl_fail(err, EINVAL, "invalid port mapping '%s': unclosed '[' around the IPv6 address", spec);
			return pl_fix(err, "write an IPv6 host address in brackets: -p [::1]:8080:80");
		}
		*close = '\0';
		ip = buf + 1;
		host = close + 2;
	} else if (mid != NULL) {
		*mid = '\0';
		ip = buf;
		host = mid + 1;
	}
	unsigned hlo, hhi, clo, chi;
	if (!parse_range(host, strlen(host), &hlo, &hhi) || !parse_range(ctr, strlen(ctr), &clo, &chi)) {
		pl_fail(err, EINVAL, "invalid port mapping '%s': ports are numbers from 1 to 65535 (or ranges a-b)", spec);
		return pl_fix(err, "for example -p 8080:80 or -p 8000-8002:80-82");
	}
	if (hhi - hlo != chi - clo) {
		pl_fail(err, EINVAL, "invalid port mapping '%s': the host range has %u ports, the container range %u", spec,
			hhi - hlo + 1, chi - clo + 1);
		return pl_fix(err, "give both ranges the same length");
	}
	if (ip[0]) {
		unsigned char addr[sizeof(struct in6_addr)];
		if (inet_pton(AF_INET, ip, addr) != 1 && inet_pton(AF_INET6, ip, addr) != 1) {
			pl_fail(err, EINVAL, "invalid port mapping '%s': '%s' is not an IP address", spec, ip);
			return pl_fix(err, "give a numeric host address (127.0.0.1, or [::1] for IPv6), or none for all");
		}
	}
	size_t n = 0;
	for (unsigned k = 0; k <= hhi - hlo; k++) {
		if (n == max)
			return pl_fail(err, E2BIG, "too many published ports (at most %zu)", max);
		out[n] = (struct pl_port){ .host_port = hlo + k, .ctr_port = clo + k, .udp = udp };
		snprintf(out[n].host_ip, sizeof out[n].host_ip, "%s", ip);
		n++;
	}
	return (int)n;
	/* LAB 04 END port-spec: return pl_todo(err, "04", "port-spec"); */
}

void pl_port_format(const struct pl_port *p, char *buf, size_t len)
{
	bool v6 = strchr(p->host_ip, ':') != NULL;
	snprintf(buf, len, "%s%s%s:%u->%u/%s", v6 ? "[" : "", p->host_ip[0] ? p->host_ip : "0.0.0.0", v6 ? "]" : "",
		 p->host_port, p->ctr_port, p->udp ? "udp" : "tcp");
}

void pl_port_spec(const struct pl_port *p, char *buf, size_t len)
{
	bool v6 = strchr(p->host_ip, ':') != NULL;
	snprintf(buf, len, "%s%s%s%s%u:%u/%s", v6 ? "[" : "", p->host_ip, v6 ? "]" : "", p->host_ip[0] ? ":" : "",
		 p->host_port, p->ctr_port, p->udp ? "udp" : "tcp");
}

socklen_t pl_port_sockaddr(const struct pl_port *p, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (strchr(p->host_ip, ':') != NULL) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)p->host_port);
		inet_pton(AF_INET6, p->host_ip, &a->sin6_addr);
		return sizeof *a;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)p->host_port);
	a->sin_addr.s_addr = p->host_ip[0] ? inet_addr(p->host_ip) : htonl(INADDR_ANY);
	return sizeof *a;
}

json_object *pl_ports_to_json(const struct pl_port *ports, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		char spec[160];
		pl_port_spec(&ports[i], spec, sizeof spec);
		json_object_array_add(a, json_object_new_string(spec));
	}
	return a;
}

size_t pl_ports_from_json(json_object *array, struct pl_port *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < json_object_array_length(array) && n < max; i++) {
		int k = pl_port_parse(json_object_get_string(json_object_array_get_idx(array, i)), out + n, max - n, NULL);
		if (k > 0)
			n += (size_t)k;
	}
	return n;
}

long pl_unprivileged_port_start(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	long v = 1024;
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = 1024;
		fclose(f);
	}
	return v;
}

int pl_port_check(const struct pl_port *p, long start, pl_error **err)
{
	if ((long)p->host_port < start) {
		pl_fail(err, EACCES, "cannot publish host port %u: ports below %ld are reserved for root on this machine",
			p->host_port, start);
		pl_why(err, "net.ipv4.ip_unprivileged_port_start is %ld, and a rootless container binds host ports as you",
		       start);
		return pl_fix(err, "publish a port >= %ld instead (e.g. -p %u:%u), or have root lower the limit: sudo sysctl "
				   "-w net.ipv4.ip_unprivileged_port_start=%u",
			      start, p->host_port + 8000 > 65535 ? 8080 : p->host_port + 8000, p->ctr_port, p->host_port);
	}
	/* Try the bind now, so a port in use is reported before anything is
	 * created (and with the port's number, not a helper's error). */
	struct sockaddr_storage ss;
	socklen_t len = pl_port_sockaddr(p, &ss);
	int fd = socket(ss.ss_family, p->udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		return pl_fail(err, errno, "cannot create a socket to test port %u", p->host_port);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	int rc = bind(fd, (struct sockaddr *)&ss, len);
	int e = errno;
	close(fd);
	if (rc == 0)
		return 0;
	char what[96];
	pl_port_format(p, what, sizeof what);
	if (e == EADDRINUSE) {
		pl_fail(err, e, "cannot publish %s: host port %u is already in use", what, p->host_port);
		return pl_fix(err, "stop the program using it (ss -ltnp 'sport = :%u' shows which), or publish another port",
			      p->host_port);
	}
	if (e == EADDRNOTAVAIL) {
		pl_fail(err, e, "cannot publish %s: %s is not an address of this host", what, p->host_ip);
		return pl_fix(err, "use one of the host's addresses (ip addr), or leave the address out");
	}
	return pl_fail(err, e, "cannot publish %s", what);
}
