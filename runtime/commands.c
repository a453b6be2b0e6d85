/* commands.c - image, rm, diff, info, unshare: thin layers over the
 * library, each printing what it did or exactly what went wrong. */
#include "commands.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrstore.h"
#include "driver.h"
#include "help.h"
#include "image.h"
#include "lifecycle.h"
#include "state.h"
#include "unshare.h"

/* Print the error, free it, return podman's "podlab failed" status. */
static int failed(pl_error **err)
{
	pl_error_print(*err, stderr, "podlab");
	pl_error_free(err);
	return 125;
}

int pl_cmd_image(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	const char *sub = cli->args[0];
	int n = cli->n_args - 1;
	char **a = cli->args + 1;
	if (strcmp(sub, "import") == 0 && n == 2) {
		if (pl_image_import(&st, a[0], a[1], &err) < 0)
			return failed(&err);
		printf("%s\n", a[1]);
		return 0;
	}
	if (strcmp(sub, "load") == 0 && (n == 1 || n == 2)) {
		char name[256];
		if (pl_image_load(&st, a[0], n == 2 ? a[1] : NULL, name, sizeof name, &err) < 0)
			return failed(&err);
		printf("Loaded image: %s\n", name);
		return 0;
	}
	if ((strcmp(sub, "ls") == 0 || strcmp(sub, "list") == 0) && n == 0)
		return pl_image_list(&st, stdout, &err) < 0 ? failed(&err) : 0;
	if (strcmp(sub, "rm") == 0 && n >= 1) {
		for (int i = 0; i < n; i++)
			if (pl_image_remove(&st, a[i], &err) < 0)
				return failed(&err);
		return 0;
	}
	pl_fail(&err, 0, "unknown 'podlab image %s' (or wrong number of arguments)", sub);
	pl_fix(&err, "podlab image import FILE NAME | load FILE [NAME] | ls | rm NAME...");
	return failed(&err);
}

int pl_cmd_rm(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	int i = 0;
	bool force = i < cli->n_args && (strcmp(cli->args[i], "-f") == 0 || strcmp(cli->args[i], "--force") == 0);
	if (force && ++i == cli->n_args) {
		pl_fail(&err, EINVAL, "no container given");
		pl_fix(&err, "usage: %s", pl_help_usage("rm"));
		return failed(&err);
	}
	for (; i < cli->n_args; i++) {
		struct pl_ctr c;
		if (pl_ctr_find(&st, cli->args[i], &c, &err) < 0)
			return failed(&err);
		/* Its supervisor still uses the writable layer and the record. */
		if (pl_ctr_running(&c)) {
			if (!force) {
				pl_fail(&err, EBUSY, "container %s is running", c.name);
				pl_fix(&err, "stop it first (podlab stop %s), or remove it anyway: podlab rm -f %s", c.name,
				       c.name);
				return failed(&err);
			}
			if (pl_ctr_stop(&c, 0, &err) < 0)
				return failed(&err);
		}
		pl_state_remove(c.id);
		if (pl_ctr_remove(&st, &c, &err) < 0)
			return failed(&err);
		printf("%s\n", c.id);
	}
	return 0;
}

int pl_cmd_diff(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	struct pl_ctr c;
	if (pl_storage_open(&st, &err) < 0 || pl_ctr_find(&st, cli->args[0], &c, &err) < 0 ||
	    pl_ctr_diff(&st, &c, stdout, &err) < 0)
		return failed(&err);
	return 0;
}

int pl_cmd_port(struct pl_cli *cli)
{
	pl_error *err = NULL;
	struct pl_storage st;
	struct pl_ctr c;
	if (pl_storage_open(&st, &err) < 0 || pl_ctr_find(&st, cli->args[0], &c, &err) < 0)
		return failed(&err);
	/* podman's format: CONTAINERPORT/PROTO -> HOSTIP:HOSTPORT */
	for (size_t i = 0; i < c.n_ports; i++) {
		const struct pl_port *p = &c.ports[i];
		bool v6 = strchr(p->host_ip, ':') != NULL;
		printf("%u/%s -> %s%s%s:%u\n", p->ctr_port, p->udp ? "udp" : "tcp", v6 ? "[" : "",
		       p->host_ip[0] ? p->host_ip : "0.0.0.0", v6 ? "]" : "", p->host_port);
	}
	return 0;
}

int pl_cmd_info(struct pl_cli *cli)
{
	(void)cli;
	pl_error *err = NULL;
	struct pl_storage st;
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	char why[512];
	enum pl_driver d = pl_driver_detect(why, sizeof why);
	printf("store:          %s\n", st.root);
	printf("storage driver: %s\n", pl_driver_name(d));
	printf("  why:          %s\n", why);
	return 0;
}

int pl_cmd_unshare(struct pl_cli *cli)
{
	pl_error *err = NULL;
	char *shell[] = { getenv("SHELL") ? getenv("SHELL") : "/bin/sh", NULL };
	char **argv = cli->n_args > 0 ? cli->args : shell;
	int code = 125;
	if (pl_unshare_exec(argv, &code, &err) < 0)
		return failed(&err);
	return code;
}
