/*
 * tax: tax revenue (税收) against the annual task, split by a tag (by
 * collector, 国税/地税, in the historical ledgers; by tax kind today), with
 * the part paid by new-energy enterprises.
 */
#include <parkstat/parkstat.h>

static const ps_key_t tax_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "税收",
      .help = "the section's heading" },
    { .name = "indicator", .type = PS_KEY_STRING, .default_value = "tax",
      .help = "the ledger indicator of tax revenue" },
    { .name = "split_by", .type = PS_KEY_STRING, .default_value = "collector",
      .help = "the tag the revenue is broken down by (collector, kind …)" },
    { .name = "target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "the annual task, one key per year: target.2023 = 30000万" },
    PS_SUBSET_KEYS("industry", "新能源", "新能源企业税收"),
    { .name = "template.summary", .type = PS_KEY_TEMPLATE,
      .default_value = "完成税收{tax}（{tax.parts}）[[，占全年任务的{tax.rate}]]"
                       "[[，其中新能源企业完成税收{new_energy.value}]]",
      .help = "the opening paragraph's clause" },
    { .name = "template.plan", .type = PS_KEY_TEMPLATE,
      .default_value = "实现税收{tax.next_target}",
      .help = "the next year's plan clause" },
    { .name = NULL },
};

static int tax_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *code, *split_by;
    ps_indicator_t tax = { .key = "tax" };
    ps_indicator_t new_energy = { .key = "new_energy" };
    int rc = api->conf_string(ctx, "indicator", &code);
    if (rc == 0)
        rc = ps_year_to_date(ctx, api, code, NULL, 0, &tax);
    if (rc == 0)
        rc = ps_targets(ctx, api, "target", &tax);
    if (rc == 0)
        rc = ps_emit_year_to_date(ctx, api, &tax, NULL, 0);
    if (rc == 0)
        rc = api->conf_string(ctx, "split_by", &split_by);
    if (rc == 0)
        rc = ps_emit_breakdown(ctx, api, &tax, split_by, NULL, 0);
    if (rc == 0)
        rc = ps_emit_subset_of(ctx, api, &tax, &new_energy);
    if (rc == 0)
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_SUMMARY, "template.summary");
    if (rc == 0 && ps_value_present(tax.next_target))
        rc = ps_sentence_from(ctx, api, PS_SENTENCE_PLAN, "template.plan");
    return rc;
}

PS_PLUGIN(tax) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "tax",
    .version = "1.0",
    .description = "tax revenue against the annual task, by collector or kind",
    .keys = tax_keys,
    .compute = tax_compute,
};
