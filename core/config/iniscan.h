/*
 * What iniparser does not say: it keeps no line numbers, lets a repeated
 * key silently win, ignores keys before the first [section], takes bytes
 * that are not UTF-8 into every output, and fails a whole file on a line
 * over 1024 bytes or without '=' with little to go on. This scan reads the
 * file once more, as text, and says where; iniparser reads it only when
 * the scan found nothing, so that its own terser messages never show.
 */
#ifndef PS_INISCAN_H
#define PS_INISCAN_H

#include <stddef.h>

#include "base/diag.h"

/* Where each key was set: "section:key" (lower case, as iniparser folds
   it) and its line. */
typedef struct ps__ini_lines {
    struct ps__ini_key *keys;
    size_t n;
} ps__ini_lines_t;

/*
 * Reports, each as "FILE:LINE: …" in `diag`: over-long lines, lines that
 * are not UTF-8, lines iniparser cannot read (no '=', no key), keys before
 * the first section and repeated keys. Returns how many problems it found
 * (0 when the file cannot be read: the caller says). Keeps where each key
 * was set in `lines` when it is not NULL (free with ps__ini_lines_free).
 */
int ps__ini_scan(const char *path, ps__ini_lines_t *lines, ps__diag_t *diag);

/* The line that set [section] key, or 0 when none did. */
unsigned long ps__ini_line(const ps__ini_lines_t *lines, const char *section,
                           const char *key);
void ps__ini_lines_free(ps__ini_lines_t *lines);

#endif
