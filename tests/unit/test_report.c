/* test_report.c - the checker's pure parts: probe framing and the report
 * formats, which instructors' tools parse and so must be exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report.h"

static void probe_block_needs_the_nonce(void **state)
{
	(void)state;
	const char *out = "@@podlab-probe forged begin id\nuid=0\n@@podlab-probe forged end 0\n"
			  "noise\n@@podlab-probe n0nce begin id\nuid=1000\nmap=0 1 1\\n1 2 3\npath=C:\\\\dir\n"
			  "@@podlab-probe n0nce end 0\nuid=7\n";
	struct kv kv;
	kv_parse(out, "n0nce", &kv);
	assert_true(kv.found);
	assert_string_equal(kv_get(&kv, "uid"), "1000");
	assert_string_equal(kv_get(&kv, "map"), "0 1 1\n1 2 3");
	assert_string_equal(kv_get(&kv, "path"), "C:\\dir");
	assert_null(kv_get(&kv, "missing"));
	kv_free(&kv);
	/* Output that looks like the probe but lacks the nonce counts for nothing. */
	kv_parse("@@podlab-probe guess begin id\nuid=0\n", "n0nce", &kv);
	assert_false(kv.found);
	assert_int_equal(kv.n, 0);
	kv_parse(NULL, "n0nce", &kv);
	assert_false(kv.found);
}

static enum outcome dummy(struct check_ctx *c, struct check_result *r)
{
	(void)c, (void)r;
	return OUT_PASS;
}

static const struct check checks[] = {
	{ "01.a", "first <check> & \"quotes\"", 2, { NULL }, "", "", "hint a", dummy },
	{ "01.b", "second", 3, { NULL }, "", "", "hint b", dummy },
	{ "01.c", "third", 1, { "01.b" }, "", "", "hint c", dummy },
	{ "01.d", "fourth", 5, { NULL }, "", "", "hint d", dummy },
};

static struct report sample(struct check_result *res)
{
	static const struct check *ptrs[4] = { &checks[0], &checks[1], &checks[2], &checks[3] };
	memset(res, 0, 4 * sizeof *res);
	res[0].outcome = OUT_PASS;
	res[1].outcome = OUT_FAIL;
	snprintf(res[1].message, sizeof res[1].message, "expected 0, got \x01 1");
	snprintf(res[1].output, sizeof res[1].output, "line one\nline <two>\n");
	res[2].outcome = OUT_SKIP;
	snprintf(res[2].message, sizeof res[2].message, "not run: it needs 01.b");
	res[3].outcome = OUT_ENV;
	snprintf(res[3].message, sizeof res[3].message, "no user namespaces here");
	return (struct report){ .target = "labs/01-userns", .user = "alice", .seconds = 1.5, .checks = ptrs,
				.results = res, .n = 4, .done = 4 };
}

static char *render(const struct report *rep, const char *format)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(report_write(rep, format, out), 0);
	fclose(out);
	return text;
}

static void totals_leave_env_out(void **state)
{
	(void)state;
	struct check_result res[4];
	struct report rep = sample(res);
	struct totals t = report_totals(&rep);
	assert_int_equal(t.score, 2);
	assert_int_equal(t.max, 6); /* 2 + 3 + 1; the ENV check's 5 are not counted */
	assert_int_equal(t.env, 1);
	char *human = render(&rep, "human");
	assert_non_null(strstr(human, "Score: 2/6"));
	assert_non_null(strstr(human, "hint b"));
	free(human);
}

static void gradescope_json(void **state)
{
	(void)state;
	struct check_result res[4];
	struct report rep = sample(res);
	char *text = render(&rep, "gradescope");
	json_object *root = json_tokener_parse(text);
	assert_non_null(root);
	json_object *v, *tests;
	assert_true(json_object_object_get_ex(root, "score", &v));
	assert_int_equal(json_object_get_int(v), 2);
	assert_true(json_object_object_get_ex(root, "tests", &tests));
	assert_int_equal(json_object_array_length(tests), 4);
	json_object *t1 = json_object_array_get_idx(tests, 1);
	assert_true(json_object_object_get_ex(t1, "status", &v));
	assert_string_equal(json_object_get_string(v), "failed");
	assert_true(json_object_object_get_ex(t1, "max_score", &v));
	assert_int_equal(json_object_get_int(v), 3);
	const char *keys[] = { "name", "number", "score", "max_score", "output", "visibility" };
	for (size_t i = 0; i < 6; i++)
		assert_true(json_object_object_get_ex(t1, keys[i], &v));
	json_object *t3 = json_object_array_get_idx(tests, 3);
	assert_true(json_object_object_get_ex(t3, "max_score", &v));
	assert_int_equal(json_object_get_int(v), 0);
	json_object_put(root);
	free(text);
}

static void classroom_json(void **state)
{
	(void)state;
	struct check_result res[4];
	struct report rep = sample(res);
	char *text = render(&rep, "classroom");
	json_object *root = json_tokener_parse(text);
	assert_non_null(root);
	json_object *v, *tests;
	assert_true(json_object_object_get_ex(root, "version", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(root, "status", &v));
	assert_string_equal(json_object_get_string(v), "fail");
	assert_true(json_object_object_get_ex(root, "max_score", &v));
	assert_int_equal(json_object_get_int(v), 6);
	assert_true(json_object_object_get_ex(root, "tests", &tests));
	assert_int_equal(json_object_array_length(tests), 3); /* the ENV check is left out */
	json_object *t0 = json_object_array_get_idx(tests, 0);
	assert_true(json_object_object_get_ex(t0, "status", &v));
	assert_string_equal(json_object_get_string(v), "pass");
	assert_true(json_object_object_get_ex(t0, "score", &v));
	assert_int_equal(json_object_get_int(v), 2);
	json_object_put(root);
	free(text);
}

static void tap_and_junit(void **state)
{
	(void)state;
	struct check_result res[4];
	struct report rep = sample(res);
	char *tap = render(&rep, "tap");
	assert_non_null(strstr(tap, "TAP version 13\n1..4\n"));
	assert_non_null(strstr(tap, "ok 1 - 01.a"));
	assert_non_null(strstr(tap, "not ok 2 - 01.b"));
	assert_non_null(strstr(tap, "not ok 3 - 01.c"));
	assert_non_null(strstr(tap, "ok 4 - 01.d: fourth # SKIP environment: no user namespaces here"));
	free(tap);
	char *xml = render(&rep, "junit");
	assert_non_null(strstr(xml, "first &lt;check&gt; &amp; &quot;quotes&quot;"));
	assert_non_null(strstr(xml, "failures=\"2\""));
	assert_non_null(strstr(xml, "skipped=\"1\""));
	assert_null(strchr(xml, '\x01')); /* control characters are not valid XML */
	assert_non_null(strstr(xml, "line &lt;two&gt;"));
	free(xml);
	FILE *null = fopen("/dev/null", "w");
	assert_int_equal(report_write(&rep, "yaml", null), -1);
	fclose(null);
}

static void excerpt_keeps_head_and_tail(void **state)
{
	(void)state;
	char text[8192] = "";
	for (int i = 0; i < 100; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "line %d\n", i);
	char buf[4096];
	runner_excerpt(text, buf, sizeof buf);
	assert_non_null(strstr(buf, "line 0\n"));
	assert_non_null(strstr(buf, "line 11\n"));
	assert_null(strstr(buf, "line 12\n"));
	assert_non_null(strstr(buf, "[... 80 lines cut ...]"));
	assert_non_null(strstr(buf, "line 99\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_block_needs_the_nonce), cmocka_unit_test(totals_leave_env_out),
		cmocka_unit_test(gradescope_json),             cmocka_unit_test(classroom_json),
		cmocka_unit_test(tap_and_junit),               cmocka_unit_test(excerpt_keeps_head_and_tail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
