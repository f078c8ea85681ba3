/*
 * skeleton: a department plugin built outside the parkstat source tree.
 *
 * Copy this directory, rename "skeleton" everywhere (file, PS_PLUGIN(),
 * .name: all three must match the shared object's file name), then change
 * the key table and compute. As it stands it reports one ledger indicator's
 * year to date against a per-year target, optionally broken down by a tag,
 * and optionally a ratio of two indicators' sums (a rate or an average):
 *
 *     [plugin.skeleton]
 *     module = skeleton
 *     indicator = fai
 *     by = industry
 *     order = 新能源, 装备制造
 *     target.2023 = 55亿
 *     rate.of = hazards_rectified
 *     rate.per = hazards_found
 *     rate.label = 隐患整改率
 *
 * `man parkstat-plugin` is the one-page guide; <parkstat/plugin.h> is the
 * reference.
 */
#include <parkstat/parkstat.h>

/*
 * The key table. The core checks every key of the [plugin.NAME] section
 * against it (unknown keys, types, bounds), applies the defaults before
 * compute runs, and prints it for `parkstat --describe skeleton`. Names are
 * lower case: iniparser folds them.
 */
static const ps_key_t skeleton_keys[] = {
    /* A key named "title" is the section's heading in the report. */
    { .name = "title", .type = PS_KEY_STRING, .default_value = "示例部门",
      .help = "the section's heading" },
    { .name = "indicator", .type = PS_KEY_STRING, .default_value = "fai",
      .help = "the ledger indicator the section reports" },
    { .name = "by", .type = PS_KEY_STRING, .default_value = "",
      .help = "a ledger tag to break the figure down by; empty: no breakdown" },
    { .name = "order", .type = PS_KEY_LIST, .default_value = "",
      .help = "tag values to write first, in this order; the rest largest first" },
    /* PS_KEY_PER_YEAR: a family of keys, target.2023, target.2024 ... */
    { .name = "target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "the annual target, one key per year: target.2023 = 55亿" },
    /* A ratio of two sums: 隐患整改率 = rectified / found * 100 (in %), or an
       average, 月平均工资 = wage bill / person-months (scale 1, in 元). */
    { .name = "rate.of", .type = PS_KEY_STRING, .default_value = "",
      .help = "the ledger indicator over which a ratio is taken: its numerator; "
              "empty: no ratio" },
    { .name = "rate.per", .type = PS_KEY_STRING, .default_value = "",
      .help = "the ratio's denominator, a ledger indicator" },
    { .name = "rate.scale", .type = PS_KEY_INT, .default_value = "100", .min = 1,
      .max = 1000000, .help = "100 for a rate in per cent, 1 for an average" },
    { .name = "rate.unit", .type = PS_KEY_STRING, .default_value = "%",
      .help = "the ratio's unit: % for a rate, 元 for an average wage …" },
    { .name = "rate.label", .type = PS_KEY_STRING, .default_value = "比率",
      .help = "the ratio's name in the report" },
    /* Templates name what compute emits: {ytd}, {ytd.target}, {ytd.rate} ...
       The INI may reword them; setting one empty leaves the sentence out. */
    { .name = "template.body", .type = PS_KEY_TEMPLATE,
      .default_value = "{ytd.label}本年累计完成{ytd}[[，占年度目标{ytd.target}的{ytd.rate}]]"
                       "[[，同比{ytd.change}]]。",
      .help = "the section's paragraph" },
    { .name = "template.parts", .type = PS_KEY_TEMPLATE,
      .default_value = "其中{ytd.parts}。",
      .help = "the breakdown's sentence, written when `by` is set" },
    /* [[ ]]: a clause left out when a figure in it is missing this month
       (a rate's change needs last year's rows). */
    { .name = "template.ratio", .type = PS_KEY_TEMPLATE,
      .default_value = "{rate.label}{rate}[[，同比{rate.change}]]。",
      .help = "the ratio's sentence, written when `rate.of` is set" },
    { .name = NULL }, /* the end of the table */
};

/*
 * The ratio of two indicators' sums over the year to date, emitted with
 * api->emit_ratio: the core keeps both sums, rounds once when it shows the
 * figure (a plugin never divides), and adds its change on last year (in
 * percentage points for a rate in %) and its course by month.
 */
static int skeleton_ratio(ps_ctx_t *ctx, const ps_api_t *api, const char *of)
{
    const char *per, *unit, *label;
    int64_t scale;
    int rc = api->conf_string(ctx, "rate.per", &per);
    if (rc == 0)
        rc = api->conf_string(ctx, "rate.unit", &unit);
    if (rc == 0)
        rc = api->conf_string(ctx, "rate.label", &label);
    if (rc == 0)
        rc = api->conf_int(ctx, "rate.scale", &scale);
    if (rc < 0)
        return rc;
    ps_filter_t unused[2];
    ps_query_t num = ps_query_ytd(ctx, api, of, NULL, NULL, &unused[0]);
    ps_query_t den = ps_query_ytd(ctx, api, per, NULL, NULL, &unused[1]);
    ps_indicator_t rate = { .key = "rate", .label = label, .indicator = of,
                            .asof = num.to };
    rc = api->emit_ratio(ctx, &rate, &num, &den, scale, unit);
    return rc == 0 ? ps_sentence_from(ctx, api, PS_SENTENCE_BODY, "template.ratio") : rc;
}

/*
 * Computes this instance's section. Everything comes through `api`: the
 * plugin links against nothing, opens no file and formats no number. The
 * helpers from <parkstat/helpers.h> are static inline wrappers over `api`.
 * Strings the core hands out (`code`, `order`) are lent until compute returns.
 */
static int skeleton_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *code, *by, *rate_of;
    const char *const *order;
    size_t n_order;
    ps_indicator_t ytd = { .key = "ytd" }; /* label NULL: [indicator.CODE]'s */
    int rc = api->conf_string(ctx, "indicator", &code);
    if (rc == 0)
        rc = api->conf_string(ctx, "by", &by);
    if (rc == 0)
        rc = api->conf_list(ctx, "order", &order, &n_order);
    if (rc == 0)
        rc = api->conf_string(ctx, "rate.of", &rate_of);
    if (rc == 0) /* January to the latest month with data; fails if none */
        rc = ps_year_to_date(ctx, api, code, NULL, 0, &ytd);
    if (rc == 0) /* target.<this year> and target.<next year>, if set */
        rc = ps_targets(ctx, api, "target", &ytd);
    /* Emitted with the rows it measures, so that the core adds what no plugin
       should compute itself: last year's figure and the change (同比), the
       growth target, and the months the charts draw. The core copies the
       indicator: `ytd` may go out of scope. */
    if (rc == 0)
        rc = ps_emit_year_to_date(ctx, api, &ytd, NULL, 0);
    if (rc == 0 && *by) /* one PART child per value of the tag */
        rc = ps_emit_breakdown(ctx, api, &ytd, by, order, n_order);
    if (rc == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_BODY, "template.body");
    if (rc == 0 && *by)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_BODY, "template.parts");
    if (rc == 0 && *rate_of)
        rc = skeleton_ratio(ctx, api, rate_of);
    return rc; /* 0, or the negative PS_E code a failing call returned */
}

/*
 * The descriptor: the only symbol the shared object exports. The loader
 * refuses it unless abi_major equals the core's and abi_minor is at most
 * the core's, so a plugin built against these headers runs in this parkstat
 * and any later one of the same major.
 */
PS_PLUGIN(skeleton) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "skeleton",
    .version = "1.0",
    .description = "an out-of-tree example: one indicator against its target",
    .keys = skeleton_keys,
    .compute = skeleton_compute,
};
