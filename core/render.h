/*
 * Renderers: pure functions from the report model to bytes. They never
 * touch files; the caller hands the bytes to the output writer.
 */
#ifndef PS_RENDER_H
#define PS_RENDER_H

#include "buf.h"
#include "report.h"

/* The report as the office writes it, in Chinese prose. */
void ps__render_text(ps__buf_t *out, const ps__report_t *r);
/* The report as data; doc/json-schema.md describes it. */
void ps__render_json(ps__buf_t *out, const ps__report_t *r);

/* Appends the sentences of `kind` from every section, each expanded and
   joined by `sep`; returns how many. Shared by the renderers. */
size_t ps__render_sentences(ps__buf_t *out, const ps__report_t *r,
                            const ps__section_t *only, ps_sentence_kind_t kind,
                            const char *sep);

#endif
