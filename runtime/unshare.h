/* unshare.h - run a function as root of a fresh user namespace.
 *
 * Files a container creates as its uid 1, 33 or 65534 belong, on the host,
 * to your subordinate ids: you cannot chown, read-protect-override or even
 * delete some of them as yourself.  Inside a user namespace with the same
 * maps as the container you are root over exactly those ids.  podman
 * calls this `podman unshare`; podlab uses it to unpack image layers with
 * their real owners and to delete containers' files.
 */
#ifndef PODLAB_UNSHARE_H
#define PODLAB_UNSHARE_H

#include "errors.h"

/* Run fn(arg, err) in a child process that is root (uid 0) in a new user
 * and mount namespace with the caller's full id maps.  Returns what fn
 * returned (0 or -1; the child's error is carried back in err). */
int pl_in_userns(int (*fn)(void *arg, pl_error **err), void *arg, pl_error **err);

/* Run a command that way (podlab unshare), with its exit status in *code. */
int pl_unshare_exec(char **argv, int *code, pl_error **err);

#endif
