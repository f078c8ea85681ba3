/*
 * The main-indicator table (主要指标完成情况): which indicators a report's
 * summary table lists, and in what order. Shared by the renderers that draw
 * such a table, so that they all list the same rows.
 */
#ifndef PS_TABLE_H
#define PS_TABLE_H

#include "report.h"

/* Does the indicator have this year's target (or plan) to be measured against? */
int ps__ind_targeted(const ps__ind_t *ind);

typedef void ps__main_row_fn(void *ctx, const ps__section_t *s, const ps__ind_t *ind);

/*
 * Calls `row` for each row of the main-indicator table: every top-level
 * indicator (PS_REL_NONE) of every section, those with a target first, each
 * group in report order. Returns the number of rows.
 */
size_t ps__main_rows(const ps__report_t *r, ps__main_row_fn *row, void *ctx);

#endif
