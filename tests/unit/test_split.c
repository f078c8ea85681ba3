/*
 * Unit tests of core/ledger/ledger_split.c: a large ledger read by two threads
 * must give the very cube, statistics and errors of the single-threaded
 * reader. PARKSTAT_SPLIT_MIN_BYTES makes small files "large".
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

#include "cube/cube.h"
#include "ledger/reader.h"
#include "testutil.h"

#define NAME "big.csv"
#define HEADER "period,entity,indicator,value,unit,industry\n"

static ps__indicator_def_t declared[] = {
    TU_INDICATOR("fai", "万元"),
    TU_INDICATOR("trees", "株"),
};

typedef struct result {
    ps__cube_t *cube;
    ps__ledger_stats_t stats;
    ps__buf_t err;
    int rc;
} result_t;

static void result_free(result_t *r)
{
    ps__cube_free(r->cube);
    ps__ledger_stats_free(&r->stats);
    ps__buf_free(&r->err);
}

static ps__config_t cfg;
static ps__ledger_opts_t opts = { .source = 0, .section = "source.big" };

static int setup(void **state)
{
    (void)state;
    cfg = tu_config_with(declared, sizeof declared / sizeof declared[0]);
    opts.cfg = &cfg;
    return 0;
}

/* Reads text as the file `name` into r's cube and statistics. */
static int read_into(result_t *r, const char *name, const char *text)
{
    int fd = tu_fd_with_text(text);
    int rc = ps__ledger_read_fd(r->cube, fd, name, &opts, &r->stats, &r->err);
    close(fd);
    return rc;
}

/* Reads text with files of at least min_bytes split (0: never). */
static result_t read_with(const char *text, const char *min_bytes)
{
    result_t r = { .cube = ps__cube_new(), .err = PS_BUF_INIT };
    assert_non_null(r.cube);
    setenv("PARKSTAT_SPLIT_MIN_BYTES", min_bytes, 1);
    r.rc = read_into(&r, NAME, text);
    unsetenv("PARKSTAT_SPLIT_MIN_BYTES");
    return r;
}

/* Whether the two-thread reader takes the text on itself (1) or declines. */
static int split_taken(const char *text)
{
    ps__cube_t *cube = ps__cube_new();
    ps__ledger_stats_t stats = { 0 };
    setenv("PARKSTAT_SPLIT_MIN_BYTES", "1", 1);
    int fd = tu_fd_with_text(text);
    unsigned long lines = 0;
    int rc = ps__ledger_read_split(cube, fd, NAME, &opts, 0, &stats, &lines);
    close(fd);
    unsetenv("PARKSTAT_SPLIT_MIN_BYTES");
    ps__ledger_stats_free(&stats);
    ps__cube_free(cube);
    return rc;
}

static int dump_series(void *arg, const ps__cell_key_t *key, const ps_period_t *periods,
                       const int64_t *values, size_t n)
{
    ps__buf_t *b = arg;
    ps__buf_printf(b, "%u/%u/%u:", key->indicator, key->entity, key->tags);
    for (size_t i = 0; i < n; i++)
        ps__buf_printf(b, " %d=%lld", (int)periods[i], (long long)values[i]);
    ps__buf_puts(b, "\n");
    return 0;
}

/* Strings by id, every entity's series, and each month's sum and rows. */
static void dump_cube(ps__cube_t *cube, ps__buf_t *b)
{
    ps__intern_t *strings = ps__cube_strings(cube);
    for (uint32_t i = 0; i < ps__intern_count(strings); i++)
        ps__buf_printf(b, "%u=%s\n", i, ps__intern_str(strings, i));
    assert_int_equal(ps__cube_each_series(cube, 0, dump_series, b), 0);
    for (uint32_t i = 0; i < ps__intern_count(strings); i++)
        for (ps_period_t p = TU_PERIOD(2023, 1); p <= TU_PERIOD(2023, 12); p++) {
            ps__cube_query_t q = { .indicator = i, .from = p, .to = p };
            int64_t sum;
            uint64_t rows;
            assert_int_equal(ps__cube_sum(cube, &q, &sum, &rows), 0);
            if (rows)
                ps__buf_printf(b, "%u@%d: %lld in %llu\n", i, (int)p, (long long)sum,
                               (unsigned long long)rows);
        }
}

/* The same outcome, to the byte, whether split or not; the most parts the
   split read took. */
static size_t expect_same_as_single(const char *text)
{
    result_t one = read_with(text, "0"), two = read_with(text, "1");
    ps__buf_t a = PS_BUF_INIT, b = PS_BUF_INIT;
    assert_int_equal(one.rc, two.rc);
    assert_string_equal(ps__buf_str(&one.err), ps__buf_str(&two.err));
    assert_true(one.stats.rows == two.stats.rows);
    assert_true(one.stats.empty_values == two.stats.empty_values);
    assert_int_equal(one.stats.last_period, two.stats.last_period);
    dump_cube(one.cube, &a);
    dump_cube(two.cube, &b);
    assert_string_equal(ps__buf_str(&a), ps__buf_str(&b));
    ps__buf_free(&a);
    ps__buf_free(&b);
    size_t parts = two.stats.parts;
    result_free(&one);
    result_free(&two);
    return parts;
}

/* Rows from..to-1 of a ledger: entities' cells, rows without entity that
   add up in both halves, quoted values, empty tags and values, two units. */
static void ledger_rows(ps__buf_t *b, unsigned from, unsigned to)
{
    for (unsigned i = from; i < to; i++) {
        unsigned month = i % 12 + 1;
        if (i % 5 == 0)
            ps__buf_printf(b, "2023-%02u,,fai,\"1,%03u.5\",万元,新能源\n", month, i % 1000);
        else if (i % 7 == 0)
            ps__buf_printf(b, "2023-%02u,\"甲,%u\",trees,%u,,\n", month, i / 12, i);
        else if (i % 11 == 0)
            ps__buf_printf(b, "2023-%02u,乙%u,fai,,万元,装备\n", month, i / 12);
        else
            ps__buf_printf(b, "2023-%02u,乙%u,fai,%u.25,元,%s\n", month, i / 12, i,
                           i % 2 ? "装备" : "");
    }
}

static void split_gives_the_single_threaded_cube(void **state)
{
    (void)state;
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        skip();
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_puts(&b, HEADER);
    ledger_rows(&b, 0, 600);
    assert_int_equal(split_taken(ps__buf_str(&b)), 1);
    expect_same_as_single(ps__buf_str(&b));
    ps__buf_free(&b);
}

/* A file read in halves keeps each row's line from the file's start: a
   second file of the source repeating a row names the first's file and
   line, wherever the row was. */
static void lines_of_a_split_file_count_from_its_start(void **state)
{
    (void)state;
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        skip();
    enum { ROWS = 60000 };
    ps__buf_t first = PS_BUF_INIT;
    ps__buf_puts(&first, HEADER);
    for (unsigned i = 0; i < ROWS; i++) /* entity E<i> on line i + 2 */
        ps__buf_printf(&first, "2023-01,E%u,fai,1,万元,新能源\n", i);
    static const unsigned repeated[] = { 5, ROWS / 2 + 5, ROWS * 3 / 4, ROWS - 5 };
    setenv("PARKSTAT_SPLIT_MIN_BYTES", "1", 1);
    for (size_t k = 0; k < sizeof repeated / sizeof repeated[0]; k++) {
        tu_dir_t dir;
        tu_dir_make(&dir);
        char second[128];
        snprintf(second, sizeof second, HEADER "2023-01,E%u,fai,5,万元,新能源\n",
                 repeated[k]);
        char *a = tu_dir_write(&dir, "a.csv", ps__buf_str(&first));
        char *b = tu_dir_write(&dir, "b.csv", second);
        char *pattern = tu_dir_path(&dir, "*.csv");
        ps__source_t src = { .name = "big", .pattern = pattern };
        result_t r = { .cube = ps__cube_new(), .err = PS_BUF_INIT };
        assert_int_equal(ps__ledger_read_source(r.cube, &src, &opts, &r.stats, &r.err),
                         PS_EEXISTS);
        assert_int_equal(r.stats.parts, 2);
        ps__buf_t want = PS_BUF_INIT;
        ps__buf_printf(&want, "%s:2: entity 'E%u' already reported indicator 'fai' for "
                       "2023-01 with the same tags (%s:%u)", b, repeated[k], a,
                       repeated[k] + 2);
        assert_string_equal(ps__buf_str(&r.err), ps__buf_str(&want));
        ps__buf_free(&want);
        result_free(&r);
        free(a);
        free(b);
        free(pattern);
        tu_dir_remove(&dir);
    }
    unsetenv("PARKSTAT_SPLIT_MIN_BYTES");
    ps__buf_free(&first);
}

/* A second file of the same source after a split one (a year's ledger, then
   a month's): its rows add months to series the merge packed together, in
   either order of months, and every month keeps its own sum. */
static void a_second_file_adds_months_to_a_split_ones_series(void **state)
{
    (void)state;
    enum { ENTITIES = 3000 };
    ps__buf_t first = PS_BUF_INIT;
    ps__buf_puts(&first, HEADER);
    for (int m = 2; m <= 11; m += 3) /* February, May, August, November */
        for (unsigned i = 0; i < ENTITIES; i++)
            ps__buf_printf(&first, "2023-%02d,E%u,fai,%d,万元,新能源\n", m, i, m);
    result_t r = read_with(ps__buf_str(&first), "1");
    assert_int_equal(r.rc, 0);
    assert_true(r.stats.parts >= 2);
    for (int m = 1; m <= 12; m += 11) { /* January, before; December, after */
        ps__buf_t second = PS_BUF_INIT;
        ps__buf_puts(&second, HEADER);
        for (unsigned i = 0; i < ENTITIES; i++)
            ps__buf_printf(&second, "2023-%02d,E%u,fai,%d,万元,新能源\n", m, i, 100 + m);
        assert_int_equal(read_into(&r, "second.csv", ps__buf_str(&second)), 0);
        ps__buf_free(&second);
    }
    uint32_t fai = ps__intern_find(ps__cube_strings(r.cube), "fai", 3);
    for (ps_period_t p = TU_PERIOD(2023, 1); p <= TU_PERIOD(2023, 12); p++) {
        int month = (int)(p - TU_PERIOD(2023, 1)) + 1;
        int64_t wanted = month == 1 || month == 12 ? 100 + month : month % 3 == 2 ? month : 0;
        ps__cube_query_t q = { .indicator = fai, .from = p, .to = p };
        int64_t sum;
        uint64_t rows;
        assert_int_equal(ps__cube_sum(r.cube, &q, &sum, &rows), 0);
        assert_true(sum == tu_yuan(wanted * 10000 * ENTITIES));
        assert_int_equal(rows, wanted ? ENTITIES : 0);
    }
    result_free(&r);
    ps__buf_free(&first);
}

/* A quoted field whose line breaks span the middle: the guessed split point
   is inside it, the halves disagree, and the file is read by one thread,
   its lines counted with the breaks inside quotes. */
static void quoted_line_breaks_across_the_middle(void **state)
{
    (void)state;
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_puts(&b, HEADER);
    ledger_rows(&b, 0, 40);
    ps__buf_puts(&b, "2023-01,\"long");
    for (int i = 0; i < 400; i++)
        ps__buf_puts(&b, "\nline of a name, \"\"quoted\"\"");
    ps__buf_puts(&b, "\",fai,1,万元,新能源\n");
    ledger_rows(&b, 1200, 1240);
    ps__buf_puts(&b, "2023-13,x,fai,1,万元,新能源\n");
    assert_int_equal(split_taken(ps__buf_str(&b)), 0);
    expect_same_as_single(ps__buf_str(&b));
    result_t r = read_with(ps__buf_str(&b), "1");
    assert_string_equal(ps__buf_str(&r.err), "big.csv:483: column 'period': '2023-13' "
                        "is not a month (expected YYYY-MM, e.g. 2023-10)");
    result_free(&r);
    ps__buf_free(&b);
}

/* An error in the second half: the first error by line, and its line. */
static void error_in_the_second_half(void **state)
{
    (void)state;
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_puts(&b, HEADER);
    ledger_rows(&b, 0, 300);
    ps__buf_puts(&b, "2023-01,丙,fai,12x,万元,新能源\n");
    ledger_rows(&b, 1200, 1210);
    ps__buf_puts(&b, "2023-01,丙,fai,1.23456,万元,新能源\n");
    result_t r = read_with(ps__buf_str(&b), "1");
    assert_int_equal(r.rc, PS_EPARSE);
    assert_string_equal(ps__buf_str(&r.err), "big.csv:302: column 'value': '12x' is not "
                        "a number (expected a decimal with at most 4 decimal places, "
                        "e.g. 1234.5 or \"1,234.5\")");
    result_free(&r);
    expect_same_as_single(ps__buf_str(&b));
    ps__buf_free(&b);
}

/* An entity's cell in both halves: found when the rows are sealed, with the
   single-threaded message. */
static void duplicate_across_the_halves(void **state)
{
    (void)state;
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_puts(&b, HEADER "2023-03,丁,fai,5,万元,新能源\n");
    ledger_rows(&b, 0, 300);
    ps__buf_puts(&b, "2023-03,丁,fai,6,万元,新能源\n");
    assert_int_equal(split_taken(ps__buf_str(&b)), 1);
    result_t r = read_with(ps__buf_str(&b), "1");
    assert_int_equal(r.rc, PS_EEXISTS);
    assert_string_equal(ps__buf_str(&r.err), "big.csv:303: entity '丁' already reported "
                        "indicator 'fai' for 2023-03 with the same tags (line 2)");
    result_free(&r);
    expect_same_as_single(ps__buf_str(&b));
    ps__buf_free(&b);
}

/* Sums that come near the limit across the halves: the seal sums them in
   line order where any order would overflow, as one thread would. */
static void sums_near_the_limit_across_the_halves(void **state)
{
    (void)state;
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_puts(&b, HEADER);
    for (int i = 0; i < 200; i++)
        ps__buf_printf(&b, "2023-01,,trees,%s,,\n", i % 2 ? "-900000000000000" : "900000000000000");
    assert_int_equal(split_taken(ps__buf_str(&b)), 1);
    expect_same_as_single(ps__buf_str(&b));
    ps__buf_free(&b);
}

/* A cube already holding another source, then a large ledger. */
static ps__cube_t *two_sources(const char *large, const char *min_bytes)
{
    ps__cube_t *cube = ps__cube_new();
    ps__ledger_stats_t stats = { 0 };
    ps__buf_t err = PS_BUF_INIT;
    ps__ledger_opts_t other = opts;
    other.source = 1;
    int fd = tu_fd_with_text(HEADER "2023-01,戊,fai,1,万元,\n2023-02,乙30,fai,2,元,装备\n");
    assert_int_equal(ps__ledger_read_fd(cube, fd, NAME, &other, &stats, &err), 0);
    close(fd);
    setenv("PARKSTAT_SPLIT_MIN_BYTES", min_bytes, 1);
    fd = tu_fd_with_text(large);
    assert_int_equal(ps__ledger_read_fd(cube, fd, NAME, &opts, &stats, &err), 0);
    close(fd);
    unsetenv("PARKSTAT_SPLIT_MIN_BYTES");
    ps__buf_free(&err);
    ps__ledger_stats_free(&stats);
    return cube;
}

/* A split read merged into a cube that holds another source's series:
   the same cube as one thread's read. */
static void split_merges_into_a_cube_with_another_source(void **state)
{
    (void)state;
    ps__buf_t text = PS_BUF_INIT, a = PS_BUF_INIT, b = PS_BUF_INIT;
    ps__buf_puts(&text, HEADER);
    ledger_rows(&text, 0, 600);
    assert_int_equal(split_taken(ps__buf_str(&text)), 1);
    ps__cube_t *one = two_sources(ps__buf_str(&text), "0");
    ps__cube_t *two = two_sources(ps__buf_str(&text), "1");
    dump_cube(one, &a);
    dump_cube(two, &b);
    assert_string_equal(ps__buf_str(&a), ps__buf_str(&b));
    ps__cube_free(one);
    ps__cube_free(two);
    ps__buf_free(&a);
    ps__buf_free(&b);
    ps__buf_free(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_gives_the_single_threaded_cube),
        cmocka_unit_test(lines_of_a_split_file_count_from_its_start),
        cmocka_unit_test(a_second_file_adds_months_to_a_split_ones_series),
        cmocka_unit_test(quoted_line_breaks_across_the_middle),
        cmocka_unit_test(error_in_the_second_half),
        cmocka_unit_test(duplicate_across_the_halves),
        cmocka_unit_test(sums_near_the_limit_across_the_halves),
        cmocka_unit_test(split_merges_into_a_cube_with_another_source),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
