/*
 * The report as CSV: one row per indicator, breakdowns included, with the
 * stable columns doc/csv-columns.md describes. RFC 4180, CRLF line ends (as
 * Excel writes them), a UTF-8 byte-order mark unless csv_bom = no, and the
 * column headers in English or, with csv_headers = zh, in Chinese.
 */
#include "config.h"

#include <string.h>

#include "num/format.h"
#include "render/render.h"
#include "render/table.h"

/* The columns, in order; doc/csv-columns.md says what each holds. */
enum column {
    COL_SECTION, COL_KEY, COL_LABEL, COL_PARENT, COL_RELATION, COL_ASOF, COL_VALUE,
    COL_UNIT, COL_DISPLAY, COL_TARGET, COL_COMPLETION, COL_PROGRESS, COL_GAP,
    COL_STATUS, COL_YEAR_AGO, COL_CHANGE, COL_SHARE,
    /* added after the first release, at the end so that readers keep working */
    COL_COMPARABLE, COL_GROWTH_TARGET, COL_GROWTH_GAP, COL_SHARE_CHANGE, COL_CHANGE_POINTS,
    COL_CARRIED, N_COLUMNS
};

/* Each column's name for programs, and as the office names it
   (csv_headers = zh). */
static const struct {
    const char *en, *zh;
} column_names[N_COLUMNS] = {
    { "section", "部分" }, { "key", "代码" }, { "label", "指标" }, { "parent", "上级" },
    { "relation", "关系" }, { "asof", "截止月份" }, { "value", "数值" }, { "unit", "单位" },
    { "display", "显示值" }, { "target", "目标" }, { "completion_percent", "完成率(%)" },
    { "time_progress_percent", "序时进度(%)" },
    { "progress_gap_points", "与序时进度差(百分点)" }, { "progress_status", "进度状态" },
    { "year_ago", "上年同期" }, { "change_percent", "同比(%)" },
    { "share_percent", "占比(%)" }, { "year_ago_comparable", "上年同期为可比口径" },
    { "growth_target_percent", "增长目标(%)" },
    { "growth_gap_points", "与增长目标差(百分点)" },
    { "share_change_points", "占比变化(百分点)" },
    { "change_points", "同比变化(百分点)" }, { "carried", "上月结转数" },
};

/* Columns of text from the ledgers and the configuration: names, labels,
   tag values, units. The others hold numbers and words parkstat writes. */
static const unsigned char text_column[N_COLUMNS] = {
    [COL_SECTION] = 1, [COL_KEY] = 1, [COL_LABEL] = 1, [COL_PARENT] = 1, [COL_UNIT] = 1,
};

/* A spreadsheet takes a cell starting with one of these for a formula (a
   tag "=HYPERLINK(…)" would become a live link): such a text cell gets a
   leading apostrophe, OWASP's rule, and shows as the text it is. */
static int looks_like_formula(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]);
}

/* A field, quoted when it holds a comma, a quote or a line end. */
static void put_field(ps__buf_t *out, const char *s, int is_text)
{
    int quoted = strpbrk(s, ",\"\r\n") != NULL;
    if (quoted)
        ps__buf_puts(out, "\"");
    if (is_text && looks_like_formula(s))
        ps__buf_puts(out, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            ps__buf_puts(out, "\"");
        ps__buf_append(out, p, 1);
    }
    if (quoted)
        ps__buf_puts(out, "\"");
}

/* A line; `text` marks the columns to guard against formulas (NULL: none). */
static void put_line(ps__buf_t *out, const char *const fields[N_COLUMNS],
                     const unsigned char *text)
{
    for (size_t c = 0; c < N_COLUMNS; c++) {
        if (c)
            ps__buf_puts(out, ",");
        put_field(out, fields[c] ? fields[c] : "", text && text[c]);
    }
    ps__buf_puts(out, "\r\n");
}

static void put_exact(ps__buf_t *cell, ps_value_t v)
{
    if (ps_value_present(v))
        ps__format_exact(cell, v.raw);
}

static void put_scaled(ps__buf_t *cell, int present, int64_t scaled, int decimals)
{
    if (present)
        ps__format_scaled(cell, scaled, decimals);
}

/* What the JSON calls comparable, growth_target, growth_gap, share_change. */
static void fill_comparison(ps__buf_t cell[N_COLUMNS], const ps__section_t *s,
                            const ps__ind_t *i)
{
    int64_t gap, share_change;
    if (ps_value_present(i->year_ago))
        ps__buf_puts(&cell[COL_COMPARABLE], i->comparable ? "yes" : "no");
    put_scaled(&cell[COL_GROWTH_TARGET], i->has_growth_target, i->growth_target,
               PS_GROWTH_DECIMALS);
    int has_gap = ps__ind_growth_gap(i, &gap) == 0;
    put_scaled(&cell[COL_GROWTH_GAP], has_gap, gap, PS_GROWTH_DECIMALS);
    int has_share_change = ps__ind_share_change(s, i, &share_change) == 0;
    put_scaled(&cell[COL_SHARE_CHANGE], has_share_change, share_change, 2);
}

/* The figures of one indicator, each in its cell buffer. */
static void fill_figures(ps__buf_t cell[N_COLUMNS], const ps__report_t *r,
                         const ps__section_t *s, const ps__ind_t *i)
{
    ps__figures_t f;
    ps__figures_of(&f, r, s, i);
    if (i->asof)
        ps__buf_printf(&cell[COL_ASOF], "%04d-%02d", ps_period_year(i->asof),
                       ps_period_month(i->asof));
    put_exact(&cell[COL_VALUE], i->value);
    if (ps_value_present(i->value))
        ps__ind_format(&cell[COL_DISPLAY], i, 0);
    put_exact(&cell[COL_TARGET], i->target);
    put_scaled(&cell[COL_COMPLETION], f.has_rate, f.rate, f.rate_decimals);
    put_scaled(&cell[COL_PROGRESS], f.has_progress, f.progress, 2);
    put_scaled(&cell[COL_GAP], f.has_progress, f.gap, 2);
    if (f.has_progress)
        ps__buf_puts(&cell[COL_STATUS], ps__status_name(f.status));
    put_exact(&cell[COL_YEAR_AGO], i->year_ago);
    put_scaled(&cell[COL_CHANGE], f.has_change, f.change, PS_GROWTH_DECIMALS);
    put_scaled(&cell[COL_CHANGE_POINTS], f.has_points, f.points, 2);
    put_scaled(&cell[COL_SHARE], f.has_share, f.share, 2);
    put_exact(&cell[COL_CARRIED], i->carried);
    fill_comparison(cell, s, i);
}

static void put_row(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                    const ps__ind_t *i)
{
    ps__buf_t cell[N_COLUMNS];
    for (size_t c = 0; c < N_COLUMNS; c++)
        cell[c] = (ps__buf_t)PS_BUF_INIT;
    fill_figures(cell, r, s, i);
    const char *fields[N_COLUMNS];
    for (size_t c = 0; c < N_COLUMNS; c++)
        fields[c] = ps__buf_str(&cell[c]);
    fields[COL_SECTION] = s->name;
    fields[COL_KEY] = i->key;
    fields[COL_LABEL] = i->label;
    fields[COL_PARENT] = i->parent;
    fields[COL_RELATION] = ps__relation_name(i->relation);
    fields[COL_UNIT] = i->value.unit ? i->value.unit : i->target.unit;
    put_line(out, fields, text_column);
    for (size_t c = 0; c < N_COLUMNS; c++)
        ps__buf_free(&cell[c]);
}

int ps__render_csv(ps__buf_t *out, const ps__report_t *r,
                   const ps__render_opts_t *opts, ps__buf_t *why)
{
    (void)why;
    if (opts && opts->csv_bom)
        ps__buf_puts(out, "\xEF\xBB\xBF");
    const char *header[N_COLUMNS];
    for (size_t c = 0; c < N_COLUMNS; c++)
        header[c] = opts && opts->csv_headers_zh ? column_names[c].zh : column_names[c].en;
    put_line(out, header, NULL);
    for (size_t k = 0; k < r->n_sections; k++) {
        const ps__section_t *s = &r->sections[k];
        for (size_t i = 0; i < s->n_inds; i++)
            put_row(out, r, s, &s->inds[i]);
    }
    return 0;
}
