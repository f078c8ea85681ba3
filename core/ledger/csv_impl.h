/*
 * The CSV reader's inside, shared by the record parser (csv.c), its fast
 * path for mapped files (csv_fast.c) and the fields both fill
 * (csv_fields.c); nothing else but their tests includes it.
 */
#ifndef PS_CSV_IMPL_H
#define PS_CSV_IMPL_H

#include <stdint.h>

#include "ledger/csv.h"

/* What the fast path knows of 64 bytes of the data: one bit per byte. */
typedef struct ps__csv_block {
    size_t at;          /* offset of its first byte; SIZE_MAX: none known */
    uint64_t sep;       /* ',' and '\n' outside quotes */
    uint64_t odd;       /* bytes that make their record csv.c's (csv_fast.c) */
    uint64_t inside;    /* 1 when the block ends inside quotes */
    uint64_t last_sep;  /* 1 when its last byte is a separator */
} ps__csv_block_t;

struct ps__csv {
    int fd;
    const char *name;
    char *buf;
    size_t start, end, cap; /* unread bytes are buf[start..end); buf[end] == '\0' */
    size_t stop;            /* no record starts at or after it */
    int eof;
    int in_memory;          /* buf is the caller's, not read from fd */
    int at_file_start;
    unsigned long line;     /* physical line of buf[start] */
    ps__csv_field_t *fields;
    size_t nfields, fields_cap;
    ps__csv_block_t block;  /* the fast path's current block */
    int fast;               /* the fast path may be tried */
    unsigned long fast_records; /* records it took, for the tests */
    char error[512];
};

/* Sets the error to "NAME:LINE: what" and returns `code`. */
int ps__csv_fail(ps__csv_t *c, unsigned long line, int code, const char *what);

/* Adds a field to c->fields; 0, or PS_ENOMEM with the error set. */
int ps__csv_push_field(ps__csv_t *c, const char *p, size_t len);

/* The same, inline while there is room. */
static inline int ps__csv_push(ps__csv_t *c, const char *p, size_t len)
{
    if (c->nfields == c->fields_cap)
        return ps__csv_push_field(c, p, len);
    c->fields[c->nfields++] = (ps__csv_field_t){ p, len };
    return 0;
}

/*
 * The record at buf[start], when it is of the common kind: ends with a
 * line break within the data, no line break inside quotes, quotes only
 * around whole fields and none escaped, no NUL, no stray carriage return,
 * at most PS_CSV_FAST_MAX bytes. Returns 1 with c->fields set and *rec_end
 * at its line feed; 0 when csv.c must parse it (which then also reports
 * any error exactly); or PS_ENOMEM. Needs a mapped file, whose data the
 * reader may read 64 bytes at a time below `end`.
 */
#define PS_CSV_FAST_MAX 1024
int ps__csv_fast_record(ps__csv_t *c, size_t *rec_end);

#endif
