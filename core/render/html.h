/*
 * Pieces of the HTML report: text escaped for HTML and an indicator's
 * figures as the text report words them.
 */
#ifndef PS_HTML_H
#define PS_HTML_H

#include "base/buf.h"
#include "report/report.h"

/* Appends `s` with & < > " ' escaped, so that it is text in any context
   (element content or a quoted attribute). */
void ps__html_escape(ps__buf_t *out, const char *s);

/* Appends one indicator's field (fields.h), escaped, exactly as a template
   placeholder {KEY.FIELD} shows it. */
void ps__html_field(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                    const ps__ind_t *ind, const char *field);

/* "behind", "on" or "ahead": the CSS class of a time-progress status
   (ps__progress_status), which colours it. */
const char *ps__html_status_class(int status);

#endif
