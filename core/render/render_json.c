#include "config.h"

#include <string.h>

#include "num/format.h"
#include "render/render.h"
#include "render/table.h"
#include "report/template.h"

static void put_string(ps__buf_t *out, const char *s)
{
    if (!s) {
        ps__buf_puts(out, "null");
        return;
    }
    ps__buf_puts(out, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            ps__buf_printf(out, "\\%c", *p);
        else if (*p == '\n')
            ps__buf_puts(out, "\\n");
        else if (*p < 0x20)
            ps__buf_printf(out, "\\u%04x", *p);
        else
            ps__buf_append(out, (const char *)p, 1);
    }
    ps__buf_puts(out, "\"");
}

/* Appends `prefix` "name": "value" (or null). */
static void put_member(ps__buf_t *out, const char *prefix, const char *name,
                       const char *value)
{
    ps__buf_printf(out, "%s\"%s\": ", prefix, name);
    put_string(out, value);
}

static void put_period(ps__buf_t *out, ps_period_t p)
{
    ps__buf_printf(out, "\"%04d-%02d\"", ps_period_year(p), ps_period_month(p));
}

/* {"exact": "2232000000", "unit": "元", "display": "22.32亿元"} or null */
static void put_shown(ps__buf_t *out, ps_value_t v, const ps__buf_t *shown)
{
    if (!ps_value_present(v)) {
        ps__buf_puts(out, "null");
        return;
    }
    ps__buf_puts(out, "{\"exact\": \"");
    ps__format_exact(out, v.raw);
    ps__buf_puts(out, "\", \"unit\": ");
    put_string(out, v.unit);
    ps__buf_puts(out, ", \"display\": ");
    put_string(out, ps__buf_str(shown));
    ps__buf_puts(out, "}");
    out->failed |= shown->failed;
}

static void put_value(ps__buf_t *out, ps_value_t v, const char *display_unit,
                      int decimals)
{
    ps__buf_t shown = PS_BUF_INIT;
    ps__format_figure(&shown, v, display_unit, decimals);
    put_shown(out, v, &shown);
    ps__buf_free(&shown);
}

/* The indicator's value or last year's, as the report shows it. */
static void put_figure(ps__buf_t *out, const ps__ind_t *i, int year_ago)
{
    ps__buf_t shown = PS_BUF_INIT;
    ps__ind_format(&shown, i, year_ago);
    put_shown(out, year_ago ? i->year_ago : i->value, &shown);
    ps__buf_free(&shown);
}

/* A ratio's two sums, so that a reader can compute it exactly:
   {"numerator": "523", "denominator": "549", "scale": "100"}, or null. */
static void put_ratio(ps__buf_t *out, const int64_t ratio[2], int64_t scale)
{
    if (!ratio[1]) {
        ps__buf_puts(out, "null");
        return;
    }
    ps__buf_puts(out, "{\"numerator\": \"");
    ps__format_exact(out, ratio[0]);
    ps__buf_puts(out, "\", \"denominator\": \"");
    ps__format_exact(out, ratio[1]);
    ps__buf_printf(out, "\", \"scale\": \"%lld\"}", (long long)scale);
}

/* {"percent": "40.58", "display": "40.58%"} or null */
static void put_rate(ps__buf_t *out, ps_value_t num, ps_value_t den, int decimals)
{
    ps__buf_t shown = PS_BUF_INIT;
    if (!ps_value_present(num) || !ps_value_present(den) ||
        ps__format_rate(&shown, num.raw, den.raw, decimals) < 0) {
        ps__buf_puts(out, "null");
    } else {
        ps__buf_printf(out, "{\"percent\": \"%.*s\", \"display\": \"%s\"}",
                       (int)shown.len - 1, ps__buf_str(&shown), ps__buf_str(&shown));
    }
    ps__buf_free(&shown);
}

/* "time_progress", "progress_gap" (points) and "progress_status". */
static void put_progress(ps__buf_t *out, const ps__report_t *r, const ps__ind_t *i)
{
    int64_t progress, gap;
    if (ps__ind_progress(i, &progress, &gap) < 0) {
        ps__buf_puts(out, ",\n         \"time_progress\": null, \"progress_gap\": null, "
                          "\"progress_status\": null");
        return;
    }
    static const char *const status[] = { "behind", "on", "ahead" };
    int64_t g = gap < 0 ? -gap : gap;
    ps__buf_printf(out, ",\n         \"time_progress\": \"%lld.%02lld\", "
                   "\"progress_gap\": \"%s%lld.%02lld\", \"progress_status\": \"%s\"",
                   (long long)(progress / 100), (long long)(progress % 100),
                   gap < 0 ? "-" : "", (long long)(g / 100), (long long)(g % 100),
                   status[ps__progress_status(r, gap) + 1]);
}

/* A scaled number as a JSON string ("-0.9" for -9 tenths), or null. */
static void put_scaled(ps__buf_t *out, int known, int64_t scaled, int decimals)
{
    if (!known) {
        ps__buf_puts(out, "null");
        return;
    }
    ps__buf_puts(out, "\"");
    ps__format_scaled(out, scaled, decimals);
    ps__buf_puts(out, "\"");
}

/* A field as the text words it, as a JSON string. */
static void put_words(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const ps__ind_t *i, const char *field)
{
    ps__buf_t words = PS_BUF_INIT;
    ps__template_field(&words, r, s, i, field);
    put_string(out, ps__buf_str(&words));
    ps__buf_free(&words);
}

/* "year_ago", "comparable", "change" (per cent), "growth_target",
   "growth_gap" (points), "share_change" (points) and "months". */
static void put_comparison(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                           const ps__ind_t *i)
{
    int64_t change = 0, gap = 0, share = 0, points = 0;
    int has_change = ps__ind_change(i, &change) == 0;
    int has_points = ps__ind_change_points(i, &points) == 0;
    int has_gap = ps__ind_growth_gap(i, &gap) == 0;
    int has_share = ps__ind_share_change(s, i, &share) == 0;
    ps__buf_puts(out, ",\n         \"year_ago\": ");
    put_figure(out, i, 1);
    ps__buf_puts(out, ", \"year_ago_ratio\": ");
    put_ratio(out, i->year_ago_ratio, i->ratio_scale);
    ps__buf_printf(out, ", \"comparable\": %s, \"change\": ", i->comparable ? "true" : "false");
    put_scaled(out, has_change, change, PS_GROWTH_DECIMALS);
    ps__buf_puts(out, ", \"change_points\": ");
    put_scaled(out, has_points, points, 2);
    ps__buf_puts(out, ", \"change_text\": ");
    put_words(out, r, s, i, "change");
    ps__buf_puts(out, ",\n         \"growth_target\": ");
    put_scaled(out, i->has_growth_target, i->growth_target, PS_GROWTH_DECIMALS);
    ps__buf_puts(out, ", \"growth_gap\": ");
    put_scaled(out, has_gap, gap, PS_GROWTH_DECIMALS);
    ps__buf_puts(out, ", \"share_change\": ");
    put_scaled(out, has_share, share, 2);
    ps__buf_puts(out, ",\n         \"months\": [");
    for (int m = 0; m < i->n_months; m++) {
        ps__buf_puts(out, m ? ", \"" : "\"");
        ps__format_exact(out, i->months[m]);
        ps__buf_puts(out, "\"");
    }
    ps__buf_puts(out, "]");
}

static void put_indicator(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                          const ps__ind_t *i)
{
    put_member(out, "        {", "key", i->key);
    put_member(out, ", ", "label", i->label);
    put_member(out, ", ", "indicator", i->code);
    put_member(out, ", ", "parent", i->parent);
    put_member(out, ", ", "relation", ps__relation_name(i->relation));
    ps__buf_puts(out, ",\n         \"asof\": ");
    put_period(out, i->asof);
    ps__buf_puts(out, ", \"value\": ");
    put_figure(out, i, 0);
    ps__buf_puts(out, ", \"ratio\": ");
    put_ratio(out, i->ratio, i->ratio_scale);
    ps__buf_puts(out, ", \"carried\": ");
    put_value(out, i->carried, NULL, -1);
    ps__buf_puts(out, ",\n         \"target\": ");
    put_value(out, i->target, ps__ind_target_display(i), ps__ind_decimals(i));
    ps__buf_puts(out, ", \"completion\": ");
    put_rate(out, i->value, i->target, i->rate_decimals);
    ps__buf_puts(out, ",\n         \"next_target\": ");
    put_value(out, i->next_target, ps__ind_plan_display(i), ps__ind_decimals(i));
    ps__buf_puts(out, ", \"share\": ");
    put_rate(out, i->value, ps__ind_share_base(s, i), 2);
    put_progress(out, r, i);
    put_comparison(out, r, s, i);
    ps__buf_puts(out, "}");
}

static void put_sentences(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s)
{
    static const char *const kinds[] = { NULL, "summary", "body", "plan" };
    for (size_t j = 0; j < s->n_sentences; j++) {
        ps__buf_printf(out, "%s\n        {\"kind\": \"%s\", \"text\": ", j ? "," : "",
                       kinds[s->sentences[j].kind]);
        ps__buf_t text = PS_BUF_INIT;
        ps__template_expand(&text, r, s, s->sentences[j].tmpl, NULL);
        put_string(out, ps__buf_str(&text));
        ps__buf_free(&text);
        ps__buf_puts(out, "}");
    }
}

static void put_section(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s)
{
    put_member(out, "    {", "name", s->name);
    put_member(out, ", ", "module", s->module);
    put_member(out, ", ", "title", s->title);
    ps__buf_printf(out, ", \"status\": \"%s\", \"error\": ", s->error ? "failed" : "ok");
    put_string(out, s->error);
    ps__buf_puts(out, ",\n      \"indicators\": [");
    for (size_t i = 0; i < s->n_inds; i++) {
        ps__buf_puts(out, i ? ",\n" : "\n");
        put_indicator(out, r, s, &s->inds[i]);
    }
    ps__buf_puts(out, s->n_inds ? "\n      ],\n      \"sentences\": [" : "],\n      \"sentences\": [");
    put_sentences(out, r, s);
    ps__buf_puts(out, s->n_sentences ? "\n      ]}" : "]}");
}

static void put_source(ps__buf_t *out, const ps__report_t *r, const ps__source_status_t *s)
{
    put_member(out, "    {", "name", s->name);
    put_member(out, ", ", "department", s->department);
    ps__buf_puts(out, ", \"last_period\": ");
    if (s->last)
        put_period(out, s->last);
    else
        ps__buf_puts(out, "null");
    ps__buf_puts(out, ", \"due_period\": ");
    put_period(out, r->period - s->lag);
    ps__buf_printf(out, ", \"late\": %s, \"rows\": %llu, \"skipped\": %llu,\n"
                   "     \"skipped_examples\": [", ps__source_late(r, s) ? "true" : "false",
                   (unsigned long long)s->rows, (unsigned long long)s->skipped);
    for (size_t k = 0; k < PS_LEDGER_SKIPS_KEPT && s->skips[k]; k++) {
        ps__buf_puts(out, k ? ", " : "");
        put_string(out, s->skips[k]);
    }
    ps__buf_puts(out, "]}");
}

static void put_finding(ps__buf_t *out, const ps__finding_t *f)
{
    put_member(out, "      {", "rule", f->rule);
    ps__buf_printf(out, ", \"severity\": \"%s\", \"period\": ",
                   f->severity == PS_SEVERITY_ERROR ? "error" : "warning");
    put_period(out, f->period);
    put_member(out, ", ", "indicator", f->indicator);
    put_member(out, ", ", "entity", f->entity);
    put_member(out, ",\n       ", "text", f->text);
    put_member(out, ", ", "explanation", f->explanation);
    ps__buf_puts(out, "}");
}

int ps__render_json(ps__buf_t *out, const ps__report_t *r,
                    const ps__render_opts_t *opts, ps__buf_t *why)
{
    (void)opts;
    (void)why;
    ps__buf_puts(out, "{\n  \"schema\": \"parkstat-report/1\",\n  \"zone\": ");
    put_string(out, r->zone);
    ps__buf_puts(out, ",\n  \"title\": ");
    put_string(out, r->title);
    if (r->generated_at) {
        ps__buf_puts(out, ",\n  \"generated_at\": ");
        put_string(out, r->generated_at);
    }
    ps__buf_puts(out, ",\n  \"period\": ");
    put_period(out, r->period);
    ps__buf_puts(out, ",\n  \"sections\": [");
    for (size_t i = 0; i < r->n_sections; i++) {
        ps__buf_puts(out, i ? ",\n" : "\n");
        put_section(out, r, &r->sections[i]);
    }
    ps__buf_puts(out, "\n  ],\n  \"sources\": [");
    for (size_t i = 0; i < r->n_sources; i++) {
        ps__buf_puts(out, i ? ",\n" : "\n");
        put_source(out, r, &r->sources[i]);
    }
    ps__buf_puts(out, r->n_sources ? "\n  ],\n" : "],\n");
    ps__buf_printf(out, "  \"audit\": {\"rules\": %zu, \"findings\": [", r->n_rules);
    for (size_t i = 0; i < r->n_findings; i++) {
        ps__buf_puts(out, i ? ",\n" : "\n");
        put_finding(out, &r->findings[i]);
    }
    ps__buf_puts(out, r->n_findings ? "\n  ]}\n}\n" : "]}\n}\n");
    return 0;
}
