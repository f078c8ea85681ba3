/* abi_minor: built against a newer minor ABI, whose functions this core may
   not have: the loader must refuse it. */
#include <parkstat/parkstat.h>

static const ps_key_t abi_minor_keys[] = { { .name = NULL } };

static int abi_minor_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

PS_PLUGIN(abi_minor) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR + 1,
    .name = "abi_minor",
    .version = "1.0",
    .description = "claims the next minor ABI",
    .keys = abi_minor_keys,
    .compute = abi_minor_compute,
};
