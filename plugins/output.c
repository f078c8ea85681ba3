/*
 * output: gross output of all trades (各业总产值) against its annual target,
 * with the new-energy industry's part. Output is reported a month late, so
 * its figure runs to the latest month with data and the report says so.
 */
#include <parkstat/parkstat.h>

static const ps_key_t output_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "各业总产值",
      .help = "the section's heading" },
    { .name = "indicator", .type = PS_KEY_STRING, .default_value = "output",
      .help = "the ledger indicator of gross output" },
    { .name = "target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "the annual target, one key per year: target.2023 = 260亿" },
    PS_SUBSET_KEYS("industry", "新能源", "新能源产业产值"),
    { .name = "template.summary", .type = PS_KEY_TEMPLATE,
      .default_value = "实现各业总产值{output}[[，占年度目标任务{output.target}的"
                       "{output.rate}]][[，其中新能源产业产值{new_energy.value}]]",
      .help = "the opening paragraph's clause" },
    { .name = "template.plan", .type = PS_KEY_TEMPLATE,
      .default_value = "园区各业总产值达到{output.next_target}",
      .help = "the next year's plan clause" },
    { .name = NULL },
};

static int output_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *code;
    ps_indicator_t output = { .key = "output" };
    ps_indicator_t new_energy = { .key = "new_energy" };
    int rc = api->conf_string(ctx, "indicator", &code);
    if (rc == 0)
        rc = ps_year_to_date(ctx, api, code, NULL, 0, &output);
    if (rc == 0)
        rc = ps_targets(ctx, api, "target", &output);
    if (rc == 0)
        rc = ps_emit_year_to_date(ctx, api, &output, NULL, 0);
    if (rc == 0)
        rc = ps_emit_subset_of(ctx, api, &output, &new_energy);
    if (rc == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_SUMMARY, "template.summary");
    if (rc == 0 && ps_value_present(output.next_target))
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_PLAN, "template.plan");
    return rc;
}

PS_PLUGIN(output) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "output",
    .version = "1.0",
    .description = "gross output against its annual target, with the new-energy part",
    .keys = output_keys,
    .compute = output_compute,
};
