#include "config.h"

#include "report/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "report/fields.h"
#include "syntax/placeholder.h"

static int emitted(const void *arg, const char *key, size_t len, ps__buf_t *why)
{
    if (ps__section_find_n(arg, key, len))
        return 0;
    ps__buf_printf(why, "names {%.*s}, which is not an indicator of this section",
                   (int)len, key);
    return PS_EINVAL;
}

int ps__template_problem(const ps__section_t *s, const char *tmpl, ps__buf_t *why)
{
    return ps__placeholder_problem(tmpl, s ? emitted : NULL, s, why);
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

/* Appends `text` (one clause, NUL-terminated) with its placeholders filled
   in; returns how many could not be shown, the first of them into
   `absent` when not NULL. */
static size_t expand_clause(ps__buf_t *out, const ps__report_t *r,
                            const ps__section_t *s, const char *text, ps__buf_t *absent)
{
    ps__placeholder_t ph;
    const char *p = text;
    size_t missing = 0;
    for (; ps__placeholder_next(p, &ph); p = ph.close ? ph.close + 1 : ph.open + 1) {
        const ps__ind_t *ind = ph.close ? ps__section_find_n(s, ph.key, ph.key_len) : NULL;
        ps__buf_append(out, p, (size_t)(ph.open - p));
        int i = ps__field_find(ph.field, ph.field_len);
        if (!ind || i < 0)
            ps__buf_puts(out, "{?}"); /* checked when the sentence was added */
        else if (ps__field_put(out, r, s, ind, (size_t)i))
            continue;
        if (absent && missing == 0)
            ps__buf_append(absent, ph.open, ph.close ? (size_t)(ph.close - ph.open + 1) : 1);
        missing++;
    }
    ps__buf_puts(out, p);
    return missing;
}

size_t ps__template_expand(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                           const char *tmpl, ps__buf_t *absent)
{
    ps__clause_t c;
    size_t missing = 0;
    for (const char *p = tmpl; ps__clause_next(p, &c); p = c.next) {
        char *text = strndup(c.text, c.len);
        ps__buf_t clause = PS_BUF_INIT;
        if (!text)
            return missing + 1;
        if (!c.optional)
            missing += expand_clause(out, r, s, text, missing ? NULL : absent);
        else if (expand_clause(&clause, r, s, text, NULL) == 0)
            ps__buf_append(out, clause.data ? clause.data : "", clause.len);
        ps__buf_free(&clause);
        free(text);
    }
    return missing;
}
