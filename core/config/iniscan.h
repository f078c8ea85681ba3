/*
 * What iniparser does not say: it keeps no line numbers, lets a repeated
 * key silently win, and fails a whole file on a line over 1024 bytes with
 * little to go on. This scan reads the file once more, as text, and says
 * where.
 */
#ifndef PS_INISCAN_H
#define PS_INISCAN_H

#include "base/diag.h"

/* Reports repeated keys and over-long lines of `path` in `diag`; returns how
   many problems it found (0 when the file cannot be read: the caller says). */
int ps__ini_scan(const char *path, ps__diag_t *diag);

#endif
