/*
 * What a template placeholder {KEY.FIELD} shows of an indicator:
 *   (none)        the value, with 「（至9月底）」 when its data ends early
 *   value, label, target, next_target
 *   rate          completion: value / target
 *   share         of the parent (PART and SUBSET children)
 *   parts         the PART children, "label value" joined by "，"
 *   asof          "9月底"
 *   progress      time progress (序时进度), "83.33%"
 *   gap           completion minus time progress, "42.75个百分点"
 *   status        「滞后序时进度42.75个百分点」, 「超序时进度…」, 「与序时进度持平」
 *   year_ago      the same months of last year (or the comparable base)
 *   change        year-on-year: 「增长6.1%」, 「下降3.2%」, 「持平」
 *   growth_target "8%"
 *   growth_gap    「高于目标0.9个百分点」, 「低于目标…」, 「与目标持平」
 *   share_change  the share against last year's: 「提高1.20个百分点」, 「回落…」
 * A figure that cannot be computed shows as "—".
 */
#ifndef PS_FIELDS_H
#define PS_FIELDS_H

#include <stddef.h>

#include "base/buf.h"
#include "report/report.h"
#include "syntax/placeholder.h"

/* Appends field `field` (enum ps__field) of `ind`. Returns 1, or 0 when it
   showed "—": its figure cannot be computed. */
int ps__field_put(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                  const ps__ind_t *ind, size_t field);

/* Appends what a figure must be read with: 「（至9月底）」 when its data ends
   before the report's month, 「（含上月结转1个）」 when part of it was carried
   forward from last month (carry_forward); nothing otherwise. */
void ps__field_marks(ps__buf_t *out, const ps__report_t *r, const ps__ind_t *ind);

/* Appends the figure as a table's row states it: with its quantities, the
   same indicator in other units (31宗，1122亩), those that have a figure. */
void ps__field_figures(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                       const ps__ind_t *ind);

/* Appends the quantities alone (1122亩), as a workbook's column holds them
   beside the figure's own number; nothing when it has none. */
void ps__field_quantities(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                          const ps__ind_t *ind);

/* Appends the target as a table states it: in the unit of the figure it is
   set against (26362万元 against 30000万元), where a sentence says 3亿元. */
void ps__field_table_target(ps__buf_t *out, const ps__ind_t *ind);

#endif
