/* stage05 - a pod by hand: one process holds four namespaces, two
 * others join them.
 *
 *   build/stage05
 *
 * Uses stage 01 (the user namespace and its maps) and stage 05's
 * pl_pod_clone(): the "infra" child gets new user, network, UTS and IPC
 * namespaces and names its host "pod"; then two members join those four
 * and get new mount and PID namespaces of their own.  Each prints the
 * inode numbers of its namespaces: equal numbers are the same namespace.
 * No privilege anywhere.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pod.h"
#include "process.h"
#include "userns.h"

static void show(const char *who)
{
	static const char *const kinds[] = { "user", "net", "uts", "ipc", "mnt", "pid" };
	char host[65] = "";
	gethostname(host, sizeof host - 1);
	printf("%-9s pid %-6d hostname %-8s", who, (int)getpid(), host);
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		char path[64];
		struct stat st;
		/* pid: the namespace children are born into (pid_for_children). */
		snprintf(path, sizeof path, "/proc/self/ns/%s", strcmp(kinds[i], "pid") ? kinds[i] : "pid_for_children");
		printf(" %s:%lu", kinds[i], stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0UL);
	}
	printf("\n");
	fflush(stdout);
}

int main(void)
{
	pl_error *err = NULL;
	struct pl_idplan ids;
	int go[2];
	if (pl_userns_plan(&ids, "/etc/subuid", "/etc/subgid", &err) < 0 || pipe(go) < 0)
		goto fail;
	pid_t infra = pl_clone(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC, &err);
	if (infra < 0)
		goto fail;
	if (infra == 0) {
		/* The infra: wait for its maps, name the pod, then only exist. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		char byte;
		close(go[1]);
		if (read(go[0], &byte, 1) != 1 || sethostname("pod", 3) < 0)
			_exit(1);
		show("infra");
		for (;;)
			pause();
	}
	close(go[0]);
	if (pl_userns_write_maps(infra, &ids, &err) < 0 || write(go[1], "g", 1) != 1) {
		kill(infra, SIGKILL);
		goto fail;
	}
	usleep(100000); /* let the infra print first */
	/* Both members live at once: a namespace's inode number can be used
	 * again once the namespace is gone. */
	pid_t members[2];
	for (int i = 0; i < 2; i++) {
		members[i] = pl_pod_clone(infra, CLONE_NEWNS | CLONE_NEWPID, &err);
		if (members[i] < 0) {
			kill(infra, SIGKILL);
			goto fail;
		}
		if (members[i] == 0) {
			char who[16];
			snprintf(who, sizeof who, "member %d", i + 1);
			show(who); /* PID 1 of a PID namespace of its own */
			sleep(1);
			_exit(0);
		}
		usleep(100000);
	}
	for (int i = 0; i < 2; i++)
		waitpid(members[i], NULL, 0);
	printf("\nuser, net, uts and ipc: the infra's; mnt and pid: each member's own.\n");
	kill(infra, SIGKILL);
	waitpid(infra, NULL, 0);
	return 0;
fail:
	pl_error_print(err, stderr, "stage05");
	pl_error_free(&err);
	return 125;
}
