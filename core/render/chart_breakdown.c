/* A section's breakdowns: under each indicator that has parts (构成) or
   subsets (其中), one bar per child showing its share of the parent. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "num/format.h"
#include "render/svg.h"
#include "report/template.h"

enum { WIDTH = 880, LABEL_W = 190, PLOT_W = 440, TOP = 24, HEAD_H = 30, ROW_H = 28,
       BOTTOM = 8 };

/* The child's share of its parent in hundredths of a per cent, if it is a
   part or subset of `parent` with a share that can be computed. */
static int child_share(const ps__section_t *s, const ps__ind_t *parent,
                       const ps__ind_t *child, int64_t *share)
{
    if ((child->relation != PS_REL_PART && child->relation != PS_REL_SUBSET) ||
        !child->parent || strcmp(child->parent, parent->key) != 0)
        return 0;
    ps_value_t base = ps__ind_share_base(s, child);
    return ps_value_present(child->value) && ps_value_present(base) &&
           ps__rate_scaled(child->value.raw, base.raw, 2, share) == 0;
}

static void put_child(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const ps__ind_t *child, int64_t share, int y)
{
    ps__svg_text(out, "label", "end", LABEL_W - 10, y + 19, child->label);
    ps__svg_rect(out, "track", LABEL_W, y + 6, PLOT_W, 18);
    ps__svg_rect(out, child->relation == PS_REL_PART ? "part" : "subset", LABEL_W, y + 6,
                 ps__svg_scale(share, 10000, PLOT_W), 18);
    ps__buf_t text = PS_BUF_INIT;
    ps__template_field(&text, r, s, child, "value");
    ps__buf_puts(&text, "，占");
    ps__template_field(&text, r, s, child, "share");
    ps__svg_text(out, "figure", "start", LABEL_W + PLOT_W + 12, y + 19, ps__buf_str(&text));
    out->failed |= text.failed;
    ps__buf_free(&text);
}

/* The children of every indicator in emission order: those of inds[p] are
   kids[first[p] .. first[p + 1]). Built in one pass, so that a section of
   many indicators draws in time linear in them, not quadratic. */
typedef struct children {
    size_t *first, *kids;
} children_t;

static int children_index(const ps__section_t *s, children_t *c)
{
    size_t n = s->n_inds;
    c->first = calloc(n + 1, sizeof *c->first);
    c->kids = calloc(n + 1, sizeof *c->kids);
    size_t *fill = calloc(n + 1, sizeof *fill);
    if (!c->first || !c->kids || !fill) {
        free(fill);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const ps__ind_t *parent = ps__ind_parent(s, &s->inds[i]);
        if (parent)
            c->first[(size_t)(parent - s->inds) + 1]++;
    }
    for (size_t p = 0; p < n; p++) {
        c->first[p + 1] += c->first[p];     /* counts become where each begins */
        fill[p] = c->first[p];
    }
    for (size_t i = 0; i < n; i++) {
        const ps__ind_t *parent = ps__ind_parent(s, &s->inds[i]);
        if (parent)
            c->kids[fill[parent - s->inds]++] = i;
    }
    free(fill);
    return 0;
}

/* Draws (when out is not NULL) the group of inds[p] from y; returns its
   height, 0 when it has no child with a share. */
static int put_group(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                     const children_t *c, size_t p, int y)
{
    const ps__ind_t *parent = &s->inds[p];
    int height = 0;
    for (size_t k = c->first[p]; k < c->first[p + 1]; k++) {
        const ps__ind_t *child = &s->inds[c->kids[k]];
        int64_t share;
        if (!child_share(s, parent, child, &share))
            continue;
        if (!height)
            height = HEAD_H;
        if (out)
            put_child(out, r, s, child, share, y + height);
        height += ROW_H;
    }
    if (out && height) {
        ps__buf_t head = PS_BUF_INIT;
        ps__buf_printf(&head, "%s：", parent->label);
        ps__template_field(&head, r, s, parent, "");
        ps__svg_text(out, "head", "start", 10, y + 22, ps__buf_str(&head));
        out->failed |= head.failed;
        ps__buf_free(&head);
    }
    return height;
}

/* Every group of the section from y; returns their height. */
static int put_groups(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const children_t *c, int y)
{
    int height = 0;
    for (size_t p = 0; p < s->n_inds; p++)
        height += put_group(out, r, s, c, p, y + height);
    return height;
}

/* The legend of the kinds of children the section's bars show. */
static void put_legend(ps__buf_t *out, const ps__section_t *s)
{
    static const ps__legend_t part = { "part", 0, "构成（各项合计为总数）" },
                              subset = { "subset", 0, "其中" };
    ps__legend_t shown[2];
    size_t n = 0;
    int seen[2] = { 0, 0 };
    for (size_t i = 0; i < s->n_inds; i++) {
        const ps__ind_t *child = &s->inds[i], *parent = ps__ind_parent(s, child);
        int64_t share;
        if (parent && child_share(s, parent, child, &share))
            seen[child->relation == PS_REL_SUBSET] = 1;
    }
    if (seen[0])
        shown[n++] = part;
    if (seen[1])
        shown[n++] = subset;
    ps__chart_legend(out, LABEL_W, 16, shown, n);
}

void ps__chart_breakdown(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s)
{
    children_t c;
    if (children_index(s, &c) < 0) {
        out->failed = 1;
    } else {
        int height = put_groups(NULL, r, s, &c, TOP);
        if (height) {
            ps__buf_t title = PS_BUF_INIT;
            ps__buf_printf(&title, "%s：分项构成", s->title);
            ps__chart_begin(out, WIDTH, TOP + height + BOTTOM, ps__buf_str(&title));
            put_legend(out, s);
            put_groups(out, r, s, &c, TOP);
            ps__chart_end(out, ps__buf_str(&title));
            out->failed |= title.failed;
            ps__buf_free(&title);
        }
    }
    free(c.first);
    free(c.kids);
}
