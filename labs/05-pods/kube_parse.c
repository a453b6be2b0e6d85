/* Lab 05 starter: kube_parse.c, generated from runtime/kube_parse.c by 'make labs'.
 * Fill in every part marked 'LAB 05 TODO', then build and check:
 *     make lab LAB=labs/05-pods && build/podlab-check labs/05-pods
 */
/* kube_parse.c - YAML to struct pl_kube_pod, every field checked.
 *
 * libyaml builds the document as a tree of nodes (scalars, sequences,
 * mappings), each with the line and column where it starts.  The mapping
 * walks that tree with a short list of known keys per level: a key not
 * on the list is reported, not skipped, so a typo like "imgae" or a
 * feature podlab lacks ("resources") is never silently ignored.
 */
#include "kube.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct ctx {
	yaml_document_t *doc;
	const char *file;
	pl_error **err;
};

/* "FILE:LINE:COL: what" (libyaml counts from 0, editors from 1). */
static int fail_at(struct ctx *c, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	pl_fail(c->err, 0, "%s:%zu:%zu: %s", c->file, n->start_mark.line + 1, n->start_mark.column + 1, what);
	return pl_fix(c->err, "fix the file; nothing was started");
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

/* Walk a mapping: check every key is known, hand each value to `fn`. */
typedef int (*field_fn)(struct ctx *c, const char *key, yaml_node_t *value, void *out);
static int each_field(struct ctx *c, yaml_node_t *map, const char *what, const char *const *known, field_fn fn,
		      void *out)
{
	if (map->type != YAML_MAPPING_NODE)
		return fail_at(c, map, "%s must be a mapping (key: value lines)", what);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
		const char *key = scalar(k);
		if (key == NULL)
			return fail_at(c, k, "a key in %s is not a plain name", what);
		bool ok = false;
		for (const char *const *kn = known; *kn && !ok; kn++)
			ok = strcmp(*kn, key) == 0;
		if (!ok)
			return fail_at(c, k, "unsupported field '%s' in %s", key, what);
		if (fn(c, key, v, out) < 0)
			return -1;
	}
	return 0;
}

static int text(struct ctx *c, yaml_node_t *v, const char *what, char *out, size_t len)
{
	const char *s = scalar(v);
	if (s == NULL)
		return fail_at(c, v, "%s must be a single value", what);
	if (strlen(s) >= len)
		return fail_at(c, v, "%s is longer than %zu characters", what, len - 1);
	snprintf(out, len, "%s", s);
	return 0;
}

static int number(struct ctx *c, yaml_node_t *v, const char *what, unsigned lo, unsigned hi, unsigned *out)
{
	const char *s = scalar(v);
	char *end;
	unsigned long n = s ? strtoul(s, &end, 10) : 0;
	if (s == NULL || *s == '\0' || *end || n < lo || n > hi)
		return fail_at(c, v, "%s must be a number from %u to %u", what, lo, hi);
	*out = (unsigned)n;
	return 0;
}

static int boolean(struct ctx *c, yaml_node_t *v, const char *what, bool *out)
{
	const char *s = scalar(v);
	if (s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
		*out = s[0] == 't';
		return 0;
	}
	return fail_at(c, v, "%s must be true or false", what);
}

/* A sequence: call fn on each item. */
typedef int (*item_fn)(struct ctx *c, yaml_node_t *item, void *out);
static int each_item(struct ctx *c, yaml_node_t *seq, const char *what, item_fn fn, void *out)
{
	if (seq->type != YAML_SEQUENCE_NODE)
		return fail_at(c, seq, "%s must be a list (lines starting with '- ')", what);
	for (yaml_node_item_t *i = seq->data.sequence.items.start; i < seq->data.sequence.items.top; i++)
		if (fn(c, node(c, *i), out) < 0)
			return -1;
	return 0;
}

/* ---- containers ----------------------------------------------------------- */

static int word(struct ctx *c, yaml_node_t *item, void *out)
{
	struct pl_kube_container *k = out;
	const char *s = scalar(item);
	if (s == NULL)
		return fail_at(c, item, "each word of command and args must be a single value");
	if (k->argc == 63)
		return fail_at(c, item, "more than 63 words of command and args");
	k->argv[k->argc++] = strdup(s);
	return 0;
}

struct env_item {
	char name[256], value[4096];
	bool has_value;
};

static int env_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	struct env_item *e = out;
	if (strcmp(key, "name") == 0)
		return text(c, v, "env[].name", e->name, sizeof e->name);
	e->has_value = true;
	return text(c, v, "env[].value", e->value, sizeof e->value);
}

static int env(struct ctx *c, yaml_node_t *item, void *out)
{
	struct pl_kube_container *k = out;
	static const char *const known[] = { "name", "value", NULL };
	struct env_item e = { 0 };
	if (each_field(c, item, "env[]", known, env_field, &e) < 0)
		return -1;
	if (e.name[0] == '\0' || strchr(e.name, '='))
		return fail_at(c, item, "env[] needs a name, without '='");
	if (k->n_env == 63)
		return fail_at(c, item, "more than 63 environment variables");
	char kv[4400];
	snprintf(kv, sizeof kv, "%s=%s", e.name, e.value);
	k->env[k->n_env++] = strdup(kv);
	return 0;
}

static int port_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	struct pl_kube_port *p = out;
	if (strcmp(key, "containerPort") == 0)
		return number(c, v, "containerPort", 1, 65535, &p->ctr);
	if (strcmp(key, "hostPort") == 0)
		return number(c, v, "hostPort", 1, 65535, &p->host);
	if (strcmp(key, "protocol") == 0) {
		const char *s = scalar(v);
		if (s == NULL || (strcmp(s, "TCP") && strcmp(s, "UDP")))
			return fail_at(c, v, "protocol must be TCP or UDP");
		p->udp = s[0] == 'U';
		return 0;
	}
	return 0; /* name: a label only */
}

static int port(struct ctx *c, yaml_node_t *item, void *out)
{
	struct pl_kube_container *k = out;
	static const char *const known[] = { "containerPort", "hostPort", "protocol", "name", NULL };
	if (k->n_ports == PL_KUBE_MAX)
		return fail_at(c, item, "more than %d ports", PL_KUBE_MAX);
	struct pl_kube_port *p = &k->ports[k->n_ports];
	if (each_field(c, item, "ports[]", known, port_field, p) < 0)
		return -1;
	if (p->ctr == 0)
		return fail_at(c, item, "ports[] needs containerPort");
	k->n_ports++;
	return 0;
}

static int mount_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	struct pl_kube_mount *m = out;
	if (strcmp(key, "name") == 0)
		return text(c, v, "volumeMounts[].name", m->volume, sizeof m->volume);
	if (strcmp(key, "mountPath") == 0) {
		if (text(c, v, "mountPath", m->path, sizeof m->path) < 0)
			return -1;
		return m->path[0] == '/' ? 0 : fail_at(c, v, "mountPath must be absolute");
	}
	return boolean(c, v, "readOnly", &m->readonly);
}

static int mount(struct ctx *c, yaml_node_t *item, void *out)
{
	struct pl_kube_container *k = out;
	static const char *const known[] = { "name", "mountPath", "readOnly", NULL };
	if (k->n_mounts == PL_KUBE_MAX)
		return fail_at(c, item, "more than %d volumeMounts", PL_KUBE_MAX);
	struct pl_kube_mount *m = &k->mounts[k->n_mounts];
	if (each_field(c, item, "volumeMounts[]", known, mount_field, m) < 0)
		return -1;
	if (!m->volume[0] || !m->path[0])
		return fail_at(c, item, "volumeMounts[] needs name and mountPath");
	k->n_mounts++;
	return 0;
}

static int container_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	struct pl_kube_container *k = out;
	/* LAB 05 TODO kube-container: map one field of a container.
	 * `key` is already known to be one of the names in container()'s
	 * list.  name and image: text() into k->name and k->image.
	 * workingDir: text() into k->workdir, and it must start with '/'
	 * (else fail_at(c, v, "workingDir must be absolute")).  command and
	 * args: each_item(..., word, k) appends the words to k->argv; the
	 * command's words must end up *before* the args' (a file may list
	 * args first), and has_command is set.  env, ports, volumeMounts:
	 * each_item() with env, port and mount.  imagePullPolicy: accepted
	 * and ignored (there is no registry to pull from).  Return -1 (with
	 * the error fail_at() made) on the first problem, 0 otherwise. */
	(void)k; (void)v; (void)key; return pl_todo(c->err, "05", "kube-container");
}

static int container(struct ctx *c, yaml_node_t *item, void *out)
{
	struct pl_kube_pod *pod = out;
	static const char *const known[] = { "name",  "image",        "command",        "args", "env", "workingDir",
					     "ports", "volumeMounts", "imagePullPolicy", NULL };
	if (pod->n_containers == PL_KUBE_MAX)
		return fail_at(c, item, "more than %d containers", PL_KUBE_MAX);
	struct pl_kube_container *k = &pod->containers[pod->n_containers++];
	if (each_field(c, item, "containers[]", known, container_field, k) < 0)
		return -1;
	if (!k->name[0] || !k->image[0])
		return fail_at(c, item, "each container needs a name and an image");
	return 0;
}

/* ---- volumes, spec, metadata, the document --------------------------------- */

static int host_path_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	if (strcmp(key, "path") == 0)
		return text(c, v, "hostPath.path", out, 4096);
	const char *s = scalar(v); /* type: only the kinds podlab can check */
	if (s && (strcmp(s, "Directory") == 0 || strcmp(s, "File") == 0 || strcmp(s, "") == 0))
		return 0;
	return fail_at(c, v, "hostPath.type: podlab supports Directory and File");
}

static int volume_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	struct pl_kube_volume *vol = out;
	static const char *const hp_known[] = { "path", "type", NULL }, *const ed_known[] = { NULL };
	if (strcmp(key, "name") == 0)
		return text(c, v, "volumes[].name", vol->name, sizeof vol->name);
	if (strcmp(key, "hostPath") == 0) {
		if (each_field(c, v, "hostPath", hp_known, host_path_field, vol->host_path) < 0)
			return -1;
		return vol->host_path[0] == '/' ? 0 : fail_at(c, v, "hostPath needs an absolute path");
	}
	/* emptyDir: {} -- an empty mapping, or a bare "emptyDir:". */
	vol->empty_dir = true;
	if (v->type == YAML_SCALAR_NODE && scalar(v)[0] == '\0')
		return 0;
	return each_field(c, v, "emptyDir", ed_known, volume_field, vol);
}

static int volume(struct ctx *c, yaml_node_t *item, void *out)
{
	struct pl_kube_pod *pod = out;
	static const char *const known[] = { "name", "hostPath", "emptyDir", NULL };
	if (pod->n_volumes == PL_KUBE_MAX)
		return fail_at(c, item, "more than %d volumes", PL_KUBE_MAX);
	struct pl_kube_volume *v = &pod->volumes[pod->n_volumes++];
	if (each_field(c, item, "volumes[]", known, volume_field, v) < 0)
		return -1;
	if (!v->name[0])
		return fail_at(c, item, "each volume needs a name");
	if (v->empty_dir == (v->host_path[0] != '\0'))
		return fail_at(c, item, "volume '%s' needs exactly one of hostPath and emptyDir", v->name);
	return 0;
}

static int spec_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	struct pl_kube_pod *pod = out;
	if (strcmp(key, "containers") == 0)
		return each_item(c, v, "containers", container, pod);
	if (strcmp(key, "volumes") == 0)
		return each_item(c, v, "volumes", volume, pod);
	const char *s = scalar(v);
	if (s && (strcmp(s, "Always") == 0 || strcmp(s, "OnFailure") == 0 || strcmp(s, "Never") == 0)) {
		snprintf(pod->restart, sizeof pod->restart, "%s", s);
		return 0;
	}
	return fail_at(c, v, "restartPolicy must be Always, OnFailure or Never");
}

static int metadata_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	struct pl_kube_pod *pod = out;
	if (strcmp(key, "name") == 0)
		return text(c, v, "metadata.name", pod->name, sizeof pod->name);
	return v->type == YAML_MAPPING_NODE ? 0 : fail_at(c, v, "%s must be a mapping", key); /* labels, annotations */
}

static const char *const metadata_known[] = { "name", "labels", "annotations", NULL };
static const char *const spec_known[] = { "containers", "volumes", "restartPolicy", NULL };

struct top {
	const char *api, *kind;
	yaml_node_t *metadata, *spec;
};

static int top_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	struct top *t = out;
	if (strcmp(key, "apiVersion") == 0 || strcmp(key, "kind") == 0) {
		if (scalar(v) == NULL)
			return fail_at(c, v, "%s must be a single value", key);
		*(key[0] == 'a' ? &t->api : &t->kind) = scalar(v);
	} else if (strcmp(key, "metadata") == 0) {
		t->metadata = v;
	} else {
		t->spec = v;
	}
	return 0;
}

static int deployment_field(struct ctx *c, const char *key, yaml_node_t *v, void *out)
{
	struct top *t = out;
	if (strcmp(key, "replicas") == 0) {
		unsigned n;
		if (number(c, v, "replicas", 0, 1000, &n) < 0)
			return -1;
		return n == 1 ? 0 : fail_at(c, v, "podlab runs a Deployment with replicas: 1 only");
	}
	if (strcmp(key, "template") == 0) {
		static const char *const known[] = { "metadata", "spec", NULL };
		struct top inner = { 0 };
		if (each_field(c, v, "spec.template", known, top_field, &inner) < 0)
			return -1;
		t->spec = inner.spec;
		if (t->metadata == NULL)
			t->metadata = inner.metadata;
		return inner.spec ? 0 : fail_at(c, v, "spec.template needs a spec");
	}
	return 0; /* selector: matches the template's labels by definition here */
}

static int map_document(struct ctx *c, yaml_node_t *root, struct pl_kube_pod *pod)
{
	static const char *const known[] = { "apiVersion", "kind", "metadata", "spec", NULL };
	struct top t = { 0 };
	if (each_field(c, root, "the document", known, top_field, &t) < 0)
		return -1;
	if (t.kind == NULL || t.api == NULL || t.metadata == NULL || t.spec == NULL)
		return fail_at(c, root, "a document needs apiVersion, kind, metadata and spec");
	if (strcmp(t.kind, "Deployment") == 0) {
		if (strcmp(t.api, "apps/v1") != 0)
			return fail_at(c, root, "a Deployment is apiVersion apps/v1, not '%s'", t.api);
		static const char *const dep_known[] = { "replicas", "selector", "template", NULL };
		yaml_node_t *dep_spec = t.spec;
		t.spec = NULL;
		if (each_field(c, dep_spec, "spec", dep_known, deployment_field, &t) < 0)
			return -1;
		if (t.spec == NULL)
			return fail_at(c, dep_spec, "a Deployment needs spec.template");
	} else if (strcmp(t.kind, "Pod") != 0 || strcmp(t.api, "v1") != 0) {
		return fail_at(c, root, "podlab plays kind Pod (apiVersion v1) and Deployment (apps/v1), not %s %s", t.api,
			       t.kind);
	}
	if (each_field(c, t.metadata, "metadata", metadata_known, metadata_field, pod) < 0 ||
	    each_field(c, t.spec, "spec", spec_known, spec_field, pod) < 0)
		return -1;
	if (pod->name[0] == '\0')
		return fail_at(c, t.metadata, "metadata.name is missing");
	if (pod->n_containers == 0)
		return fail_at(c, t.spec, "spec.containers is empty");
	/* Cross-references: each mount names a volume of the pod. */
	for (int i = 0; i < pod->n_containers; i++)
		for (int m = 0; m < pod->containers[i].n_mounts; m++) {
			int v = 0;
			while (v < pod->n_volumes && strcmp(pod->volumes[v].name, pod->containers[i].mounts[m].volume))
				v++;
			if (v == pod->n_volumes)
				return fail_at(c, t.spec, "container '%s' mounts volume '%s', which spec.volumes does not define",
					       pod->containers[i].name, pod->containers[i].mounts[m].volume);
		}
	return 0;
}

int pl_kube_parse(const char *text_in, size_t len, const char *file, struct pl_kube_pod *pod, pl_error **err)
{
	memset(pod, 0, sizeof *pod);
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text_in, len);
	int rc = 0;
	if (!yaml_parser_load(&parser, &doc)) {
		pl_fail(err, 0, "%s:%zu:%zu: not valid YAML: %s", file, parser.problem_mark.line + 1,
			parser.problem_mark.column + 1, parser.problem ? parser.problem : "(no detail)");
		pl_fix(err, "check the indentation (spaces, not tabs) near that line");
		yaml_parser_delete(&parser);
		return -1;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	struct ctx c = { &doc, file, err };
	if (root == NULL) {
		rc = pl_fail(err, EINVAL, "%s: the file holds no YAML document", file);
	} else {
		rc = map_document(&c, root, pod);
		/* One pod per file: a second document would be ignored silently. */
		yaml_document_t next;
		if (rc == 0 && yaml_parser_load(&parser, &next)) {
			yaml_node_t *r2 = yaml_document_get_root_node(&next);
			if (r2 != NULL) {
				c.doc = &next;
				rc = fail_at(&c, r2, "a second document: podlab plays one pod per file");
			}
			yaml_document_delete(&next);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc < 0)
		pl_kube_free(pod);
	return rc;
}

int pl_kube_parse_file(const char *path, struct pl_kube_pod *pod, pl_error **err)
{
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return pl_fail(err, errno, "cannot read %s", path);
	char *buf = NULL;
	size_t cap = 0, len = 0;
	for (size_t n;; len += n) {
		if (len + 4096 > cap) {
			char *b = realloc(buf, cap = cap * 2 + 8192);
			if (b == NULL) {
				free(buf);
				fclose(f);
				return pl_fail(err, ENOMEM, "cannot hold %s", path);
			}
			buf = b;
		}
		if ((n = fread(buf + len, 1, 4096, f)) == 0)
			break;
	}
	fclose(f);
	int rc = pl_kube_parse(buf ? buf : "", len, path, pod, err);
	free(buf);
	return rc;
}

void pl_kube_free(struct pl_kube_pod *pod)
{
	for (int i = 0; i < pod->n_containers; i++) {
		for (int a = 0; a < pod->containers[i].argc; a++)
			free(pod->containers[i].argv[a]);
		for (int e = 0; e < pod->containers[i].n_env; e++)
			free(pod->containers[i].env[e]);
		pod->containers[i].argc = pod->containers[i].n_env = 0;
	}
}
