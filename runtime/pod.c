/* pod.c - a pod's record, and how a container joins it (see pod.h). */
#include "pod.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctrstore.h"
#include "process.h"
#include "state.h"
#include "trace.h"

static int load(const struct pl_storage *st, const char *id, struct pl_pod *pod)
{
	memset(pod, 0, sizeof *pod);
	char path[4300];
	pl_storage_path(st, path, sizeof path, "pods/%s/pod.json", id);
	json_object *root = json_object_from_file(path), *v;
	if (root == NULL)
		return -1;
	if (json_object_object_get_ex(root, "id", &v))
		snprintf(pod->id, sizeof pod->id, "%s", json_object_get_string(v));
	if (json_object_object_get_ex(root, "name", &v))
		snprintf(pod->name, sizeof pod->name, "%s", json_object_get_string(v));
	if (json_object_object_get_ex(root, "network", &v))
		snprintf(pod->network, sizeof pod->network, "%s", json_object_get_string(v));
	if (json_object_object_get_ex(root, "created", &v))
		pod->created = json_object_get_int64(v);
	if (json_object_object_get_ex(root, "restart", &v))
		snprintf(pod->restart, sizeof pod->restart, "%s", json_object_get_string(v));
	/* Ports as -p specs, read back with the parser that wrote them. */
	if (json_object_object_get_ex(root, "ports", &v))
		pod->n_ports = pl_ports_from_json(v, pod->ports, PL_MAX_PORTS);
	json_object_put(root);
	pl_storage_path(st, pod->dir, sizeof pod->dir, "pods/%s", pod->id);
	return 0;
}

int pl_pod_find(const struct pl_storage *st, const char *ref, struct pl_pod *pod, pl_error **err)
{
	char dir[4200];
	pl_storage_path(st, dir, sizeof dir, "pods");
	DIR *d = opendir(dir);
	int found = 0;
	struct pl_pod cand;
	for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.' || load(st, e->d_name, &cand) < 0)
			continue;
		enum pl_ref m = pl_ref_match(ref, cand.name, cand.id);
		if (m != PL_REF_NONE)
			*pod = cand;
		if (m == PL_REF_EXACT) {
			found = 1;
			break;
		}
		found += m == PL_REF_PREFIX;
	}
	if (d != NULL)
		closedir(d);
	if (found == 1)
		return 0;
	if (found > 1)
		return pl_fail(err, EINVAL, "'%s' is the start of several pod ids: give more of it", ref);
	pl_fail(err, ENOENT, "no pod named '%s'", ref);
	return pl_fix(err, "see 'podlab pod ps'; make one with podlab pod create --name %s", ref);
}

struct collect {
	const char *pod;
	char (*ids)[65];
	int n, max;
};

static int collect(const struct pl_ctr *c, void *arg)
{
	struct collect *m = arg;
	if (strcmp(c->pod, m->pod) == 0 && m->n < m->max)
		snprintf(m->ids[m->n++], 65, "%s", c->id);
	return 0;
}

int pl_pod_members(const struct pl_storage *st, const struct pl_pod *pod, char (*ids)[65], int max, pl_error **err)
{
	struct collect m = { pod->name, ids, 0, max };
	return pl_ctr_each(st, collect, &m, err) < 0 ? -1 : m.n;
}

int pl_pod_prepare(struct pl_spec *spec, struct pl_net *net, pl_error **err)
{
	struct pl_storage st;
	struct pl_pod pod;
	struct pl_state s;
	if (pl_storage_open(&st, err) < 0 || pl_pod_find(&st, spec->pod, &pod, err) < 0 ||
	    pl_state_read(pod.id, &s, err) < 0)
		return -1;
	if (pl_state_truth(&s) != PL_T_RUNNING || !pl_state_alive(s.pid, s.pid_start)) {
		pl_fail(err, ESRCH, "pod %s is not running: its infra process holds the namespaces to join", pod.name);
		return pl_fix(err, "remove it and make it again (podlab pod rm -f %s; podlab pod create --name %s)",
			      pod.name, pod.name);
	}
	if (spec->n_ports > 0) {
		pl_fail(err, EINVAL, "a container in a pod cannot publish ports of its own");
		return pl_fix(err, "ports belong to the pod's network: podlab pod create --name %s -p HOST:CTR", pod.name);
	}
	spec->pod_infra = s.pid;
	pl_trace("pod %s: infra is pid %d", pod.name, (int)s.pid);
	net->opts = (struct pl_netopts){ .mode = PL_NET_SLIRP };
	if (pod.network[0] && pl_network_parse(pod.network, &net->opts, err) < 0)
		return -1;
	/* The same resolv.conf the infra's network would give: only files,
	 * no helper; pl_network_stop() removes them at the end. */
	if (net->opts.mode == PL_NET_HOST)
		return 0;
	return pl_network_prepare(net, &spec->resolv_conf, err);
}

pid_t pl_pod_clone(pid_t infra, unsigned long flags, pl_error **err)
{
	const int join = CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return pl_fail(err, errno, "cannot make a pipe");
	fflush(NULL);
	/* setns() changes the caller; podlab must stay where it is, so a
	 * short-lived child joins, then clones the container. */
	pid_t joiner = fork();
	if (joiner < 0) {
		close(p[0]);
		close(p[1]);
		return pl_fail(err, errno, "cannot fork to join the pod");
	}
	if (joiner == 0) {
		close(p[0]);
		int result;
		/* LAB 05 BEGIN pod-join: join the pod, then clone the container.
		 * Enter the infra's user, network, UTS and IPC namespaces (`join`)
		 * with pl_join(infra, join); on failure result is -errno.  Then
		 * clone the container with the raw system call, as pl_clone() does
		 * (syscall(SYS_clone, FLAGS, NULL, NULL, NULL, NULL)), where FLAGS
		 * are `flags` without the joined four, plus CLONE_PARENT (the
		 * container becomes podlab's child, so podlab can wait for it)
		 * and SIGCHLD.  In the new child: close(p[1]) and return 0 -- it
		 * goes on to become the container.  Here: result is its pid, or
		 * -errno if clone failed. */
		if (pl_join(infra, join) < 0) {
			result = -errno;
		} else {
			long pid = syscall(SYS_clone, (flags & ~(unsigned long)join) | CLONE_PARENT | SIGCHLD, NULL, NULL,
					   NULL, NULL);
			if (pid == 0) {
				close(p[1]);
				return 0; /* the container: on with container_main() */
			}
			result = pid < 0 ? -errno : (int)pid;
		}
		/* LAB 05 END pod-join: (void)infra; (void)flags; (void)join; result = -ENOSYS; */
		if (write(p[1], &result, sizeof result) < 0)
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	int result = -EPIPE;
	if (read(p[0], &result, sizeof result) != sizeof result)
		result = -EPIPE;
	close(p[0]);
	waitpid(joiner, NULL, 0);
	if (result > 0)
		return result;
	pl_fail(err, -result, "cannot start a container in the namespaces of pod infra %d", (int)infra);
	if (result == -ENOSYS)
		return pl_todo(err, "05", "pod-join");
	return pl_fix(err, "check that the pod still runs: podlab pod ps");
}

int pl_cmd_pause(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	/* Blocked signals are queued even for a namespace's PID 1, which
	 * drops signals it has no handler for: sigwait() then takes them. */
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		int sig;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig != SIGCHLD)
			return 0;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}
