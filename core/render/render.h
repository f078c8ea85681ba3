/*
 * Renderers: pure functions from the report model to bytes. They never
 * touch files; the caller hands the bytes to the output writer.
 */
#ifndef PS_RENDER_H
#define PS_RENDER_H

#include "base/buf.h"
#include "report/report.h"

/* What the INI says about the outputs' form, beyond the report itself. */
typedef struct ps__render_opts {
    int csv_bom;         /* CSV starts with a UTF-8 byte-order mark (for Excel) */
    int csv_headers_zh;  /* CSV column headers in Chinese, for the office */
} ps__render_opts_t;

/*
 * A renderer appends the whole report in its format to `out`. Returns 0, or
 * a negative PS_E code after saying why in `why` (running out of memory may
 * also show only as out->failed).
 */
typedef int ps__render_fn(ps__buf_t *out, const ps__report_t *r,
                          const ps__render_opts_t *opts, ps__buf_t *why);

/* The report as the office writes it, in Chinese prose. */
ps__render_fn ps__render_text;
/* The report as data; doc/json-schema.md describes it. */
ps__render_fn ps__render_json;
/* One self-contained HTML page: the text, a table and charts. */
ps__render_fn ps__render_html;
/* One row per indicator; doc/csv-columns.md describes the columns. */
ps__render_fn ps__render_csv;
/* Prometheus text exposition, for node_exporter's textfile collector. */
ps__render_fn ps__render_prom;
/* An Excel workbook: the main-indicator table and a sheet per section. */
ps__render_fn ps__render_xlsx;

/* Appends the sentences of `kind` from every section, each expanded and
   joined by `sep`; returns how many. Shared by the renderers. */
size_t ps__render_sentences(ps__buf_t *out, const ps__report_t *r,
                            const ps__section_t *only, ps_sentence_kind_t kind,
                            const char *sep);

#endif
