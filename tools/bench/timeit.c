/* timeit - run a command N times, print the median wall time.
 *
 *   podlab-timeit [-n N] [-w WARMUP] -- COMMAND [ARG...]
 *
 * Prints "median_ms p10_ms p90_ms runs".  A run whose exit status is not
 * 0 stops everything: timing a failing command measures nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int run_once(char **argv, double *ms)
{
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	*ms = now_ms() - t0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	int n = 20, warmup = 2, i = 1;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			n = atoi(argv[++i]);
		else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
			warmup = atoi(argv[++i]);
	}
	if (i + 1 >= argc || n < 1) {
		fprintf(stderr, "usage: podlab-timeit [-n N] [-w WARMUP] -- COMMAND [ARG...]\n");
		return 2;
	}
	char **cmd = argv + i + 1;
	double *t = calloc((size_t)n, sizeof *t), ms;
	for (int k = 0; k < warmup; k++)
		if (run_once(cmd, &ms) != 0) {
			fprintf(stderr, "timeit: '%s' failed; not timing it\n", cmd[0]);
			return 1;
		}
	for (int k = 0; k < n; k++)
		if (run_once(cmd, &t[k]) != 0) {
			fprintf(stderr, "timeit: '%s' failed on run %d\n", cmd[0], k + 1);
			return 1;
		}
	qsort(t, (size_t)n, sizeof *t, cmp);
	printf("%.2f %.2f %.2f %d\n", t[n / 2], t[n / 10], t[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1], n);
	free(t);
	return 0;
}
