/*
 * The API's questions about a range of a stock's months (ABI 1.6), which
 * a sum or a count refuses since month-end values never add up: their
 * average (平均从业人数), the entities that entered a state (新开工,
 * 新建成) and those in it all along (a state's age: 闲置满两年).
 */
#include "config.h"

#include <parkstat/error.h>

#include "plugin/ctx.h"

static int bad_range(ps_ctx_t *ctx, const char *what, const ps_query_t *q)
{
    if (!q)
        return ps__ctx_fail(ctx, PS_EINVAL, "%s: no query", what);
    return ps__ctx_fail(ctx, PS_EINVAL, "%s '%s': %04d-%02d to %04d-%02d is no range of "
                        "months", what, q->indicator ? q->indicator : "(null)",
                        ps_period_year(q->from), ps_period_month(q->from),
                        ps_period_year(q->to), ps_period_month(q->to));
}

int ps__api_average(ps_ctx_t *ctx, const ps_query_t *q, ps_value_t *out)
{
    *out = PS_VALUE_NONE;
    if (!q || q->to < q->from)
        return bad_range(ctx, "average", q);
    __int128 total = 0;
    const char *unit = NULL;
    for (ps_period_t m = q->from; m <= q->to; m++) {
        ps_query_t month = *q;
        month.from = month.to = m;
        ps_value_t v;
        int rc = ps__api_probe_sum(ctx, &month, &v);
        if (rc < 0 || !ps_value_present(v))
            return rc; /* a month nobody reported: no average */
        total += v.raw;
        unit = v.unit;
    }
    /* no exact half exists for an odd count, so adding half of it before
       the division rounds half away from zero for both */
    __int128 n = (__int128)(q->to - q->from) + 1;
    __int128 average = (total >= 0 ? total + n / 2 : total - n / 2) / n;
    *out = (ps_value_t){ (int64_t)average, unit };
    return 0;
}

typedef int (*entity_count_fn)(const ps__cube_t *cube, const ps__cube_query_t *q,
                               int64_t *count);

/* A count of entities over a range of a stock's months, by `count`, over
   at most `max` months. */
static int count_over(ps_ctx_t *ctx, const char *what, const ps_query_t *q,
                      entity_count_fn count, int max, int64_t *out)
{
    ps__cube_query_t cq;
    ps__tag_pair_t pairs[PS_MAX_FILTERS];
    *out = 0;
    if (!q || q->to < q->from)
        return bad_range(ctx, what, q);
    int rc = ps__api_cube_query(ctx, q, &cq, pairs, 1);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    rc = count(ctx->run->cube, &cq, out);
    if (rc == PS_ERANGE)
        return ps__ctx_fail(ctx, rc, "%s '%s': %04d-%02d to %04d-%02d is more than %d "
                            "months", what, q->indicator, ps_period_year(q->from),
                            ps_period_month(q->from), ps_period_year(q->to),
                            ps_period_month(q->to), max);
    return rc;
}

int ps__api_count_entered(ps_ctx_t *ctx, const ps_query_t *q, int64_t *out)
{
    return count_over(ctx, "count_entered", q, ps__cube_count_entered, PS_CUBE_MAX_COURSE,
                      out);
}

int ps__api_count_throughout(ps_ctx_t *ctx, const ps_query_t *q, int64_t *out)
{
    return count_over(ctx, "count_throughout", q, ps__cube_count_throughout,
                      PS_CUBE_MAX_THROUGHOUT, out);
}
