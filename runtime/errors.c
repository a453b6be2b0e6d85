/* errors.c - the implementation behind errors.h. */
#include "errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *vformat(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

int pl_fail(pl_error **err, int errnum, const char *fmt, ...)
{
	if (err == NULL)
		return -1;
	/* A second failure while one is already recorded (for example during
	 * cleanup) must not hide the first one: keep the original. */
	if (*err != NULL)
		return -1;
	pl_error *e = calloc(1, sizeof *e);
	if (e == NULL)
		abort();
	va_list ap;
	va_start(ap, fmt);
	e->what = vformat(fmt, ap);
	va_end(ap);
	e->errnum = errnum;
	*err = e;
	return -1;
}

static int replace(char **slot, const char *fmt, va_list ap)
{
	char *s = vformat(fmt, ap);
	free(*slot);
	*slot = s;
	return -1;
}

int pl_why(pl_error **err, const char *fmt, ...)
{
	if (err == NULL || *err == NULL)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	replace(&(*err)->why, fmt, ap);
	va_end(ap);
	return -1;
}

int pl_fix(pl_error **err, const char *fmt, ...)
{
	if (err == NULL || *err == NULL)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	replace(&(*err)->fix, fmt, ap);
	va_end(ap);
	return -1;
}

int pl_wrap(pl_error **err, const char *fmt, ...)
{
	if (err == NULL || *err == NULL)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	cleanup_free char *prefix = vformat(fmt, ap);
	va_end(ap);
	char *joined = NULL;
	if (asprintf(&joined, "%s: %s", prefix ? prefix : "", (*err)->what ? (*err)->what : "") < 0)
		return -1;
	free((*err)->what);
	(*err)->what = joined;
	return -1;
}

int pl_todo(pl_error **err, const char *lab, const char *hole)
{
	pl_fail(err, 0, "lab %s: the hole '%s' is not filled in yet", lab, hole);
	pl_why(err, "this is starter code: the part marked 'LAB %s TODO %s' still returns this error", lab, hole);
	return pl_fix(err, "write it, following labs/%s*/LAB.md, then rebuild with 'make lab LAB=labs/%s-...'", lab, lab);
}

void pl_error_print(const pl_error *err, FILE *out, const char *prog)
{
	if (err == NULL)
		return;
	fprintf(out, "%s: error: %s\n", prog, err->what ? err->what : "(no message)");
	if (err->why != NULL && err->errnum != 0)
		fprintf(out, "  why: %s (%s)\n", err->why, strerror(err->errnum));
	else if (err->why != NULL)
		fprintf(out, "  why: %s\n", err->why);
	else if (err->errnum != 0)
		fprintf(out, "  why: %s\n", strerror(err->errnum));
	if (err->fix != NULL)
		fprintf(out, "  fix: %s\n", err->fix);
}

void pl_error_free(pl_error **err)
{
	if (err == NULL || *err == NULL)
		return;
	free((*err)->what);
	free((*err)->why);
	free((*err)->fix);
	free(*err);
	*err = NULL;
}

/* Wire format: "errnum\0what\0why\0fix\0".  An absent field is an empty
 * string, which is never a useful message anyway. */
size_t pl_error_pack(const pl_error *err, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%d%c%s%c%s%c%s%c", err->errnum, 0, err->what ? err->what : "", 0,
			 err->why ? err->why : "", 0, err->fix ? err->fix : "", 0);
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len;
}

void pl_error_unpack(pl_error **err, const char *buf, size_t len)
{
	/* Split into at most four fields; the buffer may have been cut short,
	 * so every field is bounded by what is left of it. */
	char field[4][4096] = { "", "", "", "" };
	size_t i = 0;
	for (int f = 0; f < 4 && i < len; f++) {
		size_t n = strnlen(buf + i, len - i);
		snprintf(field[f], sizeof field[f], "%.*s", (int)n, buf + i);
		i += n + 1;
	}
	pl_fail(err, atoi(field[0]), "%s", field[1][0] ? field[1] : "the container process failed");
	if (field[2][0])
		pl_why(err, "%s", field[2]);
	if (field[3][0])
		pl_fix(err, "%s", field[3]);
}

void pl_freep(void *p)
{
	free(*(void **)p);
}

void pl_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

void pl_fclosep(FILE **f)
{
	if (*f != NULL)
		fclose(*f);
}

void pl_error_freep(pl_error **e)
{
	pl_error_free(e);
}
