/* Growing an array by doubling, so that appending n items one at a time
   costs O(n) in all, not the O(n²) of growing by one each time. */
#ifndef PS_GROW_H
#define PS_GROW_H

#include <stddef.h>

/*
 * Makes room for `need` items of `size` bytes in the array *items (a
 * pointer to the array's pointer), whose capacity *cap says how many fit:
 * reallocated to at least twice its capacity when it is too small. Returns
 * 0, or PS_ENOMEM (also when the size overflows), leaving the array as it
 * was.
 */
int ps__grow(void *items, size_t *cap, size_t need, size_t size);

#endif
