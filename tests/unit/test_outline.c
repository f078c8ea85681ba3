/* Unit tests of core/config/wording.h and core/report/outline.h: the report's own
   templates and section order, the wording and order they give a report,
   and the lines of the main-indicator appendix. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

#include "base/diag.h"
#include "config/conf.h"
#include "config/wording.h"
#include "report/outline.h"
#include "report/report.h"
#include "testutil.h"

#define P TU_PERIOD
#define YI(n) ((int64_t)(n) * 100000000 * PS_SCALE) /* n 亿元 as a raw value */

/* The plugin sections every test's INI has, in this order. */
#define PLUGINS_INI                                                           \
    "[plugin.investment]\nmodule = investment\n[plugin.tax]\nmodule = tax\n"  \
    "[plugin.output]\nmodule = output\n[plugin.land]\nmodule = land\n"

#define FIELDS "figure, value, label, target, next_target, rate, share, parts, asof, " \
               "progress, gap, status, year_ago, change, growth_target, growth_gap or "  \
               "share_change"

typedef struct fixture {
    tu_conf_t conf;  /* first: tu_fixture_new() sets it up. Its diag is what
                        ps__config_load said: not under test here */
    ps__diag_t diag; /* what ps__wording_check said */
    ps__report_t report;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = tu_fixture_new(sizeof *f);
    if (!f)
        return -1;
    f->report.zone = strdup("测试区");
    f->report.period = P(2023, 10);
    *state = f;
    return f->report.zone ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    ps__report_free(&f->report);
    ps__diag_free(&f->diag);
    tu_fixture_free(f);
    return 0;
}

/* Loads [parkstat] `core` and the plugins. Whether ps__config_load checks
   the outline itself is its own affair: the check is called here, alone,
   and returns how many problems it found. */
static int load_and_check(fixture_t *f, const char *core)
{
    ps__buf_t text = PS_BUF_INIT;
    ps__buf_printf(&text, "[parkstat]\n%s%s", core, PLUGINS_INI);
    ps__diag_free(&f->diag);
    tu_conf_load(&f->conf, ps__buf_str(&text));
    ps__buf_free(&text);
    /* the configuration itself was read: its sections and keys are there */
    assert_non_null(f->conf.cfg.ini);
    assert_int_equal(f->conf.cfg.n_instances, 4);
    int problems = ps__wording_check(&f->conf.cfg, &f->diag);
    tu_print_diag(&f->diag);
    return problems;
}

/* ---- ps__wording_check ------------------------------------------------------- */

static void defaults_and_good_templates_pass(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_and_check(f, ""), 0);
    assert_int_equal(f->diag.count, 0);
    assert_int_equal(load_and_check(f, "order = land, tax\n"
                                       "template.title = {zone}{year}年{month}月，"
                                       "{next_year}年\n"
                                       "template.opening = {year}年{month}月底，\n"
                                       "template.progress = {label}{figure}，{value}/{target}"
                                       "/{rate}/{gap}\n"
                                       "template.figure = {label}{value}（{asof}）\n"
                                       "template.change = 同比{change}，去年{year_ago}\n"
                                       "template.growth = {change}{growth_gap}{growth_target}"
                                       "\n"),
                     0);
    assert_int_equal(f->diag.count, 0);
}

static const struct check_case {
    const char *what;
    const char *core;
    const char *messages[3]; /* after "<path>: [parkstat] "; NULL ends */
} check_cases[] = {
    { "order: a typo, with a suggestion", "order = tax, investmnt\n",
      { "order names 'investmnt', which is no [plugin.NAME] section "
        "(did you mean 'investment'?)" } },
    { "order: a name like none", "order = zzzzzzzz, tax\n",
      { "order names 'zzzzzzzz', which is no [plugin.NAME] section" } },
    { "title", "template.title = {zone}{yaer}年\n",
      { "template.title: unknown placeholder {yaer} (expected zone, year, month or "
        "next_year)" } },
    { "opening: a line field is no report name", "template.opening = 截止{month}月底，{label}\n",
      { "template.opening: unknown placeholder {label} (expected zone, year, month or "
        "next_year)" } },
    { "progress line", "template.progress = {label}{figure}{rat}\n",
      { "template.progress: unknown placeholder {rat} (expected " FIELDS ")" } },
    { "figure line: an empty placeholder", "template.figure = {label}{}\n",
      { "template.figure: unknown placeholder {} (expected " FIELDS ")" } },
    { "change line: a report name is no line field", "template.change = 同比{zone}\n",
      { "template.change: unknown placeholder {zone} (expected " FIELDS ")" } },
    { "growth line", "template.growth = {change}{growth}\n",
      { "template.growth: unknown placeholder {growth} (expected " FIELDS ")" } },
    { "every problem is said, in order",
      "order = taxes\ntemplate.title = {zone}{yr}{mon}\n",
      { "order names 'taxes', which is no [plugin.NAME] section (did you mean 'tax'?)",
        "template.title: unknown placeholder {yr} (expected zone, year, month or "
        "next_year)",
        "template.title: unknown placeholder {mon} (expected zone, year, month or "
        "next_year)" } },
};

static void check_table(void **state)
{
    fixture_t *f = *state;
    for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
        const struct check_case *c = &check_cases[i];
        print_message("case: %s\n", c->what);
        int problems = load_and_check(f, c->core);
        size_t n = 0;
        while (n < 3 && c->messages[n])
            n++;
        assert_int_equal(problems, n);
        assert_int_equal(f->diag.count, n);
        for (size_t k = 0; k < n; k++) {
            char rest[1024];
            snprintf(rest, sizeof rest, "[parkstat] %s", c->messages[k]);
            assert_string_equal(f->diag.messages[k], tu_conf_at(&f->conf, rest));
        }
    }
}

/* ---- ps__outline_apply: wording ------------------------------------------------------ */

static void default_wording(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_and_check(f, ""), 0);
    assert_int_equal(ps__outline_apply(&f->conf.cfg, &f->report), 0);
    assert_string_equal(f->report.title, "测试区2023年1-10月主要经济指标完成情况");
    assert_string_equal(f->report.opening, "截止10月底，");
    /* the appendix lines are kept as templates, expanded line by line */
    assert_string_equal(f->report.line_progress, ps__settings_text(&f->conf.cfg.core,
                                                                   "template.progress"));
    assert_string_equal(f->report.line_figure, "{label}{figure}");
    assert_string_equal(f->report.line_change, "同比{change}");
    assert_string_equal(f->report.line_growth, ps__settings_text(&f->conf.cfg.core,
                                                                 "template.growth"));
}

static void every_report_name_expanded(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_and_check(f, "template.title = {zone}：{year}年{month}月，"
                                       "{next_year}年展望{month}\n"
                                       "template.opening = 至{year}年{month}月，\n"),
                     0);
    f->report.period = P(2024, 1);
    assert_int_equal(ps__outline_apply(&f->conf.cfg, &f->report), 0);
    assert_string_equal(f->report.title, "测试区：2024年1月，2025年展望1");
    assert_string_equal(f->report.opening, "至2024年1月，");
}

static void no_zone_is_empty(void **state)
{
    fixture_t *f = *state;
    free(f->report.zone);
    f->report.zone = NULL;
    assert_int_equal(load_and_check(f, "template.title = [{zone}]{year}\n"), 0);
    assert_int_equal(ps__outline_apply(&f->conf.cfg, &f->report), 0);
    assert_string_equal(f->report.title, "[]2023");
}

/* ---- ps__outline_apply: order ---------------------------------------------------------- */

/* Adds sections named by `names` (comma-separated), in that order. */
static void add_sections(ps__report_t *r, const char *names)
{
    char *copy = strdup(names), *save = NULL;
    for (char *n = strtok_r(copy, ",", &save); n; n = strtok_r(NULL, ",", &save))
        assert_non_null(ps__report_add_section(r, n, n, n));
    free(copy);
}

static void assert_order(const ps__report_t *r, const char *names)
{
    ps__buf_t got = PS_BUF_INIT;
    for (size_t i = 0; i < r->n_sections; i++)
        ps__buf_printf(&got, "%s%s", i ? "," : "", r->sections[i].name);
    assert_string_equal(ps__buf_str(&got), names);
    ps__buf_free(&got);
}

static void order_table(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *core, *before, *after;
    } cases[] = {
        /* without order: the INI's order, then sections of no instance */
        { "", "derived,land,output,tax,investment", "investment,tax,output,land,derived" },
        /* those listed first, in the list's order, then the rest in the INI's */
        { "order = tax, investment\n", "derived,land,output,tax,investment",
          "tax,investment,output,land,derived" },
        { "order = land\n", "investment,tax,output,land", "land,investment,tax,output" },
        /* a name of no instance holds no place */
        { "order = ghost, output\n", "investment,tax,output,land",
          "output,investment,tax,land" },
        /* sections of no instance keep their own order */
        { "", "extra,derived,tax", "tax,extra,derived" },
        { "", "derived,extra,tax", "tax,derived,extra" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case %zu: %s -> %s\n", i, cases[i].before, cases[i].after);
        load_and_check(f, cases[i].core);
        ps__report_free(&f->report);
        f->report = (ps__report_t){ .period = P(2023, 10) };
        add_sections(&f->report, cases[i].before);
        assert_int_equal(ps__outline_apply(&f->conf.cfg, &f->report), 0);
        assert_order(&f->report, cases[i].after);
    }
}

/* ---- ps__outline_line ---------------------------------------------------------------------- */

/* Fixed-asset investment of 24亿元 at the end of October. */
static ps__ind_t investment(void)
{
    return (ps__ind_t){ .key = (char *)"fai", .label = (char *)"固定资产投资",
                        .value = { YI(24), PS_UNIT_MONEY }, .target = PS_VALUE_NONE,
                        .next_target = PS_VALUE_NONE, .year_ago = PS_VALUE_NONE,
                        .asof = P(2023, 10), .rate_decimals = 2 };
}

enum { TARGET = 1, YEAR_AGO = 2, GROWTH = 4, EARLY = 8, NO_VALUE = 16, ZERO_YEAR_AGO = 32,
       WAN = 64 };

static void line_table(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *what;
        int shape;
        const char *line;
    } cases[] = {
        { "a target: progress line", TARGET,
          "固定资产投资24亿元，完成年度目标30亿元的80.00%，滞后序时进度3.33个百分点"
          "（序时进度83.33%）" },
        { "a target and last year's", TARGET | YEAR_AGO,
          "固定资产投资24亿元，完成年度目标30亿元的80.00%，滞后序时进度3.33个百分点"
          "（序时进度83.33%），同比增长20.0%" },
        { "last year's only: the figure, then the change", YEAR_AGO,
          "固定资产投资24亿元，同比增长20.0%" },
        { "a growth target: the growth line", YEAR_AGO | GROWTH,
          "固定资产投资24亿元，同比增长20.0%，高于目标12.0个百分点（目标增长8%）" },
        { "data ending early: the as-of note, progress of its own month", TARGET | EARLY,
          "固定资产投资24亿元（至9月底），完成年度目标30亿元的80.00%，超序时进度5.00个百分点"
          "（序时进度75.00%）" },
        { "neither target nor last year's: the figure alone", 0, "固定资产投资24亿元" },
        { "a growth target alone is not enough", GROWTH, "固定资产投资24亿元" },
        { "no value: says so", NO_VALUE | TARGET | YEAR_AGO, "固定资产投资无数据" },
        { "last year's zero is no base", ZERO_YEAR_AGO, "固定资产投资24亿元" },
        { "a target in the figure's unit", TARGET | WAN,
          "固定资产投资240000万元，完成年度目标300000万元的80.00%，滞后序时进度3.33个百分点"
          "（序时进度83.33%）" },
    };
    assert_int_equal(load_and_check(f, ""), 0);
    assert_int_equal(ps__outline_apply(&f->conf.cfg, &f->report), 0);
    ps__section_t *s = ps__report_add_section(&f->report, "investment", "investment", "投资");
    assert_non_null(s);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case: %s\n", cases[i].what);
        ps__ind_t ind = investment();
        int shape = cases[i].shape;
        if (shape & TARGET)
            ind.target = (ps_value_t){ YI(30), PS_UNIT_MONEY };
        if (shape & YEAR_AGO)
            ind.year_ago = (ps_value_t){ YI(20), PS_UNIT_MONEY };
        if (shape & ZERO_YEAR_AGO)
            ind.year_ago = (ps_value_t){ 0, PS_UNIT_MONEY };
        if (shape & GROWTH) {
            ind.has_growth_target = 1;
            ind.growth_target = 80;
        }
        if (shape & EARLY)
            ind.asof = P(2023, 9);
        if (shape & NO_VALUE)
            ind.value = PS_VALUE_NONE;
        if (shape & WAN)
            ind.display_unit = (char *)"万元";
        ps__buf_t out = PS_BUF_INIT;
        ps__buf_puts(&out, "【");
        ps__outline_line(&out, &f->report, s, &ind);
        char want[512];
        snprintf(want, sizeof want, "【%s", cases[i].line);
        assert_string_equal(ps__buf_str(&out), want);
        ps__buf_free(&out);
    }
}

/* One indicator in two units is one line: 供应土地 31宗 with its 1122亩,
   and only its own quantities, never the next indicator's. */
static void line_with_quantities(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_and_check(f, ""), 0);
    assert_int_equal(ps__outline_apply(&f->conf.cfg, &f->report), 0);
    ps__section_t *s = ps__report_add_section(&f->report, "land", "land", "土地管理");
    static const struct { const char *key, *parent, *unit; int64_t n; } rows[] = {
        { "supplied", NULL, "宗", 31 }, { "supplied_area", "supplied", "亩", 1122 },
        { "supplied_ha", "supplied", "公顷", 75 }, { "idle", NULL, "宗", 17 },
        { "idle_area", "idle", "亩", 1950 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ps__ind_t ind = { .key = (char *)rows[i].key, .label = (char *)"供应土地",
                          .parent = (char *)rows[i].parent,
                          .relation = rows[i].parent ? PS_REL_QUANTITY : PS_REL_NONE,
                          .value = { rows[i].n * PS_SCALE, rows[i].unit },
                          .target = PS_VALUE_NONE, .next_target = PS_VALUE_NONE,
                          .year_ago = PS_VALUE_NONE, .asof = P(2023, 10) };
        assert_int_equal(ps__section_add_ind(s, &ind), 0);
    }
    static const struct { size_t at; const char *line; } cases[] = {
        { 0, "供应土地31宗，1122亩，75公顷" }, { 3, "供应土地17宗，1950亩" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t out = PS_BUF_INIT;
        ps__outline_line(&out, &f->report, s, &s->inds[cases[i].at]);
        assert_string_equal(ps__buf_str(&out), cases[i].line);
        ps__buf_free(&out);
    }
}

/* The lines are the INI's templates. */
static void line_from_configured_templates(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_and_check(f, "template.progress = {label}完成{rate}\n"
                                       "template.change = 比上年{change}\n"),
                     0);
    assert_int_equal(ps__outline_apply(&f->conf.cfg, &f->report), 0);
    ps__section_t *s = ps__report_add_section(&f->report, "investment", "investment", "投资");
    ps__ind_t ind = investment();
    ind.target = (ps_value_t){ YI(30), PS_UNIT_MONEY };
    ind.year_ago = (ps_value_t){ YI(25), PS_UNIT_MONEY };
    ps__buf_t out = PS_BUF_INIT;
    ps__outline_line(&out, &f->report, s, &ind);
    assert_string_equal(ps__buf_str(&out), "固定资产投资完成80.00%，比上年下降4.0%");
    ps__buf_free(&out);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(defaults_and_good_templates_pass),
        T(check_table),
        T(default_wording),
        T(every_report_name_expanded),
        T(no_zone_is_empty),
        T(order_table),
        T(line_table),
        T(line_with_quantities),
        T(line_from_configured_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
