/* test_lifecycle.c - the parts of stage 05's lifecycle that need no
 * container: state files and how far they are believed, signal names,
 * ps's wording, and the recorded command line that `start` parses again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ctrstore.h"
#include "lifecycle.h"
#include "state.h"
#include "storage.h"

static char dir[] = "/tmp/podlab-test-lifecycle.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	char run[64];
	snprintf(run, sizeof run, "%s/run", dir);
	mkdir(run, 0700);
	setenv("XDG_RUNTIME_DIR", run, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

static void signals(void **state)
{
	(void)state;
	assert_int_equal(pl_signal_parse("KILL"), SIGKILL);
	assert_int_equal(pl_signal_parse("SIGTERM"), SIGTERM);
	assert_int_equal(pl_signal_parse("hup"), SIGHUP);
	assert_int_equal(pl_signal_parse("9"), 9);
	assert_int_equal(pl_signal_parse("0"), -1);
	assert_int_equal(pl_signal_parse("99999"), -1);
	assert_int_equal(pl_signal_parse("SIGBOGUS"), -1);
	assert_int_equal(pl_signal_parse(""), -1);
}

static void durations(void **state)
{
	(void)state;
	char s[64];
	pl_human_duration(0, s, sizeof s);
	assert_string_equal(s, "Less than a second");
	pl_human_duration(1, s, sizeof s);
	assert_string_equal(s, "1 second");
	pl_human_duration(59, s, sizeof s);
	assert_string_equal(s, "59 seconds");
	pl_human_duration(60, s, sizeof s);
	assert_string_equal(s, "1 minute");
	pl_human_duration(7300, s, sizeof s);
	assert_string_equal(s, "2 hours");
	pl_human_duration(3 * 86400 + 5, s, sizeof s);
	assert_string_equal(s, "3 days");
}

/* A process that existed and is gone: a child, reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void truth(void **state)
{
	(void)state;
	char s[96];
	struct pl_state st = { .status = PL_CREATED };
	assert_int_equal(pl_state_truth(&st), PL_T_CREATED);
	pl_state_describe(&st, 100, s, sizeof s);
	assert_string_equal(s, "Created");

	/* Running, and the supervisor is us: believed. */
	st = (struct pl_state){ .status = PL_RUNNING, .supervisor = getpid(), .sup_start = pl_proc_start(getpid()),
				.started_at = 100 };
	assert_true(st.sup_start != 0);
	assert_int_equal(pl_state_truth(&st), PL_T_RUNNING);
	pl_state_describe(&st, 105, s, sizeof s);
	assert_string_equal(s, "Up 5 seconds");

	/* Running, says the file; the supervisor is gone: lost. */
	st.supervisor = dead_pid();
	assert_int_equal(pl_state_truth(&st), PL_T_LOST);
	pl_state_describe(&st, 105, s, sizeof s);
	assert_string_equal(s, "Exited (supervisor lost)");

	/* Our pid, but another start time: a reused pid is not the supervisor. */
	st.supervisor = getpid();
	st.sup_start += 1;
	assert_int_equal(pl_state_truth(&st), PL_T_LOST);

	st = (struct pl_state){ .status = PL_EXITED, .exit_code = 137, .finished_at = 40 };
	pl_state_describe(&st, 160, s, sizeof s);
	assert_string_equal(s, "Exited (137) 2 minutes ago");
}

static void state_files(void **state)
{
	(void)state;
	struct pl_state in = { .status = PL_RUNNING, .supervisor = 42, .sup_start = 123456789012ULL, .pid = 43,
			       .pid_start = 7, .exit_code = 0, .started_at = 1700000000 };
	struct pl_state out;
	assert_int_equal(pl_state_read("abc", &out, NULL), 0); /* no file: created */
	assert_int_equal(out.status, PL_CREATED);
	assert_int_equal(pl_state_write("abc", &in, NULL), 0);
	assert_int_equal(pl_state_read("abc", &out, NULL), 0);
	assert_int_equal(out.status, PL_RUNNING);
	assert_int_equal(out.supervisor, 42);
	assert_true(out.sup_start == 123456789012ULL);
	assert_int_equal(out.pid, 43);
	assert_true(out.started_at == 1700000000);
	pl_state_remove("abc");
	assert_int_equal(pl_state_read("abc", &out, NULL), 0);
	assert_int_equal(out.status, PL_CREATED);
}

static void state_dir_must_be_private(void **state)
{
	(void)state;
	char open_dir[128], root[256];
	snprintf(open_dir, sizeof open_dir, "%s/shared", dir);
	mkdir(open_dir, 0700);
	char p[192];
	snprintf(p, sizeof p, "%s/podlab", open_dir);
	mkdir(p, 0777);
	chmod(p, 0777);
	const char *old = getenv("XDG_RUNTIME_DIR");
	char saved[128];
	snprintf(saved, sizeof saved, "%s", old);
	setenv("XDG_RUNTIME_DIR", open_dir, 1);
	pl_error *err = NULL;
	assert_int_equal(pl_state_root(root, sizeof root, &err), -1);
	assert_non_null(strstr(err->what, "not a private directory"));
	assert_non_null(err->fix);
	pl_error_free(&err);
	setenv("XDG_RUNTIME_DIR", saved, 1);
	assert_int_equal(pl_state_root(root, sizeof root, NULL), 0);
}

/* What start parses again is what run was given, word for word. */
static void recorded_args(void **state)
{
	(void)state;
	struct pl_ctr *c = calloc(1, sizeof *c);
	snprintf(c->dir, sizeof c->dir, "%s", dir);
	char *argv[] = { "run", "-d", "--name", "web", "-p", "8080:80", "bb", "sh", "-c", "echo 'a b'; exit 3", NULL };
	assert_int_equal(pl_ctr_set_args(c, 10, argv, argv + 7, NULL), 0);
	assert_string_equal(c->command, "sh -c echo 'a b'; exit 3");
	int argc;
	char **back;
	assert_int_equal(pl_ctr_get_args(c, &argc, &back, NULL), 0);
	assert_int_equal(argc, 10);
	for (int i = 0; i < 10; i++)
		assert_string_equal(back[i], argv[i]);
	assert_null(back[10]);
	struct pl_cli cli = { 0 };
	pl_spec_init(&cli.spec);
	assert_int_equal(pl_cli_parse_run(argc, back, &cli, NULL), 0);
	assert_true(cli.spec.detach);
	assert_string_equal(cli.spec.image, "bb");
	assert_string_equal(cli.spec.argv[2], "echo 'a b'; exit 3");
	free(back);
	/* A record without arguments cannot be started, and says why. */
	c->args_len = 0;
	pl_error *err = NULL;
	assert_int_equal(pl_ctr_get_args(c, &argc, &back, &err), -1);
	assert_non_null(err->fix);
	pl_error_free(&err);
	free(c);
}

/* Names, full ids and id prefixes, as podman takes them. */
static void references(void **state)
{
	(void)state;
	const char *id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	assert_int_equal(pl_ref_match("web", "web", id), PL_REF_EXACT);
	assert_int_equal(pl_ref_match(id, "web", id), PL_REF_EXACT);
	assert_int_equal(pl_ref_match("0123", "web", id), PL_REF_PREFIX);
	assert_int_equal(pl_ref_match("012", "web", id), PL_REF_PREFIX);
	assert_int_equal(pl_ref_match("01", "web", id), PL_REF_NONE); /* too short to mean an id */
	assert_int_equal(pl_ref_match("we", "web", id), PL_REF_NONE);  /* names are never prefixes */
	assert_int_equal(pl_ref_match("1234", "web", id), PL_REF_NONE);
	assert_true(pl_valid_name("web-1.a_b"));
	assert_false(pl_valid_name("Web"));
	assert_false(pl_valid_name("-web"));
	assert_false(pl_valid_name(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signals),     cmocka_unit_test(durations),
		cmocka_unit_test(truth),       cmocka_unit_test(state_files),
		cmocka_unit_test(state_dir_must_be_private), cmocka_unit_test(recorded_args),
		cmocka_unit_test(references),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
