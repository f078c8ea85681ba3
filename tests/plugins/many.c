/*
 * many: emits `count` indicators, for the tests that emitting stays
 * linear. Every tenth is a top-level figure with nine PART children, each
 * naming its parent and each checked against the keys emitted before: the
 * duplicate and parent checks a core could do with a scan per emit. A
 * sentence names the first and the last.
 *
 *     [plugin.many]
 *     module = many
 *     count = 200000
 */
#include <stdio.h>

#include <parkstat/parkstat.h>

static const ps_key_t many_keys[] = {
    { .name = "count", .type = PS_KEY_INT, .default_value = "10",
      .min = 1, .max = 2000000, .help = "how many indicators to emit" },
    { .name = NULL },
};

static int many_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    int64_t count;
    int rc = api->conf_int(ctx, "count", &count);
    char key[32], parent[32] = "", label[48];
    for (int64_t i = 0; rc == 0 && i < count; i++) {
        int top = i % 10 == 0;
        snprintf(key, sizeof key, "k%lld", (long long)i);
        snprintf(label, sizeof label, "指标%lld", (long long)i);
        ps_indicator_t ind = { .key = key, .label = label,
                               .parent = top ? NULL : parent,
                               .relation = top ? PS_REL_NONE : PS_REL_PART,
                               .value = ps_count_value(i + 1, "个") };
        rc = api->emit(ctx, &ind);
        if (top)
            snprintf(parent, sizeof parent, "%s", key);
    }
    char sentence[96];
    snprintf(sentence, sizeof sentence, "首项{k0}，末项{k%lld}", (long long)count - 1);
    return rc == 0 ? api->sentence(ctx, PS_SENTENCE_BODY, sentence) : rc;
}

PS_PLUGIN(many) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "many",
    .version = "1.0",
    .description = "emits as many indicators as it is told, for the tests",
    .keys = many_keys,
    .compute = many_compute,
};
