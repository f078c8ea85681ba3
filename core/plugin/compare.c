/*
 * The core's half of api->measured_by: once a plugin says which rows an
 * indicator's value measures, the core can ask the same question of last
 * year and of each month, so every plugin gets year-on-year figures, growth
 * targets and a month-by-month course without computing them itself.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "plugin/ctx.h"
#include "config/instance.h"
#include "config/settings.h"

#define BASE_SUFFIX ".base"

static int measure(ps_ctx_t *ctx, const ps_query_t *q, ps_measure_t how,
                   const char *unit, ps_value_t *out)
{
    const ps_api_t *api = ps__api();
    if (how == PS_MEASURE_SUM)
        return ps__api_probe_sum(ctx, q, out);
    int64_t n;
    int rc = api->count_entities(ctx, q, &n);
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

/* The measure from January to each month's end, up to q->to. */
static int course(ps_ctx_t *ctx, ps__ind_t *ind, const ps_query_t *q, ps_measure_t how)
{
    ind->n_months = 0;
    if (q->from != ps_period_year_start(q->from) || q->to < q->from ||
        q->to - q->from >= 12)
        return 0;
    int rc = ps__api_course(ctx, q, how, ind->months);
    if (rc == 0)
        ind->n_months = (int)(q->to - q->from) + 1;
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
    if (how != PS_MEASURE_SUM && how != PS_MEASURE_ENTITIES)
        return ps__ctx_fail(ctx, PS_EINVAL, "measured_by '%s': unknown measure %d", key,
                            (int)how);
    if (!q || !q->indicator)
        return ps__ctx_fail(ctx, PS_EINVAL, "measured_by '%s': no query", key);
    int rc = year_ago(ctx, ind, q, how);
    if (rc == 0)
        rc = course(ctx, ind, q, how);
    return rc == 0 ? growth_target(ctx, ind) : rc;
}
