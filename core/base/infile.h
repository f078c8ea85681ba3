/*
 * Opening an input file that must be a regular file: a ledger, the INI,
 * the explanations. A FIFO, a device or a socket would block the run (and
 * the lock with it) or never end, so it is refused with its name before
 * anything is read from it.
 */
#ifndef PS_INFILE_H
#define PS_INFILE_H

#include <sys/types.h>
#include <time.h>

#include "base/buf.h"

/*
 * Opens `path` for reading without blocking on a FIFO, and checks what was
 * opened is a regular file (a symbolic link to one is fine). Returns the
 * descriptor (blocking, close-on-exec), or -1 with "PATH: …" in `err`:
 * "cannot open: No such file or directory", "is not a regular file (a FIFO):
 * refused", "is a directory, not a file: refused".
 */
int ps__infile_open(const char *path, ps__buf_t *err);

/* The same check of a descriptor already open, named `name` in err. */
int ps__infile_check(int fd, const char *name, ps__buf_t *err);

/*
 * What a file was when its reading began, to tell afterwards whether it
 * changed meanwhile: a department's copy still being written may be read
 * half old, half new, or cut in the middle of a row. Its size and
 * modification time tell a file written to; its device and inode, one
 * replaced under its name.
 */
typedef struct ps__infile_stamp {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} ps__infile_stamp_t;

/* Stamps the file open on fd; 0, or -1 when it cannot be examined. */
int ps__infile_stamp(int fd, ps__infile_stamp_t *stamp);

/*
 * 0 when the file open on fd, and the file `path` names (unless NULL or
 * gone), is still the one stamped; else -1 with "NAME: changed while being
 * read (was N bytes, now M): try again when it is complete" in err.
 */
int ps__infile_unchanged(const ps__infile_stamp_t *was, int fd, const char *path,
                         const char *name, ps__buf_t *err);

#endif
