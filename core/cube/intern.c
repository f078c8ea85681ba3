/*
 * The string table: a string's id found by one probe of open-addressing
 * slots that point at its text. A ledger in random order looks up an
 * entity name that no cache holds on every row, and each memory level
 * between the hash and the text is a miss: a slot holds the hash, the id
 * and the text (its length just before it), so a lookup touches the slot
 * and the text and nothing else.
 */
#include "config.h"

#include "cube/intern.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#define HASH_SEED 1469598103934665603ULL
/* The texts are copied into chunks of this size (or one of its own for a
   longer text), kept until the table is freed. */
#define CHUNK_BYTES ((size_t)64 << 10)

typedef struct slot {
    uint32_t hash;
    uint32_t id;       /* + 1; 0: empty */
    const char *text;  /* its length in the four bytes before it */
} slot_t;

typedef struct chunk {
    struct chunk *older;
    size_t used, size;
    char bytes[];
} chunk_t;

struct ps__intern {
    const char **strings; /* id -> text */
    size_t count, cap;
    slot_t *slots;
    size_t nslots;         /* a power of two, at most two thirds full: a
                              million entities' slots are 16 MiB, where
                              half full would often double them */
    chunk_t *chunk;        /* the newest */
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

static uint32_t length_of(const char *text)
{
    uint32_t len;
    memcpy(&len, text - sizeof len, sizeof len);
    return len;
}

/* A copy of s[0..len) behind its length, NUL-terminated. */
static const char *store_copy(ps__intern_t *in, const char *s, size_t len)
{
    size_t need = sizeof(uint32_t) + len + 1;
    chunk_t *c = in->chunk;
    if (!c || c->size - c->used < need) {
        size_t size = need > CHUNK_BYTES ? need : CHUNK_BYTES;
        if (!(c = malloc(sizeof *c + size)))
            return NULL;
        *c = (chunk_t){ .older = in->chunk, .size = size };
        in->chunk = c;
    }
    char *p = c->bytes + c->used;
    uint32_t n = (uint32_t)len;
    memcpy(p, &n, sizeof n);
    memcpy(p + sizeof n, s, len);
    p[sizeof n + len] = '\0';
    c->used += need;
    return p + sizeof n;
}

static uint32_t string_hash(const char *s, size_t len)
{
    return (uint32_t)ps__hash_bytes(s, len, HASH_SEED);
}

/* The slot of s, or the empty slot where it would go. */
static slot_t *slot_of(const ps__intern_t *in, const char *s, size_t len, uint32_t hash)
{
    size_t mask = in->nslots - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        slot_t *v = &in->slots[i];
        if (!v->id || (v->hash == hash && length_of(v->text) == len &&
                       memcmp(v->text, s, len) == 0))
            return v;
    }
}

static int grow_slots(ps__intern_t *in)
{
    size_t n = in->nslots ? in->nslots * 2 : 256, mask = n - 1;
    slot_t *to = calloc(n, sizeof *to);
    if (!to)
        return PS_ENOMEM;
    for (size_t i = 0; i < in->nslots; i++) {
        const slot_t *v = &in->slots[i];
        if (!v->id)
            continue;
        size_t at = v->hash & mask;
        while (to[at].id)
            at = (at + 1) & mask;
        to[at] = *v;
    }
    free(in->slots);
    in->slots = to;
    in->nslots = n;
    return 0;
}

static int grow_ids(ps__intern_t *in)
{
    size_t cap = in->cap ? in->cap * 2 : 256;
    const char **s = realloc(in->strings, cap * sizeof *s);
    if (!s)
        return PS_ENOMEM;
    in->strings = s;
    in->cap = cap;
    return 0;
}

int ps__intern_id(ps__intern_t *in, const char *s, size_t len, uint32_t *id)
{
    if ((in->count + 1) * 3 > in->nslots * 2 && grow_slots(in) < 0)
        return PS_ENOMEM;
    uint32_t hash = string_hash(s, len);
    slot_t *slot = slot_of(in, s, len, hash);
    if (slot->id) {
        *id = slot->id - 1;
        return 0;
    }
    if (len > UINT32_MAX || (in->count == in->cap && grow_ids(in) < 0))
        return PS_ENOMEM;
    const char *copy = store_copy(in, s, len);
    if (!copy)
        return PS_ENOMEM;
    in->strings[in->count] = copy;
    *id = (uint32_t)in->count++;
    *slot = (slot_t){ hash, *id + 1, copy };
    return 0;
}

uint32_t ps__intern_prefetch(const ps__intern_t *in, const char *s, size_t len)
{
    uint32_t hash = string_hash(s, len);
    if (in->nslots)
        __builtin_prefetch(&in->slots[hash & (in->nslots - 1)]);
    return hash;
}

void ps__intern_prefetch_text(const ps__intern_t *in, uint32_t hash)
{
    const slot_t *v = in->nslots ? &in->slots[hash & (in->nslots - 1)] : NULL;
    if (v && v->id && v->hash == hash)
        __builtin_prefetch(v->text - sizeof(uint32_t));
}

uint32_t ps__intern_find(const ps__intern_t *in, const char *s, size_t len)
{
    if (!in->nslots)
        return UINT32_MAX;
    const slot_t *slot = slot_of(in, s, len, string_hash(s, len));
    return slot->id ? slot->id - 1 : UINT32_MAX;
}

int ps__intern_is(const ps__intern_t *in, uint32_t id, const char *s, size_t len)
{
    return id < in->count && length_of(in->strings[id]) == len &&
           memcmp(in->strings[id], s, len) == 0;
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
    while (in->chunk) {
        chunk_t *older = in->chunk->older;
        free(in->chunk);
        in->chunk = older;
    }
    free(in->strings);
    free(in->slots);
    free(in);
}
