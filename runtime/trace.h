/* trace.h - narrate what the runtime does, step by step (--trace).
 *
 * A student should be able to run `podlab --trace run ...` and read the
 * container being built: every plan step, every helper started, every file
 * written in /proc.  Trace lines go to stderr so they never mix with the
 * command's own output. */
#ifndef PODLAB_TRACE_H
#define PODLAB_TRACE_H

#include <stdbool.h>

extern bool pl_trace_on;

void pl_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Warnings are always printed: they tell the user about a degraded mode
 * (for example a single-id map because /etc/subuid has no entry). */
void pl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
