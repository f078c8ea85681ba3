/*
 * The statistical audit (数据审核): declarative rules from [audit.NAME]
 * sections, checked on every run against the report and the ledgers, and
 * listed in the report with their severity, figures and entities. An error
 * (强制性错误) must be fixed; a warning (核实性错误) must be explained, in
 * the explanations file the configuration names.
 */
#ifndef PS_AUDIT_H
#define PS_AUDIT_H

#include "config/conf.h"
#include "cube/cube.h"
#include "base/diag.h"
#include "report/report.h"

/* Checks every rule, adding findings to the report. A rule that cannot be
   read (an unknown reference, an unreadable explanations file) is a
   configuration error in diag (PS_ECONFIG). Walking a source's series
   sorts its rows for the walk and back (ps__cube_each_series). */
int ps__audit_run(const ps__config_t *cfg, ps__cube_t *cube, ps__report_t *report,
                  ps__diag_t *diag);

/* Do the findings make the run's exit status 1, as fail_on says? */
int ps__audit_fails(const ps__config_t *cfg, const ps__report_t *report);

#endif
