/* Unit tests of core/syntax/expr.h: derived indicators' expressions. */
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

#include "syntax/expr.h"

/* References resolve from a small table of raw values (value * 10^4). */
static const struct { const char *ref; int64_t raw; } values[] = {
    { "output.output", 229360000000000 },    /* 229.36亿元 in 元 */
    { "output.new_energy", 205870000000000 },
    { "tax.tax", 2636200000000 },
    { "x.zero", 0 },
    { "x.third", 3333 },
    { "x.big", INT64_MAX },
};

static int lookup(void *arg, const char *ref, int64_t *raw, ps__buf_t *why)
{
    (void)arg;
    if (strcmp(ref, "x.missing") == 0)
        return PS__EXPR_MISSING; /* a figure of a failed section */
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        if (strcmp(values[i].ref, ref) == 0) {
            *raw = values[i].raw;
            return 0;
        }
    ps__buf_printf(why, "no %s", ref);
    return PS_ENOENT;
}

static const struct eval_case {
    const char *text;
    int rc;
    int64_t raw;     /* when rc == 0 */
    const char *why; /* otherwise */
} eval_cases[] = {
    { "1 + 2 * 3", 0, 70000, NULL },
    { "(1 + 2) * 3", 0, 90000, NULL },
    { "10 - 4 - 3", 0, 30000, NULL },            /* left associative */
    { "12 / 4 / 3", 0, 10000, NULL },
    { "-2 * -3", 0, 60000, NULL },
    { "0.0001 * 0.5", 0, 1, NULL },              /* 0.00005 rounds half away from zero */
    { "-0.0001 * 0.5", 0, -1, NULL },
    { "2 / 3", 0, 6667, NULL },
    /* the new-energy share: exact until the one rounding at the end */
    { "output.new_energy / output.output * 100", 0, 897585, NULL },
    { "tax.tax / (output.output / 100000000)", 0, 11493721660, NULL },
    /* thirds stay exact through the arithmetic: 3 * (1/3) is 1 */
    { "3 * (1 / 3)", 0, 10000, NULL },
    { "x.third * 3", 0, 9999, NULL },
    { "output.output / x.zero", PS_ERANGE, 0, "division by zero" },
    { "1 / (tax.tax - tax.tax)", PS_ERANGE, 0, "division by zero" },
    { "x.big * x.big", PS_EOVERFLOW, 0, "the result overflows" },
    { "x.big + x.big", PS_EOVERFLOW, 0, "the result overflows" },
    { "tax.nope + 1", PS_ENOENT, 0, "no tax.nope" },
    /* a missing operand makes the result missing, never a zero divisor */
    { "output.output / x.missing", PS__EXPR_MISSING, 0, "" },
    { "-x.missing * 2", PS__EXPR_MISSING, 0, "" },
    { "(x.missing - 1) / x.zero", PS__EXPR_MISSING, 0, "" },
    /* ... and a mistake beside it is still found */
    { "x.missing + tax.nope", PS_ENOENT, 0, "no tax.nope" },
    { "tax.nope / x.missing", PS_ENOENT, 0, "no tax.nope" },
};

static void evaluates_exactly(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof eval_cases / sizeof eval_cases[0]; i++) {
        const struct eval_case *c = &eval_cases[i];
        ps__expr_t *e = NULL;
        ps__buf_t why = PS_BUF_INIT;
        print_message("case: %s\n", c->text);
        assert_int_equal(ps__expr_parse(c->text, &e, &why), 0);
        int64_t raw = 0;
        assert_int_equal(ps__expr_eval(e, lookup, NULL, &raw, &why), c->rc);
        if (c->rc == 0)
            assert_int_equal(raw, c->raw);
        else
            assert_string_equal(ps__buf_str(&why), c->why);
        ps__expr_free(e);
        ps__buf_free(&why);
    }
}

static const struct parse_case {
    const char *text;
    const char *why;
} parse_errors[] = {
    { "1 + * 2", "expected a number, a reference or '(' at column 5 of '1 + * 2'" },
    { "(1 + 2", "expected ')' at column 7 of '(1 + 2'" },
    { "1 2", "expected an operator (+ - * /) or the end at column 3 of '1 2'" },
    { "output", "expected a reference SECTION.KEY at column 1 of 'output'" },
    { "output.", "expected a reference SECTION.KEY at column 1 of 'output.'" },
    { "1.23456", "expected a number of at most 4 decimals at column 1 of '1.23456'" },
    { "", "expected a number, a reference or '(' at column 1 of ''" },
    { "2 % 3", "expected an operator (+ - * /) or the end at column 3 of '2 % 3'" },
};

static void syntax_errors_say_where(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_errors / sizeof parse_errors[0]; i++) {
        ps__expr_t *e = NULL;
        ps__buf_t why = PS_BUF_INIT;
        print_message("case: '%s'\n", parse_errors[i].text);
        assert_int_equal(ps__expr_parse(parse_errors[i].text, &e, &why), PS_EPARSE);
        assert_null(e);
        assert_string_equal(ps__buf_str(&why), parse_errors[i].why);
        ps__buf_free(&why);
    }
}

static void deep_nesting_refused(void **state)
{
    (void)state;
    char text[400];
    memset(text, '(', 200);
    strcpy(text + 200, "1");
    memset(text + 201, ')', 198);
    text[399] = '\0';
    ps__expr_t *e = NULL;
    ps__buf_t why = PS_BUF_INIT;
    assert_int_equal(ps__expr_parse(text, &e, &why), PS_EPARSE);
    assert_non_null(strstr(ps__buf_str(&why), "expected fewer nested parentheses"));
    ps__buf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(evaluates_exactly),
        cmocka_unit_test(syntax_errors_say_where),
        cmocka_unit_test(deep_nesting_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
