/* Completion against time progress (序时进度): a bar per targeted indicator,
   coloured by its status, with its own time-progress mark (an indicator
   whose data ends a month early is measured against that month). */
#include "config.h"

#include <stdio.h>

#include "render/chart.h"
#include "render/html.h"
#include "render/svg.h"
#include "report/template.h"

enum { WIDTH = 880, LABEL_W = 190, PLOT_W = 440, TOP = 34, ROW_H = 36, BOTTOM = 28 };

typedef struct bar {
    const ps__section_t *s;
    const ps__ind_t *ind;
    int64_t progress, completion; /* hundredths of a per cent */
} bar_t;

/* Steps *at (section, indicator) to the next indicator with a time progress;
   0 past the end. */
static int next_bar(const ps__report_t *r, size_t at[2], bar_t *bar)
{
    for (; at[0] < r->n_sections; at[0]++, at[1] = 0) {
        const ps__section_t *s = &r->sections[at[0]];
        while (at[1] < s->n_inds) {
            const ps__ind_t *ind = &s->inds[at[1]++];
            int64_t gap;
            if (ps__ind_progress(ind, &bar->progress, &gap) < 0)
                continue;
            *bar = (bar_t){ s, ind, bar->progress, bar->progress + gap };
            return 1;
        }
    }
    return 0;
}

static void put_axis(ps__buf_t *out, int64_t max, int bottom)
{
    for (int64_t tick = 0; tick <= max; tick += PS_CHART_STEP) {
        int x = LABEL_W + ps__svg_scale(tick, max, PLOT_W);
        char label[16];
        snprintf(label, sizeof label, "%d%%", (int)(tick / 100));
        ps__svg_line(out, tick == 10000 ? "grid full" : "grid", x, TOP - 4, x, bottom);
        ps__svg_text(out, "axis", "middle", x, bottom + 16, label);
    }
}

static void put_bar(ps__buf_t *out, const ps__report_t *r, const bar_t *b, int y,
                    int64_t max)
{
    int status = ps__progress_status(r, b->completion - b->progress);
    ps__svg_text(out, "label", "end", LABEL_W - 10, y + 23, b->ind->label);
    ps__svg_rect(out, ps__html_status_class(status), LABEL_W, y + 8,
                 ps__svg_scale(b->completion, max, PLOT_W), 20);
    int mark = LABEL_W + ps__svg_scale(b->progress, max, PLOT_W);
    ps__svg_line(out, "tp", mark, y + 3, mark, y + 33);
    ps__buf_t text = PS_BUF_INIT;
    ps__template_field(&text, r, b->s, b->ind, "rate");
    ps__buf_puts(&text, "（序时进度");
    ps__template_field(&text, r, b->s, b->ind, "progress");
    ps__buf_puts(&text, "）");
    ps__svg_text(out, "figure", "start", LABEL_W + PLOT_W + 12, y + 23, ps__buf_str(&text));
    out->failed |= text.failed;
    ps__buf_free(&text);
}

void ps__chart_progress(ps__buf_t *out, const ps__report_t *r)
{
    static const ps__legend_t legend[] = {
        { "behind", 0, "滞后序时进度" },
        { "on", 0, "与序时进度持平" },
        { "ahead", 0, "超序时进度" },
        { "tp", 1, "序时进度" },
    };
    size_t at[2] = { 0, 0 }, n = 0;
    int64_t highest = 0;
    bar_t b;
    for (; next_bar(r, at, &b); n++)
        highest = b.completion > highest ? b.completion : highest;
    if (!n)
        return;
    int64_t max = ps__chart_percent_max(highest);
    int bottom = TOP + (int)n * ROW_H;
    ps__chart_begin(out, WIDTH, bottom + BOTTOM, "目标完成率与序时进度");
    ps__chart_legend(out, LABEL_W, 16, legend, sizeof legend / sizeof legend[0]);
    put_axis(out, max, bottom);
    at[0] = at[1] = 0;
    for (int y = TOP; next_bar(r, at, &b); y += ROW_H)
        put_bar(out, r, &b, y, max);
    ps__chart_end(out, "目标完成率（条）与序时进度（竖线）");
}
