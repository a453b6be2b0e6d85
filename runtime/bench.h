/* bench.h - `podlab bench net`: TCP throughput through each network mode. */
#ifndef PODLAB_BENCH_H
#define PODLAB_BENCH_H

#include "cli.h"

int pl_cmd_bench(struct pl_cli *cli);

#endif
