/* stage08 - is a week-11 submission ready to hand in?
 *
 *   build/stage08 [DIR]      (default: ~/week11)
 *
 * The capstone adds no code to the runtime: it uses every stage at once.
 * This program reads the files of a submission with the same code the
 * grader uses (the kube parser of stage 05, the subordinate id files of
 * stage 01) and says, step by step, what is there and what is missing.
 * It runs nothing; `podlab-check --suite week11 DIR` grades for real.
 */
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ids.h"
#include "kube.h"

static int problems;

static void line(bool ok, const char *step, const char *fmt, const char *detail)
{
	printf("  %-5s %-10s ", ok ? "ok" : "TODO", step);
	printf(fmt, detail);
	printf("\n");
	problems += !ok;
}

static void subids(const char *file, const char *user)
{
	struct pl_subid_file f;
	struct pl_id_range r[16];
	char msg[128];
	int n = pl_subid_load(file, &f, NULL) == 0 ? pl_subid_find(&f, user, getuid(), r, 16, NULL) : -1;
	unsigned long total = n > 0 ? pl_id_ranges_total(r, (size_t)n) : 0;
	if (n >= 0)
		pl_subid_free(&f);
	snprintf(msg, sizeof msg, "%s: %lu ids for %s", file, total, user);
	line(total >= 65536, "step 1", "%s (65536 needed)", msg);
}

static void kube(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/pod.yaml", dir);
	struct pl_kube_pod *k = calloc(1, sizeof *k);
	pl_error *err = NULL;
	if (k == NULL || pl_kube_parse_file(path, k, &err) < 0) {
		line(false, "step 2", "%s", err ? err->what : "out of memory");
		pl_error_free(&err);
		free(k);
		return;
	}
	unsigned port = 0;
	int shared = 0;
	for (int i = 0; i < k->n_containers; i++)
		for (int p = 0; p < k->containers[i].n_ports && !port; p++)
			port = k->containers[i].ports[p].host;
	for (int v = 0; v < k->n_volumes; v++) {
		int users = 0;
		for (int i = 0; i < k->n_containers; i++)
			for (int m = 0; m < k->containers[i].n_mounts; m++)
				users += strcmp(k->containers[i].mounts[m].volume, k->volumes[v].name) == 0;
		shared += users >= 2;
	}
	char msg[256];
	snprintf(msg, sizeof msg, "pod.yaml: pod %s, %d containers, hostPort %u, %d shared volume(s)", k->name,
		 k->n_containers, port, shared);
	line(k->n_containers >= 2 && port && shared, "step 2", "%s", msg);
	const char *cfg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (cfg && cfg[0] == '/')
		snprintf(msg, sizeof msg, "%s/systemd/user/pod-%s.service", cfg, k->name);
	else
		snprintf(msg, sizeof msg, "%s/.config/systemd/user/pod-%s.service", home ? home : "~", k->name);
	line(access(msg, R_OK) == 0, "step 3", "unit %s", msg);
	pl_kube_free(k);
	free(k);
}

static void results(const char *dir)
{
	char path[4200], text[8192] = "";
	snprintf(path, sizeof path, "%s/results.txt", dir);
	FILE *f = fopen(path, "re");
	if (f) {
		text[fread(text, 1, sizeof text - 1, f)] = '\0';
		fclose(f);
	}
	for (char *p = text; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	bool both = strstr(text, "slirp4netns") && strstr(text, "pasta");
	line(both, "step 4", "%s names slirp4netns and pasta (podlab bench net measures them)", path);
}

static void notes(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/NOTES.md", dir);
	struct stat st;
	line(stat(path, &st) == 0 && st.st_size > 0, "slice", "%s: the operational deltas", path);
}

int main(int argc, char **argv)
{
	char dir[4096];
	struct passwd *pw = getpwuid(getuid());
	const char *home = getenv("HOME");
	snprintf(dir, sizeof dir, "%s", argc > 1 ? argv[1] : "");
	if (argc < 2)
		snprintf(dir, sizeof dir, "%s/week11", home ? home : ".");
	printf("stage08: the week-11 submission in %s\n", dir);
	subids("/etc/subuid", pw ? pw->pw_name : "?");
	subids("/etc/subgid", pw ? pw->pw_name : "?");
	kube(dir);
	results(dir);
	notes(dir);
	printf("%s; grade it: build/podlab-check --suite week11 %s\n",
	       problems ? "not ready yet" : "everything is in place", dir);
	return problems ? 1 : 0;
}
