/* keys_unterminated: a key table whose author forgot the { .name = NULL }
   that ends it. What follows the table in memory is read as more keys;
   here that is a key whose name points nowhere, so that walking the table
   crashes every time rather than by the linker's whim. */
#include <parkstat/parkstat.h>

static const struct {
    ps_key_t keys[1];
    ps_key_t next_in_memory;
} keys_unterminated_table = {
    .keys = { { .name = "title", .type = PS_KEY_STRING, .default_value = "无终止",
                .help = "the section's heading" } },
    .next_in_memory = { .name = (const char *)16 },
};

static int keys_unterminated_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

PS_PLUGIN(keys_unterminated) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "keys_unterminated",
    .version = "1.0",
    .description = "a key table without its terminator",
    .keys = keys_unterminated_table.keys,
    .compute = keys_unterminated_compute,
};
