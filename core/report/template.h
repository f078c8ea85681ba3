/*
 * Sentence templates: text with {KEY} and {KEY.FIELD} placeholders naming a
 * section's indicators; fields.h lists the fields.
 */
#ifndef PS_TEMPLATE_H
#define PS_TEMPLATE_H

#include "base/buf.h"
#include "report/report.h"

/* Checks every placeholder names an emitted indicator of `s` and a known
   field; otherwise appends to `why` what is wrong ("has an unclosed '{'")
   and returns PS_EINVAL. With `s` NULL, checks only the braces and the
   fields: what can be known before the plugin has computed. */
int ps__template_problem(const ps__section_t *s, const char *tmpl, ps__buf_t *why);
/* As ps__template_problem, saying it as 'template "TEXT" has …'. */
int ps__template_check(const ps__section_t *s, const char *tmpl, ps__buf_t *why);

/* Why a placeholder of a template cannot be shown, and what to do, after
   "cannot show {KEY.FIELD}, which ": the words of every such error. */
#define PS_TEMPLATE_ABSENT_WHY                                                 \
    "has no figure this month (a target, a year-ago figure or a share it "     \
    "needs is missing): put its clause in [[ ]] to leave the clause out when so"

/* Appends the template with its placeholders filled in, leaving out each
   optional clause ("[[…]]") that holds one that cannot be shown. Returns
   how many placeholders outside those could not be shown (each as "—"),
   and appends the first, "{KEY.FIELD}", to `absent` when not NULL. */
size_t ps__template_expand(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                           const char *tmpl, ps__buf_t *absent);

/* Appends one indicator's field, as a placeholder would show it. */
void ps__template_field(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                        const ps__ind_t *ind, const char *field);

#endif
