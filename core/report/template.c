#include "config.h"

#include "report/template.h"

#include <stdio.h>
#include <string.h>

#include <parkstat/error.h>

#include "report/fields.h"

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

int ps__template_problem(const ps__section_t *s, const char *tmpl, ps__buf_t *why)
{
    for (const char *p = tmpl; *p; p++) {
        if (*p == '}') {
            ps__buf_puts(why, "has a '}' without its '{'");
            return PS_EINVAL;
        }
        if (*p != '{')
            continue;
        size_t key_len, field_len;
        const char *field;
        const char *close = placeholder(p + 1, &key_len, &field, &field_len);
        if (!close || memchr(p + 1, '{', (size_t)(close - p - 1))) {
            ps__buf_puts(why, "has an unclosed '{'");
            return PS_EINVAL;
        }
        if (s && !find_n(s, p + 1, key_len)) {
            ps__buf_printf(why, "names {%.*s}, which is not an indicator of this section",
                           (int)key_len, p + 1);
            return PS_EINVAL;
        }
        if (ps__field_find(field, field_len) < 0) {
            ps__buf_printf(why, "has an unknown field '%.*s' in {%.*s} (expected ",
                           (int)field_len, field, (int)(close - p - 1), p + 1);
            ps__field_list(why);
            ps__buf_puts(why, ")");
            return PS_EINVAL;
        }
        p = close;
    }
    return 0;
}

int ps__template_check(const ps__section_t *s, const char *tmpl, ps__buf_t *why)
{
    ps__buf_t problem = PS_BUF_INIT;
    int rc = ps__template_problem(s, tmpl, &problem);
    if (rc < 0)
        ps__buf_printf(why, "template \"%s\" %s", tmpl, ps__buf_str(&problem));
    ps__buf_free(&problem);
    return rc;
}

void ps__template_field(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                        const ps__ind_t *ind, const char *field)
{
    int i = ps__field_find(field, strlen(field));
    if (i >= 0)
        ps__field_put(out, r, s, ind, (size_t)i);
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
        int i = ps__field_find(field, field_len);
        if (i >= 0)
            ps__field_put(out, r, s, ind, (size_t)i);
        p = close + 1;
    }
    ps__buf_puts(out, p);
}
