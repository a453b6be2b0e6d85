/* stage01 - a user namespace, and nothing else, in one page.
 *
 *   build/stage01 [COMMAND [ARG...]]     (default: id; cat /proc/self/uid_map)
 *
 * This driver uses only the modules of stage 01 (ids, idmap, userns, sync,
 * process, errors) and shows both sides of the mapping: what the command
 * sees inside, and what the host sees of the same process.  podlab's
 * container.c does the same work as a plan of steps, with more namespaces.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"
#include "process.h"
#include "sync.h"
#include "userns.h"

static void show_host_view(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "Uid:", 4) == 0 || strncmp(line, "Gid:", 4) == 0)
			printf("host side: process %d %s", (int)pid, line);
	if (f)
		fclose(f);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char *fallback[] = { "/bin/sh", "-c", "echo \"container side: $(id)\"; cat /proc/self/uid_map", NULL };
	char **cmd = argc > 1 ? argv + 1 : fallback;
	pl_error *err = NULL;

	/* 1. Decide the maps from /etc/subuid and /etc/subgid. */
	struct pl_idplan ids;
	if (pl_userns_plan(&ids, "/etc/subuid", "/etc/subgid", &err) < 0)
		goto fail;

	/* 2. Create the child in a new user namespace, with a pipe to hold it
	 *    back until step 3 is done. */
	struct pl_sync sync;
	if (pl_sync_init(&sync, &err) < 0)
		goto fail;
	pid_t pid = pl_clone(CLONE_NEWUSER, &err);
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		pl_sync_container_side(&sync);
		/* 4. (child) wait for the maps, then become root inside. */
		if (pl_sync_wait_go(&sync, &err) < 0 || pl_userns_become_root(&err) < 0) {
			pl_error_print(err, stderr, "stage01 (child)");
			_exit(125);
		}
		execvp(cmd[0], cmd);
		perror("stage01: exec");
		_exit(127);
	}
	pl_sync_host_side(&sync);

	/* 3. (parent) write uid_map and gid_map, then let the child go. */
	if (pl_userns_write_maps(pid, &ids, &err) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto fail;
	}
	show_host_view(pid);
	pl_sync_go(&sync, 1, &err);

	/* 5. Wait, and return the child's status as a shell would. */
	int status;
	waitpid(pid, &status, 0);
	return pl_exit_code(status);

fail:
	pl_error_print(err, stderr, "stage01");
	pl_error_free(&err);
	return 125;
}
