/* stage04 - a network namespace, a TAP, and a TCP/IP stack in user space.
 *
 *   build/stage04 [COMMAND [ARG...]]   (default: ip addr and ip route)
 *
 * Uses stage 01 (the user namespace) and stage 04's tap.c and slirp.c:
 * the child gets new user and network namespaces; the parent creates tap0
 * in them, takes its descriptor back, and runs the libslirp loop in a
 * helper process while the command runs.  No privilege anywhere.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"
#include "slirp.h"
#include "sync.h"
#include "tap.h"
#include "userns.h"

int main(int argc, char **argv)
{
	char *fallback[] = { "/bin/sh", "-c", "ip addr show; echo; ip route", NULL };
	char **cmd = argc > 1 ? argv + 1 : fallback;
	pl_error *err = NULL;
	struct pl_idplan ids;
	struct pl_sync sync;
	if (pl_userns_plan(&ids, "/etc/subuid", "/etc/subgid", &err) < 0 || pl_sync_init(&sync, &err) < 0)
		goto fail;
	pid_t pid = pl_clone(CLONE_NEWUSER | CLONE_NEWNET, &err);
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		pl_sync_container_side(&sync);
		if (pl_sync_wait_go(&sync, &err) < 0 || pl_userns_become_root(&err) < 0) {
			pl_error_print(err, stderr, "stage04 (child)");
			_exit(125);
		}
		execvp(cmd[0], cmd);
		perror("stage04: exec");
		_exit(127);
	}
	pl_sync_host_side(&sync);
	int tapfd = -1;
	if (pl_userns_write_maps(pid, &ids, &err) < 0 || pl_tap_create(pid, &tapfd, &err) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto fail;
	}
	printf("host side: tap0 made in process %d's namespaces; its descriptor came back as fd %d\n\n", (int)pid, tapfd);
	fflush(stdout);
	pid_t helper = fork();
	if (helper == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		struct pl_slirp_opts o = { 0 };
		_exit(pl_slirp_run(tapfd, &o));
	}
	close(tapfd);
	pl_sync_go(&sync, 1, &err);
	int status;
	waitpid(pid, &status, 0);
	kill(helper, SIGTERM);
	waitpid(helper, NULL, 0);
	return pl_exit_code(status);
fail:
	pl_error_print(err, stderr, "stage04");
	pl_error_free(&err);
	return 125;
}
