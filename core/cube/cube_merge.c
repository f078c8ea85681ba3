#include "config.h"

#include "cube/cube_impl.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "num/decimal.h"

/*
 * The merge of a partial cube, read by a second thread from the end of a
 * file, into the cube of the part before it. Strings, tag tuples and series
 * are taken over in the order `from` created them, that is, in the order
 * of their first row in the file: ids, series order and therefore every
 * query's answer and order come out as if one thread had read the file.
 */

/* from's string ids -> into's. */
static int map_strings(ps__cube_t *into, const ps__cube_t *from, uint32_t **map)
{
    size_t n = ps__intern_count(from->strings);
    if (!(*map = malloc(n * sizeof **map)))
        return PS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *s = ps__intern_str(from->strings, (uint32_t)i);
        int rc = ps__intern_id(into->strings, s, strlen(s), &(*map)[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* from's tuple ids -> into's. */
static int map_tuples(ps__cube_t *into, const ps__cube_t *from, const uint32_t *strings,
                      uint32_t **map)
{
    if (!(*map = malloc(from->ntuples * sizeof **map)))
        return PS_ENOMEM;
    ps__tag_pair_t pairs[64];
    for (size_t t = 0; t < from->ntuples; t++) {
        size_t n = ps__cube_tuple_len(from, (uint32_t)t);
        const ps__tag_pair_t *p = ps__cube_tuple_pairs(from, (uint32_t)t);
        if (n > sizeof pairs / sizeof pairs[0])
            return PS_ERANGE;
        for (size_t k = 0; k < n; k++)
            pairs[k] = (ps__tag_pair_t){ strings[p[k].tag], strings[p[k].value] };
        int rc = ps__cube_tags_id(into, pairs, n, &(*map)[t]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int merge_units(ps__cube_t *into, const ps__cube_t *from, const uint32_t *strings)
{
    for (size_t i = 0; i < from->units_cap; i++) {
        const char *unit = from->units[i];
        if (!unit)
            continue;
        const char *known = ps__cube_unit(into, strings[i]);
        if (known && strcmp(known, unit) != 0)
            return PS_EUNIT;
        if (!known && ps__cube_set_unit(into, strings[i], unit) < 0)
            return PS_ENOMEM;
    }
    return 0;
}

/* A month of both: an entity's is a duplicate; other rows add up, when no
   running sum could have overflowed on the way, whatever the order. */
static int merge_month(month_t *into, const month_t *m, int has_entity, int64_t loose_max)
{
    if (has_entity)
        return PS_EEXISTS;
    int64_t reach, bound;
    if (into->sum == INT64_MIN || /* no magnitude to bound */
        __builtin_mul_overflow((int64_t)m->rows, loose_max, &reach) ||
        __builtin_add_overflow(into->sum < 0 ? -into->sum : into->sum, reach, &bound))
        return PS_EOVERFLOW;
    into->sum += m->sum;
    into->rows += m->rows;
    return 0;
}

/* The merge's state: from's ids in into, and what into's series get. */
typedef struct merge {
    ps__cube_t *into, *from;
    uint32_t *strings, *tuples;
    ps__cube_tail_t *tails; /* by into's series; compaction appends them */
    size_t tails_cap;
    uint32_t line_base;
} merge_t;

/* fs's months all come after s's: they wait as s's tail, copied once when
   the merge compacts the cube. */
static int defer_months(merge_t *m, size_t s_index, const series_t *fs)
{
    if (ps__cube_grow_zeroed((void **)&m->tails, &m->tails_cap, s_index + 1,
                             sizeof *m->tails) < 0)
        return PS_ENOMEM;
    m->tails[s_index] = (ps__cube_tail_t){ fs->months, fs->n };
    return 0;
}

static int merge_months(merge_t *m, size_t s_index, series_t *fs)
{
    series_t *s = &m->into->series[s_index];
    for (uint32_t k = 0; fs->key.entity && k < fs->n; k++)
        fs->months[k].line += m->line_base;
    if (s->n == 0 && fs->cap) { /* a new series: take its months over */
        s->months = fs->months;
        s->n = fs->n;
        s->cap = fs->cap;
        fs->months = NULL;
        fs->n = fs->cap = 0;
        return 0;
    }
    if (fs->n && (s->n == 0 || s->months[s->n - 1].period < fs->months[0].period))
        return defer_months(m, s_index, fs);
    for (uint32_t k = 0; k < fs->n; k++) {
        int found;
        size_t at = ps__cube_month_at(s, fs->months[k].period, &found);
        int rc = found ? merge_month(&s->months[at], &fs->months[k], s->key.entity != 0,
                                     m->from->loose_max)
                       : ps__cube_insert_month(m->into, s, at, &fs->months[k]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int merge_series(merge_t *m)
{
    for (size_t i = 0; i < m->from->nseries; i++) {
        series_t *fs = &m->from->series[i];
        ps__cell_key_t key = fs->key;
        key.indicator = m->strings[key.indicator];
        key.entity = m->strings[key.entity];
        key.tags = m->tuples[key.tags];
        series_t *s;
        int rc = ps__cube_series_of(m->into, &key, &s);
        if (rc == 0)
            rc = merge_months(m, (size_t)(s - m->into->series), fs);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* A cube that nothing was added to, as ps__cube_new made it. */
static int pristine(const ps__cube_t *cube)
{
    return cube->nseries == 0 && cube->ntuples == 1 && cube->units_cap == 0 &&
           ps__intern_count(cube->strings) == 1 && !cube->months_arena;
}

int ps__cube_merge(ps__cube_t *into, ps__cube_t *from, uint32_t line_base)
{
    if (line_base == 0 && pristine(into)) { /* the first file: take it all */
        ps__cube_t empty = *into;
        *into = *from;
        *from = empty;
        return 0;
    }
    merge_t m = { .into = into, .from = from, .line_base = line_base };
    /* the blocks of from's months, which into's series take over */
    ps__pool_adopt(&into->months_pool, &from->months_pool);
    int rc = map_strings(into, from, &m.strings);
    if (rc == 0)
        rc = map_tuples(into, from, m.strings, &m.tuples);
    if (rc == 0)
        rc = merge_units(into, from, m.strings);
    if (rc == 0)
        rc = merge_series(&m);
    if (rc == 0) {
        if (from->max_period > into->max_period)
            into->max_period = from->max_period;
        if (from->loose_max > into->loose_max)
            into->loose_max = from->loose_max;
    }
    /* the tails point into from's months: settle them while from lives,
       whatever else went wrong, so that into stays whole */
    if (m.tails_cap) {
        int settled = ps__cube_compact_tails(into, m.tails, m.tails_cap);
        if (rc == 0)
            rc = settled;
    }
    free(m.strings);
    free(m.tuples);
    free(m.tails);
    return rc;
}

int ps__cube_can_merge(const ps__cube_t *into, const ps__cube_t *from, uint32_t source)
{
    for (size_t i = 0; i < into->nseries; i++)
        if (into->series[i].key.source == source)
            return 0;
    for (size_t i = 0; i < from->units_cap; i++) {
        const char *unit = from->units[i], *name = ps__intern_str(from->strings, (uint32_t)i);
        if (!unit)
            continue;
        uint32_t id = ps__intern_find(into->strings, name, strlen(name));
        const char *known = id == UINT32_MAX ? NULL : ps__cube_unit(into, id);
        if (known && strcmp(known, unit) != 0)
            return 0;
    }
    return 1;
}
