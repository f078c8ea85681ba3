/* Year-on-year figures of an indicator: change, growth against its target,
   and the change of its share. Pure arithmetic on the report model. */
#include "config.h"

#include <string.h>

#include "num/format.h"
#include "report/report.h"

int ps__ind_is_rate(const ps__ind_t *ind)
{
    return ind->ratio[1] && ind->value.unit && strcmp(ind->value.unit, "%") == 0;
}

int ps__ind_change_points(const ps__ind_t *ind, int64_t *hundredths)
{
    if (!ps__ind_is_rate(ind) || !ind->year_ago_ratio[1])
        return -1;
    return ps__ratio_points(ind->ratio, ind->year_ago_ratio, ind->ratio_scale, 2, hundredths);
}

int ps__ind_change(const ps__ind_t *ind, int64_t *tenths)
{
    int64_t diff;
    if (!ps_value_present(ind->value) || !ps_value_present(ind->year_ago) ||
        ind->year_ago.raw <= 0 || ps__ind_is_rate(ind))
        return -1;
    if (ind->ratio[1] && ind->year_ago_ratio[1]) /* from the sums: rounded once */
        return ps__ratio_change(ind->ratio, ind->year_ago_ratio, PS_GROWTH_DECIMALS, tenths);
    if (__builtin_sub_overflow(ind->value.raw, ind->year_ago.raw, &diff))
        return -1;
    return ps__rate_scaled(diff, ind->year_ago.raw, PS_GROWTH_DECIMALS, tenths);
}

int ps__ind_growth_gap(const ps__ind_t *ind, int64_t *tenths)
{
    int64_t change;
    if (!ind->has_growth_target || ps__ind_change(ind, &change) < 0)
        return -1;
    return __builtin_sub_overflow(change, ind->growth_target, tenths) ? -1 : 0;
}

/* The share of num in den in hundredths of a per cent; -1 if unknown. */
static int share_of(ps_value_t num, ps_value_t den, int64_t *hundredths)
{
    if (!ps_value_present(num) || !ps_value_present(den) || den.raw <= 0)
        return -1;
    return ps__rate_scaled(num.raw, den.raw, 2, hundredths);
}

int ps__ind_share_change(const ps__section_t *s, const ps__ind_t *ind, int64_t *hundredths)
{
    const ps__ind_t *parent = ps__ind_parent(s, ind);
    int64_t now, before;
    /* a part's rows against a parent's comparable base would mix two
       different boundaries: no figure rather than a wrong one */
    if (!ps_value_present(ps__ind_share_base(s, ind)) || parent->comparable != ind->comparable ||
        share_of(ind->value, parent->value, &now) < 0 ||
        share_of(ind->year_ago, parent->year_ago, &before) < 0)
        return -1;
    return __builtin_sub_overflow(now, before, hundredths) ? -1 : 0;
}
