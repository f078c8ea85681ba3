/*
 * The hand-over of the rest of a ledger's part from the thread reading it
 * to an idle thread (ledger_split.c). The two threads of a large ledger
 * start on its halves, but they seldom finish together: on a shared or
 * virtual machine one CPU may run at half speed for a while, and one
 * half be done well before the other. The thread that finishes first
 * asks for the second half of what
 * the other has left; the other answers at its next checkpoint, a few
 * thousand records later: it hands over, and its part ends where the
 * asker's begins, or it refuses, when it has already read past that point
 * or finished.
 *
 * One reader and one asker per part at a time. The reader publishes where
 * it is at each checkpoint; only the reader moves its part's end, and only
 * when it answers an ask.
 */
#ifndef PS_HANDOVER_H
#define PS_HANDOVER_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct ps__handover {
    atomic_size_t reached; /* the reader's offset at its last checkpoint */
    atomic_int state;      /* reading, asked, finished */
    atomic_int answer;     /* none yet, handed over, refused */
    size_t cut;            /* where the asker asks the part to end */
    size_t end;            /* where the part ends */
} ps__handover_t;

/* A part of [from, end) that its reader is about to read. */
void ps__handover_init(ps__handover_t *h, size_t from, size_t end);

/* The reader, now and then, at offset `at`: 1 when it has handed the rest
   over and its part now ends at *end (it must stop there), else 0. */
int ps__handover_checkpoint(ps__handover_t *h, size_t at, size_t *end);

/* The reader, at the end of its part: any ask after this is refused. */
void ps__handover_finish(ps__handover_t *h);

/* Where the reader was at its last checkpoint, and where its part ends:
   what another thread may ask for a share of. */
size_t ps__handover_reached(ps__handover_t *h);
size_t ps__handover_end(const ps__handover_t *h);

/*
 * Another thread asks for the rest of the part from `cut` on (past the
 * reached offset, before the end). Waits for the reader's answer. 1 when
 * handed over: [cut, *rest_end) is now the asker's to read; 0 when refused.
 */
int ps__handover_ask(ps__handover_t *h, size_t cut, size_t *rest_end);

#endif
