/*
 * The reader of one ledger's rows: its header's columns found by name, then
 * each row checked and added to the cube. A whole file (ledger.c) and each
 * part of a split one (ledger_split.c) are read with it.
 */
#include "config.h"

#include "ledger/ledger.h"
#include "num/period.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "ledger/csv.h"
#include "num/decimal.h"
#include "base/errors.h"
#include "ledger/reader.h"
#include "base/mapfile.h"

/* ---- the header --------------------------------------------------------- */

static void header_free(header_t *h)
{
    for (size_t i = 0; h->names && i < h->ncols; i++)
        free(h->names[i]);
    free(h->names);
}

static size_t *role_of(header_t *h, const char *name)
{
    static const char *const roles[] = { "period", "indicator", "value", "unit", "entity" };
    size_t *slots[] = { &h->period, &h->indicator, &h->value, &h->unit, &h->entity };
    for (size_t i = 0; i < 5; i++)
        if (strcmp(name, roles[i]) == 0)
            return slots[i];
    return NULL;
}

/* The column a source's column.NAME key maps this header to: its NAME in
   place of the office's word, marked found. */
static int mapped_name(reader_t *r, size_t col, unsigned char *found)
{
    for (size_t i = 0; i < r->opts->n_columns; i++) {
        const ps__column_map_t *m = &r->opts->columns[i];
        if (strcmp(m->header, r->h.names[col]) != 0)
            continue;
        char *name = strdup(m->name);
        if (!name)
            return PS_ENOMEM;
        free(r->h.names[col]);
        r->h.names[col] = name;
        found[i] = 1;
    }
    return 0;
}

/* A column.NAME key whose header the file does not have. */
static int unmapped_column(reader_t *r, const ps__column_map_t *m)
{
    ps__buf_t has = PS_BUF_INIT;
    for (size_t i = 0; i < r->h.ncols; i++)
        ps__buf_printf(&has, "%s%.*s", i ? ", " : "", (int)r->f[i].len, r->f[i].p);
    int rc = ps__row_error(r, PS_EPARSE, "[%s] column.%s = '%s' names no column of the "
                           "header (its columns: %s)", r->opts->section ? r->opts->section
                           : "source.NAME", m->name, m->header, ps__buf_str(&has));
    ps__buf_free(&has);
    return rc;
}

static int header_column(reader_t *r, size_t col)
{
    header_t *h = &r->h;
    const char *name = h->names[col];
    if (!*name)
        return ps__row_error(r, PS_EPARSE, "column %zu of the header has no name", col + 1);
    if (!ps__utf8_valid(name, strlen(name)))
        return ps__row_error(r, PS_EPARSE, "the header is not valid UTF-8 (a file saved "
                         "as GBK/GB18030 needs encoding = gb18030 in [%s])",
                         r->opts->section ? r->opts->section : "source.NAME");
    const char *hidden = ps__ledger_invisible(name, strlen(name));
    if (hidden)
        return ps__row_error(r, PS_EPARSE, "column %zu of the header holds %s, an "
                             "invisible character (from text pasted into this file?): "
                             "remove it", col + 1, hidden);
    for (size_t j = 0; j < col; j++)
        if (strcmp(h->names[j], name) == 0)
            return ps__row_error(r, PS_EPARSE, "column '%s' appears twice "
                             "(columns %zu and %zu)", name, j + 1, col + 1);
    size_t *role = role_of(h, name);
    if (role) {
        *role = col;
        return 0;
    }
    if (h->ntags == MAX_TAGS)
        return ps__row_error(r, PS_ERANGE, "more than %d tag columns", MAX_TAGS);
    h->tag_col[h->ntags] = col;
    int rc = ps__intern_id(ps__cube_strings(r->cube), name, strlen(name),
                           &h->tag_id[h->ntags]);
    h->ntags++;
    return rc;
}

/* Column names are matched loosely: spaces trimmed, ASCII lower-cased. */
static char *column_name(const ps__csv_field_t *f)
{
    return ps__name_folded(f->p, f->len);
}

/* A header of one column holding a tab or a semicolon is a file saved with
   another separator: saying so beats naming the first missing column. */
static int missing_column(reader_t *r, const char *name)
{
    const ps__csv_field_t *only = r->h.ncols == 1 ? &r->f[0] : NULL;
    const char *sep = !only ? NULL : memchr(only->p, '\t', only->len) ? "tabs"
                    : memchr(only->p, ';', only->len) ? "semicolons" : NULL;
    if (sep)
        return ps__row_error(r, PS_EPARSE, "the header is a single column whose names "
                             "are separated by %s (expected columns separated by commas: "
                             "save the file as \"CSV (comma delimited)\")", sep);
    return ps__row_error(r, PS_EPARSE, "missing required column '%s' (a ledger needs "
                         "period, indicator and value; a header in the office's words is "
                         "named in [%s], e.g. column.period = 月份)", name,
                         r->opts->section ? r->opts->section : "source.NAME");
}

static int read_header(reader_t *r, size_t n)
{
    header_t *h = &r->h;
    *h = (header_t){ .period = NO_COLUMN, .indicator = NO_COLUMN,
                     .value = NO_COLUMN, .unit = NO_COLUMN, .entity = NO_COLUMN };
    h->names = calloc(n, sizeof *h->names);
    if (!h->names)
        return PS_ENOMEM;
    h->ncols = n;
    unsigned char *found = calloc(r->opts->n_columns + 1, 1);
    int rc = found ? 0 : PS_ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!(h->names[i] = column_name(&r->f[i])))
            rc = PS_ENOMEM;
        if (rc == 0)
            rc = mapped_name(r, i, found);
        if (rc == 0)
            rc = header_column(r, i);
    }
    for (size_t i = 0; rc == 0 && i < r->opts->n_columns; i++)
        if (!found[i])
            rc = unmapped_column(r, &r->opts->columns[i]);
    free(found);
    if (rc < 0)
        return rc;
    static const char *const required[] = { "period", "indicator", "value" };
    size_t cols[] = { h->period, h->indicator, h->value };
    for (size_t i = 0; i < 3; i++)
        if (cols[i] == NO_COLUMN)
            return missing_column(r, required[i]);
    return 0;
}

/* ---- rows --------------------------------------------------------------- */

/* The code of indicator `id`, for messages and the configuration: looked
   up only when needed, not on every row. */
static const char *indicator_code(reader_t *r, uint32_t id)
{
    return ps__intern_str(ps__cube_strings(r->cube), id);
}

static const indicator_cache_t *indicator_of(reader_t *r, uint32_t id)
{
    indicator_cache_t *ic = &r->indicator[id % INDICATOR_WAYS];
    if (ic->id != id) {
        const ps__indicator_def_t *def =
            ps__config_indicator(r->opts->cfg, indicator_code(r, id));
        ic->id = id;
        ic->declared = def ? def->unit : NULL;
        ic->declared_money = ic->declared && ps__money_factor(ic->declared, 0) > 0;
    }
    return ic;
}

/* Whether the three bytes at p are the UTF-8 character c (a string literal
   of one CJK character): compared inline, as a library call costs more. */
static int is_char3(const char *p, const char *c)
{
    return p[0] == c[0] && p[1] == c[1] && p[2] == c[2];
}

/* The money factor of a unit field that is exactly 元, 万元 or 亿元; else 0.
   Every row has one: it is checked without a call. */
static int64_t money_unit_field(const ps__csv_field_t *f)
{
    if (f->len == 3)
        return is_char3(f->p, "元");
    if (f->len != 6 || !is_char3(f->p + 3, "元"))
        return 0;
    return is_char3(f->p, "万") ? 10000 : is_char3(f->p, "亿") ? 100000000 : 0;
}

/* Resolves the row's unit and converts the value to the indicator's base. */
/* A unit of money parkstat does not sum (千元, 美元, 百万元): one that ends
   in 元 but is none of 元, 万元, 亿元. Declaring it would not help. */
static int is_foreign_money(const char *unit)
{
    size_t len = strlen(unit), yuan = strlen(PS_UNIT_MONEY);
    return len > yuan && strcmp(unit + len - yuan, PS_UNIT_MONEY) == 0 &&
           ps__money_factor(unit, 0) == 0;
}

/* An indicator the INI does not declare, in a unit other than money's:
   the declaration to add, when every row of the file agrees on the unit;
   else the units its rows use, which no one declaration would fit. */
static int undeclared_unit(reader_t *r, const char *indicator, const char *unit)
{
    ps__buf_t units = PS_BUF_INIT;
    size_t n = ps__ledger_units_of(r->fd, &r->h, indicator, &units);
    int rc = n > 1
        ? ps__row_error(r, PS_EUNIT, "unknown unit '%s' for indicator '%s', whose rows use "
                        "%s (an indicator takes one unit, or money in 元, 万元 and 亿元: "
                        "convert its rows to one, then declare it as [indicator.%s] "
                        "unit = UNIT)", unit, indicator, ps__buf_str(&units), indicator)
        : ps__row_error(r, PS_EUNIT, "unknown unit '%s' for indicator '%s' "
                        "(money is 元, 万元 or 亿元; any other unit must be declared "
                        "as [indicator.%s] unit = %s)", unit, indicator, indicator, unit);
    ps__buf_free(&units);
    return rc;
}

static int convert_unit(reader_t *r, uint32_t id, int64_t *value, const char **base)
{
    const indicator_cache_t *ic = indicator_of(r, id);
    const char *declared = ic->declared;
    int64_t factor = r->h.unit != NO_COLUMN ? money_unit_field(&r->f[r->h.unit]) : 0;
    if (factor && (!declared || ic->declared_money)) { /* the common case, quickly */
        *base = PS_UNIT_MONEY;
        if (ps__mul_checked(*value, factor, value) < 0)
            return ps__row_error(r, PS_ERANGE, "value is out of range in 元");
        return 0;
    }
    const char *indicator = indicator_code(r, id);
    char unit[64] = "";
    if (r->h.unit != NO_COLUMN) {
        const char *s;
        size_t len;
        int rc = ps__ledger_field_text(r, r->h.unit, &s, &len);
        if (rc < 0)
            return rc;
        snprintf(unit, sizeof unit, "%.*s", (int)(len < 63 ? len : 63), s);
    }
    if (!*unit && declared)
        snprintf(unit, sizeof unit, "%s", declared);
    if (!*unit)
        return ps__row_error(r, PS_EUNIT, "indicator '%s' has no unit: the row gives "
                         "none and [indicator.%s] declares none", indicator, indicator);
    if (is_foreign_money(unit))
        return ps__row_error(r, PS_EUNIT, "unit '%s' is money in a unit parkstat does not "
                             "take (expected 元, 万元 or 亿元: convert the value to one of "
                             "them)", unit);
    int money = ps__money_factor(unit, 0) > 0;
    if (money && declared && ps__money_factor(declared, 0) == 0)
        return ps__row_error(r, PS_EUNIT, "unit '%s' contradicts the unit '%s' that "
                         "[indicator.%s] declares", unit, declared, indicator);
    if (!money && declared && strcmp(unit, declared) != 0)
        return ps__row_error(r, PS_EUNIT, "unit '%s' contradicts the unit '%s' that "
                             "[indicator.%s] declares", unit, declared, indicator);
    if (!money && !declared)
        return undeclared_unit(r, indicator, unit);
    *base = money ? PS_UNIT_MONEY : declared;
    if (ps__to_base(*value, unit, 0, value) < 0)
        return ps__row_error(r, PS_ERANGE, "value is out of range in 元");
    return 0;
}

static int read_period(reader_t *r, ps_period_t *period)
{
    const ps__csv_field_t *f = &r->f[r->h.period];
    if (r->period && f->len == 7 && memcmp(f->p, r->period_text, 7) == 0) {
        *period = r->period;
        return 0;
    }
    if (ps__period_parse(f->p, f->len, period) == 0 && *period <= r->latest) {
        if (f->len == 7) {
            memcpy(r->period_text, f->p, 7);
            r->period = *period;
        }
        return 0;
    }
    const char *hidden = ps__ledger_invisible(f->p, f->len);
    if (hidden)
        return ps__invisible_error(r, r->h.period, hidden);
    if (ps__period_parse(f->p, f->len, period) == 0)
        return ps__row_error(r, PS_ERANGE, "column 'period': '%.*s' is too far ahead "
                             "(expected a month no later than %04d-%02d, %d months "
                             "after the current one)", (int)f->len, f->p,
                             ps_period_year(r->latest), ps_period_month(r->latest),
                             PS_PERIOD_AHEAD_MAX);
    return ps__row_error(r, PS_EPARSE, "column 'period': '%.*s' is not a month "
                     "(expected YYYY-MM, e.g. 2023-10)", (int)f->len, f->p);
}

static int read_value(reader_t *r, int64_t *value)
{
    const ps__csv_field_t *f = &r->f[r->h.value];
    const char *why = "";
    if (ps__decimal_parse(f->p, f->len, value, &why) == 0)
        return 0;
    const char *hidden = ps__ledger_invisible(f->p, f->len);
    if (hidden)
        return ps__invisible_error(r, r->h.value, hidden);
    return ps__row_error(r, PS_EPARSE, "column 'value': '%.*s' %s (expected a decimal "
                     "with at most 4 decimal places, e.g. 1234.5 or \"1,234.5\")",
                     (int)f->len, f->p, why);
}

static int read_tags(reader_t *r, uint32_t *tags)
{
    ps__tag_pair_t pairs[MAX_TAGS];
    size_t n = 0;
    for (size_t i = 0; i < r->h.ntags; i++) {
        size_t col = r->h.tag_col[i];
        if (r->f[col].len == 0)
            continue;
        pairs[n].tag = r->h.tag_id[i];
        int rc = ps__ledger_intern_field(r, col, &pairs[n].value);
        if (rc < 0)
            return rc;
        n++;
    }
    return ps__ledger_tuple_id(r, pairs, n, tags);
}

/* Duplicates and sums are checked when the source is sealed (ledger.c). */
static int add_to_cube(reader_t *r, const ps__cell_key_t *key, int64_t value)
{
    if (r->line > UINT32_MAX - r->line_base)
        return ps__row_error(r, PS_ERANGE, "more than %u lines in the source's files",
                             UINT32_MAX);
    int rc = ps__cube_add(r->cube, key, value, r->line_base + (uint32_t)r->line);
    if (rc == PS_ERANGE)
        return ps__row_error(r, rc, "more than 32767 indicators in all sources");
    return rc < 0 ? ps__row_error(r, rc, "out of memory") : 0;
}

static int read_row(reader_t *r)
{
    header_t *h = &r->h;
    ps__cell_key_t key = { .source = r->opts->source };
    int64_t value;
    const char *base = NULL;
    int rc = read_period(r, &key.period);
    if (rc == 0 && r->f[h->indicator].len == 0)
        rc = ps__row_error(r, PS_EPARSE, "column 'indicator' is empty");
    if (rc == 0)
        rc = ps__ledger_intern_field(r, h->indicator, &key.indicator);
    if (rc < 0)
        return rc;
    if (r->f[h->value].len == 0) {
        r->stats->empty_values++;
        return 0;
    }
    if ((rc = read_value(r, &value)) < 0 ||
        (rc = convert_unit(r, key.indicator, &value, &base)) < 0)
        return rc;
    if (h->entity != NO_COLUMN &&
        (rc = ps__ledger_intern_field(r, h->entity, &key.entity)) < 0)
        return rc;
    if ((rc = read_tags(r, &key.tags)) < 0)
        return rc;
    const char *known = ps__cube_unit(r->cube, key.indicator);
    if (known && known != base && strcmp(known, base) != 0)
        return ps__row_error(r, PS_EUNIT, "unit of indicator '%s' is %s here but %s in "
                         "earlier rows", indicator_code(r, key.indicator), base, known);
    if (!known && (rc = ps__cube_set_unit(r->cube, key.indicator, base)) < 0)
        return rc;
    if ((rc = add_to_cube(r, &key, value)) < 0)
        return rc;
    r->stats->rows++;
    if (key.period > r->stats->last_period)
        r->stats->last_period = key.period;
    return 0;
}

int ps__ledger_keep_skip(ps__ledger_stats_t *stats, uint32_t line, const char *message)
{
    size_t kept = stats->skipped < PS_LEDGER_SKIPS_KEPT ? stats->skipped
                                                        : PS_LEDGER_SKIPS_KEPT;
    stats->skipped++;
    size_t at = kept;
    while (at > 0 && stats->skip_lines[at - 1] > line)
        at--;
    if (at == PS_LEDGER_SKIPS_KEPT)
        return 0;
    char *copy = strdup(message);
    if (!copy)
        return PS_ENOMEM;
    if (kept == PS_LEDGER_SKIPS_KEPT)
        free(stats->skips[--kept]);
    memmove(&stats->skips[at + 1], &stats->skips[at], (kept - at) * sizeof *stats->skips);
    memmove(&stats->skip_lines[at + 1], &stats->skip_lines[at],
            (kept - at) * sizeof *stats->skip_lines);
    stats->skips[at] = copy;
    stats->skip_lines[at] = line;
    return 0;
}

/* on_bad_row = skip: counts the row, keeps its message if among the first. */
static int skip_row(reader_t *r)
{
    int rc = ps__ledger_keep_skip(r->stats, r->line_base + (uint32_t)r->line,
                                  ps__buf_str(r->err));
    ps__buf_reset(r->err);
    return rc;
}

void ps__ledger_stats_free(ps__ledger_stats_t *stats)
{
    for (size_t i = 0; i < PS_LEDGER_SKIPS_KEPT; i++)
        free(stats->skips[i]);
}

void ps__ledger_reader_init(reader_t *r, ps__cube_t *cube, const char *name,
                            const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                            ps__buf_t *err)
{
    *r = (reader_t){ .cube = cube, .name = name, .opts = opts, .stats = stats,
                     .err = err, .latest = ps__period_latest_reportable(), .fd = -1 };
    for (size_t i = 0; i < INDICATOR_WAYS; i++)
        r->indicator[i].id = UINT32_MAX;
}

void ps__ledger_reader_free(reader_t *r)
{
    free(r->cache);
    free(r->ahead.fields);
    header_free(&r->h);
}

int ps__ledger_read_header(reader_t *r, ps__csv_t *csv)
{
    size_t n;
    int rc = ps__csv_next(csv, &r->f, &n, &r->line);
    if (rc == 0) {
        ps__buf_printf(r->err, "%s: empty file (expected a header row naming the "
                       "columns period, indicator and value)", r->name);
        rc = PS_EPARSE;
    } else if (rc > 0) {
        rc = read_header(r, n);
    }
    if (rc >= 0)
        rc = ps__ledger_alloc_caches(r);
    if (rc < 0 && !r->err->len)
        ps__buf_puts(r->err, ps__csv_error(csv));
    return rc;
}

int ps__ledger_copy_header(reader_t *r, const reader_t *from)
{
    header_t *h = &r->h;
    *h = from->h;
    h->names = calloc(h->ncols, sizeof *h->names);
    if (!h->names)
        return PS_ENOMEM;
    for (size_t i = 0; i < h->ncols; i++)
        if (!(h->names[i] = strdup(from->h.names[i])))
            return PS_ENOMEM;
    for (size_t i = 0; i < h->ntags; i++) {
        const char *name = h->names[h->tag_col[i]];
        int rc = ps__intern_id(ps__cube_strings(r->cube), name, strlen(name),
                               &h->tag_id[i]);
        if (rc < 0)
            return rc;
    }
    return ps__ledger_alloc_caches(r);
}

/* Checks the row in r->f, r->line with n fields: added, skipped or refused. */
static int take_row(reader_t *r, size_t n)
{
    int rc = n != r->h.ncols
                 ? ps__row_error(r, PS_EPARSE, "expected %zu fields as in the header, "
                                 "found %zu", r->h.ncols, n)
                 : read_row(r);
    if (rc < 0 && r->opts->skip_bad_rows && rc != PS_ENOMEM)
        rc = skip_row(r);
    return rc;
}

/* Every record after the header, each checked as soon as it is read. */
static int read_in_turn(reader_t *r, ps__csv_t *csv)
{
    size_t n;
    int rc;
    while ((rc = ps__csv_next(csv, &r->f, &n, &r->line)) > 0) {
        if ((rc = take_row(r, n)) < 0)
            break;
        if ((r->line & 0xFFF) == 0 && r->map) /* a cheap test first */
            ps__mapfile_release(r->map, ps__csv_offset(csv));
    }
    return rc;
}

/* Holds the record just read as the newest row ahead, its entity's lookup
   begun. */
static void hold_ahead(reader_t *r, const ps__csv_field_t *f, size_t n, unsigned long line)
{
    ahead_t *a = &r->ahead;
    size_t at = (a->first + a->count++) % ROWS_AHEAD, ncols = r->h.ncols;
    ps__csv_field_t *fields = a->fields + at * ncols;
    memcpy(fields, f, (n < ncols ? n : ncols) * sizeof *f);
    a->n[at] = n;
    a->line[at] = line;
    r->f = fields;
    a->fetching[at] = n == ncols && ps__ledger_prefetch_field(r, r->h.entity, &a->hash[at]);
    /* halfway, the slot of a row read earlier has arrived: now its text */
    size_t half = (at + ROWS_AHEAD - ROWS_AHEAD / 2) % ROWS_AHEAD;
    if (a->count > ROWS_AHEAD / 2 && a->fetching[half])
        ps__intern_prefetch_text(ps__cube_strings(r->cube), a->hash[half]);
}

/* Checks the oldest row ahead. */
static int take_ahead(reader_t *r)
{
    ahead_t *a = &r->ahead;
    size_t at = a->first;
    a->first = (a->first + 1) % ROWS_AHEAD;
    a->count--;
    r->f = a->fields + at * r->h.ncols;
    r->line = a->line[at];
    return take_row(r, a->n[at]);
}

/* Every record after the header, checked ROWS_AHEAD records after it is
   read; the rows ahead are checked before an error of the CSV itself. */
static int read_ahead(reader_t *r, ps__csv_t *csv)
{
    const ps__csv_field_t *f;
    size_t n;
    unsigned long line = r->line;
    int rc;
    while ((rc = ps__csv_next(csv, &f, &n, &line)) > 0) {
        hold_ahead(r, f, n, line);
        if (r->ahead.count == ROWS_AHEAD && (rc = take_ahead(r)) < 0)
            return rc;
        if ((line & 0xFFF) == 0)
            ps__mapfile_release(r->map, ps__csv_offset(csv));
    }
    while (r->ahead.count) {
        int taken = take_ahead(r);
        if (taken < 0)
            return taken;
    }
    r->line = line;
    return rc;
}

int ps__ledger_read_guarded(reader_t *r, ps__csv_t *csv, ps__ledger_read_fn *read)
{
    if (!r->map)
        return read(r, csv);
    ps__mapguard_t guard;
    ps__mapguard_arm(&guard, r->map);
    if (sigsetjmp(guard.jump, 1) != 0) {
        ps__mapguard_disarm(&guard);
        r->lost_pages = 1;
        return PS_EIO;
    }
    int rc = read(r, csv);
    ps__mapguard_disarm(&guard);
    return rc;
}

int ps__ledger_read_body(reader_t *r, ps__csv_t *csv)
{
    int rc;
    if (r->map && r->h.entity != NO_COLUMN &&
        (r->ahead.fields || (r->ahead.fields = calloc(ROWS_AHEAD * r->h.ncols,
                                                      sizeof *r->ahead.fields))))
        rc = read_ahead(r, csv);
    else
        rc = read_in_turn(r, csv);
    if (rc < 0 && !r->err->len)
        ps__buf_puts(r->err, ps__csv_error(csv));
    return rc;
}
