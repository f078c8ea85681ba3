/* The year's course month by month: an indicator's cumulative value at each
   month's end as a share of its annual target, against the time-progress
   diagonal from nothing in January to the whole target in December; or a
   rate (隐患整改率) itself, from January to each month's end. */
#include "config.h"

#include <stdio.h>

#include "render/chart.h"
#include "num/format.h"
#include "render/html.h"
#include "render/svg.h"

enum { WIDTH = 420, HEIGHT = 250, X0 = 52, Y0 = 16, PLOT_W = 336, PLOT_H = 190 };

static int month_x(int month)
{
    return X0 + month * PLOT_W / 12;
}

static int share_y(int64_t share, int64_t max)
{
    return Y0 + PLOT_H - ps__svg_scale(share, max, PLOT_H);
}

/* Each month's point in hundredths of a per cent: a rate's own value, or
   the cumulative value's share of the target; -1 when there is no chart. */
static int month_shares(const ps__ind_t *ind, int64_t shares[12])
{
    if (ind->n_months <= 0 || ind->n_months > 12)
        return -1;
    int rate = ps__ind_is_rate(ind);
    if (!rate && (!ps_value_present(ind->target) || ind->target.raw <= 0))
        return -1;
    for (int m = 0; m < ind->n_months; m++)
        if ((rate ? ps__ratio_scaled(ind->months[m], PS_SCALE / 100, 1, 0, &shares[m])
                  : ps__rate_scaled(ind->months[m], ind->target.raw, 2, &shares[m])) < 0)
            return -1;
    return 0;
}

static void put_axes(ps__buf_t *out, int64_t max, int diagonal)
{
    char label[16];
    for (int64_t tick = 0; tick <= max; tick += PS_CHART_STEP) {
        int y = share_y(tick, max);
        snprintf(label, sizeof label, "%d%%", (int)(tick / 100));
        ps__svg_line(out, tick == 10000 ? "grid full" : "grid", X0, y, X0 + PLOT_W, y);
        ps__svg_text(out, "axis", "end", X0 - 6, y + 4, label);
    }
    for (int m = 1; m <= 12; m++) {
        snprintf(label, sizeof label, m == 12 ? "%d月" : "%d", m);
        ps__svg_text(out, "axis", "middle", month_x(m), Y0 + PLOT_H + 18, label);
    }
    if (diagonal)
        ps__svg_line(out, "tp", month_x(0), share_y(0, max), month_x(12), share_y(10000, max));
}

/* The line through every month (from nothing at the year's start, for a
   cumulative share), its points and the last month's figure, worded as the
   text words it: the completion rate, or the rate itself. */
static void put_course(ps__buf_t *out, const ps__report_t *r, const ps__ind_t *ind,
                       const int64_t shares[12], int64_t max)
{
    int64_t progress, gap;
    int status = ps__ind_progress(ind, &progress, &gap) < 0 ? 0 : ps__progress_status(r, gap);
    const char *cls = ps__html_status_class(status);
    int is_rate = ps__ind_is_rate(ind);
    int xy[2 * 13] = { month_x(0), share_y(0, max) };
    for (int m = 0; m < ind->n_months; m++) {
        xy[2 * m + 2] = month_x(m + 1);
        xy[2 * m + 3] = share_y(shares[m], max);
    }
    const int *from = is_rate ? xy + 2 : xy; /* a rate has no value before January */
    ps__svg_polyline(out, cls, from, (size_t)ind->n_months + !is_rate);
    for (int m = 1; m <= ind->n_months; m++)
        ps__svg_circle(out, cls, xy[2 * m], xy[2 * m + 1], 3);
    ps__buf_t rate = PS_BUF_INIT;
    if (is_rate && ind->n_months == ps_period_month(ind->asof)) {
        ps__ind_format(&rate, ind, 0); /* from the sums, as the text says it */
    } else if (is_rate) {
        ps__format_scaled(&rate, shares[ind->n_months - 1], 2);
        ps__buf_puts(&rate, "%");
    } else
        ps__format_rate(&rate, ind->months[ind->n_months - 1], ind->target.raw,
                        ind->rate_decimals);
    int last = 2 * ind->n_months;
    ps__svg_text(out, "figure", "end", xy[last] - 6, xy[last + 1] - 8, ps__buf_str(&rate));
    out->failed |= rate.failed;
    ps__buf_free(&rate);
}

static void put_chart(ps__buf_t *out, const ps__report_t *r, const ps__ind_t *ind)
{
    int64_t shares[12], highest = 0;
    if (month_shares(ind, shares) < 0)
        return;
    for (int m = 0; m < ind->n_months; m++)
        highest = shares[m] > highest ? shares[m] : highest;
    int64_t max = ps__chart_percent_max(highest);
    ps__buf_t title = PS_BUF_INIT;
    int is_rate = ps__ind_is_rate(ind);
    ps__buf_printf(&title, is_rate ? "%s：年初至各月末" : "%s：逐月累计完成占年度目标",
                   ind->label);
    ps__chart_begin(out, WIDTH, HEIGHT, ps__buf_str(&title));
    put_axes(out, max, !is_rate);
    put_course(out, r, ind, shares, max);
    ps__chart_end(out, ps__buf_str(&title));
    out->failed |= title.failed;
    ps__buf_free(&title);
}

void ps__chart_months(ps__buf_t *out, const ps__report_t *r)
{
    for (size_t i = 0; i < r->n_sections; i++)
        for (size_t j = 0; j < r->sections[i].n_inds; j++)
            put_chart(out, r, &r->sections[i].inds[j]);
}
