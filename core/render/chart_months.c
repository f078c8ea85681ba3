/* The year's course month by month: an indicator's cumulative value at each
   month's end as a share of its annual target, against the time-progress
   diagonal from nothing in January to the whole target in December. */
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

/* The cumulative value of each month as hundredths of a per cent of the
   target; -1 when one cannot be computed. */
static int month_shares(const ps__ind_t *ind, int64_t shares[12])
{
    if (!ps_value_present(ind->target) || ind->target.raw <= 0 || ind->n_months <= 0 ||
        ind->n_months > 12)
        return -1;
    for (int m = 0; m < ind->n_months; m++)
        if (ps__rate_scaled(ind->months[m], ind->target.raw, 2, &shares[m]) < 0)
            return -1;
    return 0;
}

static void put_axes(ps__buf_t *out, int64_t max)
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
    ps__svg_line(out, "tp", month_x(0), share_y(0, max), month_x(12), share_y(10000, max));
}

/* The line from the year's start through every month, its points and the
   last month's rate, worded as the text words a completion rate. */
static void put_course(ps__buf_t *out, const ps__report_t *r, const ps__ind_t *ind,
                       const int64_t shares[12], int64_t max)
{
    int64_t progress, gap;
    int status = ps__ind_progress(ind, &progress, &gap) < 0 ? 0 : ps__progress_status(r, gap);
    const char *cls = ps__html_status_class(status);
    int xy[2 * 13] = { month_x(0), share_y(0, max) };
    for (int m = 0; m < ind->n_months; m++) {
        xy[2 * m + 2] = month_x(m + 1);
        xy[2 * m + 3] = share_y(shares[m], max);
    }
    ps__svg_polyline(out, cls, xy, (size_t)ind->n_months + 1);
    for (int m = 1; m <= ind->n_months; m++)
        ps__svg_circle(out, cls, xy[2 * m], xy[2 * m + 1], 3);
    ps__buf_t rate = PS_BUF_INIT;
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
    ps__buf_printf(&title, "%s：逐月累计完成占年度目标", ind->label);
    ps__chart_begin(out, WIDTH, HEIGHT, ps__buf_str(&title));
    put_axes(out, max);
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
