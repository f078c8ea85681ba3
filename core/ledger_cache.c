#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "ledger_impl.h"

/*
 * The reader's caches of recent values (see ledger_impl.h): strings per
 * column, and tag tuples. A ledger repeats a few indicators and tags and
 * an entity's name over consecutive rows: an equal value costs neither a
 * hash lookup nor validating its text again.
 */

/* The first and last eight bytes of p[0..len), zero-padded when shorter;
   `readable` bytes from p may be read, however short the field. */
static text_words_t words_of(const char *p, size_t len, size_t readable)
{
    text_words_t w = { 0, 0 };
    if (len >= 8) {
        memcpy(&w.head, p, 8);
        memcpy(&w.tail, p + len - 8, 8);
        return w;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (readable >= 8) { /* one load, the bytes past the field masked off */
        memcpy(&w.head, p, 8);
        w.head &= len ? ~0ULL >> (64 - 8 * len) : 0;
        return w;
    }
#else
    (void)readable;
#endif
    for (size_t i = 0; i < len; i++) /* no call to memcpy for a few bytes */
        w.head |= (uint64_t)(unsigned char)p[i] << (8 * i);
    return w;
}

/* Mixed, so that values sharing a length and their end bytes (国税 and 地税,
   entity names numbered at the end) do not evict each other row after row. */
static size_t cache_way(text_words_t w, size_t len)
{
    uint64_t h = (w.head * 0x9E3779B97F4A7C15ULL) ^ ((w.tail + len) * 0xC2B2AE3D27D4EB4FULL);
    return (size_t)(h >> 60) % CACHE_WAYS;
}

static int cached_equal(const cached_text_t *cc, text_words_t w, const char *p, size_t len)
{
    if (cc->len != len || cc->words.head != w.head || cc->words.tail != w.tail)
        return 0;
    /* the bytes between the first and last eight, a word at a time (a
       library call costs more than the compare for names of a few words) */
    for (size_t i = 8; i + 8 < len; i += 8) {
        uint64_t a, b;
        memcpy(&a, cc->text + i, 8);
        memcpy(&b, p + i, 8);
        if (a != b)
            return 0;
    }
    return 1;
}

/* A string already interned was valid UTF-8 when it was added: only a new
   one needs checking, so every row still gets its error. */
int ps__ledger_intern_field(reader_t *r, size_t col, uint32_t *id)
{
    const ps__csv_field_t *f = &r->f[col];
    size_t readable = r->map ? (size_t)(r->map->data + r->map->mapped - f->p) : f->len;
    text_words_t w = words_of(f->p, f->len, readable);
    cached_text_t *cc = &r->cache[col].way[cache_way(w, f->len)];
    if (cached_equal(cc, w, f->p, f->len)) {
        *id = cc->id;
        return 0;
    }
    ps__intern_t *strings = ps__cube_strings(r->cube);
    *id = ps__intern_find(strings, f->p, f->len);
    if (*id == UINT32_MAX) {
        const char *s;
        size_t len;
        int rc = ps__ledger_field_text(r, col, &s, &len);
        if (rc == 0)
            rc = ps__intern_id(strings, s, len, id);
        if (rc < 0)
            return rc;
    }
    cc->len = f->len <= CACHED_TEXT ? f->len : NOTHING_CACHED;
    if (f->len <= CACHED_TEXT)
        memcpy(cc->text, f->p, f->len);
    cc->words = w;
    cc->id = *id;
    return 0;
}

/* The caches of a reader whose header is read, all empty. */
int ps__ledger_alloc_caches(reader_t *r)
{
    if (!(r->cache = calloc(r->h.ncols, sizeof *r->cache)))
        return PS_ENOMEM;
    for (size_t i = 0; i < r->h.ncols; i++)
        for (size_t w = 0; w < CACHE_WAYS; w++)
            r->cache[i].way[w].len = NOTHING_CACHED;
    for (size_t i = 0; i < TUPLE_WAYS; i++)
        r->tuples[i].n = SIZE_MAX;
    return 0;
}

static size_t tuple_way(const ps__tag_pair_t *pairs, size_t n)
{
    uint64_t h = n;
    for (size_t i = 0; i < n; i++)
        h = (h ^ pairs[i].value) * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 60) % TUPLE_WAYS;
}

/* From the cache, or the cube (which sorts the pairs). */
int ps__ledger_tuple_id(reader_t *r, ps__tag_pair_t *pairs, size_t n, uint32_t *id)
{
    if (n > CACHED_PAIRS)
        return ps__cube_tags_id(r->cube, pairs, n, id);
    tuple_cache_t *tc = &r->tuples[tuple_way(pairs, n)];
    size_t same = 0;
    while (tc->n == n && same < n && tc->pairs[same].tag == pairs[same].tag &&
           tc->pairs[same].value == pairs[same].value)
        same++;
    if (tc->n == n && same == n) {
        *id = tc->id;
        return 0;
    }
    tc->n = SIZE_MAX;
    memcpy(tc->pairs, pairs, n * sizeof *pairs); /* before the cube sorts them */
    int rc = ps__cube_tags_id(r->cube, pairs, n, id);
    if (rc == 0) {
        tc->n = n;
        tc->id = *id;
    }
    return rc;
}
