/* forward.c - the splice() port forwarder (see forward.h). */
#include "forward.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "process.h"

#define PIPE_SIZE (1 << 20)
#define UDP_IDLE_SECONDS 60

/* One direction of a TCP connection: src -> pipe -> dst. */
struct half {
	int src, dst;
	int pipe[2];
	size_t queued; /* bytes in the pipe */
	bool eof;      /* the source has closed */
	bool shut;     /* and that was passed on to the destination */
};

/* What an epoll event points at. */
enum kind { LISTENER, CONN, UDP_HOST, UDP_FLOW };

struct conn {
	enum kind kind;
	int fd[2]; /* [0] host side, [1] container side */
	struct half dir[2]; /* [0] host -> container, [1] container -> host */
	int epfd;
	bool dead;         /* closed; freed after the current batch of events */
	struct conn *next; /* on the list of the dead */
};

static struct conn *graveyard;

struct listener {
	enum kind kind;
	int fd;
	const struct pl_port *port;
};

struct udp_flow {
	enum kind kind;
	int fd;                     /* connected to the container's port */
	int host_fd;                /* the published socket */
	struct sockaddr_storage peer; /* the host-side client */
	socklen_t peer_len;
	time_t last;
	struct udp_flow *next;
};

static volatile sig_atomic_t stopping;
static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static struct udp_flow *flows;

static int host_socket(const struct pl_port *p)
{
	struct sockaddr_storage ss;
	socklen_t len = pl_port_sockaddr(p, &ss);
	int fd = socket(ss.ss_family, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || (!p->udp && listen(fd, 128) < 0)) {
		fprintf(stderr, "podlab forwarder: cannot listen on port %u: %s\n", p->host_port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* A socket to the container's port, opened from inside its namespace. */
static int container_socket(unsigned port, bool udp)
{
	int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* Close now, free later: the same batch of events may still name it. */
static void conn_close(struct conn *c)
{
	for (int i = 0; i < 2; i++) {
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->fd[i], NULL);
		close(c->fd[i]);
		close(c->dir[i].pipe[0]);
		close(c->dir[i].pipe[1]);
	}
	c->dead = true;
	c->next = graveyard;
	graveyard = c;
}

/* Move what can be moved in one direction, a bounded number of rounds
 * (the other connections get their turn).  false: the connection broke. */
static bool pump(struct half *h)
{
	for (int round = 0; round < 16; round++) {
		bool progress = false;
		if (!h->eof && h->queued < PIPE_SIZE) {
			ssize_t n = splice(h->src, NULL, h->pipe[1], NULL, PIPE_SIZE - h->queued,
					   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n > 0) {
				h->queued += (size_t)n;
				progress = true;
			} else if (n == 0) {
				h->eof = true;
			} else if (errno != EAGAIN) {
				return false;
			}
		}
		if (h->queued > 0) {
			ssize_t m = splice(h->pipe[0], NULL, h->dst, NULL, h->queued, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (m > 0) {
				h->queued -= (size_t)m;
				progress = true;
			} else if (m < 0 && errno != EAGAIN) {
				return false;
			}
		}
		if (!progress)
			break;
	}
	/* The source said goodbye and all its bytes are through: pass it on. */
	if (h->eof && h->queued == 0 && !h->shut) {
		shutdown(h->dst, SHUT_WR);
		h->shut = true;
	}
	return true;
}

static void rearm(struct conn *c)
{
	/* Read from a side only when its pipe has room; wait to write to a
	 * side only when data for it is queued. */
	for (int i = 0; i < 2; i++) {
		struct half *in = &c->dir[i], *out = &c->dir[1 - i];
		struct epoll_event ev = { .data.ptr = c };
		ev.events = (!in->eof && in->queued < PIPE_SIZE ? EPOLLIN : 0) | (out->queued ? EPOLLOUT : 0) | EPOLLRDHUP;
		epoll_ctl(c->epfd, EPOLL_CTL_MOD, c->fd[i], &ev);
	}
}

static void accept_one(int epfd, struct listener *l)
{
	int client = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (client < 0)
		return;
	int inside = container_socket(l->port->ctr_port, false);
	if (inside < 0) {
		close(client); /* nothing listens in the container: refuse */
		return;
	}
	int one = 1;
	setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(inside, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct conn *c = calloc(1, sizeof *c);
	c->kind = CONN;
	c->epfd = epfd;
	c->fd[0] = client;
	c->fd[1] = inside;
	for (int i = 0; i < 2; i++) {
		if (pipe2(c->dir[i].pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
			close(client);
			close(inside);
			free(c);
			return;
		}
		fcntl(c->dir[i].pipe[1], F_SETPIPE_SZ, PIPE_SIZE);
		c->dir[i].src = c->fd[i];
		c->dir[i].dst = c->fd[1 - i];
	}
	for (int i = 0; i < 2; i++) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP, .data.ptr = c };
		epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd[i], &ev);
	}
}

static void udp_from_host(int epfd, struct listener *l)
{
	char buf[65536];
	struct sockaddr_storage peer;
	socklen_t plen = sizeof peer;
	ssize_t n = recvfrom(l->fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &plen);
	if (n < 0)
		return;
	struct udp_flow *f = flows;
	while (f && !(f->host_fd == l->fd && f->peer_len == plen && memcmp(&f->peer, &peer, plen) == 0))
		f = f->next;
	if (f == NULL) {
		int fd = container_socket(l->port->ctr_port, true);
		if (fd < 0)
			return;
		f = calloc(1, sizeof *f);
		*f = (struct udp_flow){ .kind = UDP_FLOW, .fd = fd, .host_fd = l->fd, .peer = peer, .peer_len = plen,
					.next = flows };
		flows = f;
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = f };
		epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
	}
	f->last = time(NULL);
	send(f->fd, buf, (size_t)n, 0);
}

static void udp_from_container(struct udp_flow *f)
{
	char buf[65536];
	ssize_t n = recv(f->fd, buf, sizeof buf, 0);
	if (n > 0) {
		sendto(f->host_fd, buf, (size_t)n, 0, (struct sockaddr *)&f->peer, f->peer_len);
		f->last = time(NULL);
	}
}

static void udp_expire(int epfd)
{
	time_t now = time(NULL);
	for (struct udp_flow **p = &flows; *p;) {
		if (now - (*p)->last > UDP_IDLE_SECONDS) {
			struct udp_flow *dead = *p;
			*p = dead->next;
			epoll_ctl(epfd, EPOLL_CTL_DEL, dead->fd, NULL);
			close(dead->fd);
			free(dead);
		} else {
			p = &(*p)->next;
		}
	}
}

int pl_forward_run(pid_t pid, const struct pl_port *ports, size_t n)
{
	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	struct listener *ls = calloc(n ? n : 1, sizeof *ls);
	/* Bind first, in the host's network namespace... */
	for (size_t i = 0; i < n; i++) {
		ls[i] = (struct listener){ .kind = ports[i].udp ? UDP_HOST : LISTENER, .port = &ports[i] };
		if ((ls[i].fd = host_socket(&ports[i])) < 0)
			return 2;
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &ls[i] };
		epoll_ctl(epfd, EPOLL_CTL_ADD, ls[i].fd, &ev);
	}
	/* ...then move into the container's: every socket made from now on
	 * lives there, while the listeners stay on the host. */
	if (pl_join(pid, CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		fprintf(stderr, "podlab forwarder: cannot join the container's network: %s\n", strerror(errno));
		return 3;
	}
	struct epoll_event events[64];
	while (!stopping) {
		int k = epoll_wait(epfd, events, 64, 5000);
		for (int i = 0; i < k; i++) {
			enum kind kind = *(enum kind *)events[i].data.ptr;
			if (kind == LISTENER) {
				accept_one(epfd, events[i].data.ptr);
			} else if (kind == UDP_HOST) {
				udp_from_host(epfd, events[i].data.ptr);
			} else if (kind == UDP_FLOW) {
				udp_from_container(events[i].data.ptr);
			} else {
				struct conn *c = events[i].data.ptr;
				if (c->dead)
					continue;
				bool alive = pump(&c->dir[0]) && pump(&c->dir[1]);
				bool done = c->dir[0].eof && c->dir[1].eof && !c->dir[0].queued && !c->dir[1].queued;
				if (!alive || done || (events[i].events & EPOLLERR))
					conn_close(c);
				else
					rearm(c);
			}
		}
		while (graveyard) {
			struct conn *c = graveyard;
			graveyard = c->next;
			free(c);
		}
		udp_expire(epfd);
	}
	return 0;
}
