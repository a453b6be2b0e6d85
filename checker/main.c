/* main.c - podlab-check: build a student's lab and grade it.
 *
 * usage: podlab-check [OPTIONS] TARGET
 *   TARGET is a lab directory (labs/01-userns, the student's work),
 *   --reference (the kit's own runtime), or --binary PATH (any podlab).
 *
 * The order of work: drop root if we have it, make a private scratch
 * directory, build the target, lay out the probe's root filesystem, ask
 * the machine what it can do, run the checks, write the report.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fixtures.h"
#include "batch.h"
#include "grading.h"
#include "report.h"

static const struct check_table *tables[] = { &stage01_table, &stage02_table, &stage03_table, &stage04_table, &stage05_table, &stage06_table, &stage07_table,
								&week11_table };

static void usage(FILE *out)
{
	fputs("usage: podlab-check [OPTIONS] TARGET\n"
	      "\n"
	      "TARGET is a lab directory (e.g. labs/01-userns), --reference, or --binary PATH.\n"
	      "\n"
	      "  --stage NN        grade only stage NN (repeatable; default: the lab's stage,\n"
	      "                    or every stage for --reference and --binary)\n"
	      "  --format F        human (default), tap, junit, gradescope, classroom\n"
	      "  --output FILE     write the report to FILE (rewritten after every check)\n"
	      "  --user NAME       grade as this user (required when run as root)\n"
	      "  --timeout SEC     time limit of one command (default 20)\n"
	      "  --max-time SEC    time limit of the whole run (default 900)\n"
	      "  --kit DIR         the podlab kit (default: found from this program's path)\n"
	      "  --keep            keep the scratch directory, for debugging\n"
	      "  --list            list the checks and exit\n"
	      "  --fixtures DIR    write stage 03's test images into DIR and exit\n"
	      "  --suite week11 DIR   grade the week-11 lab: DIR holds pod.yaml, results.txt, NOTES.md\n"
	      "  --engine E        with --suite: podlab (default) or podman, the tool the lab was done with\n"
	      "  --batch DIR       instructor mode: grade every subdirectory of DIR (with the other\n"
	      "                    options), writing OUT/NAME/results.json and OUT/gradebook.csv\n"
	      "  --workers N       with --batch: grade N submissions at a time (default 2)\n"
	      "  --out OUT         with --batch: where results go (default ./grades)\n"
	      "\n"
	      "Exit status: 0 all graded checks passed, 1 some did not, 2 usage or set-up error.\n",
	      out);
}

static int list_checks(const int *stages, size_t n_stages)
{
	for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
		if (!stage_selected(tables[t]->stage, stages, n_stages))
			continue;
		printf("stage %02d: %s\n", tables[t]->stage, tables[t]->name);
		for (size_t i = 0; i < tables[t]->n; i++) {
			const struct check *c = &tables[t]->checks[i];
			/* The last column lists the lab holes the check exercises ("-":
			 * none), so tests can tell which checks a starter must fail. */
			printf("  %-28s %2d pt  %-76s %s\n", c->id, c->points, c->title,
			       c->holes && *c->holes ? c->holes : "-");
		}
	}
	return 0;
}

/* --fixtures DIR: write stage 03's images, to look at or to test with. */
static int write_fixtures(const char *dir, const char *self)
{
	char probe[4200], exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	snprintf(probe, sizeof probe, "%s/podlab-probe", dirname(exe));
	(void)self;
	pl_error *err = NULL;
	if (mkdir(dir, 0755) < 0 || fixtures_write(dir, probe, "none", "/tmp/podlab-fixture-symlink-target",
						     "/tmp/podlab-fixture-victim", &err) < 0) {
		fprintf(stderr, "podlab-check: cannot write fixtures in %s: %s\n", dir, err ? err->what : strerror(errno));
		pl_error_free(&err);
		return 2;
	}
	printf("fixtures written to %s\n", dir);
	return 0;
}

int main(int argc, char **argv)
{
	struct grading g = { .format = "human", .timeout_ms = 20000, .max_seconds = 900 };
	static const struct option opts[] = {
		{ "stage", required_argument, NULL, 's' },   { "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },  { "user", required_argument, NULL, 'u' },
		{ "timeout", required_argument, NULL, 't' }, { "max-time", required_argument, NULL, 'm' },
		{ "kit", required_argument, NULL, 'k' },     { "reference", no_argument, NULL, 'r' },
		{ "binary", required_argument, NULL, 'b' },  { "keep", no_argument, NULL, 'K' },
		{ "list", no_argument, NULL, 'l' },          { "help", no_argument, NULL, 'h' },
		{ "fixtures", required_argument, NULL, 'F' }, { "suite", required_argument, NULL, 'S' },
		{ "engine", required_argument, NULL, 'E' }, { "batch", required_argument, NULL, 'B' },
		{ "workers", required_argument, NULL, 'W' }, { "out", required_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	bool list = false, suite = false;
	const char *batch = NULL, *batch_out = "grades";
	int workers = 2;
	/* What each batch child gets: every option but the batch's own. */
	char *child_args[64];
	int n_child = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (g.n_stages < MAX_STAGES)
				g.stages[g.n_stages++] = atoi(optarg);
			break;
		case 'f':
			g.format = optarg;
			break;
		case 'o':
			g.output = optarg;
			break;
		case 'u':
			g.as_user = optarg;
			break;
		case 't':
			g.timeout_ms = atoi(optarg) * 1000;
			break;
		case 'm':
			g.max_seconds = atoi(optarg);
			break;
		case 'k':
			g.kit = optarg;
			break;
		case 'r':
			g.reference = true;
			break;
		case 'b':
			g.binary = optarg;
			break;
		case 'K':
			g.keep = true;
			break;
		case 'l':
			list = true;
			break;
		case 'F':
			return write_fixtures(optarg, argv[0]);
		case 'S':
			if (strcmp(optarg, "week11") != 0) {
				fprintf(stderr, "podlab-check: unknown suite '%s' (there is: week11)\n", optarg);
				return 2;
			}
			if (g.n_stages < MAX_STAGES)
				g.stages[g.n_stages++] = SUITE_WEEK11;
			suite = true;
			break;
		case 'B':
			batch = optarg;
			break;
		case 'W':
			workers = atoi(optarg);
			break;
		case 'O':
			batch_out = optarg;
			break;
		case 'E':
			if (strcmp(optarg, "podlab") != 0 && strcmp(optarg, "podman") != 0) {
				fprintf(stderr, "podlab-check: --engine is podlab or podman, not '%s'\n", optarg);
				return 2;
			}
			g.engine = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (list)
		return list_checks(g.stages, g.n_stages);
	if (batch) {
		for (int i = 1; i < optind && n_child < 60; i++) {
			if (!strcmp(argv[i], "--batch") || !strcmp(argv[i], "--workers") || !strcmp(argv[i], "--out")) {
				i++;
				continue;
			}
			if (!strncmp(argv[i], "--batch=", 8) || !strncmp(argv[i], "--workers=", 10) || !strncmp(argv[i], "--out=", 6))
				continue;
			child_args[n_child++] = argv[i];
		}
		child_args[n_child] = NULL;
		return batch_run(batch, workers, child_args, batch_out);
	}
	if (suite) {
		/* A suite grades a submission with the kit's own podlab (or podman). */
		if (optind >= argc) {
			fprintf(stderr, "podlab-check: --suite week11 needs the submission directory (pod.yaml, results.txt, "
					"NOTES.md)\n");
			return 2;
		}
		g.submission = argv[optind++];
		if (!g.binary)
			g.reference = true;
		if (!g.engine)
			g.engine = "podlab";
	} else if (optind < argc) {
		g.lab = argv[optind];
	}
	if ((g.lab != NULL) + g.reference + (g.binary != NULL) != 1) {
		fprintf(stderr, "podlab-check: give exactly one TARGET: a lab directory, --reference or --binary PATH\n");
		usage(stderr);
		return 2;
	}
	if (strcmp(g.format, "human") && strcmp(g.format, "tap") && strcmp(g.format, "junit") &&
	    strcmp(g.format, "gradescope") && strcmp(g.format, "classroom")) {
		fprintf(stderr, "podlab-check: unknown format '%s' (human, tap, junit, gradescope, classroom)\n", g.format);
		return 2;
	}
	if (grading_setup(&g) < 0)
		return 2;
	int rc = grading_run(&g, tables, sizeof tables / sizeof *tables);
	grading_cleanup(&g);
	return rc;
}
