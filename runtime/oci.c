/* oci.c - config.json from podlab's own tables.
 *
 * Each section below takes its content from the table podlab's executor
 * uses, so the two cannot drift apart: the capability mask from caps.c,
 * the masked and read-only paths from masks.c, the device list from
 * devices.c, the denied system calls from seccomp.c.  Field names follow
 * the OCI runtime spec (config.md and config-linux.md).
 */
#include "oci.h"

#include <ctype.h>
#include <sched.h>
#include <string.h>
#include <sys/capability.h>

#include "devices.h"
#include "masks.h"
#include "seccomp.h"

static json_object *strings(const char *const *list)
{
	json_object *a = json_object_new_array();
	for (; list && *list; list++)
		json_object_array_add(a, json_object_new_string(*list));
	return a;
}

static void add_string(json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, json_object_new_string(value));
}

static json_object *process(const struct pl_oci_input *in)
{
	json_object *p = json_object_new_object(), *user = json_object_new_object();
	json_object_object_add(p, "terminal", json_object_new_boolean(0));
	/* Root of the user namespace: podlab's executor setuid(0)s too. */
	json_object_object_add(user, "uid", json_object_new_int(0));
	json_object_object_add(user, "gid", json_object_new_int(0));
	json_object_object_add(p, "user", user);
	json_object *args = strings((const char *const *)in->spec->argv);
	if (in->init) { /* /dev/init -- COMMAND... (podman mounts catatonit at /run/podman-init) */
		json_object *with_init = strings((const char *const[]){ "/dev/init", "--", NULL });
		for (size_t i = 0; i < json_object_array_length(args); i++)
			json_object_array_add(with_init, json_object_get(json_object_array_get_idx(args, i)));
		json_object_put(args);
		args = with_init;
	}
	json_object_object_add(p, "args", args);
	json_object_object_add(p, "env", strings(in->env));
	add_string(p, "cwd", in->spec->workdir ? in->spec->workdir : "/");
	/* The kept set is the bounding, effective, permitted and inheritable
	 * set alike; ambient stays empty (no capabilities across exec of a
	 * non-root user's programs), as in podman's configs. */
	json_object *caps = json_object_new_object(), *names = json_object_new_array();
	for (int c = 0; c <= CAP_LAST_CAP; c++) {
		if (!(in->caps & (1ULL << c)))
			continue;
		char *name = cap_to_name(c), upper[64];
		size_t i = 0;
		for (; name && name[i] && i + 1 < sizeof upper; i++)
			upper[i] = (char)toupper((unsigned char)name[i]);
		upper[i] = '\0';
		cap_free(name);
		json_object_array_add(names, json_object_new_string(upper));
	}
	const char *sets[] = { "bounding", "effective", "permitted", "inheritable" };
	for (int s = 0; s < 4; s++)
		json_object_object_add(caps, sets[s], json_object_get(names));
	json_object_put(names);
	json_object_object_add(p, "capabilities", caps);
	json_object_object_add(p, "noNewPrivileges", json_object_new_boolean(1));
	return p;
}

static json_object *mount(const char *dest, const char *type, const char *source, const char *const *options)
{
	json_object *m = json_object_new_object();
	add_string(m, "destination", dest);
	add_string(m, "type", type);
	add_string(m, "source", source);
	json_object_object_add(m, "options", strings(options));
	return m;
}

static json_object *mounts(const struct pl_oci_input *in)
{
	json_object *a = json_object_new_array();
	const char *proc[] = { "nosuid", "noexec", "nodev", NULL };
	const char *dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
	const char *pts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", NULL };
	const char *shm[] = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL };
	const char *tmp[] = { "nosuid", "nodev", "mode=1777", NULL };
	/* A fresh sysfs needs a network namespace of one's own and more;
	 * rootless, the host's is bound read-only (as podlab does). */
	const char *sys[] = { "rbind", "nosuid", "noexec", "nodev", "rro", NULL }; /* rro: the mounts below too */
	json_object_array_add(a, mount("/proc", "proc", "proc", proc));
	json_object_array_add(a, mount("/dev", "tmpfs", "tmpfs", dev));
	json_object_array_add(a, mount("/dev/pts", "devpts", "devpts", pts));
	json_object_array_add(a, mount("/dev/shm", "tmpfs", "shm", shm));
	json_object_array_add(a, mount("/sys", "none", "/sys", sys));
	json_object_array_add(a, mount("/tmp", "tmpfs", "tmpfs", tmp));
	/* Devices: mknod is impossible rootless, so each is a bind mount of
	 * the host's node, as in podlab's devices.c. */
	const char *bind[] = { "bind", "nosuid", NULL };
	for (const char *const *d = pl_dev_allowed; *d; d++) {
		char path[64];
		snprintf(path, sizeof path, "/dev/%s", *d);
		json_object_array_add(a, mount(path, "none", path, bind));
	}
	const char *rw[] = { "rbind", NULL }, *ro[] = { "rbind", "ro", NULL };
	if (in->init)
		json_object_array_add(a, mount("/dev/init", "none", in->init, ro));
	for (size_t i = 0; i < in->spec->n_volumes; i++) {
		const struct pl_volume *v = &in->spec->volumes[i];
		json_object_array_add(a, mount(v->container, "none", v->host, v->readonly ? ro : rw));
	}
	if (in->spec->resolv_conf)
		json_object_array_add(a, mount("/etc/resolv.conf", "none", in->spec->resolv_conf, ro));
	return a;
}

static json_object *idmap(const struct pl_idmap *map)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < map->n; i++) {
		json_object *e = json_object_new_object();
		json_object_object_add(e, "containerID", json_object_new_int64((int64_t)map->ext[i].inside));
		json_object_object_add(e, "hostID", json_object_new_int64((int64_t)map->ext[i].outside));
		json_object_object_add(e, "size", json_object_new_int64((int64_t)map->ext[i].count));
		json_object_array_add(a, e);
	}
	return a;
}

static json_object *seccomp(void)
{
	/* podlab's filter: allow everything, deny the listed calls with
	 * EPERM, and look at the arguments of ptrace, unshare and clone. */
	json_object *s = json_object_new_object(), *rules = json_object_new_array();
	add_string(s, "defaultAction", "SCMP_ACT_ALLOW");
	json_object *denied = json_object_new_object(), *names = json_object_new_array();
	for (const struct pl_denied_syscall *d = pl_denied_syscalls; d->name; d++)
		json_object_array_add(names, json_object_new_string(d->name));
	json_object_object_add(denied, "names", names);
	add_string(denied, "action", "SCMP_ACT_ERRNO");
	json_object_object_add(denied, "errnoRet", json_object_new_int(1 /* EPERM */));
	json_object_array_add(rules, denied);
	struct {
		const char *name, *op;
		uint64_t value, mask;
		int errno_ret;
	} with_args[] = {
		{ "ptrace", "SCMP_CMP_NE", 0 /* PTRACE_TRACEME */, 0, 1 },
		{ "unshare", "SCMP_CMP_MASKED_EQ", CLONE_NEWUSER, CLONE_NEWUSER, 1 },
		{ "clone", "SCMP_CMP_MASKED_EQ", CLONE_NEWUSER, CLONE_NEWUSER, 1 },
		{ "clone3", NULL, 0, 0, 38 /* ENOSYS: libc falls back to clone */ },
	};
	for (size_t i = 0; i < sizeof with_args / sizeof *with_args; i++) {
		json_object *r = json_object_new_object(), *n = json_object_new_array();
		json_object_array_add(n, json_object_new_string(with_args[i].name));
		json_object_object_add(r, "names", n);
		add_string(r, "action", "SCMP_ACT_ERRNO");
		json_object_object_add(r, "errnoRet", json_object_new_int(with_args[i].errno_ret));
		if (with_args[i].op) {
			json_object *args = json_object_new_array(), *arg = json_object_new_object();
			json_object_object_add(arg, "index", json_object_new_int(0));
			/* MASKED_EQ compares (arg & value) with valueTwo. */
			json_object_object_add(arg, "value", json_object_new_int64((int64_t)(with_args[i].mask ? with_args[i].mask
													  : with_args[i].value)));
			json_object_object_add(arg, "valueTwo", json_object_new_int64((int64_t)with_args[i].value));
			add_string(arg, "op", with_args[i].op);
			json_object_array_add(args, arg);
			json_object_object_add(r, "args", args);
		}
		json_object_array_add(rules, r);
	}
	json_object_object_add(s, "syscalls", rules);
	return s;
}

json_object *pl_oci_config(const struct pl_oci_input *in)
{
	json_object *c = json_object_new_object(), *root = json_object_new_object(), *linux = json_object_new_object();
	add_string(c, "ociVersion", "1.0.2");
	json_object_object_add(c, "process", process(in));
	add_string(root, "path", in->rootfs);
	json_object_object_add(root, "readonly", json_object_new_boolean(0));
	json_object_object_add(c, "root", root);
	if (in->spec->pod_infra <= 0) /* in a pod, the UTS namespace (and its name) is the pod's */
		add_string(c, "hostname", in->spec->hostname ? in->spec->hostname : "podlab");
	json_object_object_add(c, "mounts", mounts(in));

	json_object *ns = json_object_new_array();
	const struct {
		unsigned long flag;
		const char *type;
	} kinds[] = { { CLONE_NEWPID, "pid" }, { CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" },
		      { CLONE_NEWNS, "mount" }, { CLONE_NEWUSER, "user" }, { CLONE_NEWNET, "network" } };
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		if (!(in->spec->namespaces & kinds[i].flag))
			continue;
		json_object *n = json_object_new_object();
		add_string(n, "type", kinds[i].type);
		/* Joined, not made: the holder's user and network namespaces. */
		if (in->holder > 0 && (kinds[i].flag == CLONE_NEWUSER || kinds[i].flag == CLONE_NEWNET)) {
			char path[64];
			snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)in->holder,
				 kinds[i].flag == CLONE_NEWUSER ? "user" : "net");
			add_string(n, "path", path);
		}
		json_object_array_add(ns, n);
	}
	/* A pod member joins the infra's user, network, UTS and IPC
	 * namespaces: listed with their paths. */
	pid_t infra = in->spec->pod_infra;
	static const char *const pod_kinds[][2] = { { "user", "user" }, { "network", "net" }, { "uts", "uts" },
						     { "ipc", "ipc" } };
	for (size_t i = 0; infra > 0 && i < 4; i++) {
		json_object *n = json_object_new_object();
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)infra, pod_kinds[i][1]);
		add_string(n, "type", pod_kinds[i][0]);
		add_string(n, "path", path);
		json_object_array_add(ns, n);
	}
	json_object_object_add(linux, "namespaces", ns);
	/* A joined user namespace has its maps already; the spec forbids
	 * giving them again. */
	if (in->holder <= 0 && infra <= 0) {
		json_object_object_add(linux, "uidMappings", idmap(&in->ids->uidmap));
		json_object_object_add(linux, "gidMappings", idmap(&in->ids->gidmap));
	}
	json_object_object_add(linux, "maskedPaths", strings(pl_masked_paths));
	json_object_object_add(linux, "readonlyPaths", strings(pl_readonly_paths));
	if (in->spec->seccomp)
		json_object_object_add(linux, "seccomp", seccomp());
	json_object_object_add(c, "linux", linux);
	return c;
}
