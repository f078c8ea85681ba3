#include "config.h"

#include "report/history.h"
#include "num/period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <parkstat/error.h>

#include "config/conf.h"
#include "num/format.h"

/* ---- every statement of the history, in one place ----------------------- */

#define HISTORY_VERSION 1
#define HISTORY_BUSY_MS 2000
#define PERIOD_TEXT 16 /* room for YYYY-MM and any int */

/* Periods and months are written YYYY-MM; figures are exact raw integers. */
static const char schema_sql[] =
    "CREATE TABLE runs ("
    "  period TEXT PRIMARY KEY,"
    "  zone TEXT NOT NULL,"
    "  generated_at TEXT);"
    "CREATE TABLE figures ("
    "  period TEXT NOT NULL, section TEXT NOT NULL, key TEXT NOT NULL,"
    "  label TEXT NOT NULL, code TEXT, parent TEXT, unit TEXT,"
    "  value INTEGER, asof TEXT, target INTEGER,"
    "  PRIMARY KEY (period, section, key));"
    "CREATE TABLE months ("
    "  period TEXT NOT NULL, section TEXT NOT NULL, key TEXT NOT NULL,"
    "  month TEXT NOT NULL, value INTEGER NOT NULL,"
    "  PRIMARY KEY (section, key, month, period));"
    "PRAGMA user_version = 1;";

enum statement {
    ST_FORGET_FIGURES, ST_FORGET_MONTHS, ST_PUT_RUN, ST_PUT_FIGURE, ST_GET_MONTHS,
    ST_PUT_MONTH, ST_COUNT
};

static const char *const statement_sql[ST_COUNT] = {
    [ST_FORGET_FIGURES] = "DELETE FROM figures WHERE period = ?1",
    [ST_FORGET_MONTHS] = "DELETE FROM months WHERE period = ?1",
    [ST_PUT_RUN] = "INSERT OR REPLACE INTO runs (period, zone, generated_at) "
                   "VALUES (?1, ?2, ?3)",
    [ST_PUT_FIGURE] = "INSERT INTO figures (period, section, key, label, code, parent, "
                      "unit, value, asof, target) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    /* every month of a year that runs up to period ?5 recorded, each
       month's records oldest run first */
    [ST_GET_MONTHS] = "SELECT month, period, value FROM months "
                      "WHERE section = ?1 AND key = ?2 AND month BETWEEN ?3 AND ?4 "
                      "AND period <= ?5 ORDER BY month, period",
    [ST_PUT_MONTH] = "INSERT INTO months (period, section, key, month, value) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)",
};

struct ps__history {
    sqlite3 *db;
    char *path;
    int in_transaction;
    sqlite3_stmt *st[ST_COUNT];
};

/* ---- plumbing ------------------------------------------------------------ */

static int fail(ps__history_t *h, const char *path, const char *doing, ps__buf_t *err)
{
    ps__buf_printf(err, "history %s: %s: %s", path, doing,
                   h && h->db ? sqlite3_errmsg(h->db) : "out of memory");
    return PS_EIO;
}

static void period_text(char out[PERIOD_TEXT], ps_period_t p)
{
    snprintf(out, PERIOD_TEXT, "%04d-%02d", ps_period_year(p), ps_period_month(p));
}

/* Runs a statement that returns no rows. */
static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int exec(ps__history_t *h, const char *sql, const char *doing, ps__buf_t *err)
{
    return sqlite3_exec(h->db, sql, NULL, NULL, NULL) == SQLITE_OK
               ? 0 : fail(h, h->path, doing, err);
}

static int query_int(ps__history_t *h, const char *sql, int *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* An empty file becomes a history; a parkstat history of this version is
   used as it is; anything else is refused. */
static int check_schema(ps__history_t *h, ps__buf_t *err)
{
    int version, tables;
    if (query_int(h, "PRAGMA user_version", &version) < 0 ||
        query_int(h, "SELECT count(*) FROM sqlite_schema", &tables) < 0)
        return fail(h, h->path, "cannot read the schema", err);
    if (version == HISTORY_VERSION)
        return 0;
    if (version == 0 && tables == 0)
        return exec(h, schema_sql, "cannot create the tables", err);
    ps__buf_printf(err, "history %s: %s", h->path,
                   version == 0 ? "is a database of something else, not a parkstat history"
                                : "was written by another version of parkstat");
    if (version)
        ps__buf_printf(err, " (schema version %d; this one reads %d)", version,
                       HISTORY_VERSION);
    return PS_EIO;
}

int ps__history_open(const char *path, ps__history_t **out, ps__buf_t *err)
{
    *out = NULL;
    ps__history_t *h = calloc(1, sizeof *h);
    if (!h || !(h->path = strdup(path))) {
        free(h);
        return fail(NULL, path, "cannot open", err);
    }
    *out = h;
    if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        return fail(h, path, "cannot open", err);
    sqlite3_extended_result_codes(h->db, 1);
    sqlite3_busy_timeout(h->db, HISTORY_BUSY_MS);
    if (exec(h, "BEGIN IMMEDIATE", "cannot begin the run's transaction", err) < 0)
        return PS_EIO;
    h->in_transaction = 1;
    int rc = check_schema(h, err);
    for (int i = 0; rc == 0 && i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(h->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &h->st[i], NULL) != SQLITE_OK)
            rc = fail(h, path, "cannot prepare a statement", err);
    return rc;
}

int ps__history_commit(ps__history_t *h, ps__buf_t *err)
{
    if (exec(h, "COMMIT", "cannot commit the run", err) < 0)
        return PS_EIO;
    h->in_transaction = 0;
    return 0;
}

void ps__history_close(ps__history_t *h)
{
    if (!h)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(h->st[i]);
    if (h->in_transaction)
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h->db);
    free(h->path);
    free(h);
}

/* ---- what earlier runs recorded of one indicator's months ---------------- */

typedef struct baseline {
    int year;
    int64_t earlier[12];   /* the latest record by a run of an earlier period */
    int has_earlier[12];
    int64_t same[12];      /* the record of an earlier run of this period */
    int has_same[12];
} baseline_t;

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static int load_baseline(ps__history_t *h, const char *period, const char *section,
                         const ps__ind_t *ind, baseline_t *b)
{
    char first[PERIOD_TEXT], last[PERIOD_TEXT];
    b->year = ps_period_year(ind->asof);
    period_text(first, ps_period_make(b->year, 1));
    period_text(last, ps_period_make(b->year, 12));
    sqlite3_stmt *st = h->st[ST_GET_MONTHS];
    bind_text(st, 1, section);
    bind_text(st, 2, ind->key);
    bind_text(st, 3, first);
    bind_text(st, 4, last);
    bind_text(st, 5, period);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *month = (const char *)sqlite3_column_text(st, 0);
        const char *by = (const char *)sqlite3_column_text(st, 1);
        ps_period_t m;
        if (!month || !by || ps__period_parse(month, strlen(month), &m) < 0)
            continue;
        int i = ps_period_month(m) - 1, same = strcmp(by, period) == 0;
        (same ? b->same : b->earlier)[i] = sqlite3_column_int64(st, 2);
        (same ? b->has_same : b->has_earlier)[i] = 1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- months from history, revisions ------------------------------------- */

/* Does the history keep this indicator's months? Its top-level figures. */
static int keeps_months(const ps__ind_t *ind)
{
    return !ind->parent && ind->n_months > 0 && ind->n_months <= 12 && ind->asof &&
           ps_value_present(ind->value);
}

/* The leading months whose cumulative value is zero are months the ledger
   no longer holds: take them from the history where it has them. */
static void fill_missing_months(ps__ind_t *ind, const baseline_t *b)
{
    for (int i = 0; i < ind->n_months && ind->months[i] == 0; i++) {
        if (b->has_earlier[i])
            ind->months[i] = b->earlier[i];
        else if (b->has_same[i])
            ind->months[i] = b->same[i];
    }
}

static void put_month_figure(ps__buf_t *text, const ps__ind_t *ind, int64_t raw)
{
    ps_value_t v = { raw, ind->value.unit };
    ps__format_figure(text, v, ind->display_unit, ps__ind_decimals(ind));
}

static int add_revision(ps__report_t *r, const ps__ind_t *ind, ps_period_t month,
                        int64_t was, int64_t now)
{
    ps__buf_t text = PS_BUF_INIT;
    ps__buf_printf(&text, "%s（%s）%d年%d月累计数由", ind->label ? ind->label : ind->key,
                   ind->key, ps_period_year(month), ps_period_month(month));
    put_month_figure(&text, ind, was);
    ps__buf_puts(&text, "修订为");
    put_month_figure(&text, ind, now);
    ps__finding_t f = { .rule = strdup(PS_HISTORY_RULE), .severity = PS_SEVERITY_WARNING,
                        .text = ps__buf_take(&text), .period = month,
                        .indicator = ind->code ? strdup(ind->code) : NULL };
    if (!f.rule || !f.text || (ind->code && !f.indicator)) {
        free(f.rule);
        free(f.text);
        free(f.indicator);
        return PS_ENOMEM;
    }
    return ps__report_add_finding(r, &f);
}

/* Each month before the report period that differs from the baseline,
   named once where a change begins (see history.h). */
static int note_revisions(ps__report_t *r, const ps__ind_t *ind, const baseline_t *b)
{
    int64_t shift_before = 0;
    for (int i = 0; i < ind->n_months; i++) {
        ps_period_t month = ps_period_make(b->year, i + 1);
        if (month >= r->period)
            break;
        if (!b->has_earlier[i]) {
            shift_before = 0;
            continue;
        }
        int64_t shift;
        int overflow = __builtin_sub_overflow(ind->months[i], b->earlier[i], &shift);
        if (overflow || (shift != 0 && shift != shift_before)) {
            int rc = add_revision(r, ind, month, b->earlier[i], ind->months[i]);
            if (rc < 0)
                return rc;
        }
        shift_before = overflow ? 0 : shift;
    }
    return 0;
}

/* ---- recording ----------------------------------------------------------- */

static int put_months(ps__history_t *h, const char *period, const char *section,
                      const ps__ind_t *ind)
{
    sqlite3_stmt *st = h->st[ST_PUT_MONTH];
    for (int i = 0; keeps_months(ind) && i < ind->n_months; i++) {
        char month[PERIOD_TEXT];
        period_text(month, ps_period_make(ps_period_year(ind->asof), i + 1));
        bind_text(st, 1, period);
        bind_text(st, 2, section);
        bind_text(st, 3, ind->key);
        bind_text(st, 4, month);
        sqlite3_bind_int64(st, 5, ind->months[i]);
        if (step_done(st) < 0)
            return -1;
    }
    return 0;
}

/* A top-level indicator's months, against the baseline: filled, compared. */
static int check_months(ps__history_t *h, ps__report_t *r, const char *period,
                        const char *section, ps__ind_t *ind, ps__buf_t *err)
{
    baseline_t b = { 0 };
    if (!keeps_months(ind))
        return 0;
    if (load_baseline(h, period, section, ind, &b) < 0)
        return fail(h, h->path, "cannot read the recorded months", err);
    fill_missing_months(ind, &b);
    return note_revisions(r, ind, &b);
}

static void bind_raw(sqlite3_stmt *st, int i, ps_value_t v)
{
    if (ps_value_present(v))
        sqlite3_bind_int64(st, i, v.raw);
    else
        sqlite3_bind_null(st, i);
}

static int put_figure(ps__history_t *h, const char *period, const char *section,
                      const ps__ind_t *ind)
{
    sqlite3_stmt *st = h->st[ST_PUT_FIGURE];
    char asof[PERIOD_TEXT];
    period_text(asof, ind->asof);
    bind_text(st, 1, period);
    bind_text(st, 2, section);
    bind_text(st, 3, ind->key);
    bind_text(st, 4, ind->label ? ind->label : ind->key);
    bind_text(st, 5, ind->code);
    bind_text(st, 6, ind->parent);
    bind_text(st, 7, ind->value.unit ? ind->value.unit : ind->target.unit);
    bind_raw(st, 8, ind->value);
    bind_text(st, 9, ind->asof ? asof : NULL);
    bind_raw(st, 10, ind->target);
    return step_done(st);
}

/* Forgets what an earlier run of the period recorded; notes this run. */
static int put_run(ps__history_t *h, const ps__report_t *r, const char *period)
{
    sqlite3_stmt *forget_figures = h->st[ST_FORGET_FIGURES];
    sqlite3_stmt *forget_months = h->st[ST_FORGET_MONTHS];
    sqlite3_stmt *run = h->st[ST_PUT_RUN];
    bind_text(forget_figures, 1, period);
    bind_text(forget_months, 1, period);
    bind_text(run, 1, period);
    bind_text(run, 2, r->zone ? r->zone : "");
    bind_text(run, 3, r->generated_at);
    return step_done(forget_figures) < 0 || step_done(forget_months) < 0 ||
                   step_done(run) < 0 ? -1 : 0;
}

int ps__history_record(ps__history_t *h, ps__report_t *report, ps__buf_t *err)
{
    char period[PERIOD_TEXT];
    period_text(period, report->period);
    int rc = 0;
    /* The baseline is read before this run's rows replace the period's. */
    for (size_t i = 0; rc == 0 && i < report->n_sections; i++) {
        ps__section_t *s = &report->sections[i];
        for (size_t k = 0; rc == 0 && k < s->n_inds; k++)
            rc = check_months(h, report, period, s->name, &s->inds[k], err);
    }
    if (rc == 0 && put_run(h, report, period) < 0)
        rc = fail(h, h->path, "cannot record the run", err);
    for (size_t i = 0; rc == 0 && i < report->n_sections; i++) {
        const ps__section_t *s = &report->sections[i];
        for (size_t k = 0; rc == 0 && k < s->n_inds; k++)
            if (put_figure(h, period, s->name, &s->inds[k]) < 0 ||
                put_months(h, period, s->name, &s->inds[k]) < 0)
                rc = fail(h, h->path, "cannot record the figures", err);
    }
    report->n_rules += rc == 0;
    return rc;
}
