#include "config.h"

#include "cube/cube_impl.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

/*
 * The merge of a partial cube, read by a second thread from the end of a
 * file, into the cube of the part before it. Strings and tag tuples are
 * taken over in the order `from` created them, that is, in the order of
 * their first row in the file: ids, and therefore the order of every
 * walk by id, come out as if one thread had read the file.
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

/* PS_EUNIT when from gives an indicator another unit than into does. */
static int check_units(const ps__cube_t *into, const ps__cube_t *from,
                       const uint32_t *strings)
{
    for (size_t i = 0; i < from->units_cap; i++) {
        const char *unit = from->units[i], *known = unit ? ps__cube_unit(into, strings[i]) : NULL;
        if (known && strcmp(known, unit) != 0)
            return PS_EUNIT;
    }
    return 0;
}

static int merge_units(ps__cube_t *into, const ps__cube_t *from, const uint32_t *strings)
{
    for (size_t i = 0; i < from->units_cap; i++)
        if (from->units[i] && !ps__cube_unit(into, strings[i]) &&
            ps__cube_set_unit(into, strings[i], from->units[i]) < 0)
            return PS_ENOMEM;
    return 0;
}

/* from's family ids -> into's. */
static int map_families(ps__cube_t *into, const ps__cube_t *from, const uint32_t *strings,
                        uint32_t **map)
{
    if (!(*map = malloc((from->nfamilies ? from->nfamilies : 1) * sizeof **map)))
        return PS_ENOMEM;
    for (size_t f = 0; f < from->nfamilies; f++) {
        const family_t *fam = &from->families[f];
        int rc = ps__cube_family_id(into, fam->source, strings[fam->indicator], &(*map)[f]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The maps from's ids -> into's. */
typedef struct id_maps {
    uint32_t *strings, *tuples, *families;
} id_maps_t;

/* from's strings, once translated, are given back before its rows move:
   a table of hundreds of thousands of entities would add to the peak. */
static int forget_strings(ps__cube_t *from)
{
    ps__intern_t *empty = ps__intern_new();
    if (!empty)
        return PS_ENOMEM;
    ps__intern_free(from->strings);
    from->strings = empty;
    free(from->units); /* indexed by its string ids */
    from->units = NULL;
    from->units_cap = 0;
    return 0;
}

/* A block of rows at a time, from's end first: each block copied gives its
   memory back, so that the rows are never held twice. */
#define MOVE_BLOCK ((size_t)1 << 16)

static int move_rows(ps__cube_t *into, ps__cube_t *from, const id_maps_t *m,
                     uint32_t line_base)
{
    size_t base = into->nrows, n = from->nrows;
    if (ps__cube_grow_rows(into, base + n) < 0)
        return PS_ENOMEM;
    while (from->nrows) {
        size_t block = from->nrows < MOVE_BLOCK ? from->nrows : MOVE_BLOCK;
        size_t at = from->nrows - block;
        for (size_t i = at; i < from->nrows; i++) {
            row_t r = from->rows[i];
            r.entity = m->strings[r.entity];
            r.tags = m->tuples[r.tags];
            r.line += line_base;
            r.family_period = m->families[row_family(&r)] << PERIOD_BITS |
                              (uint32_t)row_period(&r);
            into->rows[base + i] = r;
        }
        from->nrows = at;
        ps__cube_shrink_rows(from, at);
    }
    into->nrows = base + n;
    from->sealed = 0;
    if (from->max_period > into->max_period)
        into->max_period = from->max_period;
    if (n && from->max_line + line_base > into->max_line)
        into->max_line = from->max_line + line_base;
    return 0;
}

int ps__cube_merge(ps__cube_t *into, ps__cube_t *from, uint32_t line_base)
{
    id_maps_t m = { 0 };
    int rc = map_strings(into, from, &m.strings);
    if (rc == 0)
        rc = check_units(into, from, m.strings);
    if (rc == 0)
        rc = map_tuples(into, from, m.strings, &m.tuples);
    if (rc == 0)
        rc = map_families(into, from, m.strings, &m.families);
    if (rc == 0)
        rc = merge_units(into, from, m.strings);
    if (rc == 0)
        rc = forget_strings(from);
    if (rc == 0)
        rc = move_rows(into, from, &m, line_base);
    free(m.strings);
    free(m.tuples);
    free(m.families);
    return rc;
}

