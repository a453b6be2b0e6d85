/* chart.c - a bar chart as SVG, by hand.
 *
 * The layout is plain arithmetic: a label column on the left, then a plot
 * area whose grid step is a "nice" number (1, 2 or 5 times a power of
 * ten) near a fifth of the largest value, so the lines fall on round
 * values and the longest bar fills most of the width.  Each row is a group of bars, one per series, with its value
 * written at the bar's end so the chart can be read without the table.
 */
#include "chart.h"

#include <math.h>
#include <string.h>

enum { LABEL_W = 210, PLOT_W = 460, RIGHT_W = 70, BAR_H = 16, GAP = 12, TOP = 58, AXIS_H = 40 };

static const char *const colours[PL_CHART_MAX_SERIES] = { "#3b6ea8", "#e08a2c", "#5a9e4b", "#8c5aa8" };

/* Labels come from the caller: escape what XML gives a meaning to. */
static void text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

/* The smallest 1, 2 or 5 x 10^k at least v (v > 0). */
static double nice_ceiling(double v)
{
	double p = pow(10, floor(log10(v)));
	for (int i = 0; i < 3; i++) {
		double m = (double[]){ 1, 2, 5 }[i] * p;
		if (m >= v)
			return m;
	}
	return 10 * p;
}

int pl_chart_svg(const struct pl_chart *c, FILE *out)
{
	double max = 0;
	for (int i = 0; i < c->n_rows * c->n_series; i++)
		max = fmax(max, c->values[i]);
	double step = max > 0 ? nice_ceiling(max / 5) : 1;
	int n_grid = max > 0 ? (int)ceil(max / step) : 1;
	double top = n_grid * step;
	int group_h = c->n_series * BAR_H + GAP;
	int width = LABEL_W + PLOT_W + RIGHT_W;
	int height = TOP + c->n_rows * group_h + AXIS_H;

	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		     "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
		width, height, width, height);
	fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height);
	fputs("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">", out);
	text(out, c->title);
	fputs("</text>\n", out);
	/* Legend: one swatch per series, on one line under the title. */
	for (int s = 0, x = LABEL_W; s < c->n_series; s++, x += 150) {
		fprintf(out, "<rect x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, colours[s]);
		fprintf(out, "<text x=\"%d\" y=\"43\">", x + 17);
		text(out, c->series[s]);
		fputs("</text>\n", out);
	}
	/* Grid: one line per step, labelled under the plot. */
	int plot_bottom = TOP + c->n_rows * group_h;
	for (int g = 0; g <= n_grid; g++) {
		double x = LABEL_W + PLOT_W * g / (double)n_grid;
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", x, TOP - 4, x,
			plot_bottom);
		fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n", x, plot_bottom + 15,
			step * g);
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", LABEL_W + PLOT_W / 2, plot_bottom + 33);
	text(out, c->unit);
	fputs("</text>\n", out);
	for (int r = 0; r < c->n_rows; r++) {
		int y0 = TOP + r * group_h;
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 8,
			y0 + c->n_series * BAR_H / 2 + 4);
		text(out, c->rows[r]);
		fputs("</text>\n", out);
		for (int s = 0; s < c->n_series; s++) {
			double v = c->values[r * c->n_series + s];
			int y = y0 + s * BAR_H;
			if (v < 0) { /* not measured: say so rather than draw a zero */
				fprintf(out, "<text x=\"%d\" y=\"%d\" fill=\"#888\">not measured</text>\n", LABEL_W + 4,
					y + BAR_H - 4);
				continue;
			}
			double w = PLOT_W * v / top;
			fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", LABEL_W, y + 1,
				w, BAR_H - 2, colours[s]);
			fprintf(out, "<text x=\"%.1f\" y=\"%d\">%.2f</text>\n", LABEL_W + w + 4, y + BAR_H - 4, v);
		}
	}
	fputs("</svg>\n", out);
	return ferror(out) ? -1 : 0;
}
