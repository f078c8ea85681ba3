#include "config.h"

#include "cube.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "decimal.h"

typedef struct cell {
    ps__cell_key_t key;
    int64_t sum;
    uint32_t rows;
    uint32_t first_line;
} cell_t;

struct ps__cube {
    ps__intern_t *strings;

    cell_t *cells;
    size_t ncells, cells_cap;
    uint32_t *slots; /* cell index + 1; 0 = empty */
    size_t nslots;

    ps__tag_pair_t *pairs;   /* every tuple's pairs, back to back */
    size_t npairs, pairs_cap;
    size_t *tuple_start;     /* tuple id -> first pair; tuple_start[n] = end */
    size_t ntuples, tuples_cap;
    uint32_t *tuple_slots;   /* tuple id + 1 */
    size_t ntuple_slots;

    const char **units;      /* string id -> base unit */
    size_t units_cap;
};

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return PS_ENOMEM;
    *p = q;
    *cap = n;
    return 0;
}

ps__cube_t *ps__cube_new(void)
{
    ps__cube_t *cube = calloc(1, sizeof *cube);
    if (!cube)
        return NULL;
    cube->strings = ps__intern_new();
    cube->tuple_start = calloc(1, sizeof *cube->tuple_start);
    cube->tuples_cap = 1;
    uint32_t empty;
    /* pairs is never NULL, so that a tuple's start is always a valid
       pointer, even for the empty tuple */
    if (!cube->strings || !cube->tuple_start ||
        grow((void **)&cube->pairs, &cube->pairs_cap, 1, sizeof *cube->pairs) < 0 ||
        ps__cube_tags_id(cube, NULL, 0, &empty) < 0) {
        ps__cube_free(cube);
        return NULL;
    }
    return cube;
}

void ps__cube_free(ps__cube_t *cube)
{
    if (!cube)
        return;
    ps__intern_free(cube->strings);
    free(cube->cells);
    free(cube->slots);
    free(cube->pairs);
    free(cube->tuple_start);
    free(cube->tuple_slots);
    free(cube->units);
    free(cube);
}

ps__intern_t *ps__cube_strings(ps__cube_t *cube)
{
    return cube->strings;
}

/* ---- tag tuples --------------------------------------------------------- */

static int pair_cmp(const void *a, const void *b)
{
    const ps__tag_pair_t *x = a, *y = b;
    return x->tag < y->tag ? -1 : x->tag > y->tag;
}

static size_t tuple_len(const ps__cube_t *cube, uint32_t id)
{
    return cube->tuple_start[id + 1] - cube->tuple_start[id];
}

static size_t tuple_slot(const ps__cube_t *cube, const ps__tag_pair_t *pairs,
                         size_t n)
{
    size_t mask = cube->ntuple_slots - 1;
    size_t i = (size_t)ps__hash_bytes(pairs, n * sizeof *pairs, 7) & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t v = cube->tuple_slots[i];
        if (v == 0)
            return i;
        if (tuple_len(cube, v - 1) != n)
            continue;
        if (n == 0 || memcmp(cube->pairs + cube->tuple_start[v - 1], pairs,
                             n * sizeof *pairs) == 0)
            return i;
    }
}

static int grow_tuple_slots(ps__cube_t *cube)
{
    size_t n = cube->ntuple_slots ? cube->ntuple_slots * 2 : 64;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return PS_ENOMEM;
    uint32_t *old = cube->tuple_slots;
    size_t old_n = cube->ntuple_slots;
    cube->tuple_slots = slots;
    cube->ntuple_slots = n;
    for (size_t i = 0; i < old_n; i++) {
        uint32_t v = old[i];
        if (v)
            slots[tuple_slot(cube, cube->pairs + cube->tuple_start[v - 1],
                             tuple_len(cube, v - 1))] = v;
    }
    free(old);
    return 0;
}

int ps__cube_tags_id(ps__cube_t *cube, ps__tag_pair_t *pairs, size_t n,
                     uint32_t *id)
{
    if (n > 1)
        qsort(pairs, n, sizeof *pairs, pair_cmp);
    if ((cube->ntuples + 1) * 2 > cube->ntuple_slots && grow_tuple_slots(cube) < 0)
        return PS_ENOMEM;
    size_t slot = tuple_slot(cube, pairs, n);
    if (cube->tuple_slots[slot]) {
        *id = cube->tuple_slots[slot] - 1;
        return 0;
    }
    if (grow((void **)&cube->pairs, &cube->pairs_cap, cube->npairs + n,
             sizeof *cube->pairs) < 0 ||
        grow((void **)&cube->tuple_start, &cube->tuples_cap, cube->ntuples + 2,
             sizeof *cube->tuple_start) < 0)
        return PS_ENOMEM;
    if (n)
        memcpy(cube->pairs + cube->npairs, pairs, n * sizeof *pairs);
    cube->npairs += n;
    cube->ntuples++;
    cube->tuple_start[cube->ntuples] = cube->npairs;
    cube->tuple_slots[slot] = (uint32_t)cube->ntuples;
    *id = (uint32_t)(cube->ntuples - 1);
    return 0;
}

/* The value the tuple gives `tag`, or 0 when it has none. */
static uint32_t tuple_value(const ps__cube_t *cube, uint32_t id, uint32_t tag)
{
    const ps__tag_pair_t *t = cube->pairs + cube->tuple_start[id];
    for (size_t i = 0, n = tuple_len(cube, id); i < n; i++)
        if (t[i].tag == tag)
            return t[i].value;
    return 0;
}

/* ---- cells -------------------------------------------------------------- */

static int key_equal(const ps__cell_key_t *a, const ps__cell_key_t *b)
{
    return a->indicator == b->indicator && a->entity == b->entity &&
           a->tags == b->tags && a->period == b->period && a->source == b->source;
}

static size_t key_hash(const ps__cell_key_t *k)
{
    uint64_t h = k->indicator * 0x9E3779B97F4A7C15ULL;
    h ^= (h >> 29) + k->entity * 0xBF58476D1CE4E5B9ULL;
    h ^= (h >> 31) + k->tags * 0x94D049BB133111EBULL;
    h ^= (h >> 29) + (uint64_t)(uint32_t)k->period * 0x9E3779B97F4A7C15ULL;
    h ^= (h >> 32) + k->source;
    return (size_t)(h ^ (h >> 31));
}

static size_t cell_slot(const ps__cube_t *cube, const ps__cell_key_t *key)
{
    size_t mask = cube->nslots - 1;
    for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
        uint32_t v = cube->slots[i];
        if (v == 0 || key_equal(&cube->cells[v - 1].key, key))
            return i;
    }
}

static int rehash_cells(ps__cube_t *cube, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return PS_ENOMEM;
    free(cube->slots);
    cube->slots = slots;
    cube->nslots = nslots;
    for (size_t i = 0; i < cube->ncells; i++)
        slots[cell_slot(cube, &cube->cells[i].key)] = (uint32_t)(i + 1);
    return 0;
}

int ps__cube_add(ps__cube_t *cube, const ps__cell_key_t *key, int64_t value,
                 uint32_t line, uint32_t *first_line)
{
    if ((cube->ncells + 1) * 2 > cube->nslots &&
        rehash_cells(cube, cube->nslots ? cube->nslots * 2 : 1024) < 0)
        return PS_ENOMEM;
    size_t slot = cell_slot(cube, key);
    *first_line = 0;
    if (cube->slots[slot]) {
        cell_t *c = &cube->cells[cube->slots[slot] - 1];
        *first_line = c->first_line;
        if (key->entity)
            return PS_EEXISTS; /* an entity reports a cell once */
        int rc = ps__add_checked(&c->sum, value);
        if (rc < 0)
            return rc;
        c->rows++;
        return 0;
    }
    if (grow((void **)&cube->cells, &cube->cells_cap, cube->ncells + 1,
             sizeof *cube->cells) < 0)
        return PS_ENOMEM;
    cube->cells[cube->ncells] = (cell_t){ *key, value, 1, line };
    cube->slots[slot] = (uint32_t)++cube->ncells;
    return 0;
}

/* Orders a cumulative source's cells so that each series' months follow. */
static int series_cmp(const void *a, const void *b)
{
    const ps__cell_key_t *x = &((const cell_t *)a)->key;
    const ps__cell_key_t *y = &((const cell_t *)b)->key;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    if (x->indicator != y->indicator)
        return x->indicator < y->indicator ? -1 : 1;
    if (x->entity != y->entity)
        return x->entity < y->entity ? -1 : 1;
    if (x->tags != y->tags)
        return x->tags < y->tags ? -1 : 1;
    return x->period < y->period ? -1 : x->period > y->period;
}

static int same_series_and_year(const ps__cell_key_t *a, const ps__cell_key_t *b)
{
    return a->source == b->source && a->indicator == b->indicator &&
           a->entity == b->entity && a->tags == b->tags &&
           ps_period_year(a->period) == ps_period_year(b->period);
}

int ps__cube_cumulative_to_flow(ps__cube_t *cube, uint32_t source)
{
    if (cube->ncells) /* qsort's array may not be NULL, even when empty */
        qsort(cube->cells, cube->ncells, sizeof *cube->cells, series_cmp);
    int64_t previous = 0;
    for (size_t i = 0; i < cube->ncells; i++) {
        cell_t *c = &cube->cells[i];
        if (c->key.source != source)
            continue;
        int64_t total = c->sum;
        if (i > 0 && same_series_and_year(&cube->cells[i - 1].key, &c->key)) {
            if (__builtin_sub_overflow(total, previous, &c->sum))
                return PS_EOVERFLOW;
        }
        previous = total;
    }
    return rehash_cells(cube, cube->nslots ? cube->nslots : 1024);
}

/* ---- units -------------------------------------------------------------- */

int ps__cube_set_unit(ps__cube_t *cube, uint32_t indicator, const char *unit)
{
    size_t old = cube->units_cap;
    if (grow((void **)&cube->units, &cube->units_cap, (size_t)indicator + 1,
             sizeof *cube->units) < 0)
        return PS_ENOMEM;
    if (cube->units_cap > old)
        memset(cube->units + old, 0, (cube->units_cap - old) * sizeof *cube->units);
    cube->units[indicator] = unit;
    return 0;
}

const char *ps__cube_unit(const ps__cube_t *cube, uint32_t indicator)
{
    return indicator < cube->units_cap ? cube->units[indicator] : NULL;
}

/* ---- queries ------------------------------------------------------------ */

static int tuple_matches(const ps__cube_t *cube, uint32_t id,
                         const ps__cube_query_t *q)
{
    for (size_t i = 0; i < q->n_filters; i++)
        if (tuple_value(cube, id, q->filters[i].tag) != q->filters[i].value)
            return 0;
    return 1;
}

static int cell_matches(const ps__cube_t *cube, const cell_t *c,
                        const ps__cube_query_t *q)
{
    return c->key.indicator == q->indicator && c->key.period >= q->from &&
           c->key.period <= q->to && tuple_matches(cube, c->key.tags, q);
}

int ps__cube_sum(const ps__cube_t *cube, const ps__cube_query_t *q,
                 int64_t *sum, uint64_t *rows)
{
    *sum = 0;
    *rows = 0;
    for (size_t i = 0; i < cube->ncells; i++) {
        const cell_t *c = &cube->cells[i];
        if (!cell_matches(cube, c, q))
            continue;
        if (ps__add_checked(sum, c->sum) < 0)
            return PS_EOVERFLOW;
        *rows += c->rows;
    }
    return 0;
}

/* Groups by a tag value, growing the list as new values appear. */
typedef struct grouping {
    ps__cube_group_t *g;
    size_t n, cap;
} grouping_t;

static ps__cube_group_t *group_of(grouping_t *gr, uint32_t value)
{
    for (size_t k = 0; k < gr->n; k++)
        if (gr->g[k].value == value)
            return &gr->g[k];
    if (grow((void **)&gr->g, &gr->cap, gr->n + 1, sizeof *gr->g) < 0)
        return NULL;
    gr->g[gr->n] = (ps__cube_group_t){ value, 0 };
    return &gr->g[gr->n++];
}

static int grouping_done(grouping_t *gr, int rc, ps__cube_group_t **groups, size_t *n)
{
    if (rc < 0) {
        free(gr->g);
        return rc;
    }
    *groups = gr->g;
    *n = gr->n;
    return 0;
}

int ps__cube_breakdown(const ps__cube_t *cube, const ps__cube_query_t *q,
                       uint32_t tag, ps__cube_group_t **groups, size_t *n)
{
    grouping_t gr = { 0 };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < cube->ncells; i++) {
        const cell_t *c = &cube->cells[i];
        if (!cell_matches(cube, c, q))
            continue;
        ps__cube_group_t *g = group_of(&gr, tuple_value(cube, c->key.tags, tag));
        rc = g ? ps__add_checked(&g->sum, c->sum) : PS_ENOMEM;
    }
    return grouping_done(&gr, rc, groups, n);
}

static int pair_order(const void *a, const void *b)
{
    const ps__tag_pair_t *x = a, *y = b;
    if (x->tag != y->tag)
        return x->tag < y->tag ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

/* The distinct (group value, entity) pairs of the matching cells, sorted. */
static int entity_pairs(const ps__cube_t *cube, const ps__cube_query_t *q,
                        uint32_t tag, ps__tag_pair_t **pairs, size_t *n)
{
    size_t cap = 0;
    *pairs = NULL;
    *n = 0;
    for (size_t i = 0; i < cube->ncells; i++) {
        const cell_t *c = &cube->cells[i];
        if (c->key.entity == 0 || !cell_matches(cube, c, q))
            continue;
        if (grow((void **)pairs, &cap, *n + 1, sizeof **pairs) < 0)
            return PS_ENOMEM;
        (*pairs)[(*n)++] = (ps__tag_pair_t){ tuple_value(cube, c->key.tags, tag),
                                             c->key.entity };
    }
    if (*n > 1)
        qsort(*pairs, *n, sizeof **pairs, pair_order);
    return 0;
}

int ps__cube_count_by(const ps__cube_t *cube, const ps__cube_query_t *q,
                      uint32_t tag, ps__cube_group_t **groups, size_t *n)
{
    ps__tag_pair_t *pairs;
    size_t np;
    grouping_t gr = { 0 };
    int rc = entity_pairs(cube, q, tag, &pairs, &np);
    for (size_t i = 0; rc == 0 && i < np; i++) {
        if (i > 0 && pair_order(&pairs[i - 1], &pairs[i]) == 0)
            continue;
        ps__cube_group_t *g = group_of(&gr, pairs[i].tag);
        if (g)
            g->sum++;
        else
            rc = PS_ENOMEM;
    }
    free(pairs);
    return grouping_done(&gr, rc, groups, n);
}

int ps__cube_count_entities(const ps__cube_t *cube, const ps__cube_query_t *q,
                            int64_t *count)
{
    size_t nstrings = ps__intern_count(cube->strings);
    unsigned char *seen = calloc(nstrings ? nstrings : 1, 1);
    if (!seen)
        return PS_ENOMEM;
    *count = 0;
    for (size_t i = 0; i < cube->ncells; i++) {
        const cell_t *c = &cube->cells[i];
        if (c->key.entity == 0 || seen[c->key.entity] || !cell_matches(cube, c, q))
            continue;
        seen[c->key.entity] = 1;
        ++*count;
    }
    free(seen);
    return 0;
}

ps_period_t ps__cube_latest(const ps__cube_t *cube, uint32_t indicator,
                            ps_period_t upto)
{
    ps_period_t best = 0;
    for (size_t i = 0; i < cube->ncells; i++) {
        const ps__cell_key_t *k = &cube->cells[i].key;
        if (k->indicator == indicator && k->period <= upto && k->period > best)
            best = k->period;
    }
    return best;
}

static const ps__cube_t *sort_cube; /* qsort has no argument: set while sorting */

static int index_series_cmp(const void *a, const void *b)
{
    const cell_t *x = &sort_cube->cells[*(const size_t *)a];
    const cell_t *y = &sort_cube->cells[*(const size_t *)b];
    return series_cmp(x, y);
}

int ps__cube_each_series(const ps__cube_t *cube, uint32_t source, ps__series_fn fn,
                         void *arg)
{
    size_t n = 0;
    size_t *order = malloc((cube->ncells ? cube->ncells : 1) * sizeof *order);
    ps_period_t *periods = malloc((cube->ncells ? cube->ncells : 1) * sizeof *periods);
    int64_t *values = malloc((cube->ncells ? cube->ncells : 1) * sizeof *values);
    int rc = order && periods && values ? 0 : PS_ENOMEM;
    for (size_t i = 0; rc == 0 && i < cube->ncells; i++)
        if (cube->cells[i].key.source == source && cube->cells[i].key.entity)
            order[n++] = i;
    sort_cube = cube;
    if (rc == 0)
        qsort(order, n, sizeof *order, index_series_cmp);
    for (size_t start = 0; rc == 0 && start < n;) {
        const ps__cell_key_t *key = &cube->cells[order[start]].key;
        size_t len = 0;
        for (; start + len < n; len++) {
            const ps__cell_key_t *k = &cube->cells[order[start + len]].key;
            if (k->indicator != key->indicator || k->entity != key->entity ||
                k->tags != key->tags)
                break;
            periods[len] = k->period;
            values[len] = cube->cells[order[start + len]].sum;
        }
        rc = fn(arg, key, periods, values, len);
        start += len;
    }
    free(order);
    free(periods);
    free(values);
    return rc;
}

ps_period_t ps__cube_max_period(const ps__cube_t *cube)
{
    ps_period_t best = 0;
    for (size_t i = 0; i < cube->ncells; i++)
        if (cube->cells[i].key.period > best)
            best = cube->cells[i].key.period;
    return best;
}
