/* ctor_segv: a plugin whose constructor crashes, as a library it links
   could while initialising, before the loader ever sees its descriptor.
   The loader must name the file and the signal, and the run survive. */
#include <signal.h>
#include <stdio.h>

#include <parkstat/parkstat.h>

static void ctor_segv_crash(void) __attribute__((constructor));
static void ctor_segv_crash(void)
{
    fputs("ctor_segv: initialising\n", stderr);
    raise(SIGSEGV);
}

static const ps_key_t ctor_segv_keys[] = { { .name = NULL } };

static int ctor_segv_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

PS_PLUGIN(ctor_segv) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "ctor_segv",
    .version = "1.0",
    .description = "crashes while loading",
    .keys = ctor_segv_keys,
    .compute = ctor_segv_compute,
};
