#include "config.h"

#include "render/chart.h"

#include <string.h>

#include "render/html.h"
#include "render/svg.h"

int64_t ps__chart_percent_max(int64_t highest)
{
    int64_t max = 10000;
    while (max < highest && max < 20000)
        max += PS_CHART_STEP;
    return max;
}

/* Swatches are 12 pixels; each entry takes its text's width, estimated at
   14 pixels a character (CJK glyphs are square; the rest are narrower). */
void ps__chart_legend(ps__buf_t *out, int x, int y, const ps__legend_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (items[i].line)
            ps__svg_line(out, items[i].cls, x, y - 5, x + 14, y - 5);
        else
            ps__svg_rect(out, items[i].cls, x, y - 11, 12, 12);
        ps__svg_text(out, "legend", "start", x + 18, y, items[i].text);
        size_t chars = 0;
        for (const unsigned char *p = (const unsigned char *)items[i].text; *p; p++)
            chars += (*p & 0xC0) != 0x80;
        x += 18 + (int)chars * 14 + 20;
    }
}

void ps__chart_begin(ps__buf_t *out, int width, int height, const char *title)
{
    ps__buf_puts(out, "<figure>\n");
    ps__svg_open(out, width, height, title);
}

void ps__chart_end(ps__buf_t *out, const char *caption)
{
    ps__svg_close(out);
    ps__buf_puts(out, "<figcaption>");
    ps__html_escape(out, caption);
    ps__buf_puts(out, "</figcaption>\n</figure>\n");
}
