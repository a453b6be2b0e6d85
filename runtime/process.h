/* process.h - creating the container process and waiting for it.
 *
 * clone() is fork() with a list of namespaces to create for the child.
 * Because CLONE_NEWPID is among them, the child is PID 1 of a new PID
 * namespace: when it exits, the kernel kills everything else inside, so
 * no process can outlive the container's command.
 *
 * The parent then waits, and while it waits it forwards the signals sent
 * to it (SIGTERM from `kill`, SIGHUP, ...) so that stopping podlab stops
 * the container.  Its own exit status follows the shell convention: the
 * command's exit code, or 128 + the signal that killed it.
 */
#ifndef PODLAB_PROCESS_H
#define PODLAB_PROCESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "errors.h"

/* Block the signals podlab forwards, before clone(), so none is lost
 * between clone() and the wait loop.  `old` receives the previous mask,
 * which the child restores before it runs the command. */
int pl_signals_block(sigset_t *old, pl_error **err);

/* fork() a helper process (fuse-overlayfs, slirp4netns, newuidmap, a
 * mount helper) with a clean slate: the signals podlab blocks for itself
 * unblocked and SIGPIPE no longer ignored -- both would survive execve()
 * and make the helper deaf to SIGTERM -- and stdio flushed first, so
 * nothing is printed twice; in a process group of its own, so terminal
 * signals reach podlab only.  With `deathsig` non-zero the helper gets that
 * signal when podlab dies, even if podlab died while it was forking.
 * Returns like fork(); -1 with `err` set when no process can be made. */
pid_t pl_fork_helper(int deathsig, pl_error **err);

/* clone() with the given CLONE_NEW* flags, fork-style: returns twice, the
 * child's pid in the parent and 0 in the child. */
pid_t pl_clone(unsigned long ns_flags, pl_error **err);

/* Wait for `child`, forwarding signals to it.  Returns its exit status in
 * shell form (0-255, or 128+signal).  Any other child of ours that ends
 * meanwhile (a network helper, a storage daemon) is reaped and handed to
 * `other` (which may be NULL), so it can be restarted.  `deliver` passes
 * a signal on (an OCI runtime's kill verb); NULL: kill(child, sig). */
int pl_wait_forwarding(pid_t child, void (*other)(pid_t pid, int status, void *arg),
		       void (*deliver)(pid_t child, int sig, void *arg), void *arg);

/* Set once pl_wait_forwarding() has passed on a SIGTERM or SIGINT: the
 * container was asked to stop (podlab stop, systemctl stop). */
extern bool pl_stop_requested;

/* Join namespaces of process `pid`: `types` is a mask of CLONE_NEWUSER,
 * CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWIPC and CLONE_NEWPID
 * (the user namespace is joined first, which makes the caller root there
 * and so allowed to join the others; the PID namespace is the one the
 * caller's children are born in).  Namespaces the caller is in already
 * are skipped.  -1 with errno set when one cannot be joined. */
int pl_join(pid_t pid, int types);

/* Find a program in $PATH (and the usual system directories). */
bool pl_find_program(const char *name, char *out, size_t len);

/* Shell form of a wait() status. */
int pl_exit_code(int wstatus);

#endif
