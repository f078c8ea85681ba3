/*
 * A pool of blocks for arrays that grow through a few sizes: the months of
 * the cube's series. A ledger creates hundreds of thousands of series and each
 * one's months grow three or four times; through malloc, that is a million
 * allocations, reallocations and frees, each with its header and its
 * search, and the blocks end up scattered. Here a block is a bump of a
 * pointer in a large chunk, a grown-out block waits on its class's list for
 * the next series that needs one of its size, and freeing the pool frees a
 * few chunks.
 *
 * Block sizes are classes: class 0 holds `first` bytes, and class k > 0
 * `step << (k - 1)`, so that the sizes a user's arrays grow through (four
 * months, a year, two years...) waste little.
 *
 * Blocks given back one right after the other make a run, from which a
 * block of any class is cut: a ledger in month order creates every series
 * in its first month and grows them all, in the same order, in its fifth,
 * giving back every block of four months, side by side, where nothing asks
 * for one again. Cut into blocks of a year, they spare a third of the
 * fresh memory the growth would take, and fresh memory is costly: the
 * kernel clears each page (on a virtual machine that hands freed memory
 * back to its host, at times the largest share of a run's system time).
 *
 * The pool never returns a block to the system by itself; ps__pool_clear
 * does, all at once. A pool may hand out plain bytes instead (the
 * interned strings), kept until it is cleared; one pool serves either
 * blocks or bytes, not both.
 */
#ifndef PS_POOL_H
#define PS_POOL_H

#include <stddef.h>

#define PS_POOL_CLASSES 32

typedef struct ps__pool_chunk ps__pool_chunk_t;

typedef struct ps__pool {
    size_t first, step;            /* bytes in a block of class 0, of 1 */
    ps__pool_chunk_t *chunks;      /* newest first */
    char *next, *end;              /* the newest chunk's unused bytes */
    size_t next_chunk;             /* the size of the chunk to come */
    void *released[PS_POOL_CLASSES]; /* blocks given back, by class */
    char *run, *run_end;           /* the latest blocks given back, back
                                      to back, not on any class's list */
} ps__pool_t;

/* An empty pool of blocks of `first` bytes (class 0) and `step << (k - 1)`
   (class k > 0); both multiples of 16. */
void ps__pool_init(ps__pool_t *pool, size_t first, size_t step);

/* The bytes in a block of class k. */
static inline size_t ps__pool_class_size(const ps__pool_t *pool, unsigned k)
{
    return k ? pool->step << (k - 1) : pool->first;
}

/* A block of class k (< PS_POOL_CLASSES): a given-back block of its class,
   else one cut from the run of given-back blocks, else a fresh one; NULL
   when memory is short. */
void *ps__pool_alloc(ps__pool_t *pool, unsigned k);

/* n bytes, unaligned, never given back on their own; NULL when memory is
   short. For a pool that hands out no blocks. */
void *ps__pool_bytes(ps__pool_t *pool, size_t n);

/* Gives back a block of class k that ps__pool_alloc gave: it joins the run
   when it lies right after it; else the run's blocks go to their classes'
   lists, and a new run starts with it. */
void ps__pool_release(ps__pool_t *pool, void *block, unsigned k);

/* Takes over every block of `from` (of the same classes), which is left
   empty. */
void ps__pool_adopt(ps__pool_t *into, ps__pool_t *from);

/* Frees every chunk: every block of the pool is gone. */
void ps__pool_clear(ps__pool_t *pool);

#endif
