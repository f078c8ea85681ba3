/*
 * The parsed record's fields and the reader's error: what both the record
 * parser (csv.c) and its fast path (csv_fast.c) write, so that neither
 * calls into the other's file but the parser into the fast path.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <parkstat/error.h>

#include "ledger/csv_impl.h"

int ps__csv_fail(ps__csv_t *c, unsigned long line, int code, const char *what)
{
    snprintf(c->error, sizeof c->error, "%s:%lu: %s", c->name, line, what);
    return code;
}

int ps__csv_push_field(ps__csv_t *c, const char *p, size_t len)
{
    if (c->nfields == c->fields_cap) {
        size_t cap = c->fields_cap ? c->fields_cap * 2 : 16;
        ps__csv_field_t *f = realloc(c->fields, cap * sizeof *f);
        if (!f)
            return ps__csv_fail(c, c->line, PS_ENOMEM, "out of memory");
        c->fields = f;
        c->fields_cap = cap;
    }
    c->fields[c->nfields++] = (ps__csv_field_t){ p, len };
    return 0;
}
