/* same_name: a well-formed plugin that calls itself "good", a name the good
   plugin already holds: loaded after it, it must be refused. */
#include <parkstat/parkstat.h>

static const ps_key_t same_name_keys[] = { { .name = NULL } };

static int same_name_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

PS_PLUGIN(same_name) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "good",
    .version = "2.0",
    .description = "takes the name of another plugin",
    .keys = same_name_keys,
    .compute = same_name_compute,
};
