#include "config.h"

#include "cube/cube_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <parkstat/error.h>

#include "cube/prefault.h"

/*
 * Once the ledgers are read, every series' months move into one array, laid
 * out indicator by indicator in the order queries walk them. A query then
 * streams through memory instead of missing the cache once per series (the
 * months were half a million blocks of the pool, in the order they grew),
 * forked plugin processes touch fewer pages, and the pool's blocks go back
 * at once. The merge of a two-thread read hands its second part's months
 * over as tails, so that they are copied once, here, rather than appended
 * first. Nothing is lost when memory is short: the cube stays as it was.
 */

static uint32_t tail_len(const ps__cube_tail_t *tails, size_t ntails, size_t i)
{
    return i < ntails ? tails[i].n : 0;
}

/* Without an arena: each tail appended to its series where it lies. */
static int append_tails(ps__cube_t *cube, const ps__cube_tail_t *tails, size_t ntails)
{
    for (size_t i = 0; i < ntails && i < cube->nseries; i++) {
        series_t *s = &cube->series[i];
        for (uint32_t k = 0; k < tails[i].n; k++)
            if (ps__cube_insert_month(cube, s, s->n, &tails[i].months[k]) < 0)
                return PS_ENOMEM;
    }
    return 0;
}

/* Room for the packed copy of the series (see cube_impl.h); none when
   memory is short, and queries then go through the index. */
static void make_room_to_pack(ps__cube_t *cube)
{
    free(cube->packed);
    free(cube->packed_start);
    cube->packed = malloc((cube->nseries ? cube->nseries : 1) * sizeof *cube->packed);
    cube->packed_start = malloc((cube->by_indicator_cap + 1) * sizeof *cube->packed_start);
    if (!cube->packed || !cube->packed_start) {
        free(cube->packed);
        free(cube->packed_start);
        cube->packed = NULL;
        cube->packed_start = NULL;
    }
}

/* The compaction's plan: where each indicator's months and packed series
   go, so that two threads can copy indicators apart. */
typedef struct compaction {
    ps__cube_t *cube;
    const ps__cube_tail_t *tails;
    size_t ntails;
    month_t *arena;
    size_t *month_start; /* indicator k's months: month_start[k] .. [k + 1] */
} compaction_t;

/* Copies the months of indicators [from, to) into the arena, each series'
   own then its tail, and points the series (and their packed copies) at
   them. */
static void copy_indicators(const compaction_t *c, size_t from, size_t to)
{
    ps__cube_t *cube = c->cube;
    ps__prefault(c->arena + c->month_start[from],
                 (c->month_start[to] - c->month_start[from]) * sizeof *c->arena);
    for (size_t k = from; k < to; k++) {
        const indicator_index_t *ix = &cube->by_indicator[k];
        size_t used = c->month_start[k];
        series_t *packed = cube->packed ? cube->packed + cube->packed_start[k] : NULL;
        for (size_t i = 0; i < ix->n; i++) {
            series_t *s = &cube->series[ix->series[i]];
            uint32_t more = tail_len(c->tails, c->ntails, ix->series[i]);
            if (s->n)
                memcpy(c->arena + used, s->months, s->n * sizeof *c->arena);
            if (more)
                memcpy(c->arena + used + s->n, c->tails[ix->series[i]].months,
                       more * sizeof *c->arena);
            s->months = c->arena + used;
            s->n += more;
            s->cap = 0; /* borrowed from the arena: copied out before growing */
            used += s->n;
            if (packed)
                *packed++ = *s;
        }
    }
}

/* Where each indicator's months and packed series start; the total. */
static size_t plan(compaction_t *c)
{
    ps__cube_t *cube = c->cube;
    size_t months = 0, series = 0;
    for (size_t k = 0; k < cube->by_indicator_cap; k++) {
        const indicator_index_t *ix = &cube->by_indicator[k];
        c->month_start[k] = months;
        if (cube->packed)
            cube->packed_start[k] = series;
        for (size_t i = 0; i < ix->n; i++)
            months += cube->series[ix->series[i]].n + tail_len(c->tails, c->ntails,
                                                               ix->series[i]);
        series += ix->n;
    }
    c->month_start[cube->by_indicator_cap] = months;
    if (cube->packed)
        cube->packed_start[cube->by_indicator_cap] = series;
    return months;
}

/* The second half of the indicators, on another thread. */
typedef struct half {
    const compaction_t *c;
    size_t from, to;
} half_t;

static void *copy_half(void *arg)
{
    const half_t *h = arg;
    copy_indicators(h->c, h->from, h->to);
    return NULL;
}

/* Copies every indicator's months, in two threads when they are many and
   the machine has a second CPU: most of the time goes into faulting in the
   new arena's pages, which the kernel does on both CPUs at once. */
static void copy_all(const compaction_t *c, size_t total)
{
    size_t n = c->cube->by_indicator_cap, split = 0;
    while (split < n && c->month_start[split] < total / 2)
        split++;
    pthread_t second;
    half_t h = { c, split, n };
    /* below PS_CUBE_COMPACT_SPLIT months, a thread costs more than it saves */
    int two = total >= PS_CUBE_COMPACT_SPLIT && split > 0 && split < n &&
              sysconf(_SC_NPROCESSORS_ONLN) >= 2 &&
              pthread_create(&second, NULL, copy_half, &h) == 0;
    copy_indicators(c, 0, two ? split : n);
    if (two)
        pthread_join(second, NULL);
}

/* Whether the tails hold fewer than a quarter of the months the cube has
   already. Then they are appended where their series lie, as a shared rest
   of a split read or a small file after a large one would be: copying the
   whole cube for them costs more, and the next merge or ps__cube_compact
   lays everything out once. */
static int few_tails(const ps__cube_t *cube, const ps__cube_tail_t *tails, size_t ntails)
{
    uint64_t added = 0, had = 0;
    for (size_t i = 0; i < ntails; i++)
        added += tails[i].n;
    for (size_t i = 0; i < cube->nseries; i++)
        had += cube->series[i].n;
    return added > 0 && added < had / 4;
}

int ps__cube_compact_tails(ps__cube_t *cube, const ps__cube_tail_t *tails, size_t ntails)
{
    if (cube->compact && ntails == 0)
        return 0;
    if (few_tails(cube, tails, ntails))
        return append_tails(cube, tails, ntails);
    compaction_t c = { .cube = cube, .tails = tails, .ntails = ntails };
    c.month_start = malloc((cube->by_indicator_cap + 1) * sizeof *c.month_start);
    if (!c.month_start)
        return append_tails(cube, tails, ntails);
    make_room_to_pack(cube);
    size_t total = plan(&c);
    c.arena = malloc((total ? total : 1) * sizeof *c.arena);
    if (!c.arena) {
        free(c.month_start);
        return append_tails(cube, tails, ntails);
    }
    copy_all(&c, total);
    free(c.month_start);
    ps__pool_clear(&cube->months_pool); /* every series is in the arena now */
    free(cube->months_arena);
    cube->months_arena = c.arena;
    cube->compact = 1;
    return 0;
}

void ps__cube_compact(ps__cube_t *cube)
{
    (void)ps__cube_compact_tails(cube, NULL, 0);
}
