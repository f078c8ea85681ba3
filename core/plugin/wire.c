#include "config.h"

#include "plugin/wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "report/check.h"
#include "report/template.h"

#define WIRE_MAGIC "PSW2"
#define NO_STRING UINT32_MAX

/* ---- encoding ----------------------------------------------------------- */

static void put_u32(ps__buf_t *out, uint32_t v)
{
    ps__buf_append(out, (const char *)&v, sizeof v);
}

static void put_i64(ps__buf_t *out, int64_t v)
{
    ps__buf_append(out, (const char *)&v, sizeof v);
}

static void put_str(ps__buf_t *out, const char *s)
{
    if (!s) {
        put_u32(out, NO_STRING);
        return;
    }
    size_t n = strlen(s);
    put_u32(out, (uint32_t)n);
    ps__buf_append(out, s, n);
}

static void put_value(ps__buf_t *out, ps_value_t v)
{
    put_i64(out, v.raw);
    put_str(out, v.unit);
}

/* An indicator's yes-or-no facts, in one word: the result of an isolated
   plugin with 100,000 indicators must stay under its 16 MiB. */
enum { IS_COMPARABLE = 1, HAS_GROWTH_TARGET = 2, IS_STOCK = 4, IS_RATIO = 8, IS_CARRIED = 16,
       ALL_FLAGS = 31 };

static uint32_t flags_of(const ps__ind_t *d)
{
    return (d->comparable ? IS_COMPARABLE : 0) | (d->has_growth_target ? HAS_GROWTH_TARGET : 0) |
           (d->stock ? IS_STOCK : 0) | (d->ratio[1] ? IS_RATIO : 0) |
           (ps_value_present(d->carried) ? IS_CARRIED : 0);
}

static void put_ratio(ps__buf_t *out, const ps__ind_t *d)
{
    for (int k = 0; k < 2; k++) {
        put_i64(out, d->ratio[k]);
        put_i64(out, d->year_ago_ratio[k]);
    }
    put_i64(out, d->ratio_scale);
}

void ps__wire_encode(ps__buf_t *out, const ps__section_t *s)
{
    ps__buf_append(out, WIRE_MAGIC, 4);
    put_str(out, s->error);
    put_u32(out, (uint32_t)s->config_error);
    put_u32(out, (uint32_t)s->n_inds);
    for (size_t i = 0; i < s->n_inds; i++) {
        const ps__ind_t *d = &s->inds[i];
        put_str(out, d->key);
        put_str(out, d->label);
        put_str(out, d->code);
        put_str(out, d->parent);
        put_u32(out, (uint32_t)d->relation);
        put_value(out, d->value);
        put_value(out, d->target);
        put_value(out, d->next_target);
        put_u32(out, (uint32_t)d->asof);
        put_str(out, d->display_unit);
        put_u32(out, (uint32_t)d->fixed);
        put_u32(out, (uint32_t)d->decimals);
        put_u32(out, (uint32_t)d->rate_decimals);
        put_value(out, d->year_ago);
        put_u32(out, flags_of(d));
        put_i64(out, d->growth_target);
        put_u32(out, (uint32_t)d->n_months);
        for (int m = 0; m < d->n_months; m++)
            put_i64(out, d->months[m]);
        if (d->ratio[1]) /* only a ratio pays for its sums */
            put_ratio(out, d);
        if (ps_value_present(d->carried))
            put_value(out, d->carried);
    }
    put_u32(out, (uint32_t)s->n_sentences);
    for (size_t i = 0; i < s->n_sentences; i++) {
        put_u32(out, (uint32_t)s->sentences[i].kind);
        put_str(out, s->sentences[i].tmpl);
    }
    put_u32(out, (uint32_t)s->n_warnings);
    for (size_t i = 0; i < s->n_warnings; i++)
        put_str(out, s->warnings[i]);
}

/* ---- decoding ----------------------------------------------------------- */

typedef struct reader {
    const char *p, *end;
    ps__report_t *report;
    ps__buf_t *why;
    char *strings[16]; /* the strings of the indicator being read (it has 8) */
    size_t n_strings;
} reader_t;

static int malformed(reader_t *r, const char *what)
{
    if (!r->why->len)
        ps__buf_printf(r->why, "malformed result: %s", what);
    return PS_EPARSE;
}

/* A result the API would have refused (report/check.h): the same checks,
   so that a section is the same whichever process computed it. */
static int refused(reader_t *r, int rc, ps__buf_t *problem)
{
    if (rc < 0 && rc != PS_ENOMEM && !r->why->len)
        ps__buf_printf(r->why, "malformed result: %s", ps__buf_str(problem));
    ps__buf_free(problem);
    return rc < 0 && rc != PS_ENOMEM ? PS_EPARSE : rc;
}

static int get_u32(reader_t *r, uint32_t *v)
{
    if ((size_t)(r->end - r->p) < sizeof *v)
        return malformed(r, "truncated");
    memcpy(v, r->p, sizeof *v);
    r->p += sizeof *v;
    return 0;
}

static int get_i64(reader_t *r, int64_t *v)
{
    if ((size_t)(r->end - r->p) < sizeof *v)
        return malformed(r, "truncated");
    memcpy(v, r->p, sizeof *v);
    r->p += sizeof *v;
    return 0;
}

/* A string, NULL allowed when `nullable`; kept in r->strings until used. */
static int get_str(reader_t *r, int nullable, char **out)
{
    uint32_t n;
    int rc = get_u32(r, &n);
    *out = NULL;
    if (rc < 0)
        return rc;
    if (n == NO_STRING)
        return nullable ? 0 : malformed(r, "a required string is missing");
    if ((size_t)(r->end - r->p) < n || memchr(r->p, '\0', n))
        return malformed(r, "a string is truncated or holds a NUL byte");
    if (!(*out = strndup(r->p, n)))
        return PS_ENOMEM;
    r->p += n;
    if (r->n_strings == sizeof r->strings / sizeof r->strings[0]) {
        free(*out);
        *out = NULL;
        return malformed(r, "too many strings in one record");
    }
    r->strings[r->n_strings++] = *out;
    return 0;
}

static void drop_strings(reader_t *r)
{
    for (size_t i = 0; i < r->n_strings; i++)
        free(r->strings[i]);
    r->n_strings = 0;
}

static int get_value(reader_t *r, ps_value_t *v)
{
    char *unit;
    int rc = get_i64(r, &v->raw);
    if (rc == 0)
        rc = get_str(r, 1, &unit);
    if (rc == 0 && unit && !(v->unit = ps__report_own(r->report, unit)))
        rc = PS_ENOMEM;
    if (rc == 0 && !unit)
        *v = PS_VALUE_NONE;
    return rc;
}

static int get_ratio(reader_t *r, ps__ind_t *d)
{
    int rc;
    for (int k = 0; k < 2; k++)
        if ((rc = get_i64(r, &d->ratio[k])) < 0 || (rc = get_i64(r, &d->year_ago_ratio[k])) < 0)
            return rc;
    if ((rc = get_i64(r, &d->ratio_scale)) < 0)
        return rc;
    if (!d->ratio[1] || d->ratio_scale <= 0)
        return malformed(r, "an indicator's ratio has no denominator or no scale");
    return 0;
}

/* The year-on-year comparison, the month-by-month course, a ratio's sums
   and what was carried forward. */
static int get_history(reader_t *r, ps__ind_t *d)
{
    uint32_t flags, n_months;
    int rc;
    if ((rc = get_value(r, &d->year_ago)) < 0 || (rc = get_u32(r, &flags)) < 0 ||
        (rc = get_i64(r, &d->growth_target)) < 0 || (rc = get_u32(r, &n_months)) < 0)
        return rc;
    if (flags > ALL_FLAGS || n_months > 12)
        return malformed(r, "an indicator's comparison is out of range");
    d->comparable = (flags & IS_COMPARABLE) != 0;
    d->has_growth_target = (flags & HAS_GROWTH_TARGET) != 0;
    d->stock = (flags & IS_STOCK) != 0;
    d->n_months = (int)n_months;
    for (uint32_t m = 0; m < n_months; m++)
        if ((rc = get_i64(r, &d->months[m])) < 0)
            return rc;
    if ((flags & IS_RATIO) && (rc = get_ratio(r, d)) < 0)
        return rc;
    if ((flags & IS_CARRIED) && (rc = get_value(r, &d->carried)) == 0 &&
        !ps_value_present(d->carried))
        return malformed(r, "an indicator's carried count has no unit");
    return rc;
}

static int get_indicator(reader_t *r, ps__section_t *s)
{
    ps__ind_t d = { 0 };
    uint32_t relation, asof, fixed, decimals, rate_decimals;
    int rc;
    if ((rc = get_str(r, 0, &d.key)) < 0 || (rc = get_str(r, 0, &d.label)) < 0 ||
        (rc = get_str(r, 1, &d.code)) < 0 || (rc = get_str(r, 1, &d.parent)) < 0 ||
        (rc = get_u32(r, &relation)) < 0 || (rc = get_value(r, &d.value)) < 0 ||
        (rc = get_value(r, &d.target)) < 0 || (rc = get_value(r, &d.next_target)) < 0 ||
        (rc = get_u32(r, &asof)) < 0 || (rc = get_str(r, 1, &d.display_unit)) < 0 ||
        (rc = get_u32(r, &fixed)) < 0 || (rc = get_u32(r, &decimals)) < 0 ||
        (rc = get_u32(r, &rate_decimals)) < 0 || (rc = get_history(r, &d)) < 0)
        return rc;
    if (!ps__key_valid(d.key))
        return malformed(r, "an indicator's key is empty or holds "
                            "'{', '}', '.' or white space");
    if (relation > PS_REL_QUANTITY || (!d.parent) != (relation == PS_REL_NONE) ||
        fixed > 1 || decimals > 4 || rate_decimals > 4)
        return malformed(r, "an indicator's fields are out of range");
    ps__buf_t problem = PS_BUF_INIT;
    rc = ps__check_room(s, &problem);
    if (rc == 0)
        rc = ps__check_ind(&d, s->n_inds + 1, &problem);
    if ((rc = refused(r, rc, &problem)) < 0)
        return rc;
    if (ps__section_find(s, d.key) || (d.parent && !ps__section_find(s, d.parent)))
        return malformed(r, "an indicator's key is repeated or its parent unknown");
    d.relation = (ps_relation_t)relation;
    d.asof = (ps_period_t)asof;
    d.fixed = (int)fixed;
    d.decimals = (int)decimals;
    d.rate_decimals = (int)rate_decimals;
    return ps__section_add_ind(s, &d);
}

static int get_sentence(reader_t *r, ps__section_t *s)
{
    uint32_t kind;
    char *tmpl;
    int rc = get_u32(r, &kind);
    if (rc == 0)
        rc = get_str(r, 0, &tmpl);
    if (rc < 0)
        return rc;
    if (kind < PS_SENTENCE_SUMMARY || kind > PS_SENTENCE_PLAN)
        return malformed(r, "a sentence of unknown kind");
    ps__buf_t bad = PS_BUF_INIT;
    if ((rc = refused(r, ps__check_utf8(tmpl, "sentence template", &bad), &bad)) < 0)
        return rc;
    rc = ps__template_check(s, tmpl, &bad);
    ps__buf_free(&bad);
    if (rc < 0)
        return malformed(r, "a sentence names an unknown indicator");
    return ps__section_add_sentence(s, (ps_sentence_kind_t)kind, tmpl);
}

static int get_section(reader_t *r, ps__section_t *s)
{
    uint32_t n;
    char *error;
    int rc;
    if ((size_t)(r->end - r->p) < 4 || memcmp(r->p, WIRE_MAGIC, 4) != 0)
        return malformed(r, "it does not start with " WIRE_MAGIC);
    r->p += 4;
    if ((rc = get_str(r, 1, &error)) < 0)
        return rc;
    if (error && !(s->error = ps__message_fit(error)))
        return PS_ENOMEM;
    drop_strings(r);
    uint32_t config_error;
    if ((rc = get_u32(r, &config_error)) < 0 || (rc = get_u32(r, &n)) < 0)
        return rc;
    if (config_error > 1 || (config_error && !s->error))
        return malformed(r, "a configuration error without its message");
    s->config_error = (int)config_error;
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        rc = get_indicator(r, s);
        drop_strings(r);
    }
    if (rc == 0)
        rc = get_u32(r, &n);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        rc = get_sentence(r, s);
        drop_strings(r);
    }
    if (rc == 0)
        rc = get_u32(r, &n);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        char *warning;
        ps__buf_t problem = PS_BUF_INIT;
        if ((rc = get_str(r, 0, &warning)) == 0 &&
            (rc = refused(r, ps__check_utf8(warning, "warning", &problem), &problem)) == 0)
            rc = ps__section_add_warning(s, ps__message_fit(warning));
        drop_strings(r);
    }
    if (rc == 0 && r->p != r->end)
        rc = malformed(r, "trailing bytes");
    return rc;
}

int ps__wire_decode(const char *data, size_t len, ps__report_t *rep, ps__section_t *s,
                    ps__buf_t *why)
{
    reader_t r = { .p = data, .end = data + len, .report = rep, .why = why };
    int rc = get_section(&r, s);
    drop_strings(&r);
    if (rc < 0) {
        ps__section_clear(s);
        free(s->error);
        s->error = NULL;
    }
    return rc;
}
