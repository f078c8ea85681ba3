#include "config.h"

#include "cube/cube_impl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

int ps__cube_grow_zeroed(void **p, size_t *cap, size_t need, size_t size)
{
    size_t old = *cap;
    if (need <= old)
        return 0;
    int rc = ps__cube_grow(p, cap, need, size);
    if (rc == 0)
        memset((char *)*p + old * size, 0, (*cap - old) * size);
    return rc;
}

/* ---- the rows' memory ---------------------------------------------------- */

/* The rows live in a mapping of their own, grown by mremap (which moves
   pages, never copies them) and, from 2 MiB on, asked for in huge pages:
   tens of millions of rows are written once and read a few times, and in
   pages of 4 KiB their page faults and TLB misses cost as much as the
   work itself (measured: a pass over 10 million rows 10 times slower).
   Through malloc, a block below its mmap threshold would sit in the heap,
   where freed blocks stay resident. */
#define HUGE_PAGE ((size_t)2 << 20)

static size_t rows_bytes(size_t cap)
{
    size_t bytes = cap * sizeof(row_t), page = (size_t)sysconf(_SC_PAGESIZE);
    size_t unit = bytes >= HUGE_PAGE ? HUGE_PAGE : page;
    return (bytes + unit - 1) / unit * unit;
}

static int map_rows(ps__cube_t *cube, size_t cap)
{
    size_t old = cube->rows_cap ? rows_bytes(cube->rows_cap) : 0, bytes = rows_bytes(cap);
    void *p = !old ? mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                          -1, 0)
                   : mremap(cube->rows, old, bytes, MREMAP_MAYMOVE);
    if (p == MAP_FAILED)
        return PS_ENOMEM;
#ifdef MADV_HUGEPAGE
    if (bytes >= HUGE_PAGE)
        madvise(p, bytes, MADV_HUGEPAGE);
#endif
    cube->rows = p;
    cube->rows_cap = bytes / sizeof(row_t);
    return 0;
}

int ps__cube_grow_rows(ps__cube_t *cube, size_t need)
{
    if (need <= cube->rows_cap)
        return 0;
    size_t cap = cube->rows_cap ? cube->rows_cap : 1024;
    while (cap < need)
        cap *= 2;
    return map_rows(cube, cap);
}

void ps__cube_shrink_rows(ps__cube_t *cube, size_t cap)
{
    if (!cube->rows_cap || rows_bytes(cap) >= rows_bytes(cube->rows_cap))
        return;
    if (cap == 0) {
        munmap(cube->rows, rows_bytes(cube->rows_cap));
        cube->rows = NULL;
        cube->rows_cap = 0;
        return;
    }
    map_rows(cube, cap); /* shrinking in place does not fail */
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
    ps__cube_shrink_rows(cube, 0);
    free(cube->families);
    free(cube->first_family);
    free(cube->pairs);
    free(cube->tuple_start);
    free(cube->tuple_slots);
    free(cube->units);
    free(cube->cell_slots);
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

/* ---- families ----------------------------------------------------------- */

int ps__cube_family_id(ps__cube_t *cube, uint32_t source, uint32_t indicator,
                       uint32_t *id)
{
    if (indicator < cube->first_family_cap)
        for (uint32_t f = cube->first_family[indicator]; f; f = cube->families[f - 1].next)
            if (cube->families[f - 1].source == source) {
                *id = f - 1;
                return 0;
            }
    if (cube->nfamilies == MAX_FAMILIES)
        return PS_ERANGE;
    if (ps__cube_grow_zeroed((void **)&cube->first_family, &cube->first_family_cap,
                             (size_t)indicator + 1, sizeof *cube->first_family) < 0 ||
        ps__cube_grow((void **)&cube->families, &cube->families_cap, cube->nfamilies + 1,
                      sizeof *cube->families) < 0)
        return PS_ENOMEM;
    /* appended to the indicator's list: queries add in the order sources are read */
    uint32_t *link = &cube->first_family[indicator];
    while (*link)
        link = &cube->families[*link - 1].next;
    cube->families[cube->nfamilies] = (family_t){ .source = source, .indicator = indicator };
    *id = (uint32_t)cube->nfamilies++;
    *link = *id + 1;
    return 0;
}

/* ---- rows --------------------------------------------------------------- */

typedef struct cell_probe {
    const ps__cube_t *cube;
    const row_t *row;
} cell_probe_t;

static int same_cell(const void *arg, uint32_t id)
{
    const cell_probe_t *p = arg;
    const row_t *cell = &p->cube->rows[id];
    return cell->family_period == p->row->family_period && cell->tags == p->row->tags;
}

static uint32_t cell_hash(const row_t *row)
{
    uint64_t h = ((uint64_t)row->family_period << 32 | row->tags) * 0x9E3779B97F4A7C15ULL;
    return (uint32_t)(h >> 32);
}

/* Adds a row without entity into its key's cell: 1 when added, 0 when the
   row must be appended (a new cell, then listed, or a sum that would
   overflow, left to the seal to name in line order). */
static int add_to_cell(ps__cube_t *cube, const row_t *row)
{
    if ((cube->ncells + 1) * 2 > cube->ncell_slots &&
        ps__slots_grow(&cube->cell_slots, &cube->ncell_slots, 64) < 0)
        return PS_ENOMEM;
    cell_probe_t probe = { cube, row };
    uint32_t hash = cell_hash(row);
    size_t slot = ps__slots_find(cube->cell_slots, cube->ncell_slots, hash, same_cell, &probe);
    if (ps__slot_empty(cube->cell_slots[slot])) {
        cube->cell_slots[slot] = ps__slot_make(hash, (uint32_t)cube->nrows);
        cube->ncells++;
        return 0;
    }
    row_t *cell = &cube->rows[ps__slot_id(cube->cell_slots[slot])];
    if (ps__add_checked(&cell->value, row->value) < 0)
        return 0;
    if (row->line < cell->line)
        cell->line = row->line;
    return 1;
}

void ps__cube_forget_cells(ps__cube_t *cube)
{
    if (cube->ncells)
        memset(cube->cell_slots, 0, cube->ncell_slots * sizeof *cube->cell_slots);
    cube->ncells = 0;
}

int ps__cube_add(ps__cube_t *cube, const ps__cell_key_t *key, int64_t value,
                 uint32_t line)
{
    uint32_t family;
    int rc = ps__cube_family_id(cube, key->source, key->indicator, &family);
    if (rc < 0)
        return rc;
    if (key->period < 0 || key->period >= (ps_period_t)1 << PERIOD_BITS)
        return PS_ERANGE;
    if (cube->nrows == cube->rows_cap && ps__cube_grow_rows(cube, cube->nrows + 1) < 0)
        return PS_ENOMEM;
    row_t row = { .value = value, .entity = key->entity, .tags = key->tags, .line = line,
                  .family_period = family << PERIOD_BITS | (uint32_t)key->period };
    if (!row.entity && (rc = add_to_cell(cube, &row)) < 0)
        return rc;
    if (!rc)
        cube->rows[cube->nrows++] = row;
    if (key->period > cube->max_period)
        cube->max_period = key->period;
    if (line > cube->max_line)
        cube->max_line = line;
    return 0;
}

uint32_t ps__cube_max_line(const ps__cube_t *cube)
{
    return cube->max_line;
}

size_t ps__cube_rows(const ps__cube_t *cube)
{
    return cube->nrows;
}

size_t ps__cube_checkpoint(ps__cube_t *cube)
{
    ps__cube_forget_cells(cube);
    return cube->nrows;
}

void ps__cube_truncate(ps__cube_t *cube, size_t n)
{
    if (n >= cube->sealed && n < cube->nrows) {
        cube->nrows = n;
        ps__cube_forget_cells(cube);
    }
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

const family_t *ps__cube_family_of(const ps__cube_t *cube, uint32_t source, uint32_t indicator)
{
    uint32_t f = indicator < cube->first_family_cap ? cube->first_family[indicator] : 0;
    for (; f; f = cube->families[f - 1].next)
        if (cube->families[f - 1].source == source)
            return &cube->families[f - 1];
    return NULL;
}

int ps__cube_source_has(const ps__cube_t *cube, uint32_t source, uint32_t indicator)
{
    const family_t *f = ps__cube_family_of(cube, source, indicator);
    return f && f->end > f->start;
}
