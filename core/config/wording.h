/*
 * The report's own wording in [parkstat]: the title and opening, which name
 * report variables ({zone}, {year}, {month}, {next_year}), the lines of the
 * main-indicator appendix, which name an indicator's fields ({figure} for
 * the value with its as-of note), and the order of the sections. Checked
 * here when the INI is read; applied by report/outline.h.
 */
#ifndef PS_WORDING_H
#define PS_WORDING_H

#include <stddef.h>

#include "base/diag.h"
#include "config/settings.h"

enum ps__report_var { PS_VAR_ZONE, PS_VAR_YEAR, PS_VAR_MONTH, PS_VAR_NEXT_YEAR };

/* The report variable named by name[len] (enum ps__report_var), or -1. */
int ps__wording_report_var(const char *name, size_t len);
/* The field (enum ps__field) an appendix line's placeholder names, or -1. */
int ps__wording_line_field(const char *name, size_t len);

/* The appendix lines: its progress line, its figure alone, its change, its
   change against a growth target, a stock's line against a level. */
enum ps__wording_line { PS_LINE_PROGRESS, PS_LINE_FIGURE, PS_LINE_CHANGE, PS_LINE_GROWTH,
                        PS_LINE_LEVEL, PS_WORDING_LINES };

/* The wording as [parkstat] sets it (or its key table's defaults); the
   strings belong to the settings it was read from. */
typedef struct ps__wording {
    const char *title, *opening;         /* NULL: unset */
    const char *lines[PS_WORDING_LINES]; /* NULL: unset */
    char *const *order;                  /* instance names, first to last */
    size_t n_order;
} ps__wording_t;

void ps__wording_read(ps__wording_t *w, const ps__settings_t *core);

struct ps__config;
/* Checks every wording template's placeholders and the `order` list against
   the plugin instances; returns how many problems went to `diag`. */
int ps__wording_check(const struct ps__config *cfg, ps__diag_t *diag);

#endif
