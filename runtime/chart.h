/* chart.h - a grouped horizontal bar chart, written as SVG.
 *
 * SVG is text, so the chart needs no plotting library, opens in any
 * browser and can be put in a lab report or a slide as it is.  One group
 * of bars per row (a network mode), one bar per series (a direction).
 */
#ifndef PODLAB_CHART_H
#define PODLAB_CHART_H

#include <stdio.h>

#define PL_CHART_MAX_SERIES 4

struct pl_chart {
	const char *title;
	const char *unit;                          /* the axis: "Gbit/s" */
	int n_series;
	const char *series[PL_CHART_MAX_SERIES];   /* legend entries */
	int n_rows;
	const char *const *rows;                   /* one label per group */
	const double *values; /* n_rows * n_series, row-major; < 0: not measured */
};

/* Write the chart; returns -1 (errno set) if writing failed. */
int pl_chart_svg(const struct pl_chart *c, FILE *out);

#endif
