/* test_oci.c - config.json as the OCI runtime spec requires it.
 *
 * The schema (config-schema.json of runtime-spec 1.0) requires ociVersion;
 * root.path; process.cwd (absolute) with user.uid and user.gid when a
 * process is given; each mount's destination; namespace types from a
 * fixed set; id mappings with containerID, hostID and size.  The test
 * builds a config the way podlab does and checks each of those, plus
 * that podlab's own tables (capabilities, masks, seccomp) made it in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sched.h>
#include <string.h>

#include "caps.h"
#include "oci.h"

static json_object *get(json_object *o, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save)) {
		json_object *v = NULL;
		if (!json_object_object_get_ex(o, k, &v))
			return NULL;
		o = v;
	}
	return o;
}

static bool has_string(json_object *array, const char *s)
{
	for (size_t i = 0; array && i < json_object_array_length(array); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(array, i)), s) == 0)
			return true;
	return false;
}

static json_object *make(struct pl_spec *spec, struct pl_idplan *ids, pid_t holder)
{
	static char *argv[] = { "sh", "-c", "true", NULL };
	static const char *env[] = { "PATH=/bin", NULL };
	pl_spec_init(spec);
	spec->argv = argv;
	spec->hostname = "h";
	spec->n_volumes = 1;
	snprintf(spec->volumes[0].host, sizeof spec->volumes[0].host, "/srv/data");
	snprintf(spec->volumes[0].container, sizeof spec->volumes[0].container, "/data");
	spec->volumes[0].readonly = true;
	memset(ids, 0, sizeof *ids);
	ids->uidmap.n = ids->gidmap.n = 2;
	ids->uidmap.ext[0] = ids->gidmap.ext[0] = (struct pl_extent){ 0, 1000, 1 };
	ids->uidmap.ext[1] = ids->gidmap.ext[1] = (struct pl_extent){ 1, 100000, 65536 };
	uint64_t caps;
	assert_int_equal(pl_caps_resolve(NULL, 0, NULL, 0, &caps, NULL), 0);
	struct pl_oci_input in = { .spec = spec, .ids = ids, .rootfs = "/r", .env = env, .caps = caps, .holder = holder };
	return pl_oci_config(&in);
}

static void required_fields(void **state)
{
	(void)state;
	struct pl_spec spec;
	struct pl_idplan ids;
	json_object *c = make(&spec, &ids, 0);
	assert_non_null(get(c, "ociVersion"));
	assert_string_equal(json_object_get_string(get(c, "root.path")), "/r");
	assert_true(json_object_get_string(get(c, "process.cwd"))[0] == '/');
	assert_non_null(get(c, "process.user.uid"));
	assert_non_null(get(c, "process.user.gid"));
	assert_int_equal(json_object_array_length(get(c, "process.args")), 3);
	json_object *mounts = get(c, "mounts");
	bool data = false;
	for (size_t i = 0; i < json_object_array_length(mounts); i++) {
		json_object *m = json_object_array_get_idx(mounts, i);
		const char *dest = json_object_get_string(get(m, "destination"));
		assert_non_null(dest);
		assert_true(dest[0] == '/');
		if (strcmp(dest, "/data") == 0)
			data = has_string(get(m, "options"), "ro") && strcmp(json_object_get_string(get(m, "source")), "/srv/data") == 0;
	}
	assert_true(data);
	static const char *const types[] = { "pid", "network", "mount", "ipc", "uts", "user", "cgroup", NULL };
	json_object *ns = get(c, "linux.namespaces");
	assert_true(json_object_array_length(ns) >= 5);
	for (size_t i = 0; i < json_object_array_length(ns); i++) {
		const char *t = json_object_get_string(get(json_object_array_get_idx(ns, i), "type"));
		bool known = false;
		for (const char *const *k = types; *k; k++)
			known |= strcmp(*k, t) == 0;
		assert_true(known);
	}
	json_object *maps = get(c, "linux.uidMappings");
	assert_int_equal(json_object_array_length(maps), 2);
	json_object *second = json_object_array_get_idx(maps, 1);
	assert_int_equal(json_object_get_int64(get(second, "containerID")), 1);
	assert_int_equal(json_object_get_int64(get(second, "hostID")), 100000);
	assert_int_equal(json_object_get_int64(get(second, "size")), 65536);
	/* podlab's tables. */
	assert_true(has_string(get(c, "process.capabilities.bounding"), "CAP_CHOWN"));
	assert_false(has_string(get(c, "process.capabilities.bounding"), "CAP_SYS_ADMIN"));
	assert_true(json_object_get_boolean(get(c, "process.noNewPrivileges")));
	assert_true(has_string(get(c, "linux.maskedPaths"), "/proc/kcore"));
	assert_true(has_string(get(c, "linux.readonlyPaths"), "/proc/sys"));
	assert_string_equal(json_object_get_string(get(c, "linux.seccomp.defaultAction")), "SCMP_ACT_ALLOW");
	json_object_put(c);
}

/* Joining a holder's namespaces: paths, and no mappings (the spec forbids
 * mappings for a user namespace that is joined). */
static void joined_namespaces(void **state)
{
	(void)state;
	struct pl_spec spec;
	struct pl_idplan ids;
	json_object *c = make(&spec, &ids, 4242);
	json_object *ns = get(c, "linux.namespaces");
	int paths = 0;
	for (size_t i = 0; i < json_object_array_length(ns); i++) {
		json_object *n = json_object_array_get_idx(ns, i), *p = get(n, "path");
		const char *t = json_object_get_string(get(n, "type"));
		if (p) {
			paths++;
			assert_true(strcmp(t, "user") == 0 || strcmp(t, "network") == 0);
			assert_non_null(strstr(json_object_get_string(p), "/proc/4242/ns/"));
		}
	}
	assert_int_equal(paths, 2);
	assert_null(get(c, "linux.uidMappings"));
	assert_null(get(c, "linux.gidMappings"));
	json_object_put(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(required_fields),
		cmocka_unit_test(joined_namespaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
