/* Lab 01 starter: idmap.c, generated from runtime/idmap.c by 'make labs'.
 * Fill in every part marked 'LAB 01 TODO', then build and check:
 *     make lab LAB=labs/01-userns && build/podlab-check labs/01-userns
 */
/* idmap.c - building, printing and reading id maps. */
#include "idmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool extents_overlap(unsigned long a, unsigned long an, unsigned long b, unsigned long bn)
{
	return a < b + bn && b < a + an;
}

int pl_idmap_build(struct pl_idmap *map, unsigned long self, const struct pl_id_range *ranges, size_t n_ranges,
		   unsigned long want, pl_error **err)
{
	memset(map, 0, sizeof *map);
	/* LAB 01 TODO build-map: fill `map` with the extents to write.
	 * First container root -> `self` (one id).  Then, starting at
	 * container id 1, take host ids from `ranges` in order until `want`
	 * ids are mapped or the ranges are used up; the last range may be
	 * used only in part.  The kernel rejects a map whose host ids
	 * overlap, so a range that contains `self` is an error for the user
	 * to fix. */
	return pl_todo(err, "01", "build-map");
}

bool pl_idmap_is_single(const struct pl_idmap *map)
{
	return map->n == 1 && map->ext[0].count == 1;
}

unsigned long pl_idmap_total(const struct pl_idmap *map)
{
	unsigned long total = 0;
	for (size_t i = 0; i < map->n; i++)
		total += map->ext[i].count;
	return total;
}

int pl_idmap_format(const struct pl_idmap *map, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < map->n; i++) {
		int n = snprintf(buf + used, len - used, "%lu %lu %lu\n", map->ext[i].inside, map->ext[i].outside,
				 map->ext[i].count);
		if (n < 0 || (size_t)n >= len - used)
			return -1;
		used += (size_t)n;
	}
	return (int)used;
}

int pl_idmap_parse(const char *text, struct pl_idmap *map, pl_error **err)
{
	memset(map, 0, sizeof *map);
	const char *p = text;
	while (*p != '\0') {
		unsigned long a, b, c;
		int used = 0;
		if (sscanf(p, " %lu %lu %lu%n", &a, &b, &c, &used) != 3) {
			/* Trailing white space is fine; anything else is not. */
			while (*p == ' ' || *p == '\n' || *p == '\t')
				p++;
			if (*p == '\0')
				break;
			return pl_fail(err, EINVAL, "malformed id map line: '%.40s'", p);
		}
		if (map->n == PL_IDMAP_MAX)
			return pl_fail(err, E2BIG, "id map has more than %d lines", PL_IDMAP_MAX);
		map->ext[map->n++] = (struct pl_extent){ a, b, c };
		p += used;
	}
	return 0;
}

int pl_idmap_helper_argv(const struct pl_idmap *map, const char *helper, pid_t pid, char *storage,
			 size_t storage_len, char **argv, size_t argv_len, pl_error **err)
{
	size_t argc = 0, used = 0;
	/* Each value is copied into `storage` and argv points at the copy. */
#define PUSH(...)                                                                               \
	do {                                                                                    \
		int n_ = snprintf(storage + used, storage_len - used, __VA_ARGS__);             \
		if (n_ < 0 || (size_t)n_ >= storage_len - used || argc + 2 > argv_len)          \
			return pl_fail(err, E2BIG, "too many id map entries for %s", helper); \
		argv[argc++] = storage + used;                                                  \
		used += (size_t)n_ + 1;                                                         \
	} while (0)
	PUSH("%s", helper);
	PUSH("%d", (int)pid);
	for (size_t i = 0; i < map->n; i++) {
		PUSH("%lu", map->ext[i].inside);
		PUSH("%lu", map->ext[i].outside);
		PUSH("%lu", map->ext[i].count);
	}
#undef PUSH
	argv[argc] = NULL;
	return (int)argc;
}

bool pl_idmap_to_host(const struct pl_idmap *map, unsigned long inside, unsigned long *outside)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct pl_extent *e = &map->ext[i];
		if (inside >= e->inside && inside - e->inside < e->count) {
			*outside = e->outside + (inside - e->inside);
			return true;
		}
	}
	return false;
}

bool pl_idmap_to_container(const struct pl_idmap *map, unsigned long outside, unsigned long *inside)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct pl_extent *e = &map->ext[i];
		if (outside >= e->outside && outside - e->outside < e->count) {
			*inside = e->inside + (outside - e->outside);
			return true;
		}
	}
	return false;
}
