/*
 * Settings: one INI section read against key tables (ps_key_t). Every value
 * is read as a string and parsed here with full checks (iniparser's own
 * getters accept "12abc" as 12); defaults are applied; unknown keys get a
 * suggestion. The core's own sections use the same tables as plugins.
 */
#ifndef PS_SETTINGS_H
#define PS_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include <parkstat/plugin.h>

#include "base/buf.h"
#include "base/diag.h"
#include "config/iniscan.h"

typedef struct ps__setting {
    const ps_key_t *key;
    char *name;       /* as the INI names it: "target.2023" */
    char *text;       /* the value as written, or the default */
    int is_default;
    int64_t number;   /* PS_KEY_INT, PS_KEY_BOOL, PS_KEY_AMOUNT (raw) */
    char *unit;       /* PS_KEY_AMOUNT: PS_UNIT_MONEY, another unit, or "" */
    char **items;     /* PS_KEY_LIST */
    size_t n_items;
} ps__setting_t;

typedef struct ps__settings {
    ps__setting_t *items;
    size_t n;
} ps__settings_t;

struct _dictionary_;

/* The INI being read: iniparser's dictionary, its path, and the line of each
   key (NULL when unknown) so that a problem is placed as FILE:LINE. */
typedef struct ps__ini_file {
    struct _dictionary_ *dict;
    const char *path;
    const ps__ini_lines_t *lines;
} ps__ini_file_t;

/* Calls fn(ctx, NAME, VALUE) for each key of [section], VALUE NULL when the
   key has none. Returns the sum of what fn returned (each an error count),
   or 1 after saying so in diag when out of memory. */
typedef int ps__ini_key_fn(void *ctx, const char *name, const char *text);
int ps__ini_each_key(const ps__ini_file_t *ini, const char *section,
                     ps__ini_key_fn *fn, void *ctx, ps__diag_t *diag);

/*
 * Reads [section] of `ini` against the tables (each ends with a NULL name).
 * Each problem goes to `diag` as "FILE:LINE: [section] …"; returns how many.
 */
int ps__settings_read(ps__settings_t *s, const ps__ini_file_t *ini,
                      const char *section, const ps_key_t *const *tables,
                      size_t ntables, ps__diag_t *diag);

const ps__setting_t *ps__settings_find(const ps__settings_t *s, const char *name);
/* The text of a setting, or NULL. */
const char *ps__settings_text(const ps__settings_t *s, const char *name);
void ps__settings_free(ps__settings_t *s);

/*
 * Parses `text` as `key` declares. On failure returns a negative code and
 * points *why at a phrase like "is not a whole number (expected …)".
 */
int ps__setting_parse(const ps_key_t *key, const char *text, ps__setting_t *out,
                      const char **why);

/* Checks a key table is well formed; on failure says why in `why`. */
int ps__key_table_check(const ps_key_t *keys, ps__buf_t *why);

/* The type's name as --describe prints it: "amount", "yes/no" … */
const char *ps__key_type_name(ps_key_type_t type);

#endif
