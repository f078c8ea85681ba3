/*
 * safety: work safety supervision (安全生产监管): special campaigns by kind,
 * distinct enterprises inspected, hazards found and the share rectified.
 */
#include <parkstat/parkstat.h>

static const ps_key_t safety_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "安全生产",
      .help = "the section's heading" },
    { .name = "inspection", .type = PS_KEY_STRING, .default_value = "inspection",
      .help = "indicator: a row per enterprise and month it was inspected" },
    { .name = "hazards", .type = PS_KEY_STRING, .default_value = "hazards_found",
      .help = "indicator: hazards found" },
    { .name = "rectified", .type = PS_KEY_STRING, .default_value = "hazards_rectified",
      .help = "indicator: hazards rectified" },
    { .name = "campaign", .type = PS_KEY_STRING, .default_value = "campaign",
      .help = "indicator: a row per special campaign" },
    { .name = "campaign_tag", .type = PS_KEY_STRING, .default_value = "campaign",
      .help = "the tag that holds a campaign's kind" },
    { .name = "campaign_order", .type = PS_KEY_LIST,
      .default_value = "消防专项整治,职业病危害专项整治,食品安全专项整治",
      .help = "the order the kinds of campaign are written in" },
    { .name = "template.body", .type = PS_KEY_TEMPLATE,
      .default_value = "组织开展{campaigns.parts}，共检查企业{inspected}，排查出一般"
                       "安全隐患{hazards}[[，隐患整改率{rectification}]]。",
      .help = "the section's paragraph" },
    { .name = NULL },
};

/* Reads the indicator code that key `code_key` names and sums it. */
static int safety_sum(ps_ctx_t *ctx, const ps_api_t *api, const char *code_key,
                      ps_indicator_t *ind)
{
    const char *code;
    int rc = api->conf_string(ctx, code_key, &code);
    if (rc == 0)
        rc = ps_sum_ytd(ctx, api, code, NULL, NULL, ind);
    return rc == 0 ? ps_emit_ytd(ctx, api, ind, NULL, NULL, PS_MEASURE_SUM) : rc;
}

static int safety_campaigns(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *tag, *const *order;
    size_t n_order;
    ps_indicator_t campaigns = { .key = "campaigns", .label = "专项整治" };
    int rc = safety_sum(ctx, api, "campaign", &campaigns);
    if (rc == 0)
        rc = api->conf_string(ctx, "campaign_tag", &tag);
    if (rc == 0)
        rc = api->conf_list(ctx, "campaign_order", &order, &n_order);
    return rc == 0 ? ps_emit_breakdown(ctx, api, &campaigns, tag, order, n_order) : rc;
}

/* 隐患整改率: hazards rectified over hazards found, the exact ratio of the
   two sums, with its own change on last year. */
static int safety_rectification(ps_ctx_t *ctx, const ps_api_t *api,
                                const ps_indicator_t *found, const ps_indicator_t *rectified)
{
    ps_filter_t none[2];
    ps_query_t num = ps_query_ytd(ctx, api, rectified->indicator, NULL, NULL, &none[0]);
    ps_query_t den = ps_query_ytd(ctx, api, found->indicator, NULL, NULL, &none[1]);
    ps_indicator_t rate = { .key = "rectification", .label = "隐患整改率",
                            .indicator = rectified->indicator, .asof = num.to };
    return api->emit_ratio(ctx, &rate, &num, &den, 100, "%");
}

static int safety_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *inspection;
    ps_indicator_t inspected = { .key = "inspected", .label = "检查企业" };
    ps_indicator_t hazards = { .key = "hazards", .label = "排查安全隐患" };
    ps_indicator_t rectified = { .key = "rectified", .label = "整改隐患",
                                 .parent = "hazards", .relation = PS_REL_SUBSET };
    int rc = safety_campaigns(ctx, api);
    if (rc == 0)
        rc = api->conf_string(ctx, "inspection", &inspection);
    if (rc == 0)
        rc = ps_count_ytd(ctx, api, inspection, NULL, NULL, "户", &inspected);
    if (rc == 0)
        rc = ps_emit_ytd(ctx, api, &inspected, NULL, NULL, PS_MEASURE_ENTITIES);
    if (rc == 0)
        rc = safety_sum(ctx, api, "hazards", &hazards);
    if (rc == 0)
        rc = safety_sum(ctx, api, "rectified", &rectified);
    if (rc == 0)
        rc = safety_rectification(ctx, api, &hazards, &rectified);
    if (rc == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_BODY, "template.body");
    return rc;
}

PS_PLUGIN(safety) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "safety",
    .version = "1.0",
    .description = "campaigns, enterprises inspected, hazards found and rectified",
    .keys = safety_keys,
    .compute = safety_compute,
};
