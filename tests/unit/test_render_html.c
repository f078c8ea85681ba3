/* Unit tests of the HTML report (core/render/render_html.c and its charts), on a
   report built by hand: what the page holds, exactly, and what it must not
   (a script, a URL, unescaped text). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <parkstat/types.h>

#include "render/html.h"
#include "render/render.h"
#include "report/report.h"
#include "render/svg.h"
#include "render/table.h"
#include "testutil.h"

#define P TU_PERIOD
#define REPORT P(2023, 10)

static ps_value_t money(int64_t yuan)
{
    return (ps_value_t){ yuan * PS_SCALE, PS_UNIT_MONEY };
}

static ps_value_t count(int64_t n, const char *unit)
{
    return (ps_value_t){ n * PS_SCALE, unit };
}

static void add(ps__section_t *s, ps__ind_t ind)
{
    if (!ind.target.unit)
        ind.target = PS_VALUE_NONE;
    ind.next_target = PS_VALUE_NONE;
    if (!ind.year_ago.unit)
        ind.year_ago = PS_VALUE_NONE;
    if (!ind.asof)
        ind.asof = REPORT;
    ind.rate_decimals = ind.rate_decimals ? ind.rate_decimals : 2;
    assert_int_equal(ps__section_add_ind(s, &ind), 0);
}

static void add_finding(ps__report_t *r, enum ps__severity severity, const char *text,
                        const char *explanation)
{
    ps__finding_t f = { .rule = strdup("rule"), .severity = severity, .text = strdup(text),
                        .period = REPORT,
                        .explanation = explanation ? strdup(explanation) : NULL };
    assert_int_equal(ps__report_add_finding(r, &f), 0);
}

static void add_source(ps__report_t *r, const char *name, const char *department,
                       ps_period_t last, int lag)
{
    ps__source_status_t st = { .name = strdup(name), .department = strdup(department),
                               .last = last, .lag = lag, .rows = 727 };
    assert_int_equal(ps__report_add_source(r, &st), 0);
}

/*
 * Investment behind time progress, with its months; tax ahead with two
 * parts and a subset; a land section without a target whose label needs
 * escaping; an audit with a finding that looks like a script.
 */
static int setup(void **state)
{
    ps__report_t *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    r->period = REPORT;
    r->zone = strdup("开发区<&>");
    r->title = strdup("开发区<&>2023年1-10月主要经济指标完成情况");
    r->opening = strdup("截止10月底，");
    r->progress_tolerance = 50;
    r->n_rules = 3;

    ps__section_t *s = ps__report_add_section(r, "investment", "investment", "固定资产投资");
    ps__ind_t fai = { .key = "fai", .label = "固定资产投资", .value = money(2232000000),
                      .target = money(5500000000), .year_ago = money(2103000000),
                      .has_growth_target = 1, .growth_target = 75 };
    static const int64_t fai_months[] = { 100, 300, 500, 700, 900, 1100, 1400, 1700, 2000, 2232 };
    for (int m = 0; m < 10; m++)
        fai.months[m] = fai_months[m] * 1000000 * PS_SCALE;
    fai.n_months = 10;
    add(s, fai);
    ps__section_add_sentence(s, PS_SENTENCE_SUMMARY,
                             "共完成固定资产投资{fai}，占年度目标任务{fai.target}的{fai.rate}");

    s = ps__report_add_section(r, "tax", "tax", "税收");
    add(s, (ps__ind_t){ .key = "tax", .display_unit = "万元", .label = "税收", .value = money(263620000),
                        .target = money(300000000) });
    add(s, (ps__ind_t){ .key = "n", .display_unit = "万元", .label = "国税", .parent = "tax", .relation = PS_REL_PART,
                        .value = money(201360000) });
    add(s, (ps__ind_t){ .key = "l", .display_unit = "万元", .label = "地税", .parent = "tax", .relation = PS_REL_PART,
                        .value = money(62260000) });
    add(s, (ps__ind_t){ .key = "e", .display_unit = "万元", .label = "新能源企业", .parent = "tax",
                        .relation = PS_REL_SUBSET, .value = money(105000000) });
    ps__section_add_sentence(s, PS_SENTENCE_SUMMARY, "完成税收{tax}");

    s = ps__report_add_section(r, "land", "land", "土地\"管理\"");
    add(s, (ps__ind_t){ .key = "supplied", .label = "供应<土地>", .value = count(31, "宗") });
    ps__section_add_sentence(s, PS_SENTENCE_BODY, "已供应土地{supplied}。");
    ps__section_add_sentence(s, PS_SENTENCE_PLAN, "供应土地{supplied}");

    s = ps__report_add_section(r, "safety", "safety", "安全生产");
    s->error = strdup("plugin safety: killed by SIGSEGV");

    add_finding(r, PS_SEVERITY_ERROR, "<script>alert(1)</script>", NULL);
    add_finding(r, PS_SEVERITY_WARNING, "月度值异常", "新项目投产");
    add_source(r, "investment", "经济发展局", REPORT, 0);
    add_source(r, "output", "工业和信息化局", P(2023, 8), 1);
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

/* Renders the report; the caller frees the page. */
static char *render(const ps__report_t *r)
{
    ps__buf_t out = PS_BUF_INIT, why = PS_BUF_INIT;
    ps__render_opts_t opts = { 0 };
    assert_int_equal(ps__render_html(&out, r, &opts, &why), 0);
    assert_false(out.failed);
    assert_int_equal(why.len, 0);
    ps__buf_free(&why);
    return ps__buf_take(&out);
}

static size_t occurrences(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

#define assert_contains(page, text)                                                  \
    do {                                                                             \
        if (!strstr((page), (text)))                                                 \
            fail_msg("not in the page: %s", (text));                                 \
    } while (0)

static void escape_every_special_character(void **state)
{
    (void)state;
    ps__buf_t out = PS_BUF_INIT;
    ps__html_escape(&out, "a<b>&\"c'd\"");
    assert_string_equal(ps__buf_str(&out), "a&lt;b&gt;&amp;&quot;c&#39;d&quot;");
    ps__buf_reset(&out);
    ps__html_escape(&out, "税收");
    assert_string_equal(ps__buf_str(&out), "税收");
    ps__buf_free(&out);
}

static void self_contained_without_script_or_url(void **state)
{
    char *page = render(*state);
    assert_true(strncmp(page, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35) == 0);
    assert_contains(page, "<meta charset=\"utf-8\">");
    assert_contains(page, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    assert_contains(page, "default-src 'none'");
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "http://"));
    assert_null(strstr(page, "https://"));
    assert_null(strstr(page, "src="));
    assert_null(strstr(page, "href"));
    assert_null(strstr(page, "@import"));
    assert_null(strstr(page, "url("));
    assert_contains(page, "</html>\n");
    free(page);
}

static void text_is_escaped(void **state)
{
    char *page = render(*state);
    assert_contains(page, "<title>开发区&lt;&amp;&gt;2023年1-10月主要经济指标完成情况</title>");
    assert_contains(page, "<h1>开发区&lt;&amp;&gt;2023年1-10月主要经济指标完成情况</h1>");
    assert_contains(page, "【强制性错误】</span>&lt;script&gt;alert(1)&lt;/script&gt;</li>");
    assert_contains(page, "<h2 class=\"part\">土地&quot;管理&quot;</h2>");
    assert_contains(page, "<p>已供应土地31宗。</p>");
    assert_contains(page, "<tr><th scope=\"row\">供应&lt;土地&gt;</th>");
    assert_null(strstr(page, "<土地>"));
    free(page);
}

/* The prose is the text report's: the opening, the sections, the plan. */
static void holds_the_prose(void **state)
{
    char *page = render(*state);
    assert_contains(page, "<p>截止10月底，共完成固定资产投资22.32亿元，占年度目标任务55亿元的"
                          "40.58%；完成税收26362万元。</p>");
    assert_contains(page, "<h2>2024年目标任务</h2>\n<p>供应土地31宗。</p>");
    assert_contains(page, "<p class=\"error\">（本部分未能生成：plugin safety: killed by "
                          "SIGSEGV）</p>");
    assert_contains(page, "【核实性错误】</span>月度值异常（已说明：新项目投产）</li>");
    free(page);
}

/* Targeted rows first, each figure as the text words it. */
static void main_table_rows(void **state)
{
    char *page = render(*state);
    assert_contains(page,
        "<tbody>\n"
        "<tr><th scope=\"row\">固定资产投资</th><td>22.32亿元</td><td>55亿元</td>"
        "<td>40.58%</td><td>83.33%</td><td>-42.75个百分点</td>"
        "<td>增长6.1%<br><span class=\"note\">低于目标1.4个百分点</span></td>"
        "<td class=\"behind\">滞后序时进度42.75个百分点</td></tr>\n"
        "<tr><th scope=\"row\">税收</th><td>26362万元</td><td>30000万元</td>"
        "<td>87.87%</td><td>83.33%</td><td>+4.54个百分点</td><td>—</td>"
        "<td class=\"ahead\">超序时进度4.54个百分点</td></tr>\n"
        "<tr><th scope=\"row\">供应&lt;土地&gt;</th><td>31宗</td><td>—</td><td>—</td>"
        "<td>—</td><td>—</td><td>—</td><td>—</td></tr>\n"
        "</tbody>");
    assert_contains(page, "<th>1-10月累计</th>");
    free(page);
}

/* Headers of text columns are aligned left, as their cells; of figures,
   right. */
static void headers_aligned_as_their_columns(void **state)
{
    char *page = render(*state);
    assert_contains(page, "<thead><tr><th class=\"text\">指标</th><th>1-10月累计</th>");
    assert_contains(page, "<thead><tr><th class=\"text\">报送单位</th><th class=\"text\">台账</th>"
                          "<th>数据截至</th><th>行数</th><th class=\"text\">报送情况</th></tr>"
                          "</thead>");
    free(page);
}

/* On a phone a wide table scrolls in its own box, named by its heading. */
static void tables_scroll_in_their_own_box(void **state)
{
    char *page = render(*state);
    assert_contains(page, "<h2>主要指标完成情况</h2>\n"
                          "<div class=\"scroll\" role=\"region\" aria-label=\"主要指标完成情况\" "
                          "tabindex=\"0\">\n<table class=\"main\">\n<thead>");
    assert_contains(page, "<h2>数据报送情况</h2>\n"
                          "<div class=\"scroll\" role=\"region\" aria-label=\"数据报送情况\" "
                          "tabindex=\"0\">\n<table class=\"sources\">\n<thead>");
    assert_int_equal(occurrences(page, "<table "), 2);
    assert_int_equal(occurrences(page, "</tbody>\n</table>\n</div>\n"), 2);
    free(page);
}

static void on_time_progress_is_grey(void **state)
{
    ps__report_t *r = *state;
    r->progress_tolerance = 5000; /* within 50 points: both are "on" */
    char *page = render(r);
    assert_int_equal(occurrences(page, "<td class=\"on\">"), 2);
    assert_contains(page, "<td class=\"on\">与序时进度持平</td>");
    free(page);
}

static void main_rows_put_targets_first(void **state)
{
    const ps__report_t *r = *state;
    assert_int_equal(ps__main_rows(r, NULL, NULL), 3);
    assert_true(ps__ind_targeted(&r->sections[1].inds[0]));
    assert_false(ps__ind_targeted(&r->sections[1].inds[1]));
}

/* A chart of completion, one of the months, one breakdown (tax). */
static void charts(void **state)
{
    char *page = render(*state);
    assert_int_equal(occurrences(page, "<svg "), 3);
    assert_int_equal(occurrences(page, "</svg>"), 3);
    assert_int_equal(occurrences(page, "<figure>"), 3);
    /* each scales to a narrow screen by its viewBox (the style sheet) */
    assert_int_equal(occurrences(page, "viewBox=\"0 0 "), 3);
    /* bars: 40.58% and 87.87% of 440 pixels; marks at 83.33% */
    assert_contains(page, "<rect class=\"behind\" x=\"190\" y=\"42\" width=\"178\" height=\"20\"/>");
    assert_contains(page, "<rect class=\"ahead\" x=\"190\" y=\"78\" width=\"386\" height=\"20\"/>");
    assert_contains(page, "<line class=\"tp\" x1=\"556\" y1=\"37\" x2=\"556\" y2=\"67\"/>");
    assert_contains(page, ">40.58%（序时进度83.33%）</text>");
    /* the months: origin, January at 1/55 of the target, October at 40.58% */
    assert_contains(page, "<polyline class=\"behind\" points=\"52,206 80,203 ");
    assert_contains(page, ">40.58%</text>");
    assert_contains(page, "<line class=\"tp\" x1=\"52\" y1=\"206\" x2=\"388\" y2=\"16\"/>");
    assert_int_equal(occurrences(page, "<circle class=\"behind\""), 10);
    /* the breakdown: parts and the subset, with their shares */
    assert_contains(page, ">税收：26362万元</text>");
    assert_contains(page, "<rect class=\"part\" x=\"190\" y=\"60\" width=\"336\" height=\"18\"/>");
    assert_contains(page, ">20136万元，占76.38%</text>");
    assert_contains(page, "<rect class=\"subset\" ");
    assert_contains(page, ">10500万元，占39.83%</text>");
    free(page);
}

static void no_months_no_months_chart(void **state)
{
    ps__report_t *r = *state;
    r->sections[0].inds[0].n_months = 0;
    char *page = render(r);
    assert_null(strstr(page, "逐月累计进度"));
    assert_null(strstr(page, "<polyline"));
    assert_int_equal(occurrences(page, "<svg "), 2);
    free(page);
}

static void sources_status(void **state)
{
    char *page = render(*state);
    assert_contains(page, "<tr><th scope=\"row\">经济发展局</th><td class=\"text\">investment"
                          "</td><td>2023年10月</td><td>727</td><td class=\"text\">按期报送</td>"
                          "</tr>");
    assert_contains(page, "<td>2023年8月</td><td>727</td><td class=\"text behind\">"
                          "未按期报送（应报至2023年9月）</td>");
    free(page);
}

/* Nothing computed: a page still, without table or charts. */
static void empty_report(void **state)
{
    (void)state;
    ps__report_t r = { .period = REPORT };
    char *page = render(&r);
    assert_contains(page, "<h1></h1>");
    assert_contains(page, "<p>各项指标暂无数据。</p>");
    assert_null(strstr(page, "<table"));
    assert_null(strstr(page, "<svg"));
    assert_contains(page, "</body>\n</html>\n");
    free(page);
}

static void generated_at_in_the_footer(void **state)
{
    ps__report_t *r = *state;
    r->generated_at = strdup("2023-11-02T06:30:00+08:00");
    char *page = render(r);
    assert_contains(page, "<footer>生成时间：2023-11-02T06:30:00+08:00</footer>");
    free(page);
}

static void svg_scale_clamps(void **state)
{
    (void)state;
    assert_int_equal(ps__svg_scale(-5, 10000, 440), 0);
    assert_int_equal(ps__svg_scale(4058, 10000, 440), 178);
    assert_int_equal(ps__svg_scale(10000, 10000, 440), 440);
    assert_int_equal(ps__svg_scale(INT64_MAX, 10000, 440), 440);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_every_special_character),
        T(self_contained_without_script_or_url),
        T(text_is_escaped),
        T(holds_the_prose),
        T(main_table_rows),
        T(headers_aligned_as_their_columns),
        T(tables_scroll_in_their_own_box),
        T(on_time_progress_is_grey),
        T(main_rows_put_targets_first),
        T(charts),
        T(no_months_no_months_chart),
        T(sources_status),
        cmocka_unit_test(empty_report),
        T(generated_at_in_the_footer),
        cmocka_unit_test(svg_scale_clamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
