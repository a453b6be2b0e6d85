/* container.c - the steps of `podlab run`, in the order they happen.
 *
 * Read the plan in pl_container_plan() first: it is the table of contents
 * of this file.  Every step is a small function below it.
 */
#include "container.h"

#include <errno.h>
#include <sched.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"
#include "caps.h"
#include "init.h"
#include "layer.h"
#include "masks.h"
#include "mounts.h"
#include "oci.h"
#include "paths.h"
#include "pivot.h"
#include "pod.h"
#include "seccomp.h"
#include "supervise.h"
#include "tap.h"
#include "trace.h"

/* ---- host side ------------------------------------------------------- */

/* Set KEY=VALUE in the environment list, replacing an earlier KEY. */
static void env_set(const char **env, size_t max, const char *kv)
{
	size_t key = strcspn(kv, "=");
	size_t i = 0;
	for (; env[i] != NULL; i++)
		if (strncmp(env[i], kv, key) == 0 && env[i][key] == '=') {
			env[i] = kv;
			return;
		}
	if (i + 1 < max) {
		env[i] = kv;
		env[i + 1] = NULL;
	}
}

/* The command's environment: podlab's defaults, then the image's, then
 * -e options, each overriding the one before.  It starts clean, as
 * podman's does: the host's variables describe the host. */
static void build_env(struct pl_run *run)
{
	static char term[256], host[128];
	size_t max = sizeof run->env / sizeof *run->env;
	run->env[0] = NULL;
	env_set(run->env, max, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	env_set(run->env, max, "HOME=/root");
	env_set(run->env, max, "container=podlab");
	const char *t = getenv("TERM");
	if (t != NULL) {
		snprintf(term, sizeof term, "TERM=%s", t);
		env_set(run->env, max, term);
	}
	snprintf(host, sizeof host, "HOSTNAME=%s", run->spec->hostname ? run->spec->hostname : "podlab");
	env_set(run->env, max, host);
	for (char **e = run->image.env; run->spec->image && *e; e++)
		env_set(run->env, max, *e);
	for (size_t i = 0; i < run->spec->n_env; i++)
		env_set(run->env, max, run->spec->env[i]);
}

/* podlab start: the container exists; its record says how it was made. */
static int reuse(struct pl_run *run, pl_error **err)
{
	if (pl_storage_open(&run->store, err) < 0 || pl_ctr_find(&run->store, run->spec->start_id, &run->ctr, err) < 0 ||
	    pl_image_get(&run->store, run->ctr.image, &run->image, err) < 0)
		return -1;
	run->have_ctr = run->reused = true;
	pl_trace("container %.12s (%s) again, from %s", run->ctr.id, run->ctr.name, run->ctr.image);
	return 0;
}

static int step_create(struct pl_run *run, pl_error **err)
{
	struct pl_spec *spec = run->spec;
	enum pl_driver driver;
	char why[512];
	if (spec->start_id != NULL) {
		if (reuse(run, err) < 0)
			return -1;
		if (spec->argv == NULL)
			spec->argv = run->image.cmd;
		if (spec->workdir == NULL && run->image.workdir[0])
			spec->workdir = run->image.workdir;
		spec->rootfs = run->ctr.rootfs;
		return 0;
	}
	if (pl_storage_open(&run->store, err) < 0 || pl_image_get(&run->store, spec->image, &run->image, err) < 0)
		return -1;
	if (spec->driver != NULL) {
		if (pl_driver_parse(spec->driver, &driver, err) < 0)
			return -1;
	} else {
		driver = pl_driver_detect(why, sizeof why);
		pl_trace("storage driver %s: %s", pl_driver_name(driver), why);
	}
	if (spec->argv == NULL) {
		if (run->image.cmd[0] == NULL) {
			pl_fail(err, EINVAL, "the image %s has no default command", spec->image);
			return pl_fix(err, "give one: podlab run %s COMMAND", spec->image);
		}
		spec->argv = run->image.cmd;
	}
	if (spec->workdir == NULL && run->image.workdir[0])
		spec->workdir = run->image.workdir;
	if (pl_ctr_create(&run->store, &run->image, spec->name, driver, &run->ctr, err) < 0)
		return -1;
	run->have_ctr = true;
	struct pl_pod pod;
	if (spec->pod != NULL) {
		if (pl_pod_find(&run->store, spec->pod, &pod, err) < 0)
			return -1;
		snprintf(run->ctr.pod, sizeof run->ctr.pod, "%s", pod.name);
	}
	if (pl_ctr_set_args(&run->ctr, spec->run_argc, spec->run_argv, spec->argv, err) < 0 ||
	    (spec->n_ports && pl_ctr_set_ports(&run->ctr, spec->ports, spec->n_ports, err) < 0))
		return -1;
	pl_trace("container %.12s (%s) from %s, driver %s", run->ctr.id, run->ctr.name, spec->image,
		 pl_driver_name(driver));
	spec->rootfs = run->ctr.rootfs;
	return 0;
}

/* ---- the OCI way: a bundle, and crun's verbs -------------------------- */

static json_object *oci_config(struct pl_run *run)
{
	build_env(run);
	struct pl_oci_input in = { .spec = run->spec, .ids = &run->ids, .env = run->env, .caps = run->caps,
				   .holder = run->holder, .init = run->crun_init[0] ? run->crun_init : NULL,
				   .rootfs = run->spec->rootfs_real[0] ? run->spec->rootfs_real : run->spec->rootfs };
	return pl_oci_config(&in);
}

static int step_print_config(struct pl_run *run, pl_error **err)
{
	(void)err;
	json_object *c = oci_config(run);
	puts(json_object_to_json_string_ext(c, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(c);
	return 0;
}

/* crun makes directories to mount on, not files: make the file mount
 * points podlab's executor would make (safely: inside the root only). */
static int file_mount_points(struct pl_run *run, pl_error **err)
{
	const struct pl_spec *s = run->spec;
	const char *root = s->rootfs_real[0] ? s->rootfs_real : s->rootfs;
	cleanup_close int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return pl_fail(err, errno, "cannot open the root filesystem %s", root);
	for (size_t i = 0; i <= s->n_volumes; i++) {
		const char *target = i < s->n_volumes ? s->volumes[i].container : "/etc/resolv.conf";
		const char *source = i < s->n_volumes ? s->volumes[i].host : s->resolv_conf;
		struct stat st;
		if (source == NULL || stat(source, &st) < 0 || S_ISDIR(st.st_mode))
			continue;
		int fd = pl_path_open_in_root(rootfd, target, PL_PATH_FILE, err);
		if (fd < 0)
			return -1;
		close(fd);
	}
	return 0;
}

static int step_oci_bundle(struct pl_run *run, pl_error **err)
{
	if (file_mount_points(run, err) < 0)
		return -1;
	char id[80];
	snprintf(id, sizeof id, "%s", run->have_ctr ? run->ctr.id : "");
	if (!run->have_ctr)
		snprintf(id, sizeof id, "rootfs-%d", (int)getpid());
	json_object *c = oci_config(run);
	int rc = pl_crun_bundle(&run->crun, id, c, err);
	json_object_put(c);
	return rc;
}

/* crun keeps the container undumpable until its exec, so no helper may
 * enter its namespaces before then -- too late for a network that must
 * be up when the command starts.  So, as podman does, the user (and
 * network) namespaces come first, held by a child of ours; the network
 * helper joins them, then crun is told to join them too. */
static int step_crun_holder(struct pl_run *run, pl_error **err)
{
	/* The holder also ties the container to podlab's life, which crun
	 * does not (nothing in OCI says "die with your parent"): podlab sends
	 * it the container's pid over a pipe, and when the pipe reads
	 * end-of-file -- podlab is gone -- the holder kills the container. */
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return pl_fail(err, errno, "cannot make a pipe for the namespace holder");
	bool net = run->spec->namespaces & CLONE_NEWNET;
	pid_t pid = pl_clone(CLONE_NEWUSER | (net ? CLONE_NEWNET : 0), err);
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[1]);
		pid_t ctr = 0;
		if (getppid() == 1 || read(p[0], &ctr, sizeof ctr) != sizeof ctr)
			_exit(0); /* podlab died before crun create */
		char byte;
		while (read(p[0], &byte, 1) != 0)
			;
		if (ctr > 0)
			kill(ctr, SIGKILL);
		_exit(0);
	}
	close(p[0]);
	run->holder_fd = p[1];
	run->holder = pid;
	pl_trace("namespace holder is pid %d", (int)pid);
	if (pl_userns_write_maps(pid, &run->ids, err) < 0)
		return -1;
	run->net.container = pid;
	return net ? pl_network_start(&run->net, err) : 0;
}

static int step_crun_create(struct pl_run *run, pl_error **err)
{
	/* Blocked from here on, so the wait step's sigwaitinfo() sees the
	 * container's SIGCHLD and the signals to forward (as step_clone). */
	if (pl_signals_block(&run->old_mask, err) < 0)
		return -1;
	if (pl_crun_create(&run->crun, err) < 0) {
		/* crun checks the command at create: keep the shell's codes. */
		if (*err && (*err)->why && strstr((*err)->why, "not found"))
			run->exec_errno = ENOENT;
		return -1;
	}
	if (run->holder_fd >= 0 && write(run->holder_fd, &run->crun.pid, sizeof run->crun.pid) < 0)
		pl_trace("the namespace holder is gone: %s", strerror(errno));
	run->child = run->crun.pid;
	/* The OCI state is the runtime's word on the container: "created",
	 * its PID 1 waiting before the exec, the pid the pid file gave. */
	char status[32];
	pid_t pid = 0;
	if (pl_crun_state(&run->crun, status, sizeof status, &pid, err) < 0)
		return -1;
	pl_trace("crun state: %s, pid %d", status, (int)pid);
	if (strcmp(status, "created") != 0 || pid != run->crun.pid)
		return pl_fail(err, EPROTO, "after crun create, crun state says '%s' (pid %d), not 'created' (pid %d)",
			       status, (int)pid, (int)run->crun.pid);
	return 0;
}

static int step_crun_start(struct pl_run *run, pl_error **err)
{
	if (pl_crun_start(&run->crun, err) < 0)
		return -1;
	run->started = true;
	pl_supervise_started(run);
	return 0;
}

static int step_print_id(struct pl_run *run, pl_error **err)
{
	(void)err;
	printf("%s\n", run->ctr.id);
	return 0;
}

static int step_detach(struct pl_run *run, pl_error **err)
{
	return pl_supervise_detach(run, err);
}

static int step_storage(struct pl_run *run, pl_error **err)
{
	if (run->ctr.driver == PL_DRIVER_VFS)
		return 0; /* its own full copy: nothing to mount */
	/* The kernel copies at most one page of mount options; fuse-overlayfs
	 * takes them on its command line, where the limit is much higher. */
	char options[65536];
	size_t limit = run->ctr.driver == PL_DRIVER_OVERLAY ? (size_t)sysconf(_SC_PAGESIZE) : sizeof options;
	if (pl_ctr_overlay_options(&run->store, &run->ctr, options, limit, err) < 0) {
		if (run->ctr.driver == PL_DRIVER_OVERLAY && *err && (*err)->errnum == E2BIG) {
			pl_why(err, "the kernel reads at most %zu bytes of mount options, and every layer's directory "
				    "is one more path in lowerdir",
			       limit);
			return pl_fix(err, "run it with --storage-driver fuse-overlayfs (or vfs), or flatten the image "
					   "into fewer layers (podman export | podlab image import)");
		}
		return -1;
	}
	return pl_driver_mount(run->ctr.driver, run->child, options, run->ctr.rootfs, &run->fuse, err);
}

static int step_network(struct pl_run *run, pl_error **err)
{
	run->net.container = run->child;
	return pl_network_start(&run->net, err);
}

/* A child of ours other than the container ended while we waited. */
static void reap_other(pid_t pid, int status, void *arg)
{
	struct pl_run *run = arg;
	if (pl_network_reap(&run->net, pid, status))
		return;
	if (pid == run->fuse) {
		run->fuse = 0;
		pl_warn("fuse-overlayfs exited (status %d): the container's files are gone until it is restarted",
			pl_exit_code(status));
	}
}

/* After the container: its helpers go, and with --rm the container
 * itself. */
static void finish(struct pl_run *run)
{
	if (run->crun.bundle[0]) {
		pl_crun_delete(&run->crun); /* kills what is left of the container */
		if (run->child > 0)
			waitpid(run->child, NULL, 0);
		run->child = 0;
	}
	if (run->holder > 0) {
		close(run->holder_fd);
		run->holder_fd = -1;
		kill(run->holder, SIGKILL);
		waitpid(run->holder, NULL, 0);
		run->holder = 0;
	}
	pl_network_stop(&run->net);
	pl_driver_stop(run->fuse);
	run->fuse = 0;
	/* A container that never started is removed (nothing of it was
	 * used), unless it was made to wait (create) or already existed. */
	bool unused = !run->started && !run->reused && !run->spec->create_only;
	if (!run->started && run->spec->fail_dir)
		pl_remove_tree(run->spec->fail_dir, NULL);
	if (run->have_ctr && (run->spec->remove || unused)) {
		pl_error *err = NULL;
		pl_state_remove(run->ctr.id);
		if (pl_ctr_remove(&run->store, &run->ctr, &err) < 0) {
			pl_warn("could not remove container %.12s: %s", run->ctr.id, err->what);
			pl_error_free(&err);
		}
	}
}

static int step_check_spec(struct pl_run *run, pl_error **err)
{
	/* Everything a user can get wrong is found here, before any process
	 * or mount exists: nothing to clean up after a typo. */
	if (pl_rootfs_check(run->spec, err) < 0)
		return -1;
	struct pl_spec *s = run->spec;
	if (pl_caps_resolve(s->cap_add, s->n_cap_add, s->cap_drop, s->n_cap_drop, &run->caps, err) < 0)
		return -1;
	if (s->print_config) { /* a description only: no network files, no port checks */
		struct pl_net unused = { 0 };
		/* ...but a pod member's namespaces are the infra's, if it runs. */
		if (s->pod != NULL && pl_pod_prepare(s, &unused, NULL) == 0)
			pl_network_stop(&unused);
		return 0;
	}
	if (s->use_crun && (s->pod || (run->have_ctr && run->ctr.driver != PL_DRIVER_VFS))) {
		pl_fail(err, EINVAL, "--runtime crun runs --rootfs directories and vfs containers, outside pods");
		pl_why(err, "%s", s->pod ? "joining a pod's namespaces is done by podlab's own executor"
					 : "podlab mounts overlay inside the container's namespaces, which crun makes itself");
		return pl_fix(err, "drop --runtime crun, or use --storage-driver vfs (or --rootfs) without --pod");
	}
	/* OCI has no init of its own: podman bind-mounts catatonit into the container
	 * (at /run/podman-init); podlab binds it at /dev/init. */
	if (s->use_crun && s->init && !pl_find_program("catatonit", run->crun_init, sizeof run->crun_init)) {
		pl_fail(err, ENOENT, "--init with --runtime crun needs catatonit, which is not installed");
		return pl_fix(err, "sudo apt-get install catatonit, or leave out --init");
	}
	if (s->pod != NULL) /* the pod's network, its resolv.conf, its infra */
		return pl_pod_prepare(s, &run->net, err);
	if (pl_network_check(&s->net, s->ports, s->n_ports, err) < 0)
		return -1;
	/* The network's files must exist before clone(): the child sees
	 * only what the spec held at that moment. */
	run->net.opts = s->net;
	run->net.ports = s->ports;
	run->net.n_ports = s->n_ports;
	if (!(s->namespaces & CLONE_NEWNET))
		return 0;
	return pl_network_prepare(&run->net, &s->resolv_conf, err);
}

static int step_plan_ids(struct pl_run *run, pl_error **err)
{
	return pl_userns_plan(&run->ids, run->spec->subuid_path, run->spec->subgid_path, err);
}

static void container_main(struct pl_run *run);

static int step_clone(struct pl_run *run, pl_error **err)
{
	build_env(run);
	if (pl_sync_init(&run->sync, err) < 0)
		return -1;
	if (pl_signals_block(&run->old_mask, err) < 0)
		return -1;
	/* In a pod: the user, network, UTS and IPC namespaces are the infra's;
	 * the rest are made new, inside them (pod.h). */
	pid_t pid = run->spec->pod_infra > 0 ? pl_pod_clone(run->spec->pod_infra, run->spec->namespaces, err)
					     : pl_clone(run->spec->namespaces, err);
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &run->old_mask, NULL);
		pl_sync_close(&run->sync);
		return -1;
	}
	if (pid == 0)
		container_main(run); /* never returns */
	run->child = pid;
	pl_sync_host_side(&run->sync);
	pl_trace("container process is host pid %d", (int)pid);
	return 0;
}

static int step_write_maps(struct pl_run *run, pl_error **err)
{
	return pl_userns_write_maps(run->child, &run->ids, err);
}

static int step_release(struct pl_run *run, pl_error **err)
{
	return pl_sync_go(&run->sync, 1, err);
}

static int step_wait_exec(struct pl_run *run, pl_error **err)
{
	if (pl_sync_wait_exec(&run->sync, err) == 0) {
		run->started = true;
		pl_supervise_started(run);
		return 0;
	}
	run->child_failed = true;
	return -1;
}

/* A container crun runs is signalled the OCI way, through `crun kill`:
 * the runtime, not the engine, knows which process is the container. */
static void crun_deliver(pid_t child, int sig, void *arg)
{
	struct pl_run *run = arg;
	pl_error *err = NULL;
	if (pl_crun_kill(&run->crun, sig, &err) < 0) {
		/* It may have exited a moment ago; the pid is still ours to use
		 * until we reap it. */
		pl_trace("%s: signalling host pid %d directly", err->what, (int)child);
		pl_error_free(&err);
		kill(child, sig);
	}
}

static int step_wait_exit(struct pl_run *run, pl_error **err)
{
	(void)err;
	run->exit_code = pl_wait_forwarding(run->child, reap_other, run->crun.bundle[0] ? crun_deliver : NULL, run);
	run->child = 0;
	pl_trace("container exited with status %d", run->exit_code);
	pl_supervise_exited(run);
	return 0;
}

/* ---- container side -------------------------------------------------- */

static int step_wait_maps(struct pl_run *run, pl_error **err)
{
	return pl_sync_wait_go(&run->sync, err);
}

static int step_become_root(struct pl_run *run, pl_error **err)
{
	(void)run;
	return pl_userns_become_root(err);
}

static int step_hostname(struct pl_run *run, pl_error **err)
{
	const char *name = run->spec->hostname ? run->spec->hostname : "podlab";
	pl_trace("sethostname %s", name);
	if (sethostname(name, strlen(name)) < 0)
		return pl_fail(err, errno, "cannot set the hostname to '%s'", name);
	return 0;
}

static int step_mounts(struct pl_run *run, pl_error **err)
{
	return pl_mounts_prepare(run->spec, err);
}

static int step_pivot(struct pl_run *run, pl_error **err)
{
	return pl_pivot_root(run->spec->rootfs, err);
}

static int step_masks(struct pl_run *run, pl_error **err)
{
	(void)run;
	return pl_masks_apply(err);
}

/* A process inherits its session keyring from its parent: without this
 * the container would share your login session's keys (and with
 * seccomp=unconfined could read or add to them).  runc and crun do the
 * same: join a new, anonymous session keyring. */
static int step_loopback(struct pl_run *run, pl_error **err)
{
	(void)run;
	return pl_net_loopback_up(err);
}

static int step_keyring(struct pl_run *run, pl_error **err)
{
	(void)run, (void)err;
	if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, NULL) < 0)
		pl_trace("no session keyring of its own (%s): the kernel has no keyrings, or refused", strerror(errno));
	return 0;
}

static int step_caps(struct pl_run *run, pl_error **err)
{
	return pl_caps_apply(run->caps, err);
}

static int step_seccomp(struct pl_run *run, pl_error **err)
{
	(void)run;
	return pl_seccomp_apply(err);
}

static int step_init(struct pl_run *run, pl_error **err)
{
	(void)err;
	/* PID 1 keeps no end of the sync pipes: the host side must see the
	 * command's execve() close the report pipe, not wait for the init. */
	pl_init_fork(&run->old_mask, run->sync.report[1]);
	return 0;
}

static int step_exec(struct pl_run *run, pl_error **err)
{
	if (run->spec->workdir && chdir(run->spec->workdir) < 0) {
		pl_fail(err, errno, "cannot use %s as the working directory", run->spec->workdir);
		return pl_fix(err, "it must exist in the container's file system");
	}
	/* The command must not inherit podlab's blocked signals, nor its
	 * SIGPIPE disposition (an ignored signal stays ignored across exec). */
	sigprocmask(SIG_SETMASK, &run->old_mask, NULL);
	sigaction(SIGPIPE, &run->old_pipe, NULL);
	/* execvpe searches PATH as given in the new environment. */
	execvpe(run->spec->argv[0], run->spec->argv, (char **)run->env);
	int e = run->exec_errno = errno;
	pl_fail(err, e, "cannot run '%s' in the container", run->spec->argv[0]);
	if (e == ENOENT)
		return pl_fix(err, "check that the command exists in the container's filesystem%s%s (and that its "
				   "dynamic loader and libraries do, for a dynamically linked program)",
			      run->spec->rootfs ? ": " : "", run->spec->rootfs ? run->spec->rootfs : "");
	if (e == EACCES)
		return pl_fix(err, "check that the file is executable (chmod +x) and that its directory is searchable");
	return -1;
}

static void container_main(struct pl_run *run)
{
	pl_error *err = NULL;
	/* If podlab dies, so does the container: the kernel sends us SIGKILL,
	 * and as PID 1 we take the whole PID namespace with us.  (Had podlab
	 * died before this line, the go pipe reads end-of-file below.) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pl_sync_container_side(&run->sync);
	if (pl_plan_run(run->plan, PL_CONTAINER, run, &err) < 0) {
		pl_sync_fail(&run->sync, err);
		/* The shell's codes: 127 "not found" and 126 "cannot execute" for
		 * the command itself; podman's 125 for everything before it. */
		if (run->exec_errno)
			_exit(run->exec_errno == ENOENT ? 127 : 126);
		_exit(125);
	}
	_exit(125); /* not reached: the last step is execve() */
}

/* ---- the plan -------------------------------------------------------- */

void pl_container_plan(const struct pl_spec *spec, struct pl_plan *plan)
{
	memset(plan, 0, sizeof *plan);
	if (spec->start_id)
		pl_plan_add(plan, PL_HOST, "find the container and the image it was made from", step_create);
	else if (spec->image)
		pl_plan_add(plan, PL_HOST, "create the container from its image: a record and a writable layer",
			    step_create);
	if (spec->create_only) {
		pl_plan_add(plan, PL_HOST, "print its id: podlab create starts nothing", step_print_id);
		return;
	}
	if (spec->print_config) {
		pl_plan_add(plan, PL_HOST, "check the container spec", step_check_spec);
		pl_plan_add(plan, PL_HOST, "look up the caller's subordinate ids and plan the id maps", step_plan_ids);
		pl_plan_add(plan, PL_HOST, "print the container as an OCI config.json", step_print_config);
		return;
	}
	if (spec->detach)
		pl_plan_add(plan, PL_HOST, "fork the supervisor, which stays with the container, its output to the log",
			    step_detach);
	if (spec->use_crun) {
		pl_plan_add(plan, PL_HOST, "check the container spec (root filesystem, volumes, capabilities)",
			    step_check_spec);
		pl_plan_add(plan, PL_HOST, "look up the caller's subordinate ids and plan the id maps", step_plan_ids);
		pl_plan_add(plan, PL_HOST,
			    spec->namespaces & CLONE_NEWNET
				    ? "make the user and network namespaces (held by a child) and start their network"
				    : "make the user namespace (held by a child, which also ties the container to podlab)",
			    step_crun_holder);
		pl_plan_add(plan, PL_HOST, "write the OCI bundle: config.json describes the whole container",
			    step_oci_bundle);
		pl_plan_add(plan, PL_HOST, "crun create: crun makes the other namespaces and the mounts; the command waits",
			    step_crun_create);
		pl_plan_add(plan, PL_HOST, "crun start: the command runs", step_crun_start);
		pl_plan_add(plan, PL_HOST, "wait for the command to exit, forwarding signals to it", step_wait_exit);
		return;
	}
	pl_plan_add(plan, PL_HOST, "check the container spec (root filesystem, volumes, capabilities)", step_check_spec);
	pl_plan_add(plan, PL_HOST, "look up the caller's subordinate ids and plan the id maps", step_plan_ids);
	if (spec->pod)
		pl_plan_add(plan, PL_HOST, "join the pod's user, network, UTS and IPC namespaces; clone into new mount "
					   "and PID namespaces",
			    step_clone);
	else
		pl_plan_add(plan, PL_HOST,
			    spec->namespaces & CLONE_NEWNET
				    ? "clone the container process into new user, mount, PID, UTS, IPC and network namespaces"
				    : "clone the container process into new user, mount, PID, UTS and IPC namespaces",
			    step_clone);
	if (spec->pod == NULL)
		pl_plan_add(plan, PL_HOST, "write the container's uid_map and gid_map", step_write_maps);
	if (spec->image)
		pl_plan_add(plan, PL_HOST, "mount the container's root filesystem (storage driver) in its namespaces",
			    step_storage);
	if (spec->namespaces & CLONE_NEWNET)
		pl_plan_add(plan, PL_HOST, "start the network helper(s) and wait for the container's network",
			    step_network);
	pl_plan_add(plan, PL_HOST, "tell the container process to continue", step_release);
	pl_plan_add(plan, PL_HOST, "wait until the command is running (or report why it is not)", step_wait_exec);
	pl_plan_add(plan, PL_HOST, "wait for the command to exit, forwarding signals to it", step_wait_exit);

	pl_plan_add(plan, PL_CONTAINER, "wait until the host side has written the id maps", step_wait_maps);
	pl_plan_add(plan, PL_CONTAINER, "become root (uid 0, gid 0) inside the user namespace", step_become_root);
	if (spec->pod == NULL) /* in a pod the name is the pod's */
		pl_plan_add(plan, PL_CONTAINER, "set the hostname in the new UTS namespace", step_hostname);
	if (spec->rootfs || spec->image) {
		pl_plan_add(plan, PL_CONTAINER, "mount the container's tree: proc, dev, sys, tmp, volumes", step_mounts);
		pl_plan_add(plan, PL_CONTAINER, "pivot_root into the root filesystem and detach the old root", step_pivot);
		pl_plan_add(plan, PL_CONTAINER, "mask and freeze the host-wide parts of /proc and /sys", step_masks);
	} else {
		pl_plan_add(plan, PL_CONTAINER, "keep the host's file system view, with a /proc of the new PID namespace",
			    step_mounts);
	}
	if (spec->namespaces & CLONE_NEWNET)
		pl_plan_add(plan, PL_CONTAINER, "bring the loopback interface up", step_loopback);
	pl_plan_add(plan, PL_CONTAINER, "join a session keyring of the container's own", step_keyring);
	pl_plan_add(plan, PL_CONTAINER, "drop capabilities to the default set and set no_new_privs", step_caps);
	if (spec->seccomp)
		pl_plan_add(plan, PL_CONTAINER, "load the seccomp filter", step_seccomp);
	if (spec->init)
		pl_plan_add(plan, PL_CONTAINER, "start the init as PID 1 and the command as PID 2", step_init);
	pl_plan_add(plan, PL_CONTAINER, "execute the command", step_exec);
}

/* After a host-side failure: find out whether the container side failed
 * first (then its error is the one to show), and make sure the child is
 * gone and reaped.  It is PID 1 of its namespace, so killing it ends
 * everything it started. */
static void abandon_child(struct pl_run *run, int *exit_code, pl_error **err)
{
	pl_error *child_err = NULL;
	if (!run->child_failed && pl_sync_peek_failure(&run->sync, &child_err) == 1) {
		pl_error_free(err);
		*err = child_err;
		run->child_failed = true;
	}
	if (!run->child_failed) {
		pl_sync_go(&run->sync, 0, NULL);
		kill(run->child, SIGKILL);
	}
	int status = 0;
	/* A child that reported is on its way out: give it a moment to leave
	 * with its own exit code, then stop waiting politely. */
	for (int i = 0; i < 200; i++) {
		pid_t r = waitpid(run->child, &status, WNOHANG);
		if (r == run->child || (r < 0 && errno != EINTR))
			break;
		if (i == 199) {
			kill(run->child, SIGKILL);
			waitpid(run->child, &status, 0);
		}
		usleep(5000);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) >= 125 && WEXITSTATUS(status) <= 127)
		*exit_code = WEXITSTATUS(status);
	run->child = 0;
}

int pl_container_run(struct pl_spec *spec, int *exit_code, pl_error **err)
{
	struct pl_plan plan;
	pl_container_plan(spec, &plan);
	struct pl_run run = { .spec = spec, .plan = &plan, .child = 0, .exit_code = 0, .notify_fd = -1, .holder_fd = -1 };
	run.image.env[0] = run.image.cmd[0] = NULL;
	run.sync.go[0] = run.sync.go[1] = run.sync.report[0] = run.sync.report[1] = -1;
	sigprocmask(SIG_SETMASK, NULL, &run.old_mask);
	/* A write to a pipe whose reader died must come back as EPIPE, not
	 * kill podlab with SIGPIPE before it can say what went wrong. */
	struct sigaction ignore = { .sa_handler = SIG_IGN };
	sigaction(SIGPIPE, &ignore, &run.old_pipe);
	/* 125 is podman's "the runtime itself failed" code. */
	*exit_code = 125;
	int rc = pl_plan_run(&plan, PL_HOST, &run, err);
	if (rc < 0 && run.child > 0 && !spec->use_crun) /* crun's: crun delete in finish() */
		abandon_child(&run, exit_code, err);
	if (rc < 0 && spec->use_crun && run.exec_errno == ENOENT)
		*exit_code = 127;
	finish(&run);
	/* After finish(): when the waiting podlab says "failed", nothing of
	 * the container is left for a `ps` right after it to see. */
	if (rc < 0)
		pl_supervise_failed(&run, *err, *exit_code);
	if (run.have_ctr)
		pl_image_free(&run.image);
	pl_sync_close(&run.sync);
	sigprocmask(SIG_SETMASK, &run.old_mask, NULL);
	sigaction(SIGPIPE, &run.old_pipe, NULL);
	if (rc < 0)
		return -1;
	*exit_code = run.exit_code;
	return 0;
}
