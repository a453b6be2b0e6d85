/* setup.c - everything that happens before the first check runs.
 *
 * Grading must measure what an ordinary user gets, so the first thing the
 * checker does when started as root is to become that user for good.  The
 * build, the probe's root filesystem and every check then run as them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grading.h"
#include "ids.h"
#include "imagestore.h"

bool stage_selected(int stage, const int *stages, size_t n)
{
	/* Suites (week 11) grade a submission, not a build: only on request. */
	if (n == 0)
		return stage < SUITE_WEEK11;
	for (size_t i = 0; i < n; i++)
		if (stages[i] == stage)
			return true;
	return false;
}

static int drop_root(struct grading *g)
{
	if (geteuid() != 0) {
		struct passwd *me = getpwuid(getuid());
		if (g->as_user && (me == NULL || strcmp(me->pw_name, g->as_user) != 0)) {
			fprintf(stderr, "podlab-check: --user %s needs root; you are already an ordinary user, so leave "
					"it out\n",
				g->as_user);
			return -1;
		}
		return 0;
	}
	if (g->as_user == NULL) {
		fprintf(stderr, "podlab-check: refusing to grade as root: a rootless runtime must be graded as an "
				"ordinary user, or root's powers would make broken code pass.\n"
				"  fix: run it as the student, or as root with --user NAME (tests/setup-root.sh makes one)\n");
		return -1;
	}
	struct passwd *pw = getpwnam(g->as_user);
	if (pw == NULL || pw->pw_uid == 0) {
		fprintf(stderr, "podlab-check: no such ordinary user '%s'\n", g->as_user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		fprintf(stderr, "podlab-check: cannot become %s: %s\n", g->as_user, strerror(errno));
		return -1;
	}
	/* Make sure it cannot be undone. */
	if (setuid(0) == 0) {
		fprintf(stderr, "podlab-check: still able to regain root after dropping it; stopping\n");
		return -1;
	}
	setenv("HOME", pw->pw_dir, 1);
	setenv("USER", pw->pw_name, 1);
	setenv("LOGNAME", pw->pw_name, 1);
	/* root's runtime and data directories are not ours. */
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("XDG_DATA_HOME");
	unsetenv("XDG_CONFIG_HOME");
	if (chdir("/") < 0)
		return -1;
	return 0;
}

static int find_kit(struct grading *g)
{
	if (g->kit != NULL) {
		if (realpath(g->kit, g->kit_dir) == NULL) {
			fprintf(stderr, "podlab-check: --kit %s: %s\n", g->kit, strerror(errno));
			return -1;
		}
	} else {
		/* The checker lives in KIT/build/ (or KIT/build/asan/). */
		char exe[4096];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n < 0)
			return -1;
		exe[n] = '\0';
		char *dir = dirname(exe);
		for (int up = 0; up < 3; up++) {
			char probe[4200];
			snprintf(probe, sizeof probe, "%s/runtime/container.c", dir);
			if (access(probe, R_OK) == 0) {
				snprintf(g->kit_dir, sizeof g->kit_dir, "%s", dir);
				break;
			}
			dir = dirname(dir);
		}
	}
	char mk[4200];
	snprintf(mk, sizeof mk, "%s/Makefile", g->kit_dir);
	if (g->kit_dir[0] == '\0' || access(mk, R_OK) != 0) {
		fprintf(stderr, "podlab-check: cannot find the podlab kit (Makefile, runtime/) from here%s%s\n"
				"  fix: pass --kit DIR, and make sure the user can read it\n",
			g->kit_dir[0] ? ": tried " : "", g->kit_dir);
		return -1;
	}
	return 0;
}

static int make_scratch(struct grading *g)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(g->scratch, sizeof g->scratch, "%s/podlab-check.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(g->scratch) == NULL) {
		fprintf(stderr, "podlab-check: cannot create a scratch directory in %s: %s\n", tmp ? tmp : "/tmp",
			strerror(errno));
		return -1;
	}
	/* Container root is us, so it can reach everything below. */
	chmod(g->scratch, 0755);
	return 0;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return -1;
	}
	char buf[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = -1;
	close(in);
	if (close(out) < 0 || n < 0)
		rc = -1;
	return rc;
}

/* The checker's own root filesystem: the probe, a nonce, empty mount
 * points, and /shared, where container users leave files for the host
 * side to inspect.  Nothing from the student's rootfs is needed. */
static int make_rootfs(struct grading *g)
{
	snprintf(g->rootfs, sizeof g->rootfs, "%s/rootfs", g->scratch);
	/* /mnt: a mount point for the drill's mount attempts, so that they
	 * meet the permission checks and not a missing directory. */
	const char *dirs[] = { "", "/proc", "/sys", "/dev", "/tmp", "/etc", "/shared", "/root", "/bin", "/mnt" };
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char d[4400];
		snprintf(d, sizeof d, "%s%s", g->rootfs, dirs[i]);
		if (mkdir(d, 0755) < 0)
			return -1;
	}
	/* 0777 without the sticky bit: files that container uid 1 creates
	 * belong to a subordinate uid, and we must still be able to delete
	 * them afterwards (deleting needs write access to the directory). */
	char shared[4400], tmpdir[4400], probe[4400], nonce_path[4400];
	snprintf(shared, sizeof shared, "%s/shared", g->rootfs);
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", g->rootfs);
	chmod(shared, 0777);
	chmod(tmpdir, 01777);
	snprintf(probe, sizeof probe, "%s/probe", g->rootfs);
	if (copy_file(g->probe, probe, 0755) < 0) {
		fprintf(stderr, "podlab-check: cannot copy the probe %s: %s\n  fix: build it with 'make'\n", g->probe,
			strerror(errno));
		return -1;
	}
	unsigned char raw[16];
	if (getrandom(raw, sizeof raw, 0) != sizeof raw)
		return -1;
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(g->nonce + 2 * i, 3, "%02x", raw[i]);
	snprintf(nonce_path, sizeof nonce_path, "%s/.probe-nonce", g->rootfs);
	FILE *f = fopen(nonce_path, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%s\n", g->nonce);
	fclose(f);
	/* A file escapes look for: it exists on the host, outside the rootfs. */
	snprintf(g->host_marker, sizeof g->host_marker, "%s/host-marker-%s", g->scratch, g->nonce);
	f = fopen(g->host_marker, "w");
	if (f == NULL)
		return -1;
	fclose(f);
	return 0;
}

/* Build the student's lab (or find the reference) as the grading user. */
static int copy_sources(const char *from, const char *to)
{
	if (mkdir(to, 0755) < 0)
		return -1;
	DIR *d = opendir(from);
	if (d == NULL)
		return -1;
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
		size_t n = strlen(e->d_name);
		if (n < 3 || e->d_name[0] == '.' || (strcmp(e->d_name + n - 2, ".c") && strcmp(e->d_name + n - 2, ".h")))
			continue;
		char src[8300], dst[8300];
		snprintf(src, sizeof src, "%s/%s", from, e->d_name);
		snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
		int in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
			if (in >= 0)
				close(in);
			continue; /* not a regular file: not a source */
		}
		int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		char buf[65536];
		ssize_t k;
		while (out >= 0 && (k = read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)k) != k)
				rc = -1;
		if (out < 0)
			rc = -1;
		else
			close(out);
		close(in);
	}
	closedir(d);
	return rc;
}

static int build_target(struct grading *g)
{
	char exe_dir[4200];
	snprintf(g->probe, sizeof g->probe, "%s/build/podlab-probe", g->kit_dir);
	if (g->binary) {
		if (realpath(g->binary, g->podlab) == NULL || access(g->podlab, X_OK) != 0) {
			fprintf(stderr, "podlab-check: --binary %s is not an executable file\n", g->binary);
			return -1;
		}
		snprintf(g->target_desc, sizeof g->target_desc, "%s", g->podlab);
		return 0;
	}
	if (g->reference) {
		snprintf(g->podlab, sizeof g->podlab, "%s/build/podlab", g->kit_dir);
		snprintf(g->target_desc, sizeof g->target_desc, "the reference runtime (%s)", g->podlab);
		if (access(g->podlab, X_OK) != 0) {
			fprintf(stderr, "podlab-check: %s is not built\n  fix: run 'make' in %s\n", g->podlab, g->kit_dir);
			return -1;
		}
		return 0;
	}
	char lab[4096];
	if (realpath(g->lab, lab) == NULL) {
		fprintf(stderr, "podlab-check: lab directory %s: %s\n", g->lab, strerror(errno));
		return -1;
	}
	snprintf(g->target_desc, sizeof g->target_desc, "%s", lab);
	/* Build a copy of the student's sources, at a path of ours: make
	 * splits paths at spaces, and a lab directory named "carol, jr" must
	 * not quietly build the reference instead.  Only regular .c and .h
	 * files are taken (a symlink could point at the reference). */
	char copy[4200];
	snprintf(copy, sizeof copy, "%s/submission", g->scratch);
	if (copy_sources(lab, copy) < 0) {
		fprintf(stderr, "podlab-check: cannot copy the lab's sources from %s: %s\n", lab, strerror(errno));
		return -1;
	}
	snprintf(exe_dir, sizeof exe_dir, "%s/build", g->scratch);
	char lab_arg[4300], out_arg[4300], build_arg[4300];
	snprintf(lab_arg, sizeof lab_arg, "LAB=%s", copy);
	snprintf(out_arg, sizeof out_arg, "LABOUT=%s", exe_dir);
	snprintf(build_arg, sizeof build_arg, "BUILD=%s/objects", g->scratch);
	char *argv[] = { "make", "--no-print-directory", "-C", g->kit_dir, "lab", lab_arg, out_arg, build_arg, NULL };
	struct run_result res;
	runner_run(argv, NULL, 300000, &res);
	snprintf(g->podlab, sizeof g->podlab, "%s/podlab", exe_dir);
	if (!res.exited || res.code != 0 || access(g->podlab, X_OK) != 0) {
		char both[65536 * 2];
		snprintf(both, sizeof both, "%s%s", res.out, res.err);
		runner_excerpt(both, g->build_log, sizeof g->build_log);
		g->build_failed = true;
	}
	run_result_free(&res);
	return 0;
}

/* The maps a correct runtime produces for this user, computed with the
 * reference code from the real /etc/subuid and /etc/subgid. */
static void expected_map(struct pl_idmap *map, const char *path, const char *user, uid_t uid, unsigned long self)
{
	struct pl_subid_file f;
	struct pl_id_range r[PL_IDMAP_MAX];
	int n = 0;
	if (pl_subid_load(path, &f, NULL) == 0) {
		n = pl_subid_find(&f, user, uid, r, PL_IDMAP_MAX, NULL);
		pl_subid_free(&f);
	}
	if (pl_idmap_build(map, self, r, n > 0 ? (size_t)n : 0, PL_IDMAP_WANT, NULL) < 0)
		pl_idmap_build(map, self, NULL, 0, PL_IDMAP_WANT, NULL);
}

int grading_setup(struct grading *g)
{
	if (drop_root(g) < 0 || find_kit(g) < 0 || make_scratch(g) < 0)
		return -1;
	if (runner_init(g->scratch) < 0) {
		fprintf(stderr, "podlab-check: cannot become a child subreaper: %s\n", strerror(errno));
		return -1;
	}
	if (build_target(g) < 0 || make_rootfs(g) < 0) {
		grading_cleanup(g);
		return -1;
	}
	struct passwd *pw = getpwuid(getuid());
	struct check_ctx *ctx = &g->ctx;
	ctx->podlab = g->podlab;
	ctx->rootfs = g->rootfs;
	ctx->submission = g->submission;
	ctx->engine = g->engine ? g->engine : "podlab";
	ctx->scratch = g->scratch;
	ctx->nonce = g->nonce;
	ctx->host_marker = g->host_marker;
	ctx->user = pw ? pw->pw_name : "?";
	ctx->uid = getuid();
	ctx->gid = getgid();
	ctx->timeout_ms = g->timeout_ms;
	ctx->loginuid = -1;
	FILE *f = fopen("/proc/self/loginuid", "re");
	if (f) {
		long v;
		if (fscanf(f, "%ld", &v) == 1 && v != 4294967295L)
			ctx->loginuid = v;
		fclose(f);
	}
	/* Every podlab the checker runs keeps its images and containers in a
	 * store of this run's own, never in the student's. */
	char xdg[4200];
	snprintf(xdg, sizeof xdg, "%s/xdg", g->scratch);
	mkdir(xdg, 0700);
	/* Except a suite: the week-11 lab is graded on the student's machine
	 * as they left it -- their images, their units, their runtime
	 * directory -- so their environment stays. */
	if (g->submission == NULL) {
		setenv("XDG_DATA_HOME", xdg, 1);
		/* And its runtime state (supervisors' state files, pid files): a
		 * private runtime directory, as a login session would give. */
		char run[4200];
		snprintf(run, sizeof run, "%s/run", g->scratch);
		mkdir(run, 0700);
		setenv("XDG_RUNTIME_DIR", run, 1);
	}
	snprintf(g->store, sizeof g->store, "%s/podlab", xdg);
	ctx->store = g->store;
	expected_map(&ctx->uids, "/etc/subuid", ctx->user, ctx->uid, ctx->uid);
	expected_map(&ctx->gids, "/etc/subgid", ctx->user, ctx->uid, ctx->gid);
	return 0;
}

void grading_cleanup(struct grading *g)
{
	if (g->scratch[0] == '\0')
		return;
	if (g->keep) {
		fprintf(stderr, "podlab-check: scratch directory kept: %s\n", g->scratch);
		return;
	}
	/* Containers left files of subordinate ids behind: remove the tree as
	 * root of a user namespace (the reference code), then make sure. */
	pl_error *err = NULL;
	if (pl_store_remove_tree(g->scratch, &err) < 0)
		pl_error_free(&err);
	char *argv[] = { "rm", "-rf", g->scratch, NULL };
	struct run_result res;
	runner_run(argv, NULL, 60000, &res);
	if (res.code != 0)
		fprintf(stderr, "podlab-check: could not remove %s completely: %.300s\n", g->scratch, res.err);
	run_result_free(&res);
}
