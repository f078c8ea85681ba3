/*
 * good: the year to date of one ledger indicator, as a section of its own.
 *
 * A complete drop-in plugin built outside the core: the end-to-end test
 * loads it from a plugin directory named only in the INI, and the loader's
 * tests check its descriptor. Point `indicator` at any ledger indicator:
 *
 *     [plugin.good]
 *     module = good
 *     title = 新增部分
 *     indicator = fai
 */
#include <parkstat/parkstat.h>

static const ps_key_t good_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "测试",
      .help = "the section's heading" },
    { .name = "indicator", .type = PS_KEY_STRING, .default_value = "fai",
      .help = "the ledger indicator whose year to date the section shows" },
    { .name = NULL },
};

static int good_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *code;
    ps_indicator_t ytd = { .key = "ytd" };
    int rc = api->conf_string(ctx, "indicator", &code);
    if (rc == 0)
        rc = ps_year_to_date(ctx, api, code, NULL, 0, &ytd);
    if (rc == 0)
        rc = api->emit(ctx, &ytd);
    if (rc == 0)
        rc = api->sentence(ctx, PS_SENTENCE_BODY, "本年累计{ytd}");
    return rc;
}

PS_PLUGIN(good) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "good",
    .version = "1.0",
    .description = "the year to date of one ledger indicator",
    .keys = good_keys,
    .compute = good_compute,
};
