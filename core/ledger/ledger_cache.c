#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "ledger/reader.h"

/*
 * The reader's caches of recent values (see reader.h): strings per
 * column, and tag tuples. A ledger repeats a few indicators and tags and
 * an entity's name over consecutive rows: an equal value costs neither a
 * hash lookup nor validating its text again.
 */

/* The id of a text the column's cache misses. A month-ordered ledger names
   its entities in the same order every month, and they were interned in
   that order: the string after the column's last miss is the likeliest,
   and checking it reads memory in order where a lookup misses the cache.
   In a ledger in random order every guess is wrong and costs two misses
   of its own: after GUESSES_WRONG (reader.h) wrong ones in a row, only
   every 64th miss guesses, to notice when the order comes back. */

static uint32_t find_missed(reader_t *r, size_t col, const ps__intern_t *strings)
{
    const ps__csv_field_t *f = &r->f[col];
    column_cache_t *cc = &r->cache[col];
    uint32_t guess = cc->last_missed + 1;
    if (cc->guesses_wrong < GUESSES_WRONG || (r->line & 63) == 0) {
        if (ps__intern_is(strings, guess, f->p, f->len)) {
            cc->guesses_wrong = 0;
            return guess;
        }
        cc->guesses_wrong++;
    }
    return ps__intern_find(strings, f->p, f->len);
}

/* A string already interned was valid UTF-8 when it was added: only a new
   one needs checking, so every row still gets its error. */
int ps__ledger_intern_uncached(reader_t *r, size_t col, cached_text_t *cc,
                               text_words_t w, uint32_t *id)
{
    const ps__csv_field_t *f = &r->f[col];
    ps__intern_t *strings = ps__cube_strings(r->cube);
    *id = find_missed(r, col, strings);
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
    r->cache[col].last_missed = *id;
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
