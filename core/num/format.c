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

static int64_t pow10_of(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
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

int ps__rate_scaled(int64_t num, int64_t den, int decimals, int64_t *out)
{
    if (den == 0)
        return -1;
    __int128 scale = 100;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    __int128 rate = round_div((__int128)num * scale, den);
    if (rate > INT64_MAX || rate < INT64_MIN)
        return -1; /* no office reports such a rate; refuse it, never wrap */
    *out = (int64_t)rate;
    return 0;
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
