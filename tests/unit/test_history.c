/* Unit tests of core/report/history.h: the SQLite history of figures, on a
   temporary database and reports built by hand. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

#include "report/history.h"
#include "report/report.h"
#include "testutil.h"

#define P TU_PERIOD

/* 万元 as raw 元: wan(26362) is 26362万元. */
static int64_t wan(int64_t n)
{
    return n * 10000 * PS_SCALE;
}

typedef struct fixture {
    tu_dir_t dir;
    char *db;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    tu_dir_make(&f->dir);
    f->db = tu_dir_path(&f->dir, "history.sqlite");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    tu_dir_remove(&f->dir);
    free(f->db);
    free(f);
    return 0;
}

/*
 * The tax section of a report of `period`: 税收 (shown in 万元, as the
 * sample's [indicator.tax] asks) with one month-end cumulative figure per
 * month of `months` (in 万元), and 国税 below it.
 */
static ps__report_t *tax_report(ps_period_t period, const int64_t *months, int n)
{
    ps__report_t *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->period = period;
    r->zone = strdup("经济技术开发区");
    const char *yuan = ps__report_own(r, PS_UNIT_MONEY);
    ps__section_t *s = ps__report_add_section(r, "tax", "tax", "税收");
    ps__ind_t tax = { .key = "tax", .label = "税收", .code = "tax",
                      .value = { wan(months[n - 1]), yuan }, .target = { wan(30000), yuan },
                      .next_target = PS_VALUE_NONE, .year_ago = PS_VALUE_NONE,
                      .asof = period, .display_unit = "万元", .n_months = n };
    for (int i = 0; i < n; i++)
        tax.months[i] = wan(months[i]);
    ps__ind_t national = { .key = "国税", .label = "国税", .code = "tax", .parent = "tax",
                           .relation = PS_REL_PART, .value = { wan(20136), yuan },
                           .target = PS_VALUE_NONE, .next_target = PS_VALUE_NONE,
                           .year_ago = PS_VALUE_NONE, .asof = period,
                           .display_unit = "万元" };
    assert_int_equal(ps__section_add_ind(s, &tax), 0);
    assert_int_equal(ps__section_add_ind(s, &national), 0);
    return r;
}

static void report_free(ps__report_t *r)
{
    ps__report_free(r);
    free(r);
}

/* Opens the history, records the report and commits, as a run does. */
static void record(const fixture_t *f, ps__report_t *r)
{
    ps__history_t *h;
    ps__buf_t err = PS_BUF_INIT;
    assert_int_equal(ps__history_open(f->db, &h, &err), 0);
    assert_int_equal(ps__history_record(h, r, &err), 0);
    assert_int_equal(ps__history_commit(h, &err), 0);
    assert_int_equal(err.len, 0);
    ps__history_close(h);
    ps__buf_free(&err);
}

/* The one integer a query answers, read with SQLite directly. */
static int64_t query(const fixture_t *f, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* January to October 2023, cumulative, in 万元: August ends at 25000. */
static const int64_t october[] = { 2000, 5000, 8000, 11000, 14000, 17000, 20000,
                                   25000, 26000, 26362 };

/* ---- recording ----------------------------------------------------------- */

static void records_each_figure_exactly(void **state)
{
    fixture_t *f = *state;
    ps__report_t *r = tax_report(P(2023, 10), october, 10);
    record(f, r);
    assert_int_equal(query(f, "SELECT count(*) FROM figures WHERE period = '2023-10'"), 2);
    assert_int_equal(query(f, "SELECT value FROM figures WHERE key = 'tax'"), wan(26362));
    assert_int_equal(query(f, "SELECT typeof(value) = 'integer' FROM figures "
                              "WHERE key = 'tax'"), 1);
    assert_int_equal(query(f, "SELECT target FROM figures WHERE key = 'tax'"), wan(30000));
    assert_int_equal(query(f, "SELECT target IS NULL FROM figures WHERE key = '国税'"), 1);
    assert_int_equal(query(f, "SELECT count(*) FROM figures WHERE key = '国税' AND "
                              "parent = 'tax' AND unit = '元' AND asof = '2023-10'"), 1);
    /* months of top-level figures only; no time of the run unless asked */
    assert_int_equal(query(f, "SELECT count(*) FROM months"), 10);
    assert_int_equal(query(f, "SELECT value FROM months WHERE month = '2023-08'"), wan(25000));
    assert_int_equal(query(f, "SELECT count(*) FROM runs WHERE generated_at IS NULL"), 1);
    assert_int_equal(query(f, "PRAGMA user_version"), 1);
    assert_int_equal(r->n_rules, 1);
    assert_int_equal(r->n_findings, 0);
    report_free(r);
}

static void rerun_replaces_the_period(void **state)
{
    fixture_t *f = *state;
    ps__report_t *r = tax_report(P(2023, 10), october, 10);
    record(f, r);
    report_free(r);
    int64_t revised[10];
    memcpy(revised, october, sizeof revised);
    revised[9] = 26500;
    r = tax_report(P(2023, 10), revised, 10);
    record(f, r);
    assert_int_equal(query(f, "SELECT count(*) FROM figures"), 2);
    assert_int_equal(query(f, "SELECT count(*) FROM months"), 10);
    assert_int_equal(query(f, "SELECT count(*) FROM runs"), 1);
    assert_int_equal(query(f, "SELECT value FROM figures WHERE key = 'tax'"), wan(26500));
    /* a re-run is not judged against itself */
    assert_int_equal(r->n_findings, 0);
    report_free(r);
}

static void a_stamped_run_keeps_its_time(void **state)
{
    fixture_t *f = *state;
    ps__report_t *r = tax_report(P(2023, 10), october, 10);
    r->generated_at = strdup("2023-11-05T08:30:00+0800");
    record(f, r);
    assert_int_equal(query(f, "SELECT count(*) FROM runs WHERE "
                              "generated_at = '2023-11-05T08:30:00+0800'"), 1);
    report_free(r);
}

static void a_run_not_committed_records_nothing(void **state)
{
    fixture_t *f = *state;
    ps__report_t *r = tax_report(P(2023, 10), october, 10);
    record(f, r);
    report_free(r);
    int64_t revised[10];
    memcpy(revised, october, sizeof revised);
    revised[9] = 26500;
    r = tax_report(P(2023, 10), revised, 10);
    ps__history_t *h;
    ps__buf_t err = PS_BUF_INIT;
    assert_int_equal(ps__history_open(f->db, &h, &err), 0);
    assert_int_equal(ps__history_record(h, r, &err), 0);
    ps__history_close(h); /* as when the outputs could not be written */
    assert_int_equal(query(f, "SELECT value FROM figures WHERE key = 'tax'"), wan(26362));
    assert_int_equal(query(f, "SELECT value FROM months WHERE month = '2023-10'"),
                     wan(26362));
    ps__buf_free(&err);
    report_free(r);
}

/* ---- revisions ----------------------------------------------------------- */

typedef struct revision_case {
    const char *name;
    int64_t august, september; /* October's run, in 万元 */
    const char *text;          /* the one finding; NULL: none */
} revision_case_t;

static const revision_case_t revision_cases[] = {
    /* a flow ledger: August's row revised, later months carry it */
    { "flow", 25100, 26100, "税收（tax）2023年8月累计数由25000万元修订为25100万元" },
    /* a cumulative ledger: only August's year-to-date figure revised */
    { "cumulative", 25100, 26000, "税收（tax）2023年8月累计数由25000万元修订为25100万元" },
    /* September revised alone */
    { "september", 25000, 25990, "税收（tax）2023年9月累计数由26000万元修订为25990万元" },
    { "unchanged", 25000, 26000, NULL },
};

static void names_each_revision_once(void **state)
{
    fixture_t *f = *state;
    for (size_t c = 0; c < sizeof revision_cases / sizeof revision_cases[0]; c++) {
        const revision_case_t *rc = &revision_cases[c];
        remove(f->db);
        ps__report_t *september = tax_report(P(2023, 9), october, 9);
        record(f, september);
        report_free(september);
        int64_t months[10];
        memcpy(months, october, sizeof months);
        months[7] = rc->august;
        months[8] = rc->september;
        months[9] = rc->september + 362;
        /* twice: a re-run of the period finds the same */
        for (int run = 0; run < 2; run++) {
            ps__report_t *r = tax_report(P(2023, 10), months, 10);
            record(f, r);
            print_message("%s, run %d\n", rc->name, run + 1);
            assert_int_equal(r->n_findings, rc->text ? 1 : 0);
            if (rc->text) {
                const ps__finding_t *x = &r->findings[0];
                assert_string_equal(x->text, rc->text);
                assert_string_equal(x->rule, "revision");
                assert_int_equal(x->severity, PS_SEVERITY_WARNING);
                assert_string_equal(x->indicator, "tax");
                assert_null(x->entity);
                assert_int_equal(x->period, strstr(rc->text, "9月") ? P(2023, 9) : P(2023, 8));
            }
            report_free(r);
        }
    }
}

/* ---- months from history ------------------------------------------------- */

static void fills_months_the_ledger_no_longer_holds(void **state)
{
    fixture_t *f = *state;
    ps__report_t *r = tax_report(P(2023, 9), october, 9);
    record(f, r);
    report_free(r);
    int64_t months[10];
    memcpy(months, october, sizeof months);
    months[0] = months[1] = months[2] = 0; /* January to March archived */
    r = tax_report(P(2023, 10), months, 10);
    record(f, r);
    const ps__ind_t *tax = &r->sections[0].inds[0];
    for (int i = 0; i < 10; i++)
        assert_int_equal(tax->months[i], wan(october[i]));
    assert_int_equal(r->n_findings, 0);
    assert_int_equal(query(f, "SELECT value FROM months WHERE month = '2023-02' AND "
                              "period = '2023-10'"), wan(5000));
    report_free(r);
}

static void leaves_months_history_lacks(void **state)
{
    fixture_t *f = *state;
    int64_t months[10];
    memcpy(months, october, sizeof months);
    months[0] = 0;
    ps__report_t *r = tax_report(P(2023, 10), months, 10);
    record(f, r);
    assert_int_equal(r->sections[0].inds[0].months[0], 0);
    assert_int_equal(r->sections[0].inds[0].months[1], wan(5000));
    report_free(r);
}

/* ---- failures name the file ---------------------------------------------- */

static void expect_open_failure(const char *path, const char *why)
{
    ps__history_t *h;
    ps__buf_t err = PS_BUF_INIT;
    assert_int_equal(ps__history_open(path, &h, &err), PS_EIO);
    print_message("%s\n", ps__buf_str(&err));
    assert_non_null(strstr(ps__buf_str(&err), path));
    assert_non_null(strstr(ps__buf_str(&err), why));
    ps__history_close(h);
    ps__buf_free(&err);
}

static void refuses_what_it_cannot_use(void **state)
{
    fixture_t *f = *state;
    char *missing = tu_dir_path(&f->dir, "no/such/dir/history.sqlite");
    expect_open_failure(missing, "unable to open database file");
    free(missing);

    char *garbage = tu_dir_write(&f->dir, "garbage.sqlite",
                                 "this is not a database, but a department's notes\n"
                                 "written over the history by mistake, long enough\n"
                                 "to look like a file of some size to SQLite.\n");
    expect_open_failure(garbage, "file is not a database");
    free(garbage);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x); PRAGMA user_version = 7",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    expect_open_failure(f->db, "schema version 7; this one reads 1");
    remove(f->db);

    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    expect_open_failure(f->db, "not a parkstat history");
}

static void a_locked_history_is_an_error(void **state)
{
    fixture_t *f = *state;
    ps__report_t *r = tax_report(P(2023, 10), october, 10);
    record(f, r);
    report_free(r);
    sqlite3 *other;
    assert_int_equal(sqlite3_open(f->db, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    expect_open_failure(f->db, "database is locked");
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(records_each_figure_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(rerun_replaces_the_period, setup, teardown),
        cmocka_unit_test_setup_teardown(a_stamped_run_keeps_its_time, setup, teardown),
        cmocka_unit_test_setup_teardown(a_run_not_committed_records_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(names_each_revision_once, setup, teardown),
        cmocka_unit_test_setup_teardown(fills_months_the_ledger_no_longer_holds, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(leaves_months_history_lacks, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_what_it_cannot_use, setup, teardown),
        cmocka_unit_test_setup_teardown(a_locked_history_is_an_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
