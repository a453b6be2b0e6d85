/* errors.h - one error type, carried up with context.
 *
 * Every function that can fail returns -1 and fills a `pl_error **err`.
 * The error records three things a user needs, and nothing else:
 *
 *   what   failed  ("cannot write the uid map of process 4242")
 *   why    it failed (errno text, or an explanation)
 *   fix    what the user can do about it ("ask root to add ... to /etc/subuid")
 *
 * Callers higher up add context with pl_wrap() instead of inventing a new
 * message, so the final text reads like a path from the command the user
 * typed down to the system call that refused.  This is the pattern crun
 * uses (libcrun_error_t), made smaller.
 */
#ifndef PODLAB_ERRORS_H
#define PODLAB_ERRORS_H

#include <stdio.h>

typedef struct pl_error {
	int errnum;  /* errno of the failing call, or 0 */
	char *what;  /* what failed, with its context prefixed by pl_wrap */
	char *why;   /* optional explanation; strerror(errnum) when NULL */
	char *fix;   /* optional: what the user should do */
} pl_error;

/* Fill *err (if err is not NULL) and return -1, so that call sites read
 * `return pl_fail(err, errno, "cannot open %s", path);`. */
int pl_fail(pl_error **err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Attach an explanation or a remedy to the error just made.  Both return
 * -1 so they can end a `return` statement too. */
int pl_why(pl_error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pl_fix(pl_error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix context ("starting the container: ") to an existing error. */
int pl_wrap(pl_error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Used by the lab starters: a hole the student has not filled yet. */
int pl_todo(pl_error **err, const char *lab, const char *hole);

void pl_error_print(const pl_error *err, FILE *out, const char *prog);
void pl_error_free(pl_error **err);

/* Serialise an error into a flat buffer and back, so the container side
 * (a separate process) can hand its failure to the host side over the
 * sync pipe. */
size_t pl_error_pack(const pl_error *err, char *buf, size_t len);
void pl_error_unpack(pl_error **err, const char *buf, size_t len);

/* ---- cleanup attributes --------------------------------------------
 * A variable declared `cleanup_free char *s = NULL;` is freed when it goes
 * out of scope, on every return path.  That removes the goto-ladders where
 * leaks and double closes hide.  (GCC and Clang both support this.) */
void pl_freep(void *p);
void pl_closep(int *fd);
void pl_fclosep(FILE **f);
void pl_error_freep(pl_error **e);

#define cleanup_free __attribute__((cleanup(pl_freep)))
#define cleanup_close __attribute__((cleanup(pl_closep)))
#define cleanup_fclose __attribute__((cleanup(pl_fclosep)))
#define cleanup_error __attribute__((cleanup(pl_error_freep)))

/* Give ownership away: `return pl_steal(&buf);` disarms the cleanup. */
static inline void *pl_steal(void *pp)
{
	void **p = pp;
	void *v = *p;
	*p = NULL;
	return v;
}
static inline int pl_steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

#endif
