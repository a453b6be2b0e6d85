/* iperf.h - one iperf3 measurement, run and read as JSON. */
#ifndef PODLAB_IPERF_H
#define PODLAB_IPERF_H

#include <stdbool.h>

#include "errors.h"

/* The throughput an iperf3 -J report gives, in bits per second: what
 * the receiving side counted (end.sum_received), which is what arrived,
 * not what the sender managed to queue.  A report with "error" fails
 * with iperf3's own words. */
int pl_iperf_parse(const char *json, double *bps, pl_error **err);

/* Run `iperf3 -c HOST -p PORT -t SECONDS -J [-R]` and parse its report.
 * reverse: the server sends (-R), so data flows towards this host. */
int pl_iperf_client(const char *host, int port, int seconds, bool reverse, double *bps, pl_error **err);

/* The median of n values (n > 0); v is sorted in place. */
double pl_median(double *v, int n);

#endif
