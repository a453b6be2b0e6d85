/* ctrstore.h - containers on disk: a record and a writable layer each.
 *
 *     containers/ID/config.json   id, name, image, driver, the image's layers
 *     containers/ID/upper/        what the container changed (overlay drivers)
 *     containers/ID/work/         overlayfs's scratch space
 *     containers/ID/merged/       where the merged view is mounted, inside
 *                                 the container's mount namespace only
 *     containers/ID/rootfs/       vfs: the container's full copy of the image
 *
 * A container outlives its process (podman's "Exited" state) until it is
 * removed, so its changes can be inspected with `podlab diff`.
 */
#ifndef PODLAB_CTRSTORE_H
#define PODLAB_CTRSTORE_H

#include <stdio.h>

#include "driver.h"
#include "image.h"
#include "ports.h"

struct pl_ctr {
	char id[65];
	char name[129];
	char image[129];
	enum pl_driver driver;
	size_t n_layers;
	char layers[PL_MAX_LAYERS][PL_DIGEST_HEX + 1];
	struct pl_port ports[PL_MAX_PORTS]; /* published with -p */
	size_t n_ports;
	long long created;                  /* Unix seconds */
	char command[1024]; /* the command, words joined by spaces: for ps */
	char pod[129];      /* the pod it belongs to (its name), or "" */
	char args[8192];   /* the `podlab run` arguments that made it, NUL-separated */
	size_t args_len;
	char dir[4200];    /* containers/ID */
	char rootfs[4300]; /* merged/ or rootfs/: what the container sees as / */
};

/* Create the record and the writable layer of a new container. */
int pl_ctr_create(const struct pl_storage *st, const struct pl_image *img, const char *name, enum pl_driver driver,
		  struct pl_ctr *c, pl_error **err);

/* Record the ports the container publishes (podlab port reads them). */
int pl_ctr_set_ports(struct pl_ctr *c, const struct pl_port *ports, size_t n, pl_error **err);

/* Record the arguments of the `podlab run` (or create) that made it:
 * `podlab start` parses them again, so a container restarts as it was
 * made (podman keeps its CreateCommand for the same reason). */
int pl_ctr_set_args(struct pl_ctr *c, int argc, char **argv, char *const *command, pl_error **err);

/* Those arguments as an argv (argv[0] is "run"); free *argv after. */
int pl_ctr_get_args(const struct pl_ctr *c, int *argc, char ***argv, pl_error **err);

/* Every container record, in no particular order; fn returns non-zero
 * to stop early. */
int pl_ctr_each(const struct pl_storage *st, int (*fn)(const struct pl_ctr *c, void *arg), void *arg,
		pl_error **err);

/* Find a container by name, full id, or a unique id prefix. */
int pl_ctr_find(const struct pl_storage *st, const char *ref, struct pl_ctr *c, pl_error **err);

/* Delete it: record, writable layer, everything. */
int pl_ctr_remove(const struct pl_storage *st, const struct pl_ctr *c, pl_error **err);

/* The overlay options for it (lower = its image's layers). */
int pl_ctr_overlay_options(const struct pl_storage *st, const struct pl_ctr *c, char *out, size_t len,
			   pl_error **err);

/* What it changed relative to its image, one line a path:
 * "A /new", "C /changed", "D /deleted", like `podman diff`. */
int pl_ctr_diff(const struct pl_storage *st, const struct pl_ctr *c, FILE *out, pl_error **err);

#endif
