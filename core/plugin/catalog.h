/*
 * What a plugin directory holds: the names of its modules (a libtool .la,
 * or a bare .so as a department installs one), each once, in name order.
 * `--list-plugins` walks them; a module name that is not there is answered
 * with the closest of them.
 */
#ifndef PS_CATALOG_H
#define PS_CATALOG_H

#include <stddef.h>

#include "base/buf.h"

typedef struct ps__catalog {
    char **names; /* "tax", "investment", …: sorted, no repeats */
    size_t n;
    int no_dir;   /* the directory itself is not there */
} ps__catalog_t;

/* Fills `c` from `dir`; 0 even when the directory holds no module or
   cannot be read (then c->n is 0), PS_ENOMEM otherwise. */
int ps__catalog_read(ps__catalog_t *c, const char *dir);
void ps__catalog_free(ps__catalog_t *c);

/* Appends to `out` a hint for the module name `wanted`, which the
   directory does not hold: " (did you mean 'tax'? DIR holds: a, b, c)",
   " (DIR holds no plugin)" or " (there is no directory DIR)". */
void ps__catalog_hint(const ps__catalog_t *c, const char *dir, const char *wanted,
                      ps__buf_t *out);

#endif
