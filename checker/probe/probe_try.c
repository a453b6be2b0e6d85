/* probe_try.c - attempt one operation and report what the kernel said.
 *
 *   probe try OPERATION [ARG...]
 *
 * Checks that must see an operation fail (or succeed) inside the
 * container call it through here, so the verdict comes from the system
 * call itself, never from a shell or tool that may not exist in a rootfs.
 * The hardening drill is made of these.  Every operation prints
 * "result=ok" or "result=errno=N NAME", and some print more.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

#include "probe.h"

#define NEED(n)                      \
	do {                         \
		if (argc < (n)) {    \
			errno = EINVAL; \
			return -1;   \
		}                    \
	} while (0)

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

static int op_mount_fs(int argc, char **argv)
{
	NEED(2);
	return mount(argv[0], argv[1], argv[0], 0, NULL);
}

static int op_mount_bind(int argc, char **argv)
{
	NEED(2);
	return mount(argv[0], argv[1], NULL, MS_BIND | MS_REC, NULL);
}

static int op_kill(int argc, char **argv)
{
	NEED(2);
	return kill((pid_t)atoi(argv[0]), atoi(argv[1]));
}

static int op_ptrace(int argc, char **argv)
{
	NEED(1);
	return (int)ptrace(PTRACE_ATTACH, (pid_t)atoi(argv[0]), NULL, NULL);
}

static int op_chroot(int argc, char **argv)
{
	NEED(1);
	return chroot(argv[0]);
}

/* The classic escape from chroot: chroot into a subdirectory while the
 * working directory stays outside it, then walk ".." to the real root.
 * After pivot_root and a detached old root there is nothing above "/". */
static int op_chroot_escape(int argc, char **argv)
{
	NEED(1);
	mkdir("/tmp/.escape", 0700);
	if (chroot("/tmp/.escape") < 0)
		return -1;
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			break;
	if (chroot(".") < 0)
		return -1;
	struct stat st;
	int found = stat(argv[0], &st) == 0;
	out("found", "%s", found ? "yes" : "no");
	return 0;
}

static int op_stat(int argc, char **argv)
{
	NEED(1);
	struct stat st;
	return stat(argv[0], &st);
}

static int op_open(int argc, char **argv)
{
	NEED(1);
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

/* Read up to 4 KiB; "bytes" says how many came back. */
static int op_read(int argc, char **argv)
{
	NEED(1);
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf);
	int e = errno;
	close(fd);
	out("bytes", "%zd", n < 0 ? (ssize_t)0 : n);
	errno = e;
	return n < 0 ? -1 : 0;
}

static int op_write(int argc, char **argv)
{
	NEED(2);
	int fd = open(argv[0], O_WRONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, argv[1], strlen(argv[1]));
	int e = errno;
	close(fd);
	errno = e;
	return n < 0 ? -1 : 0;
}

static int op_append(int argc, char **argv)
{
	NEED(1);
	int fd = open(argv[0], O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, "appended\n", 9);
	int e = errno;
	close(fd);
	errno = e;
	return n == 9 ? 0 : -1;
}

static int op_unlink(int argc, char **argv)
{
	NEED(1);
	return unlink(argv[0]);
}

static int op_mkdir(int argc, char **argv)
{
	NEED(1);
	int rc = mkdir(argv[0], 0755);
	if (rc == 0)
		rmdir(argv[0]);
	return rc;
}

static int op_mknod_block(int argc, char **argv)
{
	NEED(1);
	return mknod(argv[0], S_IFBLK | 0600, makedev(8, 0));
}

static int op_mknod_char(int argc, char **argv)
{
	NEED(1);
	return mknod(argv[0], S_IFCHR | 0600, makedev(1, 1)); /* /dev/mem */
}

/* Try to open every block device the kernel has, by its /dev name. */
static int op_open_disks(int argc, char **argv)
{
	(void)argc, (void)argv;
	const char *names[] = { "vda", "sda", "nvme0n1", "xvda", "hda", "mmcblk0", "loop0", "dm-0" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char path[64];
		snprintf(path, sizeof path, "/dev/%s", names[i]);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			out("opened", "%s", path);
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

static int op_init_module(int argc, char **argv)
{
	(void)argc, (void)argv;
	static char image[64];
	return (int)syscall(SYS_init_module, image, sizeof image, "");
}

static int op_finit_module(int argc, char **argv)
{
	(void)argc, (void)argv;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int rc = (int)syscall(SYS_finit_module, fd, "", 0);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

static int op_keyctl(int argc, char **argv)
{
	(void)argc, (void)argv;
	/* KEYCTL_GET_KEYRING_ID of the session keyring */
	return (int)syscall(SYS_keyctl, 0, -3, 0);
}

static int op_open_by_handle(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct {
		struct file_handle h;
		unsigned char bytes[128];
	} fh = { .h = { .handle_bytes = 8, .handle_type = 1 } };
	int fd = (int)syscall(SYS_open_by_handle_at, AT_FDCWD, &fh.h, O_RDONLY);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static int op_bpf(int argc, char **argv)
{
	(void)argc, (void)argv;
	union bpf_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	int fd = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static int op_perf_event(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE, .size = sizeof attr,
					.config = PERF_COUNT_SW_CPU_CLOCK };
	/* pid -1, cpu 0: every process on the CPU, the machine-wide view */
	int fd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, 0);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static int op_userfaultfd(int argc, char **argv)
{
	(void)argc, (void)argv;
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static int op_kexec(int argc, char **argv)
{
	(void)argc, (void)argv;
	return (int)syscall(SYS_kexec_load, 0, 0, NULL, 0);
}

static int op_reboot(int argc, char **argv)
{
	(void)argc, (void)argv;
	/* CAD_OFF only changes what Ctrl-Alt-Del does: harmless if allowed. */
	return reboot(RB_DISABLE_CAD);
}

static int op_settime(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return settimeofday(&tv, NULL);
}

static int op_syslog(int argc, char **argv)
{
	(void)argc, (void)argv;
	char buf[256];
	return (int)syscall(SYS_syslog, 3 /* SYSLOG_ACTION_READ_ALL */, buf, (int)sizeof buf) < 0 ? -1 : 0;
}

static int op_setns(int argc, char **argv)
{
	NEED(1);
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = setns(fd, 0);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

static int op_iopl(int argc, char **argv)
{
	(void)argc, (void)argv;
	return iopl(3);
}

static int op_swapon(int argc, char **argv)
{
	(void)argc, (void)argv;
	return swapon("/tmp", 0);
}

static int op_raw_socket(int argc, char **argv)
{
	(void)argc, (void)argv;
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

/* Make a setuid-root file: inside it looks like one; the host decides. */
static int op_setuid_file(int argc, char **argv)
{
	NEED(1);
	int fd = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0)
		return -1;
	close(fd);
	if (chown(argv[0], 0, 0) < 0 || chmod(argv[0], 04755) < 0)
		return -1;
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} ops[] = {
	{ "sethostname", op_sethostname },
	{ "unshare-user", op_unshare_user },
	{ "mount-fs", op_mount_fs },
	{ "mount-bind", op_mount_bind },
	{ "kill", op_kill },
	{ "ptrace", op_ptrace },
	{ "chroot", op_chroot },
	{ "chroot-escape", op_chroot_escape },
	{ "stat", op_stat },
	{ "open", op_open },
	{ "read", op_read },
	{ "write", op_write },
	{ "mkdir", op_mkdir },
	{ "unlink", op_unlink },
	{ "append", op_append },
	{ "mknod-block", op_mknod_block },
	{ "mknod-char", op_mknod_char },
	{ "open-disks", op_open_disks },
	{ "init-module", op_init_module },
	{ "finit-module", op_finit_module },
	{ "keyctl", op_keyctl },
	{ "open-by-handle", op_open_by_handle },
	{ "bpf", op_bpf },
	{ "perf-event", op_perf_event },
	{ "userfaultfd", op_userfaultfd },
	{ "kexec", op_kexec },
	{ "reboot", op_reboot },
	{ "settime", op_settime },
	{ "syslog", op_syslog },
	{ "setns", op_setns },
	{ "iopl", op_iopl },
	{ "swapon", op_swapon },
	{ "raw-socket", op_raw_socket },
	{ "setuid-file", op_setuid_file },
};

static int cmd_try(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	out("op", "%s", argv[1]);
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		if (strcmp(ops[i].name, argv[1]) != 0)
			continue;
		errno = 0;
		int rc = ops[i].fn(argc - 2, argv + 2);
		out_result("result", rc, errno);
		return 0;
	}
	out("result", "unknown operation");
	return 2;
}

const struct probe_cmd probe_try_cmds[] = {
	{ "try", "OPERATION [ARG...]: attempt it, report ok or errno", cmd_try },
	{ NULL, NULL, NULL },
};
