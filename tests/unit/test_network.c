/* test_network.c - stage 04's pure parts: -p specs and --network options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "network.h"
#include "ports.h"

static void simple_ports(void **state)
{
	(void)state;
	struct pl_port p[8];
	assert_int_equal(pl_port_parse("8080:80", p, 8, NULL), 1);
	assert_string_equal(p[0].host_ip, "");
	assert_int_equal(p[0].host_port, 8080);
	assert_int_equal(p[0].ctr_port, 80);
	assert_false(p[0].udp);
	assert_int_equal(pl_port_parse("127.0.0.1:5353:53/udp", p, 8, NULL), 1);
	assert_string_equal(p[0].host_ip, "127.0.0.1");
	assert_true(p[0].udp);
	assert_int_equal(pl_port_parse("[::1]:8443:443/tcp", p, 8, NULL), 1);
	assert_string_equal(p[0].host_ip, "::1");
	assert_int_equal(p[0].host_port, 8443);
	char text[96];
	pl_port_format(&p[0], text, sizeof text);
	assert_string_equal(text, "[::1]:8443->443/tcp");
}

static void ranges(void **state)
{
	(void)state;
	struct pl_port p[8];
	assert_int_equal(pl_port_parse("8000-8002:80-82", p, 8, NULL), 3);
	assert_int_equal(p[2].host_port, 8002);
	assert_int_equal(p[2].ctr_port, 82);
	pl_error *err = NULL;
	assert_int_equal(pl_port_parse("8000-8003:80-82", p, 8, &err), -1);
	assert_non_null(strstr(err->what, "same") ? err->what : err->fix);
	pl_error_free(&err);
	assert_int_equal(pl_port_parse("1-100:1-100", p, 8, &err), -1); /* more than fits */
	pl_error_free(&err);
}

static void bad_ports(void **state)
{
	(void)state;
	struct pl_port p[8];
	const char *bad[] = { "80", "0:80", "8080:65536", "8080:80/sctp", "abc:80", "8080:", ":80", "1.2.3:8080:80",
			      "[::1:8080:80", "80-79:80-79", "8080:-80", "999999999999:80" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pl_error *err = NULL;
		if (pl_port_parse(bad[i], p, 8, &err) != -1)
			fail_msg("'%s' was accepted", bad[i]);
		assert_non_null(strstr(err->what, bad[i]) ? err->what : "names the spec");
		pl_error_free(&err);
	}
}

static void low_port_message(void **state)
{
	(void)state;
	struct pl_port p = { .host_port = 80, .ctr_port = 80 };
	pl_error *err = NULL;
	assert_int_equal(pl_port_check(&p, 1024, &err), -1);
	assert_non_null(strstr(err->what, "80"));
	assert_non_null(strstr(err->why, "ip_unprivileged_port_start is 1024"));
	assert_non_null(strstr(err->fix, "sysctl -w net.ipv4.ip_unprivileged_port_start=80"));
	assert_non_null(strstr(err->fix, ">= 1024"));
	pl_error_free(&err);
}

static void network_options(void **state)
{
	(void)state;
	struct pl_netopts o;
	assert_int_equal(pl_network_parse("slirp", &o, NULL), 0);
	assert_int_equal(o.mode, PL_NET_SLIRP);
	assert_false(o.allow_host_loopback);
	assert_int_equal(pl_network_parse("slirp:allow_host_loopback=true,port_handler=slirp", &o, NULL), 0);
	assert_true(o.allow_host_loopback);
	assert_true(o.slirp_port_handler);
	assert_int_equal(pl_network_parse("pasta", &o, NULL), 0);
	assert_int_equal(o.mode, PL_NET_PASTA);
	assert_string_equal(pl_network_name(PL_NET_SLIRP4NETNS), "slirp4netns");
	pl_error *err = NULL;
	assert_int_equal(pl_network_parse("bridge", &o, &err), -1);
	assert_non_null(strstr(err->fix, "slirp"));
	pl_error_free(&err);
	assert_int_equal(pl_network_parse("slirp:mtu=1500", &o, &err), -1);
	pl_error_free(&err);
	assert_int_equal(pl_network_parse("pasta:port_handler=slirp", &o, &err), -1); /* slirp only */
	pl_error_free(&err);
	assert_int_equal(pl_network_parse("none:allow_host_loopback=true", &o, &err), -1);
	pl_error_free(&err);
}

static void ports_need_a_network(void **state)
{
	(void)state;
	struct pl_netopts o = { .mode = PL_NET_HOST };
	struct pl_port p = { .host_port = 18080, .ctr_port = 80 };
	pl_error *err = NULL;
	assert_int_equal(pl_network_check(&o, &p, 1, &err), -1);
	assert_non_null(strstr(err->what, "host"));
	pl_error_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(simple_ports),     cmocka_unit_test(ranges),          cmocka_unit_test(bad_ports),
		cmocka_unit_test(low_port_message), cmocka_unit_test(network_options), cmocka_unit_test(ports_need_a_network),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
