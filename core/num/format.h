/*
 * Numbers as the office writes them. Rounding happens here and only here,
 * half away from zero, on exact integers.
 *
 *   money: 1亿元 and more in 亿元, less in 万元; at most two decimals,
 *          trailing zeros dropped (22.32亿元, 55亿元, 26362万元);
 *   other units: at most two decimals (13.2公里), or in a display unit of
 *          ten thousand (23.28万平方米);
 *   rates: a fixed number of decimals (40.58%, 88.2%).
 */
#ifndef PS_FORMAT_H
#define PS_FORMAT_H

#include <stdint.h>

#include <parkstat/types.h>

#include "base/buf.h"

/* The factor of a display unit over a base unit other than money: 10000
   for 万平方米 over 平方米, else 1. */
int64_t ps__display_factor(const char *display_unit, const char *base);

/* The unit an amount of money `v` is shown in: `display_unit` when that is
   元, 万元 or 亿元, else 亿元 from one hundred million up and 万元 below. */
const char *ps__money_unit(ps_value_t v, const char *display_unit);

/* Appends "22.32亿元". `display_unit` (e.g. 万平方米) may be NULL. */
void ps__format_value(ps__buf_t *b, ps_value_t v, const char *display_unit);

/* As ps__format_value when decimals < 0; otherwise the value with exactly
   `decimals` decimals and its unit as given ("89.76%"), as a derived
   indicator asks. */
void ps__format_figure(ps__buf_t *b, ps_value_t v, const char *display_unit,
                       int decimals);

/* Appends num/den as a per cent with `decimals` decimals ("40.58%").
   Returns -1 (appending nothing) when den is 0. */
int ps__format_rate(ps__buf_t *b, int64_t num, int64_t den, int decimals);

/* Appends the exact decimal of a raw value: 2232000000, 13.2, -0.5. */
void ps__format_exact(ps__buf_t *b, int64_t raw);

/* Appends the exact decimal of raw / 10^digits (0 <= digits <= 18), trailing
   zeros dropped: 2232000000000 with 8 -> "22320" (元 ×10^4 shown in 万元). */
void ps__format_decimal(ps__buf_t *b, int64_t raw, int digits);

/* Appends an integer that counts 10^-decimals: 4058 with 2 -> "40.58". */
void ps__format_scaled(ps__buf_t *b, int64_t scaled, int decimals);

/* Appends "9月底" for 2023-09 when the report is of the same year, else
   "2022年12月底". */
void ps__format_month_end(ps__buf_t *b, ps_period_t p, ps_period_t report);

/* num * 100 * 10^decimals / den rounded half away from zero; -1 if den is 0
   or the rate does not fit in 64 bits. */
int ps__rate_scaled(int64_t num, int64_t den, int decimals, int64_t *out);

/* num / den * scale in units of 10^-digits, rounded once, half away from
   zero: the value of a ratio indicator (隐患整改率 = 523 / 549 * 100 is
   952641 with 4 digits); -1 if den is 0 or it does not fit in 64 bits. */
int ps__ratio_scaled(int64_t num, int64_t den, int64_t scale, int digits, int64_t *out);

/* The change of the ratio now[0]/now[1] on before[0]/before[1], in units
   of 10^-decimals per cent, from the four sums exactly; -1 when before's
   ratio is not positive or anything overflows. */
int ps__ratio_change(const int64_t now[2], const int64_t before[2], int decimals,
                     int64_t *out);

/* The difference of the ratios now[0]/now[1] and before[0]/before[1], times
   scale, in units of 10^-decimals, from the four sums exactly: a rate's
   change in percentage points; -1 when a denominator is 0 or anything
   overflows. */
int ps__ratio_points(const int64_t now[2], const int64_t before[2], int64_t scale,
                     int decimals, int64_t *out);

/* Appends num / den * scale rounded once: with `decimals` decimals, or
   (decimals < 0) with at most two, trailing zeros dropped; "—" when it
   cannot be computed. No unit. */
void ps__format_ratio(ps__buf_t *b, int64_t num, int64_t den, int64_t scale, int decimals);

#endif
