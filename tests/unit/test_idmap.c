/* test_idmap.c - building, formatting and reading id maps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "idmap.h"

static void full_range(void **state)
{
	(void)state;
	struct pl_id_range r[] = { { 100000, 65536 } };
	struct pl_idmap m;
	assert_int_equal(pl_idmap_build(&m, 1000, r, 1, PL_IDMAP_WANT, NULL), 0);
	char text[256];
	pl_idmap_format(&m, text, sizeof text);
	assert_string_equal(text, "0 1000 1\n1 100000 65536\n");
	assert_false(pl_idmap_is_single(&m));
	assert_int_equal(pl_idmap_total(&m), 65537);
}

static void several_ranges_capped(void **state)
{
	(void)state;
	/* Two small blocks then a big one: only 65536 ids above root. */
	struct pl_id_range r[] = { { 200000, 1000 }, { 300000, 536 }, { 400000, 100000 } };
	struct pl_idmap m;
	assert_int_equal(pl_idmap_build(&m, 1000, r, 3, PL_IDMAP_WANT, NULL), 0);
	char text[256];
	pl_idmap_format(&m, text, sizeof text);
	assert_string_equal(text, "0 1000 1\n1 200000 1000\n1001 300000 536\n1537 400000 64000\n");
	assert_int_equal(pl_idmap_total(&m), 65537);
}

static void single_without_ranges(void **state)
{
	(void)state;
	struct pl_idmap m;
	assert_int_equal(pl_idmap_build(&m, 1000, NULL, 0, PL_IDMAP_WANT, NULL), 0);
	assert_true(pl_idmap_is_single(&m));
	char text[64];
	pl_idmap_format(&m, text, sizeof text);
	assert_string_equal(text, "0 1000 1\n");
}

static void range_containing_self_is_refused(void **state)
{
	(void)state;
	struct pl_id_range r[] = { { 900, 200 } };
	struct pl_idmap m;
	pl_error *err = NULL;
	assert_int_equal(pl_idmap_build(&m, 1000, r, 1, PL_IDMAP_WANT, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err->what, "contains your own"));
	assert_non_null(err->fix);
	pl_error_free(&err);
}

static void helper_arguments(void **state)
{
	(void)state;
	struct pl_id_range r[] = { { 100000, 65536 } };
	struct pl_idmap m;
	pl_idmap_build(&m, 1000, r, 1, PL_IDMAP_WANT, NULL);
	char storage[256];
	char *argv[16];
	int argc = pl_idmap_helper_argv(&m, "newuidmap", 4242, storage, sizeof storage, argv, 16, NULL);
	assert_int_equal(argc, 8);
	const char *want[] = { "newuidmap", "4242", "0", "1000", "1", "1", "100000", "65536" };
	for (int i = 0; i < 8; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[8]);
	/* Too little room is an error, not an overflow. */
	assert_int_equal(pl_idmap_helper_argv(&m, "newuidmap", 4242, storage, 12, argv, 16, NULL), -1);
}

static void parse_and_translate(void **state)
{
	(void)state;
	struct pl_idmap m;
	assert_int_equal(pl_idmap_parse("         0       1000          1\n         1     100000      65536\n", &m, NULL),
			 0);
	assert_int_equal(m.n, 2);
	unsigned long out;
	assert_true(pl_idmap_to_host(&m, 0, &out));
	assert_int_equal(out, 1000);
	assert_true(pl_idmap_to_host(&m, 65536, &out));
	assert_int_equal(out, 165535);
	assert_false(pl_idmap_to_host(&m, 65537, &out));
	assert_true(pl_idmap_to_container(&m, 100000, &out));
	assert_int_equal(out, 1);
	assert_false(pl_idmap_to_container(&m, 999, &out));
	pl_error *err = NULL;
	assert_int_equal(pl_idmap_parse("0 1000\n", &m, &err), -1);
	pl_error_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_range),
		cmocka_unit_test(several_ranges_capped),
		cmocka_unit_test(single_without_ranges),
		cmocka_unit_test(range_containing_self_is_refused),
		cmocka_unit_test(helper_arguments),
		cmocka_unit_test(parse_and_translate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
