#include "config.h"

#include "config/settings.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iniparser/iniparser.h>

#include "num/decimal.h"
#include "syntax/placeholder.h"

#define YEAR_SUFFIX_LEN 4

/* One problem with [section] `key`, placed at the key's line when known. */
static void say(ps__diag_t *diag, const ps__ini_file_t *ini, const char *section,
                const char *key, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void say(ps__diag_t *diag, const ps__ini_file_t *ini, const char *section,
                const char *key, const char *fmt, ...)
{
    ps__buf_t text = PS_BUF_INIT;
    unsigned long line = ps__ini_line(ini->lines, section, key);
    ps__buf_puts(&text, ini->path);
    if (line)
        ps__buf_printf(&text, ":%lu", line);
    ps__buf_printf(&text, ": [%s] ", section);
    va_list ap;
    va_start(ap, fmt);
    ps__buf_vprintf(&text, fmt, ap);
    va_end(ap);
    ps__diag_add(diag, "%s", ps__buf_str(&text));
    ps__buf_free(&text);
}

const char *ps__key_type_name(ps_key_type_t type)
{
    switch (type) {
    case PS_KEY_STRING: return "string";
    case PS_KEY_INT: return "integer";
    case PS_KEY_BOOL: return "yes/no";
    case PS_KEY_AMOUNT: return "amount";
    case PS_KEY_LIST: return "list";
    case PS_KEY_TEMPLATE: return "template";
    case PS_KEY_CHOICE: return "choice";
    }
    return NULL;
}

static int parse_int(const char *text, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end || errno || isspace((unsigned char)*text))
        return -1;
    *out = v;
    return 0;
}

static int parse_bool(const char *text, int64_t *out)
{
    static const char *const yes[] = { "yes", "true", "on", "1" };
    static const char *const no[] = { "no", "false", "off", "0" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(text, yes[i]) == 0 || strcasecmp(text, no[i]) == 0) {
            *out = strcasecmp(text, yes[i]) == 0;
            return 0;
        }
    }
    return -1;
}

static int choice_allowed(const char *choices, const char *text)
{
    size_t n = strlen(text);
    for (const char *p = choices; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, text, n) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

/* Splits "a, b,c" into trimmed, non-empty items. */
static int parse_list(const char *text, ps__setting_t *out)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    out->items = calloc(cap, sizeof *out->items);
    if (!out->items)
        return PS_ENOMEM;
    for (const char *p = text; *p;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        while (p < end && isspace((unsigned char)*p))
            p++;
        const char *last = end;
        while (last > p && isspace((unsigned char)last[-1]))
            last--;
        if (last > p && !(out->items[out->n_items++] = strndup(p, (size_t)(last - p))))
            return PS_ENOMEM;
        p = comma ? comma + 1 : end;
    }
    return 0;
}

/* A template's braces and fields, checked before any plugin runs; the
   phrase lives until the next call. */
static int check_template(const char *text, const char **why)
{
    static ps__buf_t phrase = PS_BUF_INIT;
    ps__buf_reset(&phrase);
    int rc = ps__placeholder_problem(text, NULL, NULL, &phrase);
    *why = ps__buf_str(&phrase);
    return rc;
}

/* Units are words like 亿元, 个, 平方米 or %: ASCII letters or digits after
   the number mean a typo ("55x", "12 5"). */
static int unit_plausible(const char *unit, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (isalnum((unsigned char)unit[i]))
            return 0;
    return 1;
}

int ps__setting_parse(const ps_key_t *key, const char *text, ps__setting_t *out,
                      const char **why)
{
    const char *unit;
    size_t unit_len;
    switch (key->type) {
    case PS_KEY_STRING:
        return 0;
    case PS_KEY_TEMPLATE:
        return check_template(text, why) < 0 ? PS_EPARSE : 0;
    case PS_KEY_CHOICE:
        *why = "is not one of the allowed words";
        return choice_allowed(key->choices, text) ? 0 : PS_EPARSE;
    case PS_KEY_INT:
        *why = "is not a whole number";
        if (parse_int(text, &out->number) < 0)
            return PS_EPARSE;
        if (key->min < key->max && (out->number < key->min || out->number > key->max)) {
            static char range[96];
            snprintf(range, sizeof range, "is out of range (expected %lld to %lld)",
                     (long long)key->min, (long long)key->max);
            *why = range;
            return PS_ERANGE;
        }
        return 0;
    case PS_KEY_BOOL:
        *why = "is not a yes/no value (expected yes, no, true, false, on, off, 1 or 0)";
        return parse_bool(text, &out->number) < 0 ? PS_EPARSE : 0;
    case PS_KEY_AMOUNT:
        if (ps__amount_parse(text, &out->number, &unit, &unit_len, why) < 0 ||
            !unit_plausible(unit, unit_len)) {
            *why = "is not an amount (expected a number with an optional unit, "
                   "such as 55亿, 3771万元 or 63个)";
            return PS_EPARSE;
        }
        out->unit = strndup(unit, unit_len);
        return out->unit ? 0 : PS_ENOMEM;
    case PS_KEY_LIST:
        *why = "out of memory";
        return parse_list(text, out);
    }
    *why = "has a key type this core does not know";
    return PS_EINVAL;
}

static void setting_clear(ps__setting_t *s)
{
    free(s->name);
    free(s->text);
    free(s->unit);
    for (size_t i = 0; i < s->n_items; i++)
        free(s->items[i]);
    free(s->items);
}

void ps__settings_free(ps__settings_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        setting_clear(&s->items[i]);
    free(s->items);
    *s = (ps__settings_t){ 0 };
}

const ps__setting_t *ps__settings_find(const ps__settings_t *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].name, name) == 0)
            return &s->items[i];
    return NULL;
}

const char *ps__settings_text(const ps__settings_t *s, const char *name)
{
    const ps__setting_t *v = ps__settings_find(s, name);
    return v ? v->text : NULL;
}

static int is_year(const char *s)
{
    if (strlen(s) != YEAR_SUFFIX_LEN)
        return 0;
    for (size_t i = 0; i < YEAR_SUFFIX_LEN; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Is the key a family (target.YYYY, column.NAME), never set by its name alone? */
static int is_family(const ps_key_t *k)
{
    return (k->flags & (PS_KEY_PER_YEAR | PS_KEY_PER_NAME)) != 0;
}

/* Does INI key `name` belong to table key `k`? */
static int key_matches(const ps_key_t *k, const char *name)
{
    size_t n = strlen(k->name);
    if (!is_family(k))
        return strcmp(k->name, name) == 0;
    if (strncmp(k->name, name, n) != 0 || name[n] != '.')
        return 0;
    return k->flags & PS_KEY_PER_YEAR ? is_year(name + n + 1) : name[n + 1] != '\0';
}

static const ps_key_t *find_key(const ps_key_t *const *tables, size_t ntables,
                                const char *name)
{
    for (size_t t = 0; t < ntables; t++)
        for (const ps_key_t *k = tables[t]; k->name; k++)
            if (key_matches(k, name))
                return k;
    return NULL;
}

/* The per-year key whose family `name` (up to `dot`) names, if any. */
static const ps_key_t *per_year_family(const ps_key_t *const *tables, size_t ntables,
                                       const char *name, const char *dot)
{
    for (size_t t = 0; t < ntables; t++)
        for (const ps_key_t *k = tables[t]; k->name; k++)
            if ((k->flags & PS_KEY_PER_YEAR) && strlen(k->name) == (size_t)(dot - name) &&
                strncmp(k->name, name, (size_t)(dot - name)) == 0)
                return k;
    return NULL;
}

/* Suggests a valid key for a misspelt one; a family's key borrows its
   year (target.2024) or its name (colum.value: column.value). */
static void report_unknown(ps__diag_t *diag, const ps__ini_file_t *ini, const char *section,
                           const char *name, const ps_key_t *const *tables,
                           size_t ntables)
{
    char names[64][80];
    const char *candidates[64] = { 0 };
    size_t n = 0;
    const char *dot = strrchr(name, '.');
    const char *year = dot && is_year(dot + 1) ? dot + 1 : "YYYY";
    const char *first_dot = strchr(name, '.');
    const char *member = first_dot && first_dot[1] ? first_dot + 1 : "NAME";
    for (size_t t = 0; t < ntables; t++)
        for (const ps_key_t *k = tables[t]; k->name && n < 64; k++, n++) {
            if (k->flags & PS_KEY_PER_YEAR)
                snprintf(names[n], sizeof names[n], "%s.%s", k->name, year);
            else if (k->flags & PS_KEY_PER_NAME)
                snprintf(names[n], sizeof names[n], "%s.%s", k->name, member);
            else
                snprintf(names[n], sizeof names[n], "%s", k->name);
            candidates[n] = names[n];
        }
    const char *best = ps__suggest(name, candidates, n);
    const ps_key_t *family = dot ? per_year_family(tables, ntables, name, dot) : NULL;
    if (family)
        say(diag, ini, section, name, "unknown key '%s' (a per-year key is written "
            "%s.YYYY, e.g. %s.2024)", name, family->name, family->name);
    else if (best)
        say(diag, ini, section, name, "unknown key '%s' (did you mean '%s'?)", name, best);
    else
        say(diag, ini, section, name, "unknown key '%s'", name);
}

static int add_setting(ps__settings_t *s, const ps_key_t *key, const char *name,
                       const char *text, int is_default, ps__diag_t *diag,
                       const ps__ini_file_t *ini, const char *section)
{
    ps__setting_t *grown = realloc(s->items, (s->n + 1) * sizeof *grown);
    if (!grown)
        return PS_ENOMEM;
    s->items = grown;
    ps__setting_t *v = &s->items[s->n];
    *v = (ps__setting_t){ .key = key, .is_default = is_default };
    const char *why = "";
    int rc = ps__setting_parse(key, text, v, &why);
    v->name = strdup(name);
    v->text = strdup(text);
    if (rc < 0 || !v->name || !v->text) {
        if (rc == PS_EPARSE || rc == PS_ERANGE)
            say(diag, ini, section, name, "%s = '%s' %s%s%s", name, text, why,
                key->choices ? "; expected one of " : "", key->choices ? key->choices : "");
        setting_clear(v);
        return rc < 0 ? rc : PS_ENOMEM;
    }
    s->n++;
    return 0;
}

int ps__ini_each_key(const ps__ini_file_t *ini, const char *section,
                     ps__ini_key_fn *fn, void *ctx, ps__diag_t *diag)
{
    int nkeys = iniparser_getsecnkeys(ini->dict, section), errors = 0;
    if (nkeys <= 0)
        return 0;
    const char **keys = calloc((size_t)nkeys, sizeof *keys);
    if (!keys || !iniparser_getseckeys(ini->dict, section, keys)) {
        free(keys);
        ps__diag_add(diag, "%s: [%s] out of memory", ini->path, section);
        return 1;
    }
    size_t prefix = strlen(section) + 1;
    for (int i = 0; i < nkeys; i++)
        errors += fn(ctx, keys[i] + prefix, iniparser_getstring(ini->dict, keys[i], NULL));
    free(keys);
    return errors;
}

/* What read_given's callback reads a key into and with. */
struct given {
    ps__settings_t *s;
    const ps__ini_file_t *ini;
    const char *section;
    const ps_key_t *const *tables;
    size_t ntables;
    ps__diag_t *diag;
};

static int read_one_given(void *ctx, const char *name, const char *text)
{
    const struct given *g = ctx;
    const ps_key_t *key = find_key(g->tables, g->ntables, name);
    if (!key) {
        report_unknown(g->diag, g->ini, g->section, name, g->tables, g->ntables);
        return 1;
    }
    if (!text) {
        say(g->diag, g->ini, g->section, name, "%s has no value", name);
        return 1;
    }
    return add_setting(g->s, key, name, text, 0, g->diag, g->ini, g->section) < 0;
}

static int read_given(ps__settings_t *s, const ps__ini_file_t *ini,
                      const char *section, const ps_key_t *const *tables,
                      size_t ntables, ps__diag_t *diag)
{
    struct given g = { s, ini, section, tables, ntables, diag };
    return ps__ini_each_key(ini, section, read_one_given, &g, diag);
}

/* Whether [section] `key` is written in the file, whatever its value. */
static int is_given(const ps__ini_file_t *ini, const char *section, const char *key)
{
    ps__buf_t full = PS_BUF_INIT;
    ps__buf_printf(&full, "%s:%s", section, key);
    int given = iniparser_find_entry(ini->dict, ps__buf_str(&full));
    ps__buf_free(&full);
    return given;
}

static int apply_defaults(ps__settings_t *s, const ps__ini_file_t *ini,
                          const char *section, const ps_key_t *const *tables,
                          size_t ntables, ps__diag_t *diag)
{
    int errors = 0;
    for (size_t t = 0; t < ntables; t++)
        for (const ps_key_t *k = tables[t]; k->name; k++) {
            if (is_family(k) || ps__settings_find(s, k->name))
                continue;
            if (k->default_value) {
                errors += add_setting(s, k, k->name, k->default_value, 1, diag,
                                      ini, section) < 0;
            } else if ((k->flags & PS_KEY_REQUIRED) && !is_given(ini, section, k->name)) {
                /* a key given with a bad value was reported as such already */
                say(diag, ini, section, k->name, "missing required key '%s' (%s)",
                    k->name, k->help ? k->help : "");
                errors++;
            }
        }
    return errors;
}

int ps__settings_read(ps__settings_t *s, const ps__ini_file_t *ini,
                      const char *section, const ps_key_t *const *tables,
                      size_t ntables, ps__diag_t *diag)
{
    int errors = read_given(s, ini, section, tables, ntables, diag);
    return errors + apply_defaults(s, ini, section, tables, ntables, diag);
}

int ps__key_table_check(const ps_key_t *keys, ps__buf_t *why)
{
    if (!keys) {
        ps__buf_puts(why, "its key table is NULL");
        return PS_EINVAL;
    }
    for (const ps_key_t *k = keys; k->name; k++) {
        size_t n = strlen(k->name);
        for (size_t i = 0; i < n; i++)
            if (isupper((unsigned char)k->name[i]) || k->name[i] == '=' ||
                isspace((unsigned char)k->name[i])) {
                ps__buf_printf(why, "key '%s' is not a lower-case INI key name",
                               k->name);
                return PS_EINVAL;
            }
        if (n == 0 || !ps__key_type_name(k->type)) {
            ps__buf_printf(why, "key '%s' has an empty name or an unknown type %d",
                           k->name, (int)k->type);
            return PS_EINVAL;
        }
        if (k->type == PS_KEY_CHOICE && !k->choices) {
            ps__buf_printf(why, "choice key '%s' lists no choices", k->name);
            return PS_EINVAL;
        }
        for (const ps_key_t *j = keys; j < k; j++)
            if (strcmp(j->name, k->name) == 0) {
                ps__buf_printf(why, "key '%s' is declared twice", k->name);
                return PS_EINVAL;
            }
        ps__setting_t probe = { 0 };
        const char *bad = "";
        int rc = k->default_value ? ps__setting_parse(k, k->default_value, &probe, &bad) : 0;
        setting_clear(&probe);
        if (rc < 0) {
            ps__buf_printf(why, "default of key '%s' ('%s') %s", k->name,
                           k->default_value, bad);
            return PS_EINVAL;
        }
    }
    return 0;
}
