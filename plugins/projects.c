/*
 * projects: investment promotion and project construction (招商引资与项目建设):
 * projects prepared, signed (count and amount), in negotiation, started
 * (continued + new), built, under construction and expected by year end,
 * and next year's targets. Prepared, signed and started are counts of
 * distinct projects over the year to date; negotiating, built and under
 * construction are states at the report month's end, from one status row
 * per project and month.
 */
#include <parkstat/parkstat.h>

static const ps_key_t projects_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "项目建设",
      .help = "the section's heading" },
    { .name = "prepared", .type = PS_KEY_STRING, .default_value = "project_prepared",
      .help = "indicator with a row per project prepared (谋划)" },
    { .name = "signed", .type = PS_KEY_STRING, .default_value = "project_signed",
      .help = "indicator with a row per signed project; its value is the amount" },
    { .name = "negotiating", .type = PS_KEY_STRING, .default_value = "project_status",
      .help = "indicator with a row per project giving its status at a month's end "
              "(a stock: the report month's rows are counted)" },
    { .name = "negotiation", .type = PS_KEY_STRING, .default_value = "洽谈",
      .help = "the status (in status_tag) of a project in negotiation; empty when "
              "every row of the negotiating indicator is one" },
    { .name = "started", .type = PS_KEY_STRING, .default_value = "project_started",
      .help = "indicator with a row per project started this year" },
    { .name = "kind_tag", .type = PS_KEY_STRING, .default_value = "kind",
      .help = "the tag that says whether a started project is continued or new" },
    { .name = "kind_order", .type = PS_KEY_LIST, .default_value = "续建,新建",
      .help = "the order the kinds are written in" },
    { .name = "status", .type = PS_KEY_STRING, .default_value = "project_status",
      .help = "indicator with a row per started project giving its status at a "
              "month's end (a stock: the report month's rows are counted)" },
    { .name = "status_tag", .type = PS_KEY_STRING, .default_value = "status",
      .help = "the tag that holds a project's status" },
    { .name = "built", .type = PS_KEY_STRING, .default_value = "基本建成",
      .help = "the status of a project built or ready to produce" },
    { .name = "building", .type = PS_KEY_STRING, .default_value = "在建",
      .help = "the status of a project under construction" },
    { .name = "expected_tag", .type = PS_KEY_STRING, .default_value = "expected",
      .help = "the tag that marks projects expected to be finished by year end" },
    { .name = "expected_value", .type = PS_KEY_STRING, .default_value = "年底建成",
      .help = "its value on those projects" },
    { .name = "starts_target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "projects to start, per year: starts_target.2024 = 30个" },
    { .name = "signings_target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "projects to sign, per year: signings_target.2024 = 20个" },
    { .name = "signed_amount_target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "amount to sign, per year: signed_amount_target.2024 = 25亿" },
    { .name = "template.body", .type = PS_KEY_TEMPLATE,
      .default_value = "共谋划项目{prepared}，签约项目{signed}[[，签约资金{signed_amount}]]，"
                       "{negotiating}项目正在洽谈对接。共开工建设项目{started}，其中"
                       "{started.parts}，{built}项目基本建成或具备生产条件，{building}"
                       "项目正在建设中，年底{expected}项目有望建成投产。",
      .help = "the section's paragraph" },
    { .name = "template.plan", .type = PS_KEY_TEMPLATE,
      .default_value = "新开工项目{started.next_target}，签约项目{signed.next_target}、"
                       "签约金额{signed_amount.next_target}",
      .help = "the next year's plan clause" },
    { .name = NULL },
};

/* The indicator named by key `code_key`, and the tag and value named by
   `tag_key` and `value_key` (both NULL when not given or the value is empty). */
static int projects_codes(ps_ctx_t *ctx, const ps_api_t *api, const char *code_key,
                          const char *tag_key, const char *value_key, const char **code,
                          const char **tag, const char **value)
{
    *tag = *value = NULL;
    int rc = api->conf_string(ctx, code_key, code);
    if (rc == 0 && tag_key)
        rc = api->conf_string(ctx, tag_key, tag);
    if (rc == 0 && value_key)
        rc = api->conf_string(ctx, value_key, value);
    if (rc == 0 && *value && !**value)
        *tag = *value = NULL; /* no value: every row of the indicator counts */
    return rc;
}

/* Counts distinct projects of the indicator named by key `code_key` over
   the year to date (a period count: signed, started), reads its targets
   from the per-year key `targets` (when given) and emits it. */
static int projects_count(ps_ctx_t *ctx, const ps_api_t *api, ps_indicator_t *ind,
                          const char *code_key, const char *targets)
{
    const char *code;
    int rc = api->conf_string(ctx, code_key, &code);
    if (rc == 0)
        rc = ps_count_ytd(ctx, api, code, NULL, NULL, "个", ind);
    if (rc == 0 && targets)
        rc = ps_targets(ctx, api, targets, ind);
    return rc == 0 ? ps_emit_ytd(ctx, api, ind, NULL, NULL, PS_MEASURE_ENTITIES) : rc;
}

/* Counts the projects in a state at the report month's end (a stock:
   negotiating, built, under construction), only those whose tag `tag_key`
   holds `value_key`'s value when given, and emits it. A project that
   negotiated in March and signed in May is not negotiating in October. */
static int projects_state(ps_ctx_t *ctx, const ps_api_t *api, ps_indicator_t *ind,
                          const char *code_key, const char *tag_key, const char *value_key)
{
    const char *code, *tag, *value;
    int rc = projects_codes(ctx, api, code_key, tag_key, value_key, &code, &tag, &value);
    if (rc == 0)
        rc = ps_count_month_end(ctx, api, code, tag, value, "个", ind);
    return rc == 0 ? ps_emit_month_end(ctx, api, ind, tag, value, PS_MEASURE_ENTITIES) : rc;
}

/* Signed projects: their number, then the amount signed. */
static int projects_signed(ps_ctx_t *ctx, const ps_api_t *api)
{
    ps_indicator_t count = { .key = "signed", .label = "签约项目" };
    ps_indicator_t amount = { .key = "signed_amount", .label = "签约资金" };
    int rc = projects_count(ctx, api, &count, "signed", "signings_target");
    if (rc < 0)
        return rc;
    ps_query_t q = ps_query_like(&count, count.indicator);
    amount.indicator = count.indicator;
    amount.asof = count.asof;
    rc = api->sum(ctx, &q, &amount.value);
    if (rc == 0)
        rc = ps_targets(ctx, api, "signed_amount_target", &amount);
    return rc == 0 ? ps_emit_measured(ctx, api, &amount, &q, PS_MEASURE_SUM) : rc;
}

/* Started projects, by kind, and how far they have come. */
static int projects_started(ps_ctx_t *ctx, const ps_api_t *api)
{
    ps_indicator_t started = { .key = "started", .label = "开工建设项目" };
    ps_indicator_t built = { .key = "built", .label = "基本建成", .parent = "started",
                             .relation = PS_REL_SUBSET };
    ps_indicator_t building = { .key = "building", .label = "在建", .parent = "started",
                                .relation = PS_REL_SUBSET };
    ps_indicator_t expected = { .key = "expected", .label = "年底有望建成",
                                .parent = "started", .relation = PS_REL_SUBSET };
    const char *tag, *const *order;
    const ps_part_t *parts;
    size_t n, n_order;
    int rc = projects_count(ctx, api, &started, "started", "starts_target");
    if (rc == 0)
        rc = api->conf_string(ctx, "kind_tag", &tag);
    if (rc == 0)
        rc = api->conf_list(ctx, "kind_order", &order, &n_order);
    ps_query_t q = ps_query_like(&started, started.indicator);
    if (rc == 0)
        rc = api->count_by(ctx, &q, tag, "个", &parts, &n);
    if (rc == 0)
        rc = ps_emit_parts_of(ctx, api, &started, &q, tag, PS_MEASURE_ENTITIES, parts, n,
                              order, n_order);
    if (rc == 0)
        rc = projects_state(ctx, api, &built, "status", "status_tag", "built");
    if (rc == 0)
        rc = projects_state(ctx, api, &building, "status", "status_tag", "building");
    if (rc == 0)
        rc = projects_state(ctx, api, &expected, "status", "expected_tag", "expected_value");
    return rc;
}

static int projects_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    if (!PS_API_HAS(api, count_by))
        return api->failf(ctx, PS_EABI, "needs a core with count_by (ABI 1.1)");
    ps_indicator_t prepared = { .key = "prepared", .label = "谋划项目" };
    ps_indicator_t negotiating = { .key = "negotiating", .label = "洽谈对接项目" };
    ps_value_t next_starts;
    int year = ps_period_year(api->report_period(ctx));
    int rc = projects_count(ctx, api, &prepared, "prepared", NULL);
    if (rc == 0)
        rc = projects_signed(ctx, api);
    if (rc == 0)
        rc = projects_state(ctx, api, &negotiating, "negotiating", "status_tag", "negotiation");
    if (rc == 0)
        rc = projects_started(ctx, api);
    if (rc == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_BODY, "template.body");
    if (rc == 0 && api->conf_year_amount(ctx, "starts_target", year + 1, &next_starts) == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_PLAN, "template.plan");
    return rc;
}

PS_PLUGIN(projects) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "projects",
    .version = "1.0",
    .description = "projects prepared, signed, started, built, and next year's targets",
    .keys = projects_keys,
    .compute = projects_compute,
};
