/* A growable byte buffer: the one string builder of the core. */
#ifndef PS_BUF_H
#define PS_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ps__buf {
    char *data;   /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    int failed;   /* an allocation failed: every later append is a no-op */
} ps__buf_t;

#define PS_BUF_INIT { 0, 0, 0, 0 }

void ps__buf_append(ps__buf_t *b, const char *s, size_t n);
void ps__buf_puts(ps__buf_t *b, const char *s);
void ps__buf_printf(ps__buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ps__buf_vprintf(ps__buf_t *b, const char *fmt, va_list ap);
/* The text so far ("" when empty); owned by the buffer. */
const char *ps__buf_str(const ps__buf_t *b);
/* Hands the text to the caller (who frees it) and empties the buffer. */
char *ps__buf_take(ps__buf_t *b);
void ps__buf_reset(ps__buf_t *b);
void ps__buf_free(ps__buf_t *b);

#endif
