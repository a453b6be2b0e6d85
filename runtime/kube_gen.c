/* kube_gen.c - generate kube: a running pod written back as YAML.
 *
 * Each member's record keeps the `podlab run` words that made it; parsed
 * again they give the image, command, environment, working directory and
 * volumes.  A volume inside the pod's own volumes/ directory was an
 * emptyDir; any other is a hostPath.  The pod's published ports go on
 * the first container (Kubernetes puts hostPort on containers; podlab
 * publishes at the pod, so which one holds them does not matter).
 * libyaml's emitter writes the text, quoting whatever needs it.
 */
#include "kube.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "ctrstore.h"
#include "pod.h"
#include "systemd.h"

/* ---- emitting ------------------------------------------------------------ */

static bool ev(yaml_emitter_t *e, yaml_event_t *event)
{
	return yaml_emitter_emit(e, event) != 0;
}

static bool scalar(yaml_emitter_t *e, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t event;
	yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1, style);
	return ev(e, &event);
}

/* Would a YAML reader take this plain text for a number, a boolean or
 * null?  Then a string must be quoted, or Kubernetes reads `- 80` in a
 * command as the number 80 where it wants a string. */
static bool looks_typed(const char *s)
{
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n", NULL };
	char *end;
	if (*s == '\0')
		return true;
	strtod(s, &end);
	if (*end == '\0')
		return true;
	for (const char *const *w = words; *w; w++)
		if (strcasecmp(s, *w) == 0)
			return true;
	return false;
}

/* Text: quoted when it would otherwise read as another type. */
static bool str(yaml_emitter_t *e, const char *s)
{
	return scalar(e, s, looks_typed(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
}

static bool num(yaml_emitter_t *e, unsigned n)
{
	char buf[16];
	snprintf(buf, sizeof buf, "%u", n);
	return scalar(e, buf, YAML_PLAIN_SCALAR_STYLE);
}

static bool map_begin(yaml_emitter_t *e)
{
	yaml_event_t event;
	yaml_mapping_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	return ev(e, &event);
}

static bool seq_begin(yaml_emitter_t *e)
{
	yaml_event_t event;
	yaml_sequence_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	return ev(e, &event);
}

static bool map_end(yaml_emitter_t *e)
{
	yaml_event_t event;
	yaml_mapping_end_event_initialize(&event);
	return ev(e, &event);
}

static bool seq_end(yaml_emitter_t *e)
{
	yaml_event_t event;
	yaml_sequence_end_event_initialize(&event);
	return ev(e, &event);
}

static bool container(yaml_emitter_t *e, const struct pl_kube_container *c)
{
	bool ok = map_begin(e) && str(e, "name") && str(e, c->name) && str(e, "image") && str(e, c->image);
	if (ok && c->argc > 0) {
		ok = str(e, "command") && seq_begin(e);
		for (int a = 0; ok && a < c->argc; a++)
			ok = str(e, c->argv[a]);
		ok = ok && seq_end(e);
	}
	if (ok && c->n_env > 0) {
		ok = str(e, "env") && seq_begin(e);
		for (int i = 0; ok && i < c->n_env; i++) {
			char name[256];
			size_t k = strcspn(c->env[i], "=");
			snprintf(name, sizeof name, "%.*s", (int)k, c->env[i]);
			ok = map_begin(e) && str(e, "name") && str(e, name) && str(e, "value") && str(e, c->env[i] + k + 1) &&
			     map_end(e);
		}
		ok = ok && seq_end(e);
	}
	if (ok && c->workdir[0])
		ok = str(e, "workingDir") && str(e, c->workdir);
	if (ok && c->n_ports > 0) {
		ok = str(e, "ports") && seq_begin(e);
		for (int i = 0; ok && i < c->n_ports; i++) {
			ok = map_begin(e) && str(e, "containerPort") && num(e, c->ports[i].ctr) && str(e, "hostPort") &&
			     num(e, c->ports[i].host);
			if (ok && c->ports[i].udp)
				ok = str(e, "protocol") && str(e, "UDP");
			ok = ok && map_end(e);
		}
		ok = ok && seq_end(e);
	}
	if (ok && c->n_mounts > 0) {
		ok = str(e, "volumeMounts") && seq_begin(e);
		for (int i = 0; ok && i < c->n_mounts; i++) {
			ok = map_begin(e) && str(e, "name") && str(e, c->mounts[i].volume) && str(e, "mountPath") &&
			     str(e, c->mounts[i].path);
			if (ok && c->mounts[i].readonly)
				ok = str(e, "readOnly") && scalar(e, "true", YAML_PLAIN_SCALAR_STYLE);
			ok = ok && map_end(e);
		}
		ok = ok && seq_end(e);
	}
	return ok && map_end(e);
}

const char *pl_kube_restart(const char *policy, bool to_kube)
{
	static const char *const pairs[][2] = { { "Always", "always" }, { "OnFailure", "on-failure" }, { "Never", "no" } };
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
		if (strcmp(policy, pairs[i][to_kube]) == 0)
			return pairs[i][!to_kube];
	return NULL;
}

static int write_out(void *data, unsigned char *buffer, size_t size)
{
	return fwrite(buffer, 1, size, data) == size;
}

int pl_kube_emit(const struct pl_kube_pod *k, FILE *out, pl_error **err)
{
	yaml_emitter_t e;
	yaml_event_t event;
	yaml_emitter_initialize(&e);
	yaml_emitter_set_output(&e, write_out, out);
	yaml_emitter_set_unicode(&e, 1);
	yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING);
	bool ok = ev(&e, &event);
	yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1);
	ok = ok && ev(&e, &event) && map_begin(&e) && str(&e, "apiVersion") && str(&e, "v1") && str(&e, "kind") &&
	     str(&e, "Pod") && str(&e, "metadata") && map_begin(&e) && str(&e, "name") && str(&e, k->name) &&
	     map_end(&e) && str(&e, "spec") && map_begin(&e) && str(&e, "containers") && seq_begin(&e);
	for (int i = 0; ok && i < k->n_containers; i++)
		ok = container(&e, &k->containers[i]);
	ok = ok && seq_end(&e);
	if (ok && k->n_volumes > 0) {
		ok = str(&e, "volumes") && seq_begin(&e);
		for (int v = 0; ok && v < k->n_volumes; v++) {
			ok = map_begin(&e) && str(&e, "name") && str(&e, k->volumes[v].name);
			if (ok && k->volumes[v].host_path[0])
				ok = str(&e, "hostPath") && map_begin(&e) && str(&e, "path") && str(&e, k->volumes[v].host_path) &&
				     map_end(&e);
			else if (ok)
				ok = str(&e, "emptyDir") && map_begin(&e) && map_end(&e);
			ok = ok && map_end(&e);
		}
		ok = ok && seq_end(&e);
	}
	if (ok && k->restart[0])
		ok = str(&e, "restartPolicy") && str(&e, k->restart);
	ok = ok && map_end(&e) && map_end(&e);
	yaml_document_end_event_initialize(&event, 1);
	ok = ok && ev(&e, &event);
	yaml_stream_end_event_initialize(&event);
	ok = ok && ev(&e, &event) && yaml_emitter_flush(&e);
	int rc = ok ? 0 : pl_fail(err, EIO, "cannot write the YAML: %s", e.problem ? e.problem : "output failed");
	yaml_emitter_delete(&e);
	return rc;
}

/* ---- a pod, read back into struct pl_kube_pod ----------------------------- */

struct gather {
	const struct pl_pod *pod;
	struct pl_kube_pod *k;
	int rc;
	pl_error **err;
	long long created[PL_KUBE_MAX];
	char names[PL_KUBE_MAX][129];
};

/* The pod's volume for a host path: an existing one, or a new entry. */
static const char *volume_for(struct pl_kube_pod *k, const struct pl_pod *pod, const char *host)
{
	/* The pod's emptyDirs are the named volumes pod.POD.NAME. */
	char mine[300];
	snprintf(mine, sizeof mine, "pod.%s.", pod->name);
	bool empty = strncmp(host, mine, strlen(mine)) == 0;
	for (int v = 0; v < k->n_volumes; v++)
		if (empty ? k->volumes[v].empty_dir && strcmp(k->volumes[v].name, host + strlen(mine)) == 0
			  : strcmp(k->volumes[v].host_path, host) == 0)
			return k->volumes[v].name;
	if (k->n_volumes == PL_KUBE_MAX)
		return NULL;
	struct pl_kube_volume *v = &k->volumes[k->n_volumes++];
	v->empty_dir = empty;
	if (empty) {
		snprintf(v->name, sizeof v->name, "%s", host + strlen(mine));
	} else {
		snprintf(v->name, sizeof v->name, "host-%d", k->n_volumes);
		snprintf(v->host_path, sizeof v->host_path, "%s", host);
	}
	return v->name;
}

static int member(const struct pl_ctr *c, void *arg)
{
	struct gather *g = arg;
	if (strcmp(c->pod, g->pod->name) != 0 || g->k->n_containers == PL_KUBE_MAX)
		return 0;
	int argc;
	char **argv;
	struct pl_cli cli = { 0 };
	pl_spec_init(&cli.spec);
	if (pl_ctr_get_args(c, &argc, &argv, g->err) < 0)
		return g->rc = -1;
	if (pl_cli_parse_run(argc, argv, &cli, g->err) < 0) {
		free(argv);
		return g->rc = -1;
	}
	/* In the order they were made (then by name): the same pod gives the
	 * same YAML, whatever order the directory lists them in. */
	int at = g->k->n_containers++;
	while (at > 0 && (g->created[at - 1] > c->created ||
			  (g->created[at - 1] == c->created && strcmp(g->names[at - 1], c->name) > 0))) {
		g->k->containers[at] = g->k->containers[at - 1];
		g->created[at] = g->created[at - 1];
		memcpy(g->names[at], g->names[at - 1], sizeof g->names[at]);
		at--;
	}
	g->created[at] = c->created;
	snprintf(g->names[at], sizeof g->names[at], "%s", c->name);
	struct pl_kube_container *k = &g->k->containers[at];
	memset(k, 0, sizeof *k);
	const struct pl_spec *s = &cli.spec;
	/* play kube names members POD-NAME; a typed --name may be anything. */
	size_t plen = strlen(g->pod->name);
	const char *name = strncmp(c->name, g->pod->name, plen) == 0 && c->name[plen] == '-' ? c->name + plen + 1 : c->name;
	snprintf(k->name, sizeof k->name, "%s", name);
	snprintf(k->image, sizeof k->image, "%s", c->image);
	for (char **a = s->argv; a && *a && k->argc < 63; a++)
		k->argv[k->argc++] = strdup(*a);
	k->has_command = k->argc > 0;
	for (size_t i = 0; i < s->n_env && k->n_env < 63; i++)
		k->env[k->n_env++] = strdup(s->env[i]);
	if (s->workdir)
		snprintf(k->workdir, sizeof k->workdir, "%s", s->workdir);
	for (size_t i = 0; i < s->n_volumes && k->n_mounts < PL_KUBE_MAX; i++) {
		const char *vol = volume_for(g->k, g->pod, s->volumes[i].host);
		if (vol == NULL)
			break;
		struct pl_kube_mount *m = &k->mounts[k->n_mounts++];
		snprintf(m->volume, sizeof m->volume, "%s", vol);
		snprintf(m->path, sizeof m->path, "%s", s->volumes[i].container);
		m->readonly = s->volumes[i].readonly;
	}
	free(argv);
	return 0;
}

int pl_cmd_generate(struct pl_cli *cli)
{
	pl_error *err = NULL;
	if (strcmp(cli->args[0], "systemd") == 0 || strcmp(cli->args[0], "quadlet") == 0)
		return pl_cmd_generate_systemd(cli, cli->args[0][0] == 'q');
	if (cli->n_args != 2 || strcmp(cli->args[0], "kube") != 0) {
		pl_fail(&err, EINVAL, "podlab generate: expected 'kube POD', 'systemd ... NAME' or 'quadlet ... NAME'");
		pl_fix(&err, "usage: podlab generate kube POD | systemd [--new] [--files|--install] NAME | quadlet NAME");
		pl_error_print(err, stderr, "podlab");
		pl_error_free(&err);
		return 125;
	}
	struct pl_storage st;
	struct pl_pod pod;
	struct pl_kube_pod *k = calloc(1, sizeof *k);
	struct gather g = { .pod = &pod, .k = k, .err = &err };
	int rc = 0;
	if (k == NULL || pl_storage_open(&st, &err) < 0 || pl_pod_find(&st, cli->args[1], &pod, &err) < 0 ||
	    pl_ctr_each(&st, member, &g, &err) < 0 || g.rc < 0) {
		rc = -1;
	} else if (k->n_containers == 0) {
		pl_fail(&err, ENOENT, "pod %s has no containers to describe", pod.name);
		rc = pl_fix(&err, "add one: podlab run -d --pod %s IMAGE ...", pod.name);
	} else {
		snprintf(k->name, sizeof k->name, "%s", pod.name);
		const char *restart = pl_kube_restart(pod.restart, true);
		snprintf(k->restart, sizeof k->restart, "%s", restart ? restart : "");
		struct pl_kube_container *first = &k->containers[0];
		for (size_t i = 0; i < pod.n_ports && first->n_ports < PL_KUBE_MAX; i++)
			first->ports[first->n_ports++] = (struct pl_kube_port){ pod.ports[i].ctr_port, pod.ports[i].host_port,
										  pod.ports[i].udp };
		rc = pl_kube_emit(k, stdout, &err);
	}
	if (k)
		pl_kube_free(k);
	free(k);
	if (rc < 0) {
		pl_error_print(err, stderr, "podlab");
		pl_error_free(&err);
		return 125;
	}
	return 0;
}
