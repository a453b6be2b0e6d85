/* caps.h - capabilities: how much of root container root keeps.
 *
 * In its own user namespace the container's root holds every capability
 * -- over the namespace's own resources.  That is already far less than
 * host root, but the kernel's attack surface behind those capabilities is
 * large, so, as podman does, podlab keeps only a short list a normal
 * service needs (changing file owners and modes, switching users,
 * binding low ports, chroot, kill) and removes the rest from the
 * *bounding set*, so no exec, setuid program or file capability can bring
 * them back.  no_new_privs then closes the setuid door for good.
 */
#ifndef PODLAB_CAPS_H
#define PODLAB_CAPS_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/* podman's default set, as a bit mask over capability numbers. */
uint64_t pl_caps_default(void);

/* "net_raw", "CAP_NET_RAW" or "ALL" (mask of every capability). */
int pl_caps_parse(const char *name, uint64_t *mask, pl_error **err);

/* The default set, plus --cap-add, minus --cap-drop (drops win). */
int pl_caps_resolve(const char *const *add, size_t n_add, const char *const *drop, size_t n_drop, uint64_t *mask,
		    pl_error **err);

/* Container side: keep exactly `mask`, trim the bounding set, clear the
 * inheritable and ambient sets, and set no_new_privs. */
int pl_caps_apply(uint64_t mask, pl_error **err);

/* A readable list, "CHOWN,KILL,...". */
void pl_caps_format(uint64_t mask, char *buf, size_t len);

#endif
