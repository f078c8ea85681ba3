#include "config.h"

#include "slots.h"

#include <stdlib.h>

#include <parkstat/error.h>

/*
 * Writes a zero into every page of a fresh table before it is probed. A
 * large calloc is pages the kernel has not mapped yet; the moves below read
 * a slot before they write it, and a read maps the page to the shared zero
 * page, so the write takes a second fault that copies it and flushes the
 * TLB of every CPU the process runs on: an interrupt to the other reading
 * thread each time (measured: 6% of a two-thread read, in this function).
 * Written first, each page takes one fault. Volatile: the compiler would
 * drop stores of zero into calloc'd memory.
 */
static void write_each_page(void *p, size_t bytes)
{
    volatile char *b = p;
    for (size_t i = 0; i < bytes; i += 4096)
        b[i] = 0;
}

int ps__slots_grow(ps__slot_t **slots, size_t *n, size_t first)
{
    size_t grown = *n ? *n * 2 : first, mask = grown - 1;
    ps__slot_t *to = calloc(grown, sizeof *to);
    if (!to)
        return PS_ENOMEM;
    write_each_page(to, grown * sizeof *to);
    for (size_t i = 0; i < *n; i++) {
        ps__slot_t v = (*slots)[i];
        if (ps__slot_empty(v))
            continue;
        size_t at = ps__slot_hash(v) & mask;
        while (!ps__slot_empty(to[at]))
            at = (at + 1) & mask;
        to[at] = v;
    }
    free(*slots);
    *slots = to;
    *n = grown;
    return 0;
}
