/* spec.h - a container, described as data.
 *
 * The command line is turned into this structure first; nothing happens
 * to the system until it is complete.  Then plan.c turns it into a list
 * of steps, and only then are the steps carried out (the order bubblewrap
 * and the OCI runtimes use: describe, plan, apply).  Keeping the three
 * apart is what lets `--dry-run` print the plan and `--trace` narrate it.
 */
#ifndef PODLAB_SPEC_H
#define PODLAB_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "network.h"
#include "ports.h"

#define PL_MAX_ENV 128
#define PL_MAX_VOLUMES 32
#define PL_MAX_CAPS 64

/* -v HOST:CONTAINER[:ro] */
struct pl_volume {
	char host[4096];      /* absolute, resolved on the host */
	char container[4096]; /* absolute path inside the container */
	bool readonly;
};

struct pl_spec {
	char **argv;          /* the command to run, NULL-terminated */
	const char *rootfs;   /* directory to use as /, or NULL for the host's view */
	char rootfs_real[4096]; /* rootfs made absolute by the host-side check */
	const char *hostname; /* UTS name inside, or NULL to keep "podlab" */
	const char *env[PL_MAX_ENV + 1]; /* extra KEY=VALUE, NULL-terminated */
	size_t n_env;
	struct pl_volume volumes[PL_MAX_VOLUMES];
	size_t n_volumes;
	bool init;                /* --init: a small init is PID 1, the command PID 2 */
	const char *cap_add[PL_MAX_CAPS]; /* --cap-add / --cap-drop names, as given */
	size_t n_cap_add;
	const char *cap_drop[PL_MAX_CAPS];
	size_t n_cap_drop;
	bool seccomp;             /* the default seccomp filter (off: seccomp=unconfined) */
	const char *image;        /* run an image (stage 03) instead of --rootfs */
	const char *name;         /* --name of the container */
	bool remove;              /* --rm: delete the container when it exits */
	bool detach;              /* -d: a supervisor stays behind; print the id */
	bool create_only;         /* podlab create: make the container, start nothing */
	const char *start_id;     /* podlab start: run this existing container again */
	const char *state_id;     /* a pod's infra: the state to keep (no record) */
	const char *log_path;     /* and where its supervisor writes */
	const char *fail_dir;     /* removed if the command never started (a new pod's record) */
	const char *pod;          /* --pod: the pod whose namespaces to join */
	pid_t pod_infra;          /* its infra process (host pid), found by the check */
	const char *pidfile;      /* --pidfile: the supervisor writes its pid here (systemd's PIDFile=) */
	bool use_crun;            /* --runtime crun: crun executes (crun.h) */
	bool print_config;        /* podlab config: print config.json, run nothing */
	int run_argc;             /* the arguments as given, argv[0] "run": */
	char **run_argv;          /* kept in the record for podlab start */
	const char *driver;       /* --storage-driver, or NULL to detect */
	const char *workdir;      /* -w: the command's working directory */
	struct pl_netopts net;    /* --network (stage 04) */
	struct pl_port ports[PL_MAX_PORTS]; /* -p */
	size_t n_ports;
	const char *resolv_conf;  /* bound on /etc/resolv.conf, or NULL */
	unsigned long namespaces; /* CLONE_NEW* flags */
	const char *subuid_path;  /* normally /etc/subuid and /etc/subgid */
	const char *subgid_path;
};

/* Fill in the defaults: every namespace podlab creates, the subid files. */
void pl_spec_init(struct pl_spec *spec);

#endif
