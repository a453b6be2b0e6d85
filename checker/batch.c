/* batch.c - grade many submissions, each in a podlab-check of its own.
 *
 * Isolation comes for free: every child makes its own scratch directory,
 * image store and runtime directory, builds its own copy, and runs under
 * its own subreaper, so one student's hanging or forking build cannot
 * touch another's grade.  The parent only schedules, waits, and reads the
 * children's results.json files back to write the gradebook.
 */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SUBMISSIONS 2048

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static pid_t start(const char *self, char *const *args, const char *sub, const char *out, const char *name)
{
	char dir[4200], results[4300], log[4300];
	snprintf(dir, sizeof dir, "%s/%s", out, name);
	mkdir(dir, 0755);
	snprintf(results, sizeof results, "%s/results.json", dir);
	snprintf(log, sizeof log, "%s/log.txt", dir);
	unlink(results);
	fflush(NULL);
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	const char *argv[64];
	int n = 0;
	argv[n++] = self;
	for (; *args && n < 56; args++)
		argv[n++] = *args;
	argv[n++] = "--format";
	argv[n++] = "gradescope";
	argv[n++] = "--output";
	argv[n++] = results;
	argv[n++] = sub;
	argv[n] = NULL;
	execv(self, (char **)argv);
	perror(self);
	_exit(2);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void csv(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\n\r")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

static int gradebook(const char *out, char **names, int n, const int *status)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/gradebook.csv", out);
	FILE *f = fopen(path, "we");
	if (f == NULL)
		return -1;
	/* The columns: every check id seen, in the order first seen. */
	char ids[256][64];
	int n_ids = 0;
	json_object **docs = calloc((size_t)n, sizeof *docs);
	for (int i = 0; docs && i < n; i++) {
		char results[4400];
		snprintf(results, sizeof results, "%s/%s/results.json", out, names[i]);
		docs[i] = json_object_from_file(results);
		json_object *tests;
		if (!docs[i] || !json_object_object_get_ex(docs[i], "tests", &tests))
			continue;
		for (size_t t = 0; t < json_object_array_length(tests); t++) {
			json_object *num;
			if (!json_object_object_get_ex(json_object_array_get_idx(tests, t), "number", &num))
				continue;
			const char *id = json_object_get_string(num);
			int k = 0;
			while (k < n_ids && strcmp(ids[k], id) != 0)
				k++;
			if (k == n_ids && n_ids < 256)
				snprintf(ids[n_ids++], sizeof ids[0], "%s", id);
		}
	}
	csv(f, "student", false);
	csv(f, "score", false);
	csv(f, "max_score", false);
	csv(f, "status", n_ids == 0);
	for (int k = 0; k < n_ids; k++)
		csv(f, ids[k], k == n_ids - 1);
	int ungraded = 0;
	for (int i = 0; i < n; i++) {
		char score[32] = "", max[32] = "", state[64], cell[256][16];
		int total = 0, most = 0;
		for (int k = 0; k < n_ids; k++)
			snprintf(cell[k], sizeof cell[k], "-");
		json_object *tests;
		if (docs && docs[i] && json_object_object_get_ex(docs[i], "tests", &tests)) {
			for (size_t t = 0; t < json_object_array_length(tests); t++) {
				json_object *tc = json_object_array_get_idx(tests, t), *num, *sc, *mx;
				if (!json_object_object_get_ex(tc, "number", &num) || !json_object_object_get_ex(tc, "score", &sc) ||
				    !json_object_object_get_ex(tc, "max_score", &mx))
					continue;
				total += json_object_get_int(sc);
				most += json_object_get_int(mx);
				for (int k = 0; k < n_ids; k++)
					if (strcmp(ids[k], json_object_get_string(num)) == 0)
						snprintf(cell[k], sizeof cell[k], "%d", json_object_get_int(sc));
			}
			snprintf(score, sizeof score, "%d", total);
			snprintf(max, sizeof max, "%d", most);
			snprintf(state, sizeof state, "graded");
		} else {
			ungraded++;
			snprintf(state, sizeof state, "not graded (podlab-check exit %d; see %s/log.txt)", status[i], names[i]);
		}
		csv(f, names[i], false);
		csv(f, score, false);
		csv(f, max, false);
		csv(f, state, n_ids == 0);
		for (int k = 0; k < n_ids; k++)
			csv(f, cell[k], k == n_ids - 1);
	}
	for (int i = 0; docs && i < n; i++)
		if (docs[i])
			json_object_put(docs[i]);
	free(docs);
	fclose(f);
	printf("podlab-check: gradebook %s (%d submissions, %d not graded)\n", path, n, ungraded);
	return ungraded;
}

int batch_run(const char *dir, int workers, char *const *args, const char *out)
{
	char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	self[len > 0 ? len : 0] = '\0';
	DIR *d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "podlab-check: cannot read the submissions in %s: %s\n", dir, strerror(errno));
		return 2;
	}
	char **names = calloc(MAX_SUBMISSIONS, sizeof *names);
	int n = 0;
	for (struct dirent *e; names && (e = readdir(d)) != NULL && n < MAX_SUBMISSIONS;) {
		char path[4400];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (e->d_name[0] != '.' && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "podlab-check: %s holds no submission directories\n", dir);
		free(names);
		return 2;
	}
	qsort(names, (size_t)n, sizeof *names, by_name);
	if (mkdir(out, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "podlab-check: cannot create %s: %s\n", out, strerror(errno));
		return 2;
	}
	if (workers < 1)
		workers = 1;
	pid_t *pids = calloc((size_t)n, sizeof *pids);
	int *status = calloc((size_t)n, sizeof *status);
	int next = 0, running = 0, done = 0;
	while (done < n) {
		while (running < workers && next < n) {
			char sub[4400];
			snprintf(sub, sizeof sub, "%s/%s", dir, names[next]);
			pids[next] = start(self, args, sub, out, names[next]);
			printf("podlab-check: grading %s (pid %d)\n", names[next], (int)pids[next]);
			fflush(stdout);
			next++;
			running++;
		}
		int st;
		pid_t p = wait(&st);
		if (p < 0)
			break;
		for (int i = 0; i < next; i++)
			if (pids[i] == p) {
				status[i] = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
				printf("podlab-check: %s done (exit %d)\n", names[i], status[i]);
				running--;
				done++;
			}
	}
	int ungraded = gradebook(out, names, n, status);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(pids);
	free(status);
	return ungraded == 0 ? 0 : 2;
}
