#include "config.h"

#include "template.h"

#include <stdio.h>
#include <string.h>

#include <parkstat/error.h>

#include "format.h"

static const char *const fields[] = {
    "", "value", "label", "target", "next_target", "rate", "share", "parts", "asof",
    "progress", "gap", "status",
};

/* Appends hundredths as "42.75". */
static void put_hundredths(ps__buf_t *out, int64_t h)
{
    int64_t mag = h < 0 ? -h : h;
    ps__buf_printf(out, "%s%lld.%02lld", h < 0 ? "-" : "", (long long)(mag / 100),
                   (long long)(mag % 100));
}

/* {k.progress}, {k.gap} and {k.status}, as the office writes them. */
static void put_progress(ps__buf_t *out, const ps__report_t *r, const ps__ind_t *ind,
                         const char *field)
{
    int64_t progress, gap;
    if (ps__ind_progress(ind, &progress, &gap) < 0) {
        ps__buf_puts(out, "—");
        return;
    }
    int status = ps__progress_status(r, gap);
    if (strcmp(field, "progress") == 0) {
        put_hundredths(out, progress);
        ps__buf_puts(out, "%");
        return;
    }
    if (strcmp(field, "status") == 0 && status == 0) {
        ps__buf_puts(out, "与序时进度持平");
        return;
    }
    if (strcmp(field, "status") == 0)
        ps__buf_puts(out, status > 0 ? "超序时进度" : "滞后序时进度");
    put_hundredths(out, gap < 0 ? -gap : gap);
    ps__buf_puts(out, "个百分点");
}

static int field_known(const char *f, size_t n)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strlen(fields[i]) == n && strncmp(fields[i], f, n) == 0)
            return 1;
    return 0;
}

/* Splits "{key.field}" at p (just after '{') into key and field spans. */
static const char *placeholder(const char *p, size_t *key_len, const char **field,
                               size_t *field_len)
{
    const char *close = strchr(p, '}');
    if (!close)
        return NULL;
    const char *dot = memchr(p, '.', (size_t)(close - p));
    *key_len = (size_t)((dot ? dot : close) - p);
    *field = dot ? dot + 1 : close;
    *field_len = (size_t)(close - *field);
    return close;
}

static const ps__ind_t *find_n(const ps__section_t *s, const char *key, size_t n)
{
    for (size_t i = 0; i < s->n_inds; i++)
        if (strlen(s->inds[i].key) == n && strncmp(s->inds[i].key, key, n) == 0)
            return &s->inds[i];
    return NULL;
}

int ps__template_check(const ps__section_t *s, const char *tmpl, ps__buf_t *why)
{
    for (const char *p = tmpl; *p; p++) {
        if (*p == '}') {
            ps__buf_printf(why, "template \"%s\" has a '}' without its '{'", tmpl);
            return PS_EINVAL;
        }
        if (*p != '{')
            continue;
        size_t key_len, field_len;
        const char *field;
        const char *close = placeholder(p + 1, &key_len, &field, &field_len);
        if (!close || memchr(p + 1, '{', (size_t)(close - p - 1))) {
            ps__buf_printf(why, "template \"%s\" has an unclosed '{'", tmpl);
            return PS_EINVAL;
        }
        if (!find_n(s, p + 1, key_len)) {
            ps__buf_printf(why, "template \"%s\" names {%.*s}, which is not an "
                           "indicator of this section", tmpl, (int)key_len, p + 1);
            return PS_EINVAL;
        }
        if (!field_known(field, field_len)) {
            ps__buf_printf(why, "template \"%s\": unknown field '%.*s' in {%.*s} "
                           "(expected value, label, target, next_target, rate, "
                           "share, parts, asof, progress, gap or status)", tmpl, (int)field_len, field,
                           (int)(close - p - 1), p + 1);
            return PS_EINVAL;
        }
        p = close;
    }
    return 0;
}

static void put_rate(ps__buf_t *out, ps_value_t num, ps_value_t den, int decimals)
{
    if (!ps_value_present(num) || !ps_value_present(den) ||
        ps__format_rate(out, num.raw, den.raw, decimals) < 0)
        ps__buf_puts(out, "—");
}

static void put_parts(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const ps__ind_t *ind)
{
    const char *sep = "";
    for (size_t i = 0; i < s->n_inds; i++) {
        const ps__ind_t *c = &s->inds[i];
        if (c->relation != PS_REL_PART || !c->parent || strcmp(c->parent, ind->key))
            continue;
        ps__buf_puts(out, sep);
        ps__buf_puts(out, c->label);
        ps__template_field(out, r, s, c, "value");
        sep = "，";
    }
}

void ps__template_field(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                        const ps__ind_t *ind, const char *field)
{
    ps_period_t report_period = r->period;
    if (strcmp(field, "value") == 0) {
        ps__format_figure(out, ind->value, ind->display_unit, ps__ind_decimals(ind));
    } else if (*field == '\0') {
        ps__format_figure(out, ind->value, ind->display_unit, ps__ind_decimals(ind));
        if (ind->asof && ind->asof < report_period) {
            ps__buf_puts(out, "（至");
            ps__format_month_end(out, ind->asof, report_period);
            ps__buf_puts(out, "）");
        }
    } else if (strcmp(field, "label") == 0) {
        ps__buf_puts(out, ind->label);
    } else if (strcmp(field, "target") == 0) {
        ps__format_figure(out, ind->target, ps__ind_target_display(ind),
                          ps__ind_decimals(ind));
    } else if (strcmp(field, "next_target") == 0) {
        ps__format_figure(out, ind->next_target, ps__ind_target_display(ind),
                          ps__ind_decimals(ind));
    } else if (strcmp(field, "rate") == 0) {
        put_rate(out, ind->value, ind->target, ind->rate_decimals);
    } else if (strcmp(field, "share") == 0) {
        put_rate(out, ind->value, ps__ind_share_base(s, ind), 2);
    } else if (strcmp(field, "parts") == 0) {
        put_parts(out, r, s, ind);
    } else if (strcmp(field, "asof") == 0) {
        ps__format_month_end(out, ind->asof ? ind->asof : report_period, report_period);
    } else {
        put_progress(out, r, ind, field);
    }
}

void ps__template_expand(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                         const char *tmpl)
{
    const char *p = tmpl;
    for (const char *open = strchr(p, '{'); open; open = strchr(p, '{')) {
        size_t key_len, field_len;
        const char *field;
        const char *close = placeholder(open + 1, &key_len, &field, &field_len);
        const ps__ind_t *ind = close ? find_n(s, open + 1, key_len) : NULL;
        ps__buf_append(out, p, (size_t)(open - p));
        if (!ind) { /* checked when the sentence was added: cannot happen */
            ps__buf_puts(out, "{?}");
            p = close ? close + 1 : open + 1;
            continue;
        }
        char name[16];
        snprintf(name, sizeof name, "%.*s", (int)(field_len < 15 ? field_len : 15), field);
        ps__template_field(out, r, s, ind, name);
        p = close + 1;
    }
    ps__buf_puts(out, p);
}
