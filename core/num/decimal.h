/* Exact decimal numbers: parsing, checked arithmetic, units. */
#ifndef PS_DECIMAL_H
#define PS_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

/*
 * Parses a decimal of at most PS_SCALE_DIGITS fractional digits into its
 * value times PS_SCALE: "-12.5" gives -125000. Accepts a leading sign and
 * thousands separators in groups of three ("1,234,567.5"); a decimal point
 * needs digits on both sides ("5." and ".5" are refused); decimals past the
 * fourth must be zeros ("1.23450" is 1.2345: the same number, written to
 * more places). On failure returns PS_EPARSE or PS_ERANGE and points *why
 * at a short phrase such as "has more than 4 decimal places".
 */
int ps__decimal_parse(const char *s, size_t len, int64_t *out, const char **why);
/* The same without the fast paths for the common shapes of value, for the
   tests that check those against it. */
int ps__decimal_parse_general(const char *s, size_t len, int64_t *out, const char **why);

/* *acc += v, or PS_EOVERFLOW with *acc unchanged. Inline: every row and
   every month a query sums goes through it. */
static inline int ps__add_checked(int64_t *acc, int64_t v)
{
    int64_t r;
    if (__builtin_add_overflow(*acc, v, &r))
        return PS_EOVERFLOW;
    *acc = r;
    return 0;
}

/* *out = a * b, or PS_EOVERFLOW. */
static inline int ps__mul_checked(int64_t a, int64_t b, int64_t *out)
{
    return __builtin_mul_overflow(a, b, out) ? PS_EOVERFLOW : 0;
}

/*
 * How many 元 one unit of a money unit is worth (1, 10000, 100000000), or 0
 * when `unit` is not money. `short_forms` also accepts 万 and 亿, as the
 * configuration writes targets ("55亿").
 */
int64_t ps__money_factor(const char *unit, int short_forms);

/*
 * Converts a parsed decimal in `unit` to its base unit: money into 元,
 * anything else unchanged. PS_EOVERFLOW when it does not fit.
 */
int ps__to_base(int64_t scaled, const char *unit, int short_forms, int64_t *out);

/*
 * Parses an amount as the configuration writes it: a decimal followed by an
 * optional unit ("55亿", "1.27亿元", "63个", "12.5"). Money comes back in
 * 元 (*unit = PS_UNIT_MONEY); another unit is returned as written, pointing
 * into `s`; no unit gives *unit = "".
 */
int ps__amount_parse(const char *s, int64_t *out, const char **unit,
                     size_t *unit_len, const char **why);

#endif
