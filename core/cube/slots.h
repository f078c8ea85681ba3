/*
 * Open-addressing slots for the core's hash tables (interned strings, the
 * cube's series and tag tuples): each slot keeps its entry's id + 1 (0:
 * empty) beside the entry's 32-bit hash. A probe looks at an entry's key
 * only when the hashes agree, so a miss rarely touches the entries; and
 * growing the table moves slots by their stored hash without reading a
 * single key.
 */
#ifndef PS_SLOTS_H
#define PS_SLOTS_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t ps__slot_t;

static inline ps__slot_t ps__slot_make(uint32_t hash, uint32_t id)
{
    return (uint64_t)hash << 32 | (uint64_t)(id + 1);
}

static inline int ps__slot_empty(ps__slot_t v)
{
    return (uint32_t)v == 0;
}

static inline uint32_t ps__slot_id(ps__slot_t v)
{
    return (uint32_t)v - 1;
}

static inline uint32_t ps__slot_hash(ps__slot_t v)
{
    return (uint32_t)(v >> 32);
}

/*
 * The slot of the entry with `hash` whose key `same(arg, id)` confirms, or
 * the empty slot where it would go. n is a power of two, never full.
 */
static inline size_t ps__slots_find(const ps__slot_t *slots, size_t n, uint32_t hash,
                                    int (*same)(const void *arg, uint32_t id),
                                    const void *arg)
{
    size_t mask = n - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        ps__slot_t v = slots[i];
        if (ps__slot_empty(v) || (ps__slot_hash(v) == hash && same(arg, ps__slot_id(v))))
            return i;
    }
}

/* Doubles *slots (*n of them; 0: none yet, then `first`), moving every entry
   by its stored hash. 0, or PS_ENOMEM with the table unchanged. */
int ps__slots_grow(ps__slot_t **slots, size_t *n, size_t first);

#endif
