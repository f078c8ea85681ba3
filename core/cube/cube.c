#include "config.h"

#include "cube/cube_impl.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "num/decimal.h"

int ps__cube_grow(void **p, size_t *cap, size_t need, size_t size)
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
    ps__pool_init(&cube->months_pool, MONTHS_FIRST * sizeof(month_t),
                  MONTHS_STEP * sizeof(month_t));
    uint32_t empty;
    /* pairs is never NULL, so that a tuple's start is always a valid
       pointer, even for the empty tuple */
    if (!cube->strings || !cube->tuple_start ||
        ps__cube_grow((void **)&cube->pairs, &cube->pairs_cap, 1, sizeof *cube->pairs) < 0 ||
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
    ps__pool_clear(&cube->months_pool);
    free(cube->months_arena);
    free(cube->packed);
    free(cube->packed_start);
    free(cube->series);
    free(cube->slots);
    free(cube->entities);
    for (size_t i = 0; i < cube->by_indicator_cap; i++)
        free(cube->by_indicator[i].series);
    free(cube->by_indicator);
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

size_t ps__cube_tuple_len(const ps__cube_t *cube, uint32_t id)
{
    return cube->tuple_start[id + 1] - cube->tuple_start[id];
}

const ps__tag_pair_t *ps__cube_tuple_pairs(const ps__cube_t *cube, uint32_t id)
{
    return cube->pairs + cube->tuple_start[id];
}

typedef struct tuple_probe {
    const ps__cube_t *cube;
    const ps__tag_pair_t *pairs;
    size_t n;
} tuple_probe_t;

static int same_tuple(const void *arg, uint32_t id)
{
    const tuple_probe_t *p = arg;
    return ps__cube_tuple_len(p->cube, id) == p->n &&
           (p->n == 0 || memcmp(ps__cube_tuple_pairs(p->cube, id), p->pairs,
                                p->n * sizeof *p->pairs) == 0);
}

static size_t tuple_slot(const ps__cube_t *cube, const ps__tag_pair_t *pairs, size_t n,
                         uint32_t hash)
{
    tuple_probe_t p = { cube, pairs, n };
    return ps__slots_find(cube->tuple_slots, cube->ntuple_slots, hash, same_tuple, &p);
}

/* By tag id; a row's pairs come in column order, usually sorted already,
   which insertion sort passes over in one sweep. */
static void sort_pairs(ps__tag_pair_t *pairs, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        ps__tag_pair_t p = pairs[i];
        size_t j = i;
        for (; j > 0 && pairs[j - 1].tag > p.tag; j--)
            pairs[j] = pairs[j - 1];
        pairs[j] = p;
    }
}

int ps__cube_tags_id(ps__cube_t *cube, ps__tag_pair_t *pairs, size_t n,
                     uint32_t *id)
{
    sort_pairs(pairs, n);
    if ((cube->ntuples + 1) * 2 > cube->ntuple_slots &&
        ps__slots_grow(&cube->tuple_slots, &cube->ntuple_slots, 64) < 0)
        return PS_ENOMEM;
    uint32_t hash = (uint32_t)ps__hash_bytes(pairs, n * sizeof *pairs, 7);
    size_t slot = tuple_slot(cube, pairs, n, hash);
    if (!ps__slot_empty(cube->tuple_slots[slot])) {
        *id = ps__slot_id(cube->tuple_slots[slot]);
        return 0;
    }
    if (ps__cube_grow((void **)&cube->pairs, &cube->pairs_cap, cube->npairs + n,
                      sizeof *cube->pairs) < 0 ||
        ps__cube_grow((void **)&cube->tuple_start, &cube->tuples_cap, cube->ntuples + 2,
                      sizeof *cube->tuple_start) < 0)
        return PS_ENOMEM;
    if (n)
        memcpy(cube->pairs + cube->npairs, pairs, n * sizeof *pairs);
    cube->npairs += n;
    cube->ntuples++;
    cube->tuple_start[cube->ntuples] = cube->npairs;
    *id = (uint32_t)(cube->ntuples - 1);
    cube->tuple_slots[slot] = ps__slot_make(hash, *id);
    return 0;
}

uint32_t ps__cube_tuple_value(const ps__cube_t *cube, uint32_t id, uint32_t tag)
{
    const ps__tag_pair_t *t = ps__cube_tuple_pairs(cube, id);
    for (size_t i = 0, n = ps__cube_tuple_len(cube, id); i < n; i++)
        if (t[i].tag == tag)
            return t[i].value;
    return 0;
}

/* ---- series ------------------------------------------------------------- */

static int same_series(const ps__cell_key_t *a, const ps__cell_key_t *b)
{
    return a->indicator == b->indicator && a->entity == b->entity &&
           a->tags == b->tags && a->source == b->source;
}

static uint32_t series_hash(const ps__cell_key_t *k)
{
    uint64_t h = (k->indicator ^ ((uint64_t)k->source << 32)) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ (h >> 29) ^ k->entity) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 31) ^ k->tags) * 0x94D049BB133111EBULL;
    return (uint32_t)(h ^ (h >> 32));
}

typedef struct series_probe {
    const ps__cube_t *cube;
    const ps__cell_key_t *key;
} series_probe_t;

static int same_series_id(const void *arg, uint32_t id)
{
    const series_probe_t *p = arg;
    return same_series(&p->cube->series[id].key, p->key);
}

static size_t series_slot(const ps__cube_t *cube, const ps__cell_key_t *key, uint32_t hash)
{
    series_probe_t p = { cube, key };
    return ps__slots_find(cube->slots, cube->nslots, hash, same_series_id, &p);
}

static int index_by_indicator(ps__cube_t *cube, uint32_t indicator, uint32_t series)
{
    if (ps__cube_grow_zeroed((void **)&cube->by_indicator, &cube->by_indicator_cap,
                             (size_t)indicator + 1, sizeof *cube->by_indicator) < 0)
        return PS_ENOMEM;
    indicator_index_t *ix = &cube->by_indicator[indicator];
    if (ps__cube_grow((void **)&ix->series, &ix->cap, ix->n + 1, sizeof *ix->series) < 0)
        return PS_ENOMEM;
    ix->series[ix->n++] = series;
    return 0;
}

/* A ledger sorted by month lists its keys in the same order every month:
   the series after the last row's is the likeliest, and costs no lookup;
   the one after it when a row in between had no value. */
static series_t *predicted_series(ps__cube_t *cube, const ps__cell_key_t *key)
{
    for (size_t next = cube->last_series; next < cube->nseries &&
                                          next <= cube->last_series + 1; next++)
        if (same_series(&cube->series[next].key, key)) {
            cube->last_series = next + 1;
            return &cube->series[next];
        }
    return NULL;
}

/* The list of `entity`, the table grown to hold it; NULL when memory is
   short. */
static entity_list_t *entity_list(ps__cube_t *cube, uint32_t entity)
{
    if (ps__cube_grow_zeroed((void **)&cube->entities, &cube->entities_cap,
                             (size_t)entity + 1, sizeof *cube->entities) < 0)
        return NULL;
    return &cube->entities[entity];
}

/* The series of key in its entity's list, or NULL. */
static series_t *listed_series(ps__cube_t *cube, const entity_list_t *list,
                               const ps__cell_key_t *key)
{
    for (uint32_t id = list->newest; id; id = cube->series[id - 1].older)
        if (same_series(&cube->series[id - 1].key, key))
            return &cube->series[id - 1];
    return NULL;
}

/* A new, empty series of key: its id, or PS_ENOMEM. */
static int64_t new_series(ps__cube_t *cube, const ps__cell_key_t *key)
{
    if (ps__cube_grow((void **)&cube->series, &cube->series_cap, cube->nseries + 1,
                      sizeof *cube->series) < 0 ||
        index_by_indicator(cube, key->indicator, (uint32_t)cube->nseries) < 0)
        return PS_ENOMEM;
    series_t *s = &cube->series[cube->nseries];
    *s = (series_t){ .key = *key };
    s->key.period = 0;
    cube->compact = 0;
    cube->last_series = cube->nseries + 1;
    return (int64_t)cube->nseries++;
}

/* The series of key among those of the slot table, created when new. */
static int hashed_series(ps__cube_t *cube, const ps__cell_key_t *key, series_t **out)
{
    if ((cube->nhashed + 1) * 2 > cube->nslots &&
        ps__slots_grow(&cube->slots, &cube->nslots, 1024) < 0)
        return PS_ENOMEM;
    uint32_t hash = series_hash(key);
    size_t slot = series_slot(cube, key, hash);
    if (!ps__slot_empty(cube->slots[slot])) {
        uint32_t id = ps__slot_id(cube->slots[slot]);
        cube->last_series = (size_t)id + 1;
        *out = &cube->series[id];
        return 0;
    }
    int64_t id = new_series(cube, key);
    if (id < 0)
        return PS_ENOMEM;
    cube->slots[slot] = ps__slot_make(hash, (uint32_t)id);
    cube->nhashed++;
    *out = &cube->series[id];
    return 0;
}

int ps__cube_series_of(ps__cube_t *cube, const ps__cell_key_t *key, series_t **out)
{
    if ((*out = predicted_series(cube, key)))
        return 0;
    if (!key->entity)
        return hashed_series(cube, key, out);
    entity_list_t *list = entity_list(cube, key->entity);
    if (!list)
        return PS_ENOMEM;
    if ((*out = listed_series(cube, list, key))) {
        cube->last_series = (size_t)(*out - cube->series) + 1;
        return 0;
    }
    if (list->n == ENTITY_LIST_MAX)
        return hashed_series(cube, key, out);
    int64_t id = new_series(cube, key);
    if (id < 0)
        return PS_ENOMEM;
    *out = &cube->series[id];
    (*out)->older = list->newest;
    list->newest = (uint32_t)id + 1;
    list->n++;
    return 0;
}

size_t ps__cube_month_at(const series_t *s, ps_period_t period, int *found)
{
    size_t lo = 0, hi = s->n;
    /* rows mostly come month after month: try the end first */
    if (hi == 0 || s->months[hi - 1].period < period) {
        *found = 0;
        return hi;
    }
    /* a series without gaps holds `period` at its distance from the first */
    size_t guess = period > s->months[0].period ? (size_t)(period - s->months[0].period) : 0;
    if (guess < hi && s->months[guess].period == period) {
        *found = 1;
        return guess;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->months[mid].period < period)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < s->n && s->months[lo].period == period;
    return lo;
}

/* The months in a block of the pool's class k. */
static uint64_t months_in_class(unsigned k)
{
    return k ? (uint64_t)MONTHS_STEP << (k - 1) : MONTHS_FIRST;
}

/* The pool's class of the smallest block that holds n months. */
static unsigned months_class(uint32_t n)
{
    unsigned k = 0;
    while (months_in_class(k) < n)
        k++;
    return k;
}

/* Moves s's months to a block with room for one more: the next class, or
   the first that holds them when they lie in the arena (which is copied
   out, never grown). Its old block goes back to the pool. */
static int grow_months(ps__cube_t *cube, series_t *s)
{
    unsigned k = months_class(s->n + 1);
    month_t *months = k < 28 ? ps__pool_alloc(&cube->months_pool, k) : NULL;
    if (!months)
        return PS_ENOMEM;
    if (s->n)
        memcpy(months, s->months, s->n * sizeof *months);
    if (s->cap)
        ps__pool_release(&cube->months_pool, s->months, months_class(s->cap));
    s->months = months;
    s->cap = (uint32_t)months_in_class(k);
    return 0;
}

int ps__cube_insert_month(ps__cube_t *cube, series_t *s, size_t at, const month_t *m)
{
    cube->compact = 0;
    /* cap is the room of the series' own block: none when its months lie
       in the arena (cap 0), packed against the next series' months, which
       then move to a block of their own first */
    if (s->n >= s->cap && grow_months(cube, s) < 0)
        return PS_ENOMEM;
    if (at < s->n) /* rows mostly come in month order: no call to move nothing */
        memmove(s->months + at + 1, s->months + at, (s->n - at) * sizeof *s->months);
    s->months[at] = *m;
    s->n++;
    return 0;
}

int ps__cube_add(ps__cube_t *cube, const ps__cell_key_t *key, int64_t value,
                 uint32_t line, uint32_t *first_line)
{
    series_t *s;
    int found;
    *first_line = 0;
    if (ps__cube_series_of(cube, key, &s) < 0)
        return PS_ENOMEM;
    size_t at = ps__cube_month_at(s, key->period, &found);
    if (found) {
        month_t *m = &s->months[at];
        if (key->entity) {
            *first_line = m->line;
            return PS_EEXISTS; /* an entity reports a cell once */
        }
        int rc = ps__add_checked(&m->sum, value);
        if (rc == 0)
            m->rows++;
        return rc;
    }
    if (!key->entity) {
        int64_t magnitude = value < 0 ? -value : value; /* value > INT64_MIN */
        if (magnitude > cube->loose_max)
            cube->loose_max = magnitude;
    }
    month_t m = { .sum = value, .period = key->period };
    if (key->entity)
        m.line = line;
    else
        m.rows = 1;
    if (ps__cube_insert_month(cube, s, at, &m) < 0)
        return PS_ENOMEM;
    if (cube->last_series < cube->nseries) {
        /* fetch where the next row will likely go while this one finishes */
        const series_t *next = &cube->series[cube->last_series];
        __builtin_prefetch(next->months + (next->n ? next->n - 1 : 0), 1);
    }
    if (key->period > cube->max_period)
        cube->max_period = key->period;
    return 0;
}

/* Each month of a cumulative series becomes that month's flow: its total
   minus the previous month's of the same year. */
int ps__cube_cumulative_to_flow(ps__cube_t *cube, uint32_t source)
{
    for (size_t i = 0; i < cube->nseries; i++) {
        series_t *s = &cube->series[i];
        if (s->key.source != source)
            continue;
        int64_t previous = 0;
        for (uint32_t k = 0; k < s->n; k++) {
            month_t *m = &s->months[k];
            int64_t total = m->sum;
            if (k > 0 && ps_period_year(s->months[k - 1].period) == ps_period_year(m->period) &&
                __builtin_sub_overflow(total, previous, &m->sum))
                return PS_EOVERFLOW;
            previous = total;
        }
    }
    return 0;
}

ps_period_t ps__cube_max_period(const ps__cube_t *cube)
{
    return cube->max_period;
}

/* ---- units -------------------------------------------------------------- */

int ps__cube_set_unit(ps__cube_t *cube, uint32_t indicator, const char *unit)
{
    if (ps__cube_grow_zeroed((void **)&cube->units, &cube->units_cap, (size_t)indicator + 1,
                             sizeof *cube->units) < 0)
        return PS_ENOMEM;
    cube->units[indicator] = unit;
    return 0;
}

const char *ps__cube_unit(const ps__cube_t *cube, uint32_t indicator)
{
    return indicator < cube->units_cap ? cube->units[indicator] : NULL;
}

