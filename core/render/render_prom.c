/*
 * The report in the Prometheus text exposition format, for node_exporter's
 * textfile collector: every figure a gauge, labelled with the zone, the
 * report period, the section and the indicator; values are exact decimals
 * in base units (元 for money), ratios are fractions (0.4058 for 40.58%).
 * No timestamps: the file is the report, and the same input writes the
 * same bytes.
 */
#include "config.h"

#include <stdio.h>

#include "num/format.h"
#include "render/render.h"
#include "render/table.h"

/* Appends a label value with \\, \" and \n escaped, as the format asks. */
static void put_label_value(ps__buf_t *out, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\\' || *p == '"')
            ps__buf_append(out, "\\", 1);
        if (*p == '\n')
            ps__buf_puts(out, "\\n");
        else
            ps__buf_append(out, p, 1);
    }
}

static void put_label(ps__buf_t *out, const char *sep, const char *name, const char *value)
{
    ps__buf_printf(out, "%s%s=\"", sep, name);
    put_label_value(out, value);
    ps__buf_puts(out, "\"");
}

static void put_family(ps__buf_t *out, const char *name, const char *help)
{
    ps__buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* `name{zone="…",period="…"` without the closing brace. */
static void open_sample(ps__buf_t *out, const ps__report_t *r, const char *name)
{
    char period[16];
    snprintf(period, sizeof period, "%04d-%02d", ps_period_year(r->period),
             ps_period_month(r->period));
    ps__buf_puts(out, name);
    put_label(out, "{", "zone", r->zone);
    put_label(out, ",", "period", period);
}

/* ----------------------------------------------------------- indicators -- */

/* What one indicator family shows: a value in base units or a ratio. */
typedef struct family {
    const char *name, *help;
    int with_unit;
    /* Appends the sample's value; 0 when there is none. */
    int (*put)(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f);
} family_t;

static int put_amount(ps__buf_t *out, ps_value_t v)
{
    if (!ps_value_present(v))
        return 0;
    ps__format_exact(out, v.raw);
    return 1;
}

/* A per cent scaled by 10^d is the ratio scaled by 10^(d+2). */
static int put_ratio(ps__buf_t *out, int present, int64_t percent, int decimals)
{
    if (present)
        ps__format_scaled(out, percent, decimals + 2);
    return present;
}

static int put_value(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f)
{
    (void)f;
    return put_amount(out, i->value);
}

static int put_target(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f)
{
    (void)f;
    return put_amount(out, i->target);
}

static int put_year_ago(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f)
{
    (void)f;
    return put_amount(out, i->year_ago);
}

static int put_carried(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f)
{
    (void)f;
    return put_amount(out, i->carried);
}

static int put_completion(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f)
{
    (void)i;
    return put_ratio(out, f->has_rate, f->rate, f->rate_decimals);
}

static int put_progress(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f)
{
    (void)i;
    return put_ratio(out, f->has_progress, f->progress, 2);
}

static int put_change(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f)
{
    (void)i;
    return put_ratio(out, f->has_change, f->change, PS_GROWTH_DECIMALS);
}

static int put_change_points(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f)
{
    (void)i;
    if (f->has_points)
        ps__format_scaled(out, f->points, 2);
    return f->has_points;
}

static int put_share(ps__buf_t *out, const ps__ind_t *i, const ps__figures_t *f)
{
    (void)i;
    return put_ratio(out, f->has_share, f->share, 2);
}

static const family_t families[] = {
    { "parkstat_indicator_value", "The indicator's value for the year to date, "
      "in its base unit (yuan for money).", 1, put_value },
    { "parkstat_indicator_target", "The indicator's annual target, in its base unit.",
      1, put_target },
    { "parkstat_indicator_year_ago", "The value of the same months of last year, "
      "in its base unit.", 1, put_year_ago },
    { "parkstat_indicator_completion_ratio", "Value over annual target, as rounded "
      "in the report.", 0, put_completion },
    { "parkstat_time_progress_ratio", "The share of the year the indicator's data "
      "covers (months / 12).", 0, put_progress },
    { "parkstat_indicator_yoy_change_ratio", "Year-on-year change of the value, as "
      "rounded in the report.", 0, put_change },
    { "parkstat_indicator_yoy_change_points", "A rate's year-on-year change, in "
      "percentage points, as rounded in the report.", 0, put_change_points },
    { "parkstat_indicator_share_ratio", "The breakdown's share of its parent "
      "indicator.", 0, put_share },
    { "parkstat_indicator_carried_entities", "Entities of a month-end value that did "
      "not report this month and were taken at last month's value (carry_forward).",
      0, put_carried },
};

static void put_indicator_sample(ps__buf_t *out, const ps__report_t *r,
                                 const ps__section_t *s, const ps__ind_t *i,
                                 const family_t *fam)
{
    ps__figures_t f;
    ps__figures_of(&f, r, s, i);
    ps__buf_t value = PS_BUF_INIT;
    if (fam->put(&value, i, &f)) {
        open_sample(out, r, fam->name);
        put_label(out, ",", "section", s->name);
        put_label(out, ",", "key", i->key);
        put_label(out, ",", "indicator", i->code);
        put_label(out, ",", "label", i->label);
        put_label(out, ",", "parent", i->parent);
        if (fam->with_unit)
            put_label(out, ",", "unit", i->value.unit ? i->value.unit : i->target.unit);
        ps__buf_printf(out, "} %s\n", ps__buf_str(&value));
    }
    ps__buf_free(&value);
}

static void put_indicators(ps__buf_t *out, const ps__report_t *r)
{
    for (size_t k = 0; k < sizeof families / sizeof families[0]; k++) {
        put_family(out, families[k].name, families[k].help);
        for (size_t j = 0; j < r->n_sections; j++) {
            const ps__section_t *s = &r->sections[j];
            for (size_t i = 0; i < s->n_inds; i++)
                put_indicator_sample(out, r, s, &s->inds[i], &families[k]);
        }
    }
}

/* ------------------------------------------- sections, audit and sources -- */

static void put_sections(ps__buf_t *out, const ps__report_t *r)
{
    put_family(out, "parkstat_section_failed", "1 when the section could not be "
               "computed (the report says why), else 0.");
    for (size_t j = 0; j < r->n_sections; j++) {
        open_sample(out, r, "parkstat_section_failed");
        put_label(out, ",", "section", r->sections[j].name);
        ps__buf_printf(out, "} %d\n", r->sections[j].error != NULL);
    }
}

static void put_audit(ps__buf_t *out, const ps__report_t *r)
{
    put_family(out, "parkstat_audit_rules", "Audit rules checked.");
    open_sample(out, r, "parkstat_audit_rules");
    ps__buf_printf(out, "} %zu\n", r->n_rules);
    put_family(out, "parkstat_audit_findings", "Audit findings by severity "
               "(error: must be fixed; warning: must be explained).");
    static const struct { enum ps__severity severity; const char *name; } levels[] = {
        { PS_SEVERITY_ERROR, "error" }, { PS_SEVERITY_WARNING, "warning" },
    };
    for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_findings; i++)
            n += r->findings[i].severity == levels[k].severity;
        open_sample(out, r, "parkstat_audit_findings");
        put_label(out, ",", "severity", levels[k].name);
        ps__buf_printf(out, "} %zu\n", n);
    }
}

typedef unsigned long long source_fn(const ps__report_t *r, const ps__source_status_t *s);

static unsigned long long source_last(const ps__report_t *r, const ps__source_status_t *s)
{
    (void)r;
    return s->last ? (unsigned long long)(ps_period_year(s->last) * 100 +
                                          ps_period_month(s->last)) : 0;
}

static unsigned long long source_rows(const ps__report_t *r, const ps__source_status_t *s)
{
    (void)r;
    return s->rows;
}

static unsigned long long source_skipped(const ps__report_t *r,
                                         const ps__source_status_t *s)
{
    (void)r;
    return s->skipped;
}

static unsigned long long source_late(const ps__report_t *r, const ps__source_status_t *s)
{
    return (unsigned long long)ps__source_late(r, s);
}

static void put_sources(ps__buf_t *out, const ps__report_t *r)
{
    static const struct { const char *name, *help; source_fn *get; } metrics[] = {
        { "parkstat_source_last_period", "The latest month with data, as YYYYMM "
          "(0: none).", source_last },
        { "parkstat_source_rows", "Ledger rows read.", source_rows },
        { "parkstat_source_skipped_rows", "Bad rows left out (on_bad_row = skip).",
          source_skipped },
        { "parkstat_source_late", "1 when the department's data is older than the "
          "report allows.", source_late },
    };
    for (size_t k = 0; k < sizeof metrics / sizeof metrics[0]; k++) {
        put_family(out, metrics[k].name, metrics[k].help);
        for (size_t i = 0; i < r->n_sources; i++) {
            open_sample(out, r, metrics[k].name);
            put_label(out, ",", "source", r->sources[i].name);
            put_label(out, ",", "department", r->sources[i].department);
            ps__buf_printf(out, "} %llu\n", metrics[k].get(r, &r->sources[i]));
        }
    }
}

int ps__render_prom(ps__buf_t *out, const ps__report_t *r,
                    const ps__render_opts_t *opts, ps__buf_t *why)
{
    (void)opts;
    (void)why;
    put_indicators(out, r);
    put_sections(out, r);
    put_audit(out, r);
    put_sources(out, r);
    return 0;
}
