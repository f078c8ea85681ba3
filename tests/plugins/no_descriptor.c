/*
 * no_descriptor: a plugin whose author forgot PS_PLUGIN. Its descriptor is
 * exported under a name of its own, so the loader finds neither
 * no_descriptor_LTX_ps_plugin nor ps_plugin and must refuse the file.
 */
#include <parkstat/parkstat.h>

static const ps_key_t no_descriptor_keys[] = { { .name = NULL } };

static int no_descriptor_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

const ps_plugin_t no_descriptor_plugin = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "no_descriptor",
    .version = "1.0",
    .description = "exports its descriptor under the wrong symbol",
    .keys = no_descriptor_keys,
    .compute = no_descriptor_compute,
};
