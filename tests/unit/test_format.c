/* Unit tests of core/num/format.h (numbers as the office writes them) and
   core/report/template.h (sentence templates), on sections built by hand. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

#include "num/format.h"
#include "report/report.h"
#include "report/fields.h"
#include "report/template.h"
#include "testutil.h"

#define P TU_PERIOD
#define REPORT P(2023, 10)

static ps_value_t money(int64_t raw)
{
    return (ps_value_t){ raw, PS_UNIT_MONEY };
}

/* 万元 as raw 元 values: wan(26362) is 26362万元; fractions through wan4. */
static ps_value_t wan(int64_t n)
{
    return money(n * 10000 * PS_SCALE);
}

/* ---- ps__format_value --------------------------------------------------------- */

typedef struct value_case {
    int64_t raw;
    const char *unit;         /* NULL: PS_VALUE_NONE */
    const char *display_unit;
    const char *text;
} value_case_t;

/* Raw values are 元 * 10000 for money, unit * 10000 otherwise. */
static const value_case_t value_cases[] = {
    /* money: 亿元 from 1亿元, else 万元; at most two decimals, zeros dropped */
    { 22320000000000, "元", NULL, "22.32亿元" },
    { 55000000000000, "元", NULL, "55亿元" },
    { 2636200000000, "元", NULL, "2.64亿元" },                 /* 26362万元 */
    { 1404000000000, "元", NULL, "1.4亿元" },
    { 1270000000000, "元", NULL, "1.27亿元" },
    { 37710000 * 10000LL, "元", NULL, "3771万元" },
    { 3490000 * 10000LL, "元", NULL, "349万元" },
    { 1000000000000, "元", NULL, "1亿元" },
    { 999999000000, "元", NULL, "9999.99万元" },
    { 0, "元", NULL, "0万元" },
    /* rounding: half away from zero, once, at the shown digits */
    { 999999600000, "元", NULL, "1亿元" },       /* 9999.996万元 */
    { 999999400000, "元", NULL, "9999.99万元" }, /* 9999.994万元 */
    { 100500000, "元", NULL, "1.01万元" },       /* 1.005万元 */
    { 100490000, "元", NULL, "1万元" },          /* 1.0049万元 */
    { 22325000000000, "元", NULL, "22.33亿元" },
    { 22324999990000, "元", NULL, "22.32亿元" },
    { 1234, "元", NULL, "0万元" },
    /* negatives mirror the positives */
    { -22320000000000, "元", NULL, "-22.32亿元" },
    { -626200000000, "元", NULL, "-6262万元" },
    { -999999600000, "元", NULL, "-1亿元" },
    { -100500000, "元", NULL, "-1.01万元" },
    { -100490000, "元", NULL, "-1万元" },
    { -1234, "元", NULL, "0万元" },
    /* a display unit forces the money unit, as [indicator.tax] display_unit = 万元
       keeps the tax figures in 万元 */
    { 2636200000000, "元", "万元", "26362万元" },
    { 2013600000000, "元", "万元", "20136万元" },
    { 1404000000000, "元", "万元", "14040万元" },
    { 999999600000, "元", "万元", "10000万元" }, /* 9999.996万元 */
    { 2636200000000, "元", "亿元", "2.64亿元" },
    { 123456780, "元", "元", "12345.68元" },
    /* other units: two decimals at most, in the unit's own base */
    { 132000, "公里", NULL, "13.2公里" },
    { 149940000, "株", NULL, "14994株" },
    { 7178000, "平方米", NULL, "717.8平方米" },
    { 1250, "公里", NULL, "0.13公里" },
    { -1250, "公里", NULL, "-0.13公里" },
    { 49, "公里", NULL, "0公里" },
    /* … or in a display unit of ten thousand */
    { 2328000000, "平方米", "万平方米", "23.28万平方米" },
    { 300000000, "平方米", "万平方米", "3万平方米" },
    { 2328000000, "平方米", "万株", "232800平方米" }, /* another dimension: ignored */
    /* no value */
    { 0, NULL, NULL, "—" },
};

static void format_value_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof value_cases / sizeof value_cases[0]; i++) {
        const value_case_t *c = &value_cases[i];
        ps__buf_t b = PS_BUF_INIT;
        ps__buf_puts(&b, "["); /* appends, never replaces */
        ps__format_value(&b, (ps_value_t){ c->raw, c->unit }, c->display_unit);
        char want[128];
        snprintf(want, sizeof want, "[%s", c->text);
        print_message("case %lld %s\n", (long long)c->raw, c->unit ? c->unit : "(none)");
        assert_string_equal(ps__buf_str(&b), want);
        ps__buf_free(&b);
    }
}

/* Sums from ledgers in 万元 render as the report prints them. */
static void format_value_of_wan(void **state)
{
    (void)state;
    static const struct { int64_t n; const char *text; } cases[] = {
        { 26362, "2.64亿元" }, { 14040, "1.4亿元" }, { 20136, "2.01亿元" },
        { 6226, "6226万元" }, { 3771, "3771万元" }, { 9999, "9999万元" },
        { 10000, "1亿元" }, { 12700, "1.27亿元" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t b = PS_BUF_INIT;
        ps__format_value(&b, wan(cases[i].n), NULL);
        assert_string_equal(ps__buf_str(&b), cases[i].text);
        ps__buf_free(&b);
    }
}

/* ---- rates -------------------------------------------------------------------- */

static const struct rate_case {
    int64_t num, den;
    int decimals;
    const char *text;
} rate_cases[] = {
    { 2232, 5500, 2, "40.58%" },      /* 22.32亿 of 55亿 */
    { 22936, 26000, 1, "88.2%" },     /* 229.36亿 of 260亿 */
    { 26362, 30000, 2, "87.87%" },
    { 26362, 30000, 0, "88%" },
    { 1, 3, 4, "33.3333%" },
    { 2, 3, 2, "66.67%" },
    { 60, 55, 2, "109.09%" },
    { 0, 55, 2, "0.00%" },
    { 55, 55, 1, "100.0%" },
    /* half away from zero */
    { 1, 8, 0, "13%" },                /* 12.5 */
    { -1, 8, 0, "-13%" },
    { 1, -8, 0, "-13%" },
    { 1, 200, 0, "1%" },               /* 0.5 */
    { 1, 201, 0, "0%" },               /* 0.4975… */
    { 1, 16, 1, "6.3%" },              /* 6.25 */
    { -1, 16, 1, "-6.3%" },
    /* negatives */
    { -2232, 5500, 2, "-40.58%" },
    { -1, 400, 2, "-0.25%" },
    /* amounts at full scale do not overflow */
    { 22320000000000, 55000000000000, 2, "40.58%" },
};

static void format_rate_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rate_cases / sizeof rate_cases[0]; i++) {
        const struct rate_case *c = &rate_cases[i];
        ps__buf_t b = PS_BUF_INIT;
        print_message("case %lld/%lld, %d decimals\n", (long long)c->num, (long long)c->den,
                      c->decimals);
        assert_int_equal(ps__format_rate(&b, c->num, c->den, c->decimals), 0);
        assert_string_equal(ps__buf_str(&b), c->text);
        ps__buf_free(&b);
    }
}

static void rate_with_zero_denominator(void **state)
{
    (void)state;
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_puts(&b, "x");
    assert_int_equal(ps__format_rate(&b, 2232, 0, 2), -1);
    assert_string_equal(ps__buf_str(&b), "x"); /* nothing appended */
    int64_t out = 77;
    assert_int_equal(ps__rate_scaled(1, 0, 2, &out), -1);
    assert_true(out == 77);
    ps__buf_free(&b);
}

static void rate_scaled(void **state)
{
    (void)state;
    int64_t out;
    assert_int_equal(ps__rate_scaled(2232, 5500, 2, &out), 0);
    assert_true(out == 4058);
    assert_int_equal(ps__rate_scaled(22936, 26000, 1, &out), 0);
    assert_true(out == 882);
    assert_int_equal(ps__rate_scaled(1, 8, 0, &out), 0);
    assert_true(out == 13);
    assert_int_equal(ps__rate_scaled(-1, 8, 0, &out), 0);
    assert_true(out == -13);
    /* a rate too large for 64 bits is refused, never wrapped */
    assert_int_equal(ps__rate_scaled(INT64_MAX, 1, 2, &out), -1);
    assert_int_equal(ps__rate_scaled(INT64_MIN, 3, 4, &out), -1);
}

/* ---- exact values and months --------------------------------------------------- */

static void format_exact_table(void **state)
{
    (void)state;
    static const struct { int64_t raw; const char *text; } cases[] = {
        { 22320000000000, "2232000000" }, { 132000, "13.2" }, { -5000, "-0.5" },
        { 1, "0.0001" }, { 12345, "1.2345" }, { 10, "0.001" }, { 0, "0" },
        { -1, "-0.0001" }, { INT64_MAX, "922337203685477.5807" },
        { INT64_MIN, "-922337203685477.5808" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t b = PS_BUF_INIT;
        ps__format_exact(&b, cases[i].raw);
        assert_string_equal(ps__buf_str(&b), cases[i].text);
        ps__buf_free(&b);
    }
}

static void month_end_text(void **state)
{
    (void)state;
    static const struct { ps_period_t p; const char *text; } cases[] = {
        { P(2023, 9), "9月底" }, { P(2023, 10), "10月底" }, { P(2023, 1), "1月底" },
        { P(2022, 12), "2022年12月底" }, { P(2024, 1), "2024年1月底" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t b = PS_BUF_INIT;
        ps__format_month_end(&b, cases[i].p, REPORT);
        assert_string_equal(ps__buf_str(&b), cases[i].text);
        ps__buf_free(&b);
    }
}

/* ---- sections built by hand ----------------------------------------------------- */

/* Adds an indicator to the section the way the API's emit would store it. */
static ps__ind_t *add_ind(ps__section_t *s, const char *key, const char *label,
                          const char *parent, ps_relation_t relation, ps_value_t value,
                          ps_period_t asof)
{
    ps__ind_t ind = { .key = (char *)key, .label = (char *)label, .parent = (char *)parent,
                      .relation = relation, .value = value, .target = PS_VALUE_NONE,
                      .next_target = PS_VALUE_NONE, .asof = asof, .rate_decimals = 2 };
    assert_int_equal(ps__section_add_ind(s, &ind), 0);
    return &s->inds[s->n_inds - 1];
}

/* A report of three sections, as the sample's ledgers give them. */
static int setup(void **state)
{
    ps__report_t *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    r->period = REPORT;
    ps__section_t *s = ps__report_add_section(r, "investment", "investment", "固定资产投资");
    ps__ind_t *fai = add_ind(s, "fai", "固定资产投资", NULL, PS_REL_NONE,
                             money(22320000000000), REPORT);
    fai->target = money(55000000000000);
    fai->next_target = money(30000000000000);
    fai->year_ago = money(21030000000000);
    fai->has_growth_target = 1;
    fai->growth_target = 70;

    s = ps__report_add_section(r, "output", "output", "各业总产值");
    ps__ind_t *out = add_ind(s, "output", "各业总产值", NULL, PS_REL_NONE,
                             money(229360000000000), P(2023, 9));
    out->target = money(260000000000000);
    out->rate_decimals = 1;
    out->year_ago = money(240000000000000);
    out->has_growth_target = 1;
    out->growth_target = 75;
    add_ind(s, "old", "上年数", NULL, PS_REL_NONE, wan(100), P(2022, 12));

    s = ps__report_add_section(r, "tax", "tax", "税收");
    /* the tax figures, shown in 万元 as [indicator.tax] display_unit = 万元 asks */
    ps__ind_t *tax = add_ind(s, "tax", "税收", NULL, PS_REL_NONE, wan(26362), REPORT);
    tax->target = wan(30000);
    tax->next_target = wan(40000);
    ps__ind_t *national = add_ind(s, "国税", "国税", "tax", PS_REL_PART, wan(20136), REPORT);
    national->target = wan(25000);
    national->year_ago = wan(19000);
    s->inds[0].year_ago = wan(26362); /* tax, unchanged */
    add_ind(s, "地税", "地税", "tax", PS_REL_PART, wan(6226), REPORT);
    add_ind(s, "new", "新增企业", "tax", PS_REL_SUBSET, wan(3771), REPORT);
    for (size_t i = 0; i < s->n_inds; i++) /* pointers move as the array grows */
        s->inds[i].display_unit = strdup("万元");
    add_ind(s, "trees", "栽植各类苗木", "tax", PS_REL_DETAIL,
            (ps_value_t){ 149940000, "株" }, REPORT);
    ps__ind_t *green = add_ind(s, "green", "新增绿化面积", NULL, PS_REL_NONE,
                               (ps_value_t){ 2328000000, "平方米" }, REPORT);
    green->display_unit = strdup("万平方米");
    green->target = (ps_value_t){ 300000000, "平方米" };
    add_ind(s, "none", "暂无", NULL, PS_REL_NONE, PS_VALUE_NONE, REPORT);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    ps__report_t *r = *state;
    ps__report_free(r);
    free(r);
    return 0;
}

static const ps__section_t *section(void **state, size_t i)
{
    const ps__report_t *r = *state;
    assert_true(i < r->n_sections);
    return &r->sections[i];
}

static void report_model_lookups(void **state)
{
    const ps__section_t *tax = section(state, 2);
    const ps__ind_t *national = ps__section_find(tax, "国税");
    assert_non_null(national);
    assert_ptr_equal(ps__ind_parent(tax, national), ps__section_find(tax, "tax"));
    assert_null(ps__ind_parent(tax, ps__section_find(tax, "tax")));
    assert_null(ps__section_find(tax, "nothing"));
    assert_true(ps__ind_share_base(tax, national).raw == wan(26362).raw);
    assert_true(ps__ind_share_base(tax, ps__section_find(tax, "new")).raw == wan(26362).raw);
    /* a DETAIL is no share of its parent */
    assert_false(ps_value_present(ps__ind_share_base(tax, ps__section_find(tax, "trees"))));
    assert_false(ps_value_present(ps__ind_share_base(tax, ps__section_find(tax, "tax"))));
    assert_int_equal(ps__report_failures(*state), 0);
}

/* ---- ps__template_check --------------------------------------------------------- */

#define EXPECTED_FIELDS "(expected value, label, target, next_target, rate, share, " \
    "parts, asof, progress, gap, status, year_ago, change, growth_target, growth_gap " \
    "or share_change)"

static const struct check_case {
    const char *tmpl;
    const char *why; /* NULL: accepted */
} check_cases[] = {
    { "共完成税收{tax}，占年度目标任务{tax.target}的{tax.rate}", NULL },
    { "{tax.value}{tax.label}{tax.next_target}{tax.share}{tax.parts}{tax.asof}", NULL },
    { "{国税.share}", NULL },
    { "no placeholder at all", NULL },
    { "", NULL },
    { "共{nope}", "template \"共{nope}\" names {nope}, which is not an indicator of this section" },
    { "{fai}", "template \"{fai}\" names {fai}, which is not an indicator of this section" },
    { "{ta}", "template \"{ta}\" names {ta}, which is not an indicator of this section" },
    { "{tax.bogus}", "template \"{tax.bogus}\" has an unknown field 'bogus' in {tax.bogus} "
                     EXPECTED_FIELDS },
    { "{tax.rate.x}", "template \"{tax.rate.x}\" has an unknown field 'rate.x' in {tax.rate.x} "
                      EXPECTED_FIELDS },
    { "共{tax", "template \"共{tax\" has an unclosed '{'" },
    { "{tax}和{tax", "template \"{tax}和{tax\" has an unclosed '{'" },
    { "{{tax}", "template \"{{tax}\" has an unclosed '{'" },
};

static void template_check_table(void **state)
{
    const ps__section_t *tax = section(state, 2);
    for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
        const struct check_case *c = &check_cases[i];
        ps__buf_t why = PS_BUF_INIT;
        print_message("case \"%s\"\n", c->tmpl);
        assert_int_equal(ps__template_check(tax, c->tmpl, &why), c->why ? PS_EINVAL : 0);
        assert_string_equal(ps__buf_str(&why), c->why ? c->why : "");
        ps__buf_free(&why);
    }
}

/* ---- expansion -------------------------------------------------------------------- */

typedef struct expand_case {
    size_t section;
    const char *tmpl;
    const char *text;
} expand_case_t;

static const expand_case_t expand_cases[] = {
    { 0, "共完成固定资产投资{fai}，占年度目标任务{fai.target}的{fai.rate}",
      "共完成固定资产投资22.32亿元，占年度目标任务55亿元的40.58%" },
    { 0, "{fai.label}：{fai.value}，明年{fai.next_target}", "固定资产投资：22.32亿元，明年30亿元" },
    { 0, "截至{fai.asof}", "截至10月底" },
    /* time progress (序时进度): 10 months of 12, and the gap to completion */
    { 0, "序时进度{fai.progress}，{fai.status}", "序时进度83.33%，滞后序时进度42.75个百分点" },
    { 0, "相差{fai.gap}", "相差42.75个百分点" },
    { 1, "{output.progress}，{output.status}", "75.00%，超序时进度13.22个百分点" },
    { 1, "{old.status}", "—" },
    /* data that ends before the report period says so */
    { 1, "各业总产值{output}，完成{output.rate}",
      "各业总产值229.36亿元（至9月底），完成88.2%" },
    { 1, "{output.value}", "229.36亿元" },
    { 1, "截至{output.asof}", "截至9月底" },
    { 1, "{old}", "100万元（至2022年12月底）" },
    { 1, "no placeholder", "no placeholder" },
    /* parts, shares and subsets; display_unit 万元 shows the figures, while
       money targets keep the automatic 亿元/万元 */
    { 2, "完成税收{tax}（{tax.parts}），占全年任务{tax.target}的{tax.rate}",
      "完成税收26362万元（国税20136万元，地税6226万元），占全年任务3亿元的87.87%" },
    { 2, "实现税收{tax.next_target}", "实现税收4亿元" },
    { 2, "国税占{国税.share}，地税占{地税.share}", "国税占76.38%，地税占23.62%" },
    { 2, "新增企业{new}，占{new.share}", "新增企业3771万元，占14.30%" },
    { 2, "国税完成目标的{国税.rate}", "国税完成目标的80.54%" },
    { 2, "{tax.rate}", "87.87%" },
    /* no target, no parent, no parts, no value: a dash or nothing */
    { 2, "[{地税.rate}][{tax.share}][{trees.share}][{国税.parts}][{none}][{none.rate}]",
      "[—][—][—][][—][—]" },
    { 2, "{trees}", "14994株" },
    /* year-on-year (同比) in the office's words: never a negative growth */
    { 0, "同比{fai.change}，上年同期{fai.year_ago}", "同比增长6.1%，上年同期21.03亿元" },
    { 0, "目标增长{fai.growth_target}，{fai.growth_gap}", "目标增长7%，低于目标0.9个百分点" },
    { 1, "{output.change}，{output.growth_target}，{output.growth_gap}",
      "下降4.4%，7.5%，低于目标11.9个百分点" },
    { 2, "{tax.change}，{tax.growth_gap}", "持平，—" },
    { 2, "国税占比{国税.share_change}，地税{地税.change}{地税.share_change}",
      "国税占比提高4.31个百分点，地税——" },
    /* a display unit applies to the value and to the target */
    { 2, "新增绿化面积{green}，目标{green.target}，完成{green.rate}",
      "新增绿化面积23.28万平方米，目标3万平方米，完成776.00%" },
};

static void template_expand_table(void **state)
{
    const ps__report_t *r = *state;
    for (size_t i = 0; i < sizeof expand_cases / sizeof expand_cases[0]; i++) {
        const expand_case_t *c = &expand_cases[i];
        const ps__section_t *s = section(state, c->section);
        ps__buf_t check = PS_BUF_INIT, out = PS_BUF_INIT;
        print_message("case \"%s\"\n", c->tmpl);
        assert_int_equal(ps__template_check(s, c->tmpl, &check), 0);
        ps__template_expand(&out, r, s, c->tmpl, NULL);
        assert_string_equal(ps__buf_str(&out), c->text);
        ps__buf_free(&check);
        ps__buf_free(&out);
    }
}

/* The same figures a year on: the as-of note names the year. */
static void as_of_note_in_a_later_report(void **state)
{
    const ps__section_t *s = section(state, 1);
    ps__buf_t out = PS_BUF_INIT;
    ps__report_t later = { .period = P(2024, 1) };
    ps__template_expand(&out, &later, s, "{output}；{output.asof}", NULL);
    assert_string_equal(ps__buf_str(&out), "229.36亿元（至2023年9月底）；2023年9月底");
    ps__buf_free(&out);
}

static void template_field_one_at_a_time(void **state)
{
    const ps__section_t *s = section(state, 1);
    const ps__ind_t *output = ps__section_find(s, "output");
    static const struct { const char *field, *text; } cases[] = {
        { "", "229.36亿元（至9月底）" }, { "value", "229.36亿元" },
        { "label", "各业总产值" }, { "target", "260亿元" }, { "next_target", "—" },
        { "rate", "88.2%" }, { "share", "—" }, { "parts", "" }, { "asof", "9月底" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t out = PS_BUF_INIT;
        ps__template_field(&out, *state, s, output, cases[i].field);
        print_message("field \"%s\"\n", cases[i].field);
        assert_string_equal(ps__buf_str(&out), cases[i].text);
        ps__buf_free(&out);
    }
}

/* ---- ratios: rounded once, from the two sums ------------------------------------ */

static void ratio_arithmetic(void **state)
{
    (void)state;
    int64_t out;
    assert_int_equal(ps__ratio_scaled(1, 3, 100, 4, &out), 0);
    assert_int_equal(out, 333333);                    /* 33.3333 */
    assert_int_equal(ps__ratio_scaled(2, 3, 1, 2, &out), 0);
    assert_int_equal(out, 67);                        /* half away from zero */
    assert_int_equal(ps__ratio_scaled(-2, 3, 1, 2, &out), 0);
    assert_int_equal(out, -67);
    assert_int_equal(ps__ratio_scaled(1, 0, 100, 4, &out), -1);
    assert_int_equal(ps__ratio_scaled(INT64_MAX, 1, 100, 4, &out), -1);
    /* the sample's 隐患整改率: 524 of 550, a year before 465 of 495 */
    const int64_t now[2] = { 5240000, 5500000 }, before[2] = { 4650000, 4950000 };
    assert_int_equal(ps__ratio_change(now, before, 1, &out), 0);
    assert_int_equal(out, 14);                        /* 增长1.4% of the rate itself */
    assert_int_equal(ps__ratio_points(now, before, 100, 2, &out), 0);
    assert_int_equal(out, 133);                       /* 提高1.33个百分点 */
    const int64_t none[2] = { 0, 4950000 }, huge[2] = { INT64_MAX, 1 };
    assert_int_equal(ps__ratio_change(now, none, 1, &out), -1);
    assert_int_equal(ps__ratio_points(huge, now, INT64_MAX, 2, &out), -1);
}

/* 0.124951 is 0.1250 to four decimals, which would show as 0.13; shown
   from the sums, rounded once, it is 0.12. */
static void ratio_shown_rounded_once(void **state)
{
    (void)state;
    static const struct { int64_t num, den, scale; int decimals; const char *text; } cases[] = {
        { 124951, 1000000, 1, -1, "0.12" }, { 124951, 1000000, 1, 3, "0.125" },
        { 5240000, 5500000, 100, -1, "95.27" }, { 1, 3, 100, 4, "33.3333" },
        { 3, 2, 1, -1, "1.5" }, { 1, 0, 100, -1, "—" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t b = PS_BUF_INIT;
        ps__format_ratio(&b, cases[i].num, cases[i].den, cases[i].scale, cases[i].decimals);
        assert_string_equal(ps__buf_str(&b), cases[i].text);
        ps__buf_free(&b);
    }
}

/* A ratio indicator in the report model: shown from its sums, its change
   in points when it is a rate, a per cent change when it is an average. */
static void ratio_indicator_fields(void **state)
{
    ps__report_t *r = *state;
    ps__section_t *s = &r->sections[2];
    ps__ind_t *rate = add_ind(s, "rectification", "隐患整改率", NULL, PS_REL_NONE,
                              (ps_value_t){ 952727, "%" }, REPORT);
    rate->ratio[0] = 5240000, rate->ratio[1] = 5500000, rate->ratio_scale = 100;
    rate->year_ago = (ps_value_t){ 939394, "%" };
    rate->year_ago_ratio[0] = 4650000, rate->year_ago_ratio[1] = 4950000;
    ps__ind_t *wage = add_ind(s, "wage", "月平均工资", NULL, PS_REL_NONE,
                              money(61234567), REPORT);
    wage->ratio[0] = 3674074000000, wage->ratio[1] = 600000000, wage->ratio_scale = 1;
    wage->year_ago = money(58000000);
    wage->year_ago_ratio[0] = 3480000000000, wage->year_ago_ratio[1] = 600000000;
    static const struct { const char *tmpl, *text; } cases[] = {
        { "{rectification}，同比{rectification.change}，上年{rectification.year_ago}",
          "95.27%，同比提高1.33个百分点，上年93.94%" },
        { "{wage}，同比{wage.change}", "6123.46元，同比增长5.6%" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t out = PS_BUF_INIT;
        ps__template_expand(&out, r, s, cases[i].tmpl, NULL);
        assert_string_equal(ps__buf_str(&out), cases[i].text);
        ps__buf_free(&out);
    }
    int64_t tenths;
    assert_int_equal(ps__ind_change(&s->inds[s->n_inds - 2], &tenths), -1); /* a rate */
}

/* A table states a target in its figure's unit, where a sentence keeps
   the automatic 亿元/万元 rule; next year's plan keeps it everywhere. */
static void table_target_in_the_figure_unit(void **state)
{
    ps__report_t *r = *state;
    ps__ind_t *tax = &r->sections[2].inds[0];
    ps__ind_t *fai = &r->sections[0].inds[0];
    ps__ind_t *green = (ps__ind_t *)ps__section_find(&r->sections[2], "green");
    fai->value = wan(9800); /* automatic: 万元 below 1亿元 */
    static const struct { int which; const char *table, *sentence; } cases[] = {
        { 0, "30000万元", "3亿元" },    /* display_unit 万元 */
        { 1, "550000万元", "55亿元" },  /* automatic, the figure in 万元 */
        { 2, "3万平方米", "3万平方米" }, /* not money: its display unit alike */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const ps__ind_t *ind = cases[i].which == 0 ? tax : cases[i].which == 1 ? fai : green;
        ps__buf_t table = PS_BUF_INIT, sentence = PS_BUF_INIT;
        ps__field_table_target(&table, ind);
        ps__template_field(&sentence, r, &r->sections[0], ind, "target");
        assert_string_equal(ps__buf_str(&table), cases[i].table);
        assert_string_equal(ps__buf_str(&sentence), cases[i].sentence);
        ps__buf_free(&table);
        ps__buf_free(&sentence);
    }
    fai->value = PS_VALUE_NONE; /* no figure: the target as a sentence says it */
    ps__buf_t alone = PS_BUF_INIT;
    ps__field_table_target(&alone, fai);
    assert_string_equal(ps__buf_str(&alone), "55亿元");
    ps__buf_free(&alone);
}

/* A failed compute leaves a section that says why and holds nothing. */
static void failed_section_is_counted(void **state)
{
    ps__report_t *r = *state;
    ps__section_t *s = &r->sections[1];
    ps__section_clear(s);
    s->error = strdup("plugin output: the ledgers hold no data for indicator 'output'");
    assert_int_equal(s->n_inds, 0);
    assert_int_equal(s->n_sentences, 0);
    assert_string_equal(s->name, "output");
    assert_int_equal(ps__report_failures(r), 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_value_table),
        cmocka_unit_test(format_value_of_wan),
        cmocka_unit_test(format_rate_table),
        cmocka_unit_test(rate_with_zero_denominator),
        cmocka_unit_test(rate_scaled),
        cmocka_unit_test(format_exact_table),
        cmocka_unit_test(month_end_text),
        cmocka_unit_test(ratio_arithmetic),
        cmocka_unit_test(ratio_shown_rounded_once),
        T(report_model_lookups),
        T(template_check_table),
        T(template_expand_table),
        T(as_of_note_in_a_later_report),
        T(template_field_one_at_a_time),
        T(table_target_in_the_figure_unit),
        T(ratio_indicator_fields),
        T(failed_section_is_counted),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
