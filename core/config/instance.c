#include "config.h"

#include "config/instance.h"

#include <stdio.h>
#include <string.h>

#include <parkstat/error.h>

const ps_key_t ps__instance_keys[] = {
    { .name = "module", .type = PS_KEY_STRING, .flags = PS_KEY_REQUIRED,
      .help = "the plugin module: a name in the plugin directory, or a path" },
    { .name = "timeout", .type = PS_KEY_INT, .default_value = "60", .min = 1,
      .max = 86400, .help = "seconds the plugin may compute before it is stopped" },
    { .name = "growth_target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "the headline figure's growth target over the same months of last "
              "year, one key per year: growth_target.2023 = 8%" },
    { .name = NULL },
};

/* A growth target is a per cent: "8%" or "-2.5%". */
static int check_growth_targets(const ps__config_t *cfg, const ps__instance_t *inst,
                                const ps__settings_t *s, ps__diag_t *diag)
{
    int errors = 0;
    for (size_t k = 0; k < s->n; k++) {
        const ps__setting_t *set = &s->items[k];
        if (strcmp(set->key->name, "growth_target") != 0 || !set->unit ||
            strcmp(set->unit, "%") == 0)
            continue;
        ps__diag_add(diag, "%s: [%s] %s = '%s' is not a per cent (expected a growth "
                     "rate such as 8%% or -2.5%%)", cfg->path, inst->section, set->name,
                     set->text);
        errors++;
    }
    return errors;
}

/* Is `name` an annual target: target.YYYY or SOMETHING_target.YYYY? */
static int is_target(const ps__setting_t *set)
{
    const char *name = set->key->name;
    size_t n = strlen(name);
    return (set->key->flags & PS_KEY_PER_YEAR) && set->key->type == PS_KEY_AMOUNT &&
           strcmp(name, "growth_target") != 0 &&
           (strcmp(name, "target") == 0 || (n > 7 && strcmp(name + n - 7, "_target") == 0));
}

/* A target is what the year's figure should reach: a negative one has no
   completion rate worth printing. A planned fall is a growth target. */
static int check_targets(const ps__config_t *cfg, const ps__instance_t *inst,
                         const ps__settings_t *s, ps__diag_t *diag)
{
    int errors = 0;
    for (size_t k = 0; k < s->n; k++) {
        const ps__setting_t *set = &s->items[k];
        if (!is_target(set) || set->number >= 0)
            continue;
        ps__buf_t at = PS_BUF_INIT;
        ps__config_where(cfg, inst->section, set->name, &at);
        ps__diag_add(diag, "%s: [%s] %s = '%s' is negative (expected a target of zero or "
                     "more; a planned fall is a growth_target such as -2.5%%)",
                     ps__buf_str(&at), inst->section, set->name, set->text);
        ps__buf_free(&at);
        errors++;
    }
    return errors;
}

int ps__instance_settings_read(const ps__config_t *cfg, const ps__instance_t *inst,
                               const ps_key_t *plugin_keys, ps__settings_t *out,
                               ps__diag_t *diag)
{
    const ps_key_t *tables[] = { ps__instance_keys, plugin_keys };
    ps__ini_file_t ini = ps__config_ini(cfg);
    int errors = ps__settings_read(out, &ini, inst->section, tables, 2, diag);
    return errors + check_growth_targets(cfg, inst, out, diag) +
           check_targets(cfg, inst, out, diag);
}

unsigned ps__instance_timeout(const ps__settings_t *s)
{
    const ps__setting_t *timeout = ps__settings_find(s, "timeout");
    return (unsigned)timeout->number; /* defaulted: always there */
}

int ps__instance_growth_target(const ps__settings_t *s, int year, int64_t *tenths)
{
    char name[32];
    snprintf(name, sizeof name, "growth_target.%04d", year);
    const ps__setting_t *target = ps__settings_find(s, name);
    if (!target)
        return PS_ENOENT;
    *tenths = target->number / (PS_SCALE / 10);
    return 0;
}
