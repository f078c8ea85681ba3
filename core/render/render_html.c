/*
 * The report as one self-contained HTML page: inline CSS and SVG, no
 * script, nothing fetched (a Content-Security-Policy says so to the
 * browser). It holds the whole text report, the main-indicator table, the
 * charts, the audit and who has reported. Every figure is worded by the
 * same fields as the text, so the formats agree.
 */
#include "config.h"

#include "render/chart.h"
#include "render/html.h"
#include "render/html_style.h"
#include "render/render.h"
#include "render/table.h"
#include "report/fields.h"

static void put_head(ps__buf_t *out, const char *title)
{
    ps__buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
                      "<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                      "'none'; style-src 'unsafe-inline'\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>");
    ps__html_escape(out, title);
    ps__buf_puts(out, "</title>\n<style>\n" PS_HTML_STYLE "</style>\n</head>\n<body>\n");
}

/* Appends `text` as an escaped paragraph, between `before` and `after`. */
static void put_paragraph(ps__buf_t *out, const char *before, const ps__buf_t *text,
                          const char *after)
{
    ps__buf_puts(out, "<p>");
    ps__html_escape(out, before);
    ps__html_escape(out, ps__buf_str(text));
    ps__html_escape(out, after);
    ps__buf_puts(out, "</p>\n");
    out->failed |= text->failed;
}

/* The title and the opening paragraph, worded as the text report's
   (template.title and template.opening). */
static void put_opening(ps__buf_t *out, const ps__report_t *r)
{
    ps__buf_puts(out, "<header>\n<h1>");
    ps__html_escape(out, r->title ? r->title : "");
    ps__buf_puts(out, "</h1>\n<p class=\"meta\">园区：");
    ps__html_escape(out, r->zone ? r->zone : "");
    ps__buf_printf(out, "　报告期：%d年1-%d月</p>\n</header>\n", ps_period_year(r->period),
                   ps_period_month(r->period));
    ps__buf_t summary = PS_BUF_INIT;
    if (!ps__render_sentences(&summary, r, NULL, PS_SENTENCE_SUMMARY, "；"))
        ps__buf_puts(&summary, "各项指标暂无数据");
    put_paragraph(out, r->opening ? r->opening : "", &summary, "。");
    ps__buf_free(&summary);
}

typedef struct row_ctx {
    ps__buf_t *out;
    const ps__report_t *r;
} row_ctx_t;

static void put_cell(row_ctx_t *c, const ps__section_t *s, const ps__ind_t *ind,
                     const char *field)
{
    ps__buf_puts(c->out, "<td>");
    ps__html_field(c->out, c->r, s, ind, field);
    ps__buf_puts(c->out, "</td>");
}

/* The gap with its sign: -42.75个百分点 behind, +4.54个百分点 ahead. */
static void put_gap_cell(row_ctx_t *c, const ps__section_t *s, const ps__ind_t *ind)
{
    int64_t progress, gap;
    if (ps__ind_progress(ind, &progress, &gap) < 0) {
        ps__buf_puts(c->out, "<td>—</td>");
        return;
    }
    ps__buf_printf(c->out, "<td>%s", gap < 0 ? "-" : gap > 0 ? "+" : "");
    ps__html_field(c->out, c->r, s, ind, "gap");
    ps__buf_puts(c->out, "</td>");
}

static void put_status_cell(row_ctx_t *c, const ps__section_t *s, const ps__ind_t *ind)
{
    int64_t progress, gap;
    if (ps__ind_progress(ind, &progress, &gap) < 0) {
        ps__buf_puts(c->out, "<td>—</td>");
        return;
    }
    ps__buf_printf(c->out, "<td class=\"%s\">",
                   ps__html_status_class(ps__progress_status(c->r, gap)));
    ps__html_field(c->out, c->r, s, ind, "status");
    ps__buf_puts(c->out, "</td>");
}

/* The change on last year and, against a growth target, how far above or
   below it, on a line of its own: 增长13.9% / 低于目标1.1个百分点. */
static void put_change_cell(row_ctx_t *c, const ps__section_t *s, const ps__ind_t *ind)
{
    int64_t gap;
    ps__buf_puts(c->out, "<td>");
    ps__html_field(c->out, c->r, s, ind, "change");
    if (ps__ind_growth_gap(ind, &gap) == 0) {
        ps__buf_puts(c->out, "<br><span class=\"note\">");
        ps__html_field(c->out, c->r, s, ind, "growth_gap");
        ps__buf_puts(c->out, "</span>");
    }
    ps__buf_puts(c->out, "</td>");
}

/* Appends `text` escaped, and frees it. */
static void put_escaped(ps__buf_t *out, ps__buf_t *text)
{
    ps__html_escape(out, ps__buf_str(text));
    out->failed |= text->failed;
    ps__buf_free(text);
}

/* The figure with its quantities (31宗，1122亩). */
static void put_figures_of(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                           const ps__ind_t *ind)
{
    ps__buf_t text = PS_BUF_INIT;
    ps__field_figures(&text, r, s, ind);
    put_escaped(out, &text);
}

/* The target in the unit of the row's figure. */
static void put_target_cell(row_ctx_t *c, const ps__ind_t *ind)
{
    ps__buf_t text = PS_BUF_INIT;
    ps__field_table_target(&text, ind);
    ps__buf_puts(c->out, "<td>");
    put_escaped(c->out, &text);
    ps__buf_puts(c->out, "</td>");
}

static void put_row(void *ctx, const ps__section_t *s, const ps__ind_t *ind)
{
    row_ctx_t *c = ctx;
    ps__buf_puts(c->out, "<tr><th scope=\"row\">");
    ps__html_escape(c->out, ind->label);
    ps__buf_puts(c->out, "</th><td>");
    put_figures_of(c->out, c->r, s, ind);
    ps__buf_puts(c->out, "</td>");
    put_target_cell(c, ind);
    put_cell(c, s, ind, "rate");
    put_cell(c, s, ind, "progress");
    put_gap_cell(c, s, ind);
    put_change_cell(c, s, ind);
    put_status_cell(c, s, ind);
    ps__buf_puts(c->out, "</tr>\n");
}

/* A table wider than a phone's screen scrolls sideways in a box of its own,
   so that the page does not. The box is a region named by the heading, and
   focusable, so that the keyboard can scroll it too. `heading` and `cls`
   are the renderer's own words: not escaped. */
static void put_table_open(ps__buf_t *out, const char *heading, const char *cls)
{
    ps__buf_printf(out, "<h2>%s</h2>\n<div class=\"scroll\" role=\"region\" aria-label=\"%s\" "
                   "tabindex=\"0\">\n<table class=\"%s\">\n", heading, heading, cls);
}

/* Closes the <tbody> the caller opened, the table and its box. */
static void put_table_close(ps__buf_t *out)
{
    ps__buf_puts(out, "</tbody>\n</table>\n</div>\n");
}

/* Column headers are aligned as their columns: left over text, right over
   figures (class "text" marks the former). */
static void put_table(ps__buf_t *out, const ps__report_t *r)
{
    if (!ps__main_rows(r, NULL, NULL))
        return;
    put_table_open(out, "主要指标完成情况", "main");
    ps__buf_printf(out, "<thead><tr><th class=\"text\">指标</th><th>1-%d月累计</th>"
                   "<th>年度目标</th><th>完成率</th><th>序时进度</th><th>进度差</th>"
                   "<th>同比</th><th>进度状态</th></tr></thead>\n<tbody>\n",
                   ps_period_month(r->period));
    row_ctx_t c = { out, r };
    ps__main_rows(r, put_row, &c);
    put_table_close(out);
}

/* Appends <h2>heading</h2> and the block, unless the block is empty. */
static void put_block(ps__buf_t *out, const char *heading, ps__buf_t *block)
{
    if (block->len)
        ps__buf_printf(out, "<h2>%s</h2>\n%s", heading, ps__buf_str(block));
    out->failed |= block->failed;
    ps__buf_free(block);
}

static void put_charts(ps__buf_t *out, const ps__report_t *r)
{
    ps__buf_t block = PS_BUF_INIT;
    ps__chart_progress(&block, r);
    put_block(out, "目标完成率与序时进度", &block);
    ps__chart_months(&block, r);
    put_block(out, "逐月累计进度", &block);
}

static void put_breakdowns(ps__buf_t *out, const ps__report_t *r)
{
    ps__buf_t block = PS_BUF_INIT;
    for (size_t i = 0; i < r->n_sections; i++)
        ps__chart_breakdown(&block, r, &r->sections[i]);
    put_block(out, "分项构成", &block);
}

/* A section without sentences (derived indicators with no template) still
   shows its figures. */
static void put_figures(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s)
{
    ps__buf_puts(out, "<ul>\n");
    for (size_t i = 0; i < s->n_inds; i++) {
        if (s->inds[i].relation == PS_REL_QUANTITY)
            continue; /* on its parent's line */
        ps__buf_puts(out, "<li>");
        ps__html_field(out, r, s, &s->inds[i], "label");
        ps__buf_puts(out, "：");
        put_figures_of(out, r, s, &s->inds[i]);
        ps__buf_puts(out, "</li>\n");
    }
    ps__buf_puts(out, "</ul>\n");
}

static void put_section(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                        const ps__buf_t *body)
{
    ps__buf_puts(out, "<section>\n<h2 class=\"part\">");
    ps__html_escape(out, s->title);
    ps__buf_puts(out, "</h2>\n");
    if (s->error) {
        ps__buf_puts(out, "<p class=\"error\">（本部分未能生成：");
        ps__html_escape(out, s->error);
        ps__buf_puts(out, "）</p>\n");
    } else if (body->len) {
        put_paragraph(out, "", body, "");
    } else {
        put_figures(out, r, s);
    }
    ps__buf_puts(out, "</section>\n");
}

/* The sections' prose, numbered 一、二、… (by the style sheet) as the text
   report numbers them: those with body sentences, a failure, or figures
   but no sentences at all. */
static void put_sections(ps__buf_t *out, const ps__report_t *r)
{
    for (size_t i = 0; i < r->n_sections; i++) {
        const ps__section_t *s = &r->sections[i];
        ps__buf_t body = PS_BUF_INIT;
        int figures_only = !s->n_sentences && s->n_inds;
        if (ps__render_sentences(&body, r, s, PS_SENTENCE_BODY, "") || s->error ||
            figures_only)
            put_section(out, r, s, &body);
        out->failed |= body.failed;
        ps__buf_free(&body);
    }
}

static void put_plan(ps__buf_t *out, const ps__report_t *r)
{
    ps__buf_t plan = PS_BUF_INIT;
    if (ps__render_sentences(&plan, r, NULL, PS_SENTENCE_PLAN, "，")) {
        ps__buf_printf(out, "<h2>%d年目标任务</h2>\n", ps_period_year(r->period) + 1);
        put_paragraph(out, "", &plan, "。");
    }
    out->failed |= plan.failed;
    ps__buf_free(&plan);
}

static void put_finding(ps__buf_t *out, const ps__finding_t *f)
{
    int error = f->severity == PS_SEVERITY_ERROR;
    ps__buf_printf(out, "<li><span class=\"%s\">【%s】</span>", error ? "error" : "warning",
                   error ? "强制性错误" : "核实性错误");
    ps__html_escape(out, f->text);
    if (!error && f->explanation) {
        ps__buf_puts(out, "（已说明：");
        ps__html_escape(out, f->explanation);
        ps__buf_puts(out, "）");
    } else if (!error) {
        ps__buf_puts(out, "（需说明）");
    }
    ps__buf_puts(out, "</li>\n");
}

/* The statistical audit: every finding, or that every rule passed. */
static void put_audit(ps__buf_t *out, const ps__report_t *r)
{
    if (!r->n_rules)
        return;
    ps__buf_puts(out, "<h2>数据审核</h2>\n");
    if (!r->n_findings) {
        ps__buf_printf(out, "<p>%zu条审核规则全部通过。</p>\n", r->n_rules);
        return;
    }
    ps__buf_puts(out, "<ul class=\"findings\">\n");
    for (size_t i = 0; i < r->n_findings; i++)
        put_finding(out, &r->findings[i]);
    ps__buf_puts(out, "</ul>\n");
}

/* Whether the source is on time, late (red) or allowed to lag, and the
   bad rows left out. */
static void put_source_state(ps__buf_t *out, const ps__report_t *r,
                             const ps__source_status_t *s)
{
    ps_period_t due = r->period - s->lag;
    if (ps__source_late(r, s))
        ps__buf_printf(out, "<td class=\"text behind\">未按期报送（应报至%d年%d月）",
                       ps_period_year(due), ps_period_month(due));
    else if (s->lag)
        ps__buf_printf(out, "<td class=\"text\">按规定滞后%d个月", s->lag);
    else
        ps__buf_puts(out, "<td class=\"text\">按期报送");
    if (s->skipped) {
        ps__buf_printf(out, "；跳过不合格数据%llu行，如", (unsigned long long)s->skipped);
        ps__html_escape(out, s->skips[0] ? s->skips[0] : "");
    }
    ps__buf_puts(out, "</td>");
}

static void put_source(ps__buf_t *out, const ps__report_t *r, const ps__source_status_t *s)
{
    ps__buf_puts(out, "<tr><th scope=\"row\">");
    ps__html_escape(out, s->department);
    ps__buf_puts(out, "</th><td class=\"text\">");
    ps__html_escape(out, s->name);
    ps__buf_puts(out, "</td>");
    if (s->last)
        ps__buf_printf(out, "<td>%d年%d月</td>", ps_period_year(s->last),
                       ps_period_month(s->last));
    else
        ps__buf_puts(out, "<td>没有数据</td>");
    ps__buf_printf(out, "<td>%llu</td>", (unsigned long long)s->rows);
    put_source_state(out, r, s);
    ps__buf_puts(out, "</tr>\n");
}

/* Who has reported (数据报送情况), how far, and which rows were left out. */
static void put_sources(ps__buf_t *out, const ps__report_t *r)
{
    if (!r->n_sources)
        return;
    put_table_open(out, "数据报送情况", "sources");
    ps__buf_puts(out, "<thead><tr><th class=\"text\">报送单位</th><th class=\"text\">台账</th>"
                      "<th>数据截至</th><th>行数</th><th class=\"text\">报送情况</th>"
                      "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->n_sources; i++)
        put_source(out, r, &r->sources[i]);
    put_table_close(out);
}

int ps__render_html(ps__buf_t *out, const ps__report_t *r,
                    const ps__render_opts_t *opts, ps__buf_t *why)
{
    (void)opts;
    (void)why;
    put_head(out, r->title ? r->title : "");
    put_opening(out, r);
    put_table(out, r);
    put_charts(out, r);
    put_sections(out, r);
    put_plan(out, r);
    put_breakdowns(out, r);
    put_audit(out, r);
    put_sources(out, r);
    if (r->generated_at) {
        ps__buf_puts(out, "<footer>生成时间：");
        ps__html_escape(out, r->generated_at);
        ps__buf_puts(out, "</footer>\n");
    }
    ps__buf_puts(out, "</body>\n</html>\n");
    return 0;
}
