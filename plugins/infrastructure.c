/*
 * infrastructure: infrastructure investment (基础设施投资) by category, each
 * with its plan where the ledger holds one and its physical quantities
 * (trees planted, kilometres of road …), written as one paragraph.
 */
#include <stdio.h>

#include <parkstat/parkstat.h>

static const ps_key_t infrastructure_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "基础设施建设",
      .help = "the section's heading" },
    { .name = "indicator", .type = PS_KEY_STRING, .default_value = "infra_invest",
      .help = "the ledger indicator of infrastructure investment" },
    { .name = "by", .type = PS_KEY_STRING, .default_value = "category",
      .help = "the tag that names a project's category" },
    { .name = "plan_indicator", .type = PS_KEY_STRING, .default_value = "infra_plan",
      .help = "the ledger indicator of a project's planned investment" },
    { .name = "order", .type = PS_KEY_LIST, .default_value = "",
      .help = "categories to write first, in this order; the rest follow, largest first" },
    { .name = "quantities", .type = PS_KEY_LIST, .default_value = "",
      .help = "ledger indicators of physical quantities, shown per category" },
    { .name = "target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "the annual plan, one key per year: target.2024 = 3.5亿" },
    { .name = "template.plan", .type = PS_KEY_TEMPLATE,
      .default_value = "基础设施计划总投资{infra.next_target}",
      .help = "the next year's plan clause" },
    { .name = NULL },
};

/* Emits the category's quantities as details and names them in the text. */
static int infrastructure_quantities(ps_ctx_t *ctx, const ps_api_t *api,
                                     const ps_indicator_t *category, const char *by,
                                     const char *tag_value, ps_text_t *t)
{
    const char *const *codes;
    size_t n;
    int rc = api->conf_list(ctx, "quantities", &codes, &n);
    ps_filter_t only = { by, tag_value };
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char key[160];
        snprintf(key, sizeof key, "%s_%s", category->key, codes[i]);
        ps_indicator_t q = { .key = key, .indicator = codes[i], .parent = category->key,
                             .relation = PS_REL_DETAIL, .asof = category->asof };
        ps_query_t query = ps_query_like(category, codes[i]);
        query.filters = &only;
        query.n_filters = 1;
        rc = api->sum(ctx, &query, &q.value);
        if (rc == 0 && ps_value_present(q.value)) {
            rc = api->emit(ctx, &q);
            ps_text_append(t, "，{%s.label}{%s}", key, key);
        }
    }
    return rc;
}

static int infrastructure_category(ps_ctx_t *ctx, const ps_api_t *api,
                                   const ps_indicator_t *infra, const char *by,
                                   const ps_part_t *part, ps_text_t *t)
{
    const char *plan_code;
    char key[PS_MAX_KEY];
    ps_indicator_t category;
    int rc = ps_part_labelled(ctx, api, infra, by, part, key, sizeof key, &category);
    ps_filter_t only = { by, part->tag_value };
    if (rc == 0)
        rc = api->conf_string(ctx, "plan_indicator", &plan_code);
    ps_query_t plan = ps_query_like(infra, plan_code);
    plan.filters = &only;
    plan.n_filters = 1;
    if (rc == 0)
        rc = api->sum(ctx, &plan, &category.target);
    ps_query_t spent = ps_query_like(infra, infra->indicator);
    spent.filters = &only;
    spent.n_filters = 1;
    if (rc == 0)
        rc = ps_emit_measured(ctx, api, &category, &spent, PS_MEASURE_SUM);
    if (rc < 0)
        return rc;
    if (ps_value_present(category.target))
        ps_text_append(t, "{%s.label}计划投资{%s.target}，目前已完成{%s}，"
                              "完成计划的{%s.rate}", key, key, key, key);
    else
        ps_text_append(t, "{%s.label}投资{%s}", key, key);
    return infrastructure_quantities(ctx, api, &category, by, part->tag_value, t);
}

/* Writes every category: first those the `order` key lists, in its order,
   then the rest as the breakdown gives them (largest first). */
static int infrastructure_categories(ps_ctx_t *ctx, const ps_api_t *api,
                                     const ps_indicator_t *infra, const char *by,
                                     const ps_part_t *parts, size_t n,
                                     ps_text_t *t)
{
    const char *const *order;
    size_t n_order;
    const ps_part_t *sequence[PS_MAX_PARTS];
    size_t count;
    int rc = api->conf_list(ctx, "order", &order, &n_order);
    if (rc == 0)
        rc = ps_order_all_parts(ctx, api, infra, parts, n, order, n_order, sequence, &count);
    if (rc < 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        ps_text_append(t, "%s", i ? "；" : "其中");
        rc = infrastructure_category(ctx, api, infra, by, sequence[i], t);
    }
    return rc;
}

static int infrastructure_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *code, *by;
    const ps_part_t *parts = NULL;
    size_t n = 0;
    ps_indicator_t infra = { .key = "infra" };
    ps_text_t text = { .len = 0, .cut = 0 };
    int rc = api->conf_string(ctx, "indicator", &code);
    if (rc == 0)
        rc = api->conf_string(ctx, "by", &by);
    if (rc == 0)
        rc = ps_year_to_date(ctx, api, code, NULL, 0, &infra);
    if (rc == 0)
        rc = ps_targets(ctx, api, "target", &infra);
    if (rc == 0)
        rc = ps_emit_year_to_date(ctx, api, &infra, NULL, 0);
    ps_query_t q = ps_query_like(&infra, code);
    if (rc == 0)
        rc = api->breakdown(ctx, &q, by, &parts, &n);
    ps_text_append(&text, "完成基础设施投资{infra}。");
    if (rc == 0)
        rc = infrastructure_categories(ctx, api, &infra, by, parts, n, &text);
    ps_text_append(&text, "%s", n ? "。" : "");
    if (rc == 0)
        rc = ps_text_sentence(ctx, api, PS_SENTENCE_BODY, &text);
    if (rc == 0 && ps_value_present(infra.next_target))
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_PLAN, "template.plan");
    return rc;
}

PS_PLUGIN(infrastructure) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "infrastructure",
    .version = "1.0",
    .description = "infrastructure investment by category, with plans and quantities",
    .keys = infrastructure_keys,
    .compute = infrastructure_compute,
};
