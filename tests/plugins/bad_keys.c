/* bad_keys: a key table with a key iniparser could never match, since it
   folds every INI key to lower case: the loader must refuse it. */
#include <parkstat/parkstat.h>

static const ps_key_t bad_keys_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "坏键",
      .help = "the section's heading" },
    { .name = "Indicator", .type = PS_KEY_STRING, .default_value = "fai",
      .help = "upper case: never matched" },
    { .name = NULL },
};

static int bad_keys_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

PS_PLUGIN(bad_keys) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "bad_keys",
    .version = "1.0",
    .description = "a key table with an upper-case key",
    .keys = bad_keys_keys,
    .compute = bad_keys_compute,
};
