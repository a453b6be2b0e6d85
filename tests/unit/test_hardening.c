/* test_hardening.c - the pure parts of stages 02 and 07: volume specs,
 * the mask lists, capability names and sets, the seccomp deny list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <linux/capability.h>
#include <string.h>

#include "caps.h"
#include "masks.h"
#include "seccomp.h"
#include "volumes.h"

static void volume_specs(void **state)
{
	(void)state;
	struct pl_volume v;
	pl_error *err = NULL;
	assert_int_equal(pl_volume_parse("/srv/data:/data", &v, &err), 0);
	assert_string_equal(v.host, "/srv/data");
	assert_string_equal(v.container, "/data");
	assert_false(v.readonly);
	assert_int_equal(pl_volume_parse("./site:/var/www//html/:ro", &v, &err), 0);
	assert_string_equal(v.host, "./site");
	assert_string_equal(v.container, "/var/www/html");
	assert_true(v.readonly);
	assert_int_equal(pl_volume_parse("/a:/b/./c:rw", &v, &err), 0);
	assert_string_equal(v.container, "/b/c");
	assert_false(v.readonly);
}

static void bad_volume_specs(void **state)
{
	(void)state;
	struct pl_volume v;
	const char *bad[] = { "/srv/data", ":/data", "/srv:", "/srv:data", "/srv:/a/../../etc", "/srv:/", "/srv:/d:rx" };
	const char *word[] = { "HOSTDIR", "HOSTDIR", "no container path", "absolute", "..", "over the container's /",
			       "unknown volume option" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pl_error *err = NULL;
		assert_int_equal(pl_volume_parse(bad[i], &v, &err), -1);
		assert_non_null(err);
		const char *text = strstr(err->what, word[i]) ? err->what : err->fix;
		assert_non_null(text);
		if (strstr(text, word[i]) == NULL)
			fail_msg("'%s': message '%s' / '%s' lacks '%s'", bad[i], err->what, err->fix ? err->fix : "",
				 word[i]);
		pl_error_free(&err);
	}
}

static void missing_volume_source(void **state)
{
	(void)state;
	struct pl_volume v;
	pl_error *err = NULL;
	assert_int_equal(pl_volume_parse("/nonexistent/podlab/dir:/data", &v, NULL), 0);
	assert_int_equal(pl_volume_check(&v, &err), -1);
	assert_non_null(strstr(err->what, "/nonexistent/podlab/dir"));
	assert_non_null(strstr(err->fix, "mkdir -p"));
	pl_error_free(&err);
}

static void mask_lists(void **state)
{
	(void)state;
	/* The OCI defaults, and nothing a program needs to work. */
	const char *must_mask[] = { "/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/acpi",
				    "/proc/scsi", "/sys/firmware" };
	for (size_t i = 0; i < sizeof must_mask / sizeof *must_mask; i++)
		assert_true(pl_is_masked(must_mask[i]));
	const char *must_freeze[] = { "/proc/sys", "/proc/sysrq-trigger", "/proc/bus", "/proc/fs", "/proc/irq" };
	for (size_t i = 0; i < sizeof must_freeze / sizeof *must_freeze; i++)
		assert_true(pl_is_readonly(must_freeze[i]));
	assert_false(pl_is_masked("/proc/self"));
	assert_false(pl_is_masked("/proc/cpuinfo"));
	assert_false(pl_is_readonly("/proc"));
	/* No path is both hidden and frozen, and every one is absolute. */
	for (const char *const *p = pl_masked_paths; *p; p++) {
		assert_int_equal((*p)[0], '/');
		assert_false(pl_is_readonly(*p));
	}
}

static void capability_names(void **state)
{
	(void)state;
	uint64_t m;
	assert_int_equal(pl_caps_parse("NET_RAW", &m, NULL), 0);
	assert_int_equal(m, 1ULL << CAP_NET_RAW);
	assert_int_equal(pl_caps_parse("cap_net_raw", &m, NULL), 0);
	assert_int_equal(m, 1ULL << CAP_NET_RAW);
	assert_int_equal(pl_caps_parse("CAP_SYS_ADMIN", &m, NULL), 0);
	assert_int_equal(m, 1ULL << CAP_SYS_ADMIN);
	assert_int_equal(pl_caps_parse("all", &m, NULL), 0);
	assert_true(m & (1ULL << CAP_SYS_ADMIN));
	assert_true(m & (1ULL << CAP_CHOWN));
	pl_error *err = NULL;
	assert_int_equal(pl_caps_parse("NET_RAWW", &m, &err), -1);
	assert_non_null(strstr(err->what, "NET_RAWW"));
	assert_non_null(err->fix);
	pl_error_free(&err);
	assert_int_equal(pl_caps_parse("", &m, NULL), -1);
}

static void capability_sets(void **state)
{
	(void)state;
	uint64_t def = pl_caps_default(), m;
	const int want[] = { CAP_CHOWN,  CAP_DAC_OVERRIDE, CAP_FOWNER,  CAP_FSETID, CAP_KILL,      CAP_NET_BIND_SERVICE,
			     CAP_SETFCAP, CAP_SETGID,      CAP_SETPCAP, CAP_SETUID, CAP_SYS_CHROOT };
	uint64_t expect = 0;
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		expect |= 1ULL << want[i];
	assert_int_equal(def, expect);
	assert_false(def & (1ULL << CAP_SYS_ADMIN));
	assert_false(def & (1ULL << CAP_NET_RAW));
	const char *add[] = { "NET_RAW" }, *drop[] = { "CHOWN", "KILL" };
	assert_int_equal(pl_caps_resolve(add, 1, drop, 2, &m, NULL), 0);
	assert_int_equal(m, (def | (1ULL << CAP_NET_RAW)) & ~((1ULL << CAP_CHOWN) | (1ULL << CAP_KILL)));
	/* A drop wins over an add, and ALL empties the set. */
	const char *all[] = { "ALL" };
	assert_int_equal(pl_caps_resolve(add, 1, all, 1, &m, NULL), 0);
	assert_int_equal(m, 0);
	char names[512];
	pl_caps_format((1ULL << CAP_CHOWN) | (1ULL << CAP_NET_RAW), names, sizeof names);
	assert_string_equal(names, "CHOWN,NET_RAW");
}

static void seccomp_list(void **state)
{
	(void)state;
	const char *required[] = { "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "kexec_load",
				   "init_module", "finit_module", "delete_module", "open_by_handle_at", "userfaultfd" };
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		bool found = false;
		for (const struct pl_denied_syscall *d = pl_denied_syscalls; d->name; d++)
			found |= strcmp(d->name, required[i]) == 0 && d->why && d->why[0];
		if (!found)
			fail_msg("%s is not denied (with a reason)", required[i]);
	}
	/* Never deny what every program needs. */
	const char *needed[] = { "read", "write", "execve", "exit_group", "clone", "mmap" };
	for (size_t i = 0; i < sizeof needed / sizeof *needed; i++)
		for (const struct pl_denied_syscall *d = pl_denied_syscalls; d->name; d++)
			assert_string_not_equal(d->name, needed[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(volume_specs),   cmocka_unit_test(bad_volume_specs), cmocka_unit_test(missing_volume_source),
		cmocka_unit_test(mask_lists),     cmocka_unit_test(capability_names), cmocka_unit_test(capability_sets),
		cmocka_unit_test(seccomp_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
