/* test_kube.c - the YAML mapping of play kube: what it accepts, what it
 * refuses (with the line and column), and that what generate kube
 * writes reads back the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube.h"

static struct pl_kube_pod pod;

static int parse(const char *yaml, pl_error **err)
{
	return pl_kube_parse(yaml, strlen(yaml), "t.yaml", &pod, err);
}

static void web_pod(void **state)
{
	(void)state;
	const char *y = "apiVersion: v1\n"
			"kind: Pod\n"
			"metadata:\n"
			"  name: web\n"
			"  labels: {app: web}\n"
			"spec:\n"
			"  restartPolicy: Never\n"
			"  containers:\n"
			"  - name: serve\n"
			"    image: busybox\n"
			"    args: [\"-h\", \"/srv\"]\n"          /* args before command: */
			"    command: [httpd, -f]\n"              /* command still first */
			"    env:\n"
			"    - {name: MODE, value: \"a b=c\"}\n"
			"    workingDir: /srv\n"
			"    ports:\n"
			"    - {containerPort: 80, hostPort: 8080}\n"
			"    - {containerPort: 53, protocol: UDP}\n"
			"    volumeMounts:\n"
			"    - {name: data, mountPath: /srv, readOnly: true}\n"
			"  volumes:\n"
			"  - name: data\n"
			"    emptyDir: {}\n"
			"  - name: logs\n"
			"    hostPath: {path: /tmp, type: Directory}\n";
	assert_int_equal(parse(y, NULL), 0);
	assert_string_equal(pod.name, "web");
	assert_string_equal(pod.restart, "Never");
	assert_int_equal(pod.n_containers, 1);
	struct pl_kube_container *c = &pod.containers[0];
	assert_int_equal(c->argc, 4);
	assert_string_equal(c->argv[0], "httpd");
	assert_string_equal(c->argv[1], "-f");
	assert_string_equal(c->argv[2], "-h");
	assert_string_equal(c->env[0], "MODE=a b=c");
	assert_string_equal(c->workdir, "/srv");
	assert_int_equal(c->n_ports, 2);
	assert_int_equal(c->ports[0].host, 8080);
	assert_true(c->ports[1].udp);
	assert_int_equal(c->ports[1].host, 0);
	assert_true(c->mounts[0].readonly);
	assert_true(pod.volumes[0].empty_dir);
	assert_string_equal(pod.volumes[1].host_path, "/tmp");
	pl_kube_free(&pod);
}

static void deployment(void **state)
{
	(void)state;
	const char *y = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 1\n"
			"  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n"
			"    spec:\n      containers: [{name: c, image: busybox}]\n";
	assert_int_equal(parse(y, NULL), 0);
	assert_string_equal(pod.name, "d");
	assert_string_equal(pod.containers[0].image, "busybox");
	pl_kube_free(&pod);
}

/* Each refusal: the message, and where. */
static void refused(const char *yaml, const char *where, const char *what)
{
	pl_error *err = NULL;
	assert_int_equal(parse(yaml, &err), -1);
	assert_non_null(err);
	if (strstr(err->what, where) == NULL || strstr(err->what, what) == NULL)
		fail_msg("expected '%s' and '%s' in: %s", where, what, err->what);
	pl_error_free(&err);
}

static void refusals(void **state)
{
	(void)state;
	const char *head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n";
	char y[1024];
	snprintf(y, sizeof y, "%s  - name: a\n    image: b\n    resources: {}\n", head);
	refused(y, "t.yaml:8:5:", "unsupported field 'resources'");
	snprintf(y, sizeof y, "%s  - name: a\n    imgae: b\n", head);
	refused(y, "t.yaml:7:5:", "unsupported field 'imgae'");
	snprintf(y, sizeof y, "%s  - name: a\n    image: b\n    ports: [{containerPort: 70000}]\n", head);
	refused(y, "t.yaml:8:", "containerPort must be a number from 1 to 65535");
	snprintf(y, sizeof y, "%s  - name: a\n    image: b\n    volumeMounts: [{name: nope, mountPath: /x}]\n", head);
	refused(y, "t.yaml:5:", "mounts volume 'nope'");
	snprintf(y, sizeof y, "%s  - name: a\n", head);
	refused(y, "t.yaml:6:", "needs a name and an image");
	refused("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n", "t.yaml:1:1:", "not v1 Service");
	refused("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 3\n  template: {}\n",
		"t.yaml:5:13:", "replicas: 1 only");
	refused("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n spec: x\n", "t.yaml:5:", "not valid YAML");
	snprintf(y, sizeof y, "%s  - {name: a, image: b}\n---\napiVersion: v1\n", head);
	refused(y, "t.yaml:8:1:", "one pod per file");
	snprintf(y, sizeof y, "%s  - {name: a, image: b}\n  volumes: [{name: v}]\n", head);
	refused(y, "t.yaml:7:", "exactly one of hostPath and emptyDir");
	snprintf(y, sizeof y, "%s  - {name: a, image: b}\n  restartPolicy: Sometimes\n", head);
	refused(y, "t.yaml:7:18:", "restartPolicy must be");
	refused("", "t.yaml", "no YAML document");
}

/* generate kube's text reads back as the pod it came from. */
static void round_trip(void **state)
{
	(void)state;
	struct pl_kube_pod *in = calloc(1, sizeof *in);
	snprintf(in->name, sizeof in->name, "rt");
	in->n_containers = 1;
	struct pl_kube_container *c = &in->containers[0];
	snprintf(c->name, sizeof c->name, "x");
	snprintf(c->image, sizeof c->image, "busybox");
	const char *words[] = { "sh", "-c", "echo 'quoted: yes' # not a comment", "80", "true" };
	for (int i = 0; i < 5; i++)
		c->argv[c->argc++] = strdup(words[i]);
	c->env[c->n_env++] = strdup("A=1: two");
	c->ports[c->n_ports++] = (struct pl_kube_port){ 80, 8080, false };
	c->mounts[c->n_mounts++] = (struct pl_kube_mount){ "v", "/v", true };
	in->n_volumes = 1;
	snprintf(in->volumes[0].name, sizeof in->volumes[0].name, "v");
	in->volumes[0].empty_dir = true;
	snprintf(in->restart, sizeof in->restart, "OnFailure");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(pl_kube_emit(in, f, NULL), 0);
	fclose(f);
	/* Words that would read as a number or a boolean are quoted. */
	assert_non_null(strstr(text, "- \"80\""));
	assert_non_null(strstr(text, "- \"true\""));
	assert_non_null(strstr(text, "hostPort: 8080"));
	pl_error *err = NULL;
	if (pl_kube_parse(text, len, "gen.yaml", &pod, &err) < 0)
		fail_msg("generated YAML does not parse: %s\n%s", err->what, text);
	assert_int_equal(pod.containers[0].argc, 5);
	for (int i = 0; i < 5; i++)
		assert_string_equal(pod.containers[0].argv[i], words[i]); /* "80", "true" stay strings */
	assert_string_equal(pod.containers[0].env[0], "A=1: two");
	assert_int_equal(pod.containers[0].ports[0].host, 8080);
	assert_true(pod.containers[0].mounts[0].readonly);
	assert_true(pod.volumes[0].empty_dir);
	assert_string_equal(pod.restart, "OnFailure");
	pl_kube_free(&pod);
	pl_kube_free(in);
	free(in);
	free(text);
}

/* Kubernetes' restartPolicy words and podlab's (podman's, systemd's). */
static void restart_words(void **state)
{
	(void)state;
	assert_string_equal(pl_kube_restart("Always", false), "always");
	assert_string_equal(pl_kube_restart("OnFailure", false), "on-failure");
	assert_string_equal(pl_kube_restart("Never", false), "no");
	assert_string_equal(pl_kube_restart("no", true), "Never");
	assert_string_equal(pl_kube_restart("on-failure", true), "OnFailure");
	assert_null(pl_kube_restart("Sometimes", false));
	assert_null(pl_kube_restart("always", false)); /* the other vocabulary */
	assert_null(pl_kube_restart("", true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(web_pod),
		cmocka_unit_test(deployment),
		cmocka_unit_test(refusals),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(restart_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
