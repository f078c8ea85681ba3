#include "config.h"

#include "cube/intern.h"
#include "cube/pool.h"
#include "cube/slots.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#define HASH_SEED 1469598103934665603ULL

struct ps__intern {
    char **strings;    /* id -> string */
    uint32_t *lengths; /* id -> length */
    size_t count, cap;
    ps__slot_t *slots; /* by the strings' hashes */
    size_t nslots;
    ps__pool_t text;   /* the strings' bytes, back to back */
};

/* Eight bytes per step, each folded in with a multiply: ledgers' strings
   (entity names of 20 to 40 bytes) hash in a few steps, not one per byte. */
uint64_t ps__hash_bytes(const void *p, size_t len, uint64_t seed)
{
    const unsigned char *b = p;
    uint64_t h = seed ^ (len * 0x9E3779B97F4A7C15ULL);
    for (; len >= 8; b += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 29;
    }
    if (len) {
        uint64_t w = 0;
        memcpy(&w, b, len);
        h = (h ^ w) * 0x94D049BB133111EBULL;
    }
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    return h ^ (h >> 32);
}

static char *store_copy(ps__intern_t *in, const char *s, size_t len)
{
    char *p = ps__pool_bytes(&in->text, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* What a probe compares: the string looked for, against an entry's. */
typedef struct probe {
    const ps__intern_t *in;
    const char *s;
    size_t len;
} probe_t;

static int same_string(const void *arg, uint32_t id)
{
    const probe_t *p = arg;
    return p->in->lengths[id] == p->len && memcmp(p->in->strings[id], p->s, p->len) == 0;
}

static uint32_t string_hash(const char *s, size_t len)
{
    return (uint32_t)ps__hash_bytes(s, len, HASH_SEED);
}

static size_t slot_of(const ps__intern_t *in, const char *s, size_t len, uint32_t hash)
{
    probe_t p = { in, s, len };
    return ps__slots_find(in->slots, in->nslots, hash, same_string, &p);
}

static int grow_ids(ps__intern_t *in)
{
    size_t cap = in->cap ? in->cap * 2 : 256;
    char **s = realloc(in->strings, cap * sizeof *s);
    if (!s)
        return PS_ENOMEM;
    in->strings = s;
    uint32_t *l = realloc(in->lengths, cap * sizeof *l);
    if (!l)
        return PS_ENOMEM;
    in->lengths = l;
    in->cap = cap;
    return 0;
}

int ps__intern_id(ps__intern_t *in, const char *s, size_t len, uint32_t *id)
{
    if ((in->count + 1) * 2 > in->nslots && ps__slots_grow(&in->slots, &in->nslots, 256) < 0)
        return PS_ENOMEM;
    uint32_t hash = string_hash(s, len);
    size_t slot = slot_of(in, s, len, hash);
    if (!ps__slot_empty(in->slots[slot])) {
        *id = ps__slot_id(in->slots[slot]);
        return 0;
    }
    if (in->count == in->cap && grow_ids(in) < 0)
        return PS_ENOMEM;
    char *copy = store_copy(in, s, len);
    if (!copy)
        return PS_ENOMEM;
    in->strings[in->count] = copy;
    in->lengths[in->count] = (uint32_t)len;
    *id = (uint32_t)in->count++;
    in->slots[slot] = ps__slot_make(hash, *id);
    return 0;
}

uint32_t ps__intern_find(const ps__intern_t *in, const char *s, size_t len)
{
    if (!in->nslots)
        return UINT32_MAX;
    ps__slot_t v = in->slots[slot_of(in, s, len, string_hash(s, len))];
    return ps__slot_empty(v) ? UINT32_MAX : ps__slot_id(v);
}

int ps__intern_is(const ps__intern_t *in, uint32_t id, const char *s, size_t len)
{
    return id < in->count && in->lengths[id] == len && memcmp(in->strings[id], s, len) == 0;
}

const char *ps__intern_str(const ps__intern_t *in, uint32_t id)
{
    return id < in->count ? in->strings[id] : NULL;
}

size_t ps__intern_count(const ps__intern_t *in)
{
    return in->count;
}

ps__intern_t *ps__intern_new(void)
{
    ps__intern_t *in = calloc(1, sizeof *in);
    uint32_t empty;
    if (in)
        ps__pool_init(&in->text, 16, 16); /* bytes only: no class is used */
    if (!in || ps__intern_id(in, "", 0, &empty) < 0) {
        ps__intern_free(in);
        return NULL;
    }
    return in;
}

void ps__intern_free(ps__intern_t *in)
{
    if (!in)
        return;
    ps__pool_clear(&in->text);
    free(in->strings);
    free(in->lengths);
    free(in->slots);
    free(in);
}
