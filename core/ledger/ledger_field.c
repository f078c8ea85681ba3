/*
 * What every part of the reader shares about the current row: its fields'
 * text, checked as UTF-8, and the row error that names file and line.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

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

/* U+FEFF in UTF-8. At the start of a file it marks the encoding (the CSV
   reader skips it); anywhere else it is an invisible character, left by a
   file pasted into another with its own mark, that makes two equal names
   differ: two entities, two collectors, where there is one. */
#define BOM "\xEF\xBB\xBF"

int ps__ledger_has_bom(const char *s, size_t len)
{
    return len >= 3 && memmem(s, len, BOM, 3) != NULL;
}

int ps__bom_error(reader_t *r, size_t col)
{
    return ps__row_error(r, PS_EPARSE, "column '%s' holds a byte-order mark (U+FEFF), "
                         "an invisible character (from a file pasted into this one?): "
                         "remove it", r->h.names[col]);
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
    if (ps__ledger_has_bom(*s, *len))
        return ps__bom_error(r, col);
    return 0;
}

