/*
 * investment: fixed-asset investment (固定资产投资) against its annual target.
 *
 * The smallest complete plugin, and the one to copy: it reads its keys, asks
 * the ledger for the year to date, emits one indicator and two sentences.
 */
#include <parkstat/parkstat.h>

static const ps_key_t investment_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "固定资产投资",
      .help = "the section's heading" },
    { .name = "indicator", .type = PS_KEY_STRING, .default_value = "fai",
      .help = "the ledger indicator of fixed-asset investment" },
    { .name = "target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "the annual target, one key per year: target.2023 = 55亿" },
    { .name = "template.summary", .type = PS_KEY_TEMPLATE,
      .default_value = "共完成固定资产投资{fai}[[，占年度目标任务{fai.target}的{fai.rate}]]",
      .help = "the opening paragraph's clause" },
    { .name = "template.plan", .type = PS_KEY_TEMPLATE,
      .default_value = "完成固定资产投资{fai.next_target}",
      .help = "the next year's plan clause" },
    { .name = NULL },
};

static int investment_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *code;
    ps_indicator_t fai = { .key = "fai" };
    int rc = api->conf_string(ctx, "indicator", &code);
    if (rc == 0)
        rc = ps_year_to_date(ctx, api, code, NULL, 0, &fai);
    if (rc == 0)
        rc = ps_targets(ctx, api, "target", &fai);
    if (rc == 0)
        rc = ps_emit_year_to_date(ctx, api, &fai, NULL, 0);
    if (rc == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_SUMMARY, "template.summary");
    if (rc == 0 && ps_value_present(fai.next_target))
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_PLAN, "template.plan");
    return rc;
}

PS_PLUGIN(investment) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "investment",
    .version = "1.0",
    .description = "fixed-asset investment against its annual target",
    .keys = investment_keys,
    .compute = investment_compute,
};
