/* test_errors.c - the error type: context, and crossing a pipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

static void wrap_and_print(void **state)
{
	(void)state;
	pl_error *err = NULL;
	assert_int_equal(pl_fail(&err, ENOENT, "cannot open %s", "/x"), -1);
	pl_fix(&err, "create it");
	pl_wrap(&err, "starting the container");
	/* A second failure does not replace the first. */
	pl_fail(&err, EPERM, "later failure");
	assert_string_equal(err->what, "starting the container: cannot open /x");
	assert_int_equal(err->errnum, ENOENT);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	pl_error_print(err, out, "podlab");
	fclose(out);
	assert_non_null(strstr(text, "podlab: error: starting the container: cannot open /x\n"));
	assert_non_null(strstr(text, "why: No such file or directory"));
	assert_non_null(strstr(text, "fix: create it"));
	free(text);
	pl_error_free(&err);
	assert_null(err);
}

static void pack_unpack(void **state)
{
	(void)state;
	pl_error *err = NULL, *back = NULL;
	pl_fail(&err, EACCES, "cannot run 'x'");
	pl_why(&err, "no permission");
	pl_fix(&err, "chmod +x x");
	char buf[512];
	size_t n = pl_error_pack(err, buf, sizeof buf);
	pl_error_unpack(&back, buf, n);
	assert_int_equal(back->errnum, EACCES);
	assert_string_equal(back->what, "cannot run 'x'");
	assert_string_equal(back->why, "no permission");
	assert_string_equal(back->fix, "chmod +x x");
	pl_error_free(&back);
	/* Cut short anywhere, it still yields a valid error. */
	for (size_t cut = 0; cut < n; cut++) {
		pl_error_unpack(&back, buf, cut);
		assert_non_null(back->what);
		pl_error_free(&back);
	}
	pl_error_free(&err);
}

static void todo_names_the_hole(void **state)
{
	(void)state;
	pl_error *err = NULL;
	assert_int_equal(pl_todo(&err, "01", "build-map"), -1);
	assert_non_null(strstr(err->what, "build-map"));
	assert_non_null(strstr(err->fix, "labs/01"));
	pl_error_free(&err);
	/* A NULL error pointer is allowed: the caller does not want details. */
	assert_int_equal(pl_fail(NULL, 0, "ignored"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrap_and_print),
		cmocka_unit_test(pack_unpack),
		cmocka_unit_test(todo_names_the_hole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
