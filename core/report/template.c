#include "config.h"

#include "report/template.h"

#include <stdio.h>
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

void ps__template_expand(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                         const char *tmpl)
{
    ps__placeholder_t ph;
    const char *p = tmpl;
    for (; ps__placeholder_next(p, &ph); p = ph.close ? ph.close + 1 : ph.open + 1) {
        const ps__ind_t *ind = ph.close ? ps__section_find_n(s, ph.key, ph.key_len) : NULL;
        ps__buf_append(out, p, (size_t)(ph.open - p));
        if (!ind) { /* checked when the sentence was added: cannot happen */
            ps__buf_puts(out, "{?}");
            continue;
        }
        int i = ps__field_find(ph.field, ph.field_len);
        if (i >= 0)
            ps__field_put(out, r, s, ind, (size_t)i);
    }
    ps__buf_puts(out, p);
}
