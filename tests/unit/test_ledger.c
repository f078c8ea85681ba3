/* Unit tests of core/ledger/ledger.h: CSV ledgers streamed into the cube. */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

#include "base/infile.h"
#include "base/mapfile.h"
#include "cube/cube.h"
#include "ledger/reader.h"
#include "ledger/ledger.h"
#include "num/period.h"
#include "testutil.h"

#include <sys/wait.h>

#define P TU_PERIOD
#define NAME "inv.csv"

/* What [indicator.CODE] sections would declare. */
static ps__indicator_def_t declared[] = {
    TU_INDICATOR("fai", "万元"),
    TU_INDICATOR("tax", "亿元"),
    TU_INDICATOR("trees", "株"),
    TU_INDICATOR("area", "平方米"),
    TU_INDICATOR("output", NULL), /* a label only: rows bring their unit */
};

typedef struct fixture {
    ps__config_t cfg;
    ps__cube_t *cube;
    ps__ledger_opts_t opts;
    ps__ledger_stats_t stats;
    ps__buf_t err;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->cfg = tu_config_with(declared, sizeof declared / sizeof declared[0]);
    f->cube = ps__cube_new();
    f->opts = (ps__ledger_opts_t){ .source = 0, .section = "source.investment",
                                   .cfg = &f->cfg };
    *state = f;
    return f->cube ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    ps__cube_free(f->cube);
    ps__buf_free(&f->err);
    free(f);
    return 0;
}

/* Reads `text` as the ledger NAME; the error, if any, stays in f->err. */
static int read_text(fixture_t *f, const char *text)
{
    int fd = tu_fd_with_text(text);
    int rc = ps__ledger_read_fd(f->cube, fd, NAME, &f->opts, &f->stats, &f->err);
    close(fd);
    return rc;
}

/* Reads text that must be accepted. */
static void read_ok(fixture_t *f, const char *text)
{
    int rc = read_text(f, text);
    if (rc != 0)
        fail_msg("refused (%d): %s", rc, ps__buf_str(&f->err));
    assert_string_equal(ps__buf_str(&f->err), "");
}

/* A string's id in the cube, UINT32_MAX when the ledger never named it. */
static uint32_t find(const fixture_t *f, const char *s)
{
    return ps__intern_find(ps__cube_strings(f->cube), s, strlen(s));
}

/* Sum of indicator over [from, to], optionally where tag = value. */
static int64_t sum_of(const fixture_t *f, const char *indicator, ps_period_t from,
                      ps_period_t to, const char *tag, const char *value,
                      uint64_t *rows)
{
    ps__tag_pair_t filter = { tag ? find(f, tag) : 0, tag ? find(f, value) : 0 };
    ps__cube_query_t q = { .indicator = find(f, indicator), .from = from, .to = to,
                           .filters = &filter, .n_filters = tag ? 1 : 0 };
    assert_int_not_equal(q.indicator, UINT32_MAX);
    if (tag) {
        assert_int_not_equal(filter.tag, UINT32_MAX);
        assert_int_not_equal(filter.value, UINT32_MAX);
    }
    int64_t sum;
    uint64_t r;
    assert_int_equal(ps__cube_sum(f->cube, &q, &sum, &r), 0);
    if (rows)
        *rows = r;
    return sum;
}

/* ---- columns ---------------------------------------------------------------- */

static void columns_in_any_order_and_case(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "Value, INDICATOR ,Unit,PERIOD\n"
               "1.5,fai,亿元,2023-01\n"
               "2500,fai,万元,2023-02\n");
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 12), NULL, NULL, NULL) ==
                tu_yuan(175000000));
    assert_string_equal(ps__cube_unit(f->cube, find(f, "fai")), "元");
}

/* Without a unit column, each indicator's declared unit applies. */
static void unit_column_is_optional(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "period,indicator,value\n"
               "2023-01,fai,100\n"
               "2023-01,tax,0.25\n"
               "2023-01,trees,300\n");
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 1), NULL, NULL, NULL) == tu_yuan(1000000));
    assert_true(sum_of(f, "tax", P(2023, 1), P(2023, 1), NULL, NULL, NULL) == tu_yuan(25000000));
    assert_true(sum_of(f, "trees", P(2023, 1), P(2023, 1), NULL, NULL, NULL) == 3000000);
    assert_string_equal(ps__cube_unit(f->cube, find(f, "trees")), "株");
    /* an empty unit cell means the declared unit too */
    read_ok(f, "period,indicator,value,unit\n2023-02,trees,5,\n");
    assert_true(sum_of(f, "trees", P(2023, 1), P(2023, 2), NULL, NULL, NULL) == 3050000);
}

static void entity_column_is_optional(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "period,indicator,value,unit,entity\n"
               "2023-01,fai,10,万元,甲公司\n"
               "2023-01,fai,20,万元,乙公司\n"
               "2023-02,fai,30,万元,甲公司\n"
               "2023-02,fai,1,万元,\n");
    ps__cube_query_t q = { .indicator = find(f, "fai"), .from = P(2023, 1),
                           .to = P(2023, 2) };
    int64_t count;
    assert_int_equal(ps__cube_count_entities(f->cube, &q, &count), 0);
    assert_true(count == 2);
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 2), NULL, NULL, NULL) == tu_yuan(610000));
}

/* More entities than the column cache holds, named month after month in
   the same order, in reverse, and with gaps: each row still gets its own
   entity's id (the reader guesses the id after the last one it missed). */
static void entities_in_any_order_keep_their_ids(void **state)
{
    fixture_t *f = *state;
    enum { N = 40 };
    ps__buf_t text = PS_BUF_INIT;
    ps__buf_puts(&text, "period,indicator,value,unit,entity\n");
    for (int month = 1; month <= 4; month++)
        for (int i = 0; i < N; i++) {
            int e = month == 3 ? N - 1 - i : i; /* month 3 backwards */
            if (month == 4 && e % 3 == 0)
                continue; /* month 4 without every third */
            ps__buf_printf(&text, "2023-%02d,fai,%d,万元,企业%02d\n", month, e + 1, e);
        }
    /* the line of 企业17 in month 3: after the header and 2 months */
    unsigned line = 1 + 2 * N + (N - 17);
    ps__buf_printf(&text, "2023-03,fai,1,万元,企业17\n");
    assert_int_equal(read_text(f, ps__buf_str(&text)), PS_EEXISTS);
    char want[160];
    snprintf(want, sizeof want, NAME ":%u: entity '企业17' already reported indicator "
             "'fai' for 2023-03 with the same tags (line %u)", 1 + 3 * N + (N - 14) + 1, line);
    assert_string_equal(ps__buf_str(&f->err), want);
    ps__cube_query_t q = { .indicator = find(f, "fai"), .from = P(2023, 4),
                           .to = P(2023, 4) };
    int64_t count;
    assert_int_equal(ps__cube_count_entities(f->cube, &q, &count), 0);
    assert_true(count == N - 14); /* 0, 3, ..., 39 left out */
    q.from = P(2023, 1);
    assert_int_equal(ps__cube_count_entities(f->cube, &q, &count), 0);
    assert_true(count == N);
    /* each month's sum is the sum of its entities' own values */
    assert_true(sum_of(f, "fai", P(2023, 3), P(2023, 3), NULL, NULL, NULL) ==
                tu_yuan(N * (N + 1) / 2 * 10000));
    ps__buf_free(&text);
}

/* Rows that name no entity are simply added, month and tags alike, into
   one cell. */
static void rows_without_entity_add_up(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "period,indicator,value,unit\n"
               "2023-01,fai,10,万元\n"
               "2023-01,fai,10,万元\n");
    uint64_t rows;
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 1), NULL, NULL, &rows) == tu_yuan(200000));
    assert_int_equal(rows, 1);
    assert_int_equal(f->stats.rows, 2);
}

/* Every other column is a tag; an empty cell leaves the tag out. */
static void other_columns_are_tags(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "period,indicator,value,unit,Industry,district\n"
               "2023-01,fai,100,万元,新能源,东区\n"
               "2023-01,fai,40,万元,装备制造,东区\n"
               "2023-02,fai,7,万元,,南区\n");
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 2), "industry", "新能源", NULL) ==
                tu_yuan(1000000));
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 2), "district", "东区", NULL) ==
                tu_yuan(1400000));
    ps__cube_query_t q = { .indicator = find(f, "fai"), .from = P(2023, 1),
                           .to = P(2023, 2) };
    ps__cube_group_t *groups;
    size_t n;
    assert_int_equal(ps__cube_breakdown(f->cube, &q, find(f, "industry"), &groups, &n), 0);
    assert_int_equal(n, 3);
    int64_t untagged = -1;
    for (size_t i = 0; i < n; i++)
        if (groups[i].value == 0)
            untagged = groups[i].sum;
    free(groups);
    assert_true(untagged == tu_yuan(70000));
}

/* 元, 万元 and 亿元 in one file add up exactly, in 元. */
static void money_units_mix_exactly(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "period,indicator,value,unit\n"
               "2023-01,output,1.5,亿元\n"
               "2023-01,output,2500,万元\n"
               "2023-01,output,\"12,345.67\",元\n"
               "2023-01,output,0.0001,万元\n"
               "2023-02,output,-0.01,亿元\n");
    /* 150000000 + 25000000 + 12345.67 + 1 - 1000000 */
    assert_true(sum_of(f, "output", P(2023, 1), P(2023, 2), NULL, NULL, NULL) ==
                1740123466700);
    assert_string_equal(ps__cube_unit(f->cube, find(f, "output")), "元");
}

/* A declared money unit accepts rows in the other two. */
static void declared_money_unit_accepts_others(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "period,indicator,value,unit\n"
               "2023-01,fai,1,亿元\n"
               "2023-01,fai,1,元\n"
               "2023-01,fai,1,\n");
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 1), NULL, NULL, NULL) ==
                tu_yuan(100010001));
}

/* An empty value is missing data, not zero: skipped and counted. */
static void empty_value_is_skipped_not_zero(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "period,indicator,value,unit\n"
               "2023-01,fai,5,万元\n"
               "2023-02,fai,0,万元\n"
               "2023-03,fai,,万元\n"
               "2023-03,trees,,\n");
    assert_int_equal(f->stats.rows, 2);
    assert_int_equal(f->stats.empty_values, 2);
    assert_int_equal(f->stats.last_period, P(2023, 2));
    uint32_t fai = find(f, "fai");
    /* the zero of February is data; March has none */
    assert_int_equal(ps__cube_latest(f->cube, fai, P(2023, 12)), P(2023, 2));
    uint64_t rows;
    assert_true(sum_of(f, "fai", P(2023, 3), P(2023, 3), NULL, NULL, &rows) == 0);
    assert_int_equal(rows, 0);
    assert_true(sum_of(f, "fai", P(2023, 2), P(2023, 2), NULL, NULL, &rows) == 0);
    assert_int_equal(rows, 1);
}

static void stats_count_across_files(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "period,indicator,value,unit\n2023-04,fai,5,万元\n2022-12,fai,5,万元\n");
    read_ok(f, "period,indicator,value,unit\n2023-01,fai,5,万元\n");
    assert_int_equal(f->stats.rows, 3);
    assert_int_equal(f->stats.empty_values, 0);
    assert_int_equal(f->stats.last_period, P(2023, 4));
}

/* Quoted fields, CRLF and a byte-order mark, as spreadsheets save them. */
static void spreadsheet_export(void **state)
{
    fixture_t *f = *state;
    read_ok(f, "\xEF\xBB\xBF\"period\",\"indicator\",\"value\",\"unit\",\"entity\"\r\n"
               "\"2023-01\",\"fai\",\"1,234.5\",\"万元\",\"某某\"\"新\"\"公司\"\r\n"
               "\r\n");
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 1), NULL, NULL, NULL) == tu_yuan(12345000));
    assert_int_not_equal(find(f, "某某\"新\"公司"), UINT32_MAX);
}

/* ---- errors, each with its full message -------------------------------------- */

typedef struct bad_ledger {
    const char *what;
    const char *text;
    int rc;
    const char *error;
} bad_ledger_t;

#define HEAD "period,indicator,value,unit\n"
#define EXPECTED_VALUE "(expected a decimal with at most 4 decimal places, e.g. 1234.5 or \"1,234.5\")"
#define GBK_HINT "(a file saved as GBK/GB18030 needs encoding = gb18030 in [source.investment])"
/* 产业 and 测试公司 in GBK */
#define GBK_INDUSTRY "\xB2\xFA\xD2\xB5"
#define GBK_COMPANY "\xB2\xE2\xCA\xD4\xB9\xAB\xCB\xBE"

static const bad_ledger_t bad_ledgers[] = {
    { "missing required column", "period,indicator,amount\n2023-01,fai,1\n", PS_EPARSE,
      NAME ":1: missing required column 'value' (a ledger needs period, indicator and value; "
      "a header in the office's words is named in [source.investment], e.g. column.period = "
      "月份)" },
    { "missing period column", "indicator,value\nfai,1\n", PS_EPARSE,
      NAME ":1: missing required column 'period' (a ledger needs period, indicator and value; "
      "a header in the office's words is named in [source.investment], e.g. column.period = "
      "月份)" },
    { "duplicate column", "period,indicator,value,Period\n", PS_EPARSE,
      NAME ":1: column 'period' appears twice (columns 1 and 4)" },
    { "duplicate tag column", "period,indicator,value,industry, INDUSTRY\n", PS_EPARSE,
      NAME ":1: column 'industry' appears twice (columns 4 and 5)" },
    { "header column without a name", "period,,indicator,value\n", PS_EPARSE,
      NAME ":1: column 2 of the header has no name" },
    { "header not UTF-8", "period,indicator,value," GBK_INDUSTRY "\n", PS_EPARSE,
      NAME ":1: the header is not valid UTF-8 " GBK_HINT },
    { "wrong field count", HEAD "2023-01,fai,1,万元\n2023-02,fai,2\n", PS_EPARSE,
      NAME ":3: expected 4 fields as in the header, found 3" },
    { "too many fields", HEAD "2023-01,fai,1,万元,x\n", PS_EPARSE,
      NAME ":2: expected 4 fields as in the header, found 5" },
    { "invalid month", HEAD "2023-13,fai,1,万元\n", PS_EPARSE,
      NAME ":2: column 'period': '2023-13' is not a month (expected YYYY-MM, e.g. 2023-10)" },
    { "period written with a slash", HEAD "2023-01,fai,1,万元\n2023/10,fai,1,万元\n", PS_EPARSE,
      NAME ":3: column 'period': '2023/10' is not a month (expected YYYY-MM, e.g. 2023-10)" },
    { "empty period", HEAD ",fai,1,万元\n", PS_EPARSE,
      NAME ":2: column 'period': '' is not a month (expected YYYY-MM, e.g. 2023-10)" },
    { "empty indicator", HEAD "2023-01,,1,万元\n", PS_EPARSE,
      NAME ":2: column 'indicator' is empty" },
    { "invalid number", HEAD "2023-01,fai,\"12,34\",万元\n", PS_EPARSE,
      NAME ":2: column 'value': '12,34' is not a number " EXPECTED_VALUE },
    { "number with a unit in it", HEAD "2023-01,fai,12万,万元\n", PS_EPARSE,
      NAME ":2: column 'value': '12万' is not a number " EXPECTED_VALUE },
    { "five decimals", HEAD "2023-01,fai,1.23456,万元\n", PS_EPARSE,
      NAME ":2: column 'value': '1.23456' has more than 4 decimal places " EXPECTED_VALUE },
    { "number out of range", HEAD "2023-01,fai,99999999999999999999,万元\n", PS_EPARSE,
      NAME ":2: column 'value': '99999999999999999999' is out of range " EXPECTED_VALUE },
    { "value out of range once in 元", HEAD "2023-01,fai,90000000,亿元\n", PS_ERANGE,
      NAME ":2: value is out of range in 元" },
    { "unit contradicting the declared one", HEAD "2023-01,trees,5,棵\n", PS_EUNIT,
      NAME ":2: unit '棵' contradicts the unit '株' that [indicator.trees] declares" },
    { "money for a declared non-money unit", HEAD "2023-01,trees,5,万元\n", PS_EUNIT,
      NAME ":2: unit '万元' contradicts the unit '株' that [indicator.trees] declares" },
    { "non-money for a declared money unit", HEAD "2023-01,fai,5,株\n", PS_EUNIT,
      NAME ":2: unit '株' contradicts the unit '万元' that [indicator.fai] declares" },
    { "short money form in a ledger", HEAD "2023-01,fai,5,万\n", PS_EUNIT,
      NAME ":2: unit '万' contradicts the unit '万元' that [indicator.fai] declares" },
    { "money in thousands, for a money indicator", HEAD "2023-01,fai,5,千元\n", PS_EUNIT,
      NAME ":2: unit '千元' is money in a unit parkstat does not take (expected 元, 万元 "
      "or 亿元: convert the value to one of them)" },
    { "foreign money for an undeclared indicator: no declaration suggested",
      HEAD "2023-01,visits,5,美元\n", PS_EUNIT,
      NAME ":2: unit '美元' is money in a unit parkstat does not take (expected 元, 万元 "
      "or 亿元: convert the value to one of them)" },
    { "undeclared non-money unit", HEAD "2023-01,visits,3,批次\n", PS_EUNIT,
      NAME ":2: unknown unit '批次' for indicator 'visits' (money is 元, 万元 or 亿元; "
      "any other unit must be declared as [indicator.visits] unit = 批次)" },
    { "undeclared, every row in the same unit: that unit suggested",
      HEAD "2023-01,visits,3,批次\n2023-02,fai,1,万元\n2023-02,visits,4,批次\n", PS_EUNIT,
      NAME ":2: unknown unit '批次' for indicator 'visits' (money is 元, 万元 or 亿元; "
      "any other unit must be declared as [indicator.visits] unit = 批次)" },
    { "undeclared, rows in two units: no one declaration fits, so none is suggested",
      HEAD "2023-01,visits,3,批次\n2023-02,fai,1,万元\n2023-02,visits,40,人次\n"
      "2023-03,visits,5,批次\n", PS_EUNIT,
      NAME ":2: unknown unit '批次' for indicator 'visits', whose rows use 2 units: "
      "'批次' (line 2), '人次' (line 4) (an indicator takes one unit, or money in 元, 万元 "
      "and 亿元: convert its rows to one, then declare it as [indicator.visits] unit = UNIT)" },
    { "undeclared, money first and then another unit: both named",
      HEAD "2023-01,visits,3,万元\n2023-02,visits,4,批次\n", PS_EUNIT,
      NAME ":3: unknown unit '批次' for indicator 'visits', whose rows use 2 units: "
      "'万元' (line 2), '批次' (line 3) (an indicator takes one unit, or money in 元, 万元 "
      "and 亿元: convert its rows to one, then declare it as [indicator.visits] unit = UNIT)" },
    { "undeclared, seventeen units: more than sixteen",
      HEAD "2023-01,visits,1,u1\n2023-01,visits,1,u2\n2023-01,visits,1,u3\n"
      "2023-01,visits,1,u4\n2023-01,visits,1,u5\n2023-01,visits,1,u6\n"
      "2023-01,visits,1,u7\n2023-01,visits,1,u8\n2023-01,visits,1,u9\n"
      "2023-01,visits,1,u10\n2023-01,visits,1,u11\n2023-01,visits,1,u12\n"
      "2023-01,visits,1,u13\n2023-01,visits,1,u14\n2023-01,visits,1,u15\n"
      "2023-01,visits,1,u16\n2023-01,visits,1,u17\n", PS_EUNIT,
      NAME ":2: unknown unit 'u1' for indicator 'visits', whose rows use more than 16 "
      "units: 'u1' (line 2), 'u2' (line 3), 'u3' (line 4), 'u4' (line 5) and more (an "
      "indicator takes one unit, or money in 元, 万元 and 亿元: convert its rows to one, "
      "then declare it as [indicator.visits] unit = UNIT)" },
    { "undeclared, six units: four named, the rest counted",
      HEAD "2023-01,visits,1,a\n2023-01,visits,1,b\n2023-01,visits,1,c\n2023-01,visits,1,d\n"
      "2023-01,visits,1,e\n2023-01,visits,1,f\n2023-02,visits,1,a\n2023-02,visits,1,e\n",
      PS_EUNIT,
      NAME ":2: unknown unit 'a' for indicator 'visits', whose rows use 6 units: "
      "'a' (line 2), 'b' (line 3), 'c' (line 4), 'd' (line 5) and 2 more (an indicator "
      "takes one unit, or money in 元, 万元 and 亿元: convert its rows to one, then declare "
      "it as [indicator.visits] unit = UNIT)" },
    { "no unit at all", "period,indicator,value\n2023-01,visits,3\n", PS_EUNIT,
      NAME ":2: indicator 'visits' has no unit: the row gives none and "
      "[indicator.visits] declares none" },
    { "empty unit, none declared", HEAD "2023-01,output,3,\n", PS_EUNIT,
      NAME ":2: indicator 'output' has no unit: the row gives none and "
      "[indicator.output] declares none" },
    { "GBK entity", "period,indicator,value,unit,entity\n2023-01,fai,1,万元," GBK_COMPANY "\n",
      PS_EPARSE, NAME ":2: column 'entity' is not valid UTF-8 " GBK_HINT },
    { "GBK indicator", HEAD "2023-01," GBK_INDUSTRY ",1,万元\n", PS_EPARSE,
      NAME ":2: column 'indicator' is not valid UTF-8 " GBK_HINT },
    { "GBK tag", "period,indicator,value,unit,industry\n2023-01,fai,1,万元," GBK_INDUSTRY "\n",
      PS_EPARSE, NAME ":2: column 'industry' is not valid UTF-8 " GBK_HINT },
    { "GBK unit", HEAD "2023-01,fai,1,\xCD\xF2\xD4\xAA\n", PS_EPARSE,
      NAME ":2: column 'unit' is not valid UTF-8 " GBK_HINT },
    { "entity reported twice",
      "period,indicator,value,unit,entity,industry\n"
      "2023-01,fai,10,万元,甲公司,新能源\n"
      "2023-02,fai,10,万元,甲公司,新能源\n"
      "2023-01,fai,10,万元,乙公司,新能源\n"
      "2023-01,fai,10,万元,甲公司,装备制造\n"
      "2023-01,fai,3,亿元,甲公司,新能源\n",
      PS_EEXISTS, NAME ":6: entity '甲公司' already reported indicator 'fai' for 2023-01 "
      "with the same tags (line 2)" },
    { "sum overflows", HEAD "2023-01,fai,5000000,亿元\n2023-01,fai,5000000,亿元\n",
      PS_EOVERFLOW, NAME ":3: the sum of indicator 'fai' for 2023-01 in [source.investment] "
      "overflows: this row and the earlier rows without entity of that month and tags "
      "(the first at line 2) add up past 922337203685477.5807 元" },
    { "sum overflows after other rows",
      "period,indicator,value,unit,industry\n"
      "2023-01,fai,1,亿元,新能源\n"
      "2023-01,fai,5000000,亿元,化工\n"
      "2023-02,fai,5000000,亿元,化工\n"
      "2023-01,fai,5000000,亿元,化工\n",
      PS_EOVERFLOW, NAME ":5: the sum of indicator 'fai' for 2023-01 in [source.investment] "
      "overflows: this row and the earlier rows without entity of that month and tags "
      "(the first at line 3) add up past 922337203685477.5807 元" },
    { "decimal point without digits after it", HEAD "2023-01,fai,5.,万元\n", PS_EPARSE,
      NAME ":2: column 'value': '5.' has no digit after the decimal point " EXPECTED_VALUE },
    { "decimal point without digits before it", HEAD "2023-01,fai,.5,万元\n", PS_EPARSE,
      NAME ":2: column 'value': '.5' has no digit before the decimal point " EXPECTED_VALUE },
    { "byte-order mark in an entity",
      "period,indicator,value,unit,entity\n2023-01,fai,1,万元,甲公司\n"
      "2023-01,fai,1,万元,\xEF\xBB\xBF乙公司\n",
      PS_EPARSE, NAME ":3: column 'entity' holds a byte-order mark (U+FEFF), an invisible "
      "character (from text pasted into this file?): remove it" },
    { "byte-order mark in a tag", "period,indicator,value,unit,industry\n"
      "2023-01,fai,1,万元,新能源\xEF\xBB\xBF\n",
      PS_EPARSE, NAME ":2: column 'industry' holds a byte-order mark (U+FEFF), an invisible "
      "character (from text pasted into this file?): remove it" },
    { "byte-order mark in an indicator", HEAD "2023-01,\xEF\xBB\xBF" "fai,1,万元\n",
      PS_EPARSE, NAME ":2: column 'indicator' holds a byte-order mark (U+FEFF), an invisible "
      "character (from text pasted into this file?): remove it" },
    { "byte-order mark in a unit", HEAD "2023-01,trees,1,\xEF\xBB\xBF株\n",
      PS_EPARSE, NAME ":2: column 'unit' holds a byte-order mark (U+FEFF), an invisible "
      "character (from text pasted into this file?): remove it" },
    { "byte-order mark before a value", HEAD "2023-01,fai,\xEF\xBB\xBF" "12,万元\n",
      PS_EPARSE, NAME ":2: column 'value' holds a byte-order mark (U+FEFF), an invisible "
      "character (from text pasted into this file?): remove it" },
    { "byte-order mark before a period", HEAD "2023-01,fai,1,万元\n"
      "\xEF\xBB\xBF" "2023-02,fai,1,万元\n",
      PS_EPARSE, NAME ":3: column 'period' holds a byte-order mark (U+FEFF), an invisible "
      "character (from text pasted into this file?): remove it" },
    { "byte-order mark in a header name", "period,indicator,value,\xEF\xBB\xBFunit\n",
      PS_EPARSE, NAME ":1: column 4 of the header holds a byte-order mark (U+FEFF), an "
      "invisible character (from text pasted into this file?): remove it" },
    { "zero-width space in an entity",
      "period,indicator,value,unit,entity\n2023-01,fai,1,万元,乙\xE2\x80\x8B公司\n",
      PS_EPARSE, NAME ":2: column 'entity' holds a zero-width space (U+200B), an invisible "
      "character (from text pasted into this file?): remove it" },
    { "space after an indicator", HEAD "2023-01,fai ,1,万元\n", PS_EPARSE,
      NAME ":2: column 'indicator': 'fai ' has a space at its end (expected 'fai': with the "
      "space it would count apart)" },
    { "ideographic spaces around an entity",
      "period,indicator,value,unit,entity\n2023-01,fai,1,万元,\xE3\x80\x80乙公司 \n",
      PS_EPARSE, NAME ":2: column 'entity': '\xE3\x80\x80乙公司 ' has a space at its start "
      "(expected '乙公司': with the space it would count apart)" },
    { "a header separated by semicolons", "period;indicator;value\n", PS_EPARSE,
      NAME ":1: the header is a single column whose names are separated by semicolons "
      "(expected columns separated by commas: save the file as \"CSV (comma delimited)\")" },
    { "broken CSV", HEAD "2023-01,fai,1,万元\n2023-02,fai,\"2,万元\n", PS_EPARSE,
      NAME ":3: unterminated quoted field" },
    { "empty file", "", PS_EPARSE,
      NAME ": empty file (expected a header row naming the columns period, indicator and value)" },
    { "only blank lines and a BOM", "\xEF\xBB\xBF\r\n\n", PS_EPARSE,
      NAME ": empty file (expected a header row naming the columns period, indicator and value)" },
};

static void bad_ledgers_refused_with_exact_messages(void **state)
{
    fixture_t *f = *state;
    for (size_t i = 0; i < sizeof bad_ledgers / sizeof bad_ledgers[0]; i++) {
        const bad_ledger_t *c = &bad_ledgers[i];
        ps__cube_free(f->cube);
        f->cube = ps__cube_new();
        ps__buf_reset(&f->err);
        print_message("case: %s\n", c->what);
        assert_int_equal(read_text(f, c->text), c->rc);
        assert_string_equal(ps__buf_str(&f->err), c->error);
    }
}

/* Decimals past the fourth that are zeros write the same number: a
   spreadsheet's fixed format of six places, say, is read as it means. */
static void zeros_past_fourth_decimal_are_the_same_number(void **state)
{
    fixture_t *f = *state;
    read_ok(f, HEAD "2023-01,fai,1.23450,元\n2023-02,fai,\"1,000.500000\",元\n");
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 1), NULL, NULL, NULL) == 12345);
    assert_true(sum_of(f, "fai", P(2023, 2), P(2023, 2), NULL, NULL, NULL) == 10005000);
}

/* A month more than PS_PERIOD_AHEAD_MAX months after the current one is a
   year typed wrong or a placeholder; the latest month allowed is read. */
static void month_far_ahead_refused(void **state)
{
    fixture_t *f = *state;
    ps_period_t latest = ps__period_latest_reportable();
    char text[256], want[512];
    snprintf(text, sizeof text, HEAD "%04d-%02d,fai,1,万元\n9999-12,fai,1,万元\n",
             ps_period_year(latest), ps_period_month(latest));
    assert_int_equal(read_text(f, text), PS_ERANGE);
    snprintf(want, sizeof want, NAME ":3: column 'period': '9999-12' is too far ahead "
             "(expected a month no later than %04d-%02d, 12 months after the current "
             "one)", ps_period_year(latest), ps_period_month(latest));
    assert_string_equal(ps__buf_str(&f->err), want);

    ps__buf_reset(&f->err);
    snprintf(text, sizeof text, HEAD "%04d-%02d,fai,1,万元\n", ps_period_year(latest + 1),
             ps_period_month(latest + 1));
    assert_int_equal(read_text(f, text), PS_ERANGE);
    assert_non_null(strstr(ps__buf_str(&f->err), "is too far ahead"));
}

/* More tag columns than the reader keeps. */
static void too_many_tag_columns(void **state)
{
    fixture_t *f = *state;
    ps__buf_t head = PS_BUF_INIT;
    ps__buf_puts(&head, "period,indicator,value");
    for (int i = 1; i <= 33; i++)
        ps__buf_printf(&head, ",tag%d", i);
    ps__buf_puts(&head, "\n");
    int rc = read_text(f, ps__buf_str(&head));
    ps__buf_free(&head);
    assert_int_equal(rc, PS_ERANGE);
    assert_string_equal(ps__buf_str(&f->err), NAME ":1: more than 32 tag columns");
}

/* ---- ps__utf8_valid ------------------------------------------------------------- */

static const struct utf8_case {
    const char *what;
    const char *bytes;
    int valid;
} utf8_cases[] = {
    { "empty", "", 1 },
    { "ASCII", "period,value", 1 },
    { "two-byte", "\xC2\xA9", 1 },
    { "Chinese", "固定资产投资", 1 },
    { "four-byte", "\xF0\x9F\x98\x80", 1 },
    { "U+D7FF, just before the surrogates", "\xED\x9F\xBF", 1 },
    { "U+E000, just after the surrogates", "\xEE\x80\x80", 1 },
    { "U+FFFF", "\xEF\xBF\xBF", 1 },
    { "U+10FFFF, the last code point", "\xF4\x8F\xBF\xBF", 1 },
    { "overlong '/' in two bytes", "\xC0\xAF", 0 },
    { "overlong in two bytes, C1", "\xC1\xBF", 0 },
    { "overlong '/' in three bytes", "\xE0\x80\xAF", 0 },
    { "overlong U+07FF in three bytes", "\xE0\x9F\xBF", 0 },
    { "overlong in four bytes", "\xF0\x80\x80\xAF", 0 },
    { "overlong U+FFFF in four bytes", "\xF0\x8F\xBF\xBF", 0 },
    { "high surrogate", "\xED\xA0\x80", 0 },
    { "low surrogate", "\xED\xBF\xBF", 0 },
    { "beyond U+10FFFF", "\xF4\x90\x80\x80", 0 },
    { "F5 lead byte", "\xF5\x80\x80\x80", 0 },
    { "FF byte", "\xFF", 0 },
    { "lone continuation byte", "a\x80" "b", 0 },
    { "truncated three-byte at the end", "ab\xE6\xB5", 0 },
    { "truncated four-byte at the end", "\xF0\x9F\x98", 0 },
    { "truncated sequence before ASCII", "\xE6\xB5" "a", 0 },
    { "bad continuation", "\xC3\x28", 0 },
    { "GBK text", GBK_COMPANY, 0 },
};

static void utf8_valid_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
        const struct utf8_case *c = &utf8_cases[i];
        print_message("case: %s\n", c->what);
        assert_int_equal(!!ps__utf8_valid(c->bytes, strlen(c->bytes)), c->valid);
    }
}

/* The length bounds the check: a sequence cut by it is invalid. */
static void utf8_valid_honours_length(void **state)
{
    (void)state;
    const char *s = "测试";
    assert_true(ps__utf8_valid(s, 3));
    assert_false(ps__utf8_valid(s, 4));
    assert_false(ps__utf8_valid(s, 2));
    assert_true(ps__utf8_valid("a\0b", 3)); /* NUL is ASCII; the CSV reader refuses it */
}

/* ---- sources: globs and cumulative ledgers -------------------------------------- */

static void source_glob_matching_no_file(void **state)
{
    fixture_t *f = *state;
    tu_dir_t dir;
    tu_dir_make(&dir);
    char *pattern = tu_dir_path(&dir, "ledgers/tax-*.csv");
    ps__source_t src = { .name = "tax", .department = "财政局", .pattern = pattern };
    int rc = ps__ledger_read_source(f->cube, &src, &f->opts, &f->stats, &f->err);
    assert_int_equal(rc, PS_ENOENT);
    ps__buf_t want = PS_BUF_INIT;
    ps__buf_printf(&want, "[source.tax] path '%s/ledgers/tax-*.csv' matches no file", dir.path);
    assert_string_equal(ps__buf_str(&f->err), ps__buf_str(&want));
    ps__buf_free(&want);
    free(pattern);
    tu_dir_remove(&dir);
}

/* A plain path that does not exist is reported the same way. */
static void source_missing_file(void **state)
{
    fixture_t *f = *state;
    ps__source_t src = { .name = "tax", .pattern = "/nonexistent/parkstat/tax.csv" };
    assert_int_equal(ps__ledger_read_source(f->cube, &src, &f->opts, &f->stats, &f->err),
                     PS_ENOENT);
    assert_string_equal(ps__buf_str(&f->err),
                        "[source.tax] path '/nonexistent/parkstat/tax.csv' matches no file");
}

/* Every file of a glob is read; an error names the file it is in. */
static void source_glob_reads_every_file(void **state)
{
    fixture_t *f = *state;
    tu_dir_t dir;
    tu_dir_make(&dir);
    free(tu_dir_write(&dir, "ledgers/tax-01.csv", HEAD "2023-01,fai,1,万元\n"));
    free(tu_dir_write(&dir, "ledgers/tax-02.csv", HEAD "2023-02,fai,2,万元\n"));
    free(tu_dir_write(&dir, "ledgers/other.csv", HEAD "2023-02,fai,1000,万元\n"));
    char *pattern = tu_dir_path(&dir, "ledgers/tax-*.csv");
    ps__source_t src = { .name = "tax", .pattern = pattern };
    assert_int_equal(ps__ledger_read_source(f->cube, &src, &f->opts, &f->stats, &f->err), 0);
    assert_true(sum_of(f, "fai", P(2023, 1), P(2023, 12), NULL, NULL, NULL) == tu_yuan(30000));
    assert_int_equal(f->stats.rows, 2);

    char *bad = tu_dir_write(&dir, "ledgers/tax-03.csv", HEAD "2023-03,fai,x,万元\n");
    assert_int_equal(ps__ledger_read_source(f->cube, &src, &f->opts, &f->stats, &f->err),
                     PS_EPARSE);
    ps__buf_t want = PS_BUF_INIT;
    ps__buf_printf(&want, "%s:2: column 'value': 'x' is not a number " EXPECTED_VALUE, bad);
    assert_string_equal(ps__buf_str(&f->err), ps__buf_str(&want));
    ps__buf_free(&want);
    free(bad);
    free(pattern);
    tu_dir_remove(&dir);
}

/* A cumulative source's year-to-date rows come out as monthly flows. */
static void cumulative_source_becomes_flows(void **state)
{
    fixture_t *f = *state;
    tu_dir_t dir;
    tu_dir_make(&dir);
    char *path = tu_dir_write(&dir, "output.csv",
                              "period,indicator,value,unit,entity\n"
                              "2023-01,output,10,万元,甲\n"
                              "2023-02,output,25,万元,甲\n"
                              "2023-03,output,45,万元,甲\n"
                              "2023-01,output,5,万元,乙\n"
                              "2023-03,output,20,万元,乙\n");
    ps__source_t src = { .name = "output", .pattern = path, .cumulative = 1 };
    f->opts.cumulative = 1;
    f->opts.source = 3;
    assert_int_equal(ps__ledger_read_source(f->cube, &src, &f->opts, &f->stats, &f->err), 0);
    assert_true(sum_of(f, "output", P(2023, 2), P(2023, 2), NULL, NULL, NULL) == tu_yuan(150000));
    assert_true(sum_of(f, "output", P(2023, 3), P(2023, 3), NULL, NULL, NULL) == tu_yuan(350000));
    assert_true(sum_of(f, "output", P(2023, 1), P(2023, 3), NULL, NULL, NULL) == tu_yuan(650000));
    free(path);
    tu_dir_remove(&dir);
}

/* ---- a file that changes while it is read -------------------------------- */

/* A ledger of `rows` rows, over many pages. */
static char *many_rows(size_t rows)
{
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_puts(&b, HEAD);
    for (size_t i = 0; i < rows; i++)
        ps__buf_printf(&b, "2023-%02zu,fai,%zu,万元\n", i % 12 + 1, i);
    return ps__buf_take(&b);
}

static int read_header_then_body(reader_t *r, ps__csv_t *csv)
{
    int rc = ps__ledger_read_header(r, csv);
    return rc < 0 ? rc : ps__ledger_read_body(r, csv);
}

/* Maps a ledger, cuts the file to one page as a writer would, then reads
   the mapping: the lost pages fault, and the guard turns the fault into
   PS_EIO. Returns what the guarded read returned. */
static int read_cut_after_mapping(fixture_t *f, int *lost_pages)
{
    char *text = many_rows(20000);
    int fd = tu_fd_with_text(text);
    free(text);
    ps__mapfile_t map;
    assert_int_equal(ps__mapfile_open(&map, fd), 1);
    assert_int_equal(ftruncate(fd, 4096), 0);
    reader_t r;
    ps__ledger_reader_init(&r, f->cube, NAME, &f->opts, &f->stats, &f->err);
    r.map = &map;
    ps__csv_t *csv = ps__csv_new_mem(map.data, map.len, NAME);
    assert_non_null(csv);
    int rc = ps__ledger_read_guarded(&r, csv, read_header_then_body);
    *lost_pages = r.lost_pages;
    ps__csv_free(csv);
    ps__ledger_reader_free(&r);
    ps__mapfile_close(&map);
    close(fd);
    return rc;
}

/* The handler is there only while a guard is armed: then the one before
   it (cmocka's, here) is back. */
static void assert_sigbus_handler(const struct sigaction *before)
{
    struct sigaction now;
    assert_int_equal(sigaction(SIGBUS, NULL, &now), 0);
    assert_ptr_equal((void *)now.sa_sigaction, (void *)before->sa_sigaction);
    assert_int_equal(now.sa_flags, before->sa_flags);
}

static void file_cut_while_mapped_is_caught(void **state)
{
    fixture_t *f = *state;
    int lost = 0;
    struct sigaction before;
    assert_int_equal(sigaction(SIGBUS, NULL, &before), 0);
    assert_int_equal(read_cut_after_mapping(f, &lost), PS_EIO);
    assert_int_equal(lost, 1);
    assert_sigbus_handler(&before);
    /* the signal is not left blocked: a second read is caught again */
    assert_int_equal(read_cut_after_mapping(f, &lost), PS_EIO);
    assert_int_equal(lost, 1);
}

static void *cut_in_thread(void *arg)
{
    static int lost;
    lost = 0;
    return read_cut_after_mapping(arg, &lost) == PS_EIO && lost ? arg : NULL;
}

/* The split reader reads in two threads: each guards its own mapping. */
static void file_cut_while_mapped_is_caught_in_a_thread(void **state)
{
    pthread_t t;
    void *got = NULL;
    struct sigaction before;
    assert_int_equal(sigaction(SIGBUS, NULL, &before), 0);
    assert_int_equal(pthread_create(&t, NULL, cut_in_thread, *state), 0);
    assert_int_equal(pthread_join(t, &got), 0);
    assert_ptr_equal(got, *state);
    assert_sigbus_handler(&before);
}

/* In a child: arms a guard over one mapping, then faults in another one,
   or is sent SIGBUS. */
static void fault_outside_the_guard(int sent)
{
    signal(SIGBUS, SIG_DFL); /* as in parkstat, not cmocka's */
    char *text = many_rows(2000);
    int guarded_fd = tu_fd_with_text(text), other_fd = tu_fd_with_text(text);
    ps__mapfile_t guarded, other;
    if (ps__mapfile_open(&guarded, guarded_fd) != 1 || ps__mapfile_open(&other, other_fd) != 1 ||
        ftruncate(other_fd, 0) != 0)
        _exit(3);
    ps__mapguard_t guard;
    ps__mapguard_arm(&guard, &guarded);
    if (sigsetjmp(guard.jump, 1) != 0)
        _exit(4); /* claimed a fault that was not in its mapping */
    if (sent)
        raise(SIGBUS);
    else
        _exit(other.data[other.len - 1] == '\n' ? 5 : 6);
    _exit(7);
}

/* A SIGBUS the guard does not own kills the process as it always did. */
static void sigbus_elsewhere_keeps_its_default_action(void **state)
{
    (void)state;
    for (int sent = 0; sent < 2; sent++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            fault_outside_the_guard(sent);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        print_message("sent=%d status=%#x\n", sent, status);
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
    }
}

/* A file read whole, then found to have grown, or replaced under its name:
   refused by name, with both sizes. */
static void file_changed_after_stamp_refused(void **state)
{
    (void)state;
    tu_dir_t dir;
    tu_dir_make(&dir);
    char *path = tu_dir_write(&dir, "L.csv", HEAD "2023-01,fai,1,万元\n");
    ps__buf_t err = PS_BUF_INIT, want = PS_BUF_INIT;
    int fd = open(path, O_RDONLY);
    ps__infile_stamp_t was;
    assert_int_equal(ps__infile_stamp(fd, &was), 0);
    assert_int_equal(ps__infile_unchanged(&was, fd, path, "L.csv", &err), 0);
    assert_string_equal(ps__buf_str(&err), "");

    int w = open(path, O_WRONLY | O_APPEND);
    tu_write_all(w, "2023-02,fai,2,万元\n", strlen("2023-02,fai,2,万元\n"));
    close(w);
    assert_int_equal(ps__infile_unchanged(&was, fd, path, "L.csv", &err), -1);
    ps__buf_printf(&want, "L.csv: changed while being read (was %lld bytes, now %lld): try "
                   "again when it is complete", (long long)was.size,
                   (long long)was.size + (long long)strlen("2023-02,fai,2,万元\n"));
    assert_string_equal(ps__buf_str(&err), ps__buf_str(&want));
    close(fd);

    /* replaced: the descriptor still reads the old file, whole */
    fd = open(path, O_RDONLY);
    assert_int_equal(ps__infile_stamp(fd, &was), 0);
    char *other = tu_dir_write(&dir, "new.csv", HEAD);
    assert_int_equal(rename(other, path), 0);
    ps__buf_reset(&err);
    ps__buf_reset(&want);
    assert_int_equal(ps__infile_unchanged(&was, fd, path, "L.csv", &err), -1);
    ps__buf_printf(&want, "L.csv: changed while being read (was %lld bytes, now %zu): try "
                   "again when it is complete", (long long)was.size, strlen(HEAD));
    assert_string_equal(ps__buf_str(&err), ps__buf_str(&want));
    /* without a name to look at, the descriptor's file is what counts */
    assert_int_equal(ps__infile_unchanged(&was, fd, NULL, "L.csv", &err), 0);
    close(fd);
    ps__buf_free(&err);
    ps__buf_free(&want);
    free(other);
    free(path);
    tu_dir_remove(&dir);
}

/* A directory is said to be one, without a line. */
static void directory_refused_as_such(void **state)
{
    fixture_t *f = *state;
    tu_dir_t dir;
    tu_dir_make(&dir);
    int fd = open(dir.path, O_RDONLY | O_DIRECTORY);
    assert_int_equal(ps__ledger_read_fd(f->cube, fd, "L.csv", &f->opts, &f->stats, &f->err),
                     PS_EIO);
    assert_string_equal(ps__buf_str(&f->err), "L.csv: is a directory, not a file: refused");
    close(fd);

    ps__buf_reset(&f->err);
    char *pattern = tu_dir_path(&dir, "ledgers");
    assert_int_equal(mkdir(pattern, 0700), 0);
    ps__source_t src = { .name = (char *)"investment", .pattern = pattern };
    assert_int_equal(ps__ledger_read_source(f->cube, &src, &f->opts, &f->stats, &f->err),
                     PS_EIO);
    ps__buf_t want = PS_BUF_INIT;
    ps__buf_printf(&want, "%s: is a directory, not a file: refused", pattern);
    assert_string_equal(ps__buf_str(&f->err), ps__buf_str(&want));
    ps__buf_free(&want);
    free(pattern);
    tu_dir_remove(&dir);
}

/* ---- headers in the office's words (column.NAME = HEADER) ------------------ */

static const ps__column_map_t office_words[] = {
    { "period", "月份" }, { "value", "本月数" }, { "entity", "企业名称" },
    { "industry", "所属行业" }, { "unit", "unit" },
};

/* A department's sheet read as it is: its headers mapped to parkstat's
   columns and tags, with spaces and ASCII case as loose as anywhere. */
static void headers_mapped_to_columns(void **state)
{
    fixture_t *f = *state;
    f->opts.columns = office_words;
    f->opts.n_columns = sizeof office_words / sizeof office_words[0];
    read_ok(f, " 月份 ,indicator,本月数,UNIT,企业名称,所属行业\n"
               "2023-01,fai,3,万元,甲公司,新能源\n2023-02,fai,4,万元,乙公司,装备制造\n");
    uint64_t rows;
    assert_int_equal(sum_of(f, "fai", P(2023, 1), P(2023, 2), NULL, NULL, &rows),
                     70000 * PS_SCALE);
    assert_int_equal(sum_of(f, "fai", P(2023, 1), P(2023, 2), "industry", "新能源", &rows),
                     30000 * PS_SCALE);
    assert_int_equal(f->stats.rows, 2);
    assert_int_not_equal(find(f, "甲公司"), UINT32_MAX);
    assert_int_equal(find(f, "企业名称"), UINT32_MAX); /* the entity, not a tag */
    assert_int_equal(find(f, "所属行业"), UINT32_MAX); /* the tag is named industry */
}

static void header_mapping_errors(void **state)
{
    fixture_t *f = *state;
    f->opts.columns = office_words;
    f->opts.n_columns = 2; /* period and value */
    static const struct { const char *text, *error; } cases[] = {
        { "日期,indicator,本月数\n2023-01,fai,3\n",
          NAME ":1: [source.investment] column.period = '月份' names no column of the "
          "header (its columns: 日期, indicator, 本月数)" },
        { "月份,indicator,本月数,value\n",
          NAME ":1: column 'value' appears twice (columns 3 and 4)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_free(&f->err);
        assert_int_equal(read_text(f, cases[i].text), PS_EPARSE);
        assert_string_equal(ps__buf_str(&f->err), cases[i].error);
    }
}


int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(columns_in_any_order_and_case),
        T(unit_column_is_optional),
        T(entity_column_is_optional),
        T(entities_in_any_order_keep_their_ids),
        T(rows_without_entity_add_up),
        T(other_columns_are_tags),
        T(money_units_mix_exactly),
        T(declared_money_unit_accepts_others),
        T(empty_value_is_skipped_not_zero),
        T(stats_count_across_files),
        T(spreadsheet_export),
        T(bad_ledgers_refused_with_exact_messages),
        T(zeros_past_fourth_decimal_are_the_same_number),
        T(month_far_ahead_refused),
        T(too_many_tag_columns),
        T(file_cut_while_mapped_is_caught),
        T(file_cut_while_mapped_is_caught_in_a_thread),
        T(sigbus_elsewhere_keeps_its_default_action),
        T(file_changed_after_stamp_refused),
        T(directory_refused_as_such),
        T(utf8_valid_table),
        T(utf8_valid_honours_length),
        T(source_glob_matching_no_file),
        T(source_missing_file),
        T(source_glob_reads_every_file),
        T(cumulative_source_becomes_flows),
        T(headers_mapped_to_columns),
        T(header_mapping_errors),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
