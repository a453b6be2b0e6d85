/* ids.h - subordinate id ranges: /etc/subuid and /etc/subgid.
 *
 * An ordinary user owns exactly one uid.  To have more than one user inside
 * a container (root, daemon, www-data, ...) the administrator delegates a
 * block of otherwise unused host ids to the user, one line per block:
 *
 *     alice:100000:65536        owner:first-host-id:count
 *     1001:165536:65536         the owner may also be written as a uid
 *
 * The setuid helpers newuidmap/newgidmap read these files and refuse any
 * mapping that is not covered by them.  This module only reads and judges
 * the files; idmap.c turns a user's ranges into a mapping.
 */
#ifndef PODLAB_IDS_H
#define PODLAB_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "errors.h"

#define PL_SUBID_OWNER_MAX 64

/* One valid line of the file. */
struct pl_subid_entry {
	char owner[PL_SUBID_OWNER_MAX]; /* as written: a name or a number */
	unsigned long start;
	unsigned long count;
	int line;
};

/* One line that could not be used, and why. */
struct pl_subid_bad {
	int line;
	char reason[128];
};

struct pl_subid_file {
	const char *path;
	struct pl_subid_entry *entries;
	size_t n_entries;
	struct pl_subid_bad *bad;
	size_t n_bad;
};

/* A range of host ids delegated to one user. */
struct pl_id_range {
	unsigned long start;
	unsigned long count;
};

/* Parse the text of a subuid/subgid file.  Malformed lines do not make the
 * parse fail: they are listed in f->bad, because the setuid helpers also
 * skip them and `podlab doctor` should point at them. */
int pl_subid_parse(const char *text, const char *path, struct pl_subid_file *f, pl_error **err);

/* Read and parse a file.  A missing file is not an error: it parses as
 * empty (a fresh system may have none). */
int pl_subid_load(const char *path, struct pl_subid_file *f, pl_error **err);

void pl_subid_free(struct pl_subid_file *f);

/* Does this line belong to the user?  True when the owner field is the
 * user's name, or is a number equal to the user's uid. */
bool pl_subid_owned_by(const struct pl_subid_entry *e, const char *user, uid_t uid);

/* Collect the ranges that belong to the user, in file order.  Returns how
 * many were found (0 when the user has none) or -1 on error.  At most
 * `max` are stored. */
int pl_subid_find(const struct pl_subid_file *f, const char *user, uid_t uid, struct pl_id_range *out,
		  size_t max, pl_error **err);

/* Overlap checks, for `podlab doctor` and the week-11 suite.
 * A conflict is another owner's line that shares ids with one of the
 * user's ranges, or an id in the user's ranges that is a real account. */
struct pl_subid_conflict {
	int line;                       /* the user's line */
	int other_line;                 /* the other owner's line, or 0 */
	char other[PL_SUBID_OWNER_MAX]; /* other owner, or the account name */
	unsigned long first, last;      /* the shared ids */
};

size_t pl_subid_conflicts(const struct pl_subid_file *f, const char *user, uid_t uid,
			  const uid_t *accounts, const char *const *account_names, size_t n_accounts,
			  struct pl_subid_conflict *out, size_t max);

/* The first block of `count` ids, at or above 100000 and aligned as
 * useradd aligns them, that no line of the file uses: what to suggest to
 * a user who has none. */
unsigned long pl_subid_free_block(const struct pl_subid_file *f, unsigned long count);

/* Total number of ids in the ranges. */
unsigned long pl_id_ranges_total(const struct pl_id_range *r, size_t n);

#endif
