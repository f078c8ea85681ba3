/*
 * The output directory: checked before a run computes anything, since a
 * run that could not publish its report should fail in its first second
 * (and `--check` say so) rather than after every plugin has run; made, as
 * `mkdir -p` would, only when the report is published.
 */
#ifndef PS_OUTDIR_H
#define PS_OUTDIR_H

#include "base/buf.h"

/*
 * Checks that `dir` is, or can become, a directory this process can write
 * into. With `create`, its missing parts are made as `mkdir -p` would
 * (mode 0755, less the umask); without, nothing is changed. 0 when ready,
 * 1 when directories were created, -1 with `err` saying which part of the
 * path is in the way and why.
 */
int ps__outdir_prepare(const char *dir, int create, ps__buf_t *err);

#endif
