/*
 * The cube's inside, shared by its building (cube.c), its queries
 * (cube_query.c) and the merge of partial cubes (cube_merge.c); nothing else
 * includes it.
 *
 * Cells are grouped into series: one series per (source, indicator, entity,
 * tag set), holding its months in order. A row finds its series among the
 * few hundred thousand series (not among millions of cells): the one after
 * the last row's, else among its entity's few, else by one hash lookup;
 * and a query walks only the series of its indicator, checking the tag
 * filters once per series rather than once per month.
 */
#ifndef PS_CUBE_IMPL_H
#define PS_CUBE_IMPL_H

#include <string.h>

#include "cube/cube.h"
#include "cube/pool.h"
#include "cube/slots.h"

/* 16 bytes: tens of millions of them are written, copied and walked. */
typedef struct month {
    int64_t sum;
    ps_period_t period;
    union {
        uint32_t line;    /* an entity's cell holds one row: the line it
                             came from, to name it if the entity reports
                             the cell again */
        uint32_t rows;    /* a cell without entity: the rows summed */
    };
} month_t;
_Static_assert(sizeof(month_t) == 16, "a month is 16 bytes");

typedef struct series {
    ps__cell_key_t key;   /* period unused */
    uint32_t older;       /* the series of the same entity created before
                             this one, + 1; 0: none (see entity_list_t) */
    month_t *months;      /* sorted by period */
    uint32_t n, cap;      /* cap 0: months lie in the cube's arena; else a
                             block of the cube's pool (see MONTHS_FIRST) */
} series_t;
_Static_assert(sizeof(series_t) == 40, "older fills the key's padding");

/* An entity's first series, newest first, linked through their `older`:
   an entity names a few series, created together and lying side by side,
   where a probe of the slot table misses the cache for each. Its series
   after the first ENTITY_LIST_MAX go to the slot table, so that a walk of
   the list stays short. */
#define ENTITY_LIST_MAX 32
typedef struct entity_list {
    uint32_t newest;      /* series id + 1; 0: none */
    uint32_t n;
} entity_list_t;

/* A series' months grow in blocks of the pool: four months first, since
   many series are short; then a year, two years, four... A month-ordered
   ledger of two years fills 4, then 12, then 24, and the blocks it leaves
   behind are few: in powers of two it left 4, 8 and 16 (and faulted in
   twice the memory it kept). */
#define MONTHS_FIRST 4
#define MONTHS_STEP 12

/* The rows summed into month m of series s. */
static inline uint32_t ps__month_rows(const series_t *s, const month_t *m)
{
    return s->key.entity ? 1 : m->rows;
}

/* The series of one indicator, by index, so that queries touch only them. */
typedef struct indicator_index {
    uint32_t *series;
    size_t n, cap;
} indicator_index_t;

struct ps__cube {
    ps__intern_t *strings;

    series_t *series;
    size_t nseries, series_cap;
    ps__slot_t *slots;        /* series not in an entity's list, by their
                                 keys' hashes */
    size_t nslots, nhashed;   /* slots, and series in them: the table
                                 grows by the series it holds, not all */
    entity_list_t *entities;  /* entity string id -> its list */
    size_t entities_cap;
    indicator_index_t *by_indicator; /* indicator string id -> its series */
    size_t by_indicator_cap;
    ps_period_t max_period;
    size_t last_series;       /* the series of the last row added, + 1 */

    ps__tag_pair_t *pairs;    /* every tuple's pairs, back to back */
    size_t npairs, pairs_cap;
    size_t *tuple_start;      /* tuple id -> first pair; tuple_start[n] = end */
    size_t ntuples, tuples_cap;
    ps__slot_t *tuple_slots;  /* tuples, by their pairs' hashes */
    size_t ntuple_slots;

    ps__pool_t months_pool;   /* the months of series that grow */
    month_t *months_arena;    /* every series' months, once compacted */
    int compact;              /* every series' months lie in the arena */
    /* Once compacted, and while the cube stays compact: a copy of every
       series in the arena's order, indicator by indicator (those of
       indicator k are packed[packed_start[k] .. packed_start[k + 1])), so
       that a query walks its series as it walks their months, in order. */
    series_t *packed;
    size_t *packed_start;
    int64_t loose_max;        /* largest |value| added to a cell without entity */

    const char **units;       /* string id -> base unit */
    size_t units_cap;
};

/* Grows *p (of *cap elements of `size`) to hold `need`, doubling. */
int ps__cube_grow(void **p, size_t *cap, size_t need, size_t size);

/* The same, with the new elements zero: for tables indexed by an id, whose
   unused entries must read as empty. Inline, as a lookup calls it for
   every id it meets and a call costs more than the test. */
static inline int ps__cube_grow_zeroed(void **p, size_t *cap, size_t need, size_t size)
{
    size_t old = *cap;
    if (need <= old)
        return 0;
    int rc = ps__cube_grow(p, cap, need, size);
    if (rc == 0)
        memset((char *)*p + old * size, 0, (*cap - old) * size);
    return rc;
}

/* The value the tuple gives `tag`, or 0 when it has none. */
uint32_t ps__cube_tuple_value(const ps__cube_t *cube, uint32_t id, uint32_t tag);
size_t ps__cube_tuple_len(const ps__cube_t *cube, uint32_t id);
const ps__tag_pair_t *ps__cube_tuple_pairs(const ps__cube_t *cube, uint32_t id);

/* The series of `key` (period ignored), created empty when new. */
int ps__cube_series_of(ps__cube_t *cube, const ps__cell_key_t *key, series_t **out);

/* Months that follow a series' own, kept apart until the compaction:
   what a merge adds to the end of a series. */
typedef struct ps__cube_tail {
    const month_t *months;
    uint32_t n;
} ps__cube_tail_t;

/*
 * Compacts the cube (see ps__cube_compact), with tails[i] (of ntails)
 * appended to series i on the way; tails of fewer than a quarter of the
 * cube's months are only appended, where the series lie, and the cube is
 * left to compact later. Returns 0 when every tail is in its series:
 * compacted or appended (also when memory for the arena is short);
 * PS_ENOMEM when even appending fails.
 */
int ps__cube_compact_tails(ps__cube_t *cube, const ps__cube_tail_t *tails, size_t ntails);

/* Inserts m at months[at], growing the array. */
int ps__cube_insert_month(ps__cube_t *cube, series_t *s, size_t at, const month_t *m);

/* The month of `period` in s: its index, or where it would go (*found = 0). */
size_t ps__cube_month_at(const series_t *s, ps_period_t period, int *found);

#endif
