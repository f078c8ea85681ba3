/*
 * The output writer: the only code that creates output files. A file is
 * written to a temporary name in the same directory, flushed to disk, and
 * renamed over the old one, so a reader sees the old or the new version,
 * never a mix.
 */
#ifndef PS_OUTPUT_H
#define PS_OUTPUT_H

#include <stddef.h>

#include "base/buf.h"

/* Writes dir/name atomically, first removing temporaries a killed run left.
   On failure the old file is intact and err says why. */
int ps__output_write(const char *dir, const char *name, const char *data,
                     size_t len, ps__buf_t *err);

/* Writes all of data to fd, through short writes and interruptions: 0, or
   -1 with errno set. */
int ps__write_all(int fd, const char *data, size_t len);

/* Writes to standard output, reporting a failed write (a full disk, a closed pipe). */
int ps__output_stdout(const char *data, size_t len, ps__buf_t *err);

#endif
