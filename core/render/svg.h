/*
 * Chart primitives: inline SVG elements on an integer pixel grid, styled by
 * CSS classes of the page that holds them (colours live in one place).
 * Every text is escaped. Nothing here fetches anything: no xlink, no href.
 */
#ifndef PS_SVG_H
#define PS_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Opens an <svg> of width × height pixels whose accessible name is `title`. */
void ps__svg_open(ps__buf_t *out, int width, int height, const char *title);
void ps__svg_close(ps__buf_t *out);

void ps__svg_rect(ps__buf_t *out, const char *cls, int x, int y, int width, int height);
void ps__svg_line(ps__buf_t *out, const char *cls, int x1, int y1, int x2, int y2);
void ps__svg_circle(ps__buf_t *out, const char *cls, int cx, int cy, int radius);
/* A line through n points given as x0, y0, x1, y1, … */
void ps__svg_polyline(ps__buf_t *out, const char *cls, const int *xy, size_t n);
/* Text whose baseline starts (anchor "start"), is centred ("middle") or
   ends ("end") at x, y; `cls` may be NULL. */
void ps__svg_text(ps__buf_t *out, const char *cls, const char *anchor, int x, int y,
                  const char *text);

/* `value` of `max` as a length of `pixels`: 0 below 0, `pixels` above max.
   max > 0 and value * pixels must fit in 64 bits once clamped. */
int ps__svg_scale(int64_t value, int64_t max, int pixels);

#endif
