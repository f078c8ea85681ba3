/*
 * Fuzzes exact decimals (core/num/decimal.h) and their exact formatting
 * (core/num/format.h).
 *
 * ps__decimal_parse reads the input as is (not NUL-terminated, so an
 * over-read is caught); ps__amount_parse reads it as a C string. Checks:
 *   - a decimal that parses re-formats through ps__format_exact and parses
 *     back to the same raw value;
 *   - an amount that parses re-formats as "<exact> <unit>" and parses back to
 *     the same raw value and unit (money comes back in 元);
 *   - failures always say why;
 *   - the fast paths for common shapes agree with the general parser.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/types.h>

#include "base/buf.h"
#include "num/decimal.h"
#include "num/format.h"

static void check_decimal(const char *s, size_t len)
{
    int64_t raw = 0, again = 0, general = 0;
    const char *why = NULL, *general_why = NULL;
    int rc = ps__decimal_parse(s, len, &raw, &why);
    if (rc != ps__decimal_parse_general(s, len, &general, &general_why) ||
        (rc == 0 && raw != general)) {
        fprintf(stderr, "'%.*s': the fast path and the general parser disagree\n",
                (int)len, s);
        abort();
    }
    if (rc < 0) {
        if (!why || !*why)
            abort();
        return;
    }
    ps__buf_t b = PS_BUF_INIT;
    ps__format_exact(&b, raw);
    if (ps__decimal_parse(b.data, b.len, &again, &why) < 0 || again != raw) {
        fprintf(stderr, "'%.*s' parsed as %lld, formatted as '%s', parsed back "
                "as %lld\n", (int)len, s, (long long)raw, ps__buf_str(&b),
                (long long)again);
        abort();
    }
    ps__buf_free(&b);
}

static void check_amount(const char *s)
{
    int64_t raw = 0, again = 0;
    const char *unit = NULL, *unit2 = NULL, *why = NULL;
    size_t unit_len = 0, unit2_len = 0;
    if (ps__amount_parse(s, &raw, &unit, &unit_len, &why) < 0) {
        if (!why || !*why)
            abort();
        return;
    }
    ps__buf_t b = PS_BUF_INIT;
    ps__format_exact(&b, raw);
    ps__buf_puts(&b, " "); /* the unit may start with a digit: "12 5" */
    ps__buf_append(&b, unit, unit_len);
    if (ps__amount_parse(ps__buf_str(&b), &again, &unit2, &unit2_len, &why) < 0 ||
        again != raw || unit2_len != unit_len || memcmp(unit, unit2, unit_len) != 0) {
        fprintf(stderr, "amount '%s' parsed as %lld '%.*s', formatted as '%s', "
                "parsed back as %lld\n", s, (long long)raw, (int)unit_len, unit,
                ps__buf_str(&b), (long long)again);
        abort();
    }
    ps__buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_decimal((const char *)data, size);
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    check_amount(s);
    free(s);
    return 0;
}
