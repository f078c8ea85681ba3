#include "config.h"

#include "base/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"

void ps__diag_add(ps__diag_t *d, const char *fmt, ...)
{
    ps__buf_t b = PS_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    ps__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *msg = ps__buf_take(&b);
    if (msg && d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        char **m = realloc(d->messages, cap * sizeof *m);
        if (!m) {
            free(msg);
            msg = NULL;
        } else {
            d->messages = m;
            d->cap = cap;
        }
    }
    if (!msg) {
        d->out_of_memory = 1;
        return;
    }
    d->messages[d->count++] = msg;
}

void ps__diag_log(const ps__diag_t *d)
{
    for (size_t i = 0; i < d->count; i++)
        ps__log(PS_LOG_ERROR, "%s", d->messages[i]);
    if (d->out_of_memory)
        ps__log(PS_LOG_ERROR, "out of memory while reporting errors");
}

void ps__diag_free(ps__diag_t *d)
{
    for (size_t i = 0; i < d->count; i++)
        free(d->messages[i]);
    free(d->messages);
    *d = (ps__diag_t){ 0 };
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *ps__suggest(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    size_t len = strlen(word);
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    return best_d <= limit ? best : NULL;
}
