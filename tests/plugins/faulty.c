/* faulty: a plugin that fails on purpose, as its `fault` key says, so that
   the tests can check that a bad plugin costs only its own section. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <parkstat/parkstat.h>

static const ps_key_t faulty_keys[] = {
    { .name = "fault", .type = PS_KEY_CHOICE, .default_value = "none",
      .choices = "none|segv|abort|hang|close_and_hang|trickle|exit|garbage|huge|fail|bulk|meet|"
                 "noisy|"
                 "filters|parts|key|text|warn|"
                 "utf8_key|utf8_label|utf8_unit|utf8_part|utf8_sentence|utf8_warn|"
                 "utf8_fail|long_label|longest_label|long_message|"
                 "quantity_target|quantity_of_quantity|quantity_late|ratio_scale",
      .help = "how to fail" },
    { .name = "here", .type = PS_KEY_STRING, .default_value = "",
      .help = "meet: the file this instance creates on arrival" },
    { .name = "await", .type = PS_KEY_STRING, .default_value = "",
      .help = "meet: the file it waits for, which another instance creates" },
    { .name = NULL },
};

/* A constructor that prints, unflushed, as a library's may: it runs where
   the module is loaded, and must not reach a report on stdout. */
static void faulty_loaded(void) __attribute__((constructor));
static void faulty_loaded(void)
{
    printf("PRINTED BY THE PLUGIN'S CONSTRUCTOR\n");
}

/* Writes data to every descriptor past stderr: one of them is the pipe
   that should carry the section. */
static void write_every_descriptor(const char *data, size_t len)
{
    for (int fd = 3; fd < 64; fd++)
        if (write(fd, data, len) < 0)
            continue;
}

/* Junk where the section should be. */
static void faulty_garbage(void)
{
    static const char junk[] = "PSW2\xff\xff\xff\x7fnot a section";
    write_every_descriptor(junk, sizeof junk);
}

/* Sends bytes down every descriptor past stderr without a pause, for
   10 s: the time limit counts from the start, not from the last byte, so
   a child that is never silent is still stopped on time (and a core that
   waited for silence would see it end after 10 s, not 1). */
static void faulty_trickle(void)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        write_every_descriptor("P", 1);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec - start.tv_sec < 10);
}

/* Prints 1 MiB of binary and a line to stdout, where a report may go,
   and 5037 bytes to stderr: two lines (one with a terminal escape), then
   100 lines of 50 bytes; and returns a section as empty as fault = none's. */
static void faulty_noisy(void)
{
    static char junk[1u << 20];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7);
    fwrite(junk, 1, sizeof junk, stdout);
    printf("PRINTED BY THE PLUGIN\n");
    fflush(stdout);
    fputs("noisy: first line\n", stderr);
    fputs("noisy: \x1b[2Jcleared\n", stderr);
    for (int i = 0; i < 100; i++)
        fprintf(stderr, "noisy: line %03d %.33s\n", i, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
}

/* Emits 5000 indicators with 1 KiB labels: a large report, slow to write. */
static int faulty_bulk(ps_ctx_t *ctx, const ps_api_t *api)
{
    char label[1024];
    memset(label, 'x', sizeof label - 1);
    label[sizeof label - 1] = '\0';
    int rc = 0;
    for (int i = 0; rc == 0 && i < 5000; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        ps_indicator_t ind = { .key = key, .label = label,
                               .value = ps_count_value(i, "个") };
        rc = api->emit(ctx, &ind);
    }
    return rc;
}

/* Emits indicators with labels as long as they may be until the result
   passes 16 MiB. */
static int faulty_huge(ps_ctx_t *ctx, const ps_api_t *api)
{
    static char label[PS_MAX_LABEL + 1];
    memset(label, 'x', PS_MAX_LABEL);
    int rc = 0;
    for (int i = 0; rc == 0 && i < 600; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        ps_indicator_t ind = { .key = key, .label = label };
        rc = api->emit(ctx, &ind);
    }
    return rc;
}

/* Arrives (creates `here`) and waits for the other instance to arrive
   (`await`): two instances only both finish when they run at once. */
static int faulty_meet(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *here, *await;
    int rc = api->conf_string(ctx, "here", &here);
    if (rc == 0)
        rc = api->conf_string(ctx, "await", &await);
    if (rc < 0)
        return rc;
    FILE *f = fopen(here, "w");
    if (!f || fclose(f) != 0)
        return api->failf(ctx, PS_EIO, "cannot create %s", here);
    const struct timespec tick = { 0, 10 * 1000 * 1000 };
    while (access(await, F_OK) != 0)
        nanosleep(&tick, NULL);
    return 0;
}

/* Goes one past an SDK limit, as a plugin could by mistake: a query with
   a filter too many, a breakdown with a part too many, a part whose tag
   value makes too long a key, a paragraph too long. Each must fail loudly,
   never truncate. */
static int faulty_past_limit(ps_ctx_t *ctx, const ps_api_t *api, const char *limit)
{
    static ps_filter_t filters[PS_MAX_FILTERS + 1];
    static ps_part_t parts[PS_MAX_PARTS + 1];
    static char long_value[PS_MAX_KEY + 1];
    ps_indicator_t total = { .key = "total", .value = ps_count_value(1, "个") };
    if (strcmp(limit, "filters") == 0) {
        ps_query_t q = { .indicator = "tax", .from = api->report_period(ctx),
                         .to = api->report_period(ctx), .filters = filters,
                         .n_filters = PS_MAX_FILTERS + 1 };
        for (size_t i = 0; i <= PS_MAX_FILTERS; i++)
            filters[i] = (ps_filter_t){ "kind", "国税" };
        return api->sum(ctx, &q, &total.value);
    }
    if (strcmp(limit, "text") == 0) {
        static ps_text_t t;
        while (!t.cut)
            ps_text_append(&t, "很长的段落。");
        return ps_text_sentence(ctx, api, PS_SENTENCE_BODY, &t);
    }
    int rc = api->emit(ctx, &total);
    size_t n = strcmp(limit, "parts") == 0 ? PS_MAX_PARTS + 1 : 1;
    memset(long_value, 'x', PS_MAX_KEY);
    for (size_t i = 0; i < n; i++)
        parts[i] = (ps_part_t){ n == 1 ? long_value : "x", ps_count_value(1, "个") };
    return rc < 0 ? rc : ps_emit_parts(ctx, api, &total, parts, n, NULL, 0);
}

/* Hands the core a string that is not UTF-8, in each place a plugin can:
   every one fails the section, even though the plugin ignores the error
   and returns 0 (a plugin's failure message is mended instead). */
static int faulty_not_utf8(ps_ctx_t *ctx, const ps_api_t *api, const char *where)
{
    ps_indicator_t x = { .key = "x", .label = "税收", .value = ps_count_value(1, "个") };
    if (strcmp(where, "utf8_key") == 0)
        x.key = "k\xc3";
    if (strcmp(where, "utf8_label") == 0)
        x.label = "ab\xff";
    if (strcmp(where, "utf8_unit") == 0)
        x.value.unit = "\xe4\xb8";
    if (strcmp(where, "utf8_fail") == 0)
        return api->failf(ctx, PS_EINVAL, "bad bytes \xff\xfe here");
    (void)api->emit(ctx, &x);
    if (strcmp(where, "utf8_part") == 0) {
        ps_part_t parts[] = { { "国\xff税", ps_count_value(1, "个") } };
        (void)ps_emit_parts(ctx, api, &x, parts, 1, NULL, 0);
    }
    if (strcmp(where, "utf8_sentence") == 0)
        (void)api->sentence(ctx, PS_SENTENCE_BODY, "本年{x}\xfe");
    if (strcmp(where, "utf8_warn") == 0)
        (void)api->warnf(ctx, "阶段%s", "\xff");
    return 0;
}

/* A label one character longer than PS_MAX_LABEL allows (`long_label`), or
   exactly as long, with data that ends a month early, so that the core
   adds （至9月底） to it in the workbook (`longest_label`): 字 is three
   bytes but one character. */
static int faulty_long_label(ps_ctx_t *ctx, const ps_api_t *api, size_t chars)
{
    char *label = malloc(3 * chars + 1);
    if (!label)
        return PS_ENOMEM;
    for (size_t i = 0; i < chars; i++)
        memcpy(label + 3 * i, "字", 3);
    label[3 * chars] = '\0';
    ps_indicator_t x = { .key = "x", .label = label, .value = ps_count_value(1, "个"),
                         .asof = api->report_period(ctx) - 1 };
    int rc = api->emit(ctx, &x);
    free(label);
    return rc;
}

/* A quantity (the parent in another unit) where a table's row has no
   place for it: with a target of its own, as a quantity's quantity, or
   emitted after another indicator rather than right after its parent. */
static int faulty_quantity(ps_ctx_t *ctx, const ps_api_t *api, const char *how)
{
    ps_indicator_t total = { .key = "total", .value = ps_count_value(31, "宗") };
    ps_indicator_t other = { .key = "other", .value = ps_count_value(1, "户") };
    ps_indicator_t area = { .key = "area", .parent = "total", .relation = PS_REL_QUANTITY,
                            .value = ps_count_value(1122, "亩"), .target = PS_VALUE_NONE };
    ps_indicator_t x = { .key = "x", .parent = "area", .relation = PS_REL_QUANTITY,
                         .value = ps_count_value(7, "公顷") };
    if (strcmp(how, "quantity_target") == 0)
        area.target = ps_count_value(2000, "亩");
    int rc = api->emit(ctx, &total);
    if (rc == 0 && strcmp(how, "quantity_late") == 0)
        rc = api->emit(ctx, &other);
    if (rc == 0)
        rc = api->emit(ctx, &area);
    return rc == 0 ? api->emit(ctx, &x) : rc;
}

/* A failure message of 5000 characters: cut at PS_MAX_MESSAGE. */
static int faulty_long_message(ps_ctx_t *ctx, const ps_api_t *api)
{
    static char message[5001];
    memset(message, 'm', sizeof message - 1);
    return api->failf(ctx, PS_EINVAL, "%s", message);
}

static int faulty_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *fault;
    int rc = api->conf_string(ctx, "fault", &fault);
    if (rc < 0)
        return rc;
    if (strcmp(fault, "segv") == 0)
        raise(SIGSEGV);
    if (strcmp(fault, "abort") == 0)
        abort();
    if (strcmp(fault, "hang") == 0)
        for (;;)
            pause();
    if (strcmp(fault, "close_and_hang") == 0) { /* its pipes end, its process does not */
        for (int fd = 0; fd < 64; fd++)
            close(fd);
        for (;;)
            pause();
    }
    if (strcmp(fault, "trickle") == 0)
        faulty_trickle();
    if (strcmp(fault, "exit") == 0)
        exit(0);
    if (strcmp(fault, "garbage") == 0)
        faulty_garbage();
    if (strcmp(fault, "noisy") == 0)
        faulty_noisy();
    if (strcmp(fault, "huge") == 0)
        return faulty_huge(ctx, api);
    if (strcmp(fault, "bulk") == 0)
        return faulty_bulk(ctx, api);
    if (strcmp(fault, "meet") == 0)
        return faulty_meet(ctx, api);
    if (strcmp(fault, "filters") == 0 || strcmp(fault, "parts") == 0 ||
        strcmp(fault, "key") == 0 || strcmp(fault, "text") == 0)
        return faulty_past_limit(ctx, api, fault);
    if (strcmp(fault, "warn") == 0) /* not a fault: warnings, and a section */
        return api->warnf(ctx, "阶段'%s'不在stage_order中", "待查") ||
               api->warnf(ctx, "本月%d宗地块未报送", 3);
    if (strcmp(fault, "fail") == 0)
        return api->failf(ctx, PS_EINVAL, "failed on purpose");
    if (strncmp(fault, "utf8_", 5) == 0)
        return faulty_not_utf8(ctx, api, fault);
    if (strcmp(fault, "long_label") == 0 || strcmp(fault, "longest_label") == 0)
        return faulty_long_label(ctx, api, strcmp(fault, "long_label") == 0
                                               ? PS_MAX_LABEL + 1 : PS_MAX_LABEL);
    if (strcmp(fault, "ratio_scale") == 0) { /* a ratio needs a positive scale */
        ps_indicator_t r = { .key = "r" };
        ps_query_t q = { .indicator = "tax", .from = api->report_period(ctx),
                         .to = api->report_period(ctx) };
        return api->emit_ratio(ctx, &r, &q, &q, 0, "%");
    }
    if (strncmp(fault, "quantity_", 9) == 0)
        return faulty_quantity(ctx, api, fault);
    if (strcmp(fault, "long_message") == 0)
        return faulty_long_message(ctx, api);
    return 0;
}

PS_PLUGIN(faulty) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "faulty",
    .version = "1.0",
    .description = "fails on purpose, for the tests",
    .keys = faulty_keys,
    .compute = faulty_compute,
};
