/*
 * parkstat SDK: small helpers for the steps most plugins share, written once
 * here on top of ps_api_t. They are static inline, so a plugin still links
 * against nothing: they compile into the plugin and call the core only
 * through the table.
 */
#ifndef PARKSTAT_HELPERS_H
#define PARKSTAT_HELPERS_H

#include <parkstat/plugin.h>

/*
 * The year to date of indicator `code` (with optional filters): from January
 * to the latest month with data not after the report period. Sets
 * ind->value, ind->asof and ind->indicator; leaves the other fields alone.
 * Fails (through api->fail) when the indicator has no data at all.
 */
static inline int ps_year_to_date(ps_ctx_t *ctx, const ps_api_t *api,
                                  const char *code, const ps_filter_t *filters,
                                  size_t n_filters, ps_indicator_t *ind)
{
    ps_period_t asof;
    if (api->latest_period(ctx, code, &asof) < 0)
        return api->failf(ctx, PS_ENOENT, "the ledgers hold no data for indicator "
                         "'%s' up to the report period", code);
    ps_query_t q = { .indicator = code, .from = ps_period_year_start(asof),
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
   subset.* keys select, over the same months. */
static inline int ps_subset_of(ps_ctx_t *ctx, const ps_api_t *api,
                               const ps_indicator_t *parent, ps_indicator_t *out)
{
    ps_filter_t filter;
    int rc = api->conf_string(ctx, "subset.tag", &filter.tag);
    if (rc == 0)
        rc = api->conf_string(ctx, "subset.value", &filter.value);
    if (rc == 0)
        rc = api->conf_string(ctx, "subset.label", &out->label);
    if (rc < 0)
        return rc;
    ps_query_t q = ps_query_like(parent, parent->indicator);
    q.filters = &filter;
    q.n_filters = 1;
    out->indicator = parent->indicator;
    out->parent = parent->key;
    out->relation = PS_REL_SUBSET;
    out->asof = parent->asof;
    return api->sum(ctx, &q, &out->value);
}

/*
 * Writes into key[size] the key of a breakdown part: the tag value with the
 * characters keys may not hold replaced by '_', or "_none" for rows that
 * left the tag empty.
 */
static inline void ps_part_key(const char *tag_value, char *key, size_t size)
{
    size_t i = 0;
    const char *src = *tag_value ? tag_value : "_none";
    for (; src[i] && i + 1 < size; i++) {
        char c = src[i];
        key[i] = (c == '{' || c == '}' || c == '.' || c == ' ' || c == '\t') ? '_' : c;
    }
    key[i] = '\0';
}

/*
 * Fills `out` as the PART child of `parent` for one breakdown group: keyed
 * by ps_part_key() into key[size], labelled by the tag value ("其他" for rows
 * that left it empty). The caller may add a target before emitting it.
 */
static inline void ps_part_indicator(const ps_indicator_t *parent,
                                     const ps_part_t *part, char *key, size_t size,
                                     ps_indicator_t *out)
{
    ps_part_key(part->tag_value, key, size);
    ps_indicator_t ind = { .key = key,
                           .label = *part->tag_value ? part->tag_value : "其他",
                           .indicator = parent->indicator, .parent = parent->key,
                           .relation = PS_REL_PART, .value = part->value,
                           .asof = parent->asof };
    *out = ind;
}

/* Breaks `parent` down by the values of `tag` over the same months and emits
   one PART child per value, largest first. */
static inline int ps_emit_breakdown(ps_ctx_t *ctx, const ps_api_t *api,
                                    const ps_indicator_t *parent, const char *tag)
{
    const ps_part_t *parts;
    size_t n;
    ps_query_t q = ps_query_like(parent, parent->indicator);
    int rc = api->breakdown(ctx, &q, tag, &parts, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char key[128];
        ps_indicator_t part;
        ps_part_indicator(parent, &parts[i], key, sizeof key, &part);
        rc = api->emit(ctx, &part);
    }
    return rc;
}

#endif
