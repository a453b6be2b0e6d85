/* probe.h - the static probe that the checker runs inside containers.
 *
 * A check must not depend on what a student's root filesystem holds (a
 * shell, ps, id...), and must not trust text printed by the student's
 * runtime.  So the checker copies this one statically linked program into
 * a root filesystem of its own and runs `podlab run ... /probe SUBCOMMAND`.
 * The probe looks at the world from inside and prints what it sees as
 * key=value lines between two marker lines that carry a per-run nonce:
 *
 *     @@podlab-probe 7f3a... begin
 *     uid=0
 *     ...
 *     @@podlab-probe 7f3a... end
 *
 * The nonce is read from /.probe-nonce in the checker's root filesystem,
 * so a runtime that never really runs the probe cannot produce the block.
 */
#ifndef PODLAB_PROBE_H
#define PODLAB_PROBE_H

#include <stdbool.h>

/* Print one result line.  Newlines in the value are escaped as \n. */
void out(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print the contents of a small file as one value (or "errno=N" if it
 * cannot be read). */
void out_file(const char *key, const char *path);

/* Report the outcome of an attempted operation: "ok" or "errno=N NAME". */
void out_result(const char *key, int rc, int err);

struct probe_cmd {
	const char *name;
	const char *usage;
	int (*run)(int argc, char **argv);
};

/* Subcommand tables, one per file. */
extern const struct probe_cmd probe_basic_cmds[];
extern const struct probe_cmd probe_proc_cmds[];
extern const struct probe_cmd probe_try_cmds[];
extern const struct probe_cmd probe_net_cmds[];

#endif
