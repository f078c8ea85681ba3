/* Unit tests of core/report/audit.h: the [audit.NAME] rules (balance,
   cumulative, late, outlier), the explanations file and fail_on, on a
   configuration read from a temporary INI, a report built by hand and a
   cube filled row by row. */
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
#include "cube/cube.h"
#include "report/audit.h"
#include "report/report.h"
#include "testutil.h"

#define P TU_PERIOD
#define WAN(n) ((int64_t)(n) * 10000 * PS_SCALE) /* n 万元 as a raw value */
#define REPORT_PERIOD P(2023, 5)

/* What every test's INI starts with: one plugin (the INI needs one), a
   cumulative source whose data is due in the report month, a flow source
   that may lag a month, and the label of their indicator. Sources come
   first: a ledger rule names a source above it. */
#define BASE_INI                                                              \
    "[plugin.tax]\nmodule = tax\n"                                            \
    "[source.output]\npath = output.csv\ntype = cumulative\n"                 \
    "[source.delivery]\npath = delivery.csv\nlag = 1\n"                       \
    "[indicator.output]\nlabel = 工业总产值\nunit = 万元\n"
enum { SRC_OUTPUT, SRC_DELIVERY };

typedef struct fixture {
    tu_conf_t conf; /* first: tu_fixture_new() sets it up */
    ps__report_t report;
    ps__cube_t *cube;
} fixture_t;

static void add_ind(ps__section_t *s, const char *key, const char *parent, int64_t raw)
{
    ps__ind_t ind = { .key = (char *)key, .label = (char *)key, .parent = (char *)parent,
                      .relation = parent ? PS_REL_PART : PS_REL_NONE,
                      .value = { raw, PS_UNIT_MONEY }, .target = PS_VALUE_NONE,
                      .next_target = PS_VALUE_NONE, .year_ago = PS_VALUE_NONE,
                      .asof = REPORT_PERIOD, .display_unit = "万元", .rate_decimals = 2 };
    assert_int_equal(ps__section_add_ind(s, &ind), 0);
}

/* Tax of 26362万元 whose two parts add up to 26136万元 (226万元 short), shown
   in 万元 as [indicator.tax] would ask, a failed section, and an empty cube. */
static int setup(void **state)
{
    fixture_t *f = tu_fixture_new(sizeof *f);
    if (!f)
        return -1;
    f->report.period = REPORT_PERIOD;
    ps__section_t *s = ps__report_add_section(&f->report, "tax", "tax", "税收");
    assert_non_null(s);
    add_ind(s, "tax", NULL, WAN(26362));
    add_ind(s, "国税", "tax", WAN(20136));
    add_ind(s, "地税", "tax", WAN(6000));
    s = ps__report_add_section(&f->report, "land", "land", "土地");
    assert_non_null(s);
    s->error = strdup("no data");
    f->cube = ps__cube_new();
    *state = f;
    return f->cube ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    ps__cube_free(f->cube);
    ps__report_free(&f->report);
    tu_fixture_free(f);
    return 0;
}

/* Loads BASE_INI followed by `rules` and returns ps__config_load's rc, for
   an INI that must be refused: the diagnostics stay. */
static int load_refused(fixture_t *f, const char *rules)
{
    ps__buf_t text = PS_BUF_INIT;
    ps__buf_printf(&text, "%s%s", BASE_INI, rules);
    int rc = tu_conf_load(&f->conf, ps__buf_str(&text));
    ps__buf_free(&text);
    tu_print_diag(&f->conf.diag);
    return rc;
}

/* As load_refused(), for `rules` that must read without a problem. */
static void load(fixture_t *f, const char *rules)
{
    assert_int_equal(load_refused(f, rules), 0);
    assert_int_equal(f->conf.diag.count, 0);
}

static int run(fixture_t *f)
{
    assert_int_equal(ps__cube_seal(f->cube, NULL, NULL), 0);
    int rc = ps__audit_run(&f->conf.cfg, f->cube, &f->report, &f->conf.diag);
    tu_print_diag(&f->conf.diag);
    for (size_t i = 0; i < f->report.n_findings; i++)
        print_message("finding[%zu]: %s\n", i, f->report.findings[i].text);
    return rc;
}

static void assert_finding(const ps__finding_t *x, const char *rule,
                           enum ps__severity severity, const char *text,
                           const char *indicator, const char *entity, ps_period_t period)
{
    assert_string_equal(x->rule, rule);
    assert_int_equal(x->severity, severity);
    assert_string_equal(x->text, text);
    if (indicator)
        assert_string_equal(x->indicator, indicator);
    else
        assert_null(x->indicator);
    if (entity)
        assert_string_equal(x->entity, entity);
    else
        assert_null(x->entity);
    assert_int_equal(x->period, period);
    assert_null(x->explanation);
}

/* ---- balance ---------------------------------------------------------------- */

static void balance_that_holds_finds_nothing(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.parts]\nrule = balance\nleft = tax.tax\n"
            "right = tax.国税 + tax.地税 + 2260000\n");
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_findings, 0);
    assert_int_equal(f->report.n_rules, 1);
    assert_int_equal(f->conf.diag.count, 0);
}

static void balance_off_is_an_error_with_the_figures(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.parts]\nrule = balance\nlabel = 税收构成\nleft = tax.tax\n"
            "right = tax.国税 + tax.地税\n");
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_findings, 1);
    assert_finding(&f->report.findings[0], "parts", PS_SEVERITY_ERROR,
                   "税收构成不平衡：tax.tax为26362万元，tax.国税 + tax.地税为26136万元，"
                   "相差226万元",
                   NULL, NULL, REPORT_PERIOD);
}

/* The difference is the same whichever side is larger; unlabelled rules
   are named by their section's name, and severity = warning is kept. */
static void balance_unlabelled_warning_either_way_round(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.parts]\nrule = balance\nseverity = warning\n"
            "left = tax.国税 + tax.地税\nright = tax.tax\n");
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_findings, 1);
    assert_finding(&f->report.findings[0], "parts", PS_SEVERITY_WARNING,
                   "parts不平衡：tax.国税 + tax.地税为26136万元，tax.tax为26362万元，"
                   "相差226万元",
                   NULL, NULL, REPORT_PERIOD);
}

/* A difference equal to the tolerance passes; one 元 more does not. */
static void balance_tolerance_is_inclusive(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.within]\nrule = balance\nleft = tax.tax\nright = tax.国税 + tax.地税\n"
            "tolerance = 226万\n"
            "[audit.beyond]\nrule = balance\nleft = tax.tax\nright = tax.国税 + tax.地税\n"
            "tolerance = 2259999元\n");
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_rules, 2);
    assert_int_equal(f->report.n_findings, 1);
    assert_string_equal(f->report.findings[0].rule, "beyond");
}

/* A figure its (computed) section does not have this month cannot be
   checked: a warning that says which, whatever the rule's severity. */
static void balance_with_an_absent_figure_is_a_warning(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.parts]\nrule = balance\nlabel = 税收构成\nleft = tax.tax\n"
            "right = tax.国税 + tax.地税 + tax.海关\n");
    assert_int_equal(run(f), 0);
    assert_int_equal(f->conf.diag.count, 0);
    assert_int_equal(f->report.n_findings, 1);
    assert_finding(&f->report.findings[0], "parts", PS_SEVERITY_WARNING,
                   "税收构成无法核对：tax.海关本期没有数据", NULL, NULL, REPORT_PERIOD);
}

/* A failed section is reported as such already: no finding, no error. */
static void balance_over_a_failed_section_is_silent(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.land]\nrule = balance\nleft = land.area\nright = tax.tax\n");
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_findings, 0);
    assert_int_equal(f->conf.diag.count, 0);
    assert_int_equal(f->report.n_rules, 1);
}

/* A failed section used as a divisor is skipped silently like any other
   figure of a failed section: never a "division by zero". */
static void balance_dividing_by_a_failed_section_is_silent(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.land]\nrule = balance\nleft = tax.tax / land.area\nright = tax.tax\n");
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_findings, 0);
    assert_int_equal(f->conf.diag.count, 0);
}

static void balance_errors_are_configuration_errors(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.unknown]\nrule = balance\nleft = trade.total\nright = tax.tax\n"
            "[audit.zero]\nrule = balance\nleft = tax.tax / (tax.国税 - tax.国税)\n"
            "right = tax.tax\n"
            "[audit.fine]\nrule = balance\nleft = tax.tax\nright = tax.tax\n");
    assert_int_equal(run(f), PS_ECONFIG);
    assert_int_equal(f->conf.diag.count, 2);
    assert_string_equal(f->conf.diag.messages[0],
                        tu_conf_at(&f->conf, "[audit.unknown] unknown reference 'trade.total': "
                                             "no [plugin.trade] section"));
    assert_string_equal(f->conf.diag.messages[1],
                        tu_conf_at(&f->conf, "[audit.zero] division by zero"));
    /* the rules that could be checked were, and every rule counts */
    assert_int_equal(f->report.n_findings, 0);
    assert_int_equal(f->report.n_rules, 3);
}

/* ---- reading the rules (ps__config_load) ------------------------------------- */

static void rules_that_cannot_be_read(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_refused(f, "[audit.one_side]\nrule = balance\nleft = tax.tax\n"
                                     "[audit.bad_expr]\nrule = balance\nleft = tax.tax +\n"
                                     "right = tax.tax\n"
                                     "[audit.no_source]\nrule = late\n"
                                     "[audit.wrong_source]\nrule = outlier\nsource = sales\n"
                                     "[audit.later_source]\nrule = cumulative\n"
                                     "source = below\n"
                                     "[source.below]\npath = below.csv\n"),
                     PS_ECONFIG);
    assert_int_equal(f->conf.diag.count, 5);
    assert_string_equal(f->conf.diag.messages[0],
                        tu_conf_at(&f->conf, "[audit.one_side] a balance rule needs 'right'"));
    assert_string_equal(f->conf.diag.messages[1],
                        tu_conf_at(&f->conf,
                                   "[audit.bad_expr] left: expected a number, a reference "
                                   "or '(' at column 10 of 'tax.tax +'"));
    assert_string_equal(f->conf.diag.messages[2],
                        tu_conf_at(&f->conf,
                                   "[audit.no_source] rule = late needs source = NAME of a "
                                   "[source.NAME] above it"));
    assert_string_equal(f->conf.diag.messages[3],
                        tu_conf_at(&f->conf,
                                   "[audit.wrong_source] rule = outlier needs source = NAME "
                                   "of a [source.NAME] above it"));
    assert_string_equal(f->conf.diag.messages[4],
                        tu_conf_at(&f->conf,
                                   "[audit.later_source] rule = cumulative needs source = "
                                   "NAME of a [source.NAME] above it"));
}

/* ---- rules over a ledger's series --------------------------------------------- */

/* Adds the row of `entity` for `period`: `wan` 万元 of output. */
static void add_row(fixture_t *f, uint32_t source, const char *entity, ps_period_t period,
                    int64_t wan)
{
    ps__intern_t *strings = ps__cube_strings(f->cube);
    uint32_t indicator, who, tags;
    ps__tag_pair_t none[1];
    assert_int_equal(ps__intern_id(strings, "output", 6, &indicator), 0);
    assert_int_equal(ps__intern_id(strings, entity, strlen(entity), &who), 0);
    assert_int_equal(ps__cube_tags_id(f->cube, none, 0, &tags), 0);
    assert_int_equal(ps__cube_set_unit(f->cube, indicator, PS_UNIT_MONEY), 0);
    ps__cell_key_t key = { .indicator = indicator, .entity = who, .tags = tags,
                           .period = period, .source = source };
    assert_int_equal(ps__cube_add(f->cube, &key, WAN(wan), 1), 0);
}

typedef struct month_row {
    ps_period_t period;
    int64_t wan;
} month_row_t;

#define MAX_ROWS 8
#define MAX_FOUND 3

typedef struct series_case {
    const char *what;
    month_row_t rows[MAX_ROWS]; /* ends at a zero period */
    struct {
        const char *text;
        ps_period_t period;
    } found[MAX_FOUND];         /* ends at a NULL text */
} series_case_t;

/* Runs `c` against a fresh cube (and report) with the loaded rule, whose
   source is `source`, and checks its findings one by one. */
static void check_series_case(fixture_t *f, const char *rule, enum ps__severity severity,
                              uint32_t source, const series_case_t *c)
{
    print_message("case: %s\n", c->what);
    ps__cube_free(f->cube);
    f->cube = ps__cube_new();
    assert_non_null(f->cube);
    for (size_t i = 0; i < MAX_ROWS && c->rows[i].period; i++)
        add_row(f, source, "甲公司", c->rows[i].period, c->rows[i].wan);
    assert_int_equal(ps__cube_seal(f->cube, NULL, NULL), 0);
    if (f->conf.cfg.sources[source].cumulative)
        assert_int_equal(ps__cube_cumulative_to_flow(f->cube, source), 0);
    ps__report_free(&f->report);
    f->report = (ps__report_t){ .period = REPORT_PERIOD };
    assert_int_equal(run(f), 0);
    size_t n = 0;
    while (n < MAX_FOUND && c->found[n].text)
        n++;
    assert_int_equal(f->report.n_findings, n);
    for (size_t i = 0; i < n; i++)
        assert_finding(&f->report.findings[i], rule, severity, c->found[i].text, "output",
                       "甲公司", c->found[i].period);
}

/* Year-to-date totals (turned into monthly flows, as a cumulative source
   is) must not fall within a year. */
static const series_case_t cumulative_cases[] = {
    { "rising", { { P(2023, 1), 100 }, { P(2023, 2), 250 }, { P(2023, 3), 400 } }, { { 0 } } },
    { "flat is no fall", { { P(2023, 1), 100 }, { P(2023, 2), 100 } }, { { 0 } } },
    { "falls in March",
      { { P(2023, 1), 100 }, { P(2023, 2), 250 }, { P(2023, 3), 240 }, { P(2023, 4), 500 } },
      { { "甲公司的工业总产值2023年3月累计240万元，低于上月累计250万元", P(2023, 3) } } },
    { "a skipped month: compared with the month before it",
      { { P(2023, 1), 100 }, { P(2023, 3), 90 } },
      { { "甲公司的工业总产值2023年3月累计90万元，低于上月累计100万元", P(2023, 3) } } },
    { "a new year starts again from January",
      { { P(2022, 11), 2800 }, { P(2022, 12), 3000 }, { P(2023, 1), 100 } }, { { 0 } } },
    { "months after the report period are not judged",
      { { P(2023, 4), 400 }, { P(2023, 5), 500 }, { P(2023, 6), 100 } }, { { 0 } } },
    { "two falls, two findings",
      { { P(2023, 1), 300 }, { P(2023, 2), 200 }, { P(2023, 3), 250 }, { P(2023, 4), 249 } },
      { { "甲公司的工业总产值2023年2月累计200万元，低于上月累计300万元", P(2023, 2) },
        { "甲公司的工业总产值2023年4月累计249万元，低于上月累计250万元", P(2023, 4) } } },
};

static void cumulative_rule_table(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.ytd]\nrule = cumulative\nsource = output\n");
    for (size_t i = 0; i < sizeof cumulative_cases / sizeof cumulative_cases[0]; i++)
        check_series_case(f, "ytd", PS_SEVERITY_ERROR, SRC_OUTPUT, &cumulative_cases[i]);
}

#define LATE_TAIL "数据（此前已按月报送）"

/* output is due in the report month (2023-05). */
static const series_case_t late_cases[] = {
    { "every month", { { P(2023, 1), 1 }, { P(2023, 2), 1 }, { P(2023, 3), 1 },
                       { P(2023, 4), 1 }, { P(2023, 5), 1 } }, { { 0 } } },
    { "a month skipped",
      { { P(2023, 1), 1 }, { P(2023, 2), 1 }, { P(2023, 4), 1 }, { P(2023, 5), 1 } },
      { { "甲公司的工业总产值缺报2023年3月" LATE_TAIL, P(2023, 3) } } },
    { "stopped: the months up to the due one",
      { { P(2023, 1), 1 }, { P(2023, 2), 1 } },
      { { "甲公司的工业总产值缺报2023年3月至5月" LATE_TAIL, P(2023, 3) } } },
    { "only the due month missing",
      { { P(2023, 1), 1 }, { P(2023, 2), 1 }, { P(2023, 3), 1 }, { P(2023, 4), 1 } },
      { { "甲公司的工业总产值缺报2023年5月" LATE_TAIL, P(2023, 5) } } },
    { "two gaps", { { P(2023, 1), 1 }, { P(2023, 3), 1 }, { P(2023, 5), 1 } },
      { { "甲公司的工业总产值缺报2023年2月" LATE_TAIL, P(2023, 2) },
        { "甲公司的工业总产值缺报2023年4月" LATE_TAIL, P(2023, 4) } } },
    { "began reporting in March", { { P(2023, 3), 1 }, { P(2023, 4), 1 }, { P(2023, 5), 1 } },
      { { 0 } } },
    { "last year's months do not oblige this year's January",
      { { P(2022, 11), 1 }, { P(2022, 12), 1 }, { P(2023, 2), 1 }, { P(2023, 3), 1 },
        { P(2023, 4), 1 }, { P(2023, 5), 1 } },
      { { 0 } } },
    { "reported only last year", { { P(2022, 11), 1 }, { P(2022, 12), 1 } }, { { 0 } } },
};

static void late_rule_table(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.late]\nrule = late\nsource = output\nseverity = warning\n");
    for (size_t i = 0; i < sizeof late_cases / sizeof late_cases[0]; i++)
        check_series_case(f, "late", PS_SEVERITY_WARNING, SRC_OUTPUT, &late_cases[i]);
}

/* delivery may lag a month: it is due in 2023-04, and a later month is
   neither required nor does it close a gap. */
static const series_case_t late_lag_cases[] = {
    { "up to the due month", { { P(2023, 1), 1 }, { P(2023, 2), 1 }, { P(2023, 3), 1 },
                               { P(2023, 4), 1 } }, { { 0 } } },
    { "the due month missing, a later one given",
      { { P(2023, 1), 1 }, { P(2023, 2), 1 }, { P(2023, 3), 1 }, { P(2023, 5), 1 } },
      { { "甲公司的工业总产值缺报2023年4月" LATE_TAIL, P(2023, 4) } } },
};

static void late_rule_with_lag_table(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.late]\nrule = late\nsource = delivery\n");
    for (size_t i = 0; i < sizeof late_lag_cases / sizeof late_lag_cases[0]; i++)
        check_series_case(f, "late", PS_SEVERITY_ERROR, SRC_DELIVERY, &late_lag_cases[i]);
}

/* delivery (a flow source, lagging a month) is due in 2023-04: each month
   of 2023 up to April is judged against the median of the entity's earlier
   months; factor 10, 3 months needed. */
static const series_case_t outlier_cases[] = {
    { "within the factor",
      { { P(2023, 1), 100 }, { P(2023, 2), 120 }, { P(2023, 3), 110 }, { P(2023, 4), 1000 } },
      { { 0 } } },
    { "exactly ten times the median is within",
      { { P(2023, 1), 100 }, { P(2023, 2), 120 }, { P(2023, 3), 110 }, { P(2023, 4), 1100 } },
      { { 0 } } },
    { "just over ten times",
      { { P(2023, 1), 100 }, { P(2023, 2), 120 }, { P(2023, 3), 110 }, { P(2023, 4), 1101 } },
      { { "甲公司的工业总产值2023年4月为1101万元，此前3个月的中位数为110万元，为其10.0倍",
          P(2023, 4) } } },
    { "far too high, the ratio rounded to a tenth",
      { { P(2023, 1), 100 }, { P(2023, 2), 120 }, { P(2023, 3), 110 }, { P(2023, 4), 1500 } },
      { { "甲公司的工业总产值2023年4月为1500万元，此前3个月的中位数为110万元，为其13.6倍",
          P(2023, 4) } } },
    { "exactly a tenth of the median is within",
      { { P(2023, 1), 100 }, { P(2023, 2), 120 }, { P(2023, 3), 110 }, { P(2023, 4), 11 } },
      { { 0 } } },
    { "far too low, as a rate",
      { { P(2023, 1), 100 }, { P(2023, 2), 120 }, { P(2023, 3), 110 }, { P(2023, 4), 10 } },
      { { "甲公司的工业总产值2023年4月为10万元，此前3个月的中位数为110万元，仅为其9.09%",
          P(2023, 4) } } },
    { "an even history takes the upper median, last year's months count",
      { { P(2022, 12), 100 }, { P(2023, 1), 400 }, { P(2023, 2), 200 }, { P(2023, 3), 300 },
        { P(2023, 4), 3500 } },
      { { "甲公司的工业总产值2023年4月为3500万元，此前4个月的中位数为300万元，为其11.7倍",
          P(2023, 4) } } },
    { "too little history", { { P(2023, 2), 100 }, { P(2023, 3), 100 }, { P(2023, 4), 9000 } },
      { { 0 } } },
    { "every month of the year is judged, January against last year's",
      { { P(2022, 10), 100 }, { P(2022, 11), 100 }, { P(2022, 12), 100 },
        { P(2023, 1), 1000000 }, { P(2023, 2), 100 }, { P(2023, 3), 2 }, { P(2023, 4), 100 } },
      { { "甲公司的工业总产值2023年1月为100亿元，此前3个月的中位数为100万元，为其10000.0倍",
          P(2023, 1) },
        { "甲公司的工业总产值2023年3月为2万元，此前5个月的中位数为100万元，仅为其2.00%",
          P(2023, 3) } } },
    { "last year's months and those after the due month are not judged",
      { { P(2022, 9), 100 }, { P(2022, 10), 100 }, { P(2022, 11), 100 },
        { P(2022, 12), 5000 }, { P(2023, 1), 100 }, { P(2023, 4), 100 }, { P(2023, 5), 9000 } },
      { { 0 } } },
    { "nothing in the due month",
      { { P(2023, 1), 100 }, { P(2023, 2), 100 }, { P(2023, 3), 100 }, { P(2023, 5), 9000 } },
      { { 0 } } },
    { "a median of zero judges nothing",
      { { P(2023, 1), 0 }, { P(2023, 2), 0 }, { P(2023, 3), 0 }, { P(2023, 4), 9000 } },
      { { 0 } } },
};

static void outlier_rule_table(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.jump]\nrule = outlier\nsource = delivery\n");
    for (size_t i = 0; i < sizeof outlier_cases / sizeof outlier_cases[0]; i++)
        check_series_case(f, "jump", PS_SEVERITY_ERROR, SRC_DELIVERY, &outlier_cases[i]);
}

/* factor and min_history are the rule's own. */
static void outlier_rule_settings(void **state)
{
    fixture_t *f = *state;
    static const series_case_t c = {
        "two months of history, three times the median",
        { { P(2023, 2), 100 }, { P(2023, 3), 100 }, { P(2023, 4), 301 } },
        { { "甲公司的工业总产值2023年4月为301万元，此前2个月的中位数为100万元，为其3.0倍",
            P(2023, 4) } },
    };
    load(f, "[audit.jump]\nrule = outlier\nsource = delivery\nfactor = 3\nmin_history = 2\n");
    check_series_case(f, "jump", PS_SEVERITY_ERROR, SRC_DELIVERY, &c);
}

/* A rule reads only the series of its own source. */
static void ledger_rule_reads_its_source_only(void **state)
{
    fixture_t *f = *state;
    load(f, "[audit.ytd]\nrule = cumulative\nsource = output\n");
    add_row(f, SRC_DELIVERY, "甲公司", P(2023, 1), 100);
    add_row(f, SRC_DELIVERY, "甲公司", P(2023, 2), -50);
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_findings, 0);
}

/* ---- a flow source that looks cumulative ----------------------------------------- */

/* Adds `months` rows from January for `entity`, rising when `rising`. */
static void add_months(fixture_t *f, uint32_t source, const char *entity, int months,
                       int rising)
{
    for (int m = 1; m <= months; m++)
        add_row(f, source, entity, P(2023, m), rising ? 100 * m : 100 + (m % 2) * 50);
}

/* delivery is due in April: both of its entities rise every month to it. */
static void flow_source_rising_like_totals(void **state)
{
    fixture_t *f = *state;
    load(f, "");
    add_months(f, SRC_DELIVERY, "甲公司", 4, 1);
    add_months(f, SRC_DELIVERY, "乙公司", 3, 1);
    add_row(f, SRC_DELIVERY, "乙公司", P(2023, 5), 1); /* after April: not judged */
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_findings, 1);
    assert_finding(&f->report.findings[0], "source.delivery", PS_SEVERITY_WARNING,
                   "疑似累计数：delivery的台账中，2个按月报送的数据系列有2个在2023年逐月上升"
                   "（如甲公司：1月100万元、2月200万元、3月300万元、4月400万元），按当月数"
                   "相加将成倍多计；若为年初至今累计数，应在[source.delivery]中设置"
                   "type = cumulative", NULL, NULL, REPORT_PERIOD);
}

/* One series in two rising is no pattern; two months are too few to tell;
   a cumulative source, or one with check_rising = no, is not judged. */
static void flow_source_not_judged_rising(void **state)
{
    fixture_t *f = *state;
    load(f, "[source.quiet]\npath = quiet.csv\ncheck_rising = no\n");
    add_months(f, SRC_DELIVERY, "甲公司", 4, 1);
    add_months(f, SRC_DELIVERY, "乙公司", 4, 0);
    add_months(f, SRC_DELIVERY, "丙公司", 2, 1);
    add_months(f, SRC_DELIVERY, "丁公司", 2, 1);
    add_months(f, SRC_OUTPUT, "甲公司", 4, 1);
    add_months(f, SRC_OUTPUT, "乙公司", 4, 1);
    add_months(f, 2, "甲公司", 4, 1);
    add_months(f, 2, "乙公司", 4, 1);
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_findings, 0);
}

/* ---- explanations and fail_on ---------------------------------------------------- */

/* A late warning and a balance error: what the explanation tests explain. */
#define TWO_FINDINGS_INI                                                      \
    "[audit.late]\nrule = late\nsource = output\nseverity = warning\n"        \
    "[audit.parts]\nrule = balance\nleft = tax.tax\nright = tax.国税 + tax.地税\n"

static void two_findings(fixture_t *f, const char *core)
{
    ps__buf_t text = PS_BUF_INIT;
    ps__buf_printf(&text, "[parkstat]\n%s%s", core, TWO_FINDINGS_INI);
    load(f, ps__buf_str(&text));
    ps__buf_free(&text);
    add_row(f, SRC_OUTPUT, "甲公司", P(2023, 1), 1);
    add_row(f, SRC_OUTPUT, "甲公司", P(2023, 2), 2);
    add_row(f, SRC_OUTPUT, "甲公司", P(2023, 4), 4);
    add_row(f, SRC_OUTPUT, "甲公司", P(2023, 5), 5);
}

static void explanations_attach_to_matching_warnings(void **state)
{
    fixture_t *f = *state;
    free(tu_dir_write(&f->conf.dir, "explain.csv",
                      "period,rule,indicator,entity,explanation\n"
                      "2023-03,late,output,乙公司,another entity\n"
                      "2023-04,late,output,甲公司,another month\n"
                      "2023-03,jump,output,甲公司,another rule\n"
                      "2023-05,parts,,,an error is not explained\n"
                      "2023-03,late,output,甲公司,\"停产检修，3月无产值\"\n"));
    two_findings(f, "explanations = explain.csv\n");
    assert_int_equal(run(f), 0);
    assert_int_equal(f->conf.diag.count, 0);
    assert_int_equal(f->report.n_findings, 2);
    const ps__finding_t *late = &f->report.findings[0], *parts = &f->report.findings[1];
    assert_string_equal(late->rule, "late");
    assert_string_equal(late->explanation, "停产检修，3月无产值");
    assert_string_equal(parts->rule, "parts");
    assert_null(parts->explanation);
}

/* A warning without indicator or entity is matched by empty fields. */
static void explanation_of_a_balance_warning(void **state)
{
    fixture_t *f = *state;
    free(tu_dir_write(&f->conf.dir, "explain.csv",
                      "period,rule,indicator,entity,explanation\n"
                      "2023-05,parts,tax,,names an indicator the finding has not\n"
                      "2023-05,parts,,,海关代征税款未入库\n"));
    load(f, "[parkstat]\nexplanations = explain.csv\n"
            "[audit.parts]\nrule = balance\nseverity = warning\nleft = tax.tax\n"
            "right = tax.国税 + tax.地税\n");
    assert_int_equal(run(f), 0);
    assert_int_equal(f->report.n_findings, 1);
    assert_string_equal(f->report.findings[0].explanation, "海关代征税款未入库");
}

static void explanations_file_problems(void **state)
{
    fixture_t *f = *state;
    free(tu_dir_write(&f->conf.dir, "explain.csv",
                      "period,rule,indicator,entity,explanation\n"
                      "2023-03,late,output,甲公司\n"
                      "2023-04,late,output\n"));
    two_findings(f, "explanations = explain.csv\n");
    assert_int_equal(run(f), PS_ECONFIG);
    char *csv = tu_dir_path(&f->conf.dir, "explain.csv");
    char want[PATH_MAX + 256];
    snprintf(want, sizeof want, "%s:2: expected 5 fields (period, rule, indicator, entity, "
             "explanation), found 4", csv);
    /* the first bad row stops the reading: one message */
    assert_int_equal(f->conf.diag.count, 1);
    assert_string_equal(f->conf.diag.messages[0], want);
    /* the findings are all there, unexplained */
    assert_int_equal(f->report.n_findings, 2);
    assert_null(f->report.findings[0].explanation);
    free(csv);
}

static void explanations_file_missing(void **state)
{
    fixture_t *f = *state;
    two_findings(f, "explanations = nowhere.csv\n");
    assert_int_equal(run(f), PS_ECONFIG);
    char *csv = tu_dir_path(&f->conf.dir, "nowhere.csv");
    char want[PATH_MAX + 64];
    snprintf(want, sizeof want, "explanations %s: cannot open: No such file or directory", csv);
    assert_int_equal(f->conf.diag.count, 1);
    assert_string_equal(f->conf.diag.messages[0], want);
    assert_int_equal(f->report.n_findings, 2);
    free(csv);
}

/* fail_on against findings: which make the exit status 1. */
static void fail_on_table(void **state)
{
    static const struct {
        enum ps__fail_on fail_on;
        int error, warning, explained, fails;
    } cases[] = {
        { PS_FAIL_ON_ERROR, 0, 0, 0, 0 },
        { PS_FAIL_ON_ERROR, 1, 0, 0, 1 },
        { PS_FAIL_ON_ERROR, 0, 1, 0, 0 },
        { PS_FAIL_ON_WARNING, 0, 0, 0, 0 },
        { PS_FAIL_ON_WARNING, 0, 1, 0, 1 },
        { PS_FAIL_ON_WARNING, 0, 1, 1, 0 },
        { PS_FAIL_ON_WARNING, 1, 0, 0, 1 }, /* an error is never explained */
        { PS_FAIL_ON_NEVER, 1, 1, 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__report_t r = { 0 };
        ps__config_t cfg = { .fail_on = cases[i].fail_on };
        print_message("case %zu\n", i);
        if (cases[i].error) {
            ps__finding_t x = { .rule = strdup("e"), .severity = PS_SEVERITY_ERROR,
                                .text = strdup("error") };
            assert_int_equal(ps__report_add_finding(&r, &x), 0);
        }
        if (cases[i].warning) {
            ps__finding_t x = { .rule = strdup("w"), .severity = PS_SEVERITY_WARNING,
                                .text = strdup("warning"),
                                .explanation = cases[i].explained ? strdup("why") : NULL };
            assert_int_equal(ps__report_add_finding(&r, &x), 0);
        }
        assert_int_equal(ps__audit_fails(&cfg, &r), cases[i].fails);
        ps__report_free(&r);
    }
}

/* fail_on is read from [parkstat] and decides on the audit's own findings. */
static void fail_on_from_the_ini(void **state)
{
    fixture_t *f = *state;
    free(tu_dir_write(&f->conf.dir, "explain.csv",
                      "period,rule,indicator,entity,explanation\n"
                      "2023-03,late,output,甲公司,停产检修\n"));
    two_findings(f, "fail_on = warning\nexplanations = explain.csv\n");
    assert_int_equal(f->conf.cfg.fail_on, PS_FAIL_ON_WARNING);
    assert_int_equal(run(f), 0);
    /* the warning is explained but the balance error is not */
    assert_int_equal(ps__audit_fails(&f->conf.cfg, &f->report), 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(balance_that_holds_finds_nothing),
        T(balance_off_is_an_error_with_the_figures),
        T(balance_unlabelled_warning_either_way_round),
        T(balance_tolerance_is_inclusive),
        T(balance_with_an_absent_figure_is_a_warning),
        T(balance_over_a_failed_section_is_silent),
        T(balance_dividing_by_a_failed_section_is_silent),
        T(balance_errors_are_configuration_errors),
        T(rules_that_cannot_be_read),
        T(cumulative_rule_table),
        T(late_rule_table),
        T(late_rule_with_lag_table),
        T(outlier_rule_table),
        T(outlier_rule_settings),
        T(flow_source_rising_like_totals),
        T(flow_source_not_judged_rising),
        T(ledger_rule_reads_its_source_only),
        T(explanations_attach_to_matching_warnings),
        T(explanation_of_a_balance_warning),
        T(explanations_file_problems),
        T(explanations_file_missing),
        cmocka_unit_test(fail_on_table),
        T(fail_on_from_the_ini),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
