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

/* Characters that show as nothing but make two equal names differ: two
   entities, two collectors, where there is one. U+FEFF is a byte-order mark
   at the start of a file (the CSV reader skips it) and is left anywhere
   else by a file pasted into another; the zero-width ones come with text
   copied from web pages and chat programs. */
static const struct {
    const char bytes[4];
    const char *name;
} invisible[] = {
    { "\xEF\xBB\xBF", "a byte-order mark (U+FEFF)" },
    { "\xE2\x80\x8B", "a zero-width space (U+200B)" },
    { "\xE2\x80\x8C", "a zero-width non-joiner (U+200C)" },
    { "\xE2\x80\x8D", "a zero-width joiner (U+200D)" },
    { "\xE2\x81\xA0", "a word joiner (U+2060)" },
};

const char *ps__ledger_invisible(const char *s, size_t len)
{
    for (size_t i = 0; i + 3 <= len; i++) {
        if ((unsigned char)s[i] != 0xEF && (unsigned char)s[i] != 0xE2)
            continue;
        for (size_t k = 0; k < sizeof invisible / sizeof invisible[0]; k++)
            if (memcmp(s + i, invisible[k].bytes, 3) == 0)
                return invisible[k].name;
    }
    return NULL;
}

int ps__invisible_error(reader_t *r, size_t col, const char *what)
{
    return ps__row_error(r, PS_EPARSE, "column '%s' holds %s, an invisible character "
                         "(from text pasted into this file?): remove it",
                         r->h.names[col], what);
}

/* An ASCII space or tab, or U+3000, the ideographic space a Chinese input
   method types: its length at the start (at_end 0) or end of s[0..len). */
static size_t space_at(const char *s, size_t len, int at_end)
{
    static const char ideographic[] = "\xE3\x80\x80";
    if (len == 0)
        return 0;
    char c = at_end ? s[len - 1] : s[0];
    if (c == ' ' || c == '\t')
        return 1;
    if (len >= 3 && memcmp(at_end ? s + len - 3 : s, ideographic, 3) == 0)
        return 3;
    return 0;
}

/* "甲公司 " and "甲公司" would be two entities, "fai " an indicator no plugin
   asks for: a name with a space at an edge is refused, not counted apart. */
static int refuse_edge_spaces(reader_t *r, size_t col, const char *s, size_t len)
{
    size_t start = 0, end = len, n;
    while ((n = space_at(s + start, end - start, 0)) != 0)
        start += n;
    while ((n = space_at(s + start, end - start, 1)) != 0)
        end -= n;
    if (start == 0 && end == len)
        return 0;
    return ps__row_error(r, PS_EPARSE, "column '%s': '%.*s' has a space at its %s "
                         "(expected '%.*s': with the space it would count apart)",
                         r->h.names[col], (int)len, s, start ? "start" : "end",
                         (int)(end - start), s + start);
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
    const char *hidden = ps__ledger_invisible(*s, *len);
    if (hidden)
        return ps__invisible_error(r, col, hidden);
    return refuse_edge_spaces(r, col, *s, *len);
}

