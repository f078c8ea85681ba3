#include "config.h"

#include "cube/pool.h"

#include <stdlib.h>

#include "cube/prefault.h"

struct ps__pool_chunk {
    ps__pool_chunk_t *next;
    _Alignas(16) char data[];
};

/* The first chunk is small, for the many small ledgers; they double up to
   the largest, so that a big ledger takes few. */
#define FIRST_CHUNK ((size_t)64 << 10)
#define LARGEST_CHUNK ((size_t)8 << 20)

void ps__pool_init(ps__pool_t *pool, size_t first, size_t step)
{
    *pool = (ps__pool_t){ .first = first, .step = step, .next_chunk = FIRST_CHUNK };
}

/* A new chunk with room for at least `need` bytes. The old chunk's unused
   end is left: it is less than one block. */
static int add_chunk(ps__pool_t *pool, size_t need)
{
    size_t size = pool->next_chunk;
    while (size < need)
        size *= 2;
    ps__pool_chunk_t *c = malloc(sizeof *c + size);
    if (!c)
        return -1;
    ps__prefault(c->data, size); /* blocks are written as soon as taken */
    c->next = pool->chunks;
    pool->chunks = c;
    pool->next = c->data;
    pool->end = c->data + size;
    if (pool->next_chunk < LARGEST_CHUNK)
        pool->next_chunk *= 2;
    return 0;
}

/* size bytes from the newest chunk, or a new one. */
static void *bump(ps__pool_t *pool, size_t size)
{
    if ((size_t)(pool->end - pool->next) < size && add_chunk(pool, size) < 0)
        return NULL;
    void *p = pool->next;
    pool->next += size;
    return p;
}

void *ps__pool_alloc(ps__pool_t *pool, unsigned k)
{
    void **released = &pool->released[k];
    if (*released) {
        void *block = *released;
        *released = *(void **)block;
        return block;
    }
    size_t size = ps__pool_class_size(pool, k);
    if (pool->run && (size_t)(pool->run_end - pool->run) >= size) {
        void *block = pool->run;
        pool->run += size;
        return block;
    }
    return bump(pool, size);
}

void *ps__pool_bytes(ps__pool_t *pool, size_t n)
{
    return bump(pool, n);
}

static void push_released(ps__pool_t *pool, void *block, unsigned k)
{
    *(void **)block = pool->released[k];
    pool->released[k] = block;
}

/* Puts what is left of the run on the lists, in the largest blocks it
   makes (a remainder smaller than class 0 waits for ps__pool_clear), and
   empties it. */
static void end_run(ps__pool_t *pool)
{
    if (!pool->run)
        return;
    for (unsigned k = PS_POOL_CLASSES; k-- > 0 && pool->run < pool->run_end;) {
        size_t size = ps__pool_class_size(pool, k);
        for (; (size_t)(pool->run_end - pool->run) >= size; pool->run += size)
            push_released(pool, pool->run, k);
    }
    pool->run = pool->run_end = NULL;
}

void ps__pool_release(ps__pool_t *pool, void *block, unsigned k)
{
    if (block != pool->run_end) {
        end_run(pool);
        pool->run = pool->run_end = block;
    }
    pool->run_end += ps__pool_class_size(pool, k);
}

void ps__pool_adopt(ps__pool_t *into, ps__pool_t *from)
{
    if (from->chunks) {
        ps__pool_chunk_t *last = from->chunks;
        while (last->next)
            last = last->next;
        /* behind into's newest chunk, whose unused end stays into's to use */
        if (into->chunks) {
            last->next = into->chunks->next;
            into->chunks->next = from->chunks;
        } else {
            last->next = NULL;
            into->chunks = from->chunks;
            into->next = from->next;
            into->end = from->end;
        }
    }
    /* from's released blocks and run are not taken over (their lists can
       be long): they are freed with their chunks */
    ps__pool_init(from, from->first, from->step);
}

void ps__pool_clear(ps__pool_t *pool)
{
    for (ps__pool_chunk_t *c = pool->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    ps__pool_init(pool, pool->first, pool->step);
}
