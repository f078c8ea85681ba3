#include "config.h"

#include "csv_impl.h"

#include <string.h>

#include <parkstat/error.h>

/*
 * The fast path of the CSV reader: the data is classified 64 bytes at a
 * time into bit masks (quotes, separators, carriage returns), quotes are
 * paired by a prefix XOR of the quote mask, and a record's fields are cut
 * at the separators outside quotes, one bit at a time. Records are not
 * parsed byte by byte, and their fields are found without a branch per
 * byte. Only the common, well-formed record is taken here; anything else
 * (an escaped quote, a line break inside quotes, a NUL, a stray quote or
 * carriage return, a blank line, the end of the data) goes to csv.c's
 * parser, which reports errors: the two read the same records into the
 * same fields.
 */

#if defined(__SSE2__)
#include <immintrin.h>

#define BLOCK 64
/* The record loop is instantiated once per instruction set (below): its
   helpers must be inlined into each copy. */
#define INLINE static inline __attribute__((always_inline))

/* Bit i set when byte i of the 16 at p equals ch. */
static inline uint64_t eq16(__m128i v, char ch)
{
    return (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(ch)));
}

/* Bit i: parity of the set bits at or below i. A quoted field's bytes,
   with its opening quote, come out as 1; its closing quote as 0. */
static inline uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* The block's masks from its bytes' masks, and the quotes it begins in. */
static inline void finish_block(ps__csv_block_t *b, size_t at, uint64_t inside,
                                uint64_t quote, uint64_t comma, uint64_t lf,
                                uint64_t cr, uint64_t nul)
{
    uint64_t in = prefix_xor(quote) ^ (inside ? ~0ULL : 0);
    *b = (ps__csv_block_t){
        .at = at, .quote = quote, .sep = (comma | lf) & ~in, .cr = cr & ~in,
        .odd = nul | (lf & in), .inside = in >> 63,
    };
}

/* Classifies buf[at .. at + 64), which begins inside quotes when
   `inside`: 16 bytes at a time, which every x86-64 can. */
static inline void classify_sse2(ps__csv_block_t *b, const char *buf, size_t at,
                                 uint64_t inside)
{
    uint64_t quote = 0, comma = 0, lf = 0, cr = 0, nul = 0;
    for (unsigned k = 0; k < BLOCK; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + at + k));
        quote |= eq16(v, '"') << k;
        comma |= eq16(v, ',') << k;
        lf |= eq16(v, '\n') << k;
        cr |= eq16(v, '\r') << k;
        nul |= eq16(v, '\0') << k;
    }
    finish_block(b, at, inside, quote, comma, lf, cr, nul);
}

#define AVX2 __attribute__((target("avx2")))

AVX2 static inline uint64_t eq32(__m256i v, char ch)
{
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(ch)));
}

/* The same, 32 bytes at a time, where the CPU has AVX2. */
AVX2 static inline void classify_avx2(ps__csv_block_t *b, const char *buf, size_t at,
                                      uint64_t inside)
{
    __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)(buf + at));
    __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(buf + at + 32));
    finish_block(b, at, inside,
                 eq32(lo, '"') | eq32(hi, '"') << 32, eq32(lo, ',') | eq32(hi, ',') << 32,
                 eq32(lo, '\n') | eq32(hi, '\n') << 32, eq32(lo, '\r') | eq32(hi, '\r') << 32,
                 eq32(lo, '\0') | eq32(hi, '\0') << 32);
}

/* How many bits x has, up to 3: enough to tell a field without quotes, a
   quoted one and anything else, and cheaper than a popcount without the
   instruction (a library call in a build for any x86-64). */
static inline unsigned up_to_3(uint64_t x)
{
    unsigned n = x != 0;
    x &= x - 1;
    n += x != 0;
    x &= x - 1;
    return n + (x != 0);
}

/* Bits from..to of a word, both included (from <= to < 64). */
static inline uint64_t bits(unsigned from, unsigned to)
{
    return (~0ULL << from) & (~0ULL >> (63 - to));
}

/* The field buf[a .. e), whose separator is at e: as csv.c would read it,
   or 0 when csv.c must look at it. `quotes` and `crs` count those bytes in
   it, outside quotes for the carriage returns. */
INLINE int take_field(ps__csv_t *c, size_t a, size_t e, unsigned quotes, unsigned crs)
{
    const char *buf = c->buf;
    size_t end = e;
    if (buf[e] == '\n' && e > a && buf[e - 1] == '\r') {
        end = e - 1; /* the CRLF line break */
        crs--;
    }
    if (crs)
        return 0;
    if (quotes == 0)
        return ps__csv_push(c, buf + a, end - a) < 0 ? PS_ENOMEM : 1;
    if (quotes != 2 || end - a < 2 || buf[a] != '"' || buf[end - 1] != '"')
        return 0;
    return ps__csv_push(c, buf + a + 1, end - a - 2) < 0 ? PS_ENOMEM : 1;
}

/* Makes c->block hold the byte at `at`: the next block when the record
   runs on into it, or a new one where a record starts (outside quotes). 0
   when 64 bytes from there are not all data. */
INLINE int block_at(ps__csv_t *c, size_t at, int avx2)
{
    ps__csv_block_t *b = &c->block;
    if (b->at != SIZE_MAX && at >= b->at && at < b->at + BLOCK)
        return 1;
    int next = b->at != SIZE_MAX && at == b->at + BLOCK;
    if (at + BLOCK > c->end)
        return 0;
    if (avx2)
        classify_avx2(b, c->buf, at, next ? b->inside : 0);
    else
        classify_sse2(b, c->buf, at, next ? b->inside : 0);
    return 1;
}

INLINE int fast_record(ps__csv_t *c, size_t *rec_end, int avx2)
{
    size_t pos = c->start, field = pos;
    unsigned quotes = 0, crs = 0;
    c->nfields = 0;
    while (pos - c->start < PS_CSV_FAST_MAX) {
        if (!block_at(c, pos, avx2))
            break;
        const ps__csv_block_t *b = &c->block;
        unsigned from = (unsigned)(pos - b->at);
        uint64_t sep = b->sep & (~0ULL << from);
        while (sep) {
            unsigned i = (unsigned)__builtin_ctzll(sep);
            uint64_t span = bits(from, i);
            if (b->odd & span)
                goto slow;
            quotes += up_to_3(b->quote & span);
            crs += up_to_3(b->cr & span);
            size_t e = b->at + i;
            if (c->buf[e] == '\n' && c->nfields == 0 && e - field <= 1 &&
                (e == field || c->buf[field] == '\r'))
                goto slow; /* a blank line */
            int rc = take_field(c, field, e, quotes, crs);
            if (rc <= 0) {
                if (rc < 0)
                    return rc;
                goto slow;
            }
            if (c->buf[e] == '\n') {
                *rec_end = e;
                return 1;
            }
            field = e + 1;
            from = i + 1;
            quotes = crs = 0;
            sep &= sep - 1;
        }
        uint64_t rest = from < BLOCK ? bits(from, BLOCK - 1) : 0;
        if (b->odd & rest)
            goto slow;
        quotes += up_to_3(b->quote & rest);
        crs += up_to_3(b->cr & rest);
        pos = b->at + BLOCK;
    }
slow:
    c->block.at = SIZE_MAX; /* csv.c moves on; start afresh after it */
    return 0;
}

/* One copy of the record loop for each instruction set: a CPU with AVX2
   takes the one whose classification it can inline. */
AVX2 static int fast_record_avx2(ps__csv_t *c, size_t *rec_end)
{
    return fast_record(c, rec_end, 1);
}

static int fast_record_sse2(ps__csv_t *c, size_t *rec_end)
{
    return fast_record(c, rec_end, 0);
}

int ps__csv_fast_record(ps__csv_t *c, size_t *rec_end)
{
    /* a read of what the runtime found at start-up: safe from any thread */
    return __builtin_cpu_supports("avx2") ? fast_record_avx2(c, rec_end)
                                          : fast_record_sse2(c, rec_end);
}

#else /* no SSE2: csv.c parses every record */

int ps__csv_fast_record(ps__csv_t *c, size_t *rec_end)
{
    (void)c;
    (void)rec_end;
    return 0;
}

#endif
