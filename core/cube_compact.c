#include "config.h"

#include "cube_impl.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

/*
 * Once the ledgers are read, every series' months move into one array, laid
 * out indicator by indicator in the order queries walk them. A query then
 * streams through memory instead of missing the cache once per series (the
 * months were half a million separate allocations), forked plugin processes
 * touch fewer pages, and freeing the cube is one call instead of one per
 * series. The merge of a two-thread read hands its second part's months
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

int ps__cube_compact_tails(ps__cube_t *cube, const ps__cube_tail_t *tails, size_t ntails)
{
    if (cube->compact && ntails == 0)
        return 0;
    size_t total = 0;
    for (size_t i = 0; i < cube->nseries; i++)
        total += cube->series[i].n + tail_len(tails, ntails, i);
    month_t *arena = malloc((total ? total : 1) * sizeof *arena);
    if (!arena)
        return append_tails(cube, tails, ntails);
    make_room_to_pack(cube);
    size_t used = 0, packed = 0;
    for (size_t k = 0; k < cube->by_indicator_cap; k++) {
        const indicator_index_t *ix = &cube->by_indicator[k];
        if (cube->packed)
            cube->packed_start[k] = packed;
        for (size_t i = 0; i < ix->n; i++) {
            series_t *s = &cube->series[ix->series[i]];
            uint32_t more = tail_len(tails, ntails, ix->series[i]);
            if (s->n)
                memcpy(arena + used, s->months, s->n * sizeof *arena);
            if (more)
                memcpy(arena + used + s->n, tails[ix->series[i]].months,
                       more * sizeof *arena);
            s->months = arena + used;
            s->n += more;
            s->cap = 0; /* borrowed from the arena: copied out before growing */
            used += s->n;
            if (cube->packed)
                cube->packed[packed++] = *s;
        }
    }
    if (cube->packed)
        cube->packed_start[cube->by_indicator_cap] = packed;
    ps__pool_clear(&cube->months_pool); /* every series is in the arena now */
    free(cube->months_arena);
    cube->months_arena = arena;
    cube->compact = 1;
    return 0;
}

void ps__cube_compact(ps__cube_t *cube)
{
    (void)ps__cube_compact_tails(cube, NULL, 0);
}
