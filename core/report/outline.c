#include "config.h"

#include "report/outline.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "report/fields.h"

static const char *const report_names[] = { "zone", "year", "month", "next_year" };
#define N_REPORT_NAMES (sizeof report_names / sizeof report_names[0])

static const char *const report_keys[] = { "template.title", "template.opening" };
static const char *const line_keys[] = { "template.progress", "template.figure",
                                         "template.change", "template.growth" };
#define N_LINES (sizeof line_keys / sizeof line_keys[0])

/* The field a line placeholder names: {figure} is the bare placeholder. */
static int line_field(const char *name, size_t len)
{
    if (len == 6 && strncmp(name, "figure", 6) == 0)
        return ps__field_find("", 0);
    return len ? ps__field_find(name, len) : -1;
}

static int report_name(const char *name, size_t len)
{
    for (size_t i = 0; i < N_REPORT_NAMES; i++)
        if (strlen(report_names[i]) == len && strncmp(report_names[i], name, len) == 0)
            return (int)i;
    return -1;
}

/* Checks each {NAME} of `tmpl` with `known`; says which is unknown. */
static int check_names(const ps__config_t *cfg, const char *key, const char *tmpl,
                       int (*known)(const char *, size_t), const char *expected,
                       ps__diag_t *diag)
{
    int errors = 0;
    for (const char *p = strchr(tmpl, '{'); p; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}'); /* balanced: the key table checked it */
        size_t len = close ? (size_t)(close - p - 1) : 0;
        if (close && known(p + 1, len) < 0) {
            ps__diag_add(diag, "%s: [parkstat] %s: unknown placeholder {%.*s} "
                         "(expected %s)", cfg->path, key, (int)len, p + 1, expected);
            errors++;
        }
    }
    return errors;
}

static int check_order(const ps__config_t *cfg, ps__diag_t *diag)
{
    const ps__setting_t *order = ps__settings_find(&cfg->core, "order");
    const char *names[256];
    size_t n = cfg->n_instances < 256 ? cfg->n_instances : 256, errors = 0;
    for (size_t i = 0; i < n; i++)
        names[i] = cfg->instances[i].name;
    for (size_t k = 0; order && k < order->n_items; k++) {
        const char *name = order->items[k];
        size_t i = 0;
        while (i < cfg->n_instances && strcmp(cfg->instances[i].name, name) != 0)
            i++;
        if (i < cfg->n_instances)
            continue;
        const char *close = ps__suggest(name, names, n);
        ps__diag_add(diag, "%s: [parkstat] order names '%s', which is no [plugin.NAME] "
                     "section%s%s%s", cfg->path, name, close ? " (did you mean '" : "",
                     close ? close : "", close ? "'?)" : "");
        errors++;
    }
    return (int)errors;
}

int ps__outline_check(const ps__config_t *cfg, ps__diag_t *diag)
{
    int errors = check_order(cfg, diag);
    for (size_t i = 0; i < sizeof report_keys / sizeof report_keys[0]; i++) {
        const char *tmpl = ps__settings_text(&cfg->core, report_keys[i]);
        if (tmpl)
            errors += check_names(cfg, report_keys[i], tmpl, report_name,
                                  "zone, year, month or next_year", diag);
    }
    ps__buf_t fields = PS_BUF_INIT;
    ps__buf_puts(&fields, "figure, ");
    ps__field_list(&fields);
    for (size_t i = 0; i < N_LINES; i++) {
        const char *tmpl = ps__settings_text(&cfg->core, line_keys[i]);
        if (tmpl)
            errors += check_names(cfg, line_keys[i], tmpl, line_field,
                                  ps__buf_str(&fields), diag);
    }
    ps__buf_free(&fields);
    return errors;
}

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
    const char *p = tmpl;
    for (const char *open = strchr(p, '{'); open; open = strchr(p, '{')) {
        const char *close = strchr(open, '}');
        if (!close)
            break;
        ps__buf_append(out, p, (size_t)(open - p));
        put(out, at, open + 1, (size_t)(close - open - 1));
        p = close + 1;
    }
    ps__buf_puts(out, p);
}

static void put_report_name(ps__buf_t *out, const scope_t *at, const char *name, size_t len)
{
    int year = ps_period_year(at->r->period);
    switch (report_name(name, len)) {
    case 0: ps__buf_puts(out, at->r->zone ? at->r->zone : ""); break;
    case 1: ps__buf_printf(out, "%d", year); break;
    case 2: ps__buf_printf(out, "%d", ps_period_month(at->r->period)); break;
    case 3: ps__buf_printf(out, "%d", year + 1); break;
    default: break;
    }
}

static void put_line_field(ps__buf_t *out, const scope_t *at, const char *name, size_t len)
{
    int field = line_field(name, len);
    if (field >= 0)
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
static size_t rank_of(const ps__setting_t *order, const ps__config_t *cfg, const char *name)
{
    size_t listed = order ? order->n_items : 0;
    for (size_t k = 0; k < listed; k++)
        if (strcmp(order->items[k], name) == 0)
            return k;
    for (size_t i = 0; i < cfg->n_instances; i++)
        if (strcmp(cfg->instances[i].name, name) == 0)
            return listed + i;
    return listed + cfg->n_instances; /* derived indicators' own section: last */
}

static void order_sections(const ps__config_t *cfg, ps__report_t *r)
{
    const ps__setting_t *order = ps__settings_find(&cfg->core, "order");
    /* insertion sort: a handful of sections, and it is stable */
    for (size_t i = 1; i < r->n_sections; i++) {
        ps__section_t moving = r->sections[i];
        size_t rank = rank_of(order, cfg, moving.name), j = i;
        for (; j > 0 && rank_of(order, cfg, r->sections[j - 1].name) > rank; j--)
            r->sections[j] = r->sections[j - 1];
        r->sections[j] = moving;
    }
}

int ps__outline_apply(const ps__config_t *cfg, ps__report_t *r)
{
    const ps__settings_t *core = &cfg->core;
    r->title = expanded(r, ps__settings_text(core, "template.title"));
    r->opening = expanded(r, ps__settings_text(core, "template.opening"));
    char **copies[N_LINES] = { &r->line_progress, &r->line_figure, &r->line_change,
                               &r->line_growth };
    int failed = !r->title || !r->opening;
    for (size_t i = 0; i < N_LINES; i++) {
        const char *line = ps__settings_text(core, line_keys[i]);
        failed |= !(*copies[i] = strdup(line ? line : ""));
    }
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
    int has_target = ps_value_present(ind->value) && ps_value_present(ind->target);
    int has_change = ps__ind_change(ind, &change) == 0;
    if (!has_target && !has_change)
        return;
    const char *head = has_target ? r->line_progress : r->line_figure;
    if (head)
        expand_line(out, r, s, ind, head);
    if (has_change)
        ps__buf_puts(out, "，");
    if (has_change && ind->has_growth_target && r->line_growth)
        expand_line(out, r, s, ind, r->line_growth);
    else if (has_change && r->line_change)
        expand_line(out, r, s, ind, r->line_change);
}
