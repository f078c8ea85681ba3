/*
 * The cube: every ledger row, keyed by source, indicator, month, entity and
 * tag values, kept exactly (integers of the indicator's base unit × 10⁴)
 * and answered by sums, breakdowns and counts. Rows are added in any order
 * and sealed once a source is read: sealing finds an entity's duplicate
 * rows and adds up the rows that name no entity.
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
 * Adds one row, from line `line` (counted across a source's files). What
 * it may clash with is found when the cube is sealed. PS_ENOMEM, or
 * PS_ERANGE beyond 32,767 (source, indicator) pairs.
 */
int ps__cube_add(ps__cube_t *cube, const ps__cell_key_t *key, int64_t value,
                 uint32_t line);

/* A row that sealing leaves out: PS_EEXISTS, the entity already reported
   the key on `first_line`; PS_EOVERFLOW, the sum of the rows without entity
   before it, in line order, the first on `first_line`, would overflow with
   it. */
typedef void (*ps__cube_fault_fn)(void *arg, int code, const ps__cell_key_t *key,
                                  uint32_t line, uint32_t first_line);

/*
 * Sorts the rows added since the last seal among the others of their
 * families, so that queries can read them: an entity's rows for one key
 * but the first (by line) are left out, and the rows without entity of a
 * key become one, their sum. Calls fault for each row left out. 0 or
 * PS_ENOMEM. Queries see only sealed rows.
 */
int ps__cube_seal(ps__cube_t *cube, ps__cube_fault_fn fault, void *arg);

/* The highest line of any row added: a later read counts its lines on from
   there, so that rows read later always come later. */
uint32_t ps__cube_max_line(const ps__cube_t *cube);

/* The rows added, sealed or not (a row without entity may add into an
   earlier one). */
size_t ps__cube_rows(const ps__cube_t *cube);
/* The rows so far, as a point to go back to: ps__cube_truncate(cube, n)
   then drops every row added since (a file read again by one thread). No
   row added after a checkpoint adds into one before it. */
size_t ps__cube_checkpoint(ps__cube_t *cube);
void ps__cube_truncate(ps__cube_t *cube, size_t n);

/*
 * Turns the sealed rows of a cumulative source (year-to-date totals) into
 * monthly flows: each month's value minus the same key's previous month of
 * the same year. After this, every query is a plain sum. PS_EOVERFLOW
 * when a difference overflows.
 */
int ps__cube_cumulative_to_flow(ps__cube_t *cube, uint32_t source);

/* The indicator's base unit ("元", "株" …), set by the ledger reader. */
int ps__cube_set_unit(ps__cube_t *cube, uint32_t indicator, const char *unit);
const char *ps__cube_unit(const ps__cube_t *cube, uint32_t indicator);

/* Sum of the matching rows; *rows counts the cells summed (a cell without
   entity holds the sum of its rows): 0 when nothing matched. */
int ps__cube_sum(const ps__cube_t *cube, const ps__cube_query_t *q,
                 int64_t *sum, uint64_t *rows);
/* Groups by the value of tag `tag`; *groups is malloc'd for the caller. */
int ps__cube_breakdown(const ps__cube_t *cube, const ps__cube_query_t *q,
                       uint32_t tag, ps__cube_group_t **groups, size_t *n);
int ps__cube_count_entities(const ps__cube_t *cube, const ps__cube_query_t *q,
                            int64_t *count);
/* The tags (string ids) the matching rows carry, each once, in the order
   first met; *tags is malloc'd for the caller. For an error message: a
   breakdown by a tag no row carries. */
int ps__cube_tags_carried(const ps__cube_t *cube, const ps__cube_query_t *q,
                          uint32_t **tags, size_t *n);
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
/* How many distinct entities have a matching row in a month of q->from to
   q->to (at most PS_CUBE_MAX_COURSE months) and none in the month before
   it: the entities that entered the state the query's filters describe.
   PS_ERANGE for a longer range. */
int ps__cube_count_entered(const ps__cube_t *cube, const ps__cube_query_t *q, int64_t *count);
/* How many distinct entities have a matching row in every month of q->from
   to q->to (at most PS_CUBE_MAX_THROUGHOUT months): those in a state all
   along. PS_ERANGE for a longer range. */
#define PS_CUBE_MAX_THROUGHOUT 64
int ps__cube_count_throughout(const ps__cube_t *cube, const ps__cube_query_t *q,
                              int64_t *count);
/* The latest month <= upto with a cell for the indicator; 0 when none. */
ps_period_t ps__cube_latest(const ps__cube_t *cube, uint32_t indicator,
                            ps_period_t upto);
/*
 * Calls fn once per series of `source` (the rows of one indicator, entity
 * and tag set), by indicator id, entity id and tags, its months in order,
 * with their values. Rows without an entity are not series. Stops at, and
 * returns, fn's first non-zero result. The rows are sorted by series for
 * the walk and back after it.
 */
typedef int (*ps__series_fn)(void *arg, const ps__cell_key_t *key,
                             const ps_period_t *periods, const int64_t *values, size_t n);
int ps__cube_each_series(ps__cube_t *cube, uint32_t source, ps__series_fn fn, void *arg);

/*
 * Moves every row of `from` (read by another thread from a later part of
 * the same file, its lines counted from line_base + 1) into `into`, after
 * its own, unsealed; `from` is left empty. PS_EUNIT, with nothing moved,
 * when `from` gives an indicator another unit than `into`; PS_ENOMEM.
 */
int ps__cube_merge(ps__cube_t *into, ps__cube_t *from, uint32_t line_base);

/*
 * Carries a stock forward into month `due` (carry_forward = yes): each
 * entity with rows of (source, indicator) at due - 1 and none at due gets a
 * copy of each of those rows at due, from the same lines, its tags joined
 * by (tag, value), so that a query filtering on that pair finds what was
 * carried. On a sealed cube, which it seals again; *entities counts the
 * entities carried. PS_ENOMEM, or PS_EINVAL on an unsealed cube.
 */
int ps__cube_carry_forward(ps__cube_t *cube, uint32_t source, uint32_t indicator,
                           ps_period_t due, uint32_t tag, uint32_t value, size_t *entities);

/*
 * Calls fn once for each entity with rows of (source, indicator) at
 * due - 1 and none of its own at due (未报送), in entity id order, with
 * carried 1 when ps__cube_carry_forward carried it (its tags holding
 * `tag`). Stops at, and returns, fn's first non-zero result; PS_ENOMEM.
 */
typedef int (*ps__unreported_fn)(void *arg, uint32_t entity, int carried);
int ps__cube_each_unreported(const ps__cube_t *cube, uint32_t source, uint32_t indicator,
                             ps_period_t due, uint32_t tag, ps__unreported_fn fn, void *arg);

/* Has `source` sealed rows of `indicator`? */
int ps__cube_source_has(const ps__cube_t *cube, uint32_t source, uint32_t indicator);

/* The value the tuple `tags` gives `tag`, or 0 when it has none. */
uint32_t ps__cube_tuple_value(const ps__cube_t *cube, uint32_t tags, uint32_t tag);

/* The latest month of any cell; 0 for an empty cube. */
ps_period_t ps__cube_max_period(const ps__cube_t *cube);

#endif
