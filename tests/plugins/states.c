/*
 * states: a stock as a section: a headcount at the report month's end
 * against a level to reach by year end, and what ABI 1.6 asks of a range
 * of its months: the average of the month-end values (平均从业人数) and how
 * many projects entered a state this year (新开工, 新建成) or stayed in it
 * all year (a state's age), each with its 同比 through measured_by.
 *
 *     [plugin.states]
 *     module = states
 *     staff = staff
 *     status = project_status
 */
#include <parkstat/parkstat.h>

static const ps_key_t states_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "时点数",
      .help = "the section's heading" },
    { .name = "staff", .type = PS_KEY_STRING, .default_value = "staff",
      .help = "a stock: each entity's headcount at a month's end" },
    { .name = "staff_target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "the headcount to reach by year end, a level: staff_target.2023 = 150人" },
    { .name = "status", .type = PS_KEY_STRING, .default_value = "project_status",
      .help = "a stock: each project's status (tag 'status') at a month's end" },
    { .name = NULL },
};

/* The year to date of `code`, where tag status = `state` when given. */
static ps_query_t year_to_date(ps_ctx_t *ctx, const ps_api_t *api, const char *code,
                               const char *state, ps_filter_t *filter)
{
    ps_period_t to = api->report_period(ctx);
    *filter = (ps_filter_t){ "status", state };
    return (ps_query_t){ .indicator = code, .from = ps_period_year_start(to), .to = to,
                         .filters = state ? filter : NULL, .n_filters = state ? 1 : 0 };
}

/* The projects that entered `state` this year (PS_MEASURE_ENTERED), or
   were in it every month of it (PS_MEASURE_THROUGHOUT). */
static int in_state(ps_ctx_t *ctx, const ps_api_t *api, const char *code, const char *state,
                    ps_measure_t how, const char *key, const char *label)
{
    ps_filter_t filter;
    ps_query_t q = year_to_date(ctx, api, code, state, &filter);
    ps_indicator_t ind = { .key = key, .label = label, .indicator = code,
                           .asof = q.to };
    int64_t n;
    int rc = how == PS_MEASURE_ENTERED ? api->count_entered(ctx, &q, &n)
                                       : api->count_throughout(ctx, &q, &n);
    ind.value = ps_count_value(n, "个");
    return rc == 0 ? ps_emit_measured(ctx, api, &ind, &q, how) : rc;
}

static int states_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    if (!PS_API_HAS(api, count_entered))
        return api->failf(ctx, PS_EABI, "needs a core with average (ABI 1.6)");
    const char *staff, *status;
    int rc = api->conf_string(ctx, "staff", &staff);
    if (rc == 0)
        rc = api->conf_string(ctx, "status", &status);
    ps_indicator_t level = { .key = "headcount", .label = "期末从业人数" };
    if (rc == 0)
        rc = ps_sum_month_end(ctx, api, staff, NULL, NULL, &level);
    if (rc == 0)
        rc = ps_targets(ctx, api, "staff_target", &level);
    if (rc == 0)
        rc = ps_emit_month_end(ctx, api, &level, NULL, NULL, PS_MEASURE_SUM);
    ps_filter_t none;
    ps_query_t q = year_to_date(ctx, api, staff, NULL, &none);
    ps_indicator_t average = { .key = "staff", .label = "平均从业人数", .indicator = staff,
                               .asof = q.to };
    if (rc == 0)
        rc = api->average(ctx, &q, &average.value);
    if (rc == 0)
        rc = ps_emit_measured(ctx, api, &average, &q, PS_MEASURE_AVERAGE);
    if (rc == 0)
        rc = in_state(ctx, api, status, "在建", PS_MEASURE_ENTERED, "started", "新开工项目");
    if (rc == 0)
        rc = in_state(ctx, api, status, "基本建成", PS_MEASURE_ENTERED, "built", "新建成项目");
    if (rc == 0)
        rc = in_state(ctx, api, status, "基本建成", PS_MEASURE_THROUGHOUT, "steady",
                      "各月均已建成项目");
    if (rc == 0)
        rc = api->sentence(ctx, PS_SENTENCE_BODY,
                           "期末从业人数{headcount}[[，完成年度目标{headcount.target}的"
                           "{headcount.rate}]][[，平均从业人数{staff}]]，新开工项目{started}，"
                           "新建成项目{built}，各月均已建成项目{steady}");
    return rc;
}

PS_PLUGIN(states) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "states",
    .version = "1.0",
    .description = "a stock's average over months and the states entered",
    .keys = states_keys,
    .compute = states_compute,
};
