/*
 * Publishing the report: every requested format is rendered first, and only
 * when all of them rendered are the files written, as one set that replaces
 * the month's previous set at once (base/output_set.h).
 */
#ifndef PS_PUBLISH_H
#define PS_PUBLISH_H

#include "base/buf.h"
#include "render/render.h"
#include "report/report.h"

/* Renders the formats in `formats` (enum ps__format bits) and publishes
   them together as DIR/report-YYYY-MM.EXT, a format not asked for keeping
   its current version; or writes all to standard output when dir is NULL.
   Returns 0, or -1 with the reason in `err`. */
int ps__publish(const ps__report_t *r, unsigned formats, const char *dir,
                const ps__render_opts_t *opts, ps__buf_t *err);
/* Renders the formats as ps__publish would and writes nothing (--check):
   a format's limits are found without an output directory. */
int ps__render_only(const ps__report_t *r, unsigned formats,
                    const ps__render_opts_t *opts, ps__buf_t *err);

#endif
