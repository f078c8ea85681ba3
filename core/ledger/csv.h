/*
 * A streaming RFC 4180 reader: one record at a time from a file descriptor,
 * in constant memory (a record may not exceed PS_CSV_MAX_RECORD bytes).
 * Accepts a UTF-8 byte-order mark, LF or CRLF, quoted fields with "" escapes
 * and line breaks; skips blank lines.
 */
#ifndef PS_CSV_H
#define PS_CSV_H

#include <stddef.h>

#define PS_CSV_MAX_RECORD (1024 * 1024)

typedef struct ps__csv_field {
    const char *p; /* not NUL-terminated; valid until the next ps__csv_next */
    size_t len;
} ps__csv_field_t;

typedef struct ps__csv ps__csv_t;

/* Reads from fd, which the reader does not close; `name` is used in errors. */
ps__csv_t *ps__csv_new(int fd, const char *name);
void ps__csv_free(ps__csv_t *c);

/*
 * Reads from memory the caller owns and keeps mapped for the reader's life:
 * data[0..len) is the file, data[len] must be a readable and writable NUL,
 * and data must be writable (a private mapping will do), as "" escapes are
 * undone in place.
 */
ps__csv_t *ps__csv_new_mem(char *data, size_t len, const char *name);
/*
 * Reads only the records that start in [from, stop), the first of them on
 * physical line `line`; a record that starts before `stop` is read whole,
 * wherever it ends. A byte-order mark is looked for only when from is 0.
 */
void ps__csv_restrict(ps__csv_t *c, size_t from, size_t stop, unsigned long line);
/* The offset of the next record not yet read, and its physical line. */
size_t ps__csv_offset(const ps__csv_t *c);
unsigned long ps__csv_line(const ps__csv_t *c);

/*
 * The next record: returns 1 and sets *fields, *n and *line (the physical
 * line the record starts on), 0 at end of file, or a negative PS_E code with
 * "FILE:LINE: what went wrong" in ps__csv_error().
 */
int ps__csv_next(ps__csv_t *c, const ps__csv_field_t **fields, size_t *n,
                 unsigned long *line);
const char *ps__csv_error(const ps__csv_t *c);

#endif
