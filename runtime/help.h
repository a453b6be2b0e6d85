/* help.h - the text of `podlab help` and `podlab CMD --help`. */
#ifndef PODLAB_HELP_H
#define PODLAB_HELP_H

#include <stdio.h>

/* The list of commands. */
void pl_help_overview(FILE *out);

/* One command's usage and explanation; -1 if there is no such command. */
int pl_help_print(const char *command, FILE *out);

/* One command's usage line(s), without "usage: ", for error messages. */
const char *pl_help_usage(const char *command);

#endif
