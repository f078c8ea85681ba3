#include "config.h"

#include "base/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#define FIRST_CAPACITY 8

int ps__grow(void *items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t grown = *cap ? *cap : FIRST_CAPACITY;
    while (grown < need) {
        if (grown > SIZE_MAX / 2)
            return PS_ENOMEM;
        grown *= 2;
    }
    if (grown > SIZE_MAX / size)
        return PS_ENOMEM;
    void *old;
    memcpy(&old, items, sizeof old);
    void *p = realloc(old, grown * size);
    if (!p)
        return PS_ENOMEM;
    memcpy(items, &p, sizeof p);
    *cap = grown;
    return 0;
}
