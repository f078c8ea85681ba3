/* ctor_exit: a plugin whose constructor ends the process, as a library
   that gives up on a missing file may: the loader must refuse it, not let
   it end the run with a status of its own. */
#include <stdlib.h>

#include <parkstat/parkstat.h>

static void ctor_exit_leave(void) __attribute__((constructor));
static void ctor_exit_leave(void)
{
    exit(3);
}

static const ps_key_t ctor_exit_keys[] = { { .name = NULL } };

static int ctor_exit_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

PS_PLUGIN(ctor_exit) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "ctor_exit",
    .version = "1.0",
    .description = "exits while loading",
    .keys = ctor_exit_keys,
    .compute = ctor_exit_compute,
};
