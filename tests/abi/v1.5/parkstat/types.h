/* parkstat SDK: exact values and periods. */
#ifndef PARKSTAT_TYPES_H
#define PARKSTAT_TYPES_H

#include <stdint.h>

/*
 * Every figure is a fixed-point integer: the value times PS_SCALE, in the
 * base unit of its dimension. Money's base unit is 元, so 1万元 is
 * 10000 * PS_SCALE; any other unit (个, 亩, 公里 …) is its own base.
 * Sums are exact; the core refuses, never wraps, on overflow.
 */
#define PS_SCALE 10000
#define PS_SCALE_DIGITS 4

/* The base unit of money. Ledgers may also write 万元 and 亿元. */
#define PS_UNIT_MONEY "元"

typedef struct ps_value {
    int64_t raw;      /* value * PS_SCALE in the base unit */
    const char *unit; /* base unit; NULL means "no value" (missing, not zero).
                         One the core hands out is lent until compute
                         returns, as plugin.h says of everything it lends. */
} ps_value_t;

#define PS_VALUE_NONE ((ps_value_t){ 0, 0 })

static inline int ps_value_present(ps_value_t v) { return v.unit != 0; }

/* A count (of projects, parcels, enterprises) as a value in `unit`. */
static inline ps_value_t ps_count_value(int64_t n, const char *unit)
{
    ps_value_t v = { n * PS_SCALE, unit };
    return v;
}

/*
 * A period is one calendar month, counted from January of year 0:
 * year * 12 + (month - 1). 2023-10 is 2023 * 12 + 9. Zero means "none".
 */
typedef int32_t ps_period_t;

static inline ps_period_t ps_period_make(int year, int month)
{
    return (ps_period_t)(year * 12 + (month - 1));
}
static inline int ps_period_year(ps_period_t p) { return p / 12; }
static inline int ps_period_month(ps_period_t p) { return p % 12 + 1; }
/* January of the same year: the first month of a year-to-date range. */
static inline ps_period_t ps_period_year_start(ps_period_t p) { return p - p % 12; }

#endif
