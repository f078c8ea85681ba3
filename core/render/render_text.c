#include "config.h"

#include <string.h>

#include "report/outline.h"
#include "render/render.h"
#include "render/table.h"
#include "report/fields.h"
#include "report/template.h"

size_t ps__render_sentences(ps__buf_t *out, const ps__report_t *r,
                            const ps__section_t *only, ps_sentence_kind_t kind,
                            const char *sep)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_sections; i++) {
        const ps__section_t *s = &r->sections[i];
        if (only && s != only)
            continue;
        for (size_t j = 0; j < s->n_sentences; j++) {
            if (s->sentences[j].kind != kind)
                continue;
            if (n++)
                ps__buf_puts(out, sep);
            ps__template_expand(out, r, s, s->sentences[j].tmpl, NULL);
        }
    }
    return n;
}

/* 1 -> 一, 12 -> 十二, 23 -> 二十三: the office numbers its parts so. */
static void put_chinese_number(ps__buf_t *out, size_t n)
{
    static const char *const digits[] = { "", "一", "二", "三", "四",
                                          "五", "六", "七", "八", "九" };
    if (n >= 100) {
        ps__buf_printf(out, "%zu", n);
        return;
    }
    if (n >= 20)
        ps__buf_puts(out, digits[n / 10]);
    if (n >= 10)
        ps__buf_puts(out, "十");
    ps__buf_puts(out, digits[n % 10]);
}

static int has_kind(const ps__section_t *s, ps_sentence_kind_t kind)
{
    for (size_t i = 0; i < s->n_sentences; i++)
        if (s->sentences[i].kind == kind)
            return 1;
    return 0;
}

/* A section without any sentence (derived indicators with no template)
   still shows its figures, one indicator per line. */
static void put_figures(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s)
{
    for (size_t i = 0; i < s->n_inds; i++) {
        if (s->inds[i].relation == PS_REL_QUANTITY)
            continue; /* on its parent's line */
        ps__buf_printf(out, "%s：", s->inds[i].label);
        ps__field_figures(out, r, s, &s->inds[i]);
        ps__buf_puts(out, "\n");
    }
}

static void put_sections(ps__buf_t *out, const ps__report_t *r)
{
    size_t number = 0;
    for (size_t i = 0; i < r->n_sections; i++) {
        const ps__section_t *s = &r->sections[i];
        int figures_only = !s->n_sentences && s->n_inds;
        if (!s->error && !has_kind(s, PS_SENTENCE_BODY) && !figures_only)
            continue;
        ps__buf_puts(out, "\n");
        put_chinese_number(out, ++number);
        ps__buf_printf(out, "、%s\n", s->title);
        if (s->error)
            ps__buf_printf(out, "（本部分未能生成：%s）\n", s->error);
        else if (figures_only)
            put_figures(out, r, s);
        else if (ps__render_sentences(out, r, s, PS_SENTENCE_BODY, ""))
            ps__buf_puts(out, "\n");
    }
}

struct main_lines {
    ps__buf_t *out;
    const ps__report_t *r;
};

static void put_main_line(void *ctx, const ps__section_t *s, const ps__ind_t *ind)
{
    struct main_lines *lines = ctx;
    ps__outline_line(lines->out, lines->r, s, ind);
    ps__buf_puts(lines->out, "。\n");
}

/* The main indicators against time progress and last year, one line each
   (主要指标完成情况): the rows of the HTML table and of the workbook's
   first sheet, in their order. */
static void put_main_indicators(ps__buf_t *out, const ps__report_t *r)
{
    if (!ps__main_rows(r, NULL, NULL))
        return;
    ps__buf_puts(out, "\n附：主要指标完成情况\n");
    struct main_lines lines = { out, r };
    ps__main_rows(r, put_main_line, &lines);
}

/* The audit: every finding with its severity and, for a warning, its
   explanation or the note that one is needed. */
static void put_audit(ps__buf_t *out, const ps__report_t *r)
{
    if (!r->n_rules)
        return;
    ps__buf_puts(out, "\n附：数据审核\n");
    if (!r->n_findings)
        ps__buf_printf(out, "%zu条审核规则全部通过。\n", r->n_rules);
    for (size_t i = 0; i < r->n_findings; i++) {
        const ps__finding_t *f = &r->findings[i];
        ps__buf_printf(out, "【%s】%s", f->severity == PS_SEVERITY_ERROR ? "强制性错误"
                                                                      : "核实性错误",
                       f->text);
        if (f->severity == PS_SEVERITY_WARNING && f->explanation)
            ps__buf_printf(out, "（已说明：%s）", f->explanation);
        else if (f->severity == PS_SEVERITY_WARNING)
            ps__buf_puts(out, "（需说明）");
        ps__buf_puts(out, "\n");
    }
}

/* Does another source have the department of source i? Then the line
   names the ledger too, so that the office tells them apart. */
static int department_shared(const ps__report_t *r, size_t i)
{
    for (size_t j = 0; j < r->n_sources; j++)
        if (j != i && strcmp(r->sources[j].department, r->sources[i].department) == 0)
            return 1;
    return 0;
}

/* Who has reported, how far, and which rows were left out: by department,
   as the office knows them. */
static void put_sources(ps__buf_t *out, const ps__report_t *r)
{
    if (!r->n_sources)
        return;
    ps__buf_puts(out, "\n附：数据报送情况\n");
    for (size_t i = 0; i < r->n_sources; i++) {
        const ps__source_status_t *s = &r->sources[i];
        ps_period_t due = r->period - s->lag;
        ps__buf_puts(out, s->department);
        if (department_shared(r, i))
            ps__buf_printf(out, "（%s）", s->name);
        ps__buf_puts(out, "：");
        if (s->last)
            ps__buf_printf(out, "数据截至%d年%d月，共%llu行", ps_period_year(s->last),
                           ps_period_month(s->last), (unsigned long long)s->rows);
        else
            ps__buf_puts(out, "没有数据");
        if (ps__source_late(r, s))
            ps__buf_printf(out, "，未按期报送（应报至%d年%d月）", ps_period_year(due),
                           ps_period_month(due));
        else if (s->lag)
            ps__buf_printf(out, "（按规定滞后%d个月）", s->lag);
        if (s->skipped)
            ps__buf_printf(out, "；跳过不合格数据%llu行，如%s", (unsigned long long)s->skipped,
                           s->skips[0] ? s->skips[0] : "");
        ps__buf_puts(out, "。\n");
    }
}

int ps__render_text(ps__buf_t *out, const ps__report_t *r,
                    const ps__render_opts_t *opts, ps__buf_t *why)
{
    (void)opts;
    (void)why;
    int year = ps_period_year(r->period);
    ps__buf_printf(out, "%s\n\n%s", r->title ? r->title : "", r->opening ? r->opening : "");
    if (!ps__render_sentences(out, r, NULL, PS_SENTENCE_SUMMARY, "；"))
        ps__buf_puts(out, "各项指标暂无数据");
    ps__buf_puts(out, "。\n");
    put_sections(out, r);
    ps__buf_t plan = PS_BUF_INIT;
    if (ps__render_sentences(&plan, r, NULL, PS_SENTENCE_PLAN, "，"))
        ps__buf_printf(out, "\n%d年目标任务：%s。\n", year + 1, ps__buf_str(&plan));
    ps__buf_free(&plan);
    put_main_indicators(out, r);
    put_audit(out, r);
    put_sources(out, r);
    if (r->generated_at)
        ps__buf_printf(out, "\n生成时间：%s\n", r->generated_at);
    return 0;
}
