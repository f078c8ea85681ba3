/*
 * Fuzzes the ledger reader (core/ledger/ledger.h) and the cube behind it.
 *
 * The input is one ledger file, read with on_bad_row = skip so that every
 * row is tried, against a configuration declaring a few indicator units.
 * Checks, beyond "no crash, no leak, no undefined behaviour":
 *   - the cube holds no more cells than the rows the reader counted (rows
 *     without entity share a cell per key), and some when it counted any;
 *   - a breakdown by any tag adds up to the plain sum;
 *   - no group of count_by counts more entities than count_entities;
 *   - the queries still work after the cumulative-to-flow conversion.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/conf.h"
#include "cube/cube.h"
#include "ledger/ledger.h"

#define ALL_TIME(ind) { .indicator = (ind), .from = INT32_MIN, .to = INT32_MAX }

static ps__indicator_def_t declared[] = {
    { .code = "fai", .unit = "万元", .rate_decimals = 2 },
    { .code = "tax", .unit = "亿元", .rate_decimals = 2 },
    { .code = "trees", .unit = "株", .rate_decimals = 2 },
    { .code = "area", .unit = "平方米", .display_unit = "万平方米", .rate_decimals = 2 },
    { .code = "output", .rate_decimals = 1 }, /* a label only: rows bring the unit */
};
static ps__config_t cfg = { .indicators = declared, .n_indicators = 5 };
static int ledger_fd = -1;

static int count_series(void *arg, const ps__cell_key_t *key, const ps_period_t *periods,
                        const int64_t *values, size_t n)
{
    (void)key;
    (void)values;
    for (size_t i = 1; i < n; i++)
        if (periods[i - 1] >= periods[i])
            abort(); /* a series' months must come in order, each once */
    ++*(size_t *)arg;
    return 0;
}

/* Runs every query on every indicator and tag; returns the rows seen. */
static uint64_t query_all(ps__cube_t *cube)
{
    size_t nstrings = ps__intern_count(ps__cube_strings(cube)), series = 0;
    uint64_t total_rows = 0;
    for (uint32_t ind = 0; ind < nstrings; ind++) {
        ps__cube_query_t q = ALL_TIME(ind);
        int64_t sum = 0, entities = 0;
        uint64_t rows = 0;
        int sum_rc = ps__cube_sum(cube, &q, &sum, &rows);
        if (sum_rc == 0)
            total_rows += rows;
        ps__cube_count_entities(cube, &q, &entities);
        ps__cube_latest(cube, ind, INT32_MAX);
        for (uint32_t tag = 0; tag < nstrings && tag < 16; tag++) {
            ps__cube_group_t *g = NULL;
            size_t n = 0;
            if (ps__cube_breakdown(cube, &q, tag, &g, &n) == 0 && sum_rc == 0) {
                __int128 parts = 0;
                for (size_t i = 0; i < n; i++)
                    parts += g[i].sum;
                if (parts != sum)
                    abort(); /* a breakdown must add up to the sum */
            }
            free(g);
            g = NULL;
            if (ps__cube_count_by(cube, &q, tag, &g, &n) == 0)
                for (size_t i = 0; i < n; i++)
                    if (g[i].sum > entities)
                        abort();
            free(g);
        }
    }
    ps__cube_each_series(cube, 0, count_series, &series);
    ps__cube_max_period(cube);
    return total_rows;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ledger_fd < 0 && (ledger_fd = memfd_create("fuzz-ledger", 0)) < 0)
        abort();
    if (ftruncate(ledger_fd, 0) < 0 || pwrite(ledger_fd, data, size, 0) != (ssize_t)size ||
        lseek(ledger_fd, 0, SEEK_SET) != 0)
        abort();
    ps__cube_t *cube = ps__cube_new();
    ps__ledger_opts_t opts = { .source = 0, .section = "source.fuzz", .cfg = &cfg,
                               .skip_bad_rows = 1 };
    ps__ledger_stats_t stats = { 0 };
    ps__buf_t err = PS_BUF_INIT;
    if (!cube)
        abort();
    int rc = ps__ledger_read_fd(cube, ledger_fd, "fuzz.csv", &opts, &stats, &err);
    /* Rows without entity share a cell per key, so the cube may hold fewer
       cells than rows read, never more, and none only when no row was read. */
    uint64_t cells = rc == 0 ? query_all(cube) : 0;
    if (rc == 0 && (cells > stats.rows || (cells == 0) != (stats.rows == 0))) {
        fprintf(stderr, "cube holds %llu cells for %llu rows read (%llu skipped)\n",
                (unsigned long long)cells, (unsigned long long)stats.rows,
                (unsigned long long)stats.skipped);
        abort();
    }
    if (rc == 0 && ps__cube_cumulative_to_flow(cube, 0) == 0)
        query_all(cube);
    ps__ledger_stats_free(&stats);
    ps__buf_free(&err);
    ps__cube_free(cube);
    return 0;
}
