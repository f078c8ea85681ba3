#include "config.h"

#include "render/svg.h"

#include "render/html.h"

void ps__svg_open(ps__buf_t *out, int width, int height, const char *title)
{
    ps__buf_printf(out, "<svg class=\"chart\" width=\"%d\" height=\"%d\" "
                   "viewBox=\"0 0 %d %d\" role=\"img\"><title>", width, height, width, height);
    ps__html_escape(out, title);
    ps__buf_puts(out, "</title>\n");
}

void ps__svg_close(ps__buf_t *out)
{
    ps__buf_puts(out, "</svg>\n");
}

void ps__svg_rect(ps__buf_t *out, const char *cls, int x, int y, int width, int height)
{
    ps__buf_printf(out, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
                   cls, x, y, width, height);
}

void ps__svg_line(ps__buf_t *out, const char *cls, int x1, int y1, int x2, int y2)
{
    ps__buf_printf(out, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                   cls, x1, y1, x2, y2);
}

void ps__svg_circle(ps__buf_t *out, const char *cls, int cx, int cy, int radius)
{
    ps__buf_printf(out, "<circle class=\"%s\" cx=\"%d\" cy=\"%d\" r=\"%d\"/>\n", cls, cx, cy,
                   radius);
}

void ps__svg_polyline(ps__buf_t *out, const char *cls, const int *xy, size_t n)
{
    ps__buf_printf(out, "<polyline class=\"%s\" points=\"", cls);
    for (size_t i = 0; i < n; i++)
        ps__buf_printf(out, "%s%d,%d", i ? " " : "", xy[2 * i], xy[2 * i + 1]);
    ps__buf_puts(out, "\"/>\n");
}

void ps__svg_text(ps__buf_t *out, const char *cls, const char *anchor, int x, int y,
                  const char *text)
{
    ps__buf_puts(out, "<text");
    if (cls)
        ps__buf_printf(out, " class=\"%s\"", cls);
    ps__buf_printf(out, " x=\"%d\" y=\"%d\" text-anchor=\"%s\">", x, y, anchor);
    ps__html_escape(out, text);
    ps__buf_puts(out, "</text>\n");
}

int ps__svg_scale(int64_t value, int64_t max, int pixels)
{
    if (value <= 0)
        return 0;
    if (value >= max)
        return pixels;
    return (int)(value * pixels / max);
}
