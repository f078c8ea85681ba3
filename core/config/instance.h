/*
 * The core's own keys of a [plugin.NAME] section, beside the plugin's: the
 * module, its timeout and its growth targets. Declared, checked and read
 * here only, so that a default or a rule is written once.
 */
#ifndef PS_INSTANCE_H
#define PS_INSTANCE_H

#include <stdint.h>

#include <parkstat/plugin.h>

#include "base/diag.h"
#include "config/conf.h"
#include "config/settings.h"

extern const ps_key_t ps__instance_keys[];

/* Reads the section of `inst` against the core's keys and `plugin_keys`,
   and checks what a key's type cannot (a growth target is a per cent).
   Each problem goes to `diag`; returns how many. */
int ps__instance_settings_read(const ps__config_t *cfg, const ps__instance_t *inst,
                               const ps_key_t *plugin_keys, ps__settings_t *out,
                               ps__diag_t *diag);

/* Seconds the instance may compute before it is stopped. */
unsigned ps__instance_timeout(const ps__settings_t *s);

/* The growth target for `year` in tenths of a per cent (80 for 8%): 0, or
   PS_ENOENT when the instance sets none. */
int ps__instance_growth_target(const ps__settings_t *s, int year, int64_t *tenths);

#endif
