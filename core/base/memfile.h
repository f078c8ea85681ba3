/*
 * For libraries that write only to a file name (libxlsxwriter): the bytes
 * go to an anonymous memory file, never to the file system, and come back
 * into a buffer, so that the output writer stays the only code that
 * creates output files.
 */
#ifndef PS_MEMFILE_H
#define PS_MEMFILE_H

#include "base/buf.h"

/* Writes the file at `path`; returns 0 or a PS_E code after saying why. */
typedef int ps__memfile_writer(const char *path, void *ctx, ps__buf_t *why);

/* Runs `write` on a memory file and appends what it wrote to `out`.
   Returns its code, or PS_EIO when the memory file fails. */
int ps__memfile_render(ps__memfile_writer *write, void *ctx, ps__buf_t *out,
                       ps__buf_t *why);

#endif
