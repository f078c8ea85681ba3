#include "config.h"

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int buf_reserve(ps__buf_t *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void ps__buf_append(ps__buf_t *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ps__buf_puts(ps__buf_t *b, const char *s)
{
    ps__buf_append(b, s, strlen(s));
}

void ps__buf_vprintf(ps__buf_t *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n >= 0 && buf_reserve(b, (size_t)n) == 0) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void ps__buf_printf(ps__buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps__buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *ps__buf_str(const ps__buf_t *b)
{
    return b->data && !b->failed ? b->data : "";
}

char *ps__buf_take(ps__buf_t *b)
{
    char *s = b->failed ? NULL : b->data;
    if (b->failed)
        free(b->data);
    else if (!s)
        s = calloc(1, 1);
    *b = (ps__buf_t)PS_BUF_INIT;
    return s;
}

void ps__buf_reset(ps__buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void ps__buf_free(ps__buf_t *b)
{
    free(b->data);
    *b = (ps__buf_t)PS_BUF_INIT;
}
