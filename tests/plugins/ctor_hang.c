/* ctor_hang: a plugin whose constructor never returns, as one waiting on
   a lock or a network share may: the loader must give up on it in time. */
#include <unistd.h>

#include <parkstat/parkstat.h>

static void ctor_hang_wait(void) __attribute__((constructor));
static void ctor_hang_wait(void)
{
    for (;;)
        pause();
}

static const ps_key_t ctor_hang_keys[] = { { .name = NULL } };

static int ctor_hang_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

PS_PLUGIN(ctor_hang) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "ctor_hang",
    .version = "1.0",
    .description = "hangs while loading",
    .keys = ctor_hang_keys,
    .compute = ctor_hang_compute,
};
