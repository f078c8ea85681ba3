/*
 * Diagnostics: every configuration or input problem found in one pass, kept
 * so that the user sees all of them at once, like a compiler's errors.
 */
#ifndef PS_DIAG_H
#define PS_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef struct ps__diag {
    char **messages;
    size_t count, cap;
    int out_of_memory;
} ps__diag_t;

void ps__diag_add(ps__diag_t *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Logs each message as an error (see log.h). */
void ps__diag_log(const ps__diag_t *d);
void ps__diag_free(ps__diag_t *d);

/* The candidate closest to `word` by edit distance, if close enough to be a
   likely typo; NULL otherwise. */
const char *ps__suggest(const char *word, const char *const *candidates, size_t n);

#endif
