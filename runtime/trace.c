/* trace.c - trace and warning output (see trace.h). */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

bool pl_trace_on = false;

static void emit(const char *tag, const char *fmt, va_list ap)
{
	/* One fprintf per line, so lines from the host and container sides
	 * (two processes writing the same stderr) do not interleave mid-line. */
	char line[2048];
	vsnprintf(line, sizeof line, fmt, ap);
	fprintf(stderr, "podlab[%d] %s: %s\n", (int)getpid(), tag, line);
}

void pl_trace(const char *fmt, ...)
{
	if (!pl_trace_on)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit("trace", fmt, ap);
	va_end(ap);
}

void pl_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit("warning", fmt, ap);
	va_end(ap);
}
