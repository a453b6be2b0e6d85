/* init.h - a minimal init for PID 1 (--init).
 *
 * PID 1 of a PID namespace has two duties a normal program does not
 * know about: every orphan in the namespace becomes its child, so it must
 * reap them or they stay zombies; and the kernel delivers to it only the
 * signals it has a handler for, so a plain program as PID 1 ignores
 * SIGTERM.  `--init` puts this small loop at PID 1 (what catatonit and
 * tini do): it starts the command as PID 2, passes every signal on to it,
 * reaps whatever dies, and exits with the command's status.
 */
#ifndef PODLAB_INIT_H
#define PODLAB_INIT_H

#include <signal.h>

/* Fork the command; returns 0 in the child (which goes on to exec it),
 * and never returns in PID 1, which becomes the init loop.  `old_mask`
 * is the signal mask the command must get; `close_fd` is closed in PID 1
 * (the runtime's end of a pipe only the command should hold). */
int pl_init_fork(const sigset_t *old_mask, int close_fd);

#endif
