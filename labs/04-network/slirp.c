/* Lab 04 starter: slirp.c, generated from runtime/slirp.c by 'make labs'.
 * Fill in every part marked 'LAB 04 TODO', then build and check:
 *     make lab LAB=labs/04-network && build/podlab-check labs/04-network
 */
/* slirp.c - the libslirp poll loop (see slirp.h). */
#include "slirp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <slirp/libslirp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

/* ---- what libslirp asks of its host program -------------------------------- */

struct timer {
	SlirpTimerCb cb;
	void *cb_opaque;
	int64_t expire; /* ns, -1 when not armed */
	struct timer *next;
};

struct helper {
	int tapfd;
	struct pollfd fds[256];
	int n;
	struct timer *timers;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
	struct helper *h = opaque;
	/* A frame for the container: one write, one frame, on the TAP. */
	ssize_t n;
	do
		n = write(h->tapfd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

static void guest_error(const char *msg, void *opaque)
{
	(void)opaque;
	fprintf(stderr, "podlab slirp: %s\n", msg);
}

static int64_t clock_get_ns(void *opaque)
{
	(void)opaque;
	return now_ns();
}

static void *timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct helper *h = opaque;
	struct timer *t = calloc(1, sizeof *t);
	t->cb = cb;
	t->cb_opaque = cb_opaque;
	t->expire = -1;
	t->next = h->timers;
	h->timers = t;
	return t;
}

static void timer_free(void *timer, void *opaque)
{
	struct helper *h = opaque;
	for (struct timer **p = &h->timers; *p; p = &(*p)->next)
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
}

static void timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	(void)opaque;
	((struct timer *)timer)->expire = expire_ms * 1000000;
}

static void no_op_fd(int fd, void *opaque)
{
	(void)fd, (void)opaque;
}

static void no_op(void *opaque)
{
	(void)opaque;
}

static int add_poll(int fd, int events, void *opaque)
{
	struct helper *h = opaque;
	if (h->n == (int)(sizeof h->fds / sizeof *h->fds))
		return -1;
	short ev = 0;
	ev |= events & SLIRP_POLL_IN ? POLLIN : 0;
	ev |= events & SLIRP_POLL_OUT ? POLLOUT : 0;
	ev |= events & SLIRP_POLL_PRI ? POLLPRI : 0;
	h->fds[h->n] = (struct pollfd){ .fd = fd, .events = ev };
	return h->n++;
}

static int get_revents(int idx, void *opaque)
{
	struct helper *h = opaque;
	if (idx < 0 || idx >= h->n)
		return 0;
	short re = h->fds[idx].revents;
	return (re & POLLIN ? SLIRP_POLL_IN : 0) | (re & POLLOUT ? SLIRP_POLL_OUT : 0) |
	       (re & POLLPRI ? SLIRP_POLL_PRI : 0) | (re & POLLERR ? SLIRP_POLL_ERR : 0) |
	       (re & POLLHUP ? SLIRP_POLL_HUP : 0);
}

static volatile sig_atomic_t stopping;
static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

int pl_slirp_run(int tapfd, const struct pl_slirp_opts *o)
{
	struct helper h = { .tapfd = tapfd };
	/* libslirp writes to host sockets whose peer may have gone: that must
	 * be EPIPE for it to handle, not SIGPIPE killing the whole network. */
	signal(SIGPIPE, SIG_IGN);
	SlirpConfig cfg = { .version = 4, .in_enabled = true, .if_mtu = PL_NET_MTU, .if_mru = PL_NET_MTU };
	inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
	inet_pton(AF_INET, PL_NET_GATEWAY, &cfg.vhost);
	inet_pton(AF_INET, PL_NET_DNS, &cfg.vnameserver);
	inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
	cfg.disable_host_loopback = !o->allow_host_loopback;
	static const SlirpCb callbacks = {
		.send_packet = send_packet, .guest_error = guest_error, .clock_get_ns = clock_get_ns,
		.timer_new = timer_new,     .timer_free = timer_free,   .timer_mod = timer_mod,
		.register_poll_fd = no_op_fd, .unregister_poll_fd = no_op_fd, .notify = no_op,
	};
	Slirp *slirp = slirp_new(&cfg, &callbacks, &h);
	if (slirp == NULL) {
		fprintf(stderr, "podlab slirp: cannot create the slirp stack\n");
		return 1;
	}
	struct in_addr guest;
	inet_pton(AF_INET, PL_NET_ADDR, &guest);
	for (size_t i = 0; i < o->n_ports; i++) {
		struct in_addr host = { .s_addr = INADDR_ANY };
		if (o->ports[i].host_ip[0])
			inet_pton(AF_INET, o->ports[i].host_ip, &host);
		if (slirp_add_hostfwd(slirp, o->ports[i].udp, host, (int)o->ports[i].host_port, guest,
				      (int)o->ports[i].ctr_port) < 0)
			fprintf(stderr, "podlab slirp: cannot forward host port %u: %s\n", o->ports[i].host_port,
				strerror(errno));
	}
	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	static uint8_t frame[PL_NET_MTU + 64];
	int rc = 0;
	/* LAB 04 TODO slirp-loop: the event loop of the helper.
	 * Each turn: put the TAP in h.fds[0] (POLLIN) with h.n = 1; let libslirp
	 * add its sockets with slirp_pollfds_fill(slirp, &timeout, add_poll, &h),
	 * starting from a timeout of at most 1000 ms; poll().  If the TAP is
	 * readable, read one frame and give it to slirp_input() -- a read of 0
	 * or an error other than EINTR/EAGAIN means the container is gone: end
	 * the loop.  Then slirp_pollfds_poll(slirp, poll failed?, get_revents,
	 * &h) lets libslirp serve its sockets, and finally every timer whose
	 * expire time has passed is disarmed and its callback called.  Stop
	 * when `stopping` is set (SIGTERM). */
	(void)frame; (void)stopping; rc = 1;
	slirp_cleanup(slirp);
	return rc;
}
