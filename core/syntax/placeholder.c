#include "config.h"

#include "syntax/placeholder.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#define PS_FIELD_NAME(id, name) name,
static const char *const field_names[PS_N_FIELDS] = { PS_FIELDS(PS_FIELD_NAME) };
#undef PS_FIELD_NAME

int ps__field_find(const char *name, size_t len)
{
    for (size_t i = 0; i < PS_N_FIELDS; i++)
        if (strlen(field_names[i]) == len && strncmp(field_names[i], name, len) == 0)
            return (int)i;
    return -1;
}

void ps__field_list(ps__buf_t *out)
{
    for (size_t i = 1; i < PS_N_FIELDS; i++)
        ps__buf_printf(out, "%s%s", i > 1 ? (i + 1 < PS_N_FIELDS ? ", " : " or ") : "",
                       field_names[i]);
}

int ps__placeholder_next(const char *p, ps__placeholder_t *ph)
{
    const char *open = strchr(p, '{');
    if (!open)
        return 0;
    const char *close = strchr(open + 1, '}');
    const char *dot = close ? memchr(open + 1, '.', (size_t)(close - open - 1)) : NULL;
    *ph = (ps__placeholder_t){ .open = open, .close = close, .key = open + 1 };
    if (close) {
        ph->key_len = (size_t)((dot ? dot : close) - ph->key);
        ph->field = dot ? dot + 1 : close;
        ph->field_len = (size_t)(close - ph->field);
    }
    return 1;
}

static int placeholders_problem(const char *tmpl, ps__key_known_fn *known,
                                const void *arg, ps__buf_t *why);

static int stray_close(const char *from, const char *to, ps__buf_t *why)
{
    if (!memchr(from, '}', (size_t)(to - from)))
        return 0;
    ps__buf_puts(why, "has a '}' without its '{'");
    return PS_EINVAL;
}

int ps__clause_next(const char *p, ps__clause_t *c)
{
    if (!*p)
        return 0;
    int optional = strncmp(p, PS_CLAUSE_OPEN, 2) == 0;
    const char *text = optional ? p + 2 : p;
    const char *end = strstr(text, optional ? PS_CLAUSE_CLOSE : PS_CLAUSE_OPEN);
    *c = (ps__clause_t){ .text = text, .optional = optional, .unclosed = optional && !end };
    c->len = end ? (size_t)(end - text) : strlen(text);
    c->next = text + c->len + (optional && end ? 2 : 0);
    return 1;
}

/* Appends to `why` what is wrong with a clause's brackets, if anything. */
static int clause_problem(const ps__clause_t *c, ps__buf_t *why)
{
    const char *stray = c->optional ? PS_CLAUSE_OPEN : PS_CLAUSE_CLOSE;
    if (c->unclosed)
        ps__buf_puts(why, "has a '" PS_CLAUSE_OPEN "' without its '" PS_CLAUSE_CLOSE "'");
    else if (memmem(c->text, c->len, stray, 2))
        ps__buf_printf(why, "has a '%s' %s", stray,
                       c->optional ? "inside an optional clause" : "without its '[['");
    else
        return 0;
    return PS_EINVAL;
}

int ps__placeholder_problem(const char *tmpl, ps__key_known_fn *known, const void *arg,
                            ps__buf_t *why)
{
    ps__clause_t c;
    for (const char *p = tmpl; ps__clause_next(p, &c); p = c.next) {
        if (clause_problem(&c, why) < 0)
            return PS_EINVAL;
        char *text = strndup(c.text, c.len);
        if (!text)
            return PS_ENOMEM;
        /* An optional clause may name what was not emitted: it is left out. */
        int rc = placeholders_problem(text, c.optional ? NULL : known, arg, why);
        free(text);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int placeholders_problem(const char *tmpl, ps__key_known_fn *known,
                                const void *arg, ps__buf_t *why)
{
    ps__placeholder_t ph;
    const char *p = tmpl;
    for (; ps__placeholder_next(p, &ph); p = ph.close + 1) {
        if (stray_close(p, ph.open, why) < 0)
            return PS_EINVAL;
        if (!ph.close || memchr(ph.key, '{', (size_t)(ph.close - ph.key))) {
            ps__buf_puts(why, "has an unclosed '{'");
            return PS_EINVAL;
        }
        if (known && known(arg, ph.key, ph.key_len, why) < 0)
            return PS_EINVAL;
        if (ps__field_find(ph.field, ph.field_len) < 0) {
            ps__buf_printf(why, "has an unknown field '%.*s' in {%.*s} (expected ",
                           (int)ph.field_len, ph.field, (int)(ph.close - ph.key), ph.key);
            ps__field_list(why);
            ps__buf_puts(why, ")");
            return PS_EINVAL;
        }
    }
    return stray_close(p, p + strlen(p), why);
}
