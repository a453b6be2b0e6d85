/* stage02 - a file system tree of the container's own, in one page.
 *
 *   build/stage02 ROOTFS [COMMAND [ARG...]]   (default: a look around)
 *
 * Uses the modules of stages 01 and 02 only: the user namespace of stage
 * 01, then mounts.c (proc, dev, sys, tmp), pivot.c and masks.c.  Before
 * the command runs it prints the container's mount table, read with
 * libmount through mountinfo.c, so you can compare it with the host's
 * (findmnt, or cat /proc/self/mountinfo).
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "masks.h"
#include "mountinfo.h"
#include "mounts.h"
#include "pivot.h"
#include "process.h"
#include "spec.h"
#include "sync.h"
#include "userns.h"

static int container_side(struct pl_spec *spec, struct pl_sync *sync, char **cmd)
{
	pl_error *err = NULL;
	pl_sync_container_side(sync);
	if (pl_sync_wait_go(sync, &err) < 0 || pl_userns_become_root(&err) < 0 || pl_mounts_prepare(spec, &err) < 0 ||
	    pl_pivot_root(spec->rootfs, &err) < 0 || pl_masks_apply(&err) < 0) {
		pl_error_print(err, stderr, "stage02 (container)");
		return 125;
	}
	struct pl_mountinfo mi;
	if (pl_mountinfo_read("/proc/self/mountinfo", &mi, &err) == 0) {
		printf("the container's mount table (%zu mounts):\n", mi.n);
		for (size_t i = 0; i < mi.n; i++)
			printf("  %-22s %-8s %s\n", mi.m[i].target, mi.m[i].fstype, mi.m[i].readonly ? "ro" : "rw");
		pl_mountinfo_free(&mi);
	}
	fflush(stdout);
	execvp(cmd[0], cmd);
	perror("stage02: exec");
	return 127;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: stage02 ROOTFS [COMMAND [ARG...]]\n");
		return 2;
	}
	char *fallback[] = { "/bin/sh", "-c", "echo; echo 'ls /:'; ls /; echo 'ls /dev:'; ls /dev", NULL };
	char **cmd = argc > 2 ? argv + 2 : fallback;
	struct pl_spec spec;
	pl_spec_init(&spec);
	spec.rootfs = argv[1];
	pl_error *err = NULL;
	struct pl_idplan ids;
	struct pl_sync sync;
	if (pl_rootfs_check(&spec, &err) < 0 || pl_userns_plan(&ids, spec.subuid_path, spec.subgid_path, &err) < 0 ||
	    pl_sync_init(&sync, &err) < 0)
		goto fail;
	pid_t pid = pl_clone(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID, &err);
	if (pid < 0)
		goto fail;
	if (pid == 0)
		_exit(container_side(&spec, &sync, cmd));
	pl_sync_host_side(&sync);
	if (pl_userns_write_maps(pid, &ids, &err) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto fail;
	}
	pl_sync_go(&sync, 1, &err);
	int status;
	waitpid(pid, &status, 0);
	return pl_exit_code(status);
fail:
	pl_error_print(err, stderr, "stage02");
	pl_error_free(&err);
	return 125;
}
