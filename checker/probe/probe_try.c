/* probe_try.c - attempt one operation and report its errno.
 *
 *   probe try OPERATION [ARG...]
 *
 * Checks that must see an operation fail (or succeed) inside the
 * container call it through here, so the verdict comes from the system
 * call itself, never from a shell or tool that may not exist in a rootfs.
 * Later stages (hardening) add operations to this table.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "probe.h"

static int op_sethostname(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "probe";
	return sethostname(name, strlen(name));
}

static int op_unshare_user(int argc, char **argv)
{
	(void)argc, (void)argv;
	return unshare(CLONE_NEWUSER);
}

static int op_mount_tmpfs(int argc, char **argv)
{
	return argc > 0 ? mount("tmpfs", argv[0], "tmpfs", 0, NULL) : (errno = EINVAL, -1);
}

static int op_kill(int argc, char **argv)
{
	return argc > 1 ? kill((pid_t)atoi(argv[0]), atoi(argv[1])) : (errno = EINVAL, -1);
}

static int op_chroot(int argc, char **argv)
{
	return argc > 0 ? chroot(argv[0]) : (errno = EINVAL, -1);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} ops[] = {
	{ "sethostname", op_sethostname }, { "unshare-user", op_unshare_user }, { "mount-tmpfs", op_mount_tmpfs },
	{ "kill", op_kill },               { "chroot", op_chroot },
};

static int cmd_try(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		if (strcmp(ops[i].name, argv[1]) != 0)
			continue;
		errno = 0;
		int rc = ops[i].fn(argc - 2, argv + 2);
		out("op", "%s", argv[1]);
		out_result("result", rc, errno);
		return 0;
	}
	out("op", "%s", argv[1]);
	out("result", "unknown operation");
	return 2;
}

const struct probe_cmd probe_try_cmds[] = {
	{ "try", "OPERATION [ARG...]: attempt it, report ok or errno", cmd_try },
	{ NULL, NULL, NULL },
};
