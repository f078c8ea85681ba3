/*
 * What `--describe` and `--list-plugins` print, read from the plugins' own
 * descriptors and key tables so that the documentation cannot drift from
 * the code.
 */
#ifndef PS_DESCRIBE_H
#define PS_DESCRIBE_H

#include <stdio.h>

#include <parkstat/plugin.h>

#include "plugin/loader.h"

/* One line: name, version, description. */
void ps__describe_line(FILE *out, const ps__module_t *mod);
/* The plugin's header and every key of an instance section. */
void ps__describe_plugin(FILE *out, const ps__module_t *mod);
/* One line per key: name, type, default or "required", help. */
void ps__describe_keys(FILE *out, const ps_key_t *keys);

/* The same, as man(7) source for parkstat.ini(5). */
void ps__describe_keys_man(FILE *out, const ps_key_t *keys);
/* Every section the core reads, as man(7) source: [parkstat], [source.NAME],
   [indicator.CODE], [plugin.NAME], [derived.NAME] and [audit.NAME]. */
void ps__describe_core_man(FILE *out);
/* One plugin's section, as man(7) source. */
void ps__describe_plugin_man(FILE *out, const ps__module_t *mod);

#endif
