/* Unit tests of core/num/decimal.h: exact decimals, checked arithmetic, units. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

#include "num/decimal.h"

/* ---- ps__decimal_parse -------------------------------------------------- */

static const struct parse_case {
    const char *text;
    int rc;
    int64_t value;   /* when rc == 0 */
    const char *why; /* when rc < 0 */
} parse_cases[] = {
    { "0", 0, 0, NULL },
    { "12", 0, 120000, NULL },
    { "-12.5", 0, -125000, NULL },
    { "+3.25", 0, 32500, NULL },
    { "-0", 0, 0, NULL },
    { "0.0001", 0, 1, NULL },
    { "1.2345", 0, 12345, NULL },
    { "007.50", 0, 75000, NULL },
    /* zeros past the fourth decimal change nothing */
    { "1.23450000", 0, 12345, NULL },
    { "2.000000", 0, 20000, NULL },
    /* a fifth decimal that is not zero would be rounded away: refused */
    { "1.23456", PS_EPARSE, 0, "has more than 4 decimal places" },
    { "0.00001", PS_EPARSE, 0, "has more than 4 decimal places" },
    { "1.234500001", PS_EPARSE, 0, "has more than 4 decimal places" },
    /* a decimal point with digits on both sides only: "5." and ".5" may
       have lost a digit on the way */
    { "5.", PS_EPARSE, 0, "has no digit after the decimal point" },
    { "-5.", PS_EPARSE, 0, "has no digit after the decimal point" },
    { "1,234.", PS_EPARSE, 0, "has no digit after the decimal point" },
    { "0.", PS_EPARSE, 0, "has no digit after the decimal point" },
    { ".5", PS_EPARSE, 0, "has no digit before the decimal point" },
    { "-.5", PS_EPARSE, 0, "has no digit before the decimal point" },
    { "+.25", PS_EPARSE, 0, "has no digit before the decimal point" },
    { ".0", PS_EPARSE, 0, "has no digit before the decimal point" },
    { "0.5", 0, 5000, NULL },
    /* thousands separators, in groups of three only */
    { "1,234,567.5", 0, 12345675000, NULL },
    { "-1,234", 0, -12340000, NULL },
    { "999,999", 0, 9999990000, NULL },
    { "1,23", PS_EPARSE, 0, "is not a number" },
    { "1,2345", PS_EPARSE, 0, "is not a number" },
    { "1234,567", PS_EPARSE, 0, "is not a number" },
    { ",123", PS_EPARSE, 0, "is not a number" },
    { "1,,234", PS_EPARSE, 0, "is not a number" },
    { "1,234,", PS_EPARSE, 0, "is not a number" },
    { "1.234,5", PS_EPARSE, 0, "is not a number" },
    /* empty and garbage */
    { "", PS_EPARSE, 0, "is not a number" },
    { "-", PS_EPARSE, 0, "is not a number" },
    { "+", PS_EPARSE, 0, "is not a number" },
    { ".", PS_EPARSE, 0, "is not a number" },
    { "abc", PS_EPARSE, 0, "is not a number" },
    { "12a", PS_EPARSE, 0, "is not a number" },
    { " 12", PS_EPARSE, 0, "is not a number" },
    { "12 ", PS_EPARSE, 0, "is not a number" },
    { "1 234", PS_EPARSE, 0, "is not a number" },
    { "1e5", PS_EPARSE, 0, "is not a number" },
    { "--1", PS_EPARSE, 0, "is not a number" },
    { "1.2.3", PS_EPARSE, 0, "is not a number" },
    { "0x10", PS_EPARSE, 0, "is not a number" },
    { "12万", PS_EPARSE, 0, "is not a number" },
    /* the range of int64_t raw values */
    { "922337203685477.5807", 0, INT64_MAX, NULL },
    { "-922337203685477.5807", 0, -INT64_MAX, NULL },
    { "922337203685477.5808", PS_ERANGE, 0, "is out of range" },
    { "922337203685478", PS_ERANGE, 0, "is out of range" },
    { "99999999999999999999999", PS_ERANGE, 0, "is out of range" },
    { "-99999999999999999999999.5", PS_ERANGE, 0, "is out of range" },
};

static void decimal_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const struct parse_case *c = &parse_cases[i];
        int64_t value = 424242;
        const char *why = NULL;
        int rc = ps__decimal_parse(c->text, strlen(c->text), &value, &why);
        print_message("case \"%s\"\n", c->text);
        assert_int_equal(rc, c->rc);
        if (c->rc == 0) {
            assert_true(value == c->value);
        } else {
            assert_non_null(why);
            assert_string_equal(why, c->why);
            assert_true(value == 424242); /* untouched on failure */
        }
    }
}

/* The length bounds the text: a field of a CSV line is not NUL-terminated. */
static void decimal_parse_honours_length(void **state)
{
    (void)state;
    int64_t value = 0;
    const char *why = NULL;
    assert_int_equal(ps__decimal_parse("12.5,2023-10", 4, &value, &why), 0);
    assert_true(value == 125000);
    assert_int_equal(ps__decimal_parse("7x", 1, &value, &why), 0);
    assert_true(value == 70000);
    assert_int_equal(ps__decimal_parse("12", 0, &value, &why), PS_EPARSE);
    assert_string_equal(why, "is not a number");
}

/* The fast paths for common shapes read every text as the general parser
   does: random texts of digits, points, signs and commas, 0 to 20 bytes,
   and every length of a few long ones (which cross the 8- and 16-byte
   words the fast path reads). */
static void fast_paths_read_as_the_general_parser(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789012345678901234567890123456789..-,+ x";
    uint64_t seed = 42;
    char text[24];
    unsigned long accepted = 0;
    for (int n = 0; n < 300000; n++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t len = (size_t)(seed >> 59) % 21;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            text[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
        }
        int64_t fast = 1, general = 2;
        const char *why_fast = "", *why_general = "";
        int rc = ps__decimal_parse(text, len, &fast, &why_fast);
        assert_int_equal(rc, ps__decimal_parse_general(text, len, &general, &why_general));
        if (rc == 0)
            assert_true(fast == general);
        else
            assert_string_equal(why_fast, why_general);
        accepted += rc == 0;
    }
    assert_true(accepted > 10000); /* not a comparison of refusals only */
    static const char *const long_ones[] = { "-12345678901234.5678", "12345678901234.5678",
                                             "123456789012345", "1234567.1234", "-0.0001" };
    for (size_t k = 0; k < sizeof long_ones / sizeof long_ones[0]; k++)
        for (size_t len = 0; len <= strlen(long_ones[k]); len++) {
            int64_t fast = 1, general = 2;
            const char *why = "";
            int rc = ps__decimal_parse(long_ones[k], len, &fast, &why);
            assert_int_equal(rc, ps__decimal_parse_general(long_ones[k], len, &general, &why));
            if (rc == 0)
                assert_true(fast == general);
        }
}

/* ---- checked arithmetic ------------------------------------------------- */

static void add_checked_adds(void **state)
{
    (void)state;
    int64_t acc = 5;
    assert_int_equal(ps__add_checked(&acc, -7), 0);
    assert_true(acc == -2);
    acc = INT64_MAX - 1;
    assert_int_equal(ps__add_checked(&acc, 1), 0);
    assert_true(acc == INT64_MAX);
    acc = INT64_MIN + 1;
    assert_int_equal(ps__add_checked(&acc, -1), 0);
    assert_true(acc == INT64_MIN);
}

static void add_checked_refuses_overflow(void **state)
{
    (void)state;
    int64_t acc = INT64_MAX;
    assert_int_equal(ps__add_checked(&acc, 1), PS_EOVERFLOW);
    assert_true(acc == INT64_MAX);
    acc = INT64_MIN;
    assert_int_equal(ps__add_checked(&acc, -1), PS_EOVERFLOW);
    assert_true(acc == INT64_MIN);
    acc = INT64_MAX / 2 + 1;
    assert_int_equal(ps__add_checked(&acc, INT64_MAX / 2 + 1), PS_EOVERFLOW);
    assert_true(acc == INT64_MAX / 2 + 1);
}

static void mul_checked_multiplies(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_int_equal(ps__mul_checked(3, -4, &out), 0);
    assert_true(out == -12);
    assert_int_equal(ps__mul_checked(922337203685477, 10000, &out), 0);
    assert_true(out == 9223372036854770000);
    assert_int_equal(ps__mul_checked(INT64_MAX, -1, &out), 0);
    assert_true(out == -INT64_MAX);
}

static void mul_checked_refuses_overflow(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_int_equal(ps__mul_checked(INT64_MAX, 2, &out), PS_EOVERFLOW);
    assert_int_equal(ps__mul_checked(INT64_MIN, -1, &out), PS_EOVERFLOW);
    assert_int_equal(ps__mul_checked(922337203685478, 10000, &out), PS_EOVERFLOW);
    assert_int_equal(ps__mul_checked(-4611686018427387905, 2, &out), PS_EOVERFLOW);
}

/* ---- money units -------------------------------------------------------- */

static const struct factor_case {
    const char *unit;
    int short_forms;
    int64_t factor;
} factor_cases[] = {
    { "元", 0, 1 },
    { "万元", 0, 10000 },
    { "亿元", 0, 100000000 },
    { "元", 1, 1 },
    { "万元", 1, 10000 },
    { "亿元", 1, 100000000 },
    /* 万 and 亿 alone: only where the configuration writes them */
    { "万", 0, 0 },
    { "亿", 0, 0 },
    { "万", 1, 10000 },
    { "亿", 1, 100000000 },
    /* not money */
    { "个", 1, 0 },
    { "株", 0, 0 },
    { "", 1, 0 },
    { "万元 ", 1, 0 },
    { "千元", 1, 0 },
    { "万平方米", 1, 0 },
};

static void money_factor_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof factor_cases / sizeof factor_cases[0]; i++) {
        const struct factor_case *c = &factor_cases[i];
        print_message("case \"%s\" short_forms=%d\n", c->unit, c->short_forms);
        assert_true(ps__money_factor(c->unit, c->short_forms) == c->factor);
    }
}

static void to_base_converts_money_only(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_int_equal(ps__to_base(12345, "万元", 0, &out), 0); /* 1.2345万元 */
    assert_true(out == 123450000);                             /* 12345元 */
    assert_int_equal(ps__to_base(12700, "亿元", 0, &out), 0);  /* 1.27亿元 */
    assert_true(out == 1270000000000);
    assert_int_equal(ps__to_base(55, "元", 0, &out), 0);
    assert_true(out == 55);
    assert_int_equal(ps__to_base(-10000, "亿", 1, &out), 0);
    assert_true(out == -1000000000000);
    /* any other unit is its own base */
    assert_int_equal(ps__to_base(630000, "个", 1, &out), 0);
    assert_true(out == 630000);
    /* 万 without the short forms is not money, so nothing is multiplied */
    assert_int_equal(ps__to_base(30000, "万", 0, &out), 0);
    assert_true(out == 30000);
}

static void to_base_refuses_overflow(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_int_equal(ps__to_base(INT64_MAX / 100000000 + 1, "亿元", 0, &out),
                     PS_EOVERFLOW);
    assert_int_equal(ps__to_base(-(INT64_MAX / 10000) - 1, "万元", 0, &out),
                     PS_EOVERFLOW);
    assert_int_equal(ps__to_base(INT64_MAX / 100000000, "亿元", 0, &out), 0);
    assert_true(out == INT64_MAX / 100000000 * 100000000);
}

/* ---- ps__amount_parse --------------------------------------------------- */

static const struct amount_case {
    const char *text;
    int64_t raw;
    const char *unit; /* as returned, compared over unit_len */
} amount_cases[] = {
    { "55亿", 55000000000000, "元" },         /* 5500000000元 */
    { "1.27亿元", 1270000000000, "元" },      /* 127000000元 */
    { "3771万元", 377100000000, "元" },
    { "30000万", 3000000000000, "元" },
    { "4亿", 4000000000000, "元" },
    { "12.5元", 125000, "元" },
    { "3.5 亿", 3500000000000, "元" },         /* a space before the unit */
    { "-2万", -200000000, "元" },
    { "1,234万元", 123400000000, "元" },
    { "63个", 630000, "个" },
    { "14994株", 149940000, "株" },
    { "23.28万平方米", 232800, "万平方米" },  /* not money: kept as written */
    { "12.5", 125000, "" },
    { "0", 0, "" },
};

static void amount_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof amount_cases / sizeof amount_cases[0]; i++) {
        const struct amount_case *c = &amount_cases[i];
        int64_t raw = 0;
        const char *unit = NULL, *why = NULL;
        size_t unit_len = 99;
        print_message("case \"%s\"\n", c->text);
        assert_int_equal(ps__amount_parse(c->text, &raw, &unit, &unit_len, &why), 0);
        assert_true(raw == c->raw);
        assert_non_null(unit);
        assert_int_equal(unit_len, strlen(c->unit));
        assert_memory_equal(unit, c->unit, unit_len);
    }
}

/* Money comes back as the core's own PS_UNIT_MONEY; any other unit points into
   the text, so the caller copies it. */
static void amount_parse_unit_storage(void **state)
{
    (void)state;
    int64_t raw;
    const char *unit, *why;
    size_t unit_len;
    const char *text = "63个";
    assert_int_equal(ps__amount_parse(text, &raw, &unit, &unit_len, &why), 0);
    assert_ptr_equal(unit, text + 2);
    assert_int_equal(ps__amount_parse("55亿", &raw, &unit, &unit_len, &why), 0);
    assert_string_equal(unit, PS_UNIT_MONEY);
    assert_int_equal(unit_len, strlen(PS_UNIT_MONEY));
}

static const struct bad_amount_case {
    const char *text;
    int rc;
    const char *why;
} bad_amount_cases[] = {
    { "", PS_EPARSE, "is not a number" },
    { "亿", PS_EPARSE, "is not a number" },
    { "x55", PS_EPARSE, "is not a number" },
    { "五十五亿", PS_EPARSE, "is not a number" },
    { "1,23亿", PS_EPARSE, "is not a number" },
    { "5..5亿", PS_EPARSE, "is not a number" },
    { "1.23456亿", PS_EPARSE, "has more than 4 decimal places" },
    { "99999999999亿", PS_ERANGE, "is out of range" },
    { "922337203685478万", PS_ERANGE, "is out of range" },
    { "922337203685478", PS_ERANGE, "is out of range" },
};

static void amount_parse_refusals(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_amount_cases / sizeof bad_amount_cases[0]; i++) {
        const struct bad_amount_case *c = &bad_amount_cases[i];
        int64_t raw = 0;
        const char *unit = NULL, *why = NULL;
        size_t unit_len = 0;
        print_message("case \"%s\"\n", c->text);
        assert_int_equal(ps__amount_parse(c->text, &raw, &unit, &unit_len, &why), c->rc);
        assert_non_null(why);
        assert_string_equal(why, c->why);
    }
}

/* ---- exactness over many rows -------------------------------------------- */

/*
 * Ten million rows of 0.01万元, each parsed and converted as the ledger
 * reader does, add up to exactly 100000万元: no drift, unlike binary floats.
 */
static void ten_million_cents_of_wan_are_exact(void **state)
{
    (void)state;
    static const char row[] = "0.01";
    int64_t sum = 0;
    for (long i = 0; i < 10000000; i++) {
        int64_t scaled, base;
        const char *why;
        if (ps__decimal_parse(row, sizeof row - 1, &scaled, &why) != 0 ||
            ps__to_base(scaled, "万元", 0, &base) != 0 || ps__add_checked(&sum, base) != 0)
            fail_msg("row %ld was refused", i);
    }
    int64_t expected_scaled, expected;
    const char *why;
    assert_int_equal(ps__decimal_parse("100000", 6, &expected_scaled, &why), 0);
    assert_int_equal(ps__to_base(expected_scaled, "万元", 0, &expected), 0);
    assert_true(sum == expected);
    assert_true(sum == 10000000000000); /* 1000000000元 */
}

/* A sum that would pass INT64_MAX is refused, and the sum so far kept. */
static void overflowing_sum_is_detected(void **state)
{
    (void)state;
    int64_t scaled, row, sum = 0;
    const char *why;
    assert_int_equal(ps__decimal_parse("5000000", 7, &scaled, &why), 0);
    assert_int_equal(ps__to_base(scaled, "亿元", 0, &row), 0); /* 500万亿元 */
    assert_true(row == 5000000000000000000);
    assert_int_equal(ps__add_checked(&sum, row), 0);
    assert_int_equal(ps__add_checked(&sum, row), PS_EOVERFLOW);
    assert_true(sum == 5000000000000000000);
    /* and negative rows bring it back */
    assert_int_equal(ps__add_checked(&sum, -row), 0);
    assert_true(sum == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimal_parse_table),
        cmocka_unit_test(decimal_parse_honours_length),
        cmocka_unit_test(fast_paths_read_as_the_general_parser),
        cmocka_unit_test(add_checked_adds),
        cmocka_unit_test(add_checked_refuses_overflow),
        cmocka_unit_test(mul_checked_multiplies),
        cmocka_unit_test(mul_checked_refuses_overflow),
        cmocka_unit_test(money_factor_table),
        cmocka_unit_test(to_base_converts_money_only),
        cmocka_unit_test(to_base_refuses_overflow),
        cmocka_unit_test(amount_parse_table),
        cmocka_unit_test(amount_parse_unit_storage),
        cmocka_unit_test(amount_parse_refusals),
        cmocka_unit_test(ten_million_cents_of_wan_are_exact),
        cmocka_unit_test(overflowing_sum_is_detected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
