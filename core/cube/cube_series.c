/*
 * A source's series, one at a time: each family's rows sorted by entity,
 * tags and month for the walk, and back by month after it. What needs an
 * entity's months in order (a cumulative source's differences, the
 * audit's rules) reads them here; queries never do.
 */
#include "config.h"

#include "cube/cube_impl.h"

#include <stdlib.h>

#include <parkstat/error.h>

/* Called with the rows of one series, by month. */
typedef int (*series_walk_fn)(void *arg, const family_t *f, row_t *rows, size_t n);

static int walk_family(ps__cube_t *cube, const family_t *f, series_walk_fn fn, void *arg)
{
    row_t *rows = cube->rows + f->start;
    size_t n = f->end - f->start;
    sort_key_t by_series = ps__sort_key(rows, 0, n, BY_SERIES);
    ps__sort_rows(rows, n, &by_series);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        size_t len = 1;
        while (i + len < n && rows[i + len].entity == rows[i].entity &&
               rows[i + len].tags == rows[i].tags)
            len++;
        rc = fn(arg, f, rows + i, len);
        i += len;
    }
    sort_key_t by_month = ps__sort_key(rows, 0, n, BY_MONTH);
    ps__sort_rows(rows, n, &by_month);
    return rc;
}

static const ps__cube_t *sorting; /* qsort has no argument: set while sorting */

static int by_indicator(const void *a, const void *b)
{
    uint32_t x = sorting->families[*(const uint32_t *)a].indicator;
    uint32_t y = sorting->families[*(const uint32_t *)b].indicator;
    return x < y ? -1 : x > y;
}

/* fn on every series of the source's families, by indicator id. */
static int walk_series(ps__cube_t *cube, uint32_t source, series_walk_fn fn, void *arg)
{
    uint32_t *order = malloc((cube->nfamilies ? cube->nfamilies : 1) * sizeof *order);
    if (!order)
        return PS_ENOMEM;
    size_t n = 0;
    for (size_t f = 0; f < cube->nfamilies; f++)
        if (cube->families[f].source == source)
            order[n++] = (uint32_t)f;
    sorting = cube;
    qsort(order, n, sizeof *order, by_indicator);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = walk_family(cube, &cube->families[order[i]], fn, arg);
    free(order);
    return rc;
}

/* ---- cumulative sources ------------------------------------------------- */

static int to_flow(void *arg, const family_t *f, row_t *rows, size_t n)
{
    (void)arg;
    (void)f;
    int64_t previous = 0;
    for (size_t k = 0; k < n; k++) {
        int64_t total = rows[k].value;
        if (k > 0 && ps_period_year(row_period(&rows[k - 1])) ==
                         ps_period_year(row_period(&rows[k])) &&
            __builtin_sub_overflow(total, previous, &rows[k].value))
            return PS_EOVERFLOW;
        previous = total;
    }
    return 0;
}

int ps__cube_cumulative_to_flow(ps__cube_t *cube, uint32_t source)
{
    return walk_series(cube, source, to_flow, NULL);
}

/* ---- each series -------------------------------------------------------- */

typedef struct each {
    ps__series_fn fn;
    void *arg;
    ps_period_t *periods;
    int64_t *values;
    size_t cap;
} each_t;

static int call_series(void *arg, const family_t *f, row_t *rows, size_t n)
{
    each_t *e = arg;
    if (!rows[0].entity)
        return 0;
    size_t cap = e->cap;
    if (ps__cube_grow((void **)&e->periods, &cap, n, sizeof *e->periods) < 0 ||
        ps__cube_grow((void **)&e->values, &e->cap, n, sizeof *e->values) < 0)
        return PS_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        e->periods[k] = row_period(&rows[k]);
        e->values[k] = rows[k].value;
    }
    ps__cell_key_t key = { .indicator = f->indicator, .entity = rows[0].entity,
                           .tags = rows[0].tags, .source = f->source };
    return e->fn(e->arg, &key, e->periods, e->values, n);
}

int ps__cube_each_series(ps__cube_t *cube, uint32_t source, ps__series_fn fn, void *arg)
{
    each_t e = { .fn = fn, .arg = arg };
    int rc = walk_series(cube, source, call_series, &e);
    free(e.periods);
    free(e.values);
    return rc;
}
