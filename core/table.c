#include "config.h"

#include "table.h"

int ps__ind_targeted(const ps__ind_t *ind)
{
    return ps_value_present(ind->target);
}

/* The rows with (targeted 1) or without (0) a target, in report order. */
static size_t visit(const ps__report_t *r, int targeted, ps__main_row_fn *row, void *ctx)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_sections; i++) {
        const ps__section_t *s = &r->sections[i];
        for (size_t j = 0; j < s->n_inds; j++) {
            const ps__ind_t *ind = &s->inds[j];
            if (ind->relation != PS_REL_NONE || ps__ind_targeted(ind) != targeted)
                continue;
            if (row)
                row(ctx, s, ind);
            n++;
        }
    }
    return n;
}

size_t ps__main_rows(const ps__report_t *r, ps__main_row_fn *row, void *ctx)
{
    size_t n = visit(r, 1, row, ctx);
    return n + visit(r, 0, row, ctx);
}
