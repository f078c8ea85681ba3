/*
 * Opening an input file that must be a regular file: a ledger, the INI,
 * the explanations. A FIFO, a device or a socket would block the run (and
 * the lock with it) or never end, so it is refused with its name before
 * anything is read from it.
 */
#ifndef PS_INFILE_H
#define PS_INFILE_H

#include "base/buf.h"

/*
 * Opens `path` for reading without blocking on a FIFO, and checks what was
 * opened is a regular file (a symbolic link to one is fine). Returns the
 * descriptor (blocking, close-on-exec), or -1 with "PATH: …" in `err`:
 * "cannot open: No such file or directory", "is not a regular file (a FIFO)".
 */
int ps__infile_open(const char *path, ps__buf_t *err);

#endif
