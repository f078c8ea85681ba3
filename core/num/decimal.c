#include "config.h"

#include "num/decimal.h"

#include <string.h>

#include <parkstat/error.h>

/* Integer digits, plain or grouped by thousands; returns digits consumed. */
static size_t parse_integer_part(const char *s, size_t len, uint64_t *mag,
                                 int *overflow, int *bad_grouping)
{
    size_t i = 0, group = 0;
    int grouped = 0;
    for (; i < len; i++) {
        char c = s[i];
        if (c == ',') {
            if ((grouped && group != 3) || (!grouped && (group == 0 || group > 3)))
                *bad_grouping = 1;
            grouped = 1;
            group = 0;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        if (*mag > (UINT64_MAX - 9) / 10)
            *overflow = 1;
        else
            *mag = *mag * 10 + (uint64_t)(c - '0');
        group++;
    }
    if (grouped && group != 3)
        *bad_grouping = 1;
    return i;
}

/*
 * The shape nearly every ledger value has, [-]DIGITS[.DIGITS] with at most
 * 14 integer and 4 decimal digits, in one pass: such a value cannot
 * overflow. 1 with *out set; 0 for anything else, which the full parser
 * below then reads (and explains, if it must).
 */
static int parse_plain(const char *s, size_t len, int64_t *out)
{
    static const int64_t scale[] = { 10000, 1000, 100, 10, 1 };
    size_t i = len && s[0] == '-', start = i;
    int64_t v = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && i - start <= 14) /* 15: too long */
        v = v * 10 + (s[i++] - '0');
    size_t int_digits = i - start, frac_start = i + 1, frac = 0;
    if (int_digits == 0 || int_digits > 14)
        return 0;
    if (i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9' && frac < 4; i++, frac++)
            v = v * 10 + (s[i] - '0');
    if (i != len || (frac == 0 && len >= frac_start))
        return 0;
    v *= scale[frac];
    *out = start ? -v : v;
    return 1;
}

/*
 * The same shape, up to 16 bytes, eight at a time: the value is held in a
 * 128-bit register, zero-padded, where a word of eight bytes tells how many
 * digits begin it and converts them with a few multiplications (SWAR),
 * instead of a multiply-add per digit. Most ledger values are 5 to 14
 * bytes. (A copy on the stack would cost more: loading a word that spans
 * two stores waits for both.)
 */
#define PLAIN_WORDS_MAX 16

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    defined(__SIZEOF_INT128__)
typedef unsigned __int128 bytes16_t;

static const uint64_t powers_of_ten[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

/* s[0..len), len <= 16, as 16 bytes with zeros after it. */
static bytes16_t load_padded(const char *s, size_t len)
{
    uint64_t lo = 0, hi = 0;
    if (len >= 8) {
        memcpy(&lo, s, 8);
        if (len > 8) { /* the last eight bytes, moved down past the first's */
            memcpy(&hi, s + len - 8, 8);
            hi >>= 8 * (16 - len);
        }
    } else {
        for (size_t i = 0; i < len; i++)
            lo |= (uint64_t)(unsigned char)s[i] << (8 * i);
    }
    return (bytes16_t)hi << 64 | lo;
}

/* The eight bytes from byte p (< 16) on. */
static uint64_t word_at(bytes16_t b, size_t p)
{
    return (uint64_t)(b >> (8 * p));
}

/* How many of the word's bytes, first in memory first, are digits before
   any other: the first other byte has its top bit set in x | (x + 0x76..),
   and nothing borrows into the bytes before it. */
static unsigned digit_run(uint64_t w)
{
    uint64_t x = w - 0x3030303030303030ULL;
    uint64_t other = (x | (x + 0x7676767676767676ULL)) & 0x8080808080808080ULL;
    return other ? (unsigned)__builtin_ctzll(other) / 8 : 8;
}

/* The value of the first k (1..8) digits of w: shifted to the top, behind
   zeros, and combined in pairs, fours and eights. */
static uint64_t digits_value(uint64_t w, unsigned k)
{
    uint64_t d = w - 0x3030303030303030ULL;
    if (k < 8)
        d <<= 8 * (8 - k);
    d = d * 10 + (d >> 8);
    return (((d & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
            (((d >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
}

static int parse_plain_words(const char *s, size_t len, int64_t *out)
{
    bytes16_t b = load_padded(s, len);
    int negative = (unsigned char)b == '-';
    size_t p = negative;
    uint64_t w = word_at(b, p);
    unsigned k = digit_run(w);
    if (k == 0)
        return 0;
    uint64_t v = digits_value(w, k);
    p += k;
    if (k == 8) {
        uint64_t more = p < 16 ? word_at(b, p) : 0;
        unsigned k2 = digit_run(more);
        if (k2 > 6) /* more than 14 integer digits */
            return 0;
        if (k2)
            v = v * powers_of_ten[k2] + digits_value(more, k2);
        p += k2;
    }
    unsigned frac = 0;
    if (p < len) {
        if ((unsigned char)word_at(b, p) != '.')
            return 0;
        uint64_t f = p + 1 < 16 ? word_at(b, p + 1) : 0;
        frac = digit_run(f);
        if (frac == 0 || frac > 4 || p + 1 + frac != len)
            return 0;
        v = v * powers_of_ten[frac] + digits_value(f, frac);
    }
    v *= powers_of_ten[4 - frac];
    *out = negative ? -(int64_t)v : (int64_t)v;
    return 1;
}
#else
static int parse_plain_words(const char *s, size_t len, int64_t *out)
{
    return parse_plain(s, len, out);
}
#endif

int ps__decimal_parse(const char *s, size_t len, int64_t *out, const char **why)
{
    if (len <= PLAIN_WORDS_MAX ? parse_plain_words(s, len, out) : parse_plain(s, len, out))
        return 0;
    return ps__decimal_parse_general(s, len, out, why);
}

int ps__decimal_parse_general(const char *s, size_t len, int64_t *out, const char **why)
{
    size_t i = 0;
    int negative = 0, overflow = 0, bad_grouping = 0;
    uint64_t mag = 0;

    if (i < len && (s[i] == '-' || s[i] == '+'))
        negative = s[i++] == '-';
    size_t int_digits = parse_integer_part(s + i, len - i, &mag, &overflow,
                                           &bad_grouping);
    i += int_digits;
    size_t frac_digits = 0;
    int point = i < len && s[i] == '.';
    if (point) {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, frac_digits++) {
            if (frac_digits >= PS_SCALE_DIGITS) {
                if (s[i] != '0') {
                    *why = "has more than 4 decimal places";
                    return PS_EPARSE;
                }
                continue;
            }
            if (mag > (UINT64_MAX - 9) / 10)
                overflow = 1;
            else
                mag = mag * 10 + (uint64_t)(s[i] - '0');
        }
    }
    if (i != len || int_digits + frac_digits == 0 || bad_grouping) {
        *why = "is not a number";
        return PS_EPARSE;
    }
    /* "5." and ".5" are numbers to a spreadsheet, but in a ledger they are
       as likely a digit lost on the way ("5.3", "1.5"): refused, as a
       statistics office asks for the figure written out */
    if (point && (int_digits == 0 || frac_digits == 0)) {
        *why = int_digits == 0 ? "has no digit before the decimal point"
                               : "has no digit after the decimal point";
        return PS_EPARSE;
    }
    for (size_t k = frac_digits < PS_SCALE_DIGITS ? frac_digits : PS_SCALE_DIGITS;
         k < PS_SCALE_DIGITS; k++) {
        if (mag > UINT64_MAX / 10)
            overflow = 1;
        else
            mag *= 10;
    }
    if (overflow || mag > (uint64_t)INT64_MAX) {
        *why = "is out of range";
        return PS_ERANGE;
    }
    *out = negative ? -(int64_t)mag : (int64_t)mag;
    return 0;
}

static const struct money_unit {
    const char *name;
    int64_t yuan;
    int short_form; /* only the configuration writes it */
} money_units[] = {
    { "元", 1, 0 },
    { "万元", 10000, 0 },
    { "亿元", 100000000, 0 },
    { "万", 10000, 1 },
    { "亿", 100000000, 1 },
};

int64_t ps__money_factor(const char *unit, int short_forms)
{
    for (size_t i = 0; i < sizeof money_units / sizeof money_units[0]; i++) {
        const struct money_unit *m = &money_units[i];
        if ((short_forms || !m->short_form) && strcmp(unit, m->name) == 0)
            return m->yuan;
    }
    return 0;
}

int ps__to_base(int64_t scaled, const char *unit, int short_forms, int64_t *out)
{
    int64_t factor = ps__money_factor(unit, short_forms);
    if (factor == 0) {
        *out = scaled;
        return 0;
    }
    return ps__mul_checked(scaled, factor, out);
}

int ps__amount_parse(const char *s, int64_t *out, const char **unit,
                     size_t *unit_len, const char **why)
{
    size_t n = strlen(s), num = 0;
    while (num < n && strchr("+-0123456789.,", s[num]))
        num++;
    size_t u = num;
    while (u < n && s[u] == ' ')
        u++;
    int64_t scaled;
    int rc = ps__decimal_parse(s, num, &scaled, why);
    if (rc < 0)
        return rc;
    *unit = s + u;
    *unit_len = n - u;
    *out = scaled;
    char name[16];
    if (*unit_len == 0 || *unit_len >= sizeof name)
        return 0;
    memcpy(name, *unit, *unit_len);
    name[*unit_len] = '\0';
    if (ps__money_factor(name, 1) == 0)
        return 0;
    *unit = PS_UNIT_MONEY;
    *unit_len = strlen(PS_UNIT_MONEY);
    if (ps__to_base(scaled, name, 1, out) < 0) {
        *why = "is out of range";
        return PS_ERANGE;
    }
    return 0;
}
