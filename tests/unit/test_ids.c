/* test_ids.c - /etc/subuid parsing and judging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ids.h"

static void parse(const char *text, struct pl_subid_file *f)
{
	pl_error *err = NULL;
	assert_int_equal(pl_subid_parse(text, "/etc/subuid", f, &err), 0);
	assert_null(err);
}

static void valid_lines(void **state)
{
	(void)state;
	struct pl_subid_file f;
	parse("alice:100000:65536\n# a comment\n\n  bob:165536:65536  \n1003:231072:65536", &f);
	assert_int_equal(f.n_entries, 3);
	assert_int_equal(f.n_bad, 0);
	assert_string_equal(f.entries[0].owner, "alice");
	assert_int_equal(f.entries[0].start, 100000);
	assert_int_equal(f.entries[0].count, 65536);
	assert_int_equal(f.entries[0].line, 1);
	assert_string_equal(f.entries[1].owner, "bob");
	assert_int_equal(f.entries[1].line, 4);
	assert_string_equal(f.entries[2].owner, "1003");
	assert_int_equal(f.entries[2].line, 5);
	pl_subid_free(&f);
}

static void malformed_lines(void **state)
{
	(void)state;
	struct pl_subid_file f;
	parse("alice:100000\n"                /* 1: two fields */
	      "bob:1:2:3\n"                   /* 2: four fields */
	      ":100000:65536\n"               /* 3: no owner */
	      "carol:abc:65536\n"             /* 4: start not a number */
	      "dave:100000:0\n"               /* 5: empty range */
	      "erin:-1:65536\n"               /* 6: negative */
	      "frank:100000:65536x\n"         /* 7: trailing junk */
	      "gina:4294967290:100\n"         /* 8: past the top */
	      "hank:200000:65536\n",          /* 9: fine */
	      &f);
	assert_int_equal(f.n_entries, 1);
	assert_string_equal(f.entries[0].owner, "hank");
	assert_int_equal(f.n_bad, 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(f.bad[i].line, i + 1);
	assert_non_null(strstr(f.bad[0].reason, "three fields"));
	assert_non_null(strstr(f.bad[1].reason, "too many"));
	assert_non_null(strstr(f.bad[4].reason, "positive"));
	assert_non_null(strstr(f.bad[7].reason, "largest id"));
	pl_subid_free(&f);
}

static void owner_by_name_or_number(void **state)
{
	(void)state;
	struct pl_subid_file f;
	parse("alice:100000:65536\n1001:300000:1000\n1001x:400000:10\nalicia:500000:10\n", &f);
	struct pl_id_range r[8];
	/* alice is uid 1001: her name line and her numeric line, in order. */
	int n = pl_subid_find(&f, "alice", 1001, r, 8, NULL);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].start, 100000);
	assert_int_equal(r[1].start, 300000);
	assert_int_equal(pl_id_ranges_total(r, 2), 66536);
	/* "1001x" is a name, not uid 1001; "alicia" is not "alice". */
	assert_false(pl_subid_owned_by(&f.entries[2], "alice", 1001));
	assert_false(pl_subid_owned_by(&f.entries[3], "alice", 1001));
	/* A user without a passwd name still matches by number. */
	assert_int_equal(pl_subid_find(&f, NULL, 1001, r, 8, NULL), 1);
	assert_int_equal(pl_subid_find(&f, "nobody-here", 4242, r, 8, NULL), 0);
	pl_subid_free(&f);
}

static void overlaps(void **state)
{
	(void)state;
	struct pl_subid_file f;
	parse("alice:100000:65536\nbob:165000:65536\ncarol:300000:65536\n", &f);
	uid_t accounts[] = { 0, 1001, 165535 };
	const char *names[] = { "root", "alice", "svc" };
	struct pl_subid_conflict c[8];
	size_t n = pl_subid_conflicts(&f, "alice", 1001, accounts, names, 3, c, 8);
	/* bob's block starts inside alice's (165000..165535), and the account
	 * svc (165535) lies in alice's block too. */
	assert_int_equal(n, 2);
	assert_int_equal(c[0].line, 1);
	assert_int_equal(c[0].other_line, 2);
	assert_string_equal(c[0].other, "bob");
	assert_int_equal(c[0].first, 165000);
	assert_int_equal(c[0].last, 165535);
	assert_int_equal(c[1].other_line, 0);
	assert_string_equal(c[1].other, "svc");
	assert_int_equal(c[1].first, 165535);
	/* carol overlaps no one. */
	assert_int_equal(pl_subid_conflicts(&f, "carol", 1003, accounts, names, 3, c, 8), 0);
	pl_subid_free(&f);
}

static void missing_file_is_empty(void **state)
{
	(void)state;
	struct pl_subid_file f;
	pl_error *err = NULL;
	assert_int_equal(pl_subid_load("/nonexistent/subuid", &f, &err), 0);
	assert_int_equal(f.n_entries, 0);
	pl_subid_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_lines),
		cmocka_unit_test(malformed_lines),
		cmocka_unit_test(owner_by_name_or_number),
		cmocka_unit_test(overlaps),
		cmocka_unit_test(missing_file_is_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
