#include "config.h"

#include "report/outline.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "config/wording.h"
#include "report/fields.h"
#include "syntax/placeholder.h"

/* What a placeholder stands in: the report, and the indicator of a line. */
typedef struct scope {
    const ps__report_t *r;
    const ps__section_t *s;
    const ps__ind_t *ind;
} scope_t;

typedef void put_name_fn(ps__buf_t *out, const scope_t *at, const char *name, size_t len);

/* Copies `tmpl`, letting `put` write each {NAME}; the names were checked
   when the INI was read. */
static void expand(ps__buf_t *out, const char *tmpl, put_name_fn *put, const scope_t *at)
{
    ps__placeholder_t ph;
    const char *p = tmpl;
    for (; ps__placeholder_next(p, &ph) && ph.close; p = ph.close + 1) {
        ps__buf_append(out, p, (size_t)(ph.open - p));
        put(out, at, ph.key, (size_t)(ph.close - ph.key));
    }
    ps__buf_puts(out, p);
}

static void put_report_name(ps__buf_t *out, const scope_t *at, const char *name, size_t len)
{
    int year = ps_period_year(at->r->period);
    switch (ps__wording_report_var(name, len)) {
    case PS_VAR_ZONE: ps__buf_puts(out, at->r->zone ? at->r->zone : ""); break;
    case PS_VAR_YEAR: ps__buf_printf(out, "%d", year); break;
    case PS_VAR_MONTH: ps__buf_printf(out, "%d", ps_period_month(at->r->period)); break;
    case PS_VAR_NEXT_YEAR: ps__buf_printf(out, "%d", year + 1); break;
    default: break;
    }
}

static void put_line_field(ps__buf_t *out, const scope_t *at, const char *name, size_t len)
{
    int field = ps__wording_line_field(name, len);
    /* an appendix line is a table's row */
    if (field == PS_FIELD_TARGET)
        ps__field_table_target(out, at->ind);
    else if (field == PS_FIELD_FIGURE)
        ps__field_figures(out, at->r, at->s, at->ind);
    else if (field >= 0)
        ps__field_put(out, at->r, at->s, at->ind, (size_t)field);
}

static char *expanded(const ps__report_t *r, const char *tmpl)
{
    ps__buf_t out = PS_BUF_INIT;
    scope_t at = { .r = r };
    expand(&out, tmpl ? tmpl : "", put_report_name, &at);
    return ps__buf_take(&out);
}

/* Where instance `name` goes: its place in `order`, or after all of them. */
static size_t rank_of(const ps__config_t *cfg, const char *name)
{
    const ps__wording_t *w = &cfg->wording;
    for (size_t k = 0; k < w->n_order; k++)
        if (strcmp(w->order[k], name) == 0)
            return k;
    for (size_t i = 0; i < cfg->n_instances; i++)
        if (strcmp(cfg->instances[i].name, name) == 0)
            return w->n_order + i;
    return w->n_order + cfg->n_instances; /* derived indicators' own section: last */
}

static void order_sections(const ps__config_t *cfg, ps__report_t *r)
{
    /* insertion sort: a handful of sections, and it is stable */
    for (size_t i = 1; i < r->n_sections; i++) {
        ps__section_t moving = r->sections[i];
        size_t rank = rank_of(cfg, moving.name), j = i;
        for (; j > 0 && rank_of(cfg, r->sections[j - 1].name) > rank; j--)
            r->sections[j] = r->sections[j - 1];
        r->sections[j] = moving;
    }
}

int ps__outline_apply(const ps__config_t *cfg, ps__report_t *r)
{
    const ps__wording_t *w = &cfg->wording;
    r->title = expanded(r, w->title);
    r->opening = expanded(r, w->opening);
    char **copies[PS_WORDING_LINES] = {
        [PS_LINE_PROGRESS] = &r->line_progress, [PS_LINE_FIGURE] = &r->line_figure,
        [PS_LINE_CHANGE] = &r->line_change, [PS_LINE_GROWTH] = &r->line_growth,
        [PS_LINE_LEVEL] = &r->line_level,
    };
    int failed = !r->title || !r->opening;
    for (size_t i = 0; i < PS_WORDING_LINES; i++)
        failed |= !(*copies[i] = strdup(w->lines[i] ? w->lines[i] : ""));
    order_sections(cfg, r);
    return failed ? PS_ENOMEM : 0;
}

static void expand_line(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                        const ps__ind_t *ind, const char *tmpl)
{
    scope_t at = { .r = r, .s = s, .ind = ind };
    expand(out, tmpl, put_line_field, &at);
}

void ps__outline_line(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const ps__ind_t *ind)
{
    int64_t change;
    if (!ps_value_present(ind->value)) {
        ps__buf_printf(out, "%s无数据", ind->label);
        return;
    }
    int has_target = ps_value_present(ind->target);
    int has_change = ps__ind_change(ind, &change) == 0 ||
                     ps__ind_change_points(ind, &change) == 0;
    const char *head = !has_target ? r->line_figure
                     : ind->stock ? r->line_level /* no time progress */
                     : r->line_progress;
    if (head)
        expand_line(out, r, s, ind, head);
    if (has_change)
        ps__buf_puts(out, "，");
    if (has_change && ind->has_growth_target && r->line_growth)
        expand_line(out, r, s, ind, r->line_growth);
    else if (has_change && r->line_change)
        expand_line(out, r, s, ind, r->line_change);
}
