/*
 * The wire form of a computed section: how a plugin's result crosses the
 * pipe from the child process that computed it to the core. The decoder
 * trusts nothing: every length is bounded, every enum checked, every parent
 * and template must refer to indicators already read.
 */
#ifndef PS_WIRE_H
#define PS_WIRE_H

#include <stddef.h>

#include "base/buf.h"
#include "report/report.h"

/* Appends the indicators and sentences of `s`, or its error. */
void ps__wire_encode(ps__buf_t *out, const ps__section_t *s);

/*
 * Reads what ps__wire_encode wrote into the empty section `s` (units are
 * copied into the report's own strings). On malformed input returns
 * PS_EPARSE with a short reason in `why`; `s` is then left empty.
 */
int ps__wire_decode(const char *data, size_t len, ps__report_t *r, ps__section_t *s,
                    ps__buf_t *why);

#endif
