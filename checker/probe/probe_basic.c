/* probe_basic.c - who am I, what do I see: ids, maps, names, files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "probe.h"

/* Copy one "Name:\tvalue" line of /proc/self/status. */
static void status_field(const char *field, const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[512];
	size_t len = strlen(field);
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, field, len) == 0 && line[len] == ':') {
			char *v = line + len + 1;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			out(key, "%s", v);
			fclose(f);
			return;
		}
	}
	if (f)
		fclose(f);
	out(key, "absent");
}

static int cmd_id(int argc, char **argv)
{
	(void)argc, (void)argv;
	uid_t r, e, s;
	gid_t rg, eg, sg;
	getresuid(&r, &e, &s);
	getresgid(&rg, &eg, &sg);
	out("uid", "%u", (unsigned)r);
	out("euid", "%u", (unsigned)e);
	out("suid", "%u", (unsigned)s);
	out("gid", "%u", (unsigned)rg);
	out("egid", "%u", (unsigned)eg);
	gid_t groups[256];
	int n = getgroups(256, groups);
	char list[2048] = "";
	for (int i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%u", i ? "," : "", (unsigned)groups[i]);
	out("groups", "%s", list);
	status_field("CapEff", "cap_eff");
	status_field("CapPrm", "cap_prm");
	status_field("CapBnd", "cap_bnd");
	status_field("NoNewPrivs", "no_new_privs");
	status_field("Seccomp", "seccomp");
	return 0;
}

static int cmd_maps(int argc, char **argv)
{
	(void)argc, (void)argv;
	out_file("uid_map", "/proc/self/uid_map");
	out_file("gid_map", "/proc/self/gid_map");
	out_file("setgroups", "/proc/self/setgroups");
	return 0;
}

static int cmd_hostname(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct utsname u;
	uname(&u);
	out("hostname", "%s", u.nodename);
	return 0;
}

static int cmd_loginuid(int argc, char **argv)
{
	(void)argc, (void)argv;
	out_file("loginuid", "/proc/self/loginuid");
	out_file("uid_map", "/proc/self/uid_map");
	return 0;
}

static int cmd_exit(int argc, char **argv)
{
	int code = argc > 1 ? atoi(argv[1]) : 0;
	printf("@@podlab-probe exiting %d\n", code);
	_exit(code);
}

/* Create a file and report its owner as seen inside. */
static int cmd_touch(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	out_result("create", fd, errno);
	if (fd < 0)
		return 1;
	close(fd);
	struct stat st;
	stat(argv[1], &st);
	out("owner", "%u:%u", (unsigned)st.st_uid, (unsigned)st.st_gid);
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	struct stat st;
	int rc = lstat(argv[1], &st);
	out_result("stat", rc, errno);
	if (rc == 0)
		out("mode", "%o", (unsigned)st.st_mode);
	return 0;
}

static int cmd_read(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	out_result("open", fd, errno);
	if (fd >= 0) {
		char buf[64];
		ssize_t n = read(fd, buf, sizeof buf);
		out_result("read", n < 0 ? -1 : 0, errno);
		close(fd);
	}
	return 0;
}

static int cmd_write(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int fd = open(argv[1], O_WRONLY | O_CLOEXEC);
	out_result("open", fd, errno);
	if (fd >= 0) {
		ssize_t n = write(fd, argv[2], strlen(argv[2]));
		out_result("write", n < 0 ? -1 : 0, errno);
		close(fd);
	}
	return 0;
}

static int cmd_mountinfo(int argc, char **argv)
{
	(void)argc, (void)argv;
	out_file("mountinfo", "/proc/self/mountinfo");
	return 0;
}

/* The entries of a directory, comma-separated, "." and ".." left out. */
static int cmd_list(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	DIR *d = opendir(argv[1]);
	if (d == NULL) {
		out("entries", "errno=%d", errno);
		return 0;
	}
	char list[8192] = "";
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? "," : "", e->d_name);
	}
	closedir(d);
	out("entries", "%s", list);
	return 0;
}

/* The namespaces this process is in, as "type:[inode]". */
static int cmd_ns(int argc, char **argv)
{
	(void)argc, (void)argv;
	const char *types[] = { "user", "mnt", "pid", "uts", "ipc", "net", "cgroup" };
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		char path[64], link[128];
		snprintf(path, sizeof path, "/proc/self/ns/%s", types[i]);
		ssize_t n = readlink(path, link, sizeof link - 1);
		link[n > 0 ? n : 0] = '\0';
		out(types[i], "%s", n > 0 ? link : "?");
	}
	return 0;
}

/* The environment and working directory the command was given. */
static int cmd_env(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *v = getenv(argv[i]);
		out(argv[i], "%s", v ? v : "(unset)");
	}
	char cwd[4096];
	out("cwd", "%s", getcwd(cwd, sizeof cwd) ? cwd : "?");
	return 0;
}

static int cmd_cat(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	out_file("content", argv[1]);
	return 0;
}

const struct probe_cmd probe_basic_cmds[] = {
	{ "id", "uids, gids, groups, capabilities, no_new_privs, seccomp", cmd_id },
	{ "maps", "uid_map, gid_map and setgroups of this process", cmd_maps },
	{ "hostname", "the UTS hostname", cmd_hostname },
	{ "loginuid", "the audit login uid as seen inside", cmd_loginuid },
	{ "exit", "CODE: exit with that status", cmd_exit },
	{ "touch", "PATH: create a file, report its owner", cmd_touch },
	{ "ls", "PATH: does it exist, with which mode", cmd_ls },
	{ "read", "PATH: try to open and read", cmd_read },
	{ "write", "PATH TEXT: try to open and write", cmd_write },
	{ "mountinfo", "this process's mount table", cmd_mountinfo },
	{ "list", "DIR: the names in a directory", cmd_list },
	{ "ns", "the namespaces of this process", cmd_ns },
	{ "cat", "PATH: the content of a (small) file", cmd_cat },
	{ "env", "NAME...: these environment variables, and the working directory", cmd_env },
	{ NULL, NULL, NULL },
};
