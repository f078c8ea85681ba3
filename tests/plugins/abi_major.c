/* abi_major: built, so it claims, against the next major ABI, which this
   core cannot run: the loader must refuse it naming both ABIs. */
#include <parkstat/parkstat.h>

static const ps_key_t abi_major_keys[] = { { .name = NULL } };

static int abi_major_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

PS_PLUGIN(abi_major) = {
    .abi_major = PS_ABI_MAJOR + 1,
    .abi_minor = PS_ABI_MINOR,
    .name = "abi_major",
    .version = "1.0",
    .description = "claims the next major ABI",
    .keys = abi_major_keys,
    .compute = abi_major_compute,
};
