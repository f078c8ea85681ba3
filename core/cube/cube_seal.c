/*
 * Sealing: the rows added since the last seal sorted among their
 * families' rows, so that rows of one key lie side by side and become one:
 * an entity's first row (its later ones are duplicates), or the sum of
 * the rows without entity. Each family's rows then lie in one range, by
 * month, which is what a query looks up.
 */
#include "config.h"

#include "cube/cube_impl.h"

#include <stdlib.h>

#include <parkstat/error.h>

#include "num/decimal.h"

static int same_key(const row_t *a, const row_t *b)
{
    return a->family_period == b->family_period && a->tags == b->tags &&
           a->entity == b->entity;
}

static ps__cell_key_t key_of_row(const ps__cube_t *cube, const row_t *r)
{
    const family_t *f = &cube->families[row_family(r)];
    return (ps__cell_key_t){ .indicator = f->indicator, .entity = r->entity,
                             .tags = r->tags, .period = row_period(r),
                             .source = f->source };
}

static int by_line(const void *a, const void *b)
{
    const row_t *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* An entity's rows of one key: the first by line stays. */
static row_t first_of_duplicates(const ps__cube_t *cube, const row_t *g, size_t n,
                                 ps__cube_fault_fn fault, void *arg)
{
    size_t first = 0;
    for (size_t i = 1; i < n; i++)
        if (g[i].line < g[first].line)
            first = i;
    ps__cell_key_t key = key_of_row(cube, &g[first]);
    for (size_t i = 0; i < n; i++)
        if (i != first && fault)
            fault(arg, PS_EEXISTS, &key, g[i].line, g[first].line);
    return g[first];
}

/* Rows without entity of one key (or cells of them, at their first line),
   summed. A sum that overflows in some order is summed again in line
   order, as the ledger lists the rows: a row that would overflow it there
   is left out. */
static row_t sum_of_rows(const ps__cube_t *cube, row_t *g, size_t n,
                         ps__cube_fault_fn fault, void *arg)
{
    row_t cell = g[0];
    cell.value = 0;
    int overflows = 0;
    for (size_t i = 0; i < n && !overflows; i++) {
        overflows = ps__add_checked(&cell.value, g[i].value) < 0;
        cell.line = g[i].line < cell.line ? g[i].line : cell.line;
    }
    if (!overflows)
        return cell;
    qsort(g, n, sizeof *g, by_line);
    ps__cell_key_t key = key_of_row(cube, &g[0]);
    cell.value = 0;
    cell.line = g[0].line;
    for (size_t i = 0; i < n; i++) {
        if (ps__add_checked(&cell.value, g[i].value) < 0) {
            if (fault)
                fault(arg, PS_EOVERFLOW, &key, g[i].line, g[0].line);
        }
    }
    return cell;
}

/* Makes each run of one key in the sorted rows[from, nrows) one row. */
static void merge_equal_keys(ps__cube_t *cube, size_t from, ps__cube_fault_fn fault,
                             void *arg)
{
    row_t *rows = cube->rows;
    size_t out = from;
    for (size_t i = from; i < cube->nrows;) {
        size_t n = 1;
        while (i + n < cube->nrows && same_key(&rows[i], &rows[i + n]))
            n++;
        if (n == 1)
            rows[out] = rows[i];
        else
            rows[out] = rows[i].entity ? first_of_duplicates(cube, rows + i, n, fault, arg)
                                       : sum_of_rows(cube, rows + i, n, fault, arg);
        out++;
        i += n;
    }
    cube->nrows = out;
}

/* Where the sort must start: the first sealed row of a family that the
   new rows add to (else the first new row), as the sealed rows are in
   family order. */
static size_t resort_start(const ps__cube_t *cube)
{
    size_t start = cube->sealed;
    uint32_t last = UINT32_MAX;
    for (size_t i = cube->sealed; i < cube->nrows; i++) {
        uint32_t f = row_family(&cube->rows[i]);
        const family_t *fam = &cube->families[f];
        if (f != last && fam->end > fam->start && fam->start < start)
            start = fam->start;
        last = f;
    }
    return start;
}

/* Each family's range in the sorted rows[from, nrows). */
static void index_families(ps__cube_t *cube, size_t from)
{
    for (size_t i = from; i < cube->nrows;) {
        uint32_t f = row_family(&cube->rows[i]);
        size_t end = i + 1;
        while (end < cube->nrows && row_family(&cube->rows[end]) == f)
            end++;
        cube->families[f].start = i;
        cube->families[f].end = end;
        i = end;
    }
}

int ps__cube_seal(ps__cube_t *cube, ps__cube_fault_fn fault, void *arg)
{
    if (cube->sealed == cube->nrows)
        return 0;
    size_t from = resort_start(cube);
    sort_key_t key = ps__sort_key(cube->rows, from, cube->nrows, BY_MONTH);
    ps__sort_rows(cube->rows + from, cube->nrows - from, &key);
    merge_equal_keys(cube, from, fault, arg);
    index_families(cube, from);
    ps__cube_forget_cells(cube);
    cube->sealed = cube->nrows;
    return 0;
}
