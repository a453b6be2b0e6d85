/* sync.c - the two pipes of the host/container handshake (see sync.h). */
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

static void close_end(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int pl_sync_init(struct pl_sync *s, pl_error **err)
{
	s->go[0] = s->go[1] = s->report[0] = s->report[1] = -1;
	/* O_CLOEXEC on both: no end may leak into the container's command,
	 * and the report pipe's EOF is our "exec succeeded" signal. */
	if (pipe2(s->go, O_CLOEXEC) < 0 || pipe2(s->report, O_CLOEXEC) < 0) {
		pl_sync_close(s);
		return pl_fail(err, errno, "cannot create the synchronisation pipes");
	}
	return 0;
}

void pl_sync_host_side(struct pl_sync *s)
{
	close_end(&s->go[0]);
	close_end(&s->report[1]);
}

void pl_sync_container_side(struct pl_sync *s)
{
	close_end(&s->go[1]);
	close_end(&s->report[0]);
}

int pl_sync_go(struct pl_sync *s, int ok, pl_error **err)
{
	char c = ok ? 'G' : 'A';
	ssize_t n;
	do
		n = write(s->go[1], &c, 1);
	while (n < 0 && errno == EINTR);
	close_end(&s->go[1]);
	/* EPIPE: the container side is already gone.  Not an error here:
	 * pl_sync_wait_exec() reads why it went, which is what the user needs. */
	if (n != 1 && ok && errno != EPIPE)
		return pl_fail(err, errno, "cannot tell the container process to continue");
	return 0;
}

int pl_sync_wait_go(struct pl_sync *s, pl_error **err)
{
	/* LAB 01 BEGIN wait-go: block until the host side has written the maps.
	 * Read one byte from the go pipe.  'G' means continue; anything else,
	 * or end-of-file (the host side died), means give up with an error.
	 * Without this wait the child races ahead while it is still unmapped. */
	char c = 0;
	ssize_t n;
	do
		n = read(s->go[0], &c, 1);
	while (n < 0 && errno == EINTR);
	close_end(&s->go[0]);
	if (n != 1 || c != 'G')
		return pl_fail(err, n < 0 ? errno : 0, "the host side stopped before the id maps were written");
	return 0;
	/* LAB 01 END wait-go: return 0; */
}

void pl_sync_fail(struct pl_sync *s, const pl_error *e)
{
	char buf[8192];
	size_t len = pl_error_pack(e, buf, sizeof buf);
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(s->report[1], buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close_end(&s->report[1]);
}

int pl_sync_peek_failure(struct pl_sync *s, pl_error **err)
{
	struct pollfd p = { .fd = s->report[0], .events = POLLIN };
	if (s->report[0] < 0 || poll(&p, 1, 0) != 1)
		return 0;
	/* Something to read, or EOF: wait_exec reads it either way, and
	 * returns -1 only when it was a report. */
	return pl_sync_wait_exec(s, err) < 0 ? 1 : 0;
}

int pl_sync_wait_exec(struct pl_sync *s, pl_error **err)
{
	char buf[8192];
	size_t len = 0;
	for (;;) {
		ssize_t n = read(s->report[0], buf + len, sizeof buf - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (len += (size_t)n) == sizeof buf)
			break;
	}
	close_end(&s->report[0]);
	if (len == 0)
		return 0; /* EOF with nothing said: execve() closed the pipe */
	pl_error_unpack(err, buf, len);
	return -1;
}

void pl_sync_close(struct pl_sync *s)
{
	close_end(&s->go[0]);
	close_end(&s->go[1]);
	close_end(&s->report[0]);
	close_end(&s->report[1]);
}
