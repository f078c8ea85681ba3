/*
 * Carrying a stock forward (carry_forward = yes): a month-end value that an
 * entity reported last month and not in the report month is taken at last
 * month's value. The copies are rows like any other, so every query counts
 * them; their tags hold one pair more, which a query can filter on to say
 * how much of a figure was carried and the audit reads to name them.
 */
#include "config.h"

#include <stdlib.h>

#include <parkstat/error.h>

#include "cube/cube_impl.h"

typedef struct carried {
    ps__cell_key_t key;
    int64_t value;
    uint32_t line;
} carried_t;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int holds(const uint32_t *ids, size_t n, uint32_t id)
{
    return n && bsearch(&id, ids, n, sizeof *ids, cmp_u32) != NULL;
}

/* Which rows entities_of takes: every row, those carried, those not. */
typedef enum { ALL_ROWS, CARRIED_ROWS, OWN_ROWS } rows_t;

/* The entities of rows[first, end) (`which` of them, a carried row's tags
   holding `tag`), sorted, each once; *n of them. NULL and *n 0 when there
   are none, or (with *n SIZE_MAX) no memory. */
static uint32_t *entities_of(const ps__cube_t *cube, size_t first, size_t end, rows_t which,
                             uint32_t tag, size_t *n)
{
    *n = 0;
    if (first == end)
        return NULL;
    uint32_t *ids = malloc((end - first) * sizeof *ids);
    if (!ids) {
        *n = SIZE_MAX;
        return NULL;
    }
    for (size_t i = first; i < end; i++) {
        const row_t *r = &cube->rows[i];
        int carried = which != ALL_ROWS && ps__cube_tuple_value(cube, r->tags, tag) != 0;
        if (r->entity && (which == ALL_ROWS || carried == (which == CARRIED_ROWS)))
            ids[(*n)++] = r->entity;
    }
    qsort(ids, *n, sizeof *ids, cmp_u32);
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++)
        if (kept == 0 || ids[kept - 1] != ids[i])
            ids[kept++] = ids[i];
    *n = kept;
    return ids;
}

/* The id of tuple `id` with (tag, value) joined to it. */
static int tuple_with(ps__cube_t *cube, uint32_t id, uint32_t tag, uint32_t value,
                      uint32_t *out)
{
    size_t n = ps__cube_tuple_len(cube, id);
    ps__tag_pair_t *pairs = malloc((n + 1) * sizeof *pairs);
    if (!pairs)
        return PS_ENOMEM;
    /* a copy: a new tuple may move the cube's pairs */
    memcpy(pairs, ps__cube_tuple_pairs(cube, id), n * sizeof *pairs);
    pairs[n] = (ps__tag_pair_t){ tag, value };
    int rc = ps__cube_tags_id(cube, pairs, n + 1, out);
    free(pairs);
    return rc;
}

/* The rows of month due - 1 whose entity has none in month due, as rows of
   month due, their tags as they were. */
static carried_t *rows_to_carry(const ps__cube_t *cube, const family_t *f, ps_period_t due,
                                size_t *n)
{
    size_t before, before_end, now, now_end, n_now;
    ps__family_months(cube, f, due - 1, due - 1, &before, &before_end);
    ps__family_months(cube, f, due, due, &now, &now_end);
    uint32_t *reported = entities_of(cube, now, now_end, ALL_ROWS, 0, &n_now);
    carried_t *add = malloc((before_end - before + 1) * sizeof *add);
    *n = 0;
    if (n_now == SIZE_MAX || !add) {
        free(reported);
        free(add);
        return NULL;
    }
    for (size_t i = before; i < before_end; i++) {
        const row_t *r = &cube->rows[i];
        if (r->entity && !holds(reported, n_now, r->entity))
            add[(*n)++] = (carried_t){ { f->indicator, r->entity, r->tags, due, f->source },
                                       r->value, r->line };
    }
    free(reported);
    return add;
}

static void no_fault(void *arg, int code, const ps__cell_key_t *key, uint32_t line,
                     uint32_t first_line)
{
    (void)arg, (void)code, (void)key, (void)line, (void)first_line;
}

int ps__cube_carry_forward(ps__cube_t *cube, uint32_t source, uint32_t indicator,
                           ps_period_t due, uint32_t tag, uint32_t value, size_t *entities)
{
    *entities = 0;
    const family_t *f = ps__cube_family_of(cube, source, indicator);
    if (!f || cube->sealed != cube->nrows)
        return f ? PS_EINVAL : 0;
    size_t n;
    carried_t *add = rows_to_carry(cube, f, due, &n);
    if (!add)
        return PS_ENOMEM;
    int rc = 0;
    /* the entities carried: each once, though it may carry several rows */
    uint32_t *ids = n ? malloc(n * sizeof *ids) : NULL;
    if (n && !ids)
        rc = PS_ENOMEM;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        ids[k] = add[k].key.entity;
        rc = tuple_with(cube, add[k].key.tags, tag, value, &add[k].key.tags);
    }
    for (size_t k = 0; rc == 0 && k < n; k++)
        rc = ps__cube_add(cube, &add[k].key, add[k].value, add[k].line);
    if (rc == 0 && n) {
        qsort(ids, n, sizeof *ids, cmp_u32);
        for (size_t k = 0; k < n; k++)
            *entities += k == 0 || ids[k] != ids[k - 1];
        rc = ps__cube_seal(cube, no_fault, NULL);
    }
    free(ids);
    free(add);
    return rc;
}

int ps__cube_each_unreported(const ps__cube_t *cube, uint32_t source, uint32_t indicator,
                             ps_period_t due, uint32_t tag, ps__unreported_fn fn, void *arg)
{
    const family_t *f = ps__cube_family_of(cube, source, indicator);
    if (!f)
        return 0;
    size_t before, before_end, now, now_end, n_before, n_own, n_carried;
    ps__family_months(cube, f, due - 1, due - 1, &before, &before_end);
    ps__family_months(cube, f, due, due, &now, &now_end);
    uint32_t *was = entities_of(cube, before, before_end, ALL_ROWS, 0, &n_before);
    uint32_t *own = entities_of(cube, now, now_end, OWN_ROWS, tag, &n_own);
    uint32_t *carried = entities_of(cube, now, now_end, CARRIED_ROWS, tag, &n_carried);
    int rc = n_before == SIZE_MAX || n_own == SIZE_MAX || n_carried == SIZE_MAX ? PS_ENOMEM : 0;
    for (size_t i = 0; rc == 0 && i < n_before; i++)
        if (!holds(own, n_own, was[i]))
            rc = fn(arg, was[i], holds(carried, n_carried, was[i]));
    free(was);
    free(own);
    free(carried);
    return rc;
}
