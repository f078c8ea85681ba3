/*
 * The ledger reader: streams a department's CSV into the cube, row by row,
 * and owns every row-level error ("FILE:LINE: column 'value': …").
 *
 * Columns are found by name in any order: period, indicator and value are
 * required; unit and entity are optional; every other column is a tag.
 */
#ifndef PS_LEDGER_H
#define PS_LEDGER_H

#include <stdint.h>

#include "base/buf.h"
#include "base/utf8.h" /* ps__utf8_valid, which the reader checks every field with */
#include "config/conf.h"
#include "cube/cube.h"
#include "ledger/stats.h"

typedef struct ps__ledger_opts {
    uint32_t source;        /* the source's id in cube keys */
    int cumulative;         /* rows are year-to-date totals */
    const char *section;    /* "source.tax", for hints in messages */
    const ps__config_t *cfg;/* declared units of indicators */
    int skip_bad_rows;      /* on_bad_row = skip: count bad rows and go on */
    const ps__column_map_t *columns; /* the headers in the office's words */
    size_t n_columns;
} ps__ledger_opts_t;

/* Reads one CSV from fd, which must be open on a regular file (a directory
   is refused as "NAME: is a directory, not a file: refused"), and refuses
   it when it changes while read. On error returns a PS_E code with the
   message in err. */
int ps__ledger_read_fd(ps__cube_t *cube, int fd, const char *name,
                       const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                       ps__buf_t *err);

/* Reads every file of a source (its path may be a glob). */
int ps__ledger_read_source(ps__cube_t *cube, const ps__source_t *src,
                           const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                           ps__buf_t *err);

#endif
