/* sync.h - the handshake between the host side and the container side.
 *
 * After clone() there are two processes.  The container side must not run
 * its command before the host side has written its id maps: until then it
 * is "nobody" in its own namespace, and an execve() in that state drops
 * every capability it had.  So the child blocks on a pipe until the parent
 * says "go".
 *
 * The second pipe runs the other way and carries the child's failure, if
 * any, back to the parent.  Its write end is close-on-exec: a successful
 * execve() closes it, and the parent reads end-of-file.  That is how the
 * parent knows the command really started (the trick posix_spawn uses).
 *
 *      host side                              container side
 *      ---------                              --------------
 *      clone()  ------------------------->    pl_sync_wait_go()   (blocks)
 *      write uid_map, gid_map
 *      pl_sync_go()  ---- 'G' ----------->    (returns 0)
 *                                             become root, hostname, ...
 *      pl_sync_wait_exec()  <-- error? ---    pl_sync_fail(err) or execve()
 */
#ifndef PODLAB_SYNC_H
#define PODLAB_SYNC_H

#include "errors.h"

struct pl_sync {
	int go[2];     /* host -> container: 'G' to go, anything else to give up */
	int report[2]; /* container -> host: a packed pl_error, or EOF on exec */
};

int pl_sync_init(struct pl_sync *s, pl_error **err);

/* Each side closes the ends it does not use right after clone(). */
void pl_sync_host_side(struct pl_sync *s);
void pl_sync_container_side(struct pl_sync *s);

/* Host: let the container side continue (ok) or make it give up. */
int pl_sync_go(struct pl_sync *s, int ok, pl_error **err);

/* Container: wait until the host side says go. */
int pl_sync_wait_go(struct pl_sync *s, pl_error **err);

/* Container: send the reason for a failure to the host side. */
void pl_sync_fail(struct pl_sync *s, const pl_error *e);

/* Host: has the container side already reported a failure?  Returns 1
 * and sets err if so, 0 if not (without waiting). */
int pl_sync_peek_failure(struct pl_sync *s, pl_error **err);

/* Host: wait until the command is executing (0) or failed (-1, err set). */
int pl_sync_wait_exec(struct pl_sync *s, pl_error **err);

void pl_sync_close(struct pl_sync *s);

#endif
