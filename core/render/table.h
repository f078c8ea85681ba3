/*
 * The tables of a report. The main-indicator table (主要指标完成情况): which
 * indicators a report's summary table lists, and in what order, so that
 * every renderer that draws one lists the same rows. And what the tabular
 * renderers (HTML, CSV, Prometheus, Excel) show of an indicator besides its
 * value: the figures computed from the report model, as scaled integers, and
 * the unit in which a table states its amounts, so that every table agrees
 * with the JSON and with the others.
 */
#ifndef PS_TABLE_H
#define PS_TABLE_H

#include <stdint.h>

#include "base/buf.h"
#include "report/report.h"

/* Does the indicator have this year's target (or plan) to be measured against? */
int ps__ind_targeted(const ps__ind_t *ind);

typedef void ps__main_row_fn(void *ctx, const ps__section_t *s, const ps__ind_t *ind);

/*
 * Calls `row` for each row of the main-indicator table: every top-level
 * indicator (PS_REL_NONE) of every section, those with a target first, each
 * group in report order. Returns the number of rows.
 */
size_t ps__main_rows(const ps__report_t *r, ps__main_row_fn *row, void *ctx);

/* ---- the figures of a row ---- */

typedef struct ps__figures {
    int has_rate;        /* completion: value / target */
    int64_t rate;        /* per cent with rate_decimals decimals (4058: 40.58%) */
    int rate_decimals;
    int has_progress;    /* time progress (序时进度) and the gap to it */
    int64_t progress;    /* hundredths of a per cent (8333: 83.33%) */
    int64_t gap;         /* hundredths of a percentage point (-4275) */
    int status;          /* -1 behind, 0 on, 1 ahead of time progress */
    int has_change;      /* year-on-year (同比) */
    int64_t change;      /* tenths of a per cent (61: 6.1%) */
    int has_points;      /* a rate's year-on-year change, in points */
    int64_t points;      /* hundredths of a percentage point (133) */
    int has_share;       /* of the parent, for PART and SUBSET children */
    int64_t share;       /* hundredths of a per cent (1951: 19.51%) */
} ps__figures_t;

/* Fills `f` with the figures of `ind` in section `s`; those that cannot be
   computed have their has_ flag 0. */
void ps__figures_of(ps__figures_t *f, const ps__report_t *r, const ps__section_t *s,
                    const ps__ind_t *ind);

/* "behind", "on" or "ahead", as the JSON writes a progress status. */
const char *ps__status_name(int status);
/* "part", "subset", "detail", "quantity", or NULL for a top-level indicator. */
const char *ps__relation_name(ps_relation_t rel);

/*
 * The unit a table states an indicator's amounts in: money in its
 * display_unit when that is 元, 万元 or 亿元, else in 万元, as offices
 * tabulate it; anything else in its display unit of ten thousand
 * (万平方米) or its base unit; a ratio (an average wage in 元, a rate in %)
 * in the unit it was emitted in. `digits` is the power of ten of that unit
 * over the base, so an amount is raw / 10^(PS_SCALE_DIGITS + digits).
 */
typedef struct ps__table_unit {
    const char *name;
    int digits;
} ps__table_unit_t;

ps__table_unit_t ps__table_unit(const ps__ind_t *ind);

/* Appends the exact decimal of `v` in the table unit `u`: 223200 for
   22.32亿元 in 万元. */
void ps__table_amount(ps__buf_t *b, int64_t raw, ps__table_unit_t u);

#endif
