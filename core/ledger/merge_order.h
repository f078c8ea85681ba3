/*
 * The order in which the parts of a two-thread read (ledger_split.c) are
 * merged. Parts are listed in file order: the two halves and the shares
 * cut from the end of a part still being read, each right after the part
 * it was cut from. A merge appends a small part to the series it
 * continues, but copies the whole cube for a large one
 * (ps__cube_compact_tails), and a cube once copied takes any later
 * appended month at the cost of a copy of its series. So the shares go
 * first, from the last, each into the part before it while that part is
 * larger (the one it was cut from, or a share of it); then what is left
 * goes into the first part in file order. The bench's parts (two halves
 * and one to three shares) are thus copied once, not once for each.
 */
#ifndef PS_MERGE_ORDER_H
#define PS_MERGE_ORDER_H

#include <stddef.h>

/* Part `from`'s cells go after those of part `into`, which comes before
   it in the file and holds every part in between by then. */
typedef struct ps__merge_step {
    size_t from, into;
} ps__merge_step_t;

/* The n - 1 merges of n parts (n >= 1) that read bytes[k] bytes each,
   into steps, in the order they are to be made. */
void ps__merge_order(const size_t *bytes, size_t n, ps__merge_step_t *steps);

#endif
