#include "config.h"

#include "report/audit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <parkstat/error.h>

#include "base/infile.h"
#include "ledger/stocks.h"
#include "ledger/csv.h"
#include "syntax/expr.h"
#include "num/format.h"

/* What a ledger rule needs while it walks the series of its source. */
typedef struct walk {
    const ps__config_t *cfg;
    ps__cube_t *cube;
    ps__report_t *report;
    const ps__audit_rule_t *rule;
    ps_period_t due;          /* the month the source should reach */
} walk_t;

static enum ps__severity severity_of(const ps__audit_rule_t *rule)
{
    return rule->is_warning ? PS_SEVERITY_WARNING : PS_SEVERITY_ERROR;
}

static int add_finding(ps__report_t *r, const ps__audit_rule_t *rule, ps__buf_t *text,
                       const char *indicator, const char *entity, ps_period_t period)
{
    ps__finding_t f = { .rule = strdup(rule->name), .severity = severity_of(rule),
                        .text = ps__buf_take(text), .period = period,
                        .indicator = indicator ? strdup(indicator) : NULL,
                        .entity = entity ? strdup(entity) : NULL };
    return ps__report_add_finding(r, &f);
}

/* ---- balance: left = right, within a tolerance -------------------------- */

typedef struct balance_side {
    ps__report_t *report;
    const ps__ind_t *first;   /* the first indicator named: units for the text */
    int missing;
    const char *absent;       /* a figure its section did not emit this month */
} balance_side_t;

static int balance_lookup(void *arg, const char *ref, int64_t *raw, ps__buf_t *why)
{
    balance_side_t *side = arg;
    ps__section_t *s;
    const ps__ind_t *ind;
    int rc = ps__report_ref(side->report, ref, &s, &ind, why);
    if (rc == PS_ENOENT && s) {
        /* its section computed but has no such figure: a breakdown part
           without rows this month (or a typo, which the finding shows) */
        side->absent = side->absent ? side->absent : ref;
        ps__buf_reset(why);
        rc = 0;
    }
    if (rc == 0 && ind && !side->first)
        side->first = ind;
    *raw = ind ? ind->value.raw : 0;
    if (rc == 0 && (!ind || !ps_value_present(ind->value))) {
        side->missing = 1;
        return PS__EXPR_MISSING;
    }
    return rc;
}

static void put_figure(ps__buf_t *b, int64_t raw, const ps__ind_t *like)
{
    ps_value_t v = { raw, like && like->value.unit ? like->value.unit : "" };
    ps__format_value(b, v, like ? like->display_unit : NULL);
}

static int check_balance(const ps__audit_rule_t *rule, ps__report_t *report,
                         ps__buf_t *why)
{
    balance_side_t side = { .report = report };
    int64_t left = 0, right = 0;
    int rc = ps__expr_eval(rule->left, balance_lookup, &side, &left, why);
    if (rc >= 0) { /* a missing left side still checks the right one's names */
        int right_rc = ps__expr_eval(rule->right, balance_lookup, &side, &right, why);
        rc = right_rc < 0 ? right_rc : rc;
    }
    if (rc >= 0 && side.absent) {
        ps__buf_t text = PS_BUF_INIT;
        ps__buf_printf(&text, "%s无法核对：%s本期没有数据", rule->label, side.absent);
        ps__finding_t f = { .rule = strdup(rule->name), .severity = PS_SEVERITY_WARNING,
                            .text = ps__buf_take(&text), .period = report->period };
        return ps__report_add_finding(report, &f);
    }
    if (rc < 0 || side.missing) /* a failed section is reported already */
        return rc < 0 ? rc : 0;
    int64_t diff = left > right ? left - right : right - left;
    if (diff <= rule->tolerance)
        return 0;
    ps__buf_t text = PS_BUF_INIT;
    ps__buf_printf(&text, "%s不平衡：%s为", rule->label,
                   rule->left_text);
    put_figure(&text, left, side.first);
    ps__buf_printf(&text, "，%s为", rule->right_text);
    put_figure(&text, right, side.first);
    ps__buf_puts(&text, "，相差");
    put_figure(&text, diff, side.first);
    return add_finding(report, rule, &text, NULL, NULL, report->period);
}

/* ---- rules over the series of a ledger source --------------------------- */

static const char *string_of(const walk_t *w, uint32_t id)
{
    return ps__intern_str(ps__cube_strings(w->cube), id);
}

/* "某公司的各业总产值": whose figure, and which. */
static void put_subject(ps__buf_t *text, const walk_t *w, const ps__cell_key_t *key)
{
    const char *code = string_of(w, key->indicator);
    const ps__indicator_def_t *def = ps__config_indicator(w->cfg, code);
    ps__buf_printf(text, "%s的%s", string_of(w, key->entity),
                   def && def->label ? def->label : code);
}

static void put_value(ps__buf_t *text, const walk_t *w, const ps__cell_key_t *key,
                      int64_t raw)
{
    const char *code = string_of(w, key->indicator);
    const ps__indicator_def_t *def = ps__config_indicator(w->cfg, code);
    ps_value_t v = { raw, ps__cube_unit(w->cube, key->indicator) };
    ps__format_value(text, v, def ? def->display_unit : NULL);
}

static int ledger_finding(const walk_t *w, const ps__cell_key_t *key, ps__buf_t *text,
                          ps_period_t period)
{
    return add_finding(w->report, w->rule, text, string_of(w, key->indicator),
                       string_of(w, key->entity), period);
}

/* A year-to-date series (now monthly flows) that falls: a negative month. */
static int series_cumulative(void *arg, const ps__cell_key_t *key,
                             const ps_period_t *periods, const int64_t *values, size_t n)
{
    const walk_t *w = arg;
    int64_t total = 0;
    for (size_t i = 0; i < n && periods[i] <= w->report->period; i++) {
        if (i > 0 && ps_period_year(periods[i]) != ps_period_year(periods[i - 1]))
            total = 0;
        int64_t before = total;
        total += values[i];
        if (values[i] >= 0 || i == 0 || ps_period_year(periods[i]) != ps_period_year(periods[i - 1]))
            continue;
        ps__buf_t text = PS_BUF_INIT;
        put_subject(&text, w, key);
        ps__buf_printf(&text, "%d年%d月累计", ps_period_year(periods[i]),
                       ps_period_month(periods[i]));
        put_value(&text, w, key, total);
        ps__buf_puts(&text, "，低于上月累计");
        put_value(&text, w, key, before);
        int rc = ledger_finding(w, key, &text, periods[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* An entity that reported this year and then skipped a month, or stopped
   before the month its source is due. */
static int series_late(void *arg, const ps__cell_key_t *key, const ps_period_t *periods,
                       const int64_t *values, size_t n)
{
    const walk_t *w = arg;
    (void)values;
    ps_period_t year_start = ps_period_year_start(w->due), expected = 0;
    for (size_t i = 0; i <= n; i++) {
        ps_period_t p = i < n ? periods[i] : w->due + 1;
        if (p < year_start || (i < n && p > w->due))
            continue;
        if (expected && p > expected) {
            ps__buf_t text = PS_BUF_INIT;
            put_subject(&text, w, key);
            ps__buf_printf(&text, "缺报%d年%d月", ps_period_year(expected),
                           ps_period_month(expected));
            if (p - 1 > expected)
                ps__buf_printf(&text, "至%d月", ps_period_month(p - 1));
            ps__buf_puts(&text, "数据（此前已按月报送）");
            int rc = ledger_finding(w, key, &text, expected);
            if (rc < 0)
                return rc;
        }
        expected = p + 1;
    }
    return 0;
}

/* Puts v into the first n values of `sorted`, keeping them in order. */
static void insert_sorted(int64_t *sorted, size_t n, int64_t v)
{
    size_t i = n;
    for (; i > 0 && sorted[i - 1] > v; i--)
        sorted[i] = sorted[i - 1];
    sorted[i] = v;
}

/* Whether v is more than `factor` times the median, or less than its
   factor-th part; exact, in 128 bits. */
static int is_outlier(int64_t v, int64_t median, int64_t factor)
{
    return (__int128)v > (__int128)median * factor || (__int128)v * factor < median;
}

static int outlier_finding(const walk_t *w, const ps__cell_key_t *key, ps_period_t month,
                           int64_t v, int64_t median, size_t history)
{
    ps__buf_t text = PS_BUF_INIT;
    put_subject(&text, w, key);
    ps__buf_printf(&text, "%d年%d月为", ps_period_year(month), ps_period_month(month));
    put_value(&text, w, key, v);
    ps__buf_printf(&text, "，此前%zu个月的中位数为", history);
    put_value(&text, w, key, median);
    if (v >= median) {
        /* v / median to one decimal, rounded half up; 128 bits so that
           no value can overflow it */
        __int128 tenths = ((__int128)v * 10 + median / 2) / median;
        ps__buf_printf(&text, "，为其%llu.%u倍", (unsigned long long)(tenths / 10),
                       (unsigned)(tenths % 10));
    } else {
        ps__buf_puts(&text, "，仅为其");
        ps__format_rate(&text, v, median, 2);
    }
    return ledger_finding(w, key, &text, month);
}

/* Each month of the year up to the one the source is due, against the
   median of the entity's months before it: a January ten thousand times
   too large is as wrong as an October. */
static int series_outlier(void *arg, const ps__cell_key_t *key, const ps_period_t *periods,
                          const int64_t *values, size_t n)
{
    const walk_t *w = arg;
    ps_period_t year_start = ps_period_year_start(w->due);
    int64_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        return PS_ENOMEM;
    int rc = 0;
    for (size_t at = 0; at < n && periods[at] <= w->due && rc == 0; at++) {
        int64_t median = at ? sorted[at / 2] : 0;
        if (periods[at] >= year_start && at >= (size_t)w->rule->min_history && median > 0 &&
            is_outlier(values[at], median, w->rule->factor))
            rc = outlier_finding(w, key, periods[at], values[at], median, at);
        insert_sorted(sorted, at, values[at]);
    }
    free(sorted);
    return rc;
}

static int check_ledger_rule(const ps__config_t *cfg, ps__cube_t *cube,
                             const ps__audit_rule_t *rule, ps__report_t *report)
{
    const ps__source_t *src = &cfg->sources[rule->source];
    walk_t w = { cfg, cube, report, rule, report->period - src->lag };
    ps__series_fn fn = rule->kind == PS_AUDIT_CUMULATIVE ? series_cumulative
                     : rule->kind == PS_AUDIT_LATE ? series_late : series_outlier;
    return ps__cube_each_series(cube, (uint32_t)rule->source, fn, &w);
}

/* ---- a flow source that looks cumulative -------------------------------- */

/* A series rises when each of its months of the year, three at least, is
   larger than the one before; a source most of whose series rise is most
   likely year-to-date totals read as monthly flows (type = cumulative
   forgotten), which would sum to several times the true figure. */
#define RISING_MIN_MONTHS 3
#define RISING_SHARE_PERCENT 80

typedef struct rising {
    const walk_t *w;
    size_t judged, rising;
    ps__buf_t example;        /* the longest rising series, month by month */
    size_t example_months;
} rising_t;

/* Is the indicator declared a stock (时点数), a month-end value? */
static int is_stock(const walk_t *w, uint32_t indicator)
{
    const ps__indicator_def_t *def = ps__config_indicator(w->cfg, string_of(w, indicator));
    return def && def->stock;
}

static int series_rising(void *arg, const ps__cell_key_t *key, const ps_period_t *periods,
                         const int64_t *values, size_t n)
{
    rising_t *r = arg;
    ps_period_t year_start = ps_period_year_start(r->w->due);
    size_t first = 0, months = 0;
    while (first < n && periods[first] < year_start)
        first++;
    int rises = 1;
    for (size_t i = first; i < n && periods[i] <= r->w->due; i++, months++)
        rises &= i == first || values[i] > values[i - 1];
    if (months < RISING_MIN_MONTHS || !key->entity || is_stock(r->w, key->indicator))
        return 0; /* a stock may rise month by month: it is no total */
    r->judged++;
    r->rising += rises;
    if (!rises || months <= r->example_months)
        return 0;
    r->example_months = months;
    ps__buf_reset(&r->example);
    ps__buf_printf(&r->example, "%s：", string_of(r->w, key->entity));
    for (size_t i = first; i < first + months; i++) {
        ps__buf_printf(&r->example, "%s%d月", i > first ? "、" : "",
                       ps_period_month(periods[i]));
        put_value(&r->example, r->w, key, values[i]);
    }
    return 0;
}

static int check_rising(const ps__config_t *cfg, ps__cube_t *cube, ps__report_t *report,
                        size_t source)
{
    const ps__source_t *src = &cfg->sources[source];
    ps__audit_rule_t rule = { .name = "", .is_warning = 1 };
    walk_t w = { cfg, cube, report, &rule, report->period - src->lag };
    rising_t r = { .w = &w, .example = PS_BUF_INIT };
    int rc = ps__cube_each_series(cube, (uint32_t)source, series_rising, &r);
    if (rc == 0 && r.judged >= 2 && r.rising * 100 >= r.judged * RISING_SHARE_PERCENT) {
        ps__buf_t name = PS_BUF_INIT, text = PS_BUF_INIT;
        ps__buf_printf(&name, "source.%s", src->name);
        ps__buf_printf(&text, "疑似累计数：%s的台账中，%zu个按月报送的数据系列有%zu个"
                       "在%d年逐月上升（如%s），按当月数相加将成倍多计；若为年初至今累计数，"
                       "应在[source.%s]中设置type = cumulative", src->department,
                       r.judged, r.rising, ps_period_year(w.due), ps__buf_str(&r.example),
                       src->name);
        rule.name = name.data;
        rc = name.failed ? PS_ENOMEM : add_finding(report, &rule, &text, NULL, NULL,
                                                   report->period);
        ps__buf_free(&name);
        ps__buf_free(&text);
    }
    ps__buf_free(&r.example);
    return rc;
}

/* ---- a stock not reported (未报送) ---------------------------------------- */

/* What a stock's walk needs beside the walk: the indicator it is on. */
typedef struct unreported {
    const walk_t *w;
    uint32_t indicator;
} unreported_t;

static int unreported_finding(void *arg, uint32_t entity, int carried)
{
    const unreported_t *u = arg;
    ps__cell_key_t key = { .indicator = u->indicator, .entity = entity };
    ps__buf_t text = PS_BUF_INIT;
    put_subject(&text, u->w, &key);
    ps__buf_printf(&text, "%d年%d月未报送（上月已报送的时点数）%s",
                   ps_period_year(u->w->due), ps_period_month(u->w->due),
                   carried ? "，已按上月数结转" : "");
    return ledger_finding(u->w, &key, &text, u->w->due);
}

/* An entity that reported a stock (时点数) the month before the source is
   due and not in that month: a warning to explain, whether or not
   carry_forward took last month's value for it. */
static int check_unreported(const ps__config_t *cfg, ps__cube_t *cube, ps__report_t *report,
                            size_t source)
{
    const ps__source_t *src = &cfg->sources[source];
    ps__buf_t name = PS_BUF_INIT;
    ps__buf_printf(&name, "source.%s", src->name);
    ps__audit_rule_t rule = { .name = name.data, .is_warning = 1 };
    walk_t w = { cfg, cube, report, &rule, report->period - src->lag };
    const ps__intern_t *strings = ps__cube_strings(cube);
    uint32_t tag = ps__intern_find(strings, PS_CARRIED_TAG, strlen(PS_CARRIED_TAG));
    int rc = name.failed ? PS_ENOMEM : 0;
    for (size_t k = 0; rc == 0 && k < cfg->n_indicators; k++) {
        const ps__indicator_def_t *def = &cfg->indicators[k];
        unreported_t u = { &w, def->stock ? ps__intern_find(strings, def->code,
                                                            strlen(def->code))
                                          : UINT32_MAX };
        if (u.indicator != UINT32_MAX)
            rc = ps__cube_each_unreported(cube, (uint32_t)source, u.indicator, w.due, tag,
                                          unreported_finding, &u);
    }
    ps__buf_free(&name);
    return rc;
}

/* ---- explanations ------------------------------------------------------- */

enum { EX_PERIOD, EX_RULE, EX_INDICATOR, EX_ENTITY, EX_TEXT, EX_COLUMNS };

static int field_is(const ps__csv_field_t *f, const char *s)
{
    return s ? f->len == strlen(s) && memcmp(f->p, s, f->len) == 0 : f->len == 0;
}

/* Attaches the explanation of the row `f` to the warnings it names. */
static void explain(ps__report_t *r, const ps__csv_field_t *f)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        ps__finding_t *x = &r->findings[i];
        char period[16];
        snprintf(period, sizeof period, "%04d-%02d", ps_period_year(x->period),
                 ps_period_month(x->period));
        if (x->severity == PS_SEVERITY_WARNING && !x->explanation &&
            field_is(&f[EX_PERIOD], period) && field_is(&f[EX_RULE], x->rule) &&
            field_is(&f[EX_INDICATOR], x->indicator) && field_is(&f[EX_ENTITY], x->entity))
            x->explanation = strndup(f[EX_TEXT].p, f[EX_TEXT].len);
    }
}

static int read_explanations(const char *path, ps__report_t *r, ps__diag_t *diag)
{
    ps__buf_t why = PS_BUF_INIT;
    int fd = ps__infile_open(path, &why);
    if (fd < 0) {
        ps__diag_add(diag, "explanations %s", ps__buf_str(&why));
        ps__buf_free(&why);
        return PS_EIO;
    }
    ps__csv_t *csv = ps__csv_new(fd, path);
    const ps__csv_field_t *f;
    size_t n;
    unsigned long line;
    int rc = csv ? ps__csv_next(csv, &f, &n, &line) : PS_ENOMEM; /* the header */
    while (rc > 0 && (rc = ps__csv_next(csv, &f, &n, &line)) > 0) {
        if (n == EX_COLUMNS) {
            explain(r, f);
            continue;
        }
        ps__diag_add(diag, "%s:%lu: expected 5 fields (period, rule, indicator, entity, "
                     "explanation), found %zu", path, line, n);
        rc = PS_EPARSE;
    }
    if (rc < 0 && csv && *ps__csv_error(csv))
        ps__diag_add(diag, "%s", ps__csv_error(csv));
    ps__csv_free(csv);
    close(fd);
    return rc < 0 ? rc : 0;
}

/* ---- the audit ---------------------------------------------------------- */

/* Plugins' warnings (api->warnf) become warnings of rule "plugin.NAME", so
   that the explanations file explains them as it does the rules' own. */
static int gather_plugin_warnings(ps__report_t *report)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < report->n_sections; i++) {
        const ps__section_t *s = &report->sections[i];
        for (size_t k = 0; rc == 0 && k < s->n_warnings; k++) {
            ps__buf_t rule = PS_BUF_INIT;
            ps__buf_printf(&rule, "plugin.%s", s->name);
            ps__finding_t f = { .rule = ps__buf_take(&rule), .severity = PS_SEVERITY_WARNING,
                                .text = strdup(s->warnings[k]), .period = report->period };
            if (f.rule && f.text) {
                rc = ps__report_add_finding(report, &f); /* frees f on failure */
            } else {
                free(f.rule);
                free(f.text);
                rc = PS_ENOMEM;
            }
        }
    }
    return rc;
}

int ps__audit_run(const ps__config_t *cfg, ps__cube_t *cube, ps__report_t *report,
                  ps__diag_t *diag)
{
    int errors = 0;
    if (gather_plugin_warnings(report) < 0) {
        ps__diag_add(diag, "out of memory");
        errors++;
    }
    for (size_t i = 0; i < cfg->n_audits; i++) {
        const ps__audit_rule_t *rule = &cfg->audits[i];
        ps__buf_t why = PS_BUF_INIT;
        int rc = rule->left ? check_balance(rule, report, &why)
               : rule->source >= 0 ? check_ledger_rule(cfg, cube, rule, report) : 0;
        if (rc < 0) {
            ps__diag_add(diag, "%s: [%s] %s", cfg->path, rule->section,
                         why.len ? ps__buf_str(&why) : "out of memory");
            errors++;
        }
        ps__buf_free(&why);
    }
    report->n_rules += cfg->n_audits; /* the history may have checked one already */
    for (size_t i = 0; i < cfg->n_sources; i++)
        if ((!cfg->sources[i].cumulative && cfg->sources[i].check_rising &&
             check_rising(cfg, cube, report, i) < 0) ||
            check_unreported(cfg, cube, report, i) < 0) {
            ps__diag_add(diag, "out of memory");
            errors++;
        }
    if (cfg->explanations && read_explanations(cfg->explanations, report, diag) < 0)
        errors++;
    return errors ? PS_ECONFIG : 0;
}

int ps__audit_fails(const ps__config_t *cfg, const ps__report_t *report)
{
    for (size_t i = 0; i < report->n_findings; i++) {
        const ps__finding_t *f = &report->findings[i];
        if (cfg->fail_on == PS_FAIL_ON_ERROR && f->severity == PS_SEVERITY_ERROR)
            return 1;
        if (cfg->fail_on == PS_FAIL_ON_WARNING && !f->explanation)
            return 1;
    }
    return 0;
}
