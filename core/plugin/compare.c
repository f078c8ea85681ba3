/*
 * The core's half of api->measured_by and api->emit_ratio: once a plugin
 * says which rows an indicator's value measures (a sum, a count, or the
 * ratio of two sums), the core can ask the same question of last year and
 * of each month, so every plugin gets year-on-year figures, growth targets
 * and a month-by-month course without computing them itself.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "plugin/ctx.h"
#include "num/format.h"
#include "config/instance.h"
#include "config/settings.h"
#include "ledger/stocks.h"

#define BASE_SUFFIX ".base"

static int measure(ps_ctx_t *ctx, const ps_query_t *q, ps_measure_t how,
                   const char *unit, ps_value_t *out)
{
    if (how == PS_MEASURE_SUM)
        return ps__api_probe_sum(ctx, q, out);
    if (how == PS_MEASURE_AVERAGE)
        return ps__api_average(ctx, q, out);
    int64_t n;
    int rc = how == PS_MEASURE_ENTERED      ? ps__api_count_entered(ctx, q, &n)
             : how == PS_MEASURE_THROUGHOUT ? ps__api_count_throughout(ctx, q, &n)
                                            : ps__api()->count_entities(ctx, q, &n);
    *out = rc == 0 && n ? ps_count_value(n, unit) : PS_VALUE_NONE;
    return rc;
}

/* The comparable base (上年同期可比口径) the ledger supplies for q shifted a
   year back: rows of "CODE.base" in the range's last month. */
static int comparable_base(ps_ctx_t *ctx, const ps_query_t *last_year, ps_value_t *out)
{
    char code[256];
    if (snprintf(code, sizeof code, "%s" BASE_SUFFIX, last_year->indicator) >=
        (int)sizeof code) {
        *out = PS_VALUE_NONE;
        return 0;
    }
    ps_query_t q = *last_year;
    q.indicator = code;
    q.from = q.to;
    return ps__api_probe_sum(ctx, &q, out);
}

static int year_ago(ps_ctx_t *ctx, ps__ind_t *ind, const ps_query_t *q, ps_measure_t how)
{
    ps_query_t last_year = *q;
    last_year.from -= 12;
    last_year.to -= 12;
    ps_value_t base, v;
    int rc = comparable_base(ctx, &last_year, &base);
    if (rc == 0 && !ps_value_present(base))
        rc = measure(ctx, &last_year, how, ind->value.unit, &v);
    if (rc < 0)
        return rc;
    ind->comparable = ps_value_present(base);
    if (ind->comparable)
        v = base;
    if (ps_value_present(v) && ps_value_present(ind->value) &&
        strcmp(v.unit, ind->value.unit) != 0)
        return ps__ctx_fail(ctx, PS_EUNIT, "'%s': last year's figure is in %s but this "
                            "year's in %s", ind->key, v.unit, ind->value.unit);
    if (ps_value_present(v) && !(v.unit = ps__ctx_own(ctx, v.unit)))
        return PS_ENOMEM;
    ind->year_ago = v;
    return 0;
}

/* The measure at each month's end from January to q->to, a query a month:
   a stock's value at that month alone, an average or the states entered
   from q->from. Only when every month has a value (a count of states
   entered may be 0): a month not reported would draw a state nobody
   reported. */
static int course_by_month(ps_ctx_t *ctx, ps__ind_t *ind, const ps_query_t *q,
                           ps_measure_t how, int one_month)
{
    ps_period_t january = ps_period_year_start(q->to);
    int n = (int)(q->to - january) + 1;
    for (int m = 0; m < n; m++) {
        ps_query_t month = *q;
        month.to = january + m;
        month.from = one_month ? month.to : q->from;
        ps_value_t v;
        int rc = measure(ctx, &month, how, ind->value.unit, &v);
        if (rc < 0)
            return rc;
        if (!ps_value_present(v) && how != PS_MEASURE_ENTERED)
            return 0;
        ind->months[m] = ps_value_present(v) ? v.raw : 0;
    }
    ind->n_months = n;
    return 0;
}

/* Does q run from a January to a month of the same year, so that it has a
   course to chart? */
static int has_course(const ps_query_t *q)
{
    return q->from == ps_period_year_start(q->from) && q->to >= q->from &&
           q->to - q->from < 12;
}

/* The measure from January to each month's end, up to q->to. */
static int course(ps_ctx_t *ctx, ps__ind_t *ind, const ps_query_t *q, ps_measure_t how)
{
    ind->n_months = 0;
    if (how == PS_MEASURE_THROUGHOUT)
        return 0; /* an age: a course of it would be a question of its own */
    if (ind->stock && q->from == q->to)
        return course_by_month(ctx, ind, q, how, 1);
    if (!has_course(q))
        return 0;
    if (how == PS_MEASURE_AVERAGE || how == PS_MEASURE_ENTERED)
        return course_by_month(ctx, ind, q, how, 0);
    int rc = ps__api_course(ctx, q, how, ind->months);
    if (rc == 0)
        ind->n_months = (int)(q->to - q->from) + 1;
    return rc;
}

/* How many of the entities a stock's month-end query selects were taken at
   last month's value (carry_forward): the query again, on the carried rows'
   mark. Counted in the value's unit when the value counts entities. */
static int carried_part(ps_ctx_t *ctx, ps__ind_t *ind, const ps_query_t *q, ps_measure_t how)
{
    ind->carried = PS_VALUE_NONE;
    if (!ind->stock || q->from != q->to || q->n_filters >= PS_MAX_FILTERS ||
        ps__intern_find(ps__cube_strings(ctx->run->cube), PS_CARRIED_TAG,
                        strlen(PS_CARRIED_TAG)) == UINT32_MAX)
        return 0;
    ps_filter_t filters[PS_MAX_FILTERS];
    if (q->n_filters)
        memcpy(filters, q->filters, q->n_filters * sizeof *filters);
    filters[q->n_filters] = (ps_filter_t){ PS_CARRIED_TAG, PS_CARRIED_VALUE };
    ps_query_t carried = *q;
    carried.filters = filters;
    carried.n_filters = q->n_filters + 1;
    int64_t n;
    int rc = ps__api()->count_entities(ctx, &carried, &n);
    if (rc == 0 && n)
        ind->carried = ps_count_value(n, how == PS_MEASURE_ENTITIES ? ind->value.unit : "个");
    return rc;
}

/* growth_target.YEAR of the instance, in tenths of a per cent. */
static int growth_target(ps_ctx_t *ctx, ps__ind_t *ind)
{
    if (ind == &ctx->section->inds[0] &&
        ps__instance_growth_target(ctx->settings, ps_period_year(ctx->run->period),
                                   &ind->growth_target) == 0)
        ind->has_growth_target = 1;
    return 0;
}

int ps__api_measured_by(ps_ctx_t *ctx, const char *key, const ps_query_t *q,
                        ps_measure_t how)
{
    size_t at = key ? ps__section_index(ctx->section, key, strlen(key)) : SIZE_MAX;
    ps__ind_t *ind = at == SIZE_MAX ? NULL : &ctx->section->inds[at];
    if (!ind)
        return ps__ctx_fail(ctx, PS_ENOENT, "measured_by: indicator '%s' has not been "
                            "emitted", key ? key : "(null)");
    if (how < PS_MEASURE_SUM || how > PS_MEASURE_THROUGHOUT)
        return ps__ctx_fail(ctx, PS_EINVAL, "measured_by '%s': unknown measure %d", key,
                            (int)how);
    if (!q || !q->indicator)
        return ps__ctx_fail(ctx, PS_EINVAL, "measured_by '%s': no query", key);
    int rc = year_ago(ctx, ind, q, how);
    if (rc == 0)
        rc = course(ctx, ind, q, how);
    if (rc == 0)
        rc = carried_part(ctx, ind, q, how);
    return rc == 0 ? growth_target(ctx, ind) : rc;
}

/* ---- api->emit_ratio ---------------------------------------------------- */

/* The ratio of the sums q[0] and q[1] selects, as a value in `unit` and as
   its two sums; PS_VALUE_NONE when either has no rows or the second is 0. */
static int ratio_of(ps_ctx_t *ctx, const ps_query_t q[2], int64_t scale, const char *unit,
                    int probe, ps_value_t *value, int64_t sums[2])
{
    ps_value_t v[2];
    *value = PS_VALUE_NONE;
    sums[0] = sums[1] = 0;
    for (int k = 0; k < 2; k++) {
        int rc = probe ? ps__api_probe_sum(ctx, &q[k], &v[k]) : ps__api()->sum(ctx, &q[k], &v[k]);
        if (rc < 0)
            return rc;
        if (!ps_value_present(v[k]))
            return 0;
    }
    int64_t raw;
    if (v[1].raw == 0)
        return 0;
    if (ps__ratio_scaled(v[0].raw, v[1].raw, scale, PS_SCALE_DIGITS, &raw) < 0)
        return ps__ctx_fail(ctx, PS_EOVERFLOW, "the ratio of '%s' to '%s' overflows",
                            q[0].indicator, q[1].indicator);
    *value = (ps_value_t){ raw, unit };
    sums[0] = v[0].raw;
    sums[1] = v[1].raw;
    return 0;
}

static int ratio_year_ago(ps_ctx_t *ctx, ps__ind_t *ind, const ps_query_t now[2])
{
    ps_query_t before[2] = { now[0], now[1] };
    for (int k = 0; k < 2; k++) {
        before[k].from -= 12;
        before[k].to -= 12;
    }
    return ratio_of(ctx, before, ind->ratio_scale, ind->value.unit, 1, &ind->year_ago,
                    ind->year_ago_ratio);
}

/* The ratio from January to each month's end, as far as each month has
   one: a month without a denominator ends the course, never shows as 0. */
static int ratio_course(ps_ctx_t *ctx, ps__ind_t *ind, const ps_query_t q[2])
{
    int64_t sums[2][12];
    ind->n_months = 0;
    if (!has_course(&q[0]) || q[1].from != q[0].from || q[1].to != q[0].to)
        return 0;
    for (int k = 0; k < 2; k++) {
        int rc = ps__api_course(ctx, &q[k], PS_MEASURE_SUM, sums[k]);
        if (rc < 0)
            return rc;
    }
    int n = (int)(q[0].to - q[0].from) + 1;
    while (ind->n_months < n &&
           ps__ratio_scaled(sums[0][ind->n_months], sums[1][ind->n_months],
                            ind->ratio_scale, PS_SCALE_DIGITS,
                            &ind->months[ind->n_months]) == 0)
        ind->n_months++;
    return 0;
}

int ps__api_emit_ratio(ps_ctx_t *ctx, const ps_indicator_t *in, const ps_query_t *num,
                       const ps_query_t *den, int64_t scale, const char *unit)
{
    if (!in || !num || !den || !num->indicator || !den->indicator || !unit)
        return ps__ctx_fail(ctx, PS_EINVAL, "emit_ratio: an indicator, two queries and a "
                            "unit are needed");
    if (scale <= 0)
        return ps__ctx_fail(ctx, PS_EINVAL, "emit_ratio '%s': scale %lld is not positive "
                            "(100 for a rate in per cent, 1 for an average)",
                            in->key ? in->key : "", (long long)scale);
    const ps_query_t q[2] = { *num, *den };
    ps_indicator_t copy = *in;
    int64_t sums[2];
    int rc = ratio_of(ctx, q, scale, unit, 0, &copy.value, sums);
    if (rc == 0)
        rc = ps__api_emit(ctx, &copy);
    if (rc < 0)
        return rc;
    ps__ind_t *ind = &ctx->section->inds[ctx->section->n_inds - 1];
    if (!ps_value_present(ind->value))
        return 0;
    ind->ratio[0] = sums[0];
    ind->ratio[1] = sums[1];
    ind->ratio_scale = scale;
    rc = ratio_year_ago(ctx, ind, q);
    if (rc == 0)
        rc = ratio_course(ctx, ind, q);
    return rc == 0 ? growth_target(ctx, ind) : rc;
}
