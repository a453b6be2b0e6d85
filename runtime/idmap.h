/* idmap.h - the id mapping of a user namespace, as data.
 *
 * A mapping is a list of extents "inside outside count": ids
 * inside..inside+count-1 in the container are host ids
 * outside..outside+count-1.  The kernel reads exactly this text from
 * /proc/PID/uid_map, one extent a line.  podlab's plan is podman's:
 *
 *     container 0          -> the caller's own uid       (1 id)
 *     container 1..65536   -> the caller's subuid ranges  (65536 ids)
 *
 * With no subuid range only the first line exists, and that single-id map
 * is something an unprivileged process may write itself (see userns.c).
 */
#ifndef PODLAB_IDMAP_H
#define PODLAB_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "errors.h"
#include "ids.h"

/* The kernel accepts at most 340 extents per map (Linux 4.15+). */
#define PL_IDMAP_MAX 340
/* How many ids podlab maps above root, as podman does by default. */
#define PL_IDMAP_WANT 65536UL

struct pl_extent {
	unsigned long inside, outside, count;
};

struct pl_idmap {
	struct pl_extent ext[PL_IDMAP_MAX];
	size_t n;
};

/* Build the mapping: container root is `self`, then the ranges in order
 * from container id 1 on, until `want` ids are mapped or the ranges run
 * out.  With no ranges the result is the single-id map. */
int pl_idmap_build(struct pl_idmap *map, unsigned long self, const struct pl_id_range *ranges, size_t n_ranges,
		   unsigned long want, pl_error **err);

/* True when the map can be written without newuidmap: only our own id. */
bool pl_idmap_is_single(const struct pl_idmap *map);

/* Number of ids mapped. */
unsigned long pl_idmap_total(const struct pl_idmap *map);

/* Text for /proc/PID/uid_map: "0 1000 1\n1 100000 65536\n". */
int pl_idmap_format(const struct pl_idmap *map, char *buf, size_t len);

/* Parse that text back (used to read /proc/PID/uid_map). */
int pl_idmap_parse(const char *text, struct pl_idmap *map, pl_error **err);

/* Arguments for newuidmap/newgidmap: "PID inside outside count ...".
 * Fills argv (NULL-terminated) with pointers into `storage`. */
int pl_idmap_helper_argv(const struct pl_idmap *map, const char *helper, pid_t pid, char *storage,
			 size_t storage_len, char **argv, size_t argv_len, pl_error **err);

/* Translate ids through the map; return false when the id is unmapped
 * (the kernel then shows the overflow id 65534, "nobody"). */
bool pl_idmap_to_host(const struct pl_idmap *map, unsigned long inside, unsigned long *outside);
bool pl_idmap_to_container(const struct pl_idmap *map, unsigned long outside, unsigned long *inside);

#endif
