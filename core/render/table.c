#include "config.h"

#include "render/table.h"

#include <string.h>

#include "num/decimal.h"
#include "num/format.h"

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

/* 万元 is the unit of office tables; 元 and 亿元 only when asked for. */
#define TABLE_MONEY_UNIT "万元"

void ps__figures_of(ps__figures_t *f, const ps__report_t *r, const ps__section_t *s,
                    const ps__ind_t *ind)
{
    *f = (ps__figures_t){ .rate_decimals = ind->rate_decimals };
    f->has_rate = ps_value_present(ind->value) && ps_value_present(ind->target) &&
                  ps__rate_scaled(ind->value.raw, ind->target.raw, ind->rate_decimals,
                                  &f->rate) == 0;
    f->has_progress = ps__ind_progress(ind, &f->progress, &f->gap) == 0;
    if (f->has_progress)
        f->status = ps__progress_status(r, f->gap);
    f->has_change = ps__ind_change(ind, &f->change) == 0;
    f->has_points = ps__ind_change_points(ind, &f->points) == 0;
    ps_value_t base = ps__ind_share_base(s, ind);
    f->has_share = ps_value_present(ind->value) && ps_value_present(base) &&
                   ps__rate_scaled(ind->value.raw, base.raw, 2, &f->share) == 0;
}

const char *ps__status_name(int status)
{
    static const char *const names[] = { "behind", "on", "ahead" };
    return names[(status > 0) - (status < 0) + 1];
}

const char *ps__relation_name(ps_relation_t rel)
{
    static const char *const names[] = { NULL, "part", "subset", "detail", "quantity" };
    return (unsigned)rel <= PS_REL_QUANTITY ? names[rel] : NULL;
}

static int digits_of(int64_t factor)
{
    int d = 0;
    for (; factor > 1; factor /= 10)
        d++;
    return d;
}

ps__table_unit_t ps__table_unit(const ps__ind_t *ind)
{
    const char *base = ind->value.unit ? ind->value.unit : ind->target.unit;
    if (!base)
        return (ps__table_unit_t){ "", 0 };
    if (ind->ratio[1]) /* an average or a rate, in the unit it was emitted in */
        return (ps__table_unit_t){ base, 0 };
    if (strcmp(base, PS_UNIT_MONEY) == 0) {
        int64_t factor = ind->display_unit ? ps__money_factor(ind->display_unit, 0) : 0;
        if (factor)
            return (ps__table_unit_t){ ind->display_unit, digits_of(factor) };
        return (ps__table_unit_t){ TABLE_MONEY_UNIT, digits_of(ps__money_factor(TABLE_MONEY_UNIT, 0)) };
    }
    int64_t factor = ps__display_factor(ind->display_unit, base);
    if (factor > 1)
        return (ps__table_unit_t){ ind->display_unit, digits_of(factor) };
    return (ps__table_unit_t){ base, 0 };
}

void ps__table_amount(ps__buf_t *b, int64_t raw, ps__table_unit_t u)
{
    ps__format_decimal(b, raw, PS_SCALE_DIGITS + u.digits);
}
