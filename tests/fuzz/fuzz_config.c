/*
 * Fuzzes the configuration (core/config/conf.h, core/config/settings.h, core/config/iniscan.h
 * and iniparser under them).
 *
 * The input is written as parkstat.ini and loaded with ps__config_load;
 * then every section of it is read again with ps__settings_read against a
 * table holding every key type (required, bounded, per-year, choice, list,
 * template, amount). Checks: no crash, no leak, no undefined behaviour; a
 * load that fails always says why; every setting read has the type's fields
 * filled in.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include <parkstat/error.h>

#include "config/conf.h"
#include "base/diag.h"
#include "config/settings.h"

static const ps_key_t every_type[] = {
    { .name = "text", .type = PS_KEY_STRING, .default_value = "默认" },
    { .name = "count", .type = PS_KEY_INT, .default_value = "3", .min = -5, .max = 100 },
    { .name = "any_int", .type = PS_KEY_INT },
    { .name = "enabled", .type = PS_KEY_BOOL, .default_value = "yes" },
    { .name = "target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR },
    { .name = "amount", .type = PS_KEY_AMOUNT, .default_value = "55亿" },
    { .name = "items", .type = PS_KEY_LIST, .default_value = "国税, 地税" },
    { .name = "sentence", .type = PS_KEY_TEMPLATE, .default_value = "{tax}，{tax.rate}" },
    { .name = "mode", .type = PS_KEY_CHOICE, .default_value = "flow",
      .choices = "flow|cumulative" },
    { .name = "needed", .type = PS_KEY_STRING, .flags = PS_KEY_REQUIRED },
    { .name = NULL },
};

static char path[64];

static void check_settings(const ps__settings_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        const ps__setting_t *v = &s->items[i];
        if (!v->key || !v->name || !v->text ||
            (v->key->type == PS_KEY_AMOUNT && !v->unit) ||
            (v->n_items && !v->items))
            abort();
        for (size_t k = 0; k < v->n_items; k++)
            if (!v->items[k] || !*v->items[k])
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0) {
        if ((fd = memfd_create("parkstat.ini", 0)) < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    ps__config_t cfg;
    ps__diag_t diag = { 0 };
    int rc = ps__config_load(&cfg, path, &diag);
    if (rc < 0 && diag.count == 0 && !diag.out_of_memory)
        abort(); /* a configuration refused without a word */
    if (cfg.ini) {
        const ps_key_t *tables[] = { every_type, ps__source_keys };
        for (int i = 0, n = iniparser_getnsec(cfg.ini); i < n && i < 32; i++) {
            ps__settings_t s = { 0 };
            ps__ini_file_t ini = ps__config_ini(&cfg);
            ps__settings_read(&s, &ini, iniparser_getsecname(cfg.ini, i), tables, 2, &diag);
            check_settings(&s);
            ps__settings_free(&s);
        }
    }
    ps__config_free(&cfg);
    ps__diag_free(&diag);
    return 0;
}
