/* Lab 04 starter: tap.c, generated from runtime/tap.c by 'make labs'.
 * Fill in every part marked 'LAB 04 TODO', then build and check:
 *     make lab LAB=labs/04-network && build/podlab-check labs/04-network
 */
/* tap.c - the container's tap0 and passing its descriptor (see tap.h). */
#include "tap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/route.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"

int pl_send_fd(int sock, int fd)
{
	char byte = 'F';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

int pl_recv_fd(int sock)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS)
		return -1;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof fd);
	return fd;
}

/* ---- interface configuration, with the classic ioctls -------------------- */

static int if_ioctl(unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	int rc = ioctl(s, req, ifr);
	int e = errno;
	close(s);
	errno = e;
	return rc;
}

static int if_up(const char *name)
{
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (if_ioctl(SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return if_ioctl(SIOCSIFFLAGS, &ifr);
}

static int if_addr(const char *name, const char *addr, int prefix, int mtu)
{
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin->sin_addr);
	if (if_ioctl(SIOCSIFADDR, &ifr) < 0)
		return -1;
	sin->sin_addr.s_addr = htonl(prefix ? ~0u << (32 - prefix) : 0);
	if (if_ioctl(SIOCSIFNETMASK, &ifr) < 0)
		return -1;
	ifr.ifr_mtu = mtu;
	return if_ioctl(SIOCSIFMTU, &ifr);
}

static int default_route(const char *gateway)
{
	struct rtentry rt = { 0 };
	struct sockaddr_in *gw = (struct sockaddr_in *)&rt.rt_gateway, *dst = (struct sockaddr_in *)&rt.rt_dst,
			   *mask = (struct sockaddr_in *)&rt.rt_genmask;
	gw->sin_family = dst->sin_family = mask->sin_family = AF_INET;
	inet_pton(AF_INET, gateway, &gw->sin_addr);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	int rc = ioctl(s, SIOCADDRT, &rt);
	int e = errno;
	close(s);
	errno = e;
	return rc < 0 && e != EEXIST ? -1 : 0;
}

int pl_net_loopback_up(pl_error **err)
{
	if (if_up("lo") < 0)
		return pl_fail(err, errno, "cannot bring the loopback interface up");
	return 0;
}

/* The part that runs inside the container's namespaces. */
static int make_tap(int sock)
{
	if (if_up("lo") < 0)
		return 10;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 11;
	/* LAB 04 TODO tap-fd: create tap0 here and hand its descriptor over.
	 * TUNSETIFF on the /dev/net/tun descriptor with IFF_TAP (Ethernet
	 * frames, not IP packets: slirp wants frames) and IFF_NO_PI (no
	 * extra packet-information header) makes the device in *this*
	 * process's network namespace -- the container's.  Then give it the
	 * address plan (if_addr), bring it up (if_up), add the default route
	 * via the gateway (default_route), and send fd over `sock`
	 * (pl_send_fd).  Return 0, or a distinct code per failure. */
	close(fd); (void)sock; return 12;
}

int pl_tap_create(pid_t pid, int *tapfd, pl_error **err)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return pl_fail(err, errno, "cannot create a socket pair for the TAP descriptor");
	pid_t child = pl_fork_helper(SIGKILL, err);
	if (child < 0) {
		close(sv[0]);
		close(sv[1]);
		return pl_wrap(err, "cannot fork the TAP helper");
	}
	if (child == 0) {
		close(sv[0]);
		_exit(pl_join(pid, CLONE_NEWUSER | CLONE_NEWNET) < 0 ? 9 : make_tap(sv[1]));
	}
	close(sv[1]);
	int fd = pl_recv_fd(sv[0]);
	close(sv[0]);
	int status = 0;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 99;
	if (fd >= 0 && code == 0) {
		*tapfd = fd;
		return 0;
	}
	if (fd >= 0)
		close(fd);
	static const char *const what[] = { [9] = "joining the container's user and network namespaces",
					     [10] = "bringing lo up",
					     [11] = "opening /dev/net/tun",
					     [12] = "creating tap0 (TUNSETIFF)",
					     [13] = "configuring tap0's address and MTU",
					     [14] = "adding the default route",
					     [15] = "passing the TAP descriptor back" };
	pl_fail(err, 0, "cannot set up the container's network: %s failed",
		code >= 9 && code <= 15 ? what[code] : "the TAP helper");
	if (code == 11)
		return pl_fix(err, "let users open /dev/net/tun (sudo chmod 0666 /dev/net/tun; podlab doctor checks it), "
				   "or run with --network none");
	return -1;
}
