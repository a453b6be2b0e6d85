/* test_cli.c - the podlab command line, parsed without running anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "help.h"

/* PARSE(&cli, &err, "run", "true") parses "podlab run true", counting
 * the arguments itself. */
#define PARSE(cli, err, ...)                                                                         \
	pl_cli_parse((int)(sizeof((char *[]){ "podlab", __VA_ARGS__ }) / sizeof(char *)),              \
		     (char *[]){ "podlab", __VA_ARGS__, NULL }, cli, err)

static void run_with_options(void **state)
{
	(void)state;
	struct pl_cli cli;
	pl_error *err = NULL;
	assert_int_equal(PARSE(&cli, &err, "--trace", "run", "--rootfs", "/r", "--hostname", "box", "-e", "A=1", "--env",
			       "B=2", "--", "sh", "-c", "ls -l"),
			 0);
	assert_int_equal(cli.cmd, PL_CMD_RUN);
	assert_true(cli.trace);
	assert_string_equal(cli.spec.rootfs, "/r");
	assert_string_equal(cli.spec.hostname, "box");
	assert_int_equal(cli.spec.n_env, 2);
	assert_string_equal(cli.spec.env[1], "B=2");
	assert_string_equal(cli.spec.argv[0], "sh");
	assert_string_equal(cli.spec.argv[2], "ls -l");
	assert_null(cli.spec.argv[3]);
	assert_true(cli.spec.namespaces & CLONE_NEWUSER);
	assert_true(cli.spec.namespaces & CLONE_NEWPID);
}

static void command_options_are_not_ours(void **state)
{
	(void)state;
	/* Without "--", parsing stops at the command: -c belongs to sh. */
	struct pl_cli cli;
	assert_int_equal(PARSE(&cli, NULL, "run", "--rootfs", "/r", "sh", "-c", "true"), 0);
	assert_string_equal(cli.spec.argv[1], "-c");
	assert_null(cli.spec.image);
	/* Without --rootfs the first word is the image, then its command. */
	assert_int_equal(PARSE(&cli, NULL, "run", "--rm", "--name", "web", "busybox", "sh", "-c", "true"), 0);
	assert_string_equal(cli.spec.image, "busybox");
	assert_string_equal(cli.spec.argv[0], "sh");
	assert_string_equal(cli.spec.name, "web");
	assert_true(cli.spec.remove);
	assert_int_equal(PARSE(&cli, NULL, "run", "busybox"), 0);
	assert_null(cli.spec.argv); /* the image's own command */
}

static void errors_say_what_to_do(void **state)
{
	(void)state;
	struct pl_cli cli;
	pl_error *err = NULL;
	assert_int_equal(PARSE(&cli, &err, "run"), -1);
	assert_non_null(strstr(err->what, "no image"));
	assert_non_null(err->fix);
	pl_error_free(&err);
	assert_int_equal(PARSE(&cli, &err, "run", "--rootfs", "/r"), -1);
	assert_non_null(strstr(err->what, "no command"));
	pl_error_free(&err);
	assert_int_equal(PARSE(&cli, &err, "run", "--rootfs", "/r", "--rm", "true"), -1);
	assert_non_null(strstr(err->what, "go with an image"));
	pl_error_free(&err);
	assert_int_equal(PARSE(&cli, &err, "rm"), -1);
	assert_non_null(strstr(err->fix, "podlab rm [-f] CONTAINER"));
	pl_error_free(&err);

	assert_int_equal(PARSE(&cli, &err, "run", "--bogus", "x"), -1);
	assert_non_null(strstr(err->what, "--bogus"));
	pl_error_free(&err);

	assert_int_equal(PARSE(&cli, &err, "run", "--rootfs"), -1);
	assert_non_null(strstr(err->what, "needs a value"));
	pl_error_free(&err);

	assert_int_equal(PARSE(&cli, &err, "run", "-e", "NOEQUALS", "true"), -1);
	assert_non_null(strstr(err->fix, "NAME=VALUE"));
	pl_error_free(&err);

	assert_int_equal(PARSE(&cli, &err, "fly"), -1);
	assert_non_null(strstr(err->what, "unknown command 'fly'"));
	pl_error_free(&err);
}

static void hostnames(void **state)
{
	(void)state;
	assert_true(pl_valid_hostname("box"));
	assert_true(pl_valid_hostname("web-1.lab.example"));
	assert_false(pl_valid_hostname(""));
	assert_false(pl_valid_hostname("-box"));
	assert_false(pl_valid_hostname("box-"));
	assert_false(pl_valid_hostname("a..b"));
	assert_false(pl_valid_hostname("under_score"));
	assert_false(pl_valid_hostname("a b"));
	char long_name[80];
	memset(long_name, 'a', 65);
	long_name[65] = '\0';
	assert_false(pl_valid_hostname(long_name));
	struct pl_cli cli;
	pl_error *err = NULL;
	assert_int_equal(PARSE(&cli, &err, "run", "--hostname", "bad_name", "true"), -1);
	pl_error_free(&err);
}

static void other_commands(void **state)
{
	(void)state;
	struct pl_cli cli;
	assert_int_equal(PARSE(&cli, NULL, "doctor"), 0);
	assert_int_equal(cli.cmd, PL_CMD_DOCTOR);
	assert_int_equal(PARSE(&cli, NULL, "--version"), 0);
	assert_int_equal(cli.cmd, PL_CMD_VERSION);
	assert_int_equal(PARSE(&cli, NULL, "help", "run"), 0);
	assert_int_equal(cli.cmd, PL_CMD_HELP);
	assert_string_equal(cli.help_topic, "run");
	assert_int_equal(PARSE(&cli, NULL, "run", "--dry-run", "true"), 0);
	assert_true(cli.dry_run);
}

/* `podlab CMD --help` is `podlab help CMD`, every command has an entry,
 * and a --help further on belongs to the container's command. */
static void help_topics(void **state)
{
	(void)state;
	struct pl_cli cli;
	assert_int_equal(PARSE(&cli, NULL, "ps", "--help"), 0);
	assert_int_equal(cli.cmd, PL_CMD_HELP);
	assert_string_equal(cli.help_topic, "ps");
	assert_int_equal(PARSE(&cli, NULL, "run", "-h"), 0);
	assert_string_equal(cli.help_topic, "run");
	assert_int_equal(PARSE(&cli, NULL, "exec", "web", "ls", "--help"), 0);
	assert_int_equal(cli.cmd, PL_CMD_EXEC);
	assert_int_equal(PARSE(&cli, NULL, "run", "--rootfs", "/r", "ls", "--help"), 0);
	assert_int_equal(cli.cmd, PL_CMD_RUN);

	static const char *const all[] = { "run", "create", "start", "ps", "logs", "stop", "kill", "wait",
					   "exec", "inspect", "config", "rm", "diff", "port", "image", "pod",
					   "play", "generate", "info", "unshare", "doctor", "bench", "version",
					   "help", "pause" };
	char buf[4096];
	for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
		FILE *f = fmemopen(buf, sizeof buf, "w");
		assert_int_equal(pl_help_print(all[i], f), 0);
		fclose(f);
		char want[64];
		snprintf(want, sizeof want, "usage: podlab %s", all[i]);
		assert_true(strncmp(buf, want, strlen(want)) == 0);
		assert_true(strlen(buf) > strlen(pl_help_usage(all[i])) + 20); /* an explanation, not just usage */
		/* The usage in errors is the usage in the help. */
		assert_non_null(strstr(buf, pl_help_usage(all[i])));
	}
	assert_int_equal(pl_help_print("nope", stdout), -1);

	/* A wrong argument count quotes the command's usage line. */
	pl_error *err = NULL;
	assert_int_equal(PARSE(&cli, &err, "port"), -1);
	assert_string_equal(err->fix, "usage: podlab port CONTAINER");
	pl_error_free(&err);
}

/* Stage 05: lifecycle, pods, the crun executor. */
static void stage05_options(void **state)
{
	(void)state;
	struct pl_cli cli;
	pl_error *err = NULL;
	unsetenv("PODLAB_RUNTIME");
	assert_int_equal(PARSE(&cli, &err, "run", "-d", "--name", "web", "--pod", "shop", "bb", "httpd"), 0);
	assert_true(cli.spec.detach);
	assert_string_equal(cli.spec.pod, "shop");
	/* The pod's namespaces are joined: none of those four is made. */
	assert_false(cli.spec.namespaces & (CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC));
	assert_true(cli.spec.namespaces & CLONE_NEWPID);
	assert_int_equal(cli.spec.run_argc, 8); /* kept for podlab start */
	assert_int_equal(PARSE(&cli, &err, "run", "--pod", "shop", "--network", "none", "bb"), -1);
	assert_non_null(strstr(err->fix, "pod create"));
	pl_error_free(&err);
	assert_int_equal(PARSE(&cli, &err, "run", "-d", "--rootfs", "/r", "true"), -1);
	assert_non_null(strstr(err->what, "-d"));
	pl_error_free(&err);
	assert_int_equal(PARSE(&cli, &err, "create", "--rootfs", "/r", "true"), -1);
	assert_non_null(strstr(err->what, "from an image"));
	pl_error_free(&err);
	assert_int_equal(PARSE(&cli, &err, "create", "bb", "echo"), 0);
	assert_true(cli.spec.create_only);
	assert_int_equal(PARSE(&cli, &err, "run", "--runtime", "runc", "bb"), -1);
	assert_non_null(strstr(err->fix, "crun"));
	pl_error_free(&err);
	assert_int_equal(PARSE(&cli, &err, "run", "--runtime", "crun", "bb"), 0);
	assert_true(cli.spec.use_crun);
	setenv("PODLAB_RUNTIME", "crun", 1);
	assert_int_equal(PARSE(&cli, &err, "run", "bb"), 0);
	assert_true(cli.spec.use_crun);
	assert_int_equal(PARSE(&cli, &err, "run", "--runtime", "podlab", "bb"), 0);
	assert_false(cli.spec.use_crun);
	unsetenv("PODLAB_RUNTIME");
	assert_int_equal(PARSE(&cli, &err, "stop", "-t", "3", "web"), 0);
	assert_int_equal(cli.cmd, PL_CMD_STOP);
	assert_int_equal(PARSE(&cli, &err, "play", "kube"), -1);
	assert_non_null(strstr(err->fix, "play kube"));
	pl_error_free(&err);
}

static void stage02_and_07_options(void **state)
{
	(void)state;
	struct pl_cli cli;
	pl_error *err = NULL;
	assert_int_equal(PARSE(&cli, &err, "run", "-v", "/a:/b", "--volume", "/c:/d:ro", "--init", "--cap-add", "NET_RAW",
			       "--cap-drop", "ALL", "--security-opt", "seccomp=unconfined", "true"),
			 0);
	assert_int_equal(cli.spec.n_volumes, 2);
	assert_string_equal(cli.spec.volumes[1].container, "/d");
	assert_true(cli.spec.volumes[1].readonly);
	assert_true(cli.spec.init);
	assert_int_equal(cli.spec.n_cap_add, 1);
	assert_string_equal(cli.spec.cap_drop[0], "ALL");
	assert_false(cli.spec.seccomp);
	assert_int_equal(PARSE(&cli, &err, "run", "true"), 0);
	assert_true(cli.spec.seccomp); /* on by default */
	assert_int_equal(PARSE(&cli, &err, "run", "--security-opt", "apparmor=x", "true"), -1);
	assert_non_null(strstr(err->what, "apparmor=x"));
	pl_error_free(&err);
	assert_int_equal(PARSE(&cli, &err, "run", "-v", "nocolon", "true"), -1);
	pl_error_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_with_options),
		cmocka_unit_test(command_options_are_not_ours),
		cmocka_unit_test(errors_say_what_to_do),
		cmocka_unit_test(hostnames),
		cmocka_unit_test(other_commands),
		cmocka_unit_test(help_topics),
		cmocka_unit_test(stage02_and_07_options), cmocka_unit_test(stage05_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
