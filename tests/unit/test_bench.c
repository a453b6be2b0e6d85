/* test_bench.c - what `podlab bench net` computes from what it measured:
 * iperf3's JSON report read right, medians, and a chart that is valid
 * SVG with honest bars. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chart.h"
#include "iperf.h"

static void iperf_report(void **state)
{
	(void)state;
	/* The shape of `iperf3 -c ... -J`, cut to what matters: the sender's
	 * rate differs on purpose, and the receiver's is the one to take. */
	const char *json = "{\"start\": {}, \"intervals\": [], \"end\": {"
			   "\"sum_sent\": {\"bits_per_second\": 9.9e9},"
			   "\"sum_received\": {\"bits_per_second\": 5.25e9, \"bytes\": 1}}}";
	double bps = 0;
	assert_int_equal(pl_iperf_parse(json, &bps, NULL), 0);
	assert_true(bps == 5.25e9);
}

static void iperf_errors(void **state)
{
	(void)state;
	double bps = -1;
	pl_error *err = NULL;
	assert_int_equal(pl_iperf_parse("{\"start\": {}, \"error\": \"unable to connect to server: Connection refused\"}",
					&bps, &err),
			 -1);
	assert_non_null(strstr(err->what, "Connection refused"));
	pl_error_free(&err);
	assert_int_equal(pl_iperf_parse("{\"end\": {\"sum_sent\": {}}}", &bps, &err), -1);
	assert_non_null(strstr(err->what, "sum_received"));
	pl_error_free(&err);
	assert_int_equal(pl_iperf_parse("iperf3: error - the server is busy", &bps, &err), -1);
	assert_non_null(strstr(err->what, "no JSON"));
	pl_error_free(&err);
	assert_true(bps == -1); /* never touched on failure */
	/* "busy" is told apart (EBUSY) so the client can ask again; other
	 * errors are final. */
	assert_int_equal(pl_iperf_parse("{\"error\": \"the server is busy running a test. try again later\"}", &bps, &err),
			 -1);
	assert_int_equal(err->errnum, EBUSY);
	pl_error_free(&err);
	assert_int_equal(pl_iperf_parse("{\"error\": \"unable to connect to server\"}", &bps, &err), -1);
	assert_int_equal(err->errnum, 0);
	pl_error_free(&err);
}

/* A stand-in iperf3 first in PATH: "busy" twice, then a report.  The
 * client must wait through the busy answers, and give up on any other
 * error at once. */
static void fake_iperf3(const char *dir, const char *body)
{
	char path[512];
	snprintf(path, sizeof path, "%s/iperf3", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

static void iperf_busy_retry(void **state)
{
	(void)state;
	char dir[] = "/tmp/podlab-iperf.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[4096], count[600];
	snprintf(path, sizeof path, "%s:%s", dir, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	cleanup_free char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	setenv("PATH", path, 1);
	snprintf(count, sizeof count, "%s/calls", dir);

	char body[1200];
	snprintf(body, sizeof body,
		 "echo x >> %s\n"
		 "if [ $(wc -l < %s) -le 2 ]; then echo '{\"error\": \"the server is busy running a test. try again later\"}'\n"
		 "else echo '{\"end\": {\"sum_received\": {\"bits_per_second\": 2e9}}}'; fi",
		 count, count);
	fake_iperf3(dir, body);
	double bps = 0;
	pl_error *err = NULL;
	assert_int_equal(pl_iperf_client("127.0.0.1", 9, 1, false, &bps, &err), 0);
	assert_true(bps == 2e9);
	struct stat st;
	assert_int_equal(stat(count, &st), 0);
	assert_int_equal(st.st_size, 6); /* three calls: busy, busy, report */

	unlink(count);
	snprintf(body, sizeof body, "echo x >> %s; echo '{\"error\": \"unable to connect to server: Connection refused\"}'",
		 count);
	fake_iperf3(dir, body);
	assert_int_equal(pl_iperf_client("127.0.0.1", 9, 1, false, &bps, &err), -1);
	assert_non_null(strstr(err->what, "Connection refused"));
	pl_error_free(&err);
	assert_int_equal(stat(count, &st), 0);
	assert_int_equal(st.st_size, 2); /* one call, no retry */

	if (old != NULL)
		setenv("PATH", old, 1);
	char rm[700];
	snprintf(rm, sizeof rm, "rm -rf %s", dir);
	assert_int_equal(system(rm), 0);
}

static void medians(void **state)
{
	(void)state;
	double odd[] = { 7, 1, 5 };
	assert_true(pl_median(odd, 3) == 5);
	double even[] = { 4, 10, 2, 8 };
	assert_true(pl_median(even, 4) == 6);
	double one[] = { 3.5 };
	assert_true(pl_median(one, 1) == 3.5);
}

static char *render(const struct pl_chart *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pl_chart_svg(c, f), 0);
	fclose(f);
	return buf;
}

static int count(const char *s, const char *what)
{
	int n = 0;
	for (; (s = strstr(s, what)) != NULL; s++)
		n++;
	return n;
}

/* The width of the n-th bar. */
static double bar_width(const char *svg, int n)
{
	const char *p = svg;
	for (int i = 0; i <= n; i++) {
		p = strstr(p + 1, "<rect class=\"bar\"");
		assert_non_null(p);
	}
	const char *w = strstr(p, "width=\"");
	return strtod(w + 7, NULL);
}

static void chart(void **state)
{
	(void)state;
	const char *rows[] = { "loopback", "a <b> & \"c\"" };
	double values[] = { 20, 10, 5, -1 };
	struct pl_chart c = { .title = "t", .unit = "Gbit/s", .n_series = 2, .series = { "in", "out" },
			      .n_rows = 2, .rows = rows, .values = values };
	char *svg = render(&c);
	assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_non_null(strstr(svg, "</svg>\n"));
	/* Labels are escaped, never markup. */
	assert_non_null(strstr(svg, "a &lt;b&gt; &amp; &quot;c&quot;"));
	assert_null(strstr(svg, "<b>"));
	/* Three bars: the missing value is said, not drawn as zero. */
	assert_int_equal(count(svg, "<rect class=\"bar\""), 3);
	assert_int_equal(count(svg, "not measured"), 1);
	/* Bars are proportional: 20 is twice 10 and four times 5. */
	double w20 = bar_width(svg, 0), w10 = bar_width(svg, 1), w5 = bar_width(svg, 2);
	assert_true(w20 > 0 && w20 <= 460);
	assert_true(w20 > 1.99 * w10 && w20 < 2.01 * w10);
	assert_true(w10 > 1.99 * w5 && w10 < 2.01 * w5);
	/* Grid on round numbers: 0 5 10 15 20 for a maximum of 20. */
	assert_non_null(strstr(svg, ">20</text>"));
	assert_non_null(strstr(svg, ">15</text>"));
	free(svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iperf_report),
		cmocka_unit_test(iperf_errors),
		cmocka_unit_test(iperf_busy_retry),
		cmocka_unit_test(medians),
		cmocka_unit_test(chart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
