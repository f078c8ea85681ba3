/*
 * What every part of the reader shares about the current row: its fields'
 * text, checked as UTF-8, and the row error that names file and line.
 */
#include "config.h"

#include <stdarg.h>

#include <parkstat/error.h>

#include "ledger/reader.h"

int ps__row_error(reader_t *r, int code, const char *fmt, ...)
{
    va_list ap;
    ps__buf_printf(r->err, "%s:%lu: ", r->name, r->line);
    va_start(ap, fmt);
    ps__buf_vprintf(r->err, fmt, ap);
    va_end(ap);
    return code;
}

int ps__ledger_field_text(reader_t *r, size_t col, const char **s, size_t *len)
{
    *s = r->f[col].p;
    *len = r->f[col].len;
    if (!ps__utf8_valid(*s, *len))
        return ps__row_error(r, PS_EPARSE, "column '%s' is not valid UTF-8 (a file saved "
                         "as GBK/GB18030 needs encoding = gb18030 in [%s])",
                         r->h.names[col],
                         r->opts->section ? r->opts->section : "source.NAME");
    return 0;
}

