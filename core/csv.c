#include "config.h"

#include "csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <parkstat/error.h>

#define READ_SIZE (256 * 1024)

struct ps__csv {
    int fd;
    const char *name;
    char *buf;
    size_t start, end, cap; /* unread bytes are buf[start..end) */
    int eof;
    int at_file_start;
    unsigned long line;     /* physical line of buf[start] */
    ps__csv_field_t *fields;
    size_t nfields, fields_cap;
    char error[512];
};

ps__csv_t *ps__csv_new(int fd, const char *name)
{
    ps__csv_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cap = READ_SIZE + PS_CSV_MAX_RECORD;
    c->buf = malloc(c->cap);
    if (!c->buf) {
        free(c);
        return NULL;
    }
    c->fd = fd;
    c->name = name;
    c->line = 1;
    c->at_file_start = 1;
    return c;
}

void ps__csv_free(ps__csv_t *c)
{
    if (!c)
        return;
    free(c->buf);
    free(c->fields);
    free(c);
}

const char *ps__csv_error(const ps__csv_t *c)
{
    return c->error;
}

static int fail(ps__csv_t *c, unsigned long line, int code, const char *what)
{
    snprintf(c->error, sizeof c->error, "%s:%lu: %s", c->name, line, what);
    return code;
}

/* Moves unread bytes to the front and reads more; 0 at EOF, 1 when read. */
static int refill(ps__csv_t *c)
{
    if (c->eof)
        return 0;
    if (c->start > 0) {
        memmove(c->buf, c->buf + c->start, c->end - c->start);
        c->end -= c->start;
        c->start = 0;
    }
    size_t room = c->cap - c->end;
    if (room == 0)
        return 0;
    ssize_t got;
    do
        got = read(c->fd, c->buf + c->end, room);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return -1;
    if (got == 0) {
        c->eof = 1;
        return 0;
    }
    c->end += (size_t)got;
    return 1;
}

/*
 * Finds the end of the record at buf[start]: the offset of its terminating
 * '\n' (or end of data at EOF). Returns 1 when found, 0 when more data is
 * needed, or a negative code for a malformed record.
 */
static int scan_record(ps__csv_t *c, size_t *rec_end, unsigned long *newlines)
{
    int quoted = 0, field_start = 1;
    unsigned long nl = 0;
    for (size_t i = c->start; i < c->end; i++) {
        char ch = c->buf[i];
        if (ch == '\0')
            return fail(c, c->line + nl, PS_EPARSE,
                        "NUL byte in the data (is this a binary or UTF-16 file?)");
        if (quoted) {
            if (ch == '"') {
                if (i + 1 == c->end && !c->eof)
                    return 0; /* an escaped quote may straddle the buffer's end */
                if (i + 1 < c->end && c->buf[i + 1] == '"')
                    i++;
                else
                    quoted = 0;
            } else if (ch == '\n') {
                nl++;
            }
            continue;
        }
        /* A quote opens quoting only at the start of a field: a stray one
           inside a field is an error split_record() reports. */
        if (ch == '"' && field_start)
            quoted = 1;
        if (ch == '\n') {
            *rec_end = i;
            *newlines = nl;
            return 1;
        }
        field_start = ch == ',';
    }
    if (!c->eof)
        return 0;
    if (quoted)
        return fail(c, c->line, PS_EPARSE, "unterminated quoted field");
    *rec_end = c->end;
    *newlines = nl;
    return 1;
}

static int push_field(ps__csv_t *c, const char *p, size_t len)
{
    if (c->nfields == c->fields_cap) {
        size_t cap = c->fields_cap ? c->fields_cap * 2 : 16;
        ps__csv_field_t *f = realloc(c->fields, cap * sizeof *f);
        if (!f)
            return PS_ENOMEM;
        c->fields = f;
        c->fields_cap = cap;
    }
    c->fields[c->nfields++] = (ps__csv_field_t){ p, len };
    return 0;
}

/* Splits buf[from..to) into fields, undoing "" escapes in place. */
static int split_record(ps__csv_t *c, size_t from, size_t to)
{
    char *p = c->buf + from, *end = c->buf + to;
    if (end > p && end[-1] == '\r')
        end--;
    c->nfields = 0;
    for (;;) {
        char *field = p, *out = p;
        if (p < end && *p == '"') {
            for (p++; p < end; p++) {
                if (*p == '"' && p + 1 < end && p[1] == '"')
                    *out++ = *p++;
                else if (*p == '"')
                    break;
                else
                    *out++ = *p;
            }
            if (p >= end)
                return fail(c, c->line, PS_EPARSE, "unterminated quoted field");
            p++;
            if (p < end && *p != ',')
                return fail(c, c->line, PS_EPARSE,
                            "unexpected text after a closing quote");
        } else {
            while (p < end && *p != ',') {
                if (*p == '"')
                    return fail(c, c->line, PS_EPARSE,
                                "quote inside an unquoted field (quote the whole field)");
                if (*p == '\r')
                    return fail(c, c->line, PS_EPARSE,
                                "carriage return without a line feed");
                p++;
            }
            out = p;
        }
        if (push_field(c, field, (size_t)(out - field)) < 0)
            return fail(c, c->line, PS_ENOMEM, "out of memory");
        if (p >= end)
            return 0;
        p++; /* the comma */
    }
}

static void skip_bom(ps__csv_t *c)
{
    static const char bom[] = "\xEF\xBB\xBF";
    if (c->end - c->start >= 3 && memcmp(c->buf + c->start, bom, 3) == 0)
        c->start += 3;
}

int ps__csv_next(ps__csv_t *c, const ps__csv_field_t **fields, size_t *n,
                 unsigned long *line)
{
    for (;;) {
        size_t rec_end = 0;
        unsigned long newlines = 0;
        /* The byte-order mark may arrive over several reads from a pipe:
           decide on it before reading any record. */
        if (c->at_file_start && (c->end - c->start >= 3 || c->eof)) {
            c->at_file_start = 0;
            skip_bom(c);
        }
        int rc = c->start < c->end && !c->at_file_start
                     ? scan_record(c, &rec_end, &newlines) : 0;
        if (rc < 0)
            return rc;
        if (rc == 0) {
            if (c->end - c->start >= PS_CSV_MAX_RECORD)
                return fail(c, c->line, PS_ERANGE, "record longer than 1 MiB");
            int got = refill(c);
            if (got < 0)
                return fail(c, c->line, PS_EIO, strerror(errno));
            if (got == 0 && c->start >= c->end)
                return 0;
            continue;
        }
        if (rec_end - c->start > PS_CSV_MAX_RECORD)
            return fail(c, c->line, PS_ERANGE, "record longer than 1 MiB");
        unsigned long rec_line = c->line;
        size_t from = c->start;
        c->start = rec_end < c->end ? rec_end + 1 : rec_end;
        c->line += newlines + 1;
        if (rec_end == from || (rec_end == from + 1 && c->buf[from] == '\r'))
            continue; /* a blank line */
        unsigned long saved = c->line;
        c->line = rec_line;
        rc = split_record(c, from, rec_end);
        c->line = saved;
        if (rc < 0)
            return rc;
        *fields = c->fields;
        *n = c->nfields;
        *line = rec_line;
        return 1;
    }
}
