/* state.c - a container's runtime state, and how far to believe it. */
#include "state.h"

#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pl_state_root(char *out, size_t len, pl_error **err)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg != NULL && xdg[0] == '/')
		snprintf(out, len, "%s/podlab", xdg);
	else
		snprintf(out, len, "/tmp/podlab-run-%u", (unsigned)getuid());
	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		return pl_fail(err, errno, "cannot create the state directory %s", out);
	/* In /tmp anyone could have made it first, to feed us a state. */
	struct stat st;
	if (lstat(out, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) {
		pl_fail(err, EPERM, "the state directory %s is not a private directory of yours", out);
		return pl_fix(err, "set XDG_RUNTIME_DIR to a directory of yours with mode 0700 (log in through a "
				   "session manager, or: export XDG_RUNTIME_DIR=/tmp/run-$(id -u); mkdir -m 0700 -p "
				   "$XDG_RUNTIME_DIR)");
	}
	return 0;
}

static int state_path(const char *id, char *out, size_t len, bool make, pl_error **err)
{
	char root[4096];
	if (pl_state_root(root, sizeof root, err) < 0)
		return -1;
	snprintf(out, len, "%s/containers", root);
	if (make && mkdir(out, 0700) < 0 && errno != EEXIST)
		return pl_fail(err, errno, "cannot create %s", out);
	size_t n = strlen(out);
	snprintf(out + n, len - n, "/%s", id);
	if (make && mkdir(out, 0700) < 0 && errno != EEXIST)
		return pl_fail(err, errno, "cannot create %s", out);
	n = strlen(out);
	snprintf(out + n, len - n, "/state.json");
	return 0;
}

static const char *const status_names[] = { "created", "running", "exited" };

int pl_state_read(const char *id, struct pl_state *s, pl_error **err)
{
	memset(s, 0, sizeof *s);
	char path[4400];
	if (state_path(id, path, sizeof path, false, err) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return 0; /* never started (or the machine rebooted): created */
	json_object *root = json_object_from_file(path), *v;
	if (root == NULL)
		return pl_fail(err, EINVAL, "cannot read the state in %s: %s", path, json_util_get_last_err());
	if (json_object_object_get_ex(root, "status", &v))
		for (int i = 0; i < 3; i++)
			if (strcmp(json_object_get_string(v), status_names[i]) == 0)
				s->status = (enum pl_status)i;
#define INT(key, field)                                                  \
	if (json_object_object_get_ex(root, key, &v))                    \
		s->field = (__typeof__(s->field))json_object_get_int64(v);
	INT("supervisor", supervisor)
	INT("supervisor_start", sup_start)
	INT("pid", pid)
	INT("pid_start", pid_start)
	INT("exit_code", exit_code)
	INT("started_at", started_at)
	INT("finished_at", finished_at)
#undef INT
	json_object_put(root);
	return 0;
}

int pl_state_write(const char *id, const struct pl_state *s, pl_error **err)
{
	char path[4400], tmp[4500];
	if (state_path(id, path, sizeof path, true, err) < 0)
		return -1;
	snprintf(tmp, sizeof tmp, "%s.%d", path, (int)getpid());
	json_object *root = json_object_new_object();
	json_object_object_add(root, "status", json_object_new_string(status_names[s->status]));
	json_object_object_add(root, "supervisor", json_object_new_int64(s->supervisor));
	json_object_object_add(root, "supervisor_start", json_object_new_int64((int64_t)s->sup_start));
	json_object_object_add(root, "pid", json_object_new_int64(s->pid));
	json_object_object_add(root, "pid_start", json_object_new_int64((int64_t)s->pid_start));
	json_object_object_add(root, "exit_code", json_object_new_int64(s->exit_code));
	json_object_object_add(root, "started_at", json_object_new_int64(s->started_at));
	json_object_object_add(root, "finished_at", json_object_new_int64(s->finished_at));
	int rc = json_object_to_file_ext(tmp, root, JSON_C_TO_STRING_PRETTY);
	json_object_put(root);
	if (rc < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return pl_fail(err, e, "cannot write the state %s", path);
	}
	return 0;
}

void pl_state_remove(const char *id)
{
	char path[4400];
	if (state_path(id, path, sizeof path, false, NULL) < 0)
		return;
	unlink(path);
	*strrchr(path, '/') = '\0';
	size_t n = strlen(path);
	snprintf(path + n, sizeof path - n, "/supervisor.pid");
	unlink(path);
	path[n] = '\0';
	rmdir(path);
}

unsigned long long pl_proc_start(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The name (field 2) may hold spaces and ')': skip to the last ')'.
	 * Then field 3 is the state and field 22 the start time. */
	char *p = strrchr(buf, ')');
	if (p == NULL)
		return 0;
	unsigned long long start = 0;
	char state;
	if (sscanf(p + 2, "%c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu", &state,
		   &start) != 2 || state == 'Z')
		return 0; /* a zombie has finished: it only waits to be reaped */
	return start;
}

bool pl_state_alive(pid_t pid, unsigned long long start)
{
	return pid > 0 && start != 0 && pl_proc_start(pid) == start;
}

enum pl_truth pl_state_truth(const struct pl_state *s)
{
	switch (s->status) {
	case PL_CREATED:
		return PL_T_CREATED;
	case PL_EXITED:
		return PL_T_EXITED;
	case PL_RUNNING:
		break;
	}
	return pl_state_alive(s->supervisor, s->sup_start) ? PL_T_RUNNING : PL_T_LOST;
}

void pl_human_duration(long long s, char *out, size_t len)
{
	static const struct {
		long long size;
		const char *unit;
	} units[] = { { 86400, "day" }, { 3600, "hour" }, { 60, "minute" }, { 1, "second" } };
	if (s < 1) {
		snprintf(out, len, "Less than a second");
		return;
	}
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (s >= units[i].size || i == 3) {
			long long n = s / units[i].size;
			snprintf(out, len, "%lld %s%s", n, units[i].unit, n == 1 ? "" : "s");
			return;
		}
}

void pl_state_describe(const struct pl_state *s, long long now, char *out, size_t len)
{
	char ago[64];
	switch (pl_state_truth(s)) {
	case PL_T_CREATED:
		snprintf(out, len, "Created");
		return;
	case PL_T_RUNNING:
		pl_human_duration(now - s->started_at, ago, sizeof ago);
		snprintf(out, len, "Up %s", ago);
		return;
	case PL_T_EXITED:
		pl_human_duration(now - s->finished_at, ago, sizeof ago);
		snprintf(out, len, "Exited (%d) %s ago", s->exit_code, ago);
		return;
	case PL_T_LOST:
		snprintf(out, len, "Exited (supervisor lost)");
		return;
	}
}
