#include "config.h"

#include "ledger/csv_impl.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <parkstat/error.h>

#define READ_SIZE (256 * 1024)

ps__csv_t *ps__csv_new(int fd, const char *name)
{
    ps__csv_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cap = READ_SIZE + PS_CSV_MAX_RECORD;
    c->buf = malloc(c->cap + 1);
    if (!c->buf) {
        free(c);
        return NULL;
    }
    c->buf[0] = '\0';
    c->fd = fd;
    c->name = name;
    c->line = 1;
    c->at_file_start = 1;
    c->stop = SIZE_MAX;
    return c;
}

ps__csv_t *ps__csv_new_mem(char *data, size_t len, const char *name)
{
    ps__csv_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = -1;
    c->buf = data;
    c->end = c->cap = len;
    c->eof = 1;
    c->in_memory = 1;
    c->fast = 1;
    c->block.at = SIZE_MAX;
    c->name = name;
    c->line = 1;
    c->at_file_start = 1;
    c->stop = SIZE_MAX;
    return c;
}

void ps__csv_restrict(ps__csv_t *c, size_t from, size_t stop, unsigned long line)
{
    c->start = from;
    c->block.at = SIZE_MAX;
    c->stop = stop;
    c->line = line;
    c->at_file_start = from == 0;
}

size_t ps__csv_offset(const ps__csv_t *c)
{
    return c->start;
}

unsigned long ps__csv_line(const ps__csv_t *c)
{
    return c->line;
}

void ps__csv_free(ps__csv_t *c)
{
    if (!c)
        return;
    if (!c->in_memory)
        free(c->buf);
    free(c->fields);
    free(c);
}

const char *ps__csv_error(const ps__csv_t *c)
{
    return c->error;
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
        c->buf[c->end] = '\0';
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
    c->buf[c->end] = '\0';
    return 1;
}

enum byte_class { PLAIN, COMMA, LINE_FEED, QUOTE, CARRIAGE_RETURN, NUL };

/* What ends a run of ordinary bytes: outside quotes, and inside them. */
static const unsigned char unquoted_class[256] = {
    [','] = COMMA, ['\n'] = LINE_FEED, ['"'] = QUOTE, ['\r'] = CARRIAGE_RETURN, [0] = NUL,
};
static const unsigned char quoted_stop[256] = { ['"'] = 1, ['\n'] = 1, [0] = 1 };

/*
 * Eight bytes at a time: the offset of the first byte at or after buf[i]
 * that stops a run (see the tables above), or `end` when the words up to
 * end hold none; the caller finishes byte by byte. Reads only below end.
 */
#define BYTES_OF(ch) (0x0101010101010101ULL * (unsigned char)(ch))
#define LOW7 0x7F7F7F7F7F7F7F7FULL

/* The high bit of each byte of w that is not zero. */
static inline uint64_t nonzero_bytes(uint64_t w)
{
    return ((w & LOW7) + LOW7) | w;
}

static inline size_t skip_words(const char *buf, size_t i, size_t end, int quoted)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= end; i += 8) {
        uint64_t w;
        memcpy(&w, buf + i, 8);
        uint64_t plain = nonzero_bytes(w) & nonzero_bytes(w ^ BYTES_OF('"')) &
                         nonzero_bytes(w ^ BYTES_OF('\n'));
        if (!quoted)
            plain &= nonzero_bytes(w ^ BYTES_OF(',')) & nonzero_bytes(w ^ BYTES_OF('\r'));
        uint64_t stops = ~plain & ~LOW7;
        if (stops)
            return i + (size_t)(__builtin_ctzll(stops) >> 3);
    }
#else
    (void)end;
    (void)quoted;
#endif
    return i;
}

/*
 * Skips the quoted field opening at buf[*at]: on return 1, *at is just past
 * its closing quote. 0 when the data ends first (more is needed), or a
 * negative code. Nothing is written: "" escapes are undone only once the
 * whole record is known, so that a record cut by a read can be parsed again.
 */
static int skip_quoted(ps__csv_t *c, size_t *at, unsigned long *nl, int *escaped)
{
    const char *buf = c->buf;
    size_t i = *at + 1;
    for (;;) {
        i = skip_words(buf, i, c->end, 1);
        while (!quoted_stop[(unsigned char)buf[i]])
            i++;
        if (buf[i] == '\n') {
            ++*nl;
            i++;
        } else if (buf[i] == '\0' && i == c->end) {
            return c->eof ? ps__csv_fail(c, c->line, PS_EPARSE, "unterminated quoted field") : 0;
        } else if (buf[i] == '\0') {
            return ps__csv_fail(c, c->line + *nl, PS_EPARSE,
                        "NUL byte in the data (is this a binary or UTF-16 file?)");
        } else if (i + 1 == c->end && !c->eof) {
            return 0; /* an escaped quote may straddle the buffer's end */
        } else if (buf[i + 1] == '"') {
            *escaped = 1;
            i += 2;
        } else {
            *at = i + 1;
            return 1;
        }
    }
}

/* The end of data (the sentinel NUL) in the middle of a record. */
static int end_of_data(ps__csv_t *c, size_t i, size_t *rec_end)
{
    if (!c->eof)
        return 0;
    *rec_end = i;
    return 1;
}

/*
 * What ends a field at buf[i]: 2 when another field follows (i moves past
 * the comma), 1 at the end of the record (*rec_end is its line feed, or the
 * end of data), 0 when more data is needed, or a negative code.
 */
static int field_end(ps__csv_t *c, size_t *i, int after_quote, unsigned long nl,
                     size_t *rec_end)
{
    const char *buf = c->buf;
    switch (unquoted_class[(unsigned char)buf[*i]]) {
    case COMMA:
        ++*i;
        return 2;
    case LINE_FEED:
        *rec_end = *i;
        return 1;
    case CARRIAGE_RETURN:
        if (buf[*i + 1] == '\n') {
            *rec_end = *i + 1;
            return 1;
        }
        if (*i + 1 == c->end)
            return end_of_data(c, *i + 1, rec_end);
        break;
    case NUL:
        if (*i == c->end)
            return end_of_data(c, *i, rec_end);
        return ps__csv_fail(c, c->line + nl, PS_EPARSE,
                    "NUL byte in the data (is this a binary or UTF-16 file?)");
    }
    if (after_quote)
        return ps__csv_fail(c, c->line, PS_EPARSE, "unexpected text after a closing quote");
    if (buf[*i] == '"')
        return ps__csv_fail(c, c->line, PS_EPARSE,
                    "quote inside an unquoted field (quote the whole field)");
    return ps__csv_fail(c, c->line, PS_EPARSE, "carriage return without a line feed");
}

/* Undoes the "" escapes of the record's quoted fields, in place. */
static void unescape_fields(ps__csv_t *c)
{
    for (size_t k = 0; k < c->nfields; k++) {
        ps__csv_field_t *f = &c->fields[k];
        char *p = (char *)f->p, *end = p + f->len, *out = p;
        if (!memchr(p, '"', f->len))
            continue;
        for (; p < end; p++) {
            *out++ = *p;
            if (*p == '"')
                p++; /* the second quote of a pair */
        }
        f->len = (size_t)(out - f->p);
    }
}

/*
 * Parses the record at buf[start] in one pass into c->fields. Returns 1 with
 * *rec_end (its terminating '\n', or the end of data at EOF) and *newlines
 * (line breaks inside quoted fields), 0 when more data is needed, or a
 * negative code for a malformed record. buf[end] is always a NUL sentinel,
 * so the inner loops need no bounds check.
 */
static int parse_record(ps__csv_t *c, size_t *rec_end, unsigned long *newlines)
{
    const char *buf = c->buf;
    unsigned long nl = 0;
    int escaped = 0, rc;
    size_t i = c->start;
    c->nfields = 0;
    do {
        size_t field = i, len;
        int quoted = buf[i] == '"';
        if (quoted) {
            if ((rc = skip_quoted(c, &i, &nl, &escaped)) <= 0)
                return rc;
            len = i - field - 2;
            field++;
        } else {
            i = skip_words(buf, i, c->end, 0);
            while (unquoted_class[(unsigned char)buf[i]] == PLAIN)
                i++;
            len = i - field;
        }
        if ((rc = field_end(c, &i, quoted, nl, rec_end)) <= 0)
            return rc;
        if (ps__csv_push(c, buf + field, len) < 0)
            return PS_ENOMEM;
    } while (rc == 2);
    if (escaped)
        unescape_fields(c);
    *newlines = nl;
    return 1;
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
        if (c->start >= c->stop)
            return 0;
        int rc = 0;
        if (c->start < c->end && !c->at_file_start) {
            if (c->fast)
                c->fast_records += (rc = ps__csv_fast_record(c, &rec_end)) > 0;
            if (rc == 0)
                rc = parse_record(c, &rec_end, &newlines);
        }
        if (rc < 0)
            return rc;
        if (rc == 0) {
            if (c->end - c->start >= PS_CSV_MAX_RECORD)
                return ps__csv_fail(c, c->line, PS_ERANGE, "record longer than 1 MiB");
            int got = refill(c);
            if (got < 0)
                return ps__csv_fail(c, c->line, PS_EIO, strerror(errno));
            if (got == 0 && c->start >= c->end)
                return 0;
            continue;
        }
        if (rec_end - c->start > PS_CSV_MAX_RECORD)
            return ps__csv_fail(c, c->line, PS_ERANGE, "record longer than 1 MiB");
        unsigned long rec_line = c->line;
        size_t from = c->start;
        c->start = rec_end < c->end ? rec_end + 1 : rec_end;
        c->line += newlines + 1;
        if (rec_end == from || (rec_end == from + 1 && c->buf[from] == '\r'))
            continue; /* a blank line */
        *fields = c->fields;
        *n = c->nfields;
        *line = rec_line;
        return 1;
    }
}
