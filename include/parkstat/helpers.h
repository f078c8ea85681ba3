/*
 * parkstat SDK: small helpers for the steps most plugins share, written once
 * here on top of ps_api_t. They are static inline, so a plugin still links
 * against nothing: they compile into the plugin and call the core only
 * through the table. Which helpers stay here and which belong behind the
 * table is decided in parkstat-plugin(7): only composition of table calls
 * stays inline; anything that judges data (formats, rounds, checks a
 * figure) is the core's.
 *
 * Limits (each fails loudly through api->failf when met, never truncates):
 *   PS_MAX_PARTS  parts a helper orders or emits from one breakdown
 *   PS_MAX_KEY    bytes of an indicator key a helper builds, with its NUL
 *   PS_MAX_TEXT   bytes of a paragraph composed with ps_text_t, with its NUL
 * and PS_MAX_FILTERS (plugin.h) filters in one query.
 */
#ifndef PARKSTAT_HELPERS_H
#define PARKSTAT_HELPERS_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <parkstat/plugin.h>

/* The first month a figure of `code` up to `asof` covers: January for a
   flow (the year to date), `asof` itself for a stock (时点数), whose
   month-end values never add up across months. */
static inline ps_period_t ps_first_month(ps_ctx_t *ctx, const ps_api_t *api,
                                         const char *code, ps_period_t asof)
{
    return api->is_stock(ctx, code) ? asof : ps_period_year_start(asof);
}

/*
 * The year to date of indicator `code` (with optional filters): from January
 * to the latest month with data not after the report period; for a stock,
 * its value at that month's end. Sets ind->value, ind->asof and
 * ind->indicator; leaves the other fields alone. Fails (through
 * api->failf) when the indicator has no data at all.
 */
static inline int ps_year_to_date(ps_ctx_t *ctx, const ps_api_t *api,
                                  const char *code, const ps_filter_t *filters,
                                  size_t n_filters, ps_indicator_t *ind)
{
    ps_period_t asof;
    if (api->latest_period(ctx, code, &asof) < 0)
        return api->failf(ctx, PS_ENOENT, "the ledgers hold no data for indicator "
                         "'%s' up to the report period", code);
    ps_query_t q = { .indicator = code, .from = ps_first_month(ctx, api, code, asof),
                     .to = asof, .filters = filters, .n_filters = n_filters };
    ind->indicator = code;
    ind->asof = asof;
    return api->sum(ctx, &q, &ind->value);
}

/*
 * Reads this year's and next year's targets from the per-year key `family`
 * (target.2023, target.2024 for a 2023 report); a year without one is
 * simply no target.
 */
static inline int ps_targets(ps_ctx_t *ctx, const ps_api_t *api,
                             const char *family, ps_indicator_t *ind)
{
    int year = ps_period_year(api->report_period(ctx));
    int rc = api->conf_year_amount(ctx, family, year, &ind->target);
    if (rc < 0 && rc != PS_ENOENT)
        return rc;
    rc = api->conf_year_amount(ctx, family, year + 1, &ind->next_target);
    return rc == PS_ENOENT ? 0 : rc;
}

/*
 * Emits `ind` and tells the core which rows its value measures, so that the
 * report compares it with last year and charts its months; a core older than
 * ABI 1.2 just shows the figure.
 */
static inline int ps_emit_measured(ps_ctx_t *ctx, const ps_api_t *api,
                                   const ps_indicator_t *ind, const ps_query_t *q,
                                   ps_measure_t how)
{
    int rc = api->emit(ctx, ind);
    if (rc == 0 && PS_API_HAS(api, measured_by))
        rc = api->measured_by(ctx, ind->key, q, how);
    return rc;
}

/* Emits an indicator filled by ps_year_to_date (same code, filters and
   months), as ps_emit_measured does. */
static inline int ps_emit_year_to_date(ps_ctx_t *ctx, const ps_api_t *api,
                                       const ps_indicator_t *ind,
                                       const ps_filter_t *filters, size_t n_filters)
{
    ps_query_t q = { .indicator = ind->indicator,
                     .from = ps_first_month(ctx, api, ind->indicator, ind->asof),
                     .to = ind->asof, .filters = filters, .n_filters = n_filters };
    return ps_emit_measured(ctx, api, ind, &q, PS_MEASURE_SUM);
}

/* Adds the sentence held by template key `key`, unless it is set empty. */
static inline int ps_sentence_from(ps_ctx_t *ctx, const ps_api_t *api,
                                   ps_sentence_kind_t kind, const char *key)
{
    const char *tmpl;
    int rc = api->conf_string(ctx, key, &tmpl);
    if (rc == PS_ENOENT || (rc == 0 && !*tmpl))
        return 0;
    return rc < 0 ? rc : api->sentence(ctx, kind, tmpl);
}

/* The months `parent` covers: January to its as-of month. */
static inline ps_query_t ps_query_like(const ps_indicator_t *parent, const char *code)
{
    ps_query_t q = { .indicator = code, .from = ps_period_year_start(parent->asof),
                     .to = parent->asof };
    return q;
}

/*
 * The three keys of an "of which" (其中) figure: the rows whose tag
 * `subset.tag` holds `subset.value`, shown as `subset.label`.
 */
#define PS_SUBSET_KEYS(tag, value, label)                                      \
    { .name = "subset.tag", .type = PS_KEY_STRING, .default_value = (tag),     \
      .help = "the tag that marks the \"of which\" figure's rows" },           \
    { .name = "subset.value", .type = PS_KEY_STRING, .default_value = (value), \
      .help = "the tag value of its rows" },                                   \
    { .name = "subset.label", .type = PS_KEY_STRING, .default_value = (label), \
      .help = "its label in the report" }

/* Fills `out` (key set by the caller) with the SUBSET of `parent` that the
   subset.* keys select, over the same months; the query it sums is left in
   *q, whose filter lives in *filter. */
static inline int ps_subset_fill(ps_ctx_t *ctx, const ps_api_t *api,
                                 const ps_indicator_t *parent, ps_indicator_t *out,
                                 ps_filter_t *filter, ps_query_t *q)
{
    int rc = api->conf_string(ctx, "subset.tag", &filter->tag);
    if (rc == 0)
        rc = api->conf_string(ctx, "subset.value", &filter->value);
    if (rc == 0)
        rc = api->conf_string(ctx, "subset.label", &out->label);
    if (rc < 0)
        return rc;
    *q = ps_query_like(parent, parent->indicator);
    q->filters = filter;
    q->n_filters = 1;
    out->indicator = parent->indicator;
    out->parent = parent->key;
    out->relation = PS_REL_SUBSET;
    out->asof = parent->asof;
    return api->sum(ctx, q, &out->value);
}

/* Fills `out` as ps_subset_fill does. */
static inline int ps_subset_of(ps_ctx_t *ctx, const ps_api_t *api,
                               const ps_indicator_t *parent, ps_indicator_t *out)
{
    ps_filter_t filter;
    ps_query_t q;
    return ps_subset_fill(ctx, api, parent, out, &filter, &q);
}

/* Fills `out` as ps_subset_fill does and emits it, measured. */
static inline int ps_emit_subset_of(ps_ctx_t *ctx, const ps_api_t *api,
                                    const ps_indicator_t *parent, ps_indicator_t *out)
{
    ps_filter_t filter;
    ps_query_t q;
    int rc = ps_subset_fill(ctx, api, parent, out, &filter, &q);
    return rc < 0 ? rc : ps_emit_measured(ctx, api, out, &q, PS_MEASURE_SUM);
}

#define PS_MAX_PARTS 256
#define PS_MAX_KEY 128
#define PS_MAX_TEXT 16384

/*
 * Writes into key[size] the key of a breakdown part: the tag value with the
 * characters keys may not hold replaced by '_', or "_none" for rows that
 * left the tag empty. Returns 0, or PS_ERANGE when it does not fit (key
 * then holds "").
 */
static inline int ps_part_key(const char *tag_value, char *key, size_t size)
{
    size_t i = 0;
    const char *src = *tag_value ? tag_value : "_none";
    if (size == 0)
        return PS_ERANGE;
    for (; src[i] && i + 1 < size; i++) {
        char c = src[i];
        key[i] = strchr(PS_KEY_FORBIDDEN, c) ? '_' : c;
    }
    key[src[i] ? 0 : i] = '\0';
    return src[i] ? PS_ERANGE : 0;
}

/*
 * Fills `out` as the PART child of `parent` for one breakdown group: keyed
 * by ps_part_key() into key[size] (PS_MAX_KEY is enough for a tag value of
 * up to PS_MAX_KEY - 1 bytes), labelled by the tag value ("其他" for rows
 * that left it empty). The caller may add a target before emitting it.
 * Fails (through api->failf, PS_ERANGE) when the key does not fit.
 */
static inline int ps_part_indicator(ps_ctx_t *ctx, const ps_api_t *api,
                                    const ps_indicator_t *parent,
                                    const ps_part_t *part, char *key, size_t size,
                                    ps_indicator_t *out)
{
    if (ps_part_key(part->tag_value, key, size) < 0)
        return api->failf(ctx, PS_ERANGE, "'%s': the tag value '%s' makes a key longer "
                          "than %zu bytes", parent->key, part->tag_value, size - 1);
    ps_indicator_t ind = { .key = key,
                           .label = *part->tag_value ? part->tag_value : "其他",
                           .indicator = parent->indicator, .parent = parent->key,
                           .relation = PS_REL_PART, .value = part->value,
                           .asof = parent->asof };
    *out = ind;
    return 0;
}

/*
 * As ps_part_indicator, for a group of `tag`'s values, labelled in the
 * office's words: [labels.TAG] of the INI where it names the value
 * (api->tag_label), else as ps_part_indicator labels it. On a core older
 * than ABI 1.4, the tag value.
 */
static inline int ps_part_labelled(ps_ctx_t *ctx, const ps_api_t *api,
                                   const ps_indicator_t *parent, const char *tag,
                                   const ps_part_t *part, char *key, size_t size,
                                   ps_indicator_t *out)
{
    int rc = ps_part_indicator(ctx, api, parent, part, key, size, out);
    if (rc == 0 && tag && PS_API_HAS(api, tag_label))
        rc = api->tag_label(ctx, tag, part->tag_value, &out->label);
    return rc;
}

/* Is `value` one of the n words of `list`? */
static inline int ps_listed(const char *const *list, size_t n, const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], value) == 0)
            return 1;
    return 0;
}

/*
 * Puts into out[max] first the parts whose tag values `order` lists, in its
 * order, then the others as they come (largest first, from the core).
 * Returns how many it put: less than n only when max is too small, which
 * ps_order_all_parts turns into a failure.
 */
static inline size_t ps_order_parts(const ps_part_t *parts, size_t n,
                                    const char *const *order, size_t n_order,
                                    const ps_part_t **out, size_t max)
{
    size_t count = 0;
    for (size_t k = 0; k < n_order; k++)
        for (size_t i = 0; i < n && count < max; i++)
            if (strcmp(order[k], parts[i].tag_value) == 0)
                out[count++] = &parts[i];
    for (size_t i = 0; i < n && count < max; i++)
        if (!ps_listed(order, n_order, parts[i].tag_value))
            out[count++] = &parts[i];
    return count;
}

/*
 * As ps_order_parts into out[PS_MAX_PARTS], for every part: fails (through
 * api->failf, PS_ERANGE) when `parent` has more than PS_MAX_PARTS parts.
 * Returns 0 with *count set, or the failure.
 */
static inline int ps_order_all_parts(ps_ctx_t *ctx, const ps_api_t *api,
                                     const ps_indicator_t *parent,
                                     const ps_part_t *parts, size_t n,
                                     const char *const *order, size_t n_order,
                                     const ps_part_t **out, size_t *count)
{
    *count = ps_order_parts(parts, n, order, n_order, out, PS_MAX_PARTS);
    if (*count < n)
        return api->failf(ctx, PS_ERANGE, "'%s' has %zu parts; at most %d", parent->key,
                          n, PS_MAX_PARTS);
    return 0;
}

/* The filters of `q` and one more, tag = value, in out[max]; NULL when
   they do not fit. */
static inline ps_query_t ps_query_and(const ps_query_t *q, const char *tag,
                                      const char *value, ps_filter_t *out, size_t max)
{
    ps_query_t narrowed = *q;
    if (q->n_filters + 1 > max) {
        narrowed.filters = NULL;
        return narrowed;
    }
    for (size_t i = 0; i < q->n_filters; i++)
        out[i] = q->filters[i];
    out[q->n_filters].tag = tag;
    out[q->n_filters].value = value;
    narrowed.filters = out;
    narrowed.n_filters = q->n_filters + 1;
    return narrowed;
}

/*
 * Emits each part as a PART child of `parent`, in the order `order` gives
 * (see ps_order_parts); `order` may be NULL. When `q` is not NULL the parts
 * are the groups of its rows by `tag`, and each is emitted measured (`how`)
 * by q narrowed to its tag value.
 */
static inline int ps_emit_parts_of(ps_ctx_t *ctx, const ps_api_t *api,
                                   const ps_indicator_t *parent, const ps_query_t *q,
                                   const char *tag, ps_measure_t how,
                                   const ps_part_t *parts, size_t n,
                                   const char *const *order, size_t n_order)
{
    const ps_part_t *sequence[PS_MAX_PARTS];
    size_t count;
    int rc = ps_order_all_parts(ctx, api, parent, parts, n, order, n_order, sequence,
                                &count);
    if (rc == 0 && q && q->n_filters + 1 > PS_MAX_FILTERS)
        rc = api->failf(ctx, PS_ERANGE, "'%s': its query has %zu filters, and a part "
                        "needs one more; at most %d", parent->key, q->n_filters,
                        PS_MAX_FILTERS);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        char key[PS_MAX_KEY];
        ps_indicator_t part;
        rc = ps_part_labelled(ctx, api, parent, tag, sequence[i], key, sizeof key, &part);
        ps_filter_t filters[PS_MAX_FILTERS];
        ps_query_t narrowed = q ? ps_query_and(q, tag, sequence[i]->tag_value, filters,
                                               PS_MAX_FILTERS) : (ps_query_t){ 0 };
        if (rc == 0)
            rc = q ? ps_emit_measured(ctx, api, &part, &narrowed, how)
                   : api->emit(ctx, &part);
    }
    return rc;
}

/* Emits each part as a PART child of `parent`, unmeasured. */
static inline int ps_emit_parts(ps_ctx_t *ctx, const ps_api_t *api,
                                const ps_indicator_t *parent, const ps_part_t *parts,
                                size_t n, const char *const *order, size_t n_order)
{
    return ps_emit_parts_of(ctx, api, parent, NULL, NULL, PS_MEASURE_SUM, parts, n,
                            order, n_order);
}

/* Breaks `parent` down by the values of `tag` over the same months and emits
   one PART child per value, measured, in the order `order` gives (may be
   NULL). */
static inline int ps_emit_breakdown(ps_ctx_t *ctx, const ps_api_t *api,
                                    const ps_indicator_t *parent, const char *tag,
                                    const char *const *order, size_t n_order)
{
    const ps_part_t *parts;
    size_t n;
    ps_query_t q = ps_query_like(parent, parent->indicator);
    int rc = api->breakdown(ctx, &q, tag, &parts, &n);
    return rc < 0 ? rc : ps_emit_parts_of(ctx, api, parent, &q, tag, PS_MEASURE_SUM,
                                          parts, n, order, n_order);
}

/* The months from January to the report period, for `code`, with at most
   one filter (tag NULL: none). The filter lives in *filter. */
static inline ps_query_t ps_query_ytd(ps_ctx_t *ctx, const ps_api_t *api,
                                      const char *code, const char *tag,
                                      const char *value, ps_filter_t *filter)
{
    ps_period_t now = api->report_period(ctx);
    filter->tag = tag;
    filter->value = value;
    ps_query_t q = { .indicator = code, .from = ps_period_year_start(now), .to = now,
                     .filters = tag ? filter : NULL, .n_filters = tag ? 1 : 0 };
    return q;
}

/* As ps_query_ytd, for the report month alone: a stock (时点数), a state
   at the month's end (projects in negotiation, idle parcels), which is
   never summed across months. */
static inline ps_query_t ps_query_month_end(ps_ctx_t *ctx, const ps_api_t *api,
                                            const char *code, const char *tag,
                                            const char *value, ps_filter_t *filter)
{
    ps_query_t q = ps_query_ytd(ctx, api, code, tag, value, filter);
    q.from = q.to;
    return q;
}

/* The sum of the rows `q` selects into ind->value; sets ind->indicator
   and ind->asof (q->to: a tally "to date", with no as-of note). */
static inline int ps_sum_in(ps_ctx_t *ctx, const ps_api_t *api, const ps_query_t *q,
                            ps_indicator_t *ind)
{
    ind->indicator = q->indicator;
    ind->asof = q->to;
    return api->sum(ctx, q, &ind->value);
}

/* The sum of `code` over the report's year to date (optionally only rows
   whose `tag` holds `value`), as ps_sum_in. */
static inline int ps_sum_ytd(ps_ctx_t *ctx, const ps_api_t *api, const char *code,
                             const char *tag, const char *value, ps_indicator_t *ind)
{
    ps_filter_t filter;
    ps_query_t q = ps_query_ytd(ctx, api, code, tag, value, &filter);
    return ps_sum_in(ctx, api, &q, ind);
}

/* The sum of a stock's month-end values at the report month (the area of
   the parcels idle at the month's end), as ps_sum_in. */
static inline int ps_sum_month_end(ps_ctx_t *ctx, const ps_api_t *api, const char *code,
                                   const char *tag, const char *value, ps_indicator_t *ind)
{
    ps_filter_t filter;
    ps_query_t q = ps_query_month_end(ctx, api, code, tag, value, &filter);
    return ps_sum_in(ctx, api, &q, ind);
}

/* Emits an indicator filled by ps_sum_ytd or ps_count_ytd (same tag and
   value), measured as `how`, as ps_emit_measured does. */
static inline int ps_emit_ytd(ps_ctx_t *ctx, const ps_api_t *api,
                              const ps_indicator_t *ind, const char *tag,
                              const char *value, ps_measure_t how)
{
    ps_filter_t filter;
    ps_query_t q = ps_query_ytd(ctx, api, ind->indicator, tag, value, &filter);
    return ps_emit_measured(ctx, api, ind, &q, how);
}

/* Emits an indicator filled by ps_sum_month_end or ps_count_month_end, as
   ps_emit_measured does: its 同比 is the same month's end last year. */
static inline int ps_emit_month_end(ps_ctx_t *ctx, const ps_api_t *api,
                                    const ps_indicator_t *ind, const char *tag,
                                    const char *value, ps_measure_t how)
{
    ps_filter_t filter;
    ps_query_t q = ps_query_month_end(ctx, api, ind->indicator, tag, value, &filter);
    return ps_emit_measured(ctx, api, ind, &q, how);
}

/* How many distinct entities the rows `q` selects have, into ind->value in
   `unit`; sets ind->indicator and ind->asof (q->to). */
static inline int ps_count_in(ps_ctx_t *ctx, const ps_api_t *api, const ps_query_t *q,
                              const char *unit, ps_indicator_t *ind)
{
    int64_t count;
    int rc = api->count_entities(ctx, q, &count);
    ind->indicator = q->indicator;
    ind->asof = q->to;
    ind->value = ps_count_value(count, unit);
    return rc;
}

/* Counts the distinct entities of `code` over the report's year to date
   (optionally only the rows whose `tag` holds `value`), as ps_count_in. */
static inline int ps_count_ytd(ps_ctx_t *ctx, const ps_api_t *api, const char *code,
                               const char *tag, const char *value, const char *unit,
                               ps_indicator_t *ind)
{
    ps_filter_t filter;
    ps_query_t q = ps_query_ytd(ctx, api, code, tag, value, &filter);
    return ps_count_in(ctx, api, &q, unit, ind);
}

/* How many distinct entities are in a state at the report month's end
   (a stock: the rows of that month alone), as ps_count_ytd counts. */
static inline int ps_count_month_end(ps_ctx_t *ctx, const ps_api_t *api, const char *code,
                                     const char *tag, const char *value, const char *unit,
                                     ps_indicator_t *ind)
{
    ps_filter_t filter;
    ps_query_t q = ps_query_month_end(ctx, api, code, tag, value, &filter);
    return ps_count_in(ctx, api, &q, unit, ind);
}

/*
 * A paragraph a plugin composes when its shape depends on the data (one
 * clause per category, say): template text, placeholders and all, filled
 * in by the core. ps_text_append never overflows: what does not fit in
 * PS_MAX_TEXT bytes marks the text cut, and ps_text_sentence then fails.
 */
typedef struct ps_text {
    char buf[PS_MAX_TEXT];
    size_t len;
    int cut;
} ps_text_t;

static inline void ps_text_append(ps_text_t *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void ps_text_append(ps_text_t *t, const char *fmt, ...)
{
    size_t room = sizeof t->buf - t->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) {
        t->cut = 1;
        t->len = sizeof t->buf - 1;
    } else {
        t->len += (size_t)n;
    }
}

/* Adds the paragraph as a sentence of `kind`, or fails if it was cut. */
static inline int ps_text_sentence(ps_ctx_t *ctx, const ps_api_t *api,
                                   ps_sentence_kind_t kind, const ps_text_t *t)
{
    if (t->cut)
        return api->failf(ctx, PS_ERANGE, "a paragraph is longer than %zu bytes",
                          sizeof t->buf - 1);
    return api->sentence(ctx, kind, t->buf);
}

#endif
