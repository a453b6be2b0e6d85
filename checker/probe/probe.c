/* probe.c - framing and dispatch of the probe's subcommands (see probe.h).
 *
 * usage: probe [as UID GID] SUBCOMMAND [ARGS]
 *
 * "as UID GID" first switches to that uid and gid inside the container,
 * so a check can act as an ordinary container user (uid 1, say).
 */
#include "probe.h"

#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct probe_cmd *tables[] = { probe_basic_cmds, probe_proc_cmds, probe_try_cmds, probe_net_cmds };

void out(const char *key, const char *fmt, ...)
{
	char value[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(value, sizeof value, fmt, ap);
	va_end(ap);
	printf("%s=", key);
	for (const char *p = value; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\\')
			fputs("\\\\", stdout);
		else
			putchar(*p);
	}
	putchar('\n');
}

void out_file(const char *key, const char *path)
{
	FILE *f = fopen(path, "re");
	if (f == NULL) {
		out(key, "errno=%d", errno);
		return;
	}
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	out(key, "%s", buf);
}

void out_result(const char *key, int rc, int err)
{
	if (rc >= 0)
		out(key, "ok");
	else
		out(key, "errno=%d %s", err, strerrorname_np(err) ? strerrorname_np(err) : "?");
}

static const char *nonce(void)
{
	static char buf[80];
	FILE *f = fopen("/.probe-nonce", "re");
	if (f == NULL || fgets(buf, sizeof buf, f) == NULL)
		snprintf(buf, sizeof buf, "none");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void usage(void)
{
	fprintf(stderr, "usage: probe [as UID GID] SUBCOMMAND [ARGS]\nsubcommands:\n");
	for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
		for (const struct probe_cmd *c = tables[t]; c->name; c++)
			fprintf(stderr, "  %-14s %s\n", c->name, c->usage);
}

int main(int argc, char **argv)
{
	/* Unbuffered output: a subcommand may be killed, and whatever it
	 * printed before must still reach the checker. */
	setvbuf(stdout, NULL, _IONBF, 0);
	int i = 1;
	if (argc > 4 && strcmp(argv[1], "as") == 0) {
		uid_t uid = (uid_t)strtoul(argv[2], NULL, 10);
		gid_t gid = (gid_t)strtoul(argv[3], NULL, 10);
		if (setgroups(0, NULL) < 0 && errno != EPERM)
			perror("probe: setgroups");
		if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0) {
			fprintf(stderr, "probe: cannot switch to %u:%u: %s\n", (unsigned)uid, (unsigned)gid, strerror(errno));
			return 120;
		}
		i = 4;
	}
	if (i >= argc) {
		usage();
		return 2;
	}
	for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
		for (const struct probe_cmd *c = tables[t]; c->name; c++) {
			if (strcmp(c->name, argv[i]) != 0)
				continue;
			const char *n = nonce();
			printf("@@podlab-probe %s begin %s\n", n, c->name);
			int rc = c->run(argc - i, argv + i);
			printf("@@podlab-probe %s end %d\n", n, rc);
			return rc;
		}
	}
	fprintf(stderr, "probe: unknown subcommand '%s'\n", argv[i]);
	usage();
	return 2;
}
