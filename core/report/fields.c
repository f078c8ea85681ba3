/*
 * The fields a template placeholder can show of an indicator, each written
 * as the office writes it. The names are syntax/placeholder.h's, so that
 * the configuration can check a template before anything is computed.
 */
#include "config.h"

#include "report/fields.h"

#include <string.h>

#include "num/format.h"

typedef void put_fn(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                    const ps__ind_t *ind);

#define NONE "—" /* what a field shows when its figure cannot be computed */

static void put_value(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const ps__ind_t *ind)
{
    (void)r, (void)s;
    ps__ind_format(out, ind, 0);
}

void ps__field_marks(ps__buf_t *out, const ps__report_t *r, const ps__ind_t *ind)
{
    if (ind->asof && ind->asof < r->period) {
        ps__buf_puts(out, "（至");
        ps__format_month_end(out, ind->asof, r->period);
        ps__buf_puts(out, "）");
    }
    if (ps_value_present(ind->carried)) {
        ps__buf_puts(out, "（含上月结转");
        ps__format_value(out, ind->carried, NULL);
        ps__buf_puts(out, "）");
    }
}

/* The value, with what it must be read with: 「（至9月底）」, 「（含上月结转1个）」. */
static void put_figure(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                       const ps__ind_t *ind)
{
    put_value(out, r, s, ind);
    ps__field_marks(out, r, ind);
}

/* The quantities of `ind` that have a figure, joined by "，", the first
   after `before`: a month without idle land says 0宗, not 0宗，—. */
static void put_quantities(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                           const ps__ind_t *ind, const char *before)
{
    for (const ps__ind_t *q = NULL; (q = ps__ind_next_quantity(s, ind, q));) {
        if (!ps_value_present(q->value))
            continue;
        ps__buf_puts(out, before);
        put_figure(out, r, s, q);
        before = "，";
    }
}

void ps__field_figures(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                       const ps__ind_t *ind)
{
    put_figure(out, r, s, ind);
    put_quantities(out, r, s, ind, "，");
}

void ps__field_quantities(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                          const ps__ind_t *ind)
{
    put_quantities(out, r, s, ind, "");
}

static void put_label(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const ps__ind_t *ind)
{
    (void)r, (void)s;
    ps__buf_puts(out, ind->label);
}

static void put_target(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                       const ps__ind_t *ind)
{
    (void)r, (void)s;
    ps__format_figure(out, ind->target, ps__ind_plan_display(ind), ps__ind_decimals(ind));
}

void ps__field_table_target(ps__buf_t *out, const ps__ind_t *ind)
{
    ps__format_figure(out, ind->target, ps__ind_target_display(ind), ps__ind_decimals(ind));
}

static void put_next_target(ps__buf_t *out, const ps__report_t *r,
                            const ps__section_t *s, const ps__ind_t *ind)
{
    (void)r, (void)s;
    ps__format_figure(out, ind->next_target, ps__ind_plan_display(ind),
                      ps__ind_decimals(ind));
}

static void put_ratio(ps__buf_t *out, ps_value_t num, ps_value_t den, int decimals)
{
    if (!ps_value_present(num) || !ps_value_present(den) ||
        ps__format_rate(out, num.raw, den.raw, decimals) < 0)
        ps__buf_puts(out, NONE);
}

static void put_rate(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                     const ps__ind_t *ind)
{
    (void)r, (void)s;
    put_ratio(out, ind->value, ind->target, ind->rate_decimals);
}

static void put_share(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const ps__ind_t *ind)
{
    (void)r;
    put_ratio(out, ind->value, ps__ind_share_base(s, ind), 2);
}

/* The PART children, "label value" joined by "，". */
static void put_parts(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const ps__ind_t *ind)
{
    const char *sep = "";
    for (size_t i = 0; i < s->n_inds; i++) {
        const ps__ind_t *c = &s->inds[i];
        if (c->relation != PS_REL_PART || !c->parent || strcmp(c->parent, ind->key))
            continue;
        ps__buf_puts(out, sep);
        ps__buf_puts(out, c->label);
        put_value(out, r, s, c);
        sep = "，";
    }
}

static void put_asof(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                     const ps__ind_t *ind)
{
    (void)s;
    ps__format_month_end(out, ind->asof ? ind->asof : r->period, r->period);
}

/* A difference in points: "0.9个百分点" with the magnitude only. */
static void put_points(ps__buf_t *out, int64_t scaled, int decimals)
{
    ps__format_scaled(out, scaled < 0 ? -scaled : scaled, decimals);
    ps__buf_puts(out, "个百分点");
}

static void put_progress(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                         const ps__ind_t *ind)
{
    (void)r, (void)s;
    int64_t progress, gap;
    if (ps__ind_progress(ind, &progress, &gap) < 0) {
        ps__buf_puts(out, NONE);
        return;
    }
    ps__format_scaled(out, progress, 2);
    ps__buf_puts(out, "%");
}

static void put_gap(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                    const ps__ind_t *ind)
{
    (void)r, (void)s;
    int64_t progress, gap;
    if (ps__ind_progress(ind, &progress, &gap) < 0)
        ps__buf_puts(out, NONE);
    else
        put_points(out, gap, 2);
}

/* 「滞后序时进度42.75个百分点」, 「超序时进度4.54个百分点」 or 「与序时进度持平」. */
static void put_status(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                       const ps__ind_t *ind)
{
    (void)s;
    int64_t progress, gap;
    if (ps__ind_progress(ind, &progress, &gap) < 0) {
        ps__buf_puts(out, NONE);
        return;
    }
    int status = ps__progress_status(r, gap);
    if (status == 0) {
        ps__buf_puts(out, "与序时进度持平");
        return;
    }
    ps__buf_puts(out, status > 0 ? "超序时进度" : "滞后序时进度");
    put_points(out, gap, 2);
}

static void put_year_ago(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                         const ps__ind_t *ind)
{
    (void)r, (void)s;
    ps__ind_format(out, ind, 1);
}

/* 「提高1.20个百分点」, 「回落0.35个百分点」 or 「持平」: a change in
   hundredths of a percentage point, as offices word a share's or a
   rate's. */
static void put_rise_or_fall(ps__buf_t *out, int64_t hundredths)
{
    if (hundredths == 0) {
        ps__buf_puts(out, "持平");
        return;
    }
    ps__buf_puts(out, hundredths > 0 ? "提高" : "回落");
    put_points(out, hundredths, 2);
}

/* 「增长6.1%」, 「下降3.2%」 or 「持平」: offices never write a negative growth. */
static void put_change(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                       const ps__ind_t *ind)
{
    (void)r, (void)s;
    int64_t tenths, points;
    if (ps__ind_change_points(ind, &points) == 0) { /* a rate: 「提高1.33个百分点」 */
        put_rise_or_fall(out, points);
        return;
    }
    if (ps__ind_change(ind, &tenths) < 0) {
        ps__buf_puts(out, NONE);
        return;
    }
    if (tenths == 0) {
        ps__buf_puts(out, "持平");
        return;
    }
    ps__buf_puts(out, tenths > 0 ? "增长" : "下降");
    ps__format_scaled(out, tenths < 0 ? -tenths : tenths, PS_GROWTH_DECIMALS);
    ps__buf_puts(out, "%");
}

/* "8%" or "7.5%": a target is written without a trailing ".0". */
static void put_growth_target(ps__buf_t *out, const ps__report_t *r,
                              const ps__section_t *s, const ps__ind_t *ind)
{
    (void)r, (void)s;
    if (!ind->has_growth_target) {
        ps__buf_puts(out, NONE);
        return;
    }
    int64_t t = ind->growth_target;
    ps__format_scaled(out, t % 10 ? t : t / 10, t % 10 ? PS_GROWTH_DECIMALS : 0);
    ps__buf_puts(out, "%");
}

/* 「高于目标0.9个百分点」, 「低于目标0.9个百分点」 or 「与目标持平」. */
static void put_growth_gap(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                           const ps__ind_t *ind)
{
    (void)r, (void)s;
    int64_t gap;
    if (ps__ind_growth_gap(ind, &gap) < 0)
        ps__buf_puts(out, NONE);
    else if (gap == 0)
        ps__buf_puts(out, "与目标持平");
    else {
        ps__buf_puts(out, gap > 0 ? "高于目标" : "低于目标");
        put_points(out, gap, PS_GROWTH_DECIMALS);
    }
}

/* 「提高1.20个百分点」, 「回落0.35个百分点」 or 「持平」. */
static void put_share_change(ps__buf_t *out, const ps__report_t *r,
                             const ps__section_t *s, const ps__ind_t *ind)
{
    (void)r;
    int64_t change;
    if (ps__ind_share_change(s, ind, &change) < 0)
        ps__buf_puts(out, NONE);
    else
        put_rise_or_fall(out, change);
}

/* What each field of syntax/placeholder.h shows. */
static put_fn *const put[PS_N_FIELDS] = {
    [PS_FIELD_FIGURE] = put_figure,
    [PS_FIELD_VALUE] = put_value,
    [PS_FIELD_LABEL] = put_label,
    [PS_FIELD_TARGET] = put_target,
    [PS_FIELD_NEXT_TARGET] = put_next_target,
    [PS_FIELD_RATE] = put_rate,
    [PS_FIELD_SHARE] = put_share,
    [PS_FIELD_PARTS] = put_parts,
    [PS_FIELD_ASOF] = put_asof,
    [PS_FIELD_PROGRESS] = put_progress,
    [PS_FIELD_GAP] = put_gap,
    [PS_FIELD_STATUS] = put_status,
    [PS_FIELD_YEAR_AGO] = put_year_ago,
    [PS_FIELD_CHANGE] = put_change,
    [PS_FIELD_GROWTH_TARGET] = put_growth_target,
    [PS_FIELD_GROWTH_GAP] = put_growth_gap,
    [PS_FIELD_SHARE_CHANGE] = put_share_change,
};

int ps__field_put(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                  const ps__ind_t *ind, size_t field)
{
    if (field >= PS_N_FIELDS)
        return 0;
    size_t before = out->len;
    put[field](out, r, s, ind);
    /* Every field shows NONE, and only NONE, when it cannot be computed. */
    return !(out->len - before == strlen(NONE) &&
             memcmp(ps__buf_str(out) + before, NONE, strlen(NONE)) == 0);
}
