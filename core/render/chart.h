/*
 * The HTML report's charts, each a <figure> holding an inline SVG and its
 * caption. Bars and lines are placed on an integer pixel grid from exact
 * rates (hundredths of a per cent); every figure written on a chart is
 * worded as the text report words it.
 */
#ifndef PS_CHART_H
#define PS_CHART_H

#include <stdint.h>

#include "base/buf.h"
#include "report/report.h"

/* Completion rate against time progress, one bar per indicator with a
   target. Appends nothing when no indicator has one. */
void ps__chart_progress(ps__buf_t *out, const ps__report_t *r);

/* The section's breakdowns: each PART and SUBSET child as a bar of its share
   of its parent. Appends nothing when the section has none. */
void ps__chart_breakdown(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s);

/* For each indicator with a target and its months: the cumulative course as
   a share of the target, against the time-progress diagonal. Appends
   nothing when there is none. */
void ps__chart_months(ps__buf_t *out, const ps__report_t *r);

/* ---- shared by the charts ---- */

/* Percentages run from 0 to 100%, or further in steps of 20% to show the
   highest rate, up to 200% (a bar beyond is drawn full length). */
#define PS_CHART_STEP 2000  /* hundredths of a per cent */
int64_t ps__chart_percent_max(int64_t highest);

/* One entry of a chart's legend: a swatch of class `cls` (a short line when
   `line`) and its text. */
typedef struct ps__legend {
    const char *cls;
    int line;
    const char *text;
} ps__legend_t;

/* Draws the legend's n entries in a row whose baseline is y, from x. */
void ps__chart_legend(ps__buf_t *out, int x, int y, const ps__legend_t *items, size_t n);

/* Opens <figure> and its <svg>; ps__chart_end closes both after writing the
   caption. */
void ps__chart_begin(ps__buf_t *out, int width, int height, const char *title);
void ps__chart_end(ps__buf_t *out, const char *caption);

#endif
