/* kube_play.c - play kube, play kube --down, generate kube.
 *
 * Playing is typing for the user: `podlab pod create`, then one
 * `podlab run -d --pod` per container, each a separate podlab process.
 * So a played container is recorded exactly like a typed one (podlab
 * start, ps, logs all work on it), and what play kube does can be read
 * as a list of commands with --trace.  If one container fails to start,
 * the pod is removed again: all or nothing.
 */
#include "kube.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctrstore.h"
#include "image.h"
#include "pod.h"
#include "trace.h"

static int failed(pl_error **err)
{
	pl_error_print(*err, stderr, "podlab");
	pl_error_free(err);
	return 125;
}

/* Run this podlab with argv; its stdout into out (if not NULL). */
static int podlab(char **argv, char *out, size_t len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	argv[0] = self;
	if (pl_trace_on) {
		fprintf(stderr, "podlab[trace]   $");
		for (char **a = argv + 1; *a; a++)
			fprintf(stderr, " %s", *a);
		fprintf(stderr, "\n");
	}
	int p[2];
	if (pipe(p) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execv(self, argv);
		_exit(127);
	}
	close(p[1]);
	size_t used = 0;
	char sink[256];
	for (ssize_t r; (r = read(p[0], out && used + 1 < len ? out + used : sink,
				  out && used + 1 < len ? len - used - 1 : sizeof sink)) > 0;)
		if (out && used + 1 < len)
			used += (size_t)r;
	if (out) {
		out[used] = '\0';
		out[strcspn(out, "\n")] = '\0';
	}
	close(p[0]);
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Everything that can be checked before anything starts. */
static int check(const struct pl_storage *st, const struct pl_kube_pod *k, const char *file, pl_error **err)
{
	for (int i = 0; i < k->n_containers; i++) {
		const struct pl_kube_container *c = &k->containers[i];
		struct pl_image img;
		if (pl_image_get(st, c->image, &img, err) < 0)
			return pl_wrap(err, "%s: container '%s'", file, c->name);
		pl_image_free(&img);
		char full[192];
		snprintf(full, sizeof full, "%s-%s", k->name, c->name);
		if (!pl_valid_name(full)) {
			pl_fail(err, EINVAL, "%s: container name '%s' is not valid", file, full);
			return pl_fix(err, "use lower-case letters, digits and '-' in metadata.name and containers[].name");
		}
	}
	for (int v = 0; v < k->n_volumes; v++) {
		struct stat sb;
		if (k->volumes[v].host_path[0] && stat(k->volumes[v].host_path, &sb) < 0) {
			pl_fail(err, errno, "%s: volume '%s': cannot use hostPath %s", file, k->volumes[v].name,
				k->volumes[v].host_path);
			return pl_fix(err, "create it on the host first, or use an emptyDir volume");
		}
	}
	return 0;
}

static const struct pl_kube_volume *find_volume(const struct pl_kube_pod *k, const char *name)
{
	for (int v = 0; v < k->n_volumes; v++)
		if (strcmp(k->volumes[v].name, name) == 0)
			return &k->volumes[v];
	return NULL;
}

/* The words of `podlab run -d --pod` for one container.  Strings it
 * makes live in `pool` (freed by the caller). */
static int run_words(const struct pl_kube_pod *k, const struct pl_kube_container *c, char **argv,
		     char (*pool)[4400])
{
	int n = 0, s = 0;
	argv[n++] = NULL; /* podlab() fills in our own path */
	argv[n++] = "run";
	argv[n++] = "-d";
	argv[n++] = "--pod";
	argv[n++] = (char *)k->name;
	argv[n++] = "--name";
	snprintf(pool[s], sizeof pool[s], "%s-%s", k->name, c->name);
	argv[n++] = pool[s++];
	for (int e = 0; e < c->n_env; e++) {
		argv[n++] = "-e";
		argv[n++] = c->env[e];
	}
	if (c->workdir[0]) {
		argv[n++] = "-w";
		argv[n++] = (char *)c->workdir;
	}
	for (int m = 0; m < c->n_mounts; m++) {
		const struct pl_kube_volume *v = find_volume(k, c->mounts[m].volume);
		/* An emptyDir is the named volume pod.POD.VOLUME: the recorded
		 * command line (and a systemd unit made from it) names it the
		 * same way however often the pod is made again. */
		if (v->host_path[0])
			snprintf(pool[s], sizeof pool[s], "%s:%s%s", v->host_path, c->mounts[m].path,
				 c->mounts[m].readonly ? ":ro" : "");
		else
			snprintf(pool[s], sizeof pool[s], "pod.%s.%s:%s%s", k->name, v->name, c->mounts[m].path,
				 c->mounts[m].readonly ? ":ro" : "");
		argv[n++] = "-v";
		argv[n++] = pool[s++];
	}
	argv[n++] = (char *)c->image;
	for (int a = 0; a < c->argc; a++)
		argv[n++] = c->argv[a];
	argv[n] = NULL;
	return n;
}

static int play(const char *file)
{
	pl_error *err = NULL;
	struct pl_storage st;
	struct pl_kube_pod *k = calloc(1, sizeof *k);
	if (k == NULL || pl_storage_open(&st, &err) < 0 || pl_kube_parse_file(file, k, &err) < 0 ||
	    check(&st, k, file, &err) < 0) {
		if (k)
			pl_kube_free(k);
		free(k);
		return failed(&err);
	}
	if (strcmp(k->restart, "Always") == 0 || strcmp(k->restart, "OnFailure") == 0)
		fprintf(stderr, "podlab: note: restartPolicy %s is recorded with the pod, but podlab has no daemon to "
				"restart containers: podlab generate systemd %s makes it the units' Restart=\n",
			k->restart, k->name);
	/* The pod, with every hostPort published at its level. */
	char *argv[256], ports[PL_KUBE_MAX * PL_KUBE_MAX][32], id[128];
	int n = 0, np = 0;
	argv[n++] = NULL;
	argv[n++] = "pod";
	argv[n++] = "create";
	argv[n++] = "--name";
	argv[n++] = k->name;
	const char *restart = pl_kube_restart(k->restart, false); /* NULL when the file has none */
	if (restart) {
		argv[n++] = "--restart";
		argv[n++] = (char *)restart;
	}
	for (int i = 0; i < k->n_containers; i++)
		for (int p = 0; p < k->containers[i].n_ports; p++) {
			const struct pl_kube_port *kp = &k->containers[i].ports[p];
			if (kp->host == 0)
				continue;
			snprintf(ports[np], sizeof ports[np], "%u:%u%s", kp->host, kp->ctr, kp->udp ? "/udp" : "");
			argv[n++] = "-p";
			argv[n++] = ports[np++];
		}
	argv[n] = NULL;
	int rc = podlab(argv, id, sizeof id);
	if (rc != 0) {
		pl_kube_free(k);
		free(k);
		return rc; /* pod create said why */
	}
	printf("Pod:\n%s\nContainers:\n", id);
	static char pool[PL_KUBE_MAX + 2][4400];
	for (int i = 0; rc == 0 && i < k->n_containers; i++) {
		run_words(k, &k->containers[i], argv, pool);
		if ((rc = podlab(argv, id, sizeof id)) == 0)
			printf("%s\n", id);
	}
	if (rc != 0) {
		/* All or nothing: the pod and the containers already made go. */
		fprintf(stderr, "podlab: play kube: removing pod %s again\n", k->name);
		char *rm[] = { NULL, "pod", "rm", "-f", k->name, NULL };
		podlab(rm, NULL, 0);
	}
	pl_kube_free(k);
	free(k);
	return rc;
}

static int down(const char *file)
{
	pl_error *err = NULL;
	struct pl_kube_pod *k = calloc(1, sizeof *k);
	if (k == NULL || pl_kube_parse_file(file, k, &err) < 0) {
		free(k);
		return failed(&err);
	}
	char *rm[] = { NULL, "pod", "rm", "-f", k->name, NULL };
	printf("Pods stopped and removed:\n");
	fflush(stdout);
	int rc = podlab(rm, NULL, 0);
	if (rc == 0)
		printf("%s\n", k->name);
	pl_kube_free(k);
	free(k);
	return rc;
}

int pl_cmd_play(struct pl_cli *cli)
{
	pl_error *err = NULL;
	char **a = cli->args;
	int n = cli->n_args;
	if (n >= 2 && strcmp(a[0], "kube") == 0) {
		if (n == 2)
			return play(a[1]);
		if (n == 3 && strcmp(a[1], "--down") == 0)
			return down(a[2]);
	}
	pl_fail(&err, EINVAL, "podlab play: expected 'kube [--down] FILE.yaml'");
	pl_fix(&err, "usage: podlab play kube FILE.yaml | podlab play kube --down FILE.yaml");
	return failed(&err);
}
