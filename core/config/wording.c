#include "config.h"

#include "config/wording.h"

#include "config/conf.h"

#include <string.h>

#include "syntax/placeholder.h"

static const char *const report_vars[] = { "zone", "year", "month", "next_year" };
#define N_REPORT_VARS (sizeof report_vars / sizeof report_vars[0])

static const char *const line_keys[PS_WORDING_LINES] = {
    [PS_LINE_PROGRESS] = "template.progress", [PS_LINE_FIGURE] = "template.figure",
    [PS_LINE_CHANGE] = "template.change", [PS_LINE_GROWTH] = "template.growth",
    [PS_LINE_LEVEL] = "template.level",
};

void ps__wording_read(ps__wording_t *w, const ps__settings_t *core)
{
    w->title = ps__settings_text(core, "template.title");
    w->opening = ps__settings_text(core, "template.opening");
    for (size_t i = 0; i < PS_WORDING_LINES; i++)
        w->lines[i] = ps__settings_text(core, line_keys[i]);
    const ps__setting_t *order = ps__settings_find(core, "order");
    w->order = order ? order->items : NULL;
    w->n_order = order ? order->n_items : 0;
}

int ps__wording_line_field(const char *name, size_t len)
{
    if (len == 6 && strncmp(name, "figure", 6) == 0)
        return PS_FIELD_FIGURE;
    return len ? ps__field_find(name, len) : -1;
}

int ps__wording_report_var(const char *name, size_t len)
{
    for (size_t i = 0; i < N_REPORT_VARS; i++)
        if (strlen(report_vars[i]) == len && strncmp(report_vars[i], name, len) == 0)
            return (int)i;
    return -1;
}

/* Checks each {NAME} of `tmpl` with `known`; says which is unknown. */
static int check_names(const ps__config_t *cfg, const char *key, const char *tmpl,
                       int (*known)(const char *, size_t), const char *expected,
                       ps__diag_t *diag)
{
    int errors = 0;
    ps__placeholder_t ph;
    /* balanced: the key table checked the braces */
    for (const char *p = tmpl; ps__placeholder_next(p, &ph) && ph.close; p = ph.close + 1) {
        size_t len = (size_t)(ph.close - ph.key);
        if (known(ph.key, len) < 0) {
            ps__diag_add(diag, "%s: [parkstat] %s: unknown placeholder {%.*s} "
                         "(expected %s)", cfg->path, key, (int)len, ph.key, expected);
            errors++;
        }
    }
    return errors;
}

static int check_order(const ps__config_t *cfg, ps__diag_t *diag)
{
    const char *names[256];
    size_t n = cfg->n_instances < 256 ? cfg->n_instances : 256, errors = 0;
    for (size_t i = 0; i < n; i++)
        names[i] = cfg->instances[i].name;
    for (size_t k = 0; k < cfg->wording.n_order; k++) {
        const char *name = cfg->wording.order[k];
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


int ps__wording_check(const ps__config_t *cfg, ps__diag_t *diag)
{
    int errors = check_order(cfg, diag);
    const char *report_tmpls[] = { cfg->wording.title, cfg->wording.opening };
    const char *report_keys[] = { "template.title", "template.opening" };
    for (size_t i = 0; i < 2; i++)
        if (report_tmpls[i])
            errors += check_names(cfg, report_keys[i], report_tmpls[i], ps__wording_report_var,
                                  "zone, year, month or next_year", diag);
    ps__buf_t fields = PS_BUF_INIT;
    ps__buf_puts(&fields, "figure, ");
    ps__field_list(&fields);
    for (size_t i = 0; i < PS_WORDING_LINES; i++)
        if (cfg->wording.lines[i])
            errors += check_names(cfg, line_keys[i], cfg->wording.lines[i],
                                  ps__wording_line_field, ps__buf_str(&fields), diag);
    ps__buf_free(&fields);
    return errors;
}
