/* ids.c - reading and judging /etc/subuid and /etc/subgid. */
#include "ids.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse a decimal number that must use the whole field.  strtoul alone
 * would accept "12abc", " 12" and "-1" (which wraps to a huge value). */
static bool parse_ulong(const char *s, unsigned long *out)
{
	if (*s == '\0' || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	char *end = NULL;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

static void add_bad(struct pl_subid_file *f, int line, const char *reason)
{
	struct pl_subid_bad *b = realloc(f->bad, (f->n_bad + 1) * sizeof *b);
	if (b == NULL)
		abort();
	f->bad = b;
	b[f->n_bad].line = line;
	snprintf(b[f->n_bad].reason, sizeof b[f->n_bad].reason, "%s", reason);
	f->n_bad++;
}

/* Judge one line; returns false (and records why) when it is unusable. */
static bool parse_line(struct pl_subid_file *f, char *s, int line, struct pl_subid_entry *e)
{
	char *start = strchr(s, ':');
	char *count = start ? strchr(start + 1, ':') : NULL;
	if (count == NULL) {
		add_bad(f, line, "expected three fields owner:start:count");
		return false;
	}
	*start++ = '\0';
	*count++ = '\0';
	if (strchr(count, ':') != NULL) {
		add_bad(f, line, "too many fields (expected owner:start:count)");
		return false;
	}
	if (s[0] == '\0') {
		add_bad(f, line, "owner is empty");
		return false;
	}
	if (strlen(s) >= sizeof e->owner) {
		add_bad(f, line, "owner name is too long");
		return false;
	}
	if (!parse_ulong(start, &e->start)) {
		add_bad(f, line, "start is not a number");
		return false;
	}
	if (!parse_ulong(count, &e->count) || e->count == 0) {
		add_bad(f, line, "count is not a positive number");
		return false;
	}
	/* Ids are 32-bit and (uid_t)-1 means "no id": a range may not reach it. */
	if (e->start > 4294967294UL || e->count > 4294967295UL - e->start) {
		add_bad(f, line, "range runs past the largest id 4294967294");
		return false;
	}
	snprintf(e->owner, sizeof e->owner, "%s", s);
	e->line = line;
	return true;
}

int pl_subid_parse(const char *text, const char *path, struct pl_subid_file *f, pl_error **err)
{
	memset(f, 0, sizeof *f);
	f->path = path;
	cleanup_free char *copy = strdup(text);
	if (copy == NULL)
		return pl_fail(err, ENOMEM, "cannot parse %s", path);
	int line = 0;
	for (char *s = copy, *next; s != NULL; s = next) {
		line++;
		next = strchr(s, '\n');
		if (next != NULL)
			*next++ = '\0';
		while (isspace((unsigned char)*s))
			s++;
		size_t len = strlen(s);
		while (len > 0 && isspace((unsigned char)s[len - 1]))
			s[--len] = '\0';
		if (len == 0 || s[0] == '#')
			continue;
		struct pl_subid_entry e;
		if (!parse_line(f, s, line, &e))
			continue;
		struct pl_subid_entry *grown = realloc(f->entries, (f->n_entries + 1) * sizeof *grown);
		if (grown == NULL)
			return pl_fail(err, ENOMEM, "cannot parse %s", path);
		f->entries = grown;
		f->entries[f->n_entries++] = e;
	}
	return 0;
}

int pl_subid_load(const char *path, struct pl_subid_file *f, pl_error **err)
{
	cleanup_fclose FILE *in = fopen(path, "re");
	if (in == NULL) {
		if (errno == ENOENT)
			return pl_subid_parse("", path, f, err);
		pl_fail(err, errno, "cannot read %s", path);
		return pl_fix(err, "check that %s is readable by everyone (mode 0644)", path);
	}
	cleanup_free char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);
	if (mem == NULL)
		return pl_fail(err, errno, "cannot read %s", path);
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, got, mem);
	fclose(mem);
	return pl_subid_parse(text ? text : "", path, f, err);
}

void pl_subid_free(struct pl_subid_file *f)
{
	free(f->entries);
	free(f->bad);
	memset(f, 0, sizeof *f);
}

bool pl_subid_owned_by(const struct pl_subid_entry *e, const char *user, uid_t uid)
{
	/* LAB 01 BEGIN owned-by: does this /etc/subuid line belong to the user?
	 * The owner field is either the user's name or the user's uid written
	 * as a number, and shadow's newuidmap accepts both.  Careful: a name
	 * that merely starts with digits ("1001x") is not the uid 1001. */
	if (user != NULL && strcmp(e->owner, user) == 0)
		return true;
	unsigned long n;
	return parse_ulong(e->owner, &n) && n == (unsigned long)uid;
	/* LAB 01 END owned-by: return false; */
}

int pl_subid_find(const struct pl_subid_file *f, const char *user, uid_t uid, struct pl_id_range *out,
		  size_t max, pl_error **err)
{
	(void)err;
	size_t found = 0;
	for (size_t i = 0; i < f->n_entries && found < max; i++) {
		if (!pl_subid_owned_by(&f->entries[i], user, uid))
			continue;
		out[found].start = f->entries[i].start;
		out[found].count = f->entries[i].count;
		found++;
	}
	return (int)found;
}

unsigned long pl_subid_free_block(const struct pl_subid_file *f, unsigned long count)
{
	for (unsigned long start = 100000;; start += 65536) {
		bool clash = false;
		for (size_t i = 0; i < f->n_entries && !clash; i++)
			clash = f->entries[i].start < start + count && start < f->entries[i].start + f->entries[i].count;
		if (!clash)
			return start;
	}
}

unsigned long pl_id_ranges_total(const struct pl_id_range *r, size_t n)
{
	unsigned long total = 0;
	for (size_t i = 0; i < n; i++)
		total += r[i].count;
	return total;
}

static bool overlap(unsigned long a0, unsigned long an, unsigned long b0, unsigned long bn, unsigned long *first,
		    unsigned long *last)
{
	unsigned long lo = a0 > b0 ? a0 : b0;
	unsigned long hi_a = a0 + an - 1, hi_b = b0 + bn - 1;
	unsigned long hi = hi_a < hi_b ? hi_a : hi_b;
	if (lo > hi)
		return false;
	*first = lo;
	*last = hi;
	return true;
}

size_t pl_subid_conflicts(const struct pl_subid_file *f, const char *user, uid_t uid,
			  const uid_t *accounts, const char *const *account_names, size_t n_accounts,
			  struct pl_subid_conflict *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n_entries; i++) {
		const struct pl_subid_entry *mine = &f->entries[i];
		if (!pl_subid_owned_by(mine, user, uid))
			continue;
		/* Against every line of another owner. */
		for (size_t j = 0; j < f->n_entries && n < max; j++) {
			const struct pl_subid_entry *other = &f->entries[j];
			if (j == i || pl_subid_owned_by(other, user, uid))
				continue;
			unsigned long a, b;
			if (!overlap(mine->start, mine->count, other->start, other->count, &a, &b))
				continue;
			out[n] = (struct pl_subid_conflict){ .line = mine->line, .other_line = other->line, .first = a,
							     .last = b };
			snprintf(out[n].other, sizeof out[n].other, "%s", other->owner);
			n++;
		}
		/* Against real accounts: a container id that is also a host
		 * account would let the container own that account's files. */
		for (size_t k = 0; k < n_accounts && n < max; k++) {
			unsigned long a, b;
			if (!overlap(mine->start, mine->count, accounts[k], 1, &a, &b))
				continue;
			out[n] = (struct pl_subid_conflict){ .line = mine->line, .other_line = 0, .first = a, .last = b };
			snprintf(out[n].other, sizeof out[n].other, "%s", account_names ? account_names[k] : "?");
			n++;
		}
	}
	return n;
}
