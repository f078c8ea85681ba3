/* Unit tests of the tabular renderers (CSV, Prometheus, Excel) and their
   shared figures (core/render/table.h), on a report built by hand. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <parkstat/types.h>

#include "num/format.h"
#include "render/render.h"
#include "report/report.h"
#include "render/table.h"
#include "testutil.h"

#define P TU_PERIOD
#define WAN(n) ((int64_t)(n) * 10000 * PS_SCALE) /* n 万元 as a raw value */

/* A label that needs every kind of quoting and escaping. */
#define AWKWARD "说明,\"引号\"\\项\n续"

static ps__ind_t ind(const char *key, const char *label, const char *parent,
                     ps_relation_t rel, int64_t raw, const char *unit)
{
    return (ps__ind_t){ .key = (char *)key, .label = (char *)label,
                        .parent = (char *)parent, .relation = rel,
                        .value = { raw, unit }, .target = PS_VALUE_NONE,
                        .next_target = PS_VALUE_NONE, .year_ago = PS_VALUE_NONE,
                        .asof = P(2023, 10), .rate_decimals = 2 };
}

/* Tax with a breakdown and an awkward detail, a failed section, and an
   area shown in 万平方米: the sample's shapes in small. */
static int setup(void **state)
{
    ps__report_t *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->zone = strdup("测试区");
    r->period = P(2023, 10);
    ps__section_t *s = ps__report_add_section(r, "tax", "tax", "税收");
    ps__ind_t tax = ind("tax", "税收", NULL, PS_REL_NONE, WAN(26362), PS_UNIT_MONEY);
    tax.code = "tax";
    tax.display_unit = "万元";
    tax.target = (ps_value_t){ WAN(30000), PS_UNIT_MONEY };
    tax.year_ago = (ps_value_t){ WAN(24000), PS_UNIT_MONEY };
    assert_int_equal(ps__section_add_ind(s, &tax), 0);
    ps__ind_t national = ind("国税", "国税", "tax", PS_REL_PART, WAN(20136), PS_UNIT_MONEY);
    national.display_unit = "万元";
    assert_int_equal(ps__section_add_ind(s, &national), 0);
    ps__ind_t odd = ind("odd", AWKWARD, "tax", PS_REL_DETAIL, 132000, "公里");
    assert_int_equal(ps__section_add_ind(s, &odd), 0);
    s = ps__report_add_section(r, "land", "land", "土地管理");
    s->error = strdup("no data");
    s = ps__report_add_section(r, "green", "green", "绿化");
    ps__ind_t area = ind("area", "新增绿化面积", NULL, PS_REL_NONE, 2328000000, "平方米");
    area.display_unit = "万平方米";
    area.target = (ps_value_t){ 3000000000, "平方米" };
    assert_int_equal(ps__section_add_ind(s, &area), 0);
    ps__finding_t f = { .rule = strdup("late"), .severity = PS_SEVERITY_WARNING,
                        .text = strdup("缺报"), .period = P(2023, 5) };
    assert_int_equal(ps__report_add_finding(r, &f), 0);
    r->n_rules = 3;
    ps__source_status_t src = { .name = strdup("tax"), .department = strdup("财政局"),
                                .last = P(2023, 10), .rows = 12 };
    assert_int_equal(ps__report_add_source(r, &src), 0);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    ps__report_free(*state);
    free(*state);
    return 0;
}

static char *render(ps__render_fn *fn, const ps__report_t *r, int bom, size_t *len)
{
    ps__render_opts_t opts = { .csv_bom = bom };
    ps__buf_t out = PS_BUF_INIT, why = PS_BUF_INIT;
    assert_int_equal(fn(&out, r, &opts, &why), 0);
    assert_false(out.failed);
    assert_int_equal(why.len, 0);
    if (len)
        *len = out.len;
    ps__buf_free(&why);
    return ps__buf_take(&out);
}

/* ---- core/render/table.h ------------------------------------------------------------ */

static void table_units(void **state)
{
    (void)state;
    static const struct {
        const char *unit, *display, *name;
        int digits;
    } cases[] = {
        { "元", NULL, "万元", 4 },          /* money: 万元 unless asked otherwise */
        { "元", "万元", "万元", 4 },
        { "元", "亿元", "亿元", 8 },
        { "元", "元", "元", 0 },
        { "平方米", "万平方米", "万平方米", 4 },
        { "公里", NULL, "公里", 0 },
        { "公里", "万平方米", "公里", 0 },  /* a display unit of another base */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__ind_t x = ind("k", "k", NULL, PS_REL_NONE, 1, cases[i].unit);
        x.display_unit = (char *)cases[i].display;
        ps__table_unit_t u = ps__table_unit(&x);
        assert_string_equal(u.name, cases[i].name);
        assert_int_equal(u.digits, cases[i].digits);
    }
    /* A ratio is stated in the unit it was emitted in: an average wage of
       6123.46元 is not 0.6123万元, a rate of 95.27% stays in %. */
    ps__ind_t wage = ind("wage", "月平均工资", NULL, PS_REL_NONE, 61234567, "元");
    wage.ratio[0] = 3674074000000, wage.ratio[1] = 600000000, wage.ratio_scale = 1;
    ps__table_unit_t u = ps__table_unit(&wage);
    assert_string_equal(u.name, "元");
    assert_int_equal(u.digits, 0);
}

static void table_amounts_are_exact(void **state)
{
    (void)state;
    static const struct { int64_t raw; int digits; const char *text; } cases[] = {
        { 22320000000000, 4, "223200" },      /* 22.32亿元 in 万元 */
        { 22320000000000, 8, "22.32" },       /* … in 亿元 */
        { 12345678, 4, "0.12345678" },        /* 1234.5678元 in 万元 */
        { -12345678, 4, "-0.12345678" },
        { 12345678, 8, "0.000012345678" },
        { 2328000000, 4, "23.28" },           /* 232800平方米 in 万平方米 */
        { 0, 8, "0" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t b = PS_BUF_INIT;
        ps__table_amount(&b, cases[i].raw, (ps__table_unit_t){ "", cases[i].digits });
        assert_string_equal(ps__buf_str(&b), cases[i].text);
        ps__buf_free(&b);
    }
}

static void figures_of_tax(void **state)
{
    const ps__report_t *r = *state;
    const ps__section_t *s = &r->sections[0];
    ps__figures_t f;
    ps__figures_of(&f, r, s, &s->inds[0]);
    assert_true(f.has_rate && f.has_progress && f.has_change);
    assert_false(f.has_share);
    assert_int_equal(f.rate, 8787);
    assert_int_equal(f.progress, 8333);
    assert_int_equal(f.gap, 454);
    assert_int_equal(f.status, 1);
    assert_int_equal(f.change, 98);
    ps__figures_of(&f, r, s, &s->inds[1]);
    assert_false(f.has_rate || f.has_progress || f.has_change);
    assert_true(f.has_share);
    assert_int_equal(f.share, 7638);
}

/* ---- CSV ------------------------------------------------------------------------ */

static const char csv_expected[] =
    "section,key,label,parent,relation,asof,value,unit,display,target,"
    "completion_percent,time_progress_percent,progress_gap_points,progress_status,"
    "year_ago,change_percent,share_percent,year_ago_comparable,growth_target_percent,"
    "growth_gap_points,share_change_points,change_points,carried\r\n"
    "tax,tax,税收,,,2023-10,263620000,元,26362万元,300000000,87.87,83.33,4.54,ahead,"
    "240000000,9.8,,no,,,,,\r\n"
    "tax,国税,国税,tax,part,2023-10,201360000,元,20136万元,,,,,,,,76.38,,,,,,\r\n"
    "tax,odd,\"说明,\"\"引号\"\"\\项\n续\",tax,detail,2023-10,13.2,公里,13.2公里,,,,,,,,,,,,,,\r\n"
    "green,area,新增绿化面积,,,2023-10,232800,平方米,23.28万平方米,300000,77.60,83.33,"
    "-5.73,behind,,,,,,,,,\r\n";

static void csv_rows(void **state)
{
    char *csv = render(ps__render_csv, *state, 0, NULL);
    assert_string_equal(csv, csv_expected);
    free(csv);
}

static void csv_bom_for_excel(void **state)
{
    char *csv = render(ps__render_csv, *state, 1, NULL);
    assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
    assert_string_equal(csv + 3, csv_expected);
    free(csv);
}

/* ---- Prometheus ----------------------------------------------------------------- */

#define TAX_LABELS "zone=\"测试区\",period=\"2023-10\",section=\"tax\",key=\"tax\"," \
                   "indicator=\"tax\",label=\"税收\",parent=\"\""

static void prom_samples(void **state)
{
    char *prom = render(ps__render_prom, *state, 0, NULL);
    static const char *const lines[] = {
        "# HELP parkstat_indicator_value ",
        "# TYPE parkstat_indicator_value gauge\n",
        "\nparkstat_indicator_value{" TAX_LABELS ",unit=\"元\"} 263620000\n",
        "\nparkstat_indicator_target{" TAX_LABELS ",unit=\"元\"} 300000000\n",
        "\nparkstat_indicator_year_ago{" TAX_LABELS ",unit=\"元\"} 240000000\n",
        "\nparkstat_indicator_completion_ratio{" TAX_LABELS "} 0.8787\n",
        "\nparkstat_time_progress_ratio{" TAX_LABELS "} 0.8333\n",
        "\nparkstat_indicator_yoy_change_ratio{" TAX_LABELS "} 0.098\n",
        ",key=\"国税\",indicator=\"\",label=\"国税\",parent=\"tax\"} 0.7638\n",
        ",label=\"说明,\\\"引号\\\"\\\\项\\n续\",parent=\"tax\",unit=\"公里\"} 13.2\n",
        "\nparkstat_section_failed{zone=\"测试区\",period=\"2023-10\",section=\"land\"} 1\n",
        "\nparkstat_section_failed{zone=\"测试区\",period=\"2023-10\",section=\"green\"} 0\n",
        "\nparkstat_audit_rules{zone=\"测试区\",period=\"2023-10\"} 3\n",
        "\nparkstat_audit_findings{zone=\"测试区\",period=\"2023-10\",severity=\"error\"} 0\n",
        "\nparkstat_audit_findings{zone=\"测试区\",period=\"2023-10\",severity=\"warning\"} 1\n",
        "\nparkstat_source_last_period{zone=\"测试区\",period=\"2023-10\",source=\"tax\","
        "department=\"财政局\"} 202310\n",
        "\nparkstat_source_late{zone=\"测试区\",period=\"2023-10\",source=\"tax\","
        "department=\"财政局\"} 0\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (!strstr(prom, lines[i]))
            fail_msg("missing from the exposition: %s\n%s", lines[i], prom);
    free(prom);
}

/* Figures that cannot be computed have no sample at all, not a zero. */
static void prom_leaves_out_missing_figures(void **state)
{
    char *prom = render(ps__render_prom, *state, 0, NULL);
    size_t targets = 0;
    for (const char *p = prom; (p = strstr(p, "\nparkstat_indicator_target{")); p++)
        targets++;
    assert_int_equal(targets, 2); /* tax and area */
    assert_null(strstr(prom, "parkstat_indicator_yoy_change_ratio{zone=\"测试区\","
                             "period=\"2023-10\",section=\"green\""));
    free(prom);
}

/* ---- Excel ----------------------------------------------------------------------- */

/* Does the zip hold an entry of this name? Names are stored uncompressed. */
static int has_entry(const char *zip, size_t len, const char *name)
{
    return memmem(zip, len, name, strlen(name)) != NULL;
}

static void xlsx_is_a_workbook_of_its_sections(void **state)
{
    size_t len;
    char *xlsx = render(ps__render_xlsx, *state, 0, &len);
    assert_true(len > 4);
    assert_memory_equal(xlsx, "PK\3\4", 4);
    assert_true(has_entry(xlsx, len, "xl/worksheets/sheet1.xml")); /* the table */
    assert_true(has_entry(xlsx, len, "xl/worksheets/sheet3.xml")); /* tax, green */
    assert_false(has_entry(xlsx, len, "xl/worksheets/sheet4.xml")); /* land failed */
    assert_true(has_entry(xlsx, len, "docProps/core.xml"));
    free(xlsx);
}

static void xlsx_is_the_same_on_every_run(void **state)
{
    size_t len1, len2;
    char *first = render(ps__render_xlsx, *state, 0, &len1);
    sleep(2); /* zip times count in two-second steps */
    char *second = render(ps__render_xlsx, *state, 0, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(first, second, len1);
    free(first);
    free(second);
}

/* A cell Excel cannot hold is an error, never a silently blank figure. */
static void xlsx_refuses_a_cell_excel_cannot_hold(void **state)
{
    ps__report_t *r = *state;
    ps__ind_t *tax = &r->sections[0].inds[0];
    char *huge = malloc(40000);
    assert_non_null(huge);
    memset(huge, 'x', 39999);
    huge[39999] = '\0';
    char *label = tax->label;
    tax->label = huge;
    ps__render_opts_t opts = { 0 };
    ps__buf_t out = PS_BUF_INIT, why = PS_BUF_INIT;
    assert_int_equal(ps__render_xlsx(&out, r, &opts, &why), PS_EIO);
    assert_non_null(strstr(ps__buf_str(&why), "libxlsxwriter refused the cell at row 3, "
                                               "column 1: "));
    tax->label = label;
    free(huge);
    ps__buf_free(&out);
    ps__buf_free(&why);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_units),
        cmocka_unit_test(table_amounts_are_exact),
        T(figures_of_tax),
        T(csv_rows),
        T(csv_bom_for_excel),
        T(prom_samples),
        T(prom_leaves_out_missing_figures),
        T(xlsx_is_a_workbook_of_its_sections),
        T(xlsx_is_the_same_on_every_run),
        T(xlsx_refuses_a_cell_excel_cannot_hold),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
