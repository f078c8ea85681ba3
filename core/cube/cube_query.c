/*
 * Queries: each family of the query's indicator gives the rows of its
 * months by binary search, read in memory order; a row's tags are checked
 * against the filters once per run of equal tags.
 */
#include "config.h"

#include "cube/cube_impl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "num/decimal.h"

/*
 * The first of rows[lo, hi) (sorted by month) whose month is >= period, or,
 * with past set, > period. Asking "past" rather than ">= period + 1" keeps
 * an open upper bound (INT32_MAX) from overflowing.
 */
static size_t first_month(const row_t *rows, size_t lo, size_t hi, ps_period_t period,
                          int past)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        ps_period_t p = row_period(&rows[mid]);
        if (p < period || (past && p == period))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void ps__family_months(const ps__cube_t *cube, const family_t *f, ps_period_t from,
                       ps_period_t to, size_t *first, size_t *end)
{
    *first = first_month(cube->rows, f->start, f->end, from, 0);
    *end = to < from ? *first : first_month(cube->rows, *first, f->end, to, 1);
}

static int tuple_matches(const ps__cube_t *cube, uint32_t id, const ps__cube_query_t *q)
{
    for (size_t i = 0; i < q->n_filters; i++)
        if (ps__cube_tuple_value(cube, id, q->filters[i].tag) != q->filters[i].value)
            return 0;
    return 1;
}

/* Called on each matching row. */
typedef int (*row_visit_fn)(void *arg, const row_t *r);

static int each_matching(const ps__cube_t *cube, const ps__cube_query_t *q,
                         row_visit_fn fn, void *arg)
{
    uint32_t f = q->indicator < cube->first_family_cap ? cube->first_family[q->indicator] : 0;
    for (; f; f = cube->families[f - 1].next) {
        size_t i, end;
        ps__family_months(cube, &cube->families[f - 1], q->from, q->to, &i, &end);
        uint32_t tags = UINT32_MAX;
        int match = 0;
        for (; i < end; i++) {
            const row_t *r = &cube->rows[i];
            if (r->tags != tags) {
                tags = r->tags;
                match = tuple_matches(cube, tags, q);
            }
            int rc = match ? fn(arg, r) : 0;
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

typedef struct summing {
    int64_t sum;
    uint64_t rows;
} summing_t;

static int sum_visit(void *arg, const row_t *r)
{
    summing_t *sm = arg;
    sm->rows++;
    return ps__add_checked(&sm->sum, r->value) < 0 ? PS_EOVERFLOW : 0;
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

/* ---- groups ------------------------------------------------------------- */

/* Groups by a tag value, growing the list as new values appear; the group
   of the last row's tags is remembered, as rows of one tuple run together. */
typedef struct grouping {
    const ps__cube_t *cube;
    uint32_t tag;
    ps__cube_group_t *g;
    size_t n, cap;
    uint32_t last_tags;
    size_t last_group;
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

static ps__cube_group_t *group_of_tags(grouping_t *gr, uint32_t tags)
{
    if (gr->n && tags == gr->last_tags)
        return &gr->g[gr->last_group];
    ps__cube_group_t *g = group_of(gr, ps__cube_tuple_value(gr->cube, tags, gr->tag));
    if (g) {
        gr->last_tags = tags;
        gr->last_group = (size_t)(g - gr->g);
    }
    return g;
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

static int breakdown_visit(void *arg, const row_t *r)
{
    ps__cube_group_t *g = group_of_tags(arg, r->tags);
    if (!g)
        return PS_ENOMEM;
    return ps__add_checked(&g->sum, r->value) < 0 ? PS_EOVERFLOW : 0;
}

int ps__cube_breakdown(const ps__cube_t *cube, const ps__cube_query_t *q,
                       uint32_t tag, ps__cube_group_t **groups, size_t *n)
{
    grouping_t gr = { .cube = cube, .tag = tag };
    int rc = each_matching(cube, q, breakdown_visit, &gr);
    return grouping_done(&gr, rc, groups, n);
}

typedef struct carried {
    const ps__cube_t *cube;
    uint32_t last_tags, *tags;
    size_t n, cap;
} carried_t;

static int carried_visit(void *arg, const row_t *r)
{
    carried_t *c = arg;
    if (r->tags == c->last_tags)
        return 0;
    c->last_tags = r->tags;
    const ps__tag_pair_t *pairs = ps__cube_tuple_pairs(c->cube, r->tags);
    for (size_t i = 0, len = ps__cube_tuple_len(c->cube, r->tags); i < len; i++) {
        size_t k = 0;
        while (k < c->n && c->tags[k] != pairs[i].tag)
            k++;
        if (k < c->n)
            continue;
        if (ps__cube_grow((void **)&c->tags, &c->cap, c->n + 1, sizeof *c->tags) < 0)
            return PS_ENOMEM;
        c->tags[c->n++] = pairs[i].tag;
    }
    return 0;
}

int ps__cube_tags_carried(const ps__cube_t *cube, const ps__cube_query_t *q,
                          uint32_t **tags, size_t *n)
{
    carried_t c = { .cube = cube, .last_tags = UINT32_MAX };
    int rc = each_matching(cube, q, carried_visit, &c);
    if (rc < 0) {
        free(c.tags);
        return rc;
    }
    *tags = c.tags;
    *n = c.n;
    return 0;
}

/* ---- entities ----------------------------------------------------------- */

/* A mark per entity id, for counting each once. */
typedef struct entity_marks {
    uint32_t *mark;   /* entity id -> the group + 1 it was last counted in */
    grouping_t gr;
    int64_t count;
} entity_marks_t;

static int marks_init(entity_marks_t *m, const ps__cube_t *cube, uint32_t tag)
{
    size_t n = ps__intern_count(cube->strings);
    *m = (entity_marks_t){ .gr = { .cube = cube, .tag = tag } };
    m->mark = calloc(n ? n : 1, sizeof *m->mark);
    return m->mark ? 0 : PS_ENOMEM;
}

static int count_visit(void *arg, const row_t *r)
{
    entity_marks_t *m = arg;
    if (!r->entity || m->mark[r->entity])
        return 0;
    m->mark[r->entity] = 1;
    m->count++;
    return 0;
}

int ps__cube_count_entities(const ps__cube_t *cube, const ps__cube_query_t *q,
                            int64_t *count)
{
    entity_marks_t m;
    int rc = marks_init(&m, cube, 0);
    if (rc == 0)
        rc = each_matching(cube, q, count_visit, &m);
    *count = rc < 0 ? 0 : m.count;
    free(m.mark);
    return rc;
}

/* (group, entity) pairs that the marks do not tell apart (an entity in
   more than one group), counted at the end. */
typedef struct count_by {
    entity_marks_t m;
    ps__tag_pair_t *pairs;   /* (group index, entity) */
    size_t n, cap;
} count_by_t;

static int count_by_visit(void *arg, const row_t *r)
{
    count_by_t *c = arg;
    if (!r->entity)
        return 0;
    ps__cube_group_t *g = group_of_tags(&c->m.gr, r->tags);
    if (!g)
        return PS_ENOMEM;
    uint32_t group = (uint32_t)(g - c->m.gr.g) + 1;
    if (c->m.mark[r->entity] == group)
        return 0;
    c->m.mark[r->entity] = group;
    if (ps__cube_grow((void **)&c->pairs, &c->cap, c->n + 1, sizeof *c->pairs) < 0)
        return PS_ENOMEM;
    c->pairs[c->n++] = (ps__tag_pair_t){ group - 1, r->entity };
    return 0;
}

static int pair_order(const void *a, const void *b)
{
    const ps__tag_pair_t *x = a, *y = b;
    if (x->tag != y->tag)
        return x->tag < y->tag ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

int ps__cube_count_by(const ps__cube_t *cube, const ps__cube_query_t *q,
                      uint32_t tag, ps__cube_group_t **groups, size_t *n)
{
    count_by_t c = { 0 };
    int rc = marks_init(&c.m, cube, tag);
    if (rc == 0)
        rc = each_matching(cube, q, count_by_visit, &c);
    if (rc == 0 && c.n > 1)
        qsort(c.pairs, c.n, sizeof *c.pairs, pair_order);
    for (size_t i = 0; rc == 0 && i < c.n; i++)
        if (i == 0 || pair_order(&c.pairs[i - 1], &c.pairs[i]) != 0)
            c.m.gr.g[c.pairs[i].tag].sum++;
    free(c.pairs);
    free(c.m.mark);
    return grouping_done(&c.m.gr, rc, groups, n);
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

static int sum_course_visit(void *arg, const row_t *r)
{
    course_t *c = arg;
    size_t m = (size_t)(row_period(r) - c->from);
    c->rows[m]++;
    return ps__add_checked(&c->sums[m], r->value) < 0 ? PS_EOVERFLOW : 0;
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

static int entity_course_visit(void *arg, const row_t *r)
{
    course_t *c = arg;
    unsigned char m = (unsigned char)(row_period(r) - c->from);
    if (r->entity && m < c->first[r->entity])
        c->first[r->entity] = m;
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

/* ---- states over months ------------------------------------------------- */

/* Per entity, a bit per month from `first`. */
typedef struct month_bits {
    ps_period_t first;
    uint64_t *months;
} month_bits_t;

static int month_bits_visit(void *arg, const row_t *r)
{
    month_bits_t *b = arg;
    if (r->entity)
        b->months[r->entity] |= (uint64_t)1 << (row_period(r) - b->first);
    return 0;
}

/* Whether an entity's months (`span` bits) are what a count looks for. */
typedef int (*months_fn)(uint64_t months, unsigned span);

/* Counts the entities whose months with a matching row, from `first` to
   q->to (at most 64), `keep` says yes to. */
static int count_by_months(const ps__cube_t *cube, const ps__cube_query_t *q,
                           ps_period_t first, months_fn keep, int64_t *count)
{
    size_t n = ps__intern_count(cube->strings);
    month_bits_t b = { .first = first, .months = calloc(n ? n : 1, sizeof *b.months) };
    if (!b.months)
        return PS_ENOMEM;
    ps__cube_query_t range = *q;
    range.from = first;
    int rc = each_matching(cube, &range, month_bits_visit, &b);
    unsigned span = (unsigned)(q->to - first) + 1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        *count += b.months[i] && keep(b.months[i], span);
    free(b.months);
    return rc;
}

/* A month in, the one before out (bit 0: the month before the range). */
static int entered(uint64_t months, unsigned span)
{
    (void)span;
    return (months & ~(months << 1) & ~(uint64_t)1) != 0;
}

static int all_along(uint64_t months, unsigned span)
{
    return months == (span == 64 ? UINT64_MAX : ((uint64_t)1 << span) - 1);
}

int ps__cube_count_entered(const ps__cube_t *cube, const ps__cube_query_t *q, int64_t *count)
{
    *count = 0;
    if (q->to < q->from || q->to - q->from >= PS_CUBE_MAX_COURSE)
        return PS_ERANGE;
    return count_by_months(cube, q, q->from - 1, entered, count);
}

int ps__cube_count_throughout(const ps__cube_t *cube, const ps__cube_query_t *q,
                              int64_t *count)
{
    *count = 0;
    if (q->to < q->from || q->to - q->from >= PS_CUBE_MAX_THROUGHOUT)
        return PS_ERANGE;
    return count_by_months(cube, q, q->from, all_along, count);
}

ps_period_t ps__cube_latest(const ps__cube_t *cube, uint32_t indicator,
                            ps_period_t upto)
{
    ps_period_t best = 0;
    uint32_t f = indicator < cube->first_family_cap ? cube->first_family[indicator] : 0;
    for (; f; f = cube->families[f - 1].next) {
        const family_t *fam = &cube->families[f - 1];
        size_t end = first_month(cube->rows, fam->start, fam->end, upto, 1);
        if (end > fam->start && row_period(&cube->rows[end - 1]) > best)
            best = row_period(&cube->rows[end - 1]);
    }
    return best;
}
