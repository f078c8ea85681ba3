/*
 * Writing bytes out: to a descriptor whole, or to standard output. Output
 * files are created only by the output set (base/output_set.h).
 */
#ifndef PS_OUTPUT_H
#define PS_OUTPUT_H

#include <stddef.h>

#include "base/buf.h"

/* Writes all of data to fd, through short writes and interruptions: 0, or
   -1 with errno set. */
int ps__write_all(int fd, const char *data, size_t len);

/* Writes to standard output, reporting a failed write (a full disk, a closed pipe). */
int ps__output_stdout(const char *data, size_t len, ps__buf_t *err);

#endif
