/*
 * The cube's rows sorted in place: a most-significant-digit radix sort on
 * a key of 64 bits packed from the row's fields, a byte at a time, with no
 * memory beyond a few counters (the rows are most of a run's memory, and
 * a copy would double it). Its cost is the same whatever order the rows
 * come in. After its first byte, the buckets are sorted by two threads.
 * Keys wider than 64 bits (billions of strings, or months over millennia)
 * are sorted by a heap sort on the fields instead: slower, never wrong.
 */
#include "config.h"

#include "cube/cube_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

/* Fewer rows than this are sorted by insertion: cheaper than 256 counters. */
#define SMALL_BUCKET 32
/* A bucket of at most this many rows (1.5 MiB) fits a core's cache: it is
   sorted there by its lower bytes first, through a buffer of its size,
   where moving rows in place would wait on memory for every one. */
#define CACHED_BUCKET ((size_t)1 << 16)
/* From this many rows on, the buckets are shared by two threads. */
#define THREADED_ROWS ((size_t)1 << 16)

static unsigned bits_for(uint64_t max)
{
    unsigned b = 0;
    while (b < 64 && (max >> b) != 0)
        b++;
    return b;
}

sort_key_t ps__sort_key(const row_t *rows, size_t from, size_t to, row_order_t order)
{
    uint32_t family = 0, tags = 0, entity = 0;
    ps_period_t first = from < to ? row_period(&rows[from]) : 0, last = first;
    for (size_t i = from; i < to; i++) {
        const row_t *r = &rows[i];
        ps_period_t p = row_period(r);
        family = row_family(r) > family ? row_family(r) : family;
        first = p < first ? p : first;
        last = p > last ? p : last;
        tags = r->tags > tags ? r->tags : tags;
        entity = r->entity > entity ? r->entity : entity;
    }
    unsigned bf = bits_for(family), bp = bits_for((uint64_t)(last - first)),
             bt = bits_for(tags), be = bits_for(entity);
    sort_key_t k = { .first_period = first, .bits = bf + bp + bt + be, .order = order };
    if (order == BY_MONTH) { /* family, month, tags, entity */
        k.entity = 0, k.tags = be, k.period = be + bt, k.family = be + bt + bp;
    } else {                 /* family, entity, tags, month */
        k.period = 0, k.tags = bp, k.entity = bp + bt, k.family = bp + bt + be;
    }
    k.fits = k.bits <= 64;
    return k;
}

static inline uint64_t key_of(const sort_key_t *k, const row_t *r)
{
    return (uint64_t)row_family(r) << k->family |
           (uint64_t)(row_period(r) - k->first_period) << k->period |
           (uint64_t)r->tags << k->tags | (uint64_t)r->entity << k->entity;
}

static void insertion_sort(row_t *rows, size_t n, const sort_key_t *k)
{
    for (size_t i = 1; i < n; i++) {
        row_t r = rows[i];
        uint64_t key = key_of(k, &r);
        size_t j = i;
        for (; j > 0 && key_of(k, &rows[j - 1]) > key; j--)
            rows[j] = rows[j - 1];
        rows[j] = r;
    }
}

/* Moves every row to its digit's bucket, in place, cycle by cycle; the
   buckets' sizes are in count. */
static void distribute(row_t *rows, const size_t count[256], const sort_key_t *k,
                       unsigned shift)
{
    size_t next[256], end[256], at = 0;
    for (unsigned b = 0; b < 256; b++) {
        next[b] = at;
        at += count[b];
        end[b] = at;
    }
    for (unsigned b = 0; b < 256; b++) {
        while (next[b] < end[b]) {
            row_t r = rows[next[b]];
            unsigned d = (unsigned)(key_of(k, &r) >> shift) & 0xFF;
            while (d != b) {
                row_t t = rows[next[d]];
                rows[next[d]++] = r;
                r = t;
                d = (unsigned)(key_of(k, &r) >> shift) & 0xFF;
            }
            rows[next[b]++] = r;
        }
    }
}

/* The byte of the key at `shift` counted for each row; whether they all
   share one (then there is nothing to move). */
static int count_digits(const row_t *rows, size_t n, const sort_key_t *k, unsigned shift,
                        size_t count[256])
{
    memset(count, 0, 256 * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[(key_of(k, &rows[i]) >> shift) & 0xFF]++;
    return count[(key_of(k, &rows[0]) >> shift) & 0xFF] == n;
}

/* The shift of the byte below the one at `shift` (bytes may overlap at the
   bottom: the bits they share are equal within a bucket). */
static unsigned lower_shift(unsigned shift)
{
    return shift >= 8 ? shift - 8 : 0;
}

/* Sorts by the key's bits below shift + 8, a byte at a time from the
   lowest: each pass a stable scatter between rows and tmp (of n rows). */
static void sort_in_cache(row_t *rows, size_t n, const sort_key_t *k, unsigned shift,
                          row_t *tmp)
{
    row_t *from = rows, *to = tmp;
    for (unsigned low = 0; low < shift + 8; low += 8) {
        size_t count[256], at = 0;
        if (count_digits(from, n, k, low, count))
            continue;
        for (unsigned b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[(key_of(k, &from[i]) >> low) & 0xFF]++] = from[i];
        row_t *t = from;
        from = to;
        to = t;
    }
    if (from != rows)
        memcpy(rows, from, n * sizeof *rows);
}

static void radix_sort(row_t *rows, size_t n, const sort_key_t *k, unsigned shift,
                       row_t *tmp)
{
    size_t count[256];
    for (;;) {
        if (n < SMALL_BUCKET) {
            insertion_sort(rows, n, k);
            return;
        }
        if (n <= CACHED_BUCKET && tmp) {
            sort_in_cache(rows, n, k, shift, tmp);
            return;
        }
        if (!count_digits(rows, n, k, shift, count))
            break;
        if (shift == 0)
            return;
        shift = lower_shift(shift);
    }
    distribute(rows, count, k, shift);
    if (shift == 0)
        return;
    for (unsigned b = 0; b < 256; b++) {
        radix_sort(rows, count[b], k, lower_shift(shift), tmp);
        rows += count[b];
    }
}

/* ---- keys wider than 64 bits -------------------------------------------- */

static int compare_fields(const sort_key_t *k, const row_t *a, const row_t *b)
{
    uint64_t x[4] = { row_family(a), (uint64_t)row_period(a), a->tags, a->entity };
    uint64_t y[4] = { row_family(b), (uint64_t)row_period(b), b->tags, b->entity };
    static const int by_month[4] = { 0, 1, 2, 3 }, by_series[4] = { 0, 3, 2, 1 };
    const int *order = k->order == BY_MONTH ? by_month : by_series;
    for (int i = 0; i < 4; i++)
        if (x[order[i]] != y[order[i]])
            return x[order[i]] < y[order[i]] ? -1 : 1;
    return 0;
}

static void sift_down(row_t *rows, size_t at, size_t n, const sort_key_t *k)
{
    for (size_t child; (child = 2 * at + 1) < n; at = child) {
        if (child + 1 < n && compare_fields(k, &rows[child], &rows[child + 1]) < 0)
            child++;
        if (compare_fields(k, &rows[at], &rows[child]) >= 0)
            return;
        row_t t = rows[at];
        rows[at] = rows[child];
        rows[child] = t;
    }
}

static void heap_sort(row_t *rows, size_t n, const sort_key_t *k)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(rows, i, n, k);
    for (size_t end = n; end-- > 1;) {
        row_t t = rows[0];
        rows[0] = rows[end];
        rows[end] = t;
        sift_down(rows, 0, end, k);
    }
}

/* ---- two threads -------------------------------------------------------- */

typedef struct buckets {
    row_t *rows;
    const size_t *count;
    unsigned from, to;        /* the buckets [from, to) */
    const sort_key_t *key;
    unsigned shift;           /* of the byte below the first */
} buckets_t;

/* The buckets, each thread with a buffer of its own (none when memory is
   short: then every bucket is sorted in place). */
static void *sort_buckets(void *arg)
{
    const buckets_t *b = arg;
    row_t *rows = b->rows, *tmp = malloc(CACHED_BUCKET * sizeof *tmp);
    for (unsigned d = b->from; d < b->to; d++) {
        radix_sort(rows, b->count[d], b->key, b->shift, tmp);
        rows += b->count[d];
    }
    free(tmp);
    return NULL;
}

/* The first byte that tells rows apart, distributed by one thread; the
   buckets below it split in two shares of about equal rows. */
static void sort_threaded(row_t *rows, size_t n, const sort_key_t *k, unsigned shift)
{
    size_t count[256];
    while (count_digits(rows, n, k, shift, count)) {
        if (shift == 0)
            return;
        shift = lower_shift(shift);
    }
    distribute(rows, count, k, shift);
    if (shift == 0)
        return;
    unsigned half = 0;
    size_t below = 0;
    while (half < 256 && below + count[half] <= n / 2)
        below += count[half++];
    buckets_t first = { rows, count, 0, half, k, lower_shift(shift) };
    buckets_t second = { rows + below, count, half, 256, k, lower_shift(shift) };
    pthread_t thread;
    int threaded = pthread_create(&thread, NULL, sort_buckets, &second) == 0;
    sort_buckets(&first);
    if (threaded)
        pthread_join(thread, NULL);
    else
        sort_buckets(&second);
}

void ps__sort_rows(row_t *rows, size_t n, const sort_key_t *k)
{
    if (n < 2)
        return;
    if (!k->fits) {
        heap_sort(rows, n, k);
        return;
    }
    unsigned top = k->bits > 8 ? k->bits - 8 : 0;
    if (n >= THREADED_ROWS && sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
        sort_threaded(rows, n, k, top);
    } else {
        buckets_t all = { rows, &n, 0, 1, k, top };
        sort_buckets(&all);
    }
}
