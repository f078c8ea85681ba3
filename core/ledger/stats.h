/*
 * What reading a source's ledgers found, beyond its rows in the cube: kept
 * apart from the reader so that the report model can carry the bad rows'
 * messages without depending on the reader.
 */
#ifndef PS_LEDGER_STATS_H
#define PS_LEDGER_STATS_H

#include <stddef.h>
#include <stdint.h>

#include <parkstat/types.h>

/* How many skipped rows' messages a source keeps for the report. */
#define PS_LEDGER_SKIPS_KEPT 3

typedef struct ps__ledger_stats {
    uint64_t rows;          /* rows with a value */
    uint64_t empty_values;  /* rows whose value is empty: missing, not zero */
    ps_period_t last_period;/* latest month read, 0 when none */
    uint64_t skipped;       /* bad rows skipped (on_bad_row = skip) */
    size_t parts;           /* the most parts a file was read in by threads
                               (0: one thread read every file) */
    char *skips[PS_LEDGER_SKIPS_KEPT]; /* the first skipped rows' messages, by line */
    uint32_t skip_lines[PS_LEDGER_SKIPS_KEPT]; /* their lines, counted across files */
} ps__ledger_stats_t;

void ps__ledger_stats_free(ps__ledger_stats_t *stats);

#endif
