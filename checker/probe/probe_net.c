/* probe_net.c - the network seen from inside: interfaces, and small
 * servers and clients that prove a path works end to end.
 *
 * Every server answers with a token the checker chose, so a reply cannot
 * come from anything but this probe in this container.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

/* name:UP|DOWN:address, for every interface. */
static int cmd_ifaces(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct ifaddrs *list;
	if (getifaddrs(&list) < 0) {
		out("ifaces", "errno=%d", errno);
		return 1;
	}
	char text[4096] = "";
	for (struct ifaddrs *i = list; i; i = i->ifa_next) {
		char addr[64] = "-";
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, addr, sizeof addr);
		else if (i->ifa_addr && i->ifa_addr->sa_family != AF_PACKET)
			continue;
		snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s:%s:%s", text[0] ? "," : "", i->ifa_name,
			 i->ifa_flags & IFF_UP ? "UP" : "DOWN", addr);
	}
	freeifaddrs(list);
	out("ifaces", "%s", text);
	return 0;
}

static int listen_on(int port, int type)
{
	int fd = socket(AF_INET, type, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || (type == SOCK_STREAM && listen(fd, 16) < 0))
		return -1;
	return fd;
}

/* serve PORT SECONDS TOKEN [http]: answer every TCP connection with TOKEN
 * (as an HTTP response with "http"), until SECONDS have passed. */
static int cmd_serve(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	int fd = listen_on(atoi(argv[1]), SOCK_STREAM);
	out_result("listen", fd, errno);
	if (fd < 0)
		return 1;
	bool http = argc > 4 && strcmp(argv[4], "http") == 0;
	time_t end = time(NULL) + atoi(argv[2]);
	int served = 0;
	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 200) != 1)
			continue;
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		char req[1024];
		if (http) {
			struct pollfd q = { .fd = c, .events = POLLIN };
			if (poll(&q, 1, 2000) == 1 && read(c, req, sizeof req) < 0) {
			}
			dprintf(c, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n%s\n", argv[3]);
		} else {
			dprintf(c, "%s\n", argv[3]);
		}
		close(c);
		served++;
	}
	out("served", "%d", served);
	return 0;
}

/* udp-echo PORT SECONDS TOKEN: answer every datagram with TOKEN + it. */
static int cmd_udp_echo(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	int fd = listen_on(atoi(argv[1]), SOCK_DGRAM);
	out_result("listen", fd, errno);
	if (fd < 0)
		return 1;
	time_t end = time(NULL) + atoi(argv[2]);
	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 200) != 1)
			continue;
		char buf[512], reply[1100];
		struct sockaddr_storage peer;
		socklen_t len = sizeof peer;
		ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&peer, &len);
		if (n < 0)
			continue;
		buf[n] = '\0';
		int k = snprintf(reply, sizeof reply, "%s %s", argv[3], buf);
		sendto(fd, reply, (size_t)k, 0, (struct sockaddr *)&peer, len);
	}
	return 0;
}

/* One TCP connection to HOST:PORT; the first line the server sends. */
static int try_connect(const char *host, int port, char *line, size_t len)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, host, &a.sin_addr);
	struct timeval tv = { 2, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	ssize_t n = read(fd, line, len - 1);
	line[n > 0 ? n : 0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	close(fd);
	return 0;
}

static int cmd_connect(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	char line[256];
	int rc = try_connect(argv[1], atoi(argv[2]), line, sizeof line);
	out_result("connect", rc, errno);
	if (rc == 0)
		out("line", "%s", line);
	return 0;
}

/* reconnect HOST PORT SECONDS FILE: try to connect every 100 ms, and log
 * each attempt ("<unix ms> ok|fail") to FILE, for the checker to read. */
static int cmd_reconnect(int argc, char **argv)
{
	if (argc < 5)
		return 2;
	FILE *log = fopen(argv[4], "we");
	if (log == NULL)
		return 1;
	setvbuf(log, NULL, _IOLBF, 0);
	out("ready", "1");
	time_t end = time(NULL) + atoi(argv[3]);
	while (time(NULL) < end) {
		char line[256];
		struct timespec ts;
		int rc = try_connect(argv[1], atoi(argv[2]), line, sizeof line);
		clock_gettime(CLOCK_REALTIME, &ts);
		fprintf(log, "%lld %s\n", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, rc == 0 ? "ok" : "fail");
		usleep(100000);
	}
	fclose(log);
	return 0;
}

const struct probe_cmd probe_net_cmds[] = {
	{ "ifaces", "interfaces: name:UP|DOWN:address", cmd_ifaces },
	{ "serve", "PORT SECONDS TOKEN [http]: answer TCP connections with TOKEN", cmd_serve },
	{ "udp-echo", "PORT SECONDS TOKEN: answer datagrams with TOKEN", cmd_udp_echo },
	{ "connect", "HOST PORT: connect, report the first line", cmd_connect },
	{ "reconnect", "HOST PORT SECONDS FILE: connect every 100 ms, log each try", cmd_reconnect },
	{ NULL, NULL, NULL },
};
