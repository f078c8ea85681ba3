/*
 * land: land management (土地管理): parcels and 亩 supplied, rights
 * registered and the financing they raised, idle land under recovery by
 * stage (parcels and 亩 for each, at the month's end), and enforcement.
 */
#include <stdio.h>

#include <parkstat/parkstat.h>

static const ps_key_t land_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "土地管理",
      .help = "the section's heading" },
    { .name = "supplied", .type = PS_KEY_STRING, .default_value = "land_supplied",
      .help = "indicator: a row per parcel supplied, its area in 亩" },
    { .name = "financing", .type = PS_KEY_STRING, .default_value = "land_financing",
      .help = "indicator: a row per land user whose rights were registered, the "
              "financing raised" },
    { .name = "idle", .type = PS_KEY_STRING, .default_value = "idle_land",
      .help = "indicator: a row per idle parcel under recovery at a month's end, its "
              "area (a stock: the report month's rows are counted)" },
    { .name = "stage_tag", .type = PS_KEY_STRING, .default_value = "stage",
      .help = "the tag that holds an idle parcel's stage of recovery" },
    { .name = "stage_order", .type = PS_KEY_LIST,
      .default_value = "正在办理开工手续,已进入清收程序,正在调查清收",
      .help = "the order the stages are written in" },
    { .name = "illegal", .type = PS_KEY_STRING, .default_value = "illegal_occupation",
      .help = "indicator: a row per illegal occupation found" },
    { .name = "underused", .type = PS_KEY_STRING, .default_value = "underused_land",
      .help = "indicator: a row per under-used parcel, its area" },
    { .name = "violations", .type = PS_KEY_STRING, .default_value = "land_use_violation",
      .help = "indicator: a row per enterprise that changed a parcel's use unlawfully" },
    { .name = "template.supply", .type = PS_KEY_TEMPLATE,
      .default_value = "至目前已供应土地{supplied}[[，{supplied_area}]]；为{financed}用地"
                       "单位办理了土地使用权他项权利登记[[，为企业融资{financing}]]；",
      .help = "supply and financing" },
    { .name = "template.idle", .type = PS_KEY_TEMPLATE,
      .default_value = "重点做好{idle}[[{idle_area}]]闲置土地的清收工作",
      .help = "idle land; the stages follow it" },
    { .name = "template.enforcement", .type = PS_KEY_TEMPLATE,
      .default_value = "依法查处非法占地{illegal}，查出低效利用土地{underused}"
                       "[[{underused_area}]]，清理查处擅自改变土地用途违法行为的企业{violations}。",
      .help = "enforcement" },
    { .name = NULL },
};

/* Emits the count (in `unit`) and, when area_key is given, the area of the
   indicator named by key `code_key`: one indicator in two units (31宗,
   1122亩), so the area is a quantity of the count. */
static int land_tally(ps_ctx_t *ctx, const ps_api_t *api, const char *code_key,
                      const char *count_key, const char *unit, const char *area_key)
{
    const char *code;
    ps_indicator_t count = { .key = count_key };
    ps_indicator_t area = { .key = area_key, .parent = count_key,
                            .relation = PS_REL_QUANTITY };
    int rc = api->conf_string(ctx, code_key, &code);
    if (rc == 0)
        rc = ps_count_ytd(ctx, api, code, NULL, NULL, unit, &count);
    if (rc == 0)
        rc = api->emit(ctx, &count);
    if (rc == 0 && area_key)
        rc = ps_sum_ytd(ctx, api, code, NULL, NULL, &area);
    if (rc == 0 && area_key)
        rc = api->emit(ctx, &area);
    return rc;
}

/* One stage of recovery: its area as a part of the idle land's, its parcels
   as a quantity of that area (one stage, in 亩 and in 宗), and its clause
   ("8宗913亩土地正在办理开工手续"). */
static int land_stage(ps_ctx_t *ctx, const ps_api_t *api, const ps_indicator_t *idle_area,
                      const char *tag, const ps_part_t *part, ps_text_t *t)
{
    char key[PS_MAX_KEY], count_key[PS_MAX_KEY + 2];
    ps_indicator_t stage = { .label = NULL };
    int rc = ps_part_labelled(ctx, api, idle_area, tag, part, key, sizeof key, &stage);
    snprintf(count_key, sizeof count_key, "%s_n", key);
    ps_indicator_t parcels = { .key = count_key, .label = stage.label,
                               .parent = key, .relation = PS_REL_QUANTITY };
    if (rc == 0)
        rc = api->emit(ctx, &stage);
    if (rc == 0)
        rc = ps_count_month_end(ctx, api, idle_area->indicator, tag, part->tag_value, "宗",
                                &parcels);
    if (rc == 0)
        rc = api->emit(ctx, &parcels);
    ps_text_append(t, "{%s}{%s}土地{%s.label}", count_key, key, key);
    return rc;
}

/* Idle land is a stock: the parcels idle at the report month's end, by
   stage, however many months a ledger lists them; its 同比 is the same
   month's end a year before. */
static int land_idle(ps_ctx_t *ctx, const ps_api_t *api, ps_text_t *t)
{
    const char *code, *tag, *const *order;
    const ps_part_t *parts, *sequence[PS_MAX_PARTS];
    size_t n, n_order;
    ps_indicator_t idle = { .key = "idle" };
    ps_indicator_t idle_area = { .key = "idle_area", .parent = "idle",
                                 .relation = PS_REL_QUANTITY };
    int rc = api->conf_string(ctx, "idle", &code);
    if (rc == 0)
        rc = api->conf_string(ctx, "stage_tag", &tag);
    if (rc == 0)
        rc = api->conf_list(ctx, "stage_order", &order, &n_order);
    if (rc == 0)
        rc = ps_count_month_end(ctx, api, code, NULL, NULL, "宗", &idle);
    if (rc == 0)
        rc = ps_emit_month_end(ctx, api, &idle, NULL, NULL, PS_MEASURE_ENTITIES);
    if (rc == 0)
        rc = ps_sum_month_end(ctx, api, code, NULL, NULL, &idle_area);
    if (rc == 0)
        rc = ps_emit_month_end(ctx, api, &idle_area, NULL, NULL, PS_MEASURE_SUM);
    ps_filter_t none;
    ps_query_t q = ps_query_month_end(ctx, api, code, NULL, NULL, &none);
    if (rc == 0)
        rc = api->breakdown(ctx, &q, tag, &parts, &n);
    size_t count;
    if (rc == 0)
        rc = ps_order_all_parts(ctx, api, &idle_area, parts, n, order, n_order, sequence,
                                &count);
    if (rc < 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        ps_text_append(t, "%s", i ? "，" : "，目前");
        rc = land_stage(ctx, api, &idle_area, tag, sequence[i], t);
    }
    ps_text_append(t, "；");
    return rc;
}

static int land_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    ps_text_t stages = { .len = 0, .cut = 0 };
    int rc = land_tally(ctx, api, "supplied", "supplied", "宗", "supplied_area");
    if (rc == 0)
        rc = land_tally(ctx, api, "financing", "financed", "户", "financing");
    if (rc == 0)
        rc = land_idle(ctx, api, &stages);
    if (rc == 0)
        rc = land_tally(ctx, api, "illegal", "illegal", "宗", NULL);
    if (rc == 0)
        rc = land_tally(ctx, api, "underused", "underused", "宗", "underused_area");
    if (rc == 0)
        rc = land_tally(ctx, api, "violations", "violations", "户", NULL);
    if (rc == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_BODY, "template.supply");
    if (rc == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_BODY, "template.idle");
    if (rc == 0)
        rc = ps_text_sentence(ctx, api, PS_SENTENCE_BODY, &stages);
    if (rc == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_BODY, "template.enforcement");
    return rc;
}

PS_PLUGIN(land) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "land",
    .version = "1.0",
    .description = "land supplied, rights and financing, idle land by stage, enforcement",
    .keys = land_keys,
    .compute = land_compute,
};
