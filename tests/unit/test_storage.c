/* test_storage.c - stage 03's pure parts: archive member names, whiteout
 * spellings, overlay options (layer order), store paths and names,
 * digests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "driver.h"
#include "layer.h"
#include "storage.h"

static void member_names(void **state)
{
	(void)state;
	char out[256];
	const char *ok[][2] = { { "./etc/passwd", "etc/passwd" }, { "etc//hosts", "etc/hosts" }, { "./", "" },
				{ "a/./b/", "a/b" },             { "..foo/bar", "..foo/bar" },   { "x..", "x.." } };
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		assert_int_equal(pl_layer_clean_name(ok[i][0], out, sizeof out, NULL), 0);
		assert_string_equal(out, ok[i][1]);
	}
	const char *bad[] = { "../etc", "a/../../b", "/etc/passwd", "a/..", ".." };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pl_error *err = NULL;
		assert_int_equal(pl_layer_clean_name(bad[i], out, sizeof out, &err), -1);
		assert_non_null(err->why);
		pl_error_free(&err);
	}
}

static void whiteouts(void **state)
{
	(void)state;
	char t[256];
	assert_int_equal(pl_layer_whiteout("etc/.wh.motd", t, sizeof t), PL_WH_FILE);
	assert_string_equal(t, "etc/motd");
	assert_int_equal(pl_layer_whiteout(".wh.top", t, sizeof t), PL_WH_FILE);
	assert_string_equal(t, "top");
	assert_int_equal(pl_layer_whiteout("var/cache/.wh..wh..opq", t, sizeof t), PL_WH_OPAQUE);
	assert_string_equal(t, "var/cache");
	assert_int_equal(pl_layer_whiteout(".wh..wh..opq", t, sizeof t), PL_WH_OPAQUE);
	assert_string_equal(t, "");
	/* Not whiteouts: the prefix alone, or in a directory's name. */
	assert_int_equal(pl_layer_whiteout("etc/.wh.", t, sizeof t), PL_WH_NONE);
	assert_int_equal(pl_layer_whiteout(".wh.dir/file", t, sizeof t), PL_WH_NONE);
	assert_int_equal(pl_layer_whiteout("etc/what.wh.x", t, sizeof t), PL_WH_NONE);
}

static void overlay_options_order(void **state)
{
	(void)state;
	char *lower[] = { "/s/layers/bottom", "/s/layers/middle", "/s/layers/top" };
	char out[512];
	assert_int_equal(pl_overlay_options(lower, 3, "/c/upper", "/c/work", PL_DRIVER_OVERLAY, out, sizeof out, NULL), 0);
	/* overlayfs reads lowerdir left to right as top to bottom. */
	assert_string_equal(out, "lowerdir=/s/layers/top:/s/layers/middle:/s/layers/bottom,upperdir=/c/upper,"
				 "workdir=/c/work,userxattr");
	assert_int_equal(pl_overlay_options(lower, 1, "/u", "/w", PL_DRIVER_FUSE, out, sizeof out, NULL), 0);
	assert_string_equal(out, "lowerdir=/s/layers/bottom,upperdir=/u,workdir=/w");
	/* Too long is an error, never a silently cut option string. */
	pl_error *err = NULL;
	assert_int_equal(pl_overlay_options(lower, 3, "/c/upper", "/c/work", PL_DRIVER_OVERLAY, out, 40, &err), -1);
	assert_non_null(err);
	pl_error_free(&err);
}

static void drivers(void **state)
{
	(void)state;
	enum pl_driver d;
	assert_int_equal(pl_driver_parse("fuse-overlayfs", &d, NULL), 0);
	assert_int_equal(d, PL_DRIVER_FUSE);
	assert_string_equal(pl_driver_name(PL_DRIVER_VFS), "vfs");
	pl_error *err = NULL;
	assert_int_equal(pl_driver_parse("btrfs", &d, &err), -1);
	assert_non_null(strstr(err->fix, "podlab info"));
	pl_error_free(&err);
}

static void store_root(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(pl_storage_root("/x/data", "/home/a", out, sizeof out, NULL), 0);
	assert_string_equal(out, "/x/data/podlab");
	/* A relative XDG_DATA_HOME is ignored, as the XDG spec says. */
	assert_int_equal(pl_storage_root("rel", "/home/a", out, sizeof out, NULL), 0);
	assert_string_equal(out, "/home/a/.local/share/podlab");
	assert_int_equal(pl_storage_root(NULL, "/home/a", out, sizeof out, NULL), 0);
	assert_string_equal(out, "/home/a/.local/share/podlab");
	pl_error *err = NULL;
	assert_int_equal(pl_storage_root(NULL, NULL, out, sizeof out, &err), -1);
	pl_error_free(&err);
}

static void names(void **state)
{
	(void)state;
	assert_true(pl_valid_name("busybox"));
	assert_true(pl_valid_name("localhost/web:1.0"));
	assert_false(pl_valid_name("Busybox"));
	assert_false(pl_valid_name("-x"));
	assert_false(pl_valid_name("a..b"));
	assert_false(pl_valid_name("a b"));
	assert_false(pl_valid_name(""));
}

static void digests(void **state)
{
	(void)state;
	char hex[65];
	assert_true(pl_digest_parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex));
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_false(pl_digest_parse("sha256:E3B0", hex));
	assert_false(pl_digest_parse("md5:d41d8cd98f00b204e9800998ecf8427e", hex));
	assert_false(pl_digest_parse(NULL, hex));
	/* The SHA-256 of nothing is well known. */
	char path[] = "/tmp/podlab-test-empty.XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	assert_int_equal(pl_sha256_file(path, hex, NULL), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(member_names), cmocka_unit_test(whiteouts), cmocka_unit_test(overlay_options_order),
		cmocka_unit_test(drivers),      cmocka_unit_test(store_root), cmocka_unit_test(names),
		cmocka_unit_test(digests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
