/*
 * skeleton: a department plugin built outside the parkstat source tree.
 *
 * Copy this directory, rename "skeleton" everywhere (file, PS_PLUGIN(),
 * .name: all three must match the shared object's file name), then change
 * the key table and compute. As it stands it reports one ledger indicator's
 * year to date against a per-year target, optionally broken down by a tag:
 *
 *     [plugin.skeleton]
 *     module = skeleton
 *     indicator = fai
 *     by = industry
 *     order = 新能源, 装备制造
 *     target.2023 = 55亿
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
    /* Templates name what compute emits: {ytd}, {ytd.target}, {ytd.rate} ...
       The INI may reword them; setting one empty leaves the sentence out. */
    { .name = "template.body", .type = PS_KEY_TEMPLATE,
      .default_value = "{ytd.label}本年累计完成{ytd}，占年度目标{ytd.target}的{ytd.rate}，"
                       "同比{ytd.change}。",
      .help = "the section's paragraph" },
    { .name = "template.parts", .type = PS_KEY_TEMPLATE,
      .default_value = "其中{ytd.parts}。",
      .help = "the breakdown's sentence, written when `by` is set" },
    { .name = NULL }, /* the end of the table */
};

/*
 * Computes this instance's section. Everything comes through `api`: the
 * plugin links against nothing, opens no file and formats no number. The
 * helpers from <parkstat/helpers.h> are static inline wrappers over `api`.
 * Strings the core hands out (`code`, `order`) are lent until compute returns.
 */
static int skeleton_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *code, *by;
    const char *const *order;
    size_t n_order;
    ps_indicator_t ytd = { .key = "ytd" }; /* label NULL: [indicator.CODE]'s */
    int rc = api->conf_string(ctx, "indicator", &code);
    if (rc == 0)
        rc = api->conf_string(ctx, "by", &by);
    if (rc == 0)
        rc = api->conf_list(ctx, "order", &order, &n_order);
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
