/*
 * Derived indicators ([derived.NAME]): evaluated once every plugin has
 * computed, in the order their references require, and added to the report
 * like any other indicator.
 */
#ifndef PS_DERIVED_H
#define PS_DERIVED_H

#include "config/conf.h"
#include "base/diag.h"
#include "report/report.h"

/*
 * Evaluates every derived indicator of `cfg` into `report`. A reference to
 * an unknown section or key, a cycle, a division by zero or an overflow is
 * a configuration error said in `diag` (PS_ECONFIG); a reference to a failed
 * section leaves the value missing.
 */
int ps__derived_evaluate(const ps__config_t *cfg, ps__report_t *report,
                         ps__diag_t *diag);

#endif
