/* main.c - the podlab command: parse, then dispatch to the library. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "bench.h"
#include "commands.h"
#include "container.h"
#include "doctor.h"
#include "exec.h"
#include "help.h"
#include "lifecycle.h"
#include "kube.h"
#include "pod.h"
#include "process.h"
#include "trace.h"

#ifndef PODLAB_VERSION
#define PODLAB_VERSION "0.1"
#endif

static int cmd_run(struct pl_cli *cli)
{
	if (cli->dry_run) {
		struct pl_plan plan;
		pl_container_plan(&cli->spec, &plan);
		pl_plan_print(&plan, stdout);
		return 0;
	}
	pl_error *err = NULL;
	int code = 125;
	if (pl_container_run(&cli->spec, &code, &err) < 0) {
		pl_error_print(err, stderr, "podlab");
		pl_error_free(&err);
	}
	/* A detached supervisor that was asked to stop the container has done
	 * its job: for systemd (Type=forking, the supervisor is the main
	 * process) a requested stop is a success, and only an exit nobody
	 * asked for counts as the failure Restart=on-failure acts on. */
	if (cli->spec.detach && pl_stop_requested)
		return 0;
	return code;
}

static int cmd_doctor(void)
{
	struct pl_finding f[32];
	printf("podlab doctor: checking this machine for rootless containers (uid %u)\n", (unsigned)getuid());
	size_t n = pl_doctor_run(f, 32);
	return pl_doctor_print(f, n, stdout) > 0 ? 1 : 0;
}

/* Bare `podlab` prints the overview too, but as a usage error (exit 2). */
static int cmd_help(const char *topic, int argc)
{
	if (topic == NULL) {
		pl_help_overview(stdout);
		return argc > 1 ? 0 : 2;
	}
	if (pl_help_print(topic, stdout) == 0)
		return 0;
	pl_error *err = NULL;
	pl_fail(&err, EINVAL, "there is no podlab command '%s'", topic);
	pl_fix(&err, "see 'podlab help' for the list of commands");
	pl_error_print(err, stderr, "podlab");
	pl_error_free(&err);
	return 2;
}

int main(int argc, char **argv)
{
	struct pl_cli cli;
	pl_error *err = NULL;
	if (pl_cli_parse(argc, argv, &cli, &err) < 0) {
		pl_error_print(err, stderr, "podlab");
		pl_error_free(&err);
		return 125;
	}
	pl_trace_on = cli.trace;
	/* Test hook, documented in the lab: read the subordinate ids from other
	 * files, to see what happens to a user without an entry.  newuidmap
	 * still checks the real /etc/subuid, so this cannot grant anything. */
	if (getenv("PODLAB_SUBUID_FILE"))
		cli.spec.subuid_path = getenv("PODLAB_SUBUID_FILE");
	if (getenv("PODLAB_SUBGID_FILE"))
		cli.spec.subgid_path = getenv("PODLAB_SUBGID_FILE");
	switch (cli.cmd) {
	case PL_CMD_RUN:
		return cmd_run(&cli);
	case PL_CMD_DOCTOR:
		return cmd_doctor();
	case PL_CMD_VERSION:
		printf("podlab %s\n", PODLAB_VERSION);
		return 0;
	case PL_CMD_IMAGE:
		return pl_cmd_image(&cli);
	case PL_CMD_RM:
		return pl_cmd_rm(&cli);
	case PL_CMD_DIFF:
		return pl_cmd_diff(&cli);
	case PL_CMD_INFO:
		return pl_cmd_info(&cli);
	case PL_CMD_UNSHARE:
		return pl_cmd_unshare(&cli);
	case PL_CMD_START:
		return pl_cmd_start(&cli);
	case PL_CMD_STOP:
		return pl_cmd_stop(&cli);
	case PL_CMD_KILL:
		return pl_cmd_kill(&cli);
	case PL_CMD_PS:
		return pl_cmd_ps(&cli);
	case PL_CMD_LOGS:
		return pl_cmd_logs(&cli);
	case PL_CMD_WAIT:
		return pl_cmd_wait(&cli);
	case PL_CMD_INSPECT:
		return pl_cmd_inspect(&cli);
	case PL_CMD_POD:
		return pl_cmd_pod(&cli);
	case PL_CMD_EXEC:
		return pl_cmd_exec(&cli);
	case PL_CMD_CONFIG:
		return pl_cmd_config(&cli);
	case PL_CMD_PLAY:
		return pl_cmd_play(&cli);
	case PL_CMD_GENERATE:
		return pl_cmd_generate(&cli);
	case PL_CMD_PAUSE:
		return pl_cmd_pause();
	case PL_CMD_BENCH:
		return pl_cmd_bench(&cli);
	case PL_CMD_PORT:
		return pl_cmd_port(&cli);
	case PL_CMD_HELP:
		return cmd_help(cli.help_topic, argc);
	}
	return 2;
}
