/*
 * A file mapped into memory for the CSV reader: private (the reader undoes
 * "" escapes in place without touching the file), followed by a NUL byte (the
 * reader's sentinel), and read sequentially. The kernel pages it in and out,
 * so a ledger larger than memory still works and costs no buffer copies.
 */
#ifndef PS_MAPFILE_H
#define PS_MAPFILE_H

#include <setjmp.h>
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

/*
 * A file that shrinks while it is mapped (a department's copy still being
 * written, truncated and rewritten) takes its lost pages with it: reading
 * one raises SIGBUS, which would kill the run without a word. A guard
 * turns that fault into a jump back to the reader, which then names the
 * file. Armed once per file and thread, it costs nothing per byte read:
 *
 *     ps__mapguard_t guard;
 *     ps__mapguard_arm(&guard, map);
 *     if (sigsetjmp(guard.jump, 1) != 0) {    (the file lost pages)
 *         ps__mapguard_disarm(&guard);
 *         return ...;
 *     }
 *     ... read map->data ...
 *     ps__mapguard_disarm(&guard);
 *
 * The handler is installed while at least one guard is armed, in any
 * thread, and the previous one restored after the last: the plugins'
 * processes, forked later, keep the default action. A fault in this
 * thread's mapping jumps to its guard; any other SIGBUS goes to the
 * previous handler, or kills the process as it would have. Whatever the
 * code between sigsetjmp and the fault was doing is abandoned half done,
 * so it must only touch state its caller discards on error.
 */
typedef struct ps__mapguard {
    sigjmp_buf jump;
    const char *start, *end; /* the mapping it guards */
} ps__mapguard_t;

void ps__mapguard_arm(ps__mapguard_t *g, const ps__mapfile_t *m);
void ps__mapguard_disarm(ps__mapguard_t *g);

#endif
