/*
 * The cube's inside, shared by its building (cube.c), its sort (sort.c),
 * its queries (cube_query.c), its series (cube_series.c) and the merge of a
 * part read by another thread (cube_merge.c); nothing else includes it.
 *
 * Every row of an entity is kept, as it came, in one array of 24-byte
 * records. Adding it is an append, whatever order the rows come in and
 * however many series an entity has: nothing is looked up but the row's
 * family (its source and indicator). Rows without an entity add into one
 * record per key as they come. Sealing sorts the rows added since the last seal
 * in place by family, month, tags and entity, so that equal keys meet:
 * an entity's second row for a key is a duplicate, rows without an entity
 * add up into one. A query then finds its months by binary search in each
 * of its indicator's families and reads them in memory order.
 */
#ifndef PS_CUBE_IMPL_H
#define PS_CUBE_IMPL_H

#include <string.h>

#include "cube/cube.h"
#include "cube/slots.h"

/* A row's family and month share one word: 17 bits hold every month of the
   years 0000 to 9999, and 15 bits, 32,767 families. */
#define PERIOD_BITS 17
#define MAX_FAMILIES ((1u << (32 - PERIOD_BITS)) - 1)

typedef struct row {
    int64_t value;
    uint32_t entity;   /* 0: the row named no entity */
    uint32_t tags;     /* tuple id */
    uint32_t line;     /* the line it came from; for a cell without entity,
                          the first line summed into it */
    uint32_t family_period;
} row_t;
_Static_assert(sizeof(row_t) == 24, "a row is 24 bytes: tens of millions are kept");

static inline uint32_t row_family(const row_t *r)
{
    return r->family_period >> PERIOD_BITS;
}

static inline ps_period_t row_period(const row_t *r)
{
    return (ps_period_t)(r->family_period & ((1u << PERIOD_BITS) - 1));
}

/* The rows of one source's indicator. Once sealed, they lie in
   rows[start, end), by month, tags and entity. */
typedef struct family {
    uint32_t source, indicator;
    uint32_t next;            /* the indicator's next family + 1; 0: none */
    size_t start, end;
} family_t;

/* The orders rows are sorted in: BY_MONTH for queries (family, month,
   tags, entity), BY_SERIES to walk each series' months (family, entity,
   tags, month). */
typedef enum { BY_MONTH, BY_SERIES } row_order_t;

/* How a sort orders rows: the bit at which each part of the key begins.
   A key is the family, the month since `first_period`, the tags and the
   entity, packed into 64 bits; `fits` is 0 when they do not fit, and the
   sort compares the fields one by one. */
typedef struct sort_key {
    unsigned family, period, tags, entity, bits;
    ps_period_t first_period;
    int fits;
    row_order_t order;
} sort_key_t;

struct ps__cube {
    ps__intern_t *strings;

    row_t *rows;
    size_t nrows, rows_cap;
    size_t sealed;            /* rows[0, sealed) are sorted, by family */

    family_t *families;
    size_t nfamilies, families_cap;
    uint32_t *first_family;   /* indicator id -> its first family + 1 */
    size_t first_family_cap;
    ps_period_t max_period;
    uint32_t max_line;

    ps__tag_pair_t *pairs;    /* every tuple's pairs, back to back */
    size_t npairs, pairs_cap;
    size_t *tuple_start;      /* tuple id -> first pair; tuple_start[n] = end */
    size_t ntuples, tuples_cap;
    ps__slot_t *tuple_slots;  /* tuples, by their pairs' hashes */
    size_t ntuple_slots;

    const char **units;       /* string id -> base unit */
    size_t units_cap;

    /* The unsealed cells of rows without entity, by family, month and
       tags: such rows add into one row as they come, so that a ledger of
       a few keys takes the memory of its keys, not of its rows. */
    ps__slot_t *cell_slots;
    size_t ncell_slots, ncells;
};

/* Forgets the unsealed cells (their rows stay): once rows move. */
void ps__cube_forget_cells(ps__cube_t *cube);

/* Grows *p (of *cap elements of `size`) to hold `need`, doubling. */
int ps__cube_grow(void **p, size_t *cap, size_t need, size_t size);

/* Room for `need` rows, in the rows' own mapping; the mapping shrunk to
   `cap` rows (0: unmapped). */
int ps__cube_grow_rows(ps__cube_t *cube, size_t need);
void ps__cube_shrink_rows(ps__cube_t *cube, size_t cap);

/* The same, with the new elements zero: for tables indexed by an id, whose
   unused entries must read as empty. */
int ps__cube_grow_zeroed(void **p, size_t *cap, size_t need, size_t size);

size_t ps__cube_tuple_len(const ps__cube_t *cube, uint32_t id);
const ps__tag_pair_t *ps__cube_tuple_pairs(const ps__cube_t *cube, uint32_t id);

/* The id of the family of (source, indicator), created when new. */
int ps__cube_family_id(ps__cube_t *cube, uint32_t source, uint32_t indicator,
                       uint32_t *id);

/* The family of (source, indicator), or NULL when no row made it. */
const family_t *ps__cube_family_of(const ps__cube_t *cube, uint32_t source, uint32_t indicator);

/* The key that orders rows[from, to) in `order` (sort.c). */
sort_key_t ps__sort_key(const row_t *rows, size_t from, size_t to, row_order_t order);
/* Sorts rows[0, n) in place by `key`, in two threads when they are many. */
void ps__sort_rows(row_t *rows, size_t n, const sort_key_t *key);

/* The rows of family f in the months [from, to]: [*first, *end). */
void ps__family_months(const ps__cube_t *cube, const family_t *f, ps_period_t from,
                       ps_period_t to, size_t *first, size_t *end);

#endif
