/* commands.h - the podlab commands other than run (see main.c). */
#ifndef PODLAB_COMMANDS_H
#define PODLAB_COMMANDS_H

#include "cli.h"

int pl_cmd_image(struct pl_cli *cli);
int pl_cmd_rm(struct pl_cli *cli);
int pl_cmd_diff(struct pl_cli *cli);
int pl_cmd_info(struct pl_cli *cli);
int pl_cmd_port(struct pl_cli *cli);
int pl_cmd_unshare(struct pl_cli *cli);

#endif
