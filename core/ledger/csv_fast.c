#include "config.h"

#include "ledger/csv_impl.h"

#include <string.h>

#include <parkstat/error.h>

/*
 * The fast path of the CSV reader: the data is classified 64 bytes at a
 * time into bit masks, quotes are paired by a prefix XOR of the quote mask,
 * and everything that would make a record unusual is found for the whole
 * block at once, as bits of an `odd` mask. A record is then cut into fields
 * at its separators, one bit at a time, with no test per byte and only one
 * per field: whether it starts with a quote. Only the common, well-formed
 * record is taken here; a record with an odd byte (an escaped quote, a line
 * break inside quotes, a quote that neither opens nor closes a field, a
 * carriage return not before a line feed, a NUL), a blank line, or one that
 * runs to the end of the data goes to csv.c's parser, which reports errors:
 * the two read the same records into the same fields.
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

/* A block's bytes of each kind, one bit per byte. */
typedef struct classes {
    uint64_t quote, comma, lf, cr, nul;
} classes_t;

/*
 * The block's masks from its bytes' classes. `inside` and `prev_sep` carry
 * the state before its first byte: in quotes, and whether the byte before
 * is a separator (or there is none: a record starts the block). `next`
 * is the byte after its last. A quote must open a field right after a
 * separator, or close it right before a comma, a line feed or a carriage
 * return; a carriage return outside quotes must come right before a line
 * feed. Any other is odd, and so are a NUL and a line feed in quotes.
 */
static inline void finish_block(ps__csv_block_t *b, size_t at, const classes_t *k,
                                uint64_t inside, uint64_t prev_sep, char next)
{
    uint64_t in = prefix_xor(k->quote) ^ (inside ? ~0ULL : 0);
    uint64_t sep = (k->comma | k->lf) & ~in;
    uint64_t after_sep = sep << 1 | prev_sep;
    uint64_t next_bit = (uint64_t)(next == ',' || next == '\n' || next == '\r') << 63;
    uint64_t before_end = (k->comma | k->lf | k->cr) >> 1 | next_bit;
    uint64_t before_lf = k->lf >> 1 | (uint64_t)(next == '\n') << 63;
    uint64_t opening = k->quote & in, closing = k->quote & ~in;
    *b = (ps__csv_block_t){
        .at = at, .sep = sep, .inside = in >> 63, .last_sep = sep >> 63,
        .odd = k->nul | (k->lf & in) | (opening & ~after_sep) | (closing & ~before_end) |
               (k->cr & ~in & ~before_lf),
    };
}

/* Classifies buf[at .. at + 64), 16 bytes at a time, which every x86-64
   can. */
static inline void classify_sse2(classes_t *k, const char *buf, size_t at)
{
    *k = (classes_t){ 0, 0, 0, 0, 0 };
    for (unsigned i = 0; i < BLOCK; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + at + i));
        k->quote |= eq16(v, '"') << i;
        k->comma |= eq16(v, ',') << i;
        k->lf |= eq16(v, '\n') << i;
        k->cr |= eq16(v, '\r') << i;
        k->nul |= eq16(v, '\0') << i;
    }
}

#define AVX2 __attribute__((target("avx2")))

AVX2 static inline uint64_t eq32(__m256i v, char ch)
{
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(ch)));
}

/* The same, 32 bytes at a time, where the CPU has AVX2. */
AVX2 static inline void classify_avx2(classes_t *k, const char *buf, size_t at)
{
    __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)(buf + at));
    __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(buf + at + 32));
    *k = (classes_t){
        .quote = eq32(lo, '"') | eq32(hi, '"') << 32,
        .comma = eq32(lo, ',') | eq32(hi, ',') << 32,
        .lf = eq32(lo, '\n') | eq32(hi, '\n') << 32,
        .cr = eq32(lo, '\r') | eq32(hi, '\r') << 32,
        .nul = eq32(lo, '\0') | eq32(hi, '\0') << 32,
    };
}

/* Makes c->block hold the byte at `at`: the next block when the record
   runs on into it, or a new one where a record starts (outside quotes,
   after a line break). 0 when 64 bytes from there are not all data. */
INLINE int block_at(ps__csv_t *c, size_t at, int avx2)
{
    ps__csv_block_t *b = &c->block;
    if (b->at != SIZE_MAX && at >= b->at && at < b->at + BLOCK)
        return 1;
    int next = b->at != SIZE_MAX && at == b->at + BLOCK;
    if (at + BLOCK > c->end)
        return 0;
    classes_t k;
    if (avx2)
        classify_avx2(&k, c->buf, at);
    else
        classify_sse2(&k, c->buf, at);
    /* buf[end] is the NUL after the data: the byte after the block exists */
    finish_block(b, at, &k, next ? b->inside : 0, next ? b->last_sep : 1,
                 c->buf[at + BLOCK]);
    return 1;
}

/* The fields found so far: kept in registers while the record is cut,
   stored in c->fields, which grows when they are many. */
typedef struct cut {
    ps__csv_field_t *out;
    size_t n, cap;
} cut_t;

/* The field buf[a .. end), as csv.c reads it: without its quotes, which
   the block's checks guarantee are its first and last bytes when its
   first is one. */
INLINE int take_field(ps__csv_t *c, cut_t *cut, size_t a, size_t end)
{
    const char *p = c->buf + a;
    size_t len = end - a;
    if (*p == '"') {
        p++;
        len -= 2;
    }
    if (cut->n < cut->cap) {
        cut->out[cut->n++] = (ps__csv_field_t){ p, len };
        return 0;
    }
    c->nfields = cut->n;
    int rc = ps__csv_push_field(c, p, len);
    *cut = (cut_t){ c->fields, c->nfields, c->fields_cap };
    return rc;
}

INLINE int fast_record(ps__csv_t *c, size_t *rec_end, int avx2)
{
    size_t field = c->start;
    const char *buf = c->buf;
    cut_t cut = { c->fields, 0, c->fields_cap };
    if (!block_at(c, field, avx2))
        goto slow;
    for (unsigned from = (unsigned)(field - c->block.at);;) {
        const ps__csv_block_t *b = &c->block;
        uint64_t mine = ~0ULL << from, odd = b->odd & mine;
        /* separators before the first odd byte (none is one): the record
           is the parser's if it does not end before it */
        uint64_t sep = b->sep & mine & ((odd & -odd) - 1);
        while (sep) {
            size_t e = b->at + (unsigned)__builtin_ctzll(sep);
            if (buf[e] == ',') {
                if (take_field(c, &cut, field, e) < 0)
                    return PS_ENOMEM;
                field = e + 1;
                sep &= sep - 1;
                continue;
            }
            size_t end = e > field && buf[e - 1] == '\r' ? e - 1 : e; /* CRLF */
            if (cut.n == 0 && end == field)
                goto slow; /* a blank line */
            if (take_field(c, &cut, field, end) < 0)
                return PS_ENOMEM;
            c->nfields = cut.n;
            *rec_end = e;
            return 1;
        }
        if (odd)
            goto slow;
        size_t next = b->at + BLOCK;
        if (next - c->start >= PS_CSV_FAST_MAX || !block_at(c, next, avx2))
            break;
        from = 0;
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
