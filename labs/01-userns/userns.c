/* Lab 01 starter: userns.c, generated from runtime/userns.c by 'make labs'.
 * Fill in every part marked 'LAB 01 TODO', then build and check:
 *     make lab LAB=labs/01-userns && build/podlab-check labs/01-userns
 */
/* userns.c - deciding and writing the id maps (see userns.h). */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"
#include "trace.h"

/* Plan one map.  Both files name their lines by the *user* (login name or
 * uid), also /etc/subgid: `owner` is the caller's uid for both, while
 * `self` is the id container root maps to (the uid, or the gid). */
static int plan_one(struct pl_idmap *map, const char *kind, const char *path, const char *user, uid_t owner,
		    unsigned long self, pl_error **err)
{
	struct pl_subid_file f;
	if (pl_subid_load(path, &f, err) < 0)
		return -1;
	struct pl_id_range ranges[PL_IDMAP_MAX];
	int n = pl_subid_find(&f, user, owner, ranges, PL_IDMAP_MAX, err);
	unsigned long suggest = pl_subid_free_block(&f, PL_IDMAP_WANT);
	pl_subid_free(&f);
	if (n < 0)
		return -1;
	if (pl_idmap_build(map, self, ranges, (size_t)n, PL_IDMAP_WANT, err) < 0)
		return pl_wrap(err, "planning the %s map", kind);
	unsigned long have = pl_idmap_total(map) - 1;
	if (n == 0)
		pl_warn("no %s range for user '%s' in %s: only container root is mapped (to %s %lu), so the "
			"container has one %s. Fix: as root run 'usermod --add-sub%ss %lu-%lu %s' (a block no other "
			"user has; podlab doctor checks it)",
			kind, user, path, kind, self, kind, kind, suggest, suggest + PL_IDMAP_WANT - 1, user);
	else if (have < PL_IDMAP_WANT)
		pl_warn("%s has only %lu %ss for '%s' (podman expects %lu): container ids above %lu are unmapped", path,
			have, kind, user, PL_IDMAP_WANT, have);
	return 0;
}

int pl_userns_plan(struct pl_idplan *plan, const char *subuid_path, const char *subgid_path, pl_error **err)
{
	memset(plan, 0, sizeof *plan);
	plan->uid = getuid();
	plan->gid = getgid();
	plan->subuid_path = subuid_path;
	plan->subgid_path = subgid_path;
	/* The subid files name users by login name (or uid): find ours.  A uid
	 * without a passwd entry (common in CI containers) can still match a
	 * numeric owner field. */
	struct passwd *pw = getpwuid(plan->uid);
	if (pw != NULL)
		snprintf(plan->user, sizeof plan->user, "%s", pw->pw_name);
	pl_trace("caller is uid %u gid %u (%s)", (unsigned)plan->uid, (unsigned)plan->gid,
		 plan->user[0] ? plan->user : "no passwd entry");
	if (plan_one(&plan->uidmap, "uid", subuid_path, plan->user, plan->uid, plan->uid, err) < 0)
		return -1;
	return plan_one(&plan->gidmap, "gid", subgid_path, plan->user, plan->uid, plan->gid, err);
}

/* Run newuidmap/newgidmap and turn its failure into an explained error. */
static int run_helper(pid_t pid, const struct pl_idmap *map, const char *helper, const char *file, pl_error **err)
{
	char storage[PL_IDMAP_MAX * 3 * 12 + 64];
	char *argv[PL_IDMAP_MAX * 3 + 4];
	if (pl_idmap_helper_argv(map, helper, pid, storage, sizeof storage, argv, sizeof argv / sizeof *argv, err) < 0)
		return -1;
	if (pl_trace_on) {
		char line[1024] = "";
		for (char **a = argv; *a != NULL && strlen(line) < sizeof line - 16; a++)
			snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", a == argv ? "" : " ", *a);
		pl_trace("run %s", line);
	}
	int out[2];
	if (pipe2(out, O_CLOEXEC) < 0)
		return pl_fail(err, errno, "cannot start %s", helper);
	pid_t child = pl_fork_helper(SIGKILL, err);
	if (child < 0) {
		close(out[0]);
		close(out[1]);
		return pl_wrap(err, "cannot start %s", helper);
	}
	if (child == 0) {
		dup2(out[1], STDERR_FILENO);
		dup2(out[1], STDOUT_FILENO);
		execvp(helper, argv);
		fprintf(stderr, "exec: %s\n", strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(out[1]);
	char msg[1024];
	size_t len = 0;
	ssize_t n;
	while ((n = read(out[0], msg + len, sizeof msg - 1 - len)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			len += (size_t)n;
	close(out[0]);
	msg[len] = '\0';
	while (len > 0 && msg[len - 1] == '\n')
		msg[--len] = '\0';
	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		pl_fail(err, ENOENT, "cannot run %s to write the container's %s", helper, file);
		return pl_fix(err, "install it: 'sudo apt-get install uidmap' (Debian/Ubuntu) or 'sudo dnf install "
				   "shadow-utils' (Fedora)");
	}
	pl_fail(err, 0, "%s refused to write the container's %s", helper, file);
	pl_why(err, "%s", len ? msg : "it exited with an error and said nothing");
	return pl_fix(err, "check that %s is setuid root (ls -l $(command -v %s)) and that your entries in /etc/subuid and "
			   "/etc/subgid are valid and do not overlap: run 'podlab doctor'",
		      helper, helper);
}

/* Write a short text into a /proc file of the child, in one write() as the
 * kernel requires for the map files. */
static int write_proc(pid_t pid, const char *file, const char *text, pl_error **err)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	if (pl_trace_on) {
		char shown[512];
		snprintf(shown, sizeof shown, "%s", text);
		for (char *c = shown; *c; c++)
			if (*c == '\n')
				*c = c[1] ? ';' : '\0';
		pl_trace("write %s: %s", path, shown);
	}
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return pl_fail(err, errno, "cannot open %s", path);
	ssize_t len = (ssize_t)strlen(text);
	if (write(fd, text, (size_t)len) != len)
		return pl_fail(err, errno, "cannot write '%.*s' to %s", (int)strcspn(text, "\n"), text, path);
	return 0;
}

static int write_map(pid_t pid, const struct pl_idmap *map, const char *file, const char *helper, pl_error **err)
{
	/* LAB 01 TODO write-map: write one map ("uid_map" or "gid_map").
	 * A single-id map we may write ourselves, into /proc/PID/<file>
	 * (pl_idmap_format gives the text); for gid_map the kernel insists
	 * that /proc/PID/setgroups says "deny" first.  Any bigger map must go
	 * through the setuid helper (run_helper), which checks /etc/subuid or
	 * /etc/subgid for us. */
	return pl_todo(err, "01", "write-map");
}

int pl_userns_write_maps(pid_t pid, const struct pl_idplan *plan, pl_error **err)
{
	if (write_map(pid, &plan->uidmap, "uid_map", "newuidmap", err) < 0)
		return -1;
	return write_map(pid, &plan->gidmap, "gid_map", "newgidmap", err);
}

int pl_userns_become_root(pl_error **err)
{
	if (setresgid(0, 0, 0) < 0) {
		pl_fail(err, errno, "cannot become group 0 inside the user namespace");
		return pl_why(err, "the gid map does not map container gid 0 (was it written before this step?)");
	}
	/* With setgroups "deny" this fails with EPERM, which is expected: the
	 * host groups then stay, shown as the overflow group "nogroup". */
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		return pl_fail(err, errno, "cannot drop the supplementary groups");
	if (setresuid(0, 0, 0) < 0) {
		pl_fail(err, errno, "cannot become uid 0 inside the user namespace");
		return pl_why(err, "the uid map does not map container uid 0 (was it written before this step?)");
	}
	return 0;
}
