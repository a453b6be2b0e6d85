/* stage07 - what hardening takes away, shown from inside.
 *
 *   build/stage07 [--unconfined]
 *
 * Creates a user namespace (stage 01), then tries a few operations three
 * times: as namespace root with every capability, after caps.c has cut
 * the capabilities to podman's default set, and after seccomp.c has
 * loaded the filter.  Each line shows what the kernel answered.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "process.h"
#include "seccomp.h"
#include "sync.h"
#include "userns.h"

static const char *answer(long rc)
{
	static char buf[64];
	if (rc >= 0)
		return "allowed";
	snprintf(buf, sizeof buf, "%s", strerrorname_np(errno) ? strerrorname_np(errno) : "error");
	return buf;
}

/* unshare(CLONE_NEWUSER) changes the caller if it works, so it is tried
 * in a throwaway child: the next row must start from the same place. */
static const char *try_unshare_user(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : errno);
	int status = 0;
	waitpid(pid, &status, 0);
	errno = WIFEXITED(status) ? WEXITSTATUS(status) : EINVAL;
	return answer(errno ? -1 : 0);
}

static void try_all(const char *when)
{
	printf("%-34s", when);
	printf(" mount tmpfs: %-7s", answer(mount("tmpfs", "/tmp", "tmpfs", 0, NULL)));
	printf(" sethostname: %-7s", answer(sethostname("x", 1)));
	printf(" keyctl: %-7s", answer(syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0)));
	printf(" unshare(USER): %s\n", try_unshare_user());
	fflush(stdout);
}

static int container_side(struct pl_sync *sync, int confined)
{
	pl_error *err = NULL;
	pl_sync_container_side(sync);
	if (pl_sync_wait_go(sync, &err) < 0 || pl_userns_become_root(&err) < 0)
		goto fail;
	try_all("root of the namespace, all caps:");
	if (pl_caps_apply(pl_caps_default(), &err) < 0)
		goto fail;
	try_all("podman's default capabilities:");
	if (confined && pl_seccomp_apply(&err) < 0)
		goto fail;
	try_all(confined ? "plus the seccomp filter:" : "(seccomp=unconfined):");
	return 0;
fail:
	pl_error_print(err, stderr, "stage07 (container)");
	return 125;
}

int main(int argc, char **argv)
{
	int confined = !(argc > 1 && strcmp(argv[1], "--unconfined") == 0);
	pl_error *err = NULL;
	struct pl_idplan ids;
	struct pl_sync sync;
	if (pl_userns_plan(&ids, "/etc/subuid", "/etc/subgid", &err) < 0 || pl_sync_init(&sync, &err) < 0)
		goto fail;
	/* A mount and UTS namespace too, so the attempts that succeed change
	 * nothing on the host. */
	pid_t pid = pl_clone(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS, &err);
	if (pid < 0)
		goto fail;
	if (pid == 0)
		_exit(container_side(&sync, confined));
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
	pl_error_print(err, stderr, "stage07");
	pl_error_free(&err);
	return 125;
}
