/* doctor.c - the host checks behind `podlab doctor` (see doctor.h). */
#include "doctor.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/magic.h>
#include <pwd.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"
#include "ids.h"
#include "process.h"

static void say(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}
#define SUMMARY(f, ...) say((f)->summary, sizeof (f)->summary, __VA_ARGS__)
#define FIX(f, ...) say((f)->fix, sizeof (f)->fix, __VA_ARGS__)

/* Read a small number from a /proc or /sys file; -1 when absent. */
static long read_long(const char *path)
{
	FILE *in = fopen(path, "re");
	if (in == NULL)
		return -1;
	long v = -1;
	if (fscanf(in, "%ld", &v) != 1)
		v = -1;
	fclose(in);
	return v;
}

static const char *user_name(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_name : "";
}

/* ---- kernel ------------------------------------------------------------ */

static void check_kernel(struct pl_finding *f)
{
	struct utsname u;
	uname(&u);
	int major = 0, minor = 0;
	sscanf(u.release, "%d.%d", &major, &minor);
	int v = major * 1000 + minor;
	if (v < 3008) {
		f->verdict = PL_FAIL;
		SUMMARY(f, "kernel %s is older than 3.8, which introduced unprivileged user namespaces", u.release);
		FIX(f, "use a current distribution kernel");
	} else if (v < 5011) {
		f->verdict = PL_WARN;
		SUMMARY(f, "kernel %s: user namespaces work, but overlayfs inside one needs 5.11", u.release);
		FIX(f, "podlab will use fuse-overlayfs instead (slower); a 5.11+ kernel allows native overlay");
	} else {
		f->verdict = PL_OK;
		SUMMARY(f, "kernel %s (5.11+ allows overlayfs in a user namespace)", u.release);
	}
}

/* ---- user namespaces --------------------------------------------------- */

/* The only reliable test: try.  A child process calls unshare() so that
 * this process is not changed by the attempt. */
static int try_userns(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : (errno & 0x7f));
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : EINVAL;
}

static void check_userns(struct pl_finding *f)
{
	long max = read_long("/proc/sys/user/max_user_namespaces");
	long debian = read_long("/proc/sys/kernel/unprivileged_userns_clone");
	long apparmor = read_long("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
	int e = try_userns();
	if (e == 0) {
		f->verdict = PL_OK;
		SUMMARY(f, "an unprivileged process can create a user namespace%s",
			geteuid() == 0 ? " (tested as root: run doctor as your own user to be sure)" : "");
		return;
	}
	f->verdict = PL_FAIL;
	SUMMARY(f, "creating a user namespace fails: %s", strerror(e));
	if (max == 0)
		FIX(f, "user.max_user_namespaces is 0: sudo sysctl -w user.max_user_namespaces=15000 (and put it in "
		       "/etc/sysctl.d/ to keep it)");
	else if (debian == 0)
		FIX(f, "kernel.unprivileged_userns_clone is 0: sudo sysctl -w kernel.unprivileged_userns_clone=1");
	else if (apparmor == 1)
		FIX(f, "AppArmor restricts unprivileged user namespaces (Ubuntu 23.10+): sudo sysctl -w "
		       "kernel.apparmor_restrict_unprivileged_userns=0, or give podlab an AppArmor profile with 'userns,'");
	else if (e == ENOSPC)
		FIX(f, "the user namespace limit is used up (user.max_user_namespaces=%ld): raise it", max);
	else
		FIX(f, "probably a container's seccomp profile (Docker's default blocks it): run on a VM or with "
		       "--security-opt seccomp=unconfined");
}

static void check_userns_limit(struct pl_finding *f)
{
	long max = read_long("/proc/sys/user/max_user_namespaces");
	if (max < 0) {
		f->verdict = PL_INFO;
		SUMMARY(f, "user.max_user_namespaces is not readable here");
	} else if (max < 64) {
		f->verdict = PL_WARN;
		SUMMARY(f, "user.max_user_namespaces is %ld: each container and pod uses one", max);
		FIX(f, "sudo sysctl -w user.max_user_namespaces=15000");
	} else {
		f->verdict = PL_OK;
		SUMMARY(f, "user.max_user_namespaces is %ld", max);
	}
}

/* ---- subordinate ids --------------------------------------------------- */

/* Gather the ids of real accounts (users for subuid, groups for subgid). */
static size_t accounts(bool groups, uid_t **ids, char ***names)
{
	size_t n = 0, cap = 64;
	*ids = malloc(cap * sizeof **ids);
	*names = malloc(cap * sizeof **names);
	if (groups) {
		setgrent();
		for (struct group *g; (g = getgrent()) != NULL;) {
			if (n == cap) {
				cap *= 2;
				*ids = realloc(*ids, cap * sizeof **ids);
				*names = realloc(*names, cap * sizeof **names);
			}
			(*ids)[n] = g->gr_gid;
			(*names)[n++] = strdup(g->gr_name);
		}
		endgrent();
	} else {
		setpwent();
		for (struct passwd *p; (p = getpwent()) != NULL;) {
			if (n == cap) {
				cap *= 2;
				*ids = realloc(*ids, cap * sizeof **ids);
				*names = realloc(*names, cap * sizeof **names);
			}
			(*ids)[n] = p->pw_uid;
			(*names)[n++] = strdup(p->pw_name);
		}
		endpwent();
	}
	return n;
}

static void check_subid(struct pl_finding *f, const char *path, bool groups)
{
	const char *kind = groups ? "gid" : "uid";
	const char *user = user_name();
	unsigned long self = groups ? getgid() : getuid();
	struct pl_subid_file file;
	pl_error *err = NULL;
	if (pl_subid_load(path, &file, &err) < 0) {
		f->verdict = PL_FAIL;
		SUMMARY(f, "%s", err->what);
		FIX(f, "%s", err->fix ? err->fix : "");
		pl_error_free(&err);
		return;
	}
	struct pl_id_range r[64];
	int n = pl_subid_find(&file, user, getuid(), r, 64, NULL);
	unsigned long total = n > 0 ? pl_id_ranges_total(r, (size_t)n) : 0;
	uid_t *ids;
	char **names;
	size_t n_acc = accounts(groups, &ids, &names);
	struct pl_subid_conflict c[8];
	size_t n_c = pl_subid_conflicts(&file, user, getuid(), ids, (const char *const *)names, n_acc, c, 8);
	unsigned long s = pl_subid_free_block(&file, 65536);
	if (n <= 0) {
		f->verdict = PL_FAIL;
		SUMMARY(f, "%s has no range for %s: containers get a single %s (%lu)", path, user, kind, self);
		FIX(f, "sudo usermod --add-sub%ss %lu-%lu %s   (a block no one else has)", kind, s, s + 65535, user);
	} else if (n_c > 0) {
		f->verdict = PL_FAIL;
		if (c[0].other_line)
			SUMMARY(f, "%s line %d overlaps line %d (%s) on ids %lu-%lu: two users would share container ids",
				path, c[0].line, c[0].other_line, c[0].other, c[0].first, c[0].last);
		else
			SUMMARY(f, "%s line %d includes id %lu, which is the existing account '%s'", path, c[0].line,
				c[0].first, c[0].other);
		FIX(f, "ask root to edit %s so that each user's block is disjoint from every other block and from every "
		       "real %s (%zu conflict%s in all)",
		    path, groups ? "group" : "user", n_c, n_c == 1 ? "" : "s");
	} else if (total < 65536) {
		f->verdict = PL_WARN;
		SUMMARY(f, "%s gives %s only %lu ids; images expect 65536 (e.g. nobody is 65534)", path, user, total);
		FIX(f, "ask root for a block of 65536: sudo usermod --add-sub%ss %lu-%lu %s", kind, s, s + 65535, user);
	} else if (file.n_bad > 0) {
		f->verdict = PL_WARN;
		SUMMARY(f, "%s: %s has %lu ids, but line %d is malformed (%s) and ignored", path, user, total,
			file.bad[0].line, file.bad[0].reason);
		FIX(f, "fix or delete that line (format: name:start:count)");
	} else {
		f->verdict = PL_OK;
		SUMMARY(f, "%s gives %s %lu ids starting at %lu, overlapping no one", path, user, total, r[0].start);
	}
	for (size_t i = 0; i < n_acc; i++)
		free(names[i]);
	free(names);
	free(ids);
	pl_subid_free(&file);
}

static void check_subuid(struct pl_finding *f)
{
	check_subid(f, "/etc/subuid", false);
}

static void check_subgid(struct pl_finding *f)
{
	check_subid(f, "/etc/subgid", true);
}

/* ---- the setuid helpers ------------------------------------------------ */

static void check_helper(struct pl_finding *f, const char *name)
{
	char path[4200];
	if (!pl_find_program(name, path, sizeof path)) {
		f->verdict = PL_FAIL;
		SUMMARY(f, "%s is not installed: containers can map only one id", name);
		FIX(f, "sudo apt-get install uidmap   (Fedora: sudo dnf install shadow-utils)");
		return;
	}
	struct stat st;
	stat(path, &st);
	bool setuid_root = st.st_uid == 0 && (st.st_mode & S_ISUID);
	/* Some distributions give the helper file capabilities instead of
	 * the setuid bit; libcap reads them from the file's xattr. */
	bool has_cap = false;
	cap_t caps = cap_get_file(path);
	if (caps != NULL) {
		cap_flag_value_t v = CAP_CLEAR;
		cap_get_flag(caps, strstr(name, "gid") ? CAP_SETGID : CAP_SETUID, CAP_PERMITTED, &v);
		has_cap = v == CAP_SET;
		cap_free(caps);
	}
	if (setuid_root || has_cap) {
		f->verdict = PL_OK;
		SUMMARY(f, "%s is %s", path, setuid_root ? "setuid root" : "given the capability it needs");
	} else {
		f->verdict = PL_FAIL;
		SUMMARY(f, "%s is neither setuid root nor has a file capability: it cannot write maps", path);
		FIX(f, "sudo chmod u+s %s   (or: sudo setcap cap_set%cid+ep %s)", path, strstr(name, "gid") ? 'g' : 'u',
		    path);
	}
}

static void check_newuidmap(struct pl_finding *f)
{
	check_helper(f, "newuidmap");
}

static void check_newgidmap(struct pl_finding *f)
{
	check_helper(f, "newgidmap");
}

/* ---- devices ------------------------------------------------------------- */

static void check_device(struct pl_finding *f, const char *path, const char *who, const char *module)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		f->verdict = PL_OK;
		SUMMARY(f, "%s can be opened for reading and writing (%s)", path, who);
		return;
	}
	int e = errno;
	f->verdict = PL_FAIL;
	SUMMARY(f, "%s is not usable: %s (%s needs it)", path, strerror(e), who);
	if (e == ENOENT)
		FIX(f, "load the module: sudo modprobe %s", module);
	else
		FIX(f, "let users open it, as desktops do: sudo chmod 0666 %s", path);
}

static void check_fuse(struct pl_finding *f)
{
	check_device(f, "/dev/fuse", "fuse-overlayfs, stage 03", "fuse");
}

static void check_tun(struct pl_finding *f)
{
	check_device(f, "/dev/net/tun", "slirp4netns, pasta and podlab's slirp helper, stage 04", "tun");
}

/* ---- ports, cgroups, audit ---------------------------------------------- */

static void check_ports(struct pl_finding *f)
{
	long start = read_long("/proc/sys/net/ipv4/ip_unprivileged_port_start");
	if (start < 0) {
		f->verdict = PL_INFO;
		SUMMARY(f, "net.ipv4.ip_unprivileged_port_start is not readable (kernel older than 4.11?)");
		return;
	}
	f->verdict = PL_INFO;
	if (start <= 80) {
		SUMMARY(f, "ports from %ld up may be published by ordinary users (80 and 443 included)", start);
	} else {
		SUMMARY(f, "ports below %ld cannot be published rootless", start);
		FIX(f, "publish a port >= %ld, or let root lower the limit: sudo sysctl -w "
		       "net.ipv4.ip_unprivileged_port_start=80",
		    start);
	}
}

static void check_cgroup(struct pl_finding *f)
{
	struct statfs st;
	if (statfs("/sys/fs/cgroup", &st) < 0) {
		f->verdict = PL_WARN;
		SUMMARY(f, "/sys/fs/cgroup is not mounted: no resource limits");
		return;
	}
	if ((unsigned long)st.f_type == CGROUP2_SUPER_MAGIC) {
		f->verdict = PL_OK;
		SUMMARY(f, "cgroup v2 (unified hierarchy), what rootless resource limits need");
		return;
	}
	struct statfs u;
	bool hybrid = statfs("/sys/fs/cgroup/unified", &u) == 0 && (unsigned long)u.f_type == CGROUP2_SUPER_MAGIC;
	long controllers_on_v2 = 0;
	FILE *in = hybrid ? fopen("/sys/fs/cgroup/unified/cgroup.controllers", "re") : NULL;
	if (in != NULL) {
		char line[512] = "";
		if (fgets(line, sizeof line, in) != NULL && line[0] != '\n' && line[0] != '\0')
			controllers_on_v2 = 1;
		fclose(in);
	}
	f->verdict = PL_WARN;
	SUMMARY(f, "cgroup v1%s: rootless containers get no resource limits", hybrid ? " with a v2 hierarchy (hybrid)" : "");
	if (controllers_on_v2)
		FIX(f, "crun and podman stop with 'cgroups in hybrid mode not supported' while a controller sits on "
		       "cgroup2; root can move it: sudo mkdir -p /sys/fs/cgroup/hugetlb && sudo mount -t cgroup -o "
		       "hugetlb cgroup /sys/fs/cgroup/hugetlb (or boot with systemd.unified_cgroup_hierarchy=1)");
	else
		FIX(f, "boot with systemd.unified_cgroup_hierarchy=1 for cgroup v2");
}

static void check_loginuid(struct pl_finding *f)
{
	long id = read_long("/proc/self/loginuid");
	f->verdict = PL_INFO;
	if (id < 0 || id == 4294967295L)
		SUMMARY(f, "loginuid is unset: this session did not come from a login, so audit records cannot "
			   "name you (containers inherit it)");
	else
		SUMMARY(f, "loginuid is %ld: audit records of your containers name you", id);
}

static void check_runtime_dir(struct pl_finding *f)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (dir == NULL || stat(dir, &st) < 0) {
		f->verdict = PL_WARN;
		SUMMARY(f, "XDG_RUNTIME_DIR is %s", dir ? "set but missing" : "not set (no login session)");
		FIX(f, "log in through a session manager, or: export XDG_RUNTIME_DIR=/tmp/run-$(id -u) && mkdir -m 0700 "
		       "-p $XDG_RUNTIME_DIR");
	} else if (st.st_uid != getuid() || (st.st_mode & 077)) {
		f->verdict = PL_WARN;
		SUMMARY(f, "XDG_RUNTIME_DIR %s is not private to you (owner %u, mode %04o)", dir, (unsigned)st.st_uid,
			(unsigned)(st.st_mode & 07777));
		FIX(f, "use a directory you own with mode 0700");
	} else {
		f->verdict = PL_OK;
		SUMMARY(f, "XDG_RUNTIME_DIR is %s", dir);
	}
}

/* ---- storage drivers (stage 03) ------------------------------------------- */

static void check_overlay(struct pl_finding *f)
{
	char why[512];
	enum pl_driver d = pl_driver_detect(why, sizeof why);
	f->verdict = d == PL_DRIVER_OVERLAY ? PL_OK : PL_WARN;
	SUMMARY(f, "%s", why);
	if (d != PL_DRIVER_OVERLAY)
		FIX(f, "a 5.11+ kernel allows the native driver; until then podlab uses %s (slower)", pl_driver_name(d));
}

static void check_fuse_overlayfs(struct pl_finding *f)
{
	char path[4200];
	if (!pl_find_program("fuse-overlayfs", path, sizeof path)) {
		f->verdict = PL_WARN;
		SUMMARY(f, "fuse-overlayfs is not installed (needed where native overlay is not allowed)");
		FIX(f, "sudo apt-get install fuse-overlayfs");
	} else {
		f->verdict = access("/dev/fuse", R_OK | W_OK) == 0 ? PL_OK : PL_WARN;
		SUMMARY(f, "%s is installed%s", path, f->verdict == PL_OK ? "" : ", but /dev/fuse is not usable");
		if (f->verdict != PL_OK)
			FIX(f, "sudo chmod 0666 /dev/fuse");
	}
}

/* ---- network helpers (stage 04) -------------------------------------------- */

static void check_tool(struct pl_finding *f, const char *tool, const char *package, const char *use)
{
	char path[4200];
	if (pl_find_program(tool, path, sizeof path)) {
		f->verdict = PL_OK;
		SUMMARY(f, "%s is installed (%s)", path, use);
	} else {
		f->verdict = PL_WARN;
		SUMMARY(f, "%s is not installed (%s)", tool, use);
		FIX(f, "sudo apt-get install %s", package);
	}
}

static void check_slirp4netns(struct pl_finding *f)
{
	check_tool(f, "slirp4netns", "slirp4netns", "--network slirp4netns");
}

static void check_pasta(struct pl_finding *f)
{
	check_tool(f, "pasta", "passt", "--network pasta");
}

/* ---- the table ------------------------------------------------------------ */

static const struct {
	const char *id;
	void (*fn)(struct pl_finding *);
} checks[] = {
	{ "kernel", check_kernel },       { "userns", check_userns },
	{ "userns-limit", check_userns_limit }, { "subuid", check_subuid },
	{ "subgid", check_subgid },       { "newuidmap", check_newuidmap },
	{ "newgidmap", check_newgidmap }, { "fuse", check_fuse },
	{ "tun", check_tun },             { "ports", check_ports },
	{ "cgroup", check_cgroup },       { "loginuid", check_loginuid },
	{ "runtime-dir", check_runtime_dir }, { "overlay", check_overlay },
	{ "fuse-overlayfs", check_fuse_overlayfs }, { "slirp4netns", check_slirp4netns },
	{ "pasta", check_pasta },
};

int pl_doctor_check(const char *id, struct pl_finding *f)
{
	for (size_t i = 0; i < sizeof checks / sizeof *checks; i++) {
		if (strcmp(checks[i].id, id) != 0)
			continue;
		memset(f, 0, sizeof *f);
		f->id = checks[i].id;
		checks[i].fn(f);
		return 0;
	}
	return -1;
}

size_t pl_doctor_run(struct pl_finding *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof checks / sizeof *checks && n < max; i++)
		pl_doctor_check(checks[i].id, &out[n++]);
	return n;
}

int pl_doctor_print(const struct pl_finding *f, size_t n, FILE *out)
{
	static const char *label[] = { [PL_OK] = "ok", [PL_INFO] = "info", [PL_WARN] = "WARN", [PL_FAIL] = "FAIL" };
	int counts[4] = { 0 };
	for (size_t i = 0; i < n; i++) {
		counts[f[i].verdict]++;
		fprintf(out, "  %-4s  %-14s %s\n", label[f[i].verdict], f[i].id, f[i].summary);
		if (f[i].fix[0] && f[i].verdict != PL_OK)
			fprintf(out, "        %-14s fix: %s\n", "", f[i].fix);
	}
	fprintf(out, "%d ok, %d info, %d warnings, %d failed\n", counts[PL_OK], counts[PL_INFO], counts[PL_WARN],
		counts[PL_FAIL]);
	return counts[PL_FAIL];
}
