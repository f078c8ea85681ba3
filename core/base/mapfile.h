/*
 * A file mapped into memory for the CSV reader: private (the reader undoes
 * "" escapes in place without touching the file), followed by a NUL byte (the
 * reader's sentinel), and read sequentially. The kernel pages it in and out,
 * so a ledger larger than memory still works and costs no buffer copies.
 */
#ifndef PS_MAPFILE_H
#define PS_MAPFILE_H

#include <stddef.h>

typedef struct ps__mapfile {
    char *data;     /* data[len] == '\0' */
    size_t len;
    size_t mapped;  /* bytes reserved, for unmapping */
    size_t released;/* bytes before it are given back */
} ps__mapfile_t;

/* Maps the regular, non-empty file open on fd: 1 when mapped, 0 when fd
   cannot be mapped (a pipe, an empty file: read it instead), -1 on error. */
int ps__mapfile_open(ps__mapfile_t *m, int fd);
void ps__mapfile_close(ps__mapfile_t *m);

/* Gives back the pages wholly before `upto` - PS_MAPFILE_RELEASE_LAG, which
   the reader has passed and will not read again, once they make at least
   PS_MAPFILE_RELEASE_STEP bytes: peak memory stays flat however long the
   file. mapfile.c says why the lag. The step is large because each call
   flushes the TLB of every CPU the process runs on, an interrupt to the
   other reading thread: 2 MB rather than 256 KB made a two-thread read of
   the 10M-row bench 15% faster, for 2.5 MB more at the peak. */
#define PS_MAPFILE_RELEASE_LAG (1u << 20)
#define PS_MAPFILE_RELEASE_STEP (2u << 20)
void ps__mapfile_release(ps__mapfile_t *m, size_t upto);

/* Gives back every page not given back yet: the reader is done with the
   file, though the mapping stays until ps__mapfile_close. */
void ps__mapfile_release_all(ps__mapfile_t *m);

#endif
