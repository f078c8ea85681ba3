/*
 * benchq: the benchmark's questions as a section, so that parkstat answers
 * them in its JSON report and bench/run can compare its totals with the
 * other tools' to the last digit. For each indicator of `indicators`:
 *
 *   CODE              the year to date (January to the report month)
 *   CODE_prev         the same months of the previous year
 *   CODE_entities     distinct entities with a row in the year to date
 *   CODE:TAG:VALUE    the year to date broken down by tag_a and by tag_b
 *
 * It uses the public SDK only, like any department plugin.
 */
#include <parkstat/parkstat.h>

static const ps_key_t benchq_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "基准测试",
      .help = "the section's heading" },
    { .name = "indicators", .type = PS_KEY_LIST, .default_value = "fai",
      .help = "the ledger indicators asked about" },
    { .name = "tag_a", .type = PS_KEY_STRING, .default_value = "industry",
      .help = "the first tag of the breakdowns" },
    { .name = "tag_b", .type = PS_KEY_STRING, .default_value = "collector",
      .help = "the second tag of the breakdowns" },
    { .name = NULL },
};

static int benchq_emit_value(ps_ctx_t *ctx, const ps_api_t *api, const char *key,
                             const char *code, ps_period_t asof, ps_value_t value)
{
    ps_indicator_t ind = { .key = key, .label = key, .indicator = code,
                           .value = value, .asof = asof };
    return api->emit(ctx, &ind);
}

static int benchq_breakdown(ps_ctx_t *ctx, const ps_api_t *api,
                            const ps_indicator_t *ytd, const char *tag)
{
    const ps_part_t *parts;
    size_t n;
    ps_query_t q = ps_query_like(ytd, ytd->indicator);
    int rc = api->breakdown(ctx, &q, tag, &parts, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char key[160];
        snprintf(key, sizeof key, "%s:%s:%s", ytd->indicator, tag,
                 *parts[i].tag_value ? parts[i].tag_value : "_none");
        rc = benchq_emit_value(ctx, api, key, ytd->indicator, ytd->asof, parts[i].value);
    }
    return rc;
}

static int benchq_indicator(ps_ctx_t *ctx, const ps_api_t *api, const char *code,
                            const char *tag_a, const char *tag_b)
{
    char key[160];
    ps_indicator_t ytd = { .key = code, .label = code };
    int rc = ps_year_to_date(ctx, api, code, NULL, 0, &ytd);
    if (rc == 0)
        rc = api->emit(ctx, &ytd);
    ps_query_t q = ps_query_like(&ytd, code);
    q.from -= 12;
    q.to -= 12;
    ps_value_t prev;
    if (rc == 0)
        rc = api->sum(ctx, &q, &prev);
    snprintf(key, sizeof key, "%s_prev", code);
    if (rc == 0)
        rc = benchq_emit_value(ctx, api, key, code, ytd.asof - 12, prev);
    int64_t entities = 0;
    q = ps_query_like(&ytd, code);
    if (rc == 0)
        rc = api->count_entities(ctx, &q, &entities);
    snprintf(key, sizeof key, "%s_entities", code);
    if (rc == 0)
        rc = benchq_emit_value(ctx, api, key, NULL, ytd.asof,
                               ps_count_value(entities, "家"));
    if (rc == 0)
        rc = benchq_breakdown(ctx, api, &ytd, tag_a);
    if (rc == 0)
        rc = benchq_breakdown(ctx, api, &ytd, tag_b);
    return rc;
}

static int benchq_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *const *codes;
    size_t n;
    const char *tag_a, *tag_b;
    int rc = api->conf_list(ctx, "indicators", &codes, &n);
    if (rc == 0)
        rc = api->conf_string(ctx, "tag_a", &tag_a);
    if (rc == 0)
        rc = api->conf_string(ctx, "tag_b", &tag_b);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = benchq_indicator(ctx, api, codes[i], tag_a, tag_b);
    return rc;
}

PS_PLUGIN(benchq) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "benchq",
    .version = "1.0",
    .description = "the benchmark's questions: year to date, previous year, "
                   "distinct entities, breakdowns by two tags",
    .keys = benchq_keys,
    .compute = benchq_compute,
};
