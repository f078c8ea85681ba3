/*
 * The cube: exact sums keyed by source, indicator, month, entity and tag
 * values, built as the ledgers stream in. Rows are never kept; each key holds
 * one running sum, its row count and the line of its first row.
 *
 * Every string (indicator, entity, tag name, tag value) is interned in the
 * cube's string table, and keys and queries use the ids.
 */
#ifndef PS_CUBE_H
#define PS_CUBE_H

#include <stddef.h>
#include <stdint.h>

#include <parkstat/types.h>

#include "cube/intern.h"

typedef struct ps__cube ps__cube_t;

typedef struct ps__cell_key {
    uint32_t indicator;
    uint32_t entity;   /* 0: the row named no entity */
    uint32_t tags;     /* id of the row's tag tuple (ps__cube_tags_id) */
    ps_period_t period;
    uint32_t source;
} ps__cell_key_t;

/* A (tag name, tag value) pair of string ids. */
typedef struct ps__tag_pair {
    uint32_t tag, value;
} ps__tag_pair_t;

typedef struct ps__cube_query {
    uint32_t indicator;
    ps_period_t from, to;        /* inclusive */
    const ps__tag_pair_t *filters;
    size_t n_filters;
} ps__cube_query_t;

/* One group of a breakdown. */
typedef struct ps__cube_group {
    uint32_t value;   /* string id of the tag value; 0 when the row left it empty */
    int64_t sum;
} ps__cube_group_t;

ps__cube_t *ps__cube_new(void);
void ps__cube_free(ps__cube_t *cube);
ps__intern_t *ps__cube_strings(ps__cube_t *cube);

/*
 * The id of a set of tag pairs (order does not matter; empty values must be
 * left out by the caller). `pairs` is sorted in place.
 */
int ps__cube_tags_id(ps__cube_t *cube, ps__tag_pair_t *pairs, size_t n,
                     uint32_t *id);

/*
 * Adds one row. Rows without an entity add up; a second row of the same
 * entity is a duplicate: PS_EEXISTS, with *first_line set to the line of
 * the entity's row (otherwise 0), and the sum left unchanged (a skipped row
 * must not count). PS_EOVERFLOW leaves the sum unchanged.
 */
int ps__cube_add(ps__cube_t *cube, const ps__cell_key_t *key, int64_t value,
                 uint32_t line, uint32_t *first_line);

/*
 * Turns the cells of a cumulative source (year-to-date totals) into monthly
 * flows: each month's value minus the same key's previous month of the same
 * year. After this, every query is a plain sum.
 */
int ps__cube_cumulative_to_flow(ps__cube_t *cube, uint32_t source);

/* The indicator's base unit ("元", "株" …), set by the ledger reader. */
int ps__cube_set_unit(ps__cube_t *cube, uint32_t indicator, const char *unit);
const char *ps__cube_unit(const ps__cube_t *cube, uint32_t indicator);

/* Sum of the matching cells; *rows counts the rows they hold. */
int ps__cube_sum(const ps__cube_t *cube, const ps__cube_query_t *q,
                 int64_t *sum, uint64_t *rows);
/* Groups by the value of tag `tag`; *groups is malloc'd for the caller. */
int ps__cube_breakdown(const ps__cube_t *cube, const ps__cube_query_t *q,
                       uint32_t tag, ps__cube_group_t **groups, size_t *n);
int ps__cube_count_entities(const ps__cube_t *cube, const ps__cube_query_t *q,
                            int64_t *count);
/* Distinct entities per value of tag `tag` (each group's sum is its count);
   *groups is malloc'd for the caller. */
int ps__cube_count_by(const ps__cube_t *cube, const ps__cube_query_t *q,
                      uint32_t tag, ps__cube_group_t **groups, size_t *n);
/*
 * The query's measure at each month's end, from q->from to q->to (at most
 * PS_CUBE_MAX_COURSE months): out[i] is what ps__cube_sum (with rows[i])
 * or ps__cube_count_entities would give with q->to = q->from + i. One
 * pass over the series where a query per month would make twelve.
 * PS_EOVERFLOW when a sum overflows, PS_ERANGE for a longer range.
 */
#define PS_CUBE_MAX_COURSE 12
int ps__cube_sum_course(const ps__cube_t *cube, const ps__cube_query_t *q,
                        int64_t *out, uint64_t *rows);
int ps__cube_entities_course(const ps__cube_t *cube, const ps__cube_query_t *q,
                             int64_t *out);
/* The latest month <= upto with a cell for the indicator; 0 when none. */
ps_period_t ps__cube_latest(const ps__cube_t *cube, uint32_t indicator,
                            ps_period_t upto);
/*
 * Calls fn once per series of `source` (the cells of one indicator, entity
 * and tag set), its months in order, with their values. Cells without an
 * entity are not series. Stops at, and returns, fn's first non-zero result.
 */
typedef int (*ps__series_fn)(void *arg, const ps__cell_key_t *key,
                             const ps_period_t *periods, const int64_t *values, size_t n);
int ps__cube_each_series(const ps__cube_t *cube, uint32_t source, ps__series_fn fn,
                         void *arg);

/*
 * Packs the cells into one block in the order queries read them, once the
 * ledgers are read: faster queries and a cheaper free. Rows may still be
 * added afterwards. Leaves the cube as it was when memory is short. From
 * PS_CUBE_COMPACT_SPLIT cells on, two threads copy them where there are
 * two CPUs.
 */
#define PS_CUBE_COMPACT_SPLIT ((size_t)1 << 16)
void ps__cube_compact(ps__cube_t *cube);

/*
 * Moves every cell of `from` (read from a later part of the same file, its
 * line numbers counted from line_base + 1) into `into`, as if its rows had
 * been added to `into` after its own; `from` is left without cells. Returns
 * 0, or, without a message, a reason the rows might not have added up one
 * by one: PS_EEXISTS (an entity's cell in both), PS_EUNIT
 * (an indicator's unit differs), PS_EOVERFLOW (a sum might overflow on the
 * way). `into` is then left part-merged: merge only into a scratch cube, or
 * check first with ps__cube_can_merge. An `into` nothing was added to
 * simply takes over from's contents (when line_base is 0).
 */
int ps__cube_merge(ps__cube_t *into, ps__cube_t *from, uint32_t line_base);

/*
 * Whether ps__cube_merge(into, from) cannot fail but for memory: `into`
 * holds no cell of `source` (the only source in `from`) and gives no
 * indicator another unit. Changes nothing.
 */
int ps__cube_can_merge(const ps__cube_t *into, const ps__cube_t *from, uint32_t source);

/* The latest month of any cell; 0 for an empty cube. */
ps_period_t ps__cube_max_period(const ps__cube_t *cube);

#endif
