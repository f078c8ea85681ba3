#include "config.h"

#include "num/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num/decimal.h"

#define TEN_THOUSAND 10000
#define HUNDRED_MILLION 100000000

static __int128 round_div(__int128 a, __int128 b)
{
    if (b < 0) {
        a = -a;
        b = -b;
    }
    __int128 q = a / b, r = a % b;
    if (2 * (r < 0 ? -r : r) >= b)
        q += a < 0 ? -1 : 1;
    return q;
}

static int64_t pow10_of(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/* Appends hundredths as a decimal with at most two places: 2232 -> 22.32. */
static void put_hundredths(ps__buf_t *b, __int128 h)
{
    if (h < 0) {
        ps__buf_puts(b, "-");
        h = -h;
    }
    ps__buf_printf(b, "%lld", (long long)(h / 100));
    int frac = (int)(h % 100);
    if (frac % 10)
        ps__buf_printf(b, ".%02d", frac);
    else if (frac)
        ps__buf_printf(b, ".%d", frac / 10);
}

int64_t ps__display_factor(const char *display_unit, const char *base)
{
    static const char wan[] = "万";
    size_t n = strlen(wan);
    if (display_unit && strncmp(display_unit, wan, n) == 0 &&
        strcmp(display_unit + n, base) == 0)
        return TEN_THOUSAND;
    return 1;
}

const char *ps__money_unit(ps_value_t v, const char *display_unit)
{
    int64_t forced = display_unit ? ps__money_factor(display_unit, 0) : 0;
    if (forced)
        return forced == 1 ? "元" : forced == HUNDRED_MILLION ? "亿元" : "万元";
    __int128 wan = round_div(v.raw, (__int128)PS_SCALE * TEN_THOUSAND / 100);
    return (wan < 0 ? -wan : wan) >= (__int128)TEN_THOUSAND * 100 ? "亿元" : "万元";
}

void ps__format_value(ps__buf_t *b, ps_value_t v, const char *display_unit)
{
    if (!ps_value_present(v)) {
        ps__buf_puts(b, "—");
        return;
    }
    if (strcmp(v.unit, PS_UNIT_MONEY) == 0) {
        const char *unit = ps__money_unit(v, display_unit);
        int64_t factor = ps__money_factor(unit, 0);
        put_hundredths(b, round_div(v.raw, (__int128)PS_SCALE * factor / 100));
        ps__buf_puts(b, unit);
        return;
    }
    int64_t factor = ps__display_factor(display_unit, v.unit);
    put_hundredths(b, round_div(v.raw, (__int128)PS_SCALE * factor / 100));
    ps__buf_puts(b, factor == 1 ? v.unit : display_unit);
}

/* Appends an integer that counts 10^-decimals: 4058 with 2 -> "40.58". */
void ps__format_scaled(ps__buf_t *b, int64_t scaled, int decimals)
{
    int64_t unit = pow10_of(decimals);
    uint64_t mag = scaled < 0 ? (uint64_t)0 - (uint64_t)scaled : (uint64_t)scaled;
    ps__buf_printf(b, "%s%llu", scaled < 0 ? "-" : "", (unsigned long long)(mag / (uint64_t)unit));
    if (decimals > 0)
        ps__buf_printf(b, ".%0*llu", decimals, (unsigned long long)(mag % (uint64_t)unit));
}

/* Appends v with exactly `decimals` decimals, rounded half away from zero. */
static void put_fixed(ps__buf_t *b, int64_t raw, int decimals)
{
    ps__format_scaled(b, (int64_t)round_div(raw, pow10_of(PS_SCALE_DIGITS - decimals)), decimals);
}

void ps__format_figure(ps__buf_t *b, ps_value_t v, const char *display_unit,
                       int decimals)
{
    if (decimals < 0 || !ps_value_present(v)) {
        ps__format_value(b, v, display_unit);
        return;
    }
    put_fixed(b, v.raw, decimals > PS_SCALE_DIGITS ? PS_SCALE_DIGITS : decimals);
    ps__buf_puts(b, v.unit);
}

/* a * b / c rounded half away from zero, in 64 bits; -1 when c is 0 or
   anything overflows: no office reports such a figure, so it is refused,
   never wrapped. */
static int muldiv(__int128 a, __int128 b, __int128 c, int64_t *out)
{
    __int128 product, q;
    if (c == 0 || __builtin_mul_overflow(a, b, &product))
        return -1;
    q = round_div(product, c);
    if (q > INT64_MAX || q < INT64_MIN)
        return -1;
    *out = (int64_t)q;
    return 0;
}

int ps__ratio_scaled(int64_t num, int64_t den, int64_t scale, int digits, int64_t *out)
{
    return muldiv(num, (__int128)scale * pow10_of(digits), den, out);
}

int ps__rate_scaled(int64_t num, int64_t den, int decimals, int64_t *out)
{
    return ps__ratio_scaled(num, den, 100, decimals, out);
}

/* The cross products of two ratios n1/d1 (now) and n0/d0 (before), exact:
   *diff = n1*d0 - n0*d1 and *n0d1 = n0*d1; -1 when either overflows. */
static int cross(const int64_t now[2], const int64_t before[2], __int128 *diff,
                 __int128 *n0d1)
{
    __int128 n1d0;
    return __builtin_mul_overflow((__int128)now[0], before[1], &n1d0) ||
                   __builtin_mul_overflow((__int128)before[0], now[1], n0d1) ||
                   __builtin_sub_overflow(n1d0, *n0d1, diff)
               ? -1
               : 0;
}

int ps__ratio_change(const int64_t now[2], const int64_t before[2], int decimals,
                     int64_t *out)
{
    /* (n1/d1) / (n0/d0) - 1 = (n1*d0 - n0*d1) / (n0*d1) */
    __int128 diff, base;
    if (cross(now, before, &diff, &base) < 0 || base <= 0)
        return -1;
    return muldiv(diff, 100 * pow10_of(decimals), base, out);
}

int ps__ratio_points(const int64_t now[2], const int64_t before[2], int64_t scale,
                     int decimals, int64_t *out)
{
    /* n1/d1 - n0/d0 = (n1*d0 - n0*d1) / (d1*d0) */
    __int128 diff, base, den;
    if (cross(now, before, &diff, &base) < 0 ||
        __builtin_mul_overflow((__int128)now[1], before[1], &den))
        return -1;
    return muldiv(diff, (__int128)scale * pow10_of(decimals), den, out);
}

void ps__format_ratio(ps__buf_t *b, int64_t num, int64_t den, int64_t scale, int decimals)
{
    int64_t scaled;
    if (decimals >= 0) {
        if (ps__ratio_scaled(num, den, scale, decimals, &scaled) == 0)
            ps__format_scaled(b, scaled, decimals);
        else
            ps__buf_puts(b, "—");
        return;
    }
    if (ps__ratio_scaled(num, den, scale, 2, &scaled) == 0)
        put_hundredths(b, scaled);
    else
        ps__buf_puts(b, "—");
}

int ps__format_rate(ps__buf_t *b, int64_t num, int64_t den, int decimals)
{
    int64_t scaled;
    if (ps__rate_scaled(num, den, decimals, &scaled) < 0)
        return -1;
    ps__format_scaled(b, scaled, decimals);
    ps__buf_puts(b, "%");
    return 0;
}

void ps__format_decimal(ps__buf_t *b, int64_t raw, int digits)
{
    if (digits < 0 || digits > 18)
        digits = digits < 0 ? 0 : 18; /* 10^18 is the largest power in 64 bits */
    uint64_t unit = (uint64_t)pow10_of(digits);
    uint64_t mag = raw < 0 ? (uint64_t)0 - (uint64_t)raw : (uint64_t)raw;
    ps__buf_printf(b, "%s%llu", raw < 0 ? "-" : "", (unsigned long long)(mag / unit));
    uint64_t frac = mag % unit;
    if (!frac)
        return;
    char tail[32]; /* "." and at most 20 digits */
    snprintf(tail, sizeof tail, ".%0*llu", digits, (unsigned long long)frac);
    size_t n = strlen(tail);
    while (tail[n - 1] == '0')
        tail[--n] = '\0';
    ps__buf_puts(b, tail);
}

void ps__format_exact(ps__buf_t *b, int64_t raw)
{
    ps__format_decimal(b, raw, PS_SCALE_DIGITS);
}

void ps__format_month_end(ps__buf_t *b, ps_period_t p, ps_period_t report)
{
    if (ps_period_year(p) != ps_period_year(report))
        ps__buf_printf(b, "%d年", ps_period_year(p));
    ps__buf_printf(b, "%d月底", ps_period_month(p));
}
