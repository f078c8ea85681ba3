/*
 * The report's own wording, set in [parkstat] and not by any plugin: the
 * title, the opening words of the summary paragraph, the order of the
 * sections, and the lines of the main-indicator appendix (主要指标完成情况),
 * which say for each headline figure its completion against time progress
 * and its change on last year.
 *
 * Title and opening name report variables: {zone}, {year}, {month},
 * {next_year}. Appendix lines name the fields of the indicator they describe
 * (fields.h), with {figure} for the value with its as-of note: "{label}
 * {figure}，完成年度目标{target}的{rate}，{status}". The configuration
 * checks every placeholder when the INI is read (config/wording.h).
 */
#ifndef PS_OUTLINE_H
#define PS_OUTLINE_H

#include "base/buf.h"
#include "config/conf.h"
#include "report/report.h"

/* Gives the report its wording and puts its sections in the configured
   order (those `order` leaves out keep their INI order, after the others).
   Returns 0 or PS_ENOMEM. */
int ps__outline_apply(const ps__config_t *cfg, ps__report_t *r);

/* Appends the appendix line of a top-level indicator: its progress line
   when it has a target (else its figure alone), then, when it has last
   year's figure, its change (with the growth gap when it has a growth
   target); "税收无数据" when it has no figure. {figure} shows the
   indicator's quantities too, and {target} is in the figure's unit, as
   in the report's tables. */
void ps__outline_line(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                      const ps__ind_t *ind);

#endif
