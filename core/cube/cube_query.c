#include "config.h"

#include "cube/cube_impl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "num/decimal.h"

static const indicator_index_t no_series;

/* The series of the query's indicator: a query touches nothing else. */
static const indicator_index_t *series_of_indicator(const ps__cube_t *cube,
                                                    uint32_t indicator)
{
    return indicator < cube->by_indicator_cap ? &cube->by_indicator[indicator]
                                              : &no_series;
}

static int tuple_matches(const ps__cube_t *cube, uint32_t id,
                         const ps__cube_query_t *q)
{
    for (size_t i = 0; i < q->n_filters; i++)
        if (ps__cube_tuple_value(cube, id, q->filters[i].tag) != q->filters[i].value)
            return 0;
    return 1;
}

/* The months of s within [from, to]: [*first, *end). */
static void months_in(const series_t *s, ps_period_t from, ps_period_t to,
                      size_t *first, size_t *end)
{
    ps_period_t p0 = s->n ? s->months[0].period : 0;
    if (s->n && (size_t)(s->months[s->n - 1].period - p0) == s->n - 1) {
        /* no month missing, as in most series: each month's place follows
           from its period, with no search and no scan */
        *first = from <= p0 ? 0 : (size_t)(from - p0) < s->n ? (size_t)(from - p0) : s->n;
        *end = to < p0 ? 0 : (size_t)(to - p0) < s->n ? (size_t)(to - p0) + 1 : s->n;
        if (*end < *first)
            *end = *first;
        return;
    }
    int found;
    *first = ps__cube_month_at(s, from, &found);
    *end = *first;
    while (*end < s->n && s->months[*end].period <= to)
        ++*end;
}

/* Each series' months live in their own block of the pool, a cache miss apiece:
   ask for the series a few steps ahead, and for the months of those whose
   series was asked for earlier, so that the walk does not wait on memory. */
#define SERIES_AHEAD 16
#define MONTHS_AHEAD 8

static void prefetch_ahead(const ps__cube_t *cube, const indicator_index_t *ix, size_t i)
{
    if (i + SERIES_AHEAD < ix->n)
        __builtin_prefetch(&cube->series[ix->series[i + SERIES_AHEAD]]);
    if (i + MONTHS_AHEAD < ix->n) {
        const series_t *s = &cube->series[ix->series[i + MONTHS_AHEAD]];
        __builtin_prefetch(s->months);
        __builtin_prefetch(s->months + s->n / 2);
    }
}

/* Calls fn on each series of the query's indicator whose tags match, with
   the range of its months the query covers, when that range is not empty. */
typedef int (*series_visit_fn)(void *arg, const series_t *s, size_t first, size_t end);

/* fn on s, when its tags match and it has months in the query's range. */
static int visit(const ps__cube_t *cube, const series_t *s, const ps__cube_query_t *q,
                 series_visit_fn fn, void *arg)
{
    if (!tuple_matches(cube, s->key.tags, q))
        return 0;
    size_t first, end;
    months_in(s, q->from, q->to, &first, &end);
    return first < end ? fn(arg, s, first, end) : 0;
}

static int each_matching(const ps__cube_t *cube, const ps__cube_query_t *q,
                         series_visit_fn fn, void *arg)
{
    int rc = 0;
    if (cube->compact && cube->packed) {
        /* the packed copies: in memory order, with no index to follow */
        if (q->indicator >= cube->by_indicator_cap)
            return 0;
        const series_t *s = cube->packed + cube->packed_start[q->indicator];
        const series_t *end = cube->packed + cube->packed_start[q->indicator + 1];
        for (; s < end && rc == 0; s++)
            rc = visit(cube, s, q, fn, arg);
        return rc;
    }
    const indicator_index_t *ix = series_of_indicator(cube, q->indicator);
    for (size_t i = 0; i < ix->n && rc == 0; i++) {
        prefetch_ahead(cube, ix, i);
        rc = visit(cube, &cube->series[ix->series[i]], q, fn, arg);
    }
    return rc;
}

typedef struct summing {
    int64_t sum;
    uint64_t rows;
} summing_t;

static int add_months(int64_t *sum, const series_t *s, size_t first, size_t end)
{
    for (size_t k = first; k < end; k++)
        if (ps__add_checked(sum, s->months[k].sum) < 0)
            return PS_EOVERFLOW;
    return 0;
}

static int sum_visit(void *arg, const series_t *s, size_t first, size_t end)
{
    summing_t *sm = arg;
    for (size_t k = first; k < end; k++)
        sm->rows += ps__month_rows(s, &s->months[k]);
    return add_months(&sm->sum, s, first, end);
}

int ps__cube_sum(const ps__cube_t *cube, const ps__cube_query_t *q,
                 int64_t *sum, uint64_t *rows)
{
    summing_t sm = { 0, 0 };
    int rc = each_matching(cube, q, sum_visit, &sm);
    *sum = rc < 0 ? 0 : sm.sum;
    *rows = rc < 0 ? 0 : sm.rows;
    return rc;
}

/* Groups by a tag value, growing the list as new values appear. */
typedef struct grouping {
    const ps__cube_t *cube;
    uint32_t tag;
    ps__cube_group_t *g;
    size_t n, cap;
} grouping_t;

static ps__cube_group_t *group_of(grouping_t *gr, uint32_t value)
{
    for (size_t k = 0; k < gr->n; k++)
        if (gr->g[k].value == value)
            return &gr->g[k];
    if (ps__cube_grow((void **)&gr->g, &gr->cap, gr->n + 1, sizeof *gr->g) < 0)
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

static int breakdown_visit(void *arg, const series_t *s, size_t first, size_t end)
{
    grouping_t *gr = arg;
    ps__cube_group_t *g = group_of(gr, ps__cube_tuple_value(gr->cube, s->key.tags, gr->tag));
    return g ? add_months(&g->sum, s, first, end) : PS_ENOMEM;
}

int ps__cube_breakdown(const ps__cube_t *cube, const ps__cube_query_t *q,
                       uint32_t tag, ps__cube_group_t **groups, size_t *n)
{
    grouping_t gr = { .cube = cube, .tag = tag };
    int rc = each_matching(cube, q, breakdown_visit, &gr);
    return grouping_done(&gr, rc, groups, n);
}

static int pair_order(const void *a, const void *b)
{
    const ps__tag_pair_t *x = a, *y = b;
    if (x->tag != y->tag)
        return x->tag < y->tag ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

/* The (group value, entity) pairs of the matching series. */
typedef struct entity_pairs {
    const ps__cube_t *cube;
    uint32_t tag;
    ps__tag_pair_t *pairs;
    size_t n, cap;
} entity_pairs_t;

static int entity_pair_visit(void *arg, const series_t *s, size_t first, size_t end)
{
    entity_pairs_t *ep = arg;
    (void)first;
    (void)end;
    if (s->key.entity == 0)
        return 0;
    if (ps__cube_grow((void **)&ep->pairs, &ep->cap, ep->n + 1, sizeof *ep->pairs) < 0)
        return PS_ENOMEM;
    ep->pairs[ep->n++] = (ps__tag_pair_t){
        ps__cube_tuple_value(ep->cube, s->key.tags, ep->tag), s->key.entity };
    return 0;
}

int ps__cube_count_by(const ps__cube_t *cube, const ps__cube_query_t *q,
                      uint32_t tag, ps__cube_group_t **groups, size_t *n)
{
    entity_pairs_t ep = { .cube = cube, .tag = tag };
    grouping_t gr = { 0 };
    int rc = each_matching(cube, q, entity_pair_visit, &ep);
    if (rc == 0 && ep.n > 1)
        qsort(ep.pairs, ep.n, sizeof *ep.pairs, pair_order);
    for (size_t i = 0; rc == 0 && i < ep.n; i++) {
        if (i > 0 && pair_order(&ep.pairs[i - 1], &ep.pairs[i]) == 0)
            continue;
        ps__cube_group_t *g = group_of(&gr, ep.pairs[i].tag);
        if (g)
            g->sum++;
        else
            rc = PS_ENOMEM;
    }
    free(ep.pairs);
    return grouping_done(&gr, rc, groups, n);
}

typedef struct entity_count {
    unsigned char *seen;
    int64_t count;
} entity_count_t;

static int entity_count_visit(void *arg, const series_t *s, size_t first, size_t end)
{
    entity_count_t *ec = arg;
    (void)first;
    (void)end;
    if (s->key.entity && !ec->seen[s->key.entity]) {
        ec->seen[s->key.entity] = 1;
        ec->count++;
    }
    return 0;
}

int ps__cube_count_entities(const ps__cube_t *cube, const ps__cube_query_t *q,
                            int64_t *count)
{
    size_t nstrings = ps__intern_count(cube->strings);
    entity_count_t ec = { calloc(nstrings ? nstrings : 1, 1), 0 };
    if (!ec.seen)
        return PS_ENOMEM;
    int rc = each_matching(cube, q, entity_count_visit, &ec);
    *count = ec.count;
    free(ec.seen);
    return rc;
}

/* ---- month by month ----------------------------------------------------- */

typedef struct course {
    ps_period_t from;
    int64_t *sums;
    uint64_t *rows;
    unsigned char *first; /* entity id -> its first month in the range */
} course_t;

static size_t course_len(const ps__cube_query_t *q)
{
    return q->to >= q->from && q->to - q->from < PS_CUBE_MAX_COURSE
               ? (size_t)(q->to - q->from) + 1 : 0;
}

static int sum_course_visit(void *arg, const series_t *s, size_t first, size_t end)
{
    course_t *c = arg;
    for (size_t k = first; k < end; k++) {
        size_t m = (size_t)(s->months[k].period - c->from);
        if (ps__add_checked(&c->sums[m], s->months[k].sum) < 0)
            return PS_EOVERFLOW;
        c->rows[m] += ps__month_rows(s, &s->months[k]);
    }
    return 0;
}

int ps__cube_sum_course(const ps__cube_t *cube, const ps__cube_query_t *q,
                        int64_t *out, uint64_t *rows)
{
    size_t n = course_len(q);
    if (!n)
        return PS_ERANGE;
    memset(out, 0, n * sizeof *out);
    memset(rows, 0, n * sizeof *rows);
    course_t c = { .from = q->from, .sums = out, .rows = rows };
    int rc = each_matching(cube, q, sum_course_visit, &c);
    for (size_t i = 1; rc == 0 && i < n; i++) { /* each month's, then to date */
        rows[i] += rows[i - 1];
        rc = ps__add_checked(&out[i], out[i - 1]);
    }
    return rc;
}

static int entity_course_visit(void *arg, const series_t *s, size_t first, size_t end)
{
    course_t *c = arg;
    (void)end;
    unsigned char m = (unsigned char)(s->months[first].period - c->from);
    if (s->key.entity && m < c->first[s->key.entity])
        c->first[s->key.entity] = m;
    return 0;
}

int ps__cube_entities_course(const ps__cube_t *cube, const ps__cube_query_t *q,
                             int64_t *out)
{
    size_t n = course_len(q), nstrings = ps__intern_count(cube->strings);
    if (!n)
        return PS_ERANGE;
    course_t c = { .from = q->from, .first = malloc(nstrings ? nstrings : 1) };
    if (!c.first)
        return PS_ENOMEM;
    memset(c.first, UCHAR_MAX, nstrings ? nstrings : 1);
    int rc = each_matching(cube, q, entity_course_visit, &c);
    memset(out, 0, n * sizeof *out);
    for (size_t e = 0; e < nstrings; e++) /* entities first seen each month */
        if (c.first[e] != UCHAR_MAX)
            out[c.first[e]]++;
    for (size_t i = 1; i < n; i++)
        out[i] += out[i - 1];
    free(c.first);
    return rc;
}

ps_period_t ps__cube_latest(const ps__cube_t *cube, uint32_t indicator,
                            ps_period_t upto)
{
    const indicator_index_t *ix = series_of_indicator(cube, indicator);
    ps_period_t best = 0;
    /* none can be later than upto itself: the walk ends when one has it */
    for (size_t i = 0; i < ix->n && best < upto; i++) {
        const series_t *s = &cube->series[ix->series[i]];
        int found;
        size_t at = ps__cube_month_at(s, upto, &found);
        if (found)
            at++; /* the month of `upto` itself counts */
        if (at > 0 && s->months[at - 1].period > best)
            best = s->months[at - 1].period;
    }
    return best;
}

static const ps__cube_t *sort_cube; /* qsort has no argument: set while sorting */

/* Series in the order of their keys: indicator, entity, tags. */
static int series_order(const void *a, const void *b)
{
    const ps__cell_key_t *x = &sort_cube->series[*(const uint32_t *)a].key;
    const ps__cell_key_t *y = &sort_cube->series[*(const uint32_t *)b].key;
    if (x->indicator != y->indicator)
        return x->indicator < y->indicator ? -1 : 1;
    if (x->entity != y->entity)
        return x->entity < y->entity ? -1 : 1;
    return x->tags < y->tags ? -1 : x->tags > y->tags;
}

static int call_series(const series_t *s, ps__series_fn fn, void *arg,
                       ps_period_t *periods, int64_t *values)
{
    for (uint32_t k = 0; k < s->n; k++) {
        periods[k] = s->months[k].period;
        values[k] = s->months[k].sum;
    }
    return fn(arg, &s->key, periods, values, s->n);
}

int ps__cube_each_series(const ps__cube_t *cube, uint32_t source, ps__series_fn fn,
                         void *arg)
{
    size_t n = 0, longest = 1;
    uint32_t *order = malloc((cube->nseries ? cube->nseries : 1) * sizeof *order);
    for (size_t i = 0; order && i < cube->nseries; i++) {
        const series_t *s = &cube->series[i];
        if (s->key.source == source && s->key.entity && s->n) {
            order[n++] = (uint32_t)i;
            longest = s->n > longest ? s->n : longest;
        }
    }
    ps_period_t *periods = malloc(longest * sizeof *periods);
    int64_t *values = malloc(longest * sizeof *values);
    int rc = order && periods && values ? 0 : PS_ENOMEM;
    sort_cube = cube;
    if (rc == 0 && n > 1)
        qsort(order, n, sizeof *order, series_order);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = call_series(&cube->series[order[i]], fn, arg, periods, values);
    free(order);
    free(periods);
    free(values);
    return rc;
}
