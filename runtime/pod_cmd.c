/* pod_cmd.c - podlab pod create|ps|stop|rm|inspect.
 *
 * `pod create` is `podlab run -d` of the infra: the same plan, with
 * `podlab pause` as the command and no root filesystem of its own, so
 * the pod gets the supervisor, the network helper, the published ports
 * and the truthful state every container gets.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "help.h"
#include "imagestore.h"
#include "kube.h"
#include "layer.h"
#include "lifecycle.h"
#include "pod.h"
#include "process.h"
#include "state.h"

static int failed(pl_error **err)
{
	pl_error_print(*err, stderr, "podlab");
	pl_error_free(err);
	return 125;
}

static int save(const struct pl_pod *pod, pl_error **err)
{
	json_object *root = json_object_new_object();
	json_object_object_add(root, "id", json_object_new_string(pod->id));
	json_object_object_add(root, "name", json_object_new_string(pod->name));
	json_object_object_add(root, "created", json_object_new_int64(pod->created));
	json_object_object_add(root, "network", json_object_new_string(pod->network));
	json_object_object_add(root, "ports", pl_ports_to_json(pod->ports, pod->n_ports));
	if (pod->restart[0])
		json_object_object_add(root, "restart", json_object_new_string(pod->restart));
	char path[4300];
	snprintf(path, sizeof path, "%s/pod.json", pod->dir);
	int rc = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	json_object_put(root);
	return rc < 0 ? pl_fail(err, errno, "cannot write %s", path) : 0;
}

/* The record, made under the store's lock so two creates cannot both
 * take one name. */
static int make_record(const struct pl_storage *st, const char *name, struct pl_pod *pod, pl_error **err)
{
	char lock[4200], dir[4200];
	pl_storage_path(st, lock, sizeof lock, "containers.lock");
	pl_storage_path(st, dir, sizeof dir, "pods");
	mkdir(dir, 0700);
	cleanup_close int lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0)
		return pl_fail(err, errno, "cannot lock %s", lock);
	unsigned char raw[32];
	if (getrandom(raw, sizeof raw, 0) != sizeof raw)
		return pl_fail(err, errno, "cannot make a pod id");
	for (int i = 0; i < 32; i++)
		snprintf(pod->id + 2 * i, 3, "%02x", raw[i]);
	if (name == NULL) {
		snprintf(pod->name, sizeof pod->name, "pod-%.8s", pod->id);
	} else {
		struct pl_pod other;
		if (!pl_valid_name(name) || !pl_valid_hostname(name)) {
			pl_fail(err, EINVAL, "invalid pod name '%s'", name);
			return pl_fix(err, "use lower-case letters, digits and '-' (the name is the pod's hostname too)");
		}
		if (pl_pod_find(st, name, &other, NULL) == 0) {
			pl_fail(err, EEXIST, "the name '%s' is already used by pod %.12s", name, other.id);
			return pl_fix(err, "remove it first (podlab pod rm -f %s) or choose another --name", name);
		}
		snprintf(pod->name, sizeof pod->name, "%s", name);
	}
	pod->created = (long long)time(NULL);
	pl_storage_path(st, pod->dir, sizeof pod->dir, "pods/%s", pod->id);
	if (mkdir(pod->dir, 0700) < 0)
		return pl_fail(err, errno, "cannot create %s", pod->dir);
	return save(pod, err);
}

static int pod_create(int argc, char **argv)
{
	static const struct option opts[] = { { "name", required_argument, NULL, 'n' },
					      { "publish", required_argument, NULL, 'p' },
					      { "network", required_argument, NULL, 'N' },
					      { "pidfile", required_argument, NULL, 'f' },
					      { "restart", required_argument, NULL, 'r' },
					      { NULL, 0, NULL, 0 } };
	pl_error *err = NULL;
	struct pl_pod pod = { 0 };
	struct pl_spec spec;
	pl_spec_init(&spec);
	const char *name = NULL;
	optind = 0;
	opterr = 0;
	for (int c; (c = getopt_long(argc, argv, "+:p:", opts, NULL)) != -1;) {
		if (c == 'n') {
			name = optarg;
		} else if (c == 'p') {
			int n = pl_port_parse(optarg, spec.ports + spec.n_ports, PL_MAX_PORTS - spec.n_ports, &err);
			if (n < 0)
				return failed(&err);
			spec.n_ports += (size_t)n;
		} else if (c == 'f' && optarg[0] == '/') {
			spec.pidfile = optarg; /* the infra's supervisor: systemd's PIDFile= */
		} else if (c == 'N') {
			if (pl_network_parse(optarg, &spec.net, &err) < 0)
				return failed(&err);
			snprintf(pod.network, sizeof pod.network, "%s", optarg);
		} else if (c == 'r') {
			/* Recorded, not acted on: podlab has no daemon to restart
			 * anything.  generate systemd makes it the units' Restart=,
			 * generate kube the restartPolicy.  Valid: the words that
			 * have a Kubernetes restartPolicy (kube_gen.c's table). */
			if (pl_kube_restart(optarg, true) == NULL) {
				pl_fail(&err, EINVAL, "--restart %s: not a restart policy", optarg);
				pl_fix(&err, "no, on-failure or always");
				return failed(&err);
			}
			snprintf(pod.restart, sizeof pod.restart, "%s", optarg);
		} else {
			pl_fail(&err, EINVAL, "podlab pod create: bad option '%s'", argv[optind - 1]);
			pl_fix(&err, "usage: %s", pl_help_usage("pod"));
			return failed(&err);
		}
	}
	if (optind < argc) {
		pl_fail(&err, EINVAL, "podlab pod create takes no arguments ('%s')", argv[optind]);
		pl_fix(&err, "name the pod with --name");
		return failed(&err);
	}
	if (spec.net.mode == PL_NET_HOST) {
		pl_fail(&err, EINVAL, "a pod on the host's network has nothing to share");
		pl_fix(&err, "use slirp (the default), slirp4netns, pasta or none");
		return failed(&err);
	}
	struct pl_storage st;
	if (pl_storage_open(&st, &err) < 0 || pl_network_check(&spec.net, spec.ports, spec.n_ports, &err) < 0)
		return failed(&err);
	memcpy(pod.ports, spec.ports, sizeof pod.ports);
	pod.n_ports = spec.n_ports;
	if (make_record(&st, name, &pod, &err) < 0)
		return failed(&err);
	/* The infra: podlab itself, as `podlab pause`, seen through the host's
	 * files (nothing to mount) in the pod's new namespaces. */
	char self[4096], log[4400];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	char *cmd[] = { self, "pause", NULL };
	snprintf(log, sizeof log, "%s/infra.log", pod.dir);
	spec.argv = cmd;
	spec.hostname = pod.name;
	spec.detach = true;
	spec.state_id = pod.id;
	spec.log_path = log;
	spec.fail_dir = pod.dir;
	/* The detach step prints the pod's id and exits in this process; the
	 * infra's supervisor returns here when the infra has ended. */
	int code = 125;
	if (pl_container_run(&spec, &code, &err) < 0)
		failed(&err);
	return pl_stop_requested ? 0 : code;
}

/* ---- the pod's containers ------------------------------------------------ */

struct members {
	int n;
	char ids[PL_POD_MAX_MEMBERS][65];
};

static int members(const struct pl_storage *st, const struct pl_pod *pod, struct members *m, pl_error **err)
{
	m->n = pl_pod_members(st, pod, m->ids, PL_POD_MAX_MEMBERS, err);
	return m->n < 0 ? -1 : 0;
}

static int stop_infra(const struct pl_pod *pod, pl_error **err)
{
	/* The infra is stopped like a container: SIGTERM to its supervisor,
	 * which passes it to `podlab pause`. */
	struct pl_ctr as_ctr = { 0 };
	snprintf(as_ctr.id, sizeof as_ctr.id, "%s", pod->id);
	snprintf(as_ctr.name, sizeof as_ctr.name, "%s", pod->name);
	return pl_ctr_stop(&as_ctr, 10, err);
}

static int pod_stop_or_rm(int argc, char **argv, bool rm)
{
	pl_error *err = NULL;
	struct pl_storage st;
	int i = 1;
	bool force = rm && i < argc && (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--force") == 0);
	i += force;
	if (i >= argc) {
		pl_fail(&err, EINVAL, "no pod given");
		pl_fix(&err, rm ? "usage: podlab pod rm [-f] POD..." : "usage: podlab pod stop POD...");
		return failed(&err);
	}
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	for (; i < argc; i++) {
		struct pl_pod pod;
		struct members *m = malloc(sizeof *m);
		if (m == NULL || pl_pod_find(&st, argv[i], &pod, &err) < 0 || members(&st, &pod, m, &err) < 0) {
			free(m);
			return failed(&err);
		}
		struct pl_state s;
		bool running = pl_state_read(pod.id, &s, NULL) == 0 && pl_state_truth(&s) == PL_T_RUNNING;
		if (rm && running && !force) {
			free(m);
			pl_fail(&err, EBUSY, "pod %s is running", pod.name);
			pl_fix(&err, "stop it first (podlab pod stop %s), or remove it anyway: podlab pod rm -f %s", pod.name,
			       pod.name);
			return failed(&err);
		}
		/* Members first: they live in the infra's namespaces. */
		for (int k = 0; k < m->n; k++) {
			struct pl_ctr c;
			if (pl_ctr_find(&st, m->ids[k], &c, &err) < 0 || pl_ctr_stop(&c, rm ? 0 : 10, &err) < 0) {
				free(m);
				return failed(&err);
			}
			if (rm) {
				pl_state_remove(c.id);
				if (pl_ctr_remove(&st, &c, &err) < 0) {
					free(m);
					return failed(&err);
				}
			}
		}
		free(m);
		if (stop_infra(&pod, &err) < 0)
			return failed(&err);
		if (rm) {
			/* The pod's own named volumes (play kube's emptyDirs) go with it. */
			char vols[4200];
			pl_storage_path(&st, vols, sizeof vols, "volumes");
			DIR *vd = opendir(vols);
			size_t plen = strlen(pod.name);
			for (struct dirent *e; vd && (e = readdir(vd)) != NULL;) {
				if (strncmp(e->d_name, "pod.", 4) || strncmp(e->d_name + 4, pod.name, plen) || e->d_name[4 + plen] != '.')
					continue;
				char path[4500];
				snprintf(path, sizeof path, "%s/%s", vols, e->d_name);
				pl_store_remove_tree(path, NULL);
			}
			if (vd)
				closedir(vd);
			pl_state_remove(pod.id);
			/* emptyDir volumes may hold files of container users. */
			if (pl_store_remove_tree(pod.dir, &err) < 0)
				return failed(&err);
		}
		printf("%s\n", rm ? pod.id : argv[i]);
	}
	return 0;
}

/* ---- ps, inspect --------------------------------------------------------- */

static int pod_ps(void)
{
	pl_error *err = NULL;
	struct pl_storage st;
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	char dir[4200];
	pl_storage_path(&st, dir, sizeof dir, "pods");
	printf("%-12s  %-20s  %-34s  %-10s  %-10s  %s\n", "POD ID", "NAME", "STATUS", "INFRA PID", "CONTAINERS",
	       "PORTS");
	struct dirent *e;
	DIR *d = opendir(dir);
	long long now = (long long)time(NULL);
	struct members *m = malloc(sizeof *m);
	while (d != NULL && m != NULL && (e = readdir(d)) != NULL) {
		struct pl_pod pod;
		struct pl_state s;
		if (e->d_name[0] == '.' || pl_pod_find(&st, e->d_name, &pod, NULL) < 0 || members(&st, &pod, m, NULL) < 0)
			continue;
		pl_state_read(pod.id, &s, NULL);
		char status[96], ports[256] = "";
		pl_state_describe(&s, now, status, sizeof status);
		for (size_t i = 0, used = 0; i < pod.n_ports && used < sizeof ports; i++) {
			char one[96];
			pl_port_format(&pod.ports[i], one, sizeof one);
			used += snprintf(ports + used, sizeof ports - used, "%s%s", i ? ", " : "", one);
		}
		bool up = pl_state_truth(&s) == PL_T_RUNNING;
		printf("%-12.12s  %-20s  %-34s  %-10d  %-10d  %s\n", pod.id, pod.name, status, up ? (int)s.pid : 0, m->n,
		       ports);
	}
	free(m);
	if (d != NULL)
		closedir(d);
	return 0;
}

static int pod_inspect(int argc, char **argv)
{
	pl_error *err = NULL;
	struct pl_storage st;
	if (pl_storage_open(&st, &err) < 0)
		return failed(&err);
	json_object *all = json_object_new_array();
	struct members *m = malloc(sizeof *m);
	for (int i = 1; i < argc && m != NULL; i++) {
		struct pl_pod pod;
		struct pl_state s;
		if (pl_pod_find(&st, argv[i], &pod, &err) < 0 || members(&st, &pod, m, &err) < 0) {
			free(m);
			json_object_put(all);
			return failed(&err);
		}
		pl_state_read(pod.id, &s, NULL);
		bool up = pl_state_truth(&s) == PL_T_RUNNING;
		json_object *o = json_object_new_object(), *ctrs = json_object_new_array(), *ports = json_object_new_array();
		json_object_object_add(o, "Id", json_object_new_string(pod.id));
		json_object_object_add(o, "Name", json_object_new_string(pod.name));
		json_object_object_add(o, "Hostname", json_object_new_string(pod.name));
		json_object_object_add(o, "Network", json_object_new_string(pod.network[0] ? pod.network : "slirp"));
		json_object_object_add(o, "State", json_object_new_string(up ? "running" : "exited"));
		json_object_object_add(o, "InfraPid", json_object_new_int(up ? s.pid : 0));
		json_object_object_add(o, "SharedNamespaces", json_object_new_string("user,net,uts,ipc"));
		json_object_object_add(o, "RestartPolicy", json_object_new_string(pod.restart));
		for (size_t k = 0; k < pod.n_ports; k++) {
			char one[96];
			pl_port_format(&pod.ports[k], one, sizeof one);
			json_object_array_add(ports, json_object_new_string(one));
		}
		json_object_object_add(o, "Ports", ports);
		for (int k = 0; k < m->n; k++)
			json_object_array_add(ctrs, json_object_new_string(m->ids[k]));
		json_object_object_add(o, "Containers", ctrs);
		json_object_array_add(all, o);
	}
	free(m);
	puts(json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(all);
	return 0;
}

int pl_cmd_pod(struct pl_cli *cli)
{
	pl_error *err = NULL;
	/* args[0] is the subcommand, as getopt wants argv[0]. */
	const char *sub = cli->args[0];
	if (strcmp(sub, "create") == 0)
		return pod_create(cli->n_args, cli->args);
	if (strcmp(sub, "ps") == 0 || strcmp(sub, "ls") == 0)
		return pod_ps();
	if (strcmp(sub, "stop") == 0)
		return pod_stop_or_rm(cli->n_args, cli->args, false);
	if (strcmp(sub, "rm") == 0)
		return pod_stop_or_rm(cli->n_args, cli->args, true);
	if (strcmp(sub, "inspect") == 0 && cli->n_args > 1)
		return pod_inspect(cli->n_args, cli->args);
	pl_fail(&err, EINVAL, "unknown 'podlab pod %s' (or missing arguments)", sub);
	pl_fix(&err, "podlab pod create [--name N] [-p ...] | ps | stop POD | rm [-f] POD | inspect POD");
	return failed(&err);
}
