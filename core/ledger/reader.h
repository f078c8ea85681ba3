/*
 * The reader of one ledger's rows (reader.c), with its caches
 * (ledger_cache.c) and the row's fields (ledger_field.c): what a whole file
 * (ledger.c) and each part of a split one (ledger_split.c) are read with.
 * Nothing outside the ledger folder but its tests includes it.
 */
#ifndef PS_LEDGER_READER_H
#define PS_LEDGER_READER_H

#include <stdint.h>
#include <string.h>

#include "ledger/csv.h"
#include "ledger/ledger.h"
#include "base/mapfile.h"

#define MAX_TAGS 32
#define NO_COLUMN ((size_t)-1)

typedef struct header {
    size_t ncols;
    size_t period, indicator, value, unit, entity; /* NO_COLUMN when absent */
    size_t tag_col[MAX_TAGS];
    uint32_t tag_id[MAX_TAGS];
    size_t ntags;
    char **names;
} header_t;

/* Recent strings of a column and their ids: ledgers repeat a few values
   (indicators, tags) and an entity's name over consecutive rows, and an
   equal string needs neither hashing nor validating again. Direct-mapped
   by a mix of the first and last bytes. */
#define CACHED_TEXT 64
/* A field's first and last eight bytes (zero-padded when shorter): they
   pick its cache way and, up to 16 bytes, tell it apart by themselves. */
typedef struct text_words {
    uint64_t head, tail;
} text_words_t;
#define CACHE_WAYS 16
#define NOTHING_CACHED SIZE_MAX
typedef struct cached_text {
    char text[CACHED_TEXT];
    size_t len;   /* NOTHING_CACHED, or at most CACHED_TEXT */
    struct text_words words;
    uint32_t id;
} cached_text_t;
typedef struct column_cache {
    cached_text_t way[CACHE_WAYS];
    uint32_t last_missed; /* the id of the last text not in a way */
    unsigned guesses_wrong; /* in a row: past a few, the next is not
                               guessed (a ledger in random order) */
} column_cache_t;

/* What the configuration says of recent indicators, direct-mapped by id:
   rows cycle through a ledger's few indicators. */
#define INDICATOR_WAYS 16
typedef struct indicator_cache {
    uint32_t id;  /* UINT32_MAX: none yet */
    const char *declared;
    int declared_money;
} indicator_cache_t;

/* Recent tag tuples by their pairs in column order, direct-mapped: rows
   repeat a few combinations (an entity's industry with each collector),
   and a hit spares sorting, hashing and probing the cube's tuple table. */
#define TUPLE_WAYS 16
#define CACHED_PAIRS 4
typedef struct tuple_cache {
    size_t n;          /* SIZE_MAX: empty */
    ps__tag_pair_t pairs[CACHED_PAIRS];
    uint32_t id;
} tuple_cache_t;

/* Rows read ahead of the one being checked, in a mapped file: the first
   memory of each one's entity lookup is asked for as it is read, and has
   arrived when its turn comes (a ledger in random order waits on a cache
   miss for every entity). Their fields point into the mapping, which
   stays until the reader is PS_MAPFILE_RELEASE_LAG past them. */
#define ROWS_AHEAD 8
typedef struct ahead {
    ps__csv_field_t *fields;  /* ROWS_AHEAD rows of ncols fields */
    unsigned long line[ROWS_AHEAD];
    size_t n[ROWS_AHEAD];
    uint32_t hash[ROWS_AHEAD];/* of each one's entity, when prefetched */
    unsigned char fetching[ROWS_AHEAD];
    size_t first, count;      /* the oldest row's place, the rows held */
} ahead_t;

typedef struct reader {
    ps__cube_t *cube;
    ps__mapfile_t *map;    /* the file, when it is mapped */
    column_cache_t *cache; /* one per column */
    indicator_cache_t indicator[INDICATOR_WAYS];
    tuple_cache_t tuples[TUPLE_WAYS];
    char period_text[8];   /* the last period's text and value */
    ps_period_t period;
    ps_period_t latest;    /* the latest month a row may be about */
    const char *name;
    const ps__ledger_opts_t *opts;
    ps__ledger_stats_t *stats;
    ps__buf_t *err;
    header_t h;
    const ps__csv_field_t *f;
    unsigned long line;
    uint32_t line_base;    /* the lines of the source's files before this
                              one: a row's line in the cube is line_base +
                              line, so that one number names file and line */
    ahead_t ahead;         /* when the file is mapped and names entities */
    int lost_pages;        /* the mapped file shrank while read (SIGBUS) */
    int fd;                /* the file, for a message that rereads it; -1 */
} reader_t;

/* The text of column col of the row, checked to be UTF-8 (else the
   row's error, naming the encoding to declare). */
int ps__ledger_field_text(reader_t *r, size_t col, const char **s, size_t *len);
/* The name of the first invisible character in s[0..len) (a byte-order
   mark, which a ledger allows only at the start of the file, or a
   zero-width space or joiner), or NULL; the row's error naming column col
   for one. */
const char *ps__ledger_invisible(const char *s, size_t len);
int ps__invisible_error(reader_t *r, size_t col, const char *what);
/* Appends "NAME:LINE: " and the message to the reader's error; returns `code`. */
int ps__row_error(reader_t *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The caches (ledger_cache.c): set up empty, once the header is known (a
   column cache per column, and the tuple cache); the id of a row's tag
   pairs, in column order. */
int ps__ledger_alloc_caches(reader_t *r);
int ps__ledger_tuple_id(reader_t *r, ps__tag_pair_t *pairs, size_t n, uint32_t *id);

/* The first and last eight bytes of p[0..len), zero-padded when shorter;
   `readable` bytes from p may be read, however short the field. */
static inline text_words_t ps__words_of(const char *p, size_t len, size_t readable)
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
static inline size_t ps__cache_way(text_words_t w, size_t len)
{
    uint64_t h = (w.head * 0x9E3779B97F4A7C15ULL) ^ ((w.tail + len) * 0xC2B2AE3D27D4EB4FULL);
    return (size_t)(h >> 60) % CACHE_WAYS;
}

/* Whether cc holds the text p[0..len), whose words are w. */
static inline int ps__cached_equal(const cached_text_t *cc, text_words_t w, const char *p,
                                   size_t len)
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

/* The string id of column col's text, when it is not in the cache (with
   words w, whose way is cc): looked up or interned, and cached in cc. */
int ps__ledger_intern_uncached(reader_t *r, size_t col, cached_text_t *cc,
                               text_words_t w, uint32_t *id);

/* In a ledger in random order, column col's text will miss the cache and
   the guess: its lookup's first memory is asked for now, to arrive while
   other rows are read. 1 with *hash set when it was asked for. */
#define GUESSES_WRONG 8
static inline int ps__ledger_prefetch_field(reader_t *r, size_t col, uint32_t *hash)
{
    if (r->cache[col].guesses_wrong < GUESSES_WRONG)
        return 0;
    *hash = ps__intern_prefetch(ps__cube_strings(r->cube), r->f[col].p, r->f[col].len);
    return 1;
}

/* The string id of column col's text: from the column's cache, inline,
   as each row asks it for three or four columns. */
static inline int ps__ledger_intern_field(reader_t *r, size_t col, uint32_t *id)
{
    const ps__csv_field_t *f = &r->f[col];
    size_t readable = r->map ? (size_t)(r->map->data + r->map->mapped - f->p) : f->len;
    text_words_t w = ps__words_of(f->p, f->len, readable);
    cached_text_t *cc = &r->cache[col].way[ps__cache_way(w, f->len)];
    if (ps__cached_equal(cc, w, f->p, f->len)) {
        *id = cc->id;
        return 0;
    }
    return ps__ledger_intern_uncached(r, col, cc, w, id);
}

/*
 * Converts the ledger on `in` from `encoding` to UTF-8 into an anonymous
 * in-memory file (ledger_encoding.c), so that the reader sees only UTF-8.
 * Returns its descriptor, or -1 with "FILE:LINE: …" in err.
 */
int ps__ledger_to_utf8(int in, const char *encoding, const char *name, ps__buf_t *err);

/* A reader of one file into `cube`; ps__ledger_reader_free releases it. */
void ps__ledger_reader_init(reader_t *r, ps__cube_t *cube, const char *name,
                            const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                            ps__buf_t *err);
void ps__ledger_reader_free(reader_t *r);

/* The header record, from the start of csv. */
int ps__ledger_read_header(reader_t *r, ps__csv_t *csv);
/* The same columns as `from`, with tag names interned in r's cube. */
int ps__ledger_copy_header(reader_t *r, const reader_t *from);
/* Every record after the header, until csv's end or its restriction. */
int ps__ledger_read_body(reader_t *r, ps__csv_t *csv);

/*
 * Calls read(r, csv) with r's mapped file, if any, guarded (base/mapfile.h):
 * when the file shrinks under the reader, returns PS_EIO with r->lost_pages
 * set instead of dying of SIGBUS. What the reader and the cube held at
 * that moment may be half updated: the caller reports the file and
 * discards the cube's new rows (the run stops), freeing as usual.
 */
typedef int ps__ledger_read_fn(reader_t *r, ps__csv_t *csv);
int ps__ledger_read_guarded(reader_t *r, ps__csv_t *csv, ps__ledger_read_fn *read);

/* Keeps a skipped row's message among the source's first by line. */
int ps__ledger_keep_skip(ps__ledger_stats_t *stats, uint32_t line, const char *message);

/*
 * Reads a large mapped file in two threads when the machine has a second
 * CPU, its lines counted from line_base. Returns 1 when the file is read
 * into cube and stats as by the single-threaded reader, *lines set to its
 * lines; 0 when it should be read single-threaded (small file, one CPU,
 * any row error or skipped row, a unit that differs between the halves),
 * with cube and stats as they were; PS_EIO when the file shrank while read
 * (see ps__ledger_read_guarded); or PS_ENOMEM.
 */
/* Lists in `out` the units the rows of `indicator` use in the file open on
   fd ("2 units: '亩' (line 3), '平方米' (line 9)", at most four named, then
   "and N more"), rereading it through a descriptor of its own; returns how
   many there are, 17 for more than 16 (0 when it cannot read the file). */
size_t ps__ledger_units_of(int fd, const header_t *h, const char *indicator,
                           ps__buf_t *out);

int ps__ledger_read_split(ps__cube_t *cube, int fd, const char *name,
                          const ps__ledger_opts_t *opts, uint32_t line_base,
                          ps__ledger_stats_t *stats, unsigned long *lines);

#endif
