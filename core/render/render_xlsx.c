/*
 * The report as an Excel workbook (libxlsxwriter): first the main-indicator
 * table as offices lay it out (主要经济指标完成情况表), then a sheet per section
 * with its breakdowns. Numbers are stored as numbers, each the exact decimal
 * of the model's integer in the table's unit, with a display format.
 *
 * libxlsxwriter writes to a file name, and only the output writer creates
 * output files: the workbook goes to a memory file (core/base/memfile.h). Its creation time is the report month's end, and
 * libxlsxwriter dates its zip entries 1980-01-01, so the same report writes
 * the same bytes.
 *
 * Every sheet prints as offices print a table: A4 landscape, one page
 * wide, its header row on every page, the pages numbered, the title whole.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include <parkstat/error.h>

#include "num/format.h"
#include "base/memfile.h"
#include "render/render.h"
#include "render/table.h"
#include "report/fields.h"

#define MAX_DECIMALS 4
#define MAX_COLUMNS 16 /* more than any sheet has */
/* The widest a column grows to fit its texts: a long message must not
   shrink the whole printed table to fit it on the page. */
#define MAX_FIT_WIDTH 60

/* Where a sheet's heading goes: the title, the header row, then the table. */
enum { TITLE_ROW, HEAD_ROW, FIRST_ROW };

typedef struct book {
    lxw_workbook *wb;
    const ps__report_t *r;
    lxw_format *title, *head, *text;
    lxw_format *num[MAX_DECIMALS + 1]; /* "#,##0", "#,##0.0" … */
    lxw_error error;       /* the first cell libxlsxwriter refused, and where */
    lxw_row_t error_row;
    lxw_col_t error_col;
    /* the current sheet's widest text in each column, and its title's,
       in the character units of worksheet_set_column */
    double wide[MAX_COLUMNS];
    double title_wide;
} book_t;

/* ------------------------------------------------------------- cells -- */

/* How wide a text shows in the sheet's 11-point font, in character units:
   a CJK or full-width character takes two, as in Chinese fonts. The text is
   valid UTF-8 (the core checks every string it is given). */
static double text_width(const char *s)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp = *p++;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        if (more)
            cp &= 0x3Fu >> more; /* the lead byte's bits of the code point */
        for (; more && (*p & 0xC0) == 0x80; more--)
            cp = cp << 6 | (*p++ & 0x3Fu);
        w += cp >= 0x2E80 ? 2 : 1; /* from the CJK radicals on */
    }
    return w;
}

/* Keeps the first refused cell, so that a workbook missing a figure is an
   error rather than a silently blank cell. */
static void check(book_t *b, lxw_error err, lxw_row_t row, lxw_col_t col)
{
    if (err == LXW_NO_ERROR || b->error != LXW_NO_ERROR)
        return;
    b->error = err;
    b->error_row = row;
    b->error_col = col;
}

static void put_text(book_t *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                     const char *s)
{
    if (s && *s) {
        check(b, worksheet_write_string(ws, row, col, s, b->text), row, col);
        double w = text_width(s);
        if (col < MAX_COLUMNS && w > b->wide[col])
            b->wide[col] = w;
    } else
        check(b, worksheet_write_blank(ws, row, col, b->text), row, col);
}

/* A number given as an exact decimal: the cell holds the nearest double. */
static void put_decimal(book_t *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                        const ps__buf_t *decimal, int decimals)
{
    if (decimals > MAX_DECIMALS)
        decimals = MAX_DECIMALS;
    check(b, worksheet_write_number(ws, row, col, strtod(ps__buf_str(decimal), NULL),
                                    b->num[decimals < 0 ? 0 : decimals]), row, col);
}

static void put_amount(book_t *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                       ps_value_t v, ps__table_unit_t u, int decimals)
{
    if (!ps_value_present(v)) {
        put_text(b, ws, row, col, NULL);
        return;
    }
    ps__buf_t d = PS_BUF_INIT;
    ps__table_amount(&d, v.raw, u);
    put_decimal(b, ws, row, col, &d, decimals);
    ps__buf_free(&d);
}

/* A figure scaled by 10^decimals (4058 with 2: 40.58), or a blank. */
static void put_scaled(book_t *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                       int present, int64_t scaled, int decimals)
{
    if (!present) {
        put_text(b, ws, row, col, NULL);
        return;
    }
    ps__buf_t d = PS_BUF_INIT;
    ps__format_scaled(&d, scaled, decimals);
    put_decimal(b, ws, row, col, &d, decimals);
    ps__buf_free(&d);
}

/* Whole amounts show without decimals, others with two; a derived figure
   with the decimals it asks for. */
static int amount_decimals(const ps__ind_t *i, ps__table_unit_t u)
{
    if (ps__ind_decimals(i) >= 0)
        return ps__ind_decimals(i);
    int64_t one = 1;
    for (int k = 0; k < PS_SCALE_DIGITS + u.digits; k++)
        one *= 10;
    const ps_value_t *v[] = { &i->value, &i->target };
    for (size_t k = 0; k < 2; k++)
        if (ps_value_present(*v[k]) && v[k]->raw % one)
            return 2;
    return 0;
}

/* The indicator's other quantities (供应土地 31宗 also counts 1122亩), as
   text beside its number: a row holds one indicator, a cell one number. */
#define ALSO_HEAD "另计"

static void put_quantities(book_t *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                           const ps__section_t *s, const ps__ind_t *i)
{
    ps__buf_t also = PS_BUF_INIT;
    ps__field_quantities(&also, b->r, s, i);
    if (also.failed)
        check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, row, col);
    put_text(b, ws, row, col, ps__buf_str(&also));
    ps__buf_free(&also);
}

/* The label with what its number must be read with: "各业总产值（至9月底）",
   "洽谈对接项目（含上月结转1个）"; a cell holds the number alone. */
static void put_label(book_t *b, lxw_worksheet *ws, lxw_row_t row, const ps__ind_t *i)
{
    ps__buf_t label = PS_BUF_INIT;
    ps__buf_puts(&label, i->label);
    ps__field_marks(&label, b->r, i);
    put_text(b, ws, row, 0, ps__buf_str(&label));
    ps__buf_free(&label);
}

/* ---------------------------------------------------------- printing -- */

/* A page as offices print a table: A4 landscape, as wide as one page and
   as tall as it takes, centred, the header row on every page and the
   pages numbered. The title is on the first page only. */
static void set_page(lxw_worksheet *ws)
{
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.5, 0.5, 0.75, 0.75);
    worksheet_center_horizontally(ws);
    /* fails only for rows past Excel's last, and for a footer over 255 bytes */
    (void)worksheet_repeat_rows(ws, HEAD_ROW, HEAD_ROW);
    (void)worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
}

/* A title across `cols` columns and a header row under it, frozen, on a
   sheet that prints cleanly; its columns are sized by fit_columns once the
   table is written. */
static void put_heading(book_t *b, lxw_worksheet *ws, const char *title,
                        const char *const *head, lxw_col_t cols)
{
    check(b, worksheet_merge_range(ws, TITLE_ROW, 0, TITLE_ROW, cols - 1, title, b->title),
          TITLE_ROW, 0);
    worksheet_set_row(ws, TITLE_ROW, 24, NULL);
    for (lxw_col_t c = 0; c < cols; c++)
        check(b, worksheet_write_string(ws, HEAD_ROW, c, head[c], b->head), HEAD_ROW, c);
    worksheet_set_row(ws, HEAD_ROW, 32, NULL);
    worksheet_freeze_panes(ws, FIRST_ROW, 1);
    set_page(ws);
    memset(b->wide, 0, sizeof b->wide);
    /* 14-point bold against the cells' 11 points, and a margin */
    b->title_wide = text_width(title) * 1.3 + 2;
}

/* Each column at least its width in `widths` and as wide as its widest
   text, up to MAX_FIT_WIDTH; the first column wider still when the title
   would not fit across the table, since a merged title is cut at its
   last column. */
static void fit_columns(book_t *b, lxw_worksheet *ws, const double *widths, lxw_col_t cols)
{
    double w[MAX_COLUMNS], total = 0;
    for (lxw_col_t c = 0; c < cols && c < MAX_COLUMNS; c++) {
        double text = b->wide[c] + 1 < MAX_FIT_WIDTH ? b->wide[c] + 1 : MAX_FIT_WIDTH;
        w[c] = text > widths[c] ? text : widths[c];
        total += w[c];
    }
    if (b->title_wide > total)
        w[0] += b->title_wide - total;
    for (lxw_col_t c = 0; c < cols && c < MAX_COLUMNS; c++)
        worksheet_set_column(ws, c, c, w[c], NULL);
}

/* ------------------------------------------ 主要经济指标完成情况表 -- */

enum main_column {
    MAIN_LABEL, MAIN_UNIT, MAIN_VALUE, MAIN_ALSO, MAIN_TARGET, MAIN_RATE, MAIN_PROGRESS,
    MAIN_GAP, MAIN_CHANGE, MAIN_STATUS, MAIN_COLUMNS
};

static const char *const progress_words[] = { "滞后序时进度", "与序时进度持平", "超序时进度" };

/* Where ps__main_rows' callback writes its next row. */
struct main_rows {
    book_t *b;
    lxw_worksheet *ws;
    lxw_row_t next;
};

static void put_main_row(void *ctx, const ps__section_t *s, const ps__ind_t *i)
{
    struct main_rows *rows = ctx;
    book_t *b = rows->b;
    lxw_worksheet *ws = rows->ws;
    lxw_row_t row = rows->next++;
    ps__table_unit_t u = ps__table_unit(i);
    ps__figures_t f;
    ps__figures_of(&f, b->r, s, i);
    int decimals = amount_decimals(i, u);
    put_label(b, ws, row, i);
    put_text(b, ws, row, MAIN_UNIT, u.name);
    put_amount(b, ws, row, MAIN_VALUE, i->value, u, decimals);
    put_quantities(b, ws, row, MAIN_ALSO, s, i);
    put_amount(b, ws, row, MAIN_TARGET, i->target, u, decimals);
    put_scaled(b, ws, row, MAIN_RATE, f.has_rate, f.rate, f.rate_decimals);
    put_scaled(b, ws, row, MAIN_PROGRESS, f.has_progress, f.progress, 2);
    put_scaled(b, ws, row, MAIN_GAP, f.has_progress, f.gap, 2);
    put_scaled(b, ws, row, MAIN_CHANGE, f.has_change, f.change, PS_GROWTH_DECIMALS);
    put_text(b, ws, row, MAIN_STATUS, f.has_progress ? progress_words[f.status + 1] : NULL);
}

/* A failed section keeps a row at the table's end, saying why, so that no
   figure silently goes missing from it. */
static void put_failed_row(book_t *b, lxw_worksheet *ws, lxw_row_t row,
                           const ps__section_t *s)
{
    put_text(b, ws, row, MAIN_LABEL, s->title);
    for (lxw_col_t c = MAIN_UNIT; c < MAIN_STATUS; c++)
        put_text(b, ws, row, c, NULL);
    ps__buf_t why = PS_BUF_INIT;
    ps__buf_printf(&why, "未能生成：%s", s->error);
    put_text(b, ws, row, MAIN_STATUS, ps__buf_str(&why));
    ps__buf_free(&why);
}

static void put_main_sheet(book_t *b, lxw_worksheet *ws)
{
    const ps__report_t *r = b->r;
    char cumulative[32];
    snprintf(cumulative, sizeof cumulative, "1-%d月累计", ps_period_month(r->period));
    const char *const head[MAIN_COLUMNS] = {
        "指标", "单位", cumulative, ALSO_HEAD, "年度目标", "完成率%", "序时进度%",
        "与序时进度差(百分点)", "同比增长%", "状态"
    };
    static const double widths[MAIN_COLUMNS] = { 28, 9, 14, 12, 14, 10, 10, 12, 10, 18 };
    ps__buf_t title = PS_BUF_INIT;
    ps__buf_printf(&title, "%s%d年1-%d月主要经济指标完成情况表", r->zone,
                   ps_period_year(r->period), ps_period_month(r->period));
    put_heading(b, ws, ps__buf_str(&title), head, MAIN_COLUMNS);
    ps__buf_free(&title);
    struct main_rows rows = { b, ws, FIRST_ROW };
    ps__main_rows(r, put_main_row, &rows);
    for (size_t k = 0; k < r->n_sections; k++)
        if (r->sections[k].error)
            put_failed_row(b, ws, rows.next++, &r->sections[k]);
    fit_columns(b, ws, widths, MAIN_COLUMNS);
}

/* ------------------------------------------------ a sheet per section -- */

enum section_column {
    SEC_LABEL, SEC_PARENT, SEC_VALUE, SEC_UNIT, SEC_ALSO, SEC_SHARE, SEC_COLUMNS
};

static void put_section_row(book_t *b, lxw_worksheet *ws, lxw_row_t row,
                            const ps__section_t *s, const ps__ind_t *i)
{
    ps__table_unit_t u = ps__table_unit(i);
    ps__figures_t f;
    ps__figures_of(&f, b->r, s, i);
    const ps__ind_t *parent = ps__ind_parent(s, i);
    put_label(b, ws, row, i);
    put_text(b, ws, row, SEC_PARENT, parent ? parent->label : i->parent);
    put_amount(b, ws, row, SEC_VALUE, i->value, u, amount_decimals(i, u));
    put_text(b, ws, row, SEC_UNIT, u.name);
    put_quantities(b, ws, row, SEC_ALSO, s, i);
    put_scaled(b, ws, row, SEC_SHARE, f.has_share, f.share, 2);
}

static void put_section_sheet(book_t *b, lxw_worksheet *ws, const ps__section_t *s)
{
    static const char *const head[SEC_COLUMNS] = {
        "指标", "上级指标", "数值", "单位", ALSO_HEAD, "占上级比重%"
    };
    static const double widths[SEC_COLUMNS] = { 28, 20, 14, 10, 12, 12 };
    put_heading(b, ws, s->title, head, SEC_COLUMNS);
    lxw_row_t row = FIRST_ROW;
    for (size_t i = 0; i < s->n_inds; i++)
        if (s->inds[i].relation != PS_REL_QUANTITY) /* on its parent's row */
            put_section_row(b, ws, row++, s, &s->inds[i]);
    fit_columns(b, ws, widths, SEC_COLUMNS);
}

/* The section's title as its sheet's name, else its instance name, else
   "部分N": Excel refuses long names, some characters and duplicates. */
static lxw_worksheet *add_section_sheet(book_t *b, const ps__section_t *s, size_t n)
{
    char numbered[32];
    snprintf(numbered, sizeof numbered, "部分%zu", n);
    const char *names[] = { s->title, s->name, numbered };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (names[k] && workbook_validate_sheet_name(b->wb, names[k]) == LXW_NO_ERROR)
            return workbook_add_worksheet(b->wb, names[k]);
    return NULL;
}

/* ------------------------------------------------------ the workbook -- */

static void add_formats(book_t *b)
{
    b->title = workbook_add_format(b->wb);
    format_set_bold(b->title);
    format_set_font_size(b->title, 14);
    format_set_align(b->title, LXW_ALIGN_CENTER);
    format_set_align(b->title, LXW_ALIGN_VERTICAL_CENTER);
    b->head = workbook_add_format(b->wb);
    format_set_bold(b->head);
    format_set_text_wrap(b->head);
    format_set_align(b->head, LXW_ALIGN_CENTER);
    format_set_align(b->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(b->head, LXW_BORDER_THIN);
    format_set_bg_color(b->head, 0xDDEBF7);
    b->text = workbook_add_format(b->wb);
    format_set_border(b->text, LXW_BORDER_THIN);
    static const char *const patterns[MAX_DECIMALS + 1] = {
        "#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000"
    };
    for (int d = 0; d <= MAX_DECIMALS; d++) {
        b->num[d] = workbook_add_format(b->wb);
        format_set_num_format(b->num[d], patterns[d]);
        format_set_border(b->num[d], LXW_BORDER_THIN);
    }
}

/* The end of the report's month, 00:00 UTC: a creation time that is the
   same on every run (day 0 of the next month is the last of this one). */
static time_t month_end(ps_period_t p)
{
    struct tm t = { .tm_year = ps_period_year(p) - 1900, .tm_mon = ps_period_month(p),
                    .tm_mday = 0 };
    return timegm(&t);
}

static int build(book_t *b, ps__buf_t *why)
{
    const ps__report_t *r = b->r;
    ps__buf_t title = PS_BUF_INIT;
    ps__buf_puts(&title, r->title ? r->title : "");
    lxw_doc_properties props = { .title = (char *)ps__buf_str(&title),
                                 .author = "parkstat", .created = month_end(r->period) };
    workbook_set_properties(b->wb, &props);
    add_formats(b);
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "主要经济指标完成情况表");
    if (ws)
        put_main_sheet(b, ws);
    for (size_t k = 0; ws && k < r->n_sections; k++) {
        const ps__section_t *s = &r->sections[k];
        if (s->error || !s->n_inds)
            continue;
        if ((ws = add_section_sheet(b, s, k + 1)))
            put_section_sheet(b, ws, s);
    }
    ps__buf_free(&title);
    if (!ws)
        ps__buf_puts(why, "libxlsxwriter could not add a worksheet");
    return ws ? 0 : PS_ENOMEM;
}

static int write_workbook(const char *path, void *report, ps__buf_t *why)
{
    book_t b = { .wb = workbook_new(path), .r = report };
    if (!b.wb) {
        ps__buf_puts(why, "libxlsxwriter could not start a workbook");
        return PS_ENOMEM;
    }
    int rc = build(&b, why);
    if (rc == 0 && b.error != LXW_NO_ERROR) {
        ps__buf_printf(why, "libxlsxwriter refused the cell at row %u, column %u: %s",
                       (unsigned)b.error_row + 1, (unsigned)b.error_col + 1,
                       lxw_strerror(b.error));
        rc = PS_EIO;
    }
    lxw_error closed = workbook_close(b.wb);
    if (rc == 0 && closed != LXW_NO_ERROR) {
        ps__buf_printf(why, "libxlsxwriter: %s", lxw_strerror(closed));
        rc = PS_EIO;
    }
    return rc;
}

int ps__render_xlsx(ps__buf_t *out, const ps__report_t *r,
                    const ps__render_opts_t *opts, ps__buf_t *why)
{
    (void)opts;
    return ps__memfile_render(write_workbook, (void *)r, out, why);
}
