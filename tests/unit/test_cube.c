/* Unit tests of core/cube/cube.h: exact sums keyed by indicator, month, entity, tags. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

#include "cube/cube.h"
#include "cube/cube_impl.h" /* the sort of rows */
#include "base/buf.h"
#include "testutil.h"

#define P TU_PERIOD

/* The rows the last seals left out, "CODE line/first " each, in the order
   the seal met them. */
static char faults[1024];

static int setup(void **state)
{
    faults[0] = '\0';
    *state = ps__cube_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    ps__cube_free(*state);
    return 0;
}

/* The string id of s, interned if new. */
static uint32_t id_of(ps__cube_t *cube, const char *s)
{
    uint32_t id;
    assert_int_equal(ps__intern_id(ps__cube_strings(cube), s, strlen(s), &id), 0);
    return id;
}

/* The id of a tag tuple written "tag=value,tag=value" ("" for none). */
static uint32_t tags_of(ps__cube_t *cube, const char *spec)
{
    ps__tag_pair_t pairs[8];
    size_t n = 0;
    char *copy = strdup(spec), *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        assert_non_null(eq);
        *eq = '\0';
        pairs[n].tag = id_of(cube, item);
        pairs[n].value = id_of(cube, eq + 1);
        n++;
    }
    free(copy);
    uint32_t id;
    assert_int_equal(ps__cube_tags_id(cube, pairs, n, &id), 0);
    return id;
}

static void add_row(ps__cube_t *cube, uint32_t source, const char *indicator,
                    ps_period_t period, const char *entity, const char *tags,
                    int64_t value, uint32_t line)
{
    ps__cell_key_t key = { .indicator = id_of(cube, indicator),
                           .entity = id_of(cube, entity), .tags = tags_of(cube, tags),
                           .period = period, .source = source };
    assert_int_equal(ps__cube_add(cube, &key, value, line), 0);
}

static void record_fault(void *arg, int code, const ps__cell_key_t *key, uint32_t line,
                         uint32_t first)
{
    (void)arg;
    (void)key;
    size_t len = strlen(faults);
    snprintf(faults + len, sizeof faults - len, "%s %u/%u ",
             code == PS_EEXISTS ? "dup" : code == PS_EOVERFLOW ? "overflow" : "?",
             line, first);
}

static void seal(ps__cube_t *cube)
{
    assert_int_equal(ps__cube_seal(cube, record_fault, NULL), 0);
}

typedef struct filter_spec {
    const char *tag, *value;
} filter_spec_t;

/* Sum of indicator over [from, to] with up to four filters; *rows if asked. */
static int64_t sum_of(ps__cube_t *cube, const char *indicator, ps_period_t from,
                      ps_period_t to, const filter_spec_t *filters, size_t n,
                      uint64_t *rows)
{
    ps__tag_pair_t pairs[4];
    for (size_t i = 0; i < n; i++)
        pairs[i] = (ps__tag_pair_t){ id_of(cube, filters[i].tag),
                                     id_of(cube, filters[i].value) };
    ps__cube_query_t q = { .indicator = id_of(cube, indicator), .from = from, .to = to,
                           .filters = pairs, .n_filters = n };
    int64_t sum = -1;
    uint64_t r = 0;
    seal(cube);
    assert_int_equal(ps__cube_sum(cube, &q, &sum, &r), 0);
    if (rows)
        *rows = r;
    return sum;
}

/* A year of investment rows: two industries, three districts, one row
   without an industry, and a row of December the year before. */
static void fill_investment(ps__cube_t *cube)
{
    add_row(cube, 0, "fai", P(2022, 12), "甲公司", "industry=新能源", 999, 2);
    add_row(cube, 0, "fai", P(2023, 1), "甲公司", "industry=新能源,district=东区", 100, 3);
    add_row(cube, 0, "fai", P(2023, 1), "乙公司", "industry=装备制造,district=东区", 40, 4);
    add_row(cube, 0, "fai", P(2023, 2), "甲公司", "industry=新能源,district=西区", 250, 5);
    add_row(cube, 0, "fai", P(2023, 3), "丙公司", "district=南区", 7, 6);
    add_row(cube, 0, "fai", P(2023, 3), "乙公司", "industry=装备制造", 60, 7);
    add_row(cube, 0, "tax", P(2023, 3), "甲公司", "industry=新能源", 5000, 8);
    seal(cube);
}

/* ---- sums ------------------------------------------------------------------ */

static void sum_over_a_period_range(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    uint64_t rows;
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), NULL, 0, &rows) == 457);
    assert_int_equal(rows, 5);
    assert_true(sum_of(cube, "fai", P(2023, 2), P(2023, 2), NULL, 0, &rows) == 250);
    assert_int_equal(rows, 1);
    assert_true(sum_of(cube, "fai", P(2022, 1), P(2023, 12), NULL, 0, &rows) == 1456);
    assert_int_equal(rows, 6);
    assert_true(sum_of(cube, "tax", P(2023, 1), P(2023, 3), NULL, 0, &rows) == 5000);
    /* no month in range: zero and no rows, which the API reports as no value */
    assert_true(sum_of(cube, "fai", P(2023, 4), P(2023, 12), NULL, 0, &rows) == 0);
    assert_int_equal(rows, 0);
    assert_true(sum_of(cube, "nothing", P(2023, 1), P(2023, 12), NULL, 0, &rows) == 0);
    assert_int_equal(rows, 0);
}

static void sum_with_tag_filters(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    uint64_t rows;
    const filter_spec_t energy[] = { { "industry", "新能源" } };
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), energy, 1, &rows) == 350);
    assert_int_equal(rows, 2);
    const filter_spec_t east[] = { { "district", "东区" } };
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), east, 1, &rows) == 140);
    /* every filter must match */
    const filter_spec_t both[] = { { "industry", "装备制造" }, { "district", "东区" } };
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), both, 2, &rows) == 40);
    assert_int_equal(rows, 1);
    /* a row without the tag does not match a filter on it */
    const filter_spec_t south_energy[] = { { "district", "南区" }, { "industry", "新能源" } };
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), south_energy, 2, &rows) == 0);
    assert_int_equal(rows, 0);
    const filter_spec_t unknown[] = { { "industry", "农业" } };
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), unknown, 1, &rows) == 0);
    assert_int_equal(rows, 0);
}

/* ---- breakdown ----------------------------------------------------------- */

static int group_cmp(const void *a, const void *b)
{
    const ps__cube_group_t *x = a, *y = b;
    return x->value < y->value ? -1 : x->value > y->value;
}

static void breakdown_by_a_tag(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    ps__cube_query_t q = { .indicator = id_of(cube, "fai"), .from = P(2023, 1),
                           .to = P(2023, 3) };
    ps__cube_group_t *groups = NULL;
    size_t n = 0;
    assert_int_equal(ps__cube_breakdown(cube, &q, id_of(cube, "industry"), &groups, &n), 0);
    assert_int_equal(n, 3);
    qsort(groups, n, sizeof *groups, group_cmp);
    /* rows that left the tag empty are grouped under id 0 */
    assert_int_equal(groups[0].value, 0);
    assert_true(groups[0].sum == 7);
    const ps__intern_t *s = ps__cube_strings(cube);
    for (size_t i = 1; i < n; i++) {
        const char *name = ps__intern_str(s, groups[i].value);
        if (strcmp(name, "新能源") == 0)
            assert_true(groups[i].sum == 350);
        else if (strcmp(name, "装备制造") == 0)
            assert_true(groups[i].sum == 100);
        else
            fail_msg("unexpected group '%s'", name);
    }
    free(groups);
}

static void breakdown_with_a_filter(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    ps__tag_pair_t east = { id_of(cube, "district"), id_of(cube, "东区") };
    ps__cube_query_t q = { .indicator = id_of(cube, "fai"), .from = P(2023, 1),
                           .to = P(2023, 3), .filters = &east, .n_filters = 1 };
    ps__cube_group_t *groups = NULL;
    size_t n = 0;
    assert_int_equal(ps__cube_breakdown(cube, &q, id_of(cube, "industry"), &groups, &n), 0);
    assert_int_equal(n, 2);
    qsort(groups, n, sizeof *groups, group_cmp);
    assert_int_equal(groups[0].value, id_of(cube, "新能源"));
    assert_true(groups[0].sum == 100);
    assert_int_equal(groups[1].value, id_of(cube, "装备制造"));
    assert_true(groups[1].sum == 40);
    free(groups);
}

/* Stock rows of projects: 甲 negotiates in September and October; 乙 in
   September only, in two tuples; 丙 in August only; a row without entity. */
static void fill_states(ps__cube_t *cube)
{
    add_row(cube, 0, "status", P(2023, 9), "甲", "status=洽谈", 1, 2);
    add_row(cube, 0, "status", P(2023, 10), "甲", "status=洽谈", 1, 3);
    add_row(cube, 0, "status", P(2023, 9), "乙", "status=洽谈", 1, 4);
    add_row(cube, 0, "status", P(2023, 9), "乙", "status=在建", 1, 5);
    add_row(cube, 0, "status", P(2023, 8), "丙", "status=洽谈", 1, 6);
    add_row(cube, 0, "status", P(2023, 9), "", "status=洽谈", 7, 7);
    add_row(cube, 1, "status", P(2023, 9), "丁", "status=洽谈", 1, 8);
    seal(cube);
}

typedef struct unreported_seen {
    ps__cube_t *cube;
    char names[256];
} unreported_seen_t;

static int note_unreported(void *arg, uint32_t entity, int carried)
{
    unreported_seen_t *seen = arg;
    size_t len = strlen(seen->names);
    snprintf(seen->names + len, sizeof seen->names - len, "%s%s ",
             ps__intern_str(ps__cube_strings(seen->cube), entity), carried ? "(carried)" : "");
    return 0;
}

static void unreported_of(ps__cube_t *cube, uint32_t source, const char *expected)
{
    unreported_seen_t seen = { cube, "" };
    assert_int_equal(ps__cube_each_unreported(cube, source, id_of(cube, "status"),
                                              P(2023, 10), id_of(cube, " carried"),
                                              note_unreported, &seen),
                     0);
    assert_string_equal(seen.names, expected);
}

/* Only the month before is carried, every tuple of it, each entity once;
   the copies carry the mark, keep their lines, and count like any row. */
static void a_stock_carried_forward_from_the_month_before(void **state)
{
    ps__cube_t *cube = *state;
    fill_states(cube);
    unreported_of(cube, 0, "乙 ");
    size_t entities = 99;
    assert_int_equal(ps__cube_carry_forward(cube, 0, id_of(cube, "status"), P(2023, 10),
                                            id_of(cube, " carried"), id_of(cube, "yes"),
                                            &entities),
                     0);
    assert_int_equal(entities, 1);
    filter_spec_t talks = { "status", "洽谈" }, mark = { " carried", "yes" };
    filter_spec_t both[] = { talks, mark };
    uint64_t rows;
    assert_true(sum_of(cube, "status", P(2023, 10), P(2023, 10), NULL, 0, &rows) == 3);
    assert_int_equal(rows, 3);
    assert_true(sum_of(cube, "status", P(2023, 10), P(2023, 10), &talks, 1, NULL) == 2);
    assert_true(sum_of(cube, "status", P(2023, 10), P(2023, 10), both, 2, NULL) == 1);
    assert_true(sum_of(cube, "status", P(2023, 10), P(2023, 10), &mark, 1, NULL) == 2);
    unreported_of(cube, 0, "乙(carried) ");
    /* the other source's 丁 is its own */
    unreported_of(cube, 1, "丁 ");
    assert_string_equal(faults, "");
    /* carried once: a second carry finds nothing to carry */
    assert_int_equal(ps__cube_carry_forward(cube, 0, id_of(cube, "status"), P(2023, 10),
                                            id_of(cube, " carried"), id_of(cube, "yes"),
                                            &entities),
                     0);
    assert_int_equal(entities, 0);
}

static int64_t entered_of(ps__cube_t *cube, ps_period_t from, ps_period_t to, int *rc)
{
    ps__tag_pair_t talks = { id_of(cube, "status"), id_of(cube, "洽谈") };
    ps__cube_query_t q = { .indicator = id_of(cube, "status"), .from = from, .to = to,
                           .filters = &talks, .n_filters = 1 };
    int64_t n = -1;
    *rc = ps__cube_count_entered(cube, &q, &n);
    return n;
}

/* An entity entered a state when a month of the range has it and the
   month before does not: in the month before the range too. */
static void entities_that_entered_a_state(void **state)
{
    ps__cube_t *cube = *state;
    fill_states(cube);
    int rc;
    assert_int_equal(entered_of(cube, P(2023, 9), P(2023, 10), &rc), 3); /* 甲, 乙, 丁 */
    assert_int_equal(rc, 0);
    assert_int_equal(entered_of(cube, P(2023, 10), P(2023, 10), &rc), 0); /* 甲 stayed */
    assert_int_equal(entered_of(cube, P(2023, 8), P(2023, 10), &rc), 4); /* 丙 too */
    assert_int_equal(entered_of(cube, P(2022, 10), P(2023, 10), &rc), 0);
    assert_int_equal(rc, PS_ERANGE);
}

/* In a state all along: a row in every month of the range. */
static void entities_in_a_state_every_month(void **state)
{
    ps__cube_t *cube = *state;
    fill_states(cube);
    ps__tag_pair_t talks = { id_of(cube, "status"), id_of(cube, "洽谈") };
    ps__cube_query_t q = { .indicator = id_of(cube, "status"), .from = P(2023, 9),
                           .to = P(2023, 10), .filters = &talks, .n_filters = 1 };
    int64_t n = -1;
    assert_int_equal(ps__cube_count_throughout(cube, &q, &n), 0);
    assert_int_equal(n, 1); /* 甲 */
    q.from = P(2023, 8);
    assert_int_equal(ps__cube_count_throughout(cube, &q, &n), 0);
    assert_int_equal(n, 0);
    q.from = q.to = P(2023, 9); /* 甲, 乙, 丁: any month alone */
    assert_int_equal(ps__cube_count_throughout(cube, &q, &n), 0);
    assert_int_equal(n, 3);
    q.from = P(2018, 6); /* 64 months */
    q.to = P(2023, 9);
    assert_int_equal(ps__cube_count_throughout(cube, &q, &n), 0);
    assert_int_equal(n, 0);
    q.from = P(2018, 5);
    assert_int_equal(ps__cube_count_throughout(cube, &q, &n), PS_ERANGE);
}

static void breakdown_of_nothing_is_empty(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    ps__cube_query_t q = { .indicator = id_of(cube, "fai"), .from = P(2024, 1),
                           .to = P(2024, 12) };
    ps__cube_group_t *groups = NULL;
    size_t n = 99;
    assert_int_equal(ps__cube_breakdown(cube, &q, id_of(cube, "industry"), &groups, &n), 0);
    assert_int_equal(n, 0);
    free(groups);
}

/* ---- entities and periods --------------------------------------------------- */

static void distinct_entities(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    add_row(cube, 0, "fai", P(2023, 2), "", "", 1, 9); /* a row naming no entity */
    ps__cube_query_t q = { .indicator = id_of(cube, "fai"), .from = P(2023, 1),
                           .to = P(2023, 3) };
    int64_t count = -1;
    assert_int_equal(ps__cube_count_entities(cube, &q, &count), 0);
    assert_true(count == 3); /* 甲, 乙 (two months each), 丙; not the anonymous row */
    q.from = q.to = P(2023, 1);
    assert_int_equal(ps__cube_count_entities(cube, &q, &count), 0);
    assert_true(count == 2);
    ps__tag_pair_t energy = { id_of(cube, "industry"), id_of(cube, "新能源") };
    q = (ps__cube_query_t){ .indicator = id_of(cube, "fai"), .from = P(2022, 1),
                            .to = P(2023, 12), .filters = &energy, .n_filters = 1 };
    assert_int_equal(ps__cube_count_entities(cube, &q, &count), 0);
    assert_true(count == 1);
    q.indicator = id_of(cube, "nothing");
    assert_int_equal(ps__cube_count_entities(cube, &q, &count), 0);
    assert_true(count == 0);
}

static void latest_period_up_to(void **state)
{
    ps__cube_t *cube = *state;
    add_row(cube, 0, "fai", P(2023, 1), "", "", 1, 2);
    add_row(cube, 0, "fai", P(2023, 5), "", "", 1, 3);
    add_row(cube, 0, "fai", P(2023, 11), "", "", 1, 4);
    add_row(cube, 0, "tax", P(2023, 12), "", "", 1, 5);
    seal(cube);
    uint32_t fai = id_of(cube, "fai");
    assert_int_equal(ps__cube_latest(cube, fai, P(2023, 10)), P(2023, 5));
    assert_int_equal(ps__cube_latest(cube, fai, P(2023, 5)), P(2023, 5));
    assert_int_equal(ps__cube_latest(cube, fai, P(2023, 11)), P(2023, 11));
    assert_int_equal(ps__cube_latest(cube, fai, P(2099, 1)), P(2023, 11));
    assert_int_equal(ps__cube_latest(cube, fai, P(2022, 12)), 0);
    assert_int_equal(ps__cube_latest(cube, id_of(cube, "nothing"), P(2023, 12)), 0);
}

static void max_period(void **state)
{
    ps__cube_t *cube = *state;
    assert_int_equal(ps__cube_max_period(cube), 0);
    add_row(cube, 0, "fai", P(2023, 5), "", "", 1, 2);
    add_row(cube, 1, "tax", P(2023, 10), "", "", 1, 3);
    add_row(cube, 0, "fai", P(2022, 12), "", "", 1, 4);
    assert_int_equal(ps__cube_max_period(cube), P(2023, 10));
}

/* ---- keys ------------------------------------------------------------------ */

static void tag_tuples_ignore_order(void **state)
{
    ps__cube_t *cube = *state;
    uint32_t none;
    assert_int_equal(ps__cube_tags_id(cube, NULL, 0, &none), 0);
    assert_int_equal(none, 0); /* the empty tuple is always id 0 */
    uint32_t ab = tags_of(cube, "a=1,b=2");
    assert_int_equal(tags_of(cube, "b=2,a=1"), ab);
    assert_int_not_equal(tags_of(cube, "a=1"), ab);
    assert_int_not_equal(tags_of(cube, "a=1,b=3"), ab);
    assert_int_not_equal(ab, 0);
}

/* Many tuples and many rows: ids and sums survive the tables' growth. */
static void tables_grow_without_losing_keys(void **state)
{
    ps__cube_t *cube = *state;
    enum { TUPLES = 3000, MONTHS = 24 };
    uint32_t ids[TUPLES];
    char spec[64];
    for (int t = 0; t < TUPLES; t++) {
        snprintf(spec, sizeof spec, "park=%d,zone=%d", t, t % 7);
        ids[t] = tags_of(cube, spec);
    }
    for (int t = 0; t < TUPLES; t++) {
        snprintf(spec, sizeof spec, "zone=%d,park=%d", t % 7, t);
        assert_int_equal(tags_of(cube, spec), ids[t]);
    }
    uint32_t fai = id_of(cube, "fai");
    for (int t = 0; t < TUPLES; t++)
        for (int m = 0; m < MONTHS; m++) {
            ps__cell_key_t key = { .indicator = fai, .tags = ids[t],
                                   .period = P(2022, 1) + m };
            assert_int_equal(ps__cube_add(cube, &key, t + m, 1), 0);
        }
    uint64_t rows;
    /* sum over t, m of (t + m) = MONTHS * sum t + TUPLES * sum m */
    int64_t expected = (int64_t)MONTHS * (TUPLES * (TUPLES - 1) / 2) +
                       (int64_t)TUPLES * (MONTHS * (MONTHS - 1) / 2);
    assert_true(sum_of(cube, "fai", P(2022, 1), P(2023, 12), NULL, 0, &rows) == expected);
    assert_int_equal(rows, TUPLES * MONTHS);
    const filter_spec_t zone3[] = { { "zone", "3" } };
    int64_t zone_sum = 0;
    for (int t = 3; t < TUPLES; t += 7)
        zone_sum += (int64_t)MONTHS * t + MONTHS * (MONTHS - 1) / 2;
    assert_true(sum_of(cube, "fai", P(2022, 1), P(2023, 12), zone3, 1, NULL) == zone_sum);
}

/* An entity's rows of one key: the first by line stays, whatever order they
   were added in, and each later one is left out, named with the first's
   line (a skipped row must not count). */
static void duplicate_rows_are_left_out_with_the_first_line(void **state)
{
    ps__cube_t *cube = *state;
    add_row(cube, 0, "fai", P(2023, 1), "甲公司", "industry=新能源", 5, 12);
    add_row(cube, 0, "fai", P(2023, 1), "甲公司", "industry=新能源", 10, 7);
    add_row(cube, 0, "fai", P(2023, 1), "甲公司", "industry=新能源", 1, 20);
    /* any difference in the key makes another cell */
    add_row(cube, 0, "fai", P(2023, 2), "甲公司", "industry=新能源", 1, 21);
    add_row(cube, 0, "fai", P(2023, 1), "乙公司", "industry=新能源", 1, 22);
    add_row(cube, 0, "fai", P(2023, 1), "甲公司", "industry=装备制造", 1, 23);
    add_row(cube, 1, "fai", P(2023, 1), "甲公司", "industry=新能源", 1, 24);
    add_row(cube, 0, "tax", P(2023, 1), "甲公司", "industry=新能源", 1, 25);
    seal(cube);
    assert_string_equal(faults, "dup 12/7 dup 20/7 ");
    uint64_t rows;
    const filter_spec_t energy[] = { { "industry", "新能源" } };
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 1), energy, 1, &rows) == 12);
    assert_int_equal(rows, 3);
    /* a row added after the seal meets the sealed ones */
    add_row(cube, 0, "fai", P(2023, 1), "乙公司", "industry=新能源", 9, 30);
    seal(cube);
    assert_string_equal(faults, "dup 12/7 dup 20/7 dup 30/22 ");
}

/* The lines of a series' duplicates, each expected 500 after its first. */
typedef struct late_copies {
    size_t n, wrong;
} late_copies_t;

static void count_late_copy(void *arg, int code, const ps__cell_key_t *key, uint32_t line,
                            uint32_t first)
{
    late_copies_t *c = arg;
    (void)key;
    c->n++;
    c->wrong += code != PS_EEXISTS || line != first + 500;
}

/* Two entities with 75 series each, rows in an order nothing predicts, all
   of them twice: every cell is found, every second row left out. */
static void an_entity_with_many_series(void **state)
{
    ps__cube_t *cube = *state;
    enum { TAGS = 150, MONTHS = 3 };
    char spec[32];
    for (int round = 0; round < 2; round++)
        for (int m = 0; m < MONTHS; m++)
            for (int i = 0; i < TAGS; i++) {
                int t = (i * 37 + m * 11) % TAGS; /* a scrambled order */
                snprintf(spec, sizeof spec, "park=%d", t);
                uint32_t line = (uint32_t)(1000 * (m + 1) + t);
                const char *entity = t % 2 ? "甲公司" : "乙公司";
                add_row(cube, 0, "fai", P(2023, 1) + m, entity, spec, t + 1,
                        round ? line + 500 : line);
            }
    late_copies_t copies = { 0, 0 };
    assert_int_equal(ps__cube_seal(cube, count_late_copy, &copies), 0);
    assert_int_equal(copies.n, MONTHS * TAGS);
    assert_int_equal(copies.wrong, 0);
    uint64_t rows;
    /* each month: 1 + 2 + ... + TAGS */
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), NULL, 0, &rows) ==
                MONTHS * TAGS * (TAGS + 1) / 2);
    assert_int_equal(rows, MONTHS * TAGS);
    const filter_spec_t park[] = { { "park", "77" } };
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), park, 1, NULL) == MONTHS * 78);
}

/* Rows without an entity (already aggregated) add up into one cell. */
static void rows_without_entity_add_up(void **state)
{
    ps__cube_t *cube = *state;
    add_row(cube, 0, "fai", P(2023, 1), "", "", 10, 2);
    add_row(cube, 0, "fai", P(2023, 1), "", "", 5, 3);
    uint64_t rows;
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 1), NULL, 0, &rows) == 15);
    assert_int_equal(rows, 1);
    assert_string_equal(faults, "");
}

/* A sum that overflows is made again in line order: the row that would
   overflow it there is left out, whatever order the rows were added in. */
static void overflowing_row_left_out_in_line_order(void **state)
{
    ps__cube_t *cube = *state;
    add_row(cube, 0, "fai", P(2023, 1), "", "", 5, 4);
    add_row(cube, 0, "fai", P(2023, 1), "", "", INT64_MAX - 5, 2);
    add_row(cube, 0, "fai", P(2023, 1), "", "", 10, 3);
    uint64_t rows;
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 1), NULL, 0, &rows) == INT64_MAX);
    assert_string_equal(faults, "overflow 3/2 "); /* the sum's first row: line 2 */
}

/* Two cells that fit alone but not together: the sum query refuses. */
static void overflowing_query_refused(void **state)
{
    ps__cube_t *cube = *state;
    add_row(cube, 0, "fai", P(2023, 1), "", "", INT64_MAX - 5, 2);
    add_row(cube, 0, "fai", P(2023, 2), "", "", 10, 3);
    seal(cube);
    ps__cube_query_t q = { .indicator = id_of(cube, "fai"), .from = P(2023, 1),
                           .to = P(2023, 2) };
    int64_t sum;
    uint64_t rows;
    assert_int_equal(ps__cube_sum(cube, &q, &sum, &rows), PS_EOVERFLOW);
    ps__cube_group_t *groups = NULL;
    size_t n;
    assert_int_equal(ps__cube_breakdown(cube, &q, id_of(cube, "industry"), &groups, &n),
                     PS_EOVERFLOW);
}

static void units_per_indicator(void **state)
{
    ps__cube_t *cube = *state;
    uint32_t fai = id_of(cube, "fai"), trees = id_of(cube, "trees");
    assert_null(ps__cube_unit(cube, fai));
    assert_int_equal(ps__cube_set_unit(cube, fai, PS_UNIT_MONEY), 0);
    assert_int_equal(ps__cube_set_unit(cube, trees + 500, "株"), 0);
    assert_string_equal(ps__cube_unit(cube, fai), "元");
    assert_string_equal(ps__cube_unit(cube, trees + 500), "株");
    assert_null(ps__cube_unit(cube, trees));
    assert_null(ps__cube_unit(cube, 100000));
}

/* ---- cumulative sources ------------------------------------------------------ */

/* Year-to-date rows of source 1 become each month's own flow, per entity and
   per year; a missing month's flow lands in the next month reported. */
static void cumulative_rows_become_monthly_flows(void **state)
{
    ps__cube_t *cube = *state;
    /* 甲: every month */
    add_row(cube, 1, "output", P(2023, 1), "甲", "", 10, 2);
    add_row(cube, 1, "output", P(2023, 2), "甲", "", 25, 3);
    add_row(cube, 1, "output", P(2023, 3), "甲", "", 45, 4);
    /* 乙: February missing */
    add_row(cube, 1, "output", P(2023, 1), "乙", "", 5, 5);
    add_row(cube, 1, "output", P(2023, 3), "乙", "", 20, 6);
    /* 丙: the year before ends at 100; January starts again from zero */
    add_row(cube, 1, "output", P(2022, 12), "丙", "", 100, 7);
    add_row(cube, 1, "output", P(2023, 1), "丙", "", 8, 8);
    add_row(cube, 1, "output", P(2023, 2), "丙", "", 8, 9); /* nothing in February */
    /* a flow source's rows are left alone */
    add_row(cube, 0, "output", P(2023, 2), "丁", "", 1000, 2);
    add_row(cube, 0, "output", P(2023, 3), "丁", "", 1000, 3);
    seal(cube);

    assert_int_equal(ps__cube_cumulative_to_flow(cube, 1), 0);

    assert_true(sum_of(cube, "output", P(2023, 1), P(2023, 1), NULL, 0, NULL) == 10 + 5 + 8);
    assert_true(sum_of(cube, "output", P(2023, 2), P(2023, 2), NULL, 0, NULL) == 15 + 0 + 1000);
    assert_true(sum_of(cube, "output", P(2023, 3), P(2023, 3), NULL, 0, NULL) == 20 + 15 + 1000);
    assert_true(sum_of(cube, "output", P(2022, 12), P(2022, 12), NULL, 0, NULL) == 100);
    /* so the year to date is again the latest cumulative figures */
    assert_true(sum_of(cube, "output", P(2023, 1), P(2023, 3), NULL, 0, NULL) ==
                45 + 20 + 8 + 2000);
}

/* Per series: tags make separate series too. */
static void cumulative_series_are_kept_apart_by_tags(void **state)
{
    ps__cube_t *cube = *state;
    add_row(cube, 2, "tax", P(2023, 1), "", "collector=国税", 100, 2);
    add_row(cube, 2, "tax", P(2023, 1), "", "collector=地税", 30, 3);
    add_row(cube, 2, "tax", P(2023, 2), "", "collector=国税", 180, 4);
    add_row(cube, 2, "tax", P(2023, 2), "", "collector=地税", 70, 5);
    seal(cube);
    assert_int_equal(ps__cube_cumulative_to_flow(cube, 2), 0);
    const filter_spec_t national[] = { { "collector", "国税" } };
    const filter_spec_t local[] = { { "collector", "地税" } };
    assert_true(sum_of(cube, "tax", P(2023, 2), P(2023, 2), national, 1, NULL) == 80);
    assert_true(sum_of(cube, "tax", P(2023, 2), P(2023, 2), local, 1, NULL) == 40);
}

/* After the conversion the rows are back in query order: sealing more rows
   meets them, and queries find them. */
static void cube_usable_after_cumulative_to_flow(void **state)
{
    ps__cube_t *cube = *state;
    for (int m = 1; m <= 12; m++)
        add_row(cube, 1, "output", P(2023, m), "甲", "", 10 * m, (uint32_t)m + 1);
    seal(cube);
    assert_int_equal(ps__cube_cumulative_to_flow(cube, 1), 0);
    add_row(cube, 1, "output", P(2023, 3), "甲", "", 0, 100);
    add_row(cube, 1, "output", P(2023, 12), "甲", "", 0, 101);
    seal(cube);
    assert_string_equal(faults, "dup 100/4 dup 101/13 ");
    assert_true(sum_of(cube, "output", P(2023, 12), P(2023, 12), NULL, 0, NULL) == 10);
    assert_int_equal(ps__cube_latest(cube, id_of(cube, "output"), P(2023, 12)), P(2023, 12));
}

/* ---- series ----------------------------------------------------------------- */

static int print_series(void *arg, const ps__cell_key_t *key, const ps_period_t *periods,
                        const int64_t *values, size_t n)
{
    ps__buf_t *b = arg;
    ps__buf_printf(b, "%u/%u:", key->entity, key->tags);
    for (size_t i = 0; i < n; i++)
        ps__buf_printf(b, " %d=%lld", ps_period_month(periods[i]), (long long)values[i]);
    ps__buf_puts(b, "; ");
    return 0;
}

/* Each series of the source once, by indicator, entity and tags, its months
   in order; rows without entity are no series; queries are unchanged. */
static void each_series_walks_months_in_order(void **state)
{
    ps__cube_t *cube = *state;
    uint32_t b = id_of(cube, "乙"), a = id_of(cube, "甲"); /* 乙 before 甲 */
    add_row(cube, 0, "fai", P(2023, 3), "甲", "", 3, 2);
    add_row(cube, 0, "fai", P(2023, 1), "乙", "", 10, 3);
    add_row(cube, 0, "fai", P(2023, 1), "甲", "", 1, 4);
    add_row(cube, 0, "fai", P(2023, 2), "", "", 99, 5);
    add_row(cube, 0, "fai", P(2023, 2), "甲", "", 2, 6);
    add_row(cube, 1, "fai", P(2023, 2), "甲", "", 7, 7); /* another source */
    seal(cube);
    ps__buf_t out = PS_BUF_INIT, want = PS_BUF_INIT;
    assert_int_equal(ps__cube_each_series(cube, 0, print_series, &out), 0);
    ps__buf_printf(&want, "%u/0: 1=10; %u/0: 1=1 2=2 3=3; ", b, a);
    assert_string_equal(ps__buf_str(&out), ps__buf_str(&want));
    assert_true(sum_of(cube, "fai", P(2023, 2), P(2023, 3), NULL, 0, NULL) == 99 + 2 + 3 + 7);
    ps__buf_free(&out);
    ps__buf_free(&want);
}

/* ---- month by month --------------------------------------------------------- */

/* The course of a measure is, month by month, the very query to that month. */
static void course_equals_a_query_per_month(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    add_row(cube, 0, "fai", P(2023, 6), "甲公司", "industry=新能源", -30, 9);
    add_row(cube, 0, "fai", P(2023, 6), "", "industry=新能源", 12, 10);
    seal(cube);
    const filter_spec_t spec[] = { { "industry", "新能源" } };
    for (size_t filtered = 0; filtered <= 1; filtered++) {
        ps__tag_pair_t pair = { id_of(cube, spec[0].tag), id_of(cube, spec[0].value) };
        ps__cube_query_t q = { .indicator = id_of(cube, "fai"), .from = P(2023, 1),
                               .to = P(2023, 12), .filters = &pair,
                               .n_filters = filtered };
        int64_t sums[PS_CUBE_MAX_COURSE], entities[PS_CUBE_MAX_COURSE];
        uint64_t rows[PS_CUBE_MAX_COURSE];
        assert_int_equal(ps__cube_sum_course(cube, &q, sums, rows), 0);
        assert_int_equal(ps__cube_entities_course(cube, &q, entities), 0);
        for (int m = 0; m < 12; m++) {
            ps__cube_query_t upto = q;
            upto.to = P(2023, 1) + m;
            int64_t sum, count;
            uint64_t r;
            assert_int_equal(ps__cube_sum(cube, &upto, &sum, &r), 0);
            assert_int_equal(ps__cube_count_entities(cube, &upto, &count), 0);
            assert_true(sums[m] == sum);
            assert_int_equal(rows[m], r);
            assert_true(entities[m] == count);
        }
        /* the figures themselves, unfiltered: 140 in January, 457 from March */
        if (!filtered)
            assert_true(sums[0] == 140 && sums[2] == 457 && sums[11] == 439 &&
                        entities[0] == 2 && entities[2] == 3);
    }
    ps__cube_query_t too_long = { .indicator = id_of(cube, "fai"), .from = P(2023, 1),
                                  .to = P(2024, 1) };
    int64_t out[PS_CUBE_MAX_COURSE + 1];
    uint64_t rows[PS_CUBE_MAX_COURSE + 1];
    assert_int_equal(ps__cube_sum_course(cube, &too_long, out, rows), PS_ERANGE);
}

/* ---- sealing ---------------------------------------------------------------- */

/* Every answer of the indicator's queries, as text. */
static void answers(ps__cube_t *cube, const char *indicator, char *out, size_t size)
{
    ps__tag_pair_t pair = { id_of(cube, "industry"), id_of(cube, "新能源") };
    ps__cube_query_t q = { .indicator = id_of(cube, indicator), .from = P(2022, 1),
                           .to = P(2023, 12) };
    int64_t sum, entities;
    uint64_t rows;
    ps__cube_group_t *groups;
    size_t n, len = 0;
    seal(cube);
    assert_int_equal(ps__cube_sum(cube, &q, &sum, &rows), 0);
    assert_int_equal(ps__cube_count_entities(cube, &q, &entities), 0);
    len += (size_t)snprintf(out + len, size - len, "%lld/%llu/%lld", (long long)sum,
                            (unsigned long long)rows, (long long)entities);
    assert_int_equal(ps__cube_breakdown(cube, &q, id_of(cube, "industry"), &groups, &n), 0);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, size - len, " %s=%lld",
                                ps__intern_str(ps__cube_strings(cube), groups[i].value),
                                (long long)groups[i].sum);
    free(groups);
    q.filters = &pair;
    q.n_filters = 1;
    assert_int_equal(ps__cube_sum(cube, &q, &sum, &rows), 0);
    snprintf(out + len, size - len, " 新能源=%lld", (long long)sum);
}

/* Rows added after a seal count once sealed, in a new series or beside the
   sealed rows of their family, and those of other families stay put. */
static void rows_added_after_a_seal_count(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    char before[256], added[256];
    answers(cube, "fai", before, sizeof before);
    /* rows without the tag fall in the group of "" */
    assert_string_equal(before, "1456/6/3 新能源=1349 装备制造=100 =7 新能源=1349");
    add_row(cube, 0, "fai", P(2023, 4), "丁公司", "industry=新能源", 1, 11);
    answers(cube, "fai", added, sizeof added);
    assert_string_equal(added, "1457/7/4 新能源=1350 装备制造=100 =7 新能源=1350");
    add_row(cube, 0, "fai", P(2023, 4), "乙公司", "industry=装备制造", 2, 12);
    add_row(cube, 0, "fai", P(2022, 1), "甲公司", "industry=新能源", 3, 13);
    answers(cube, "fai", added, sizeof added);
    assert_string_equal(added, "1462/9/4 新能源=1353 装备制造=102 =7 新能源=1353");
    assert_true(sum_of(cube, "tax", P(2023, 1), P(2023, 12), NULL, 0, NULL) == 5000);
}

/* Enough rows for two threads' sort, added month by month in one cube and
   in a scrambled order in another: every month of every indicator sums the
   same, by tag, and as computed. */
static void large_sort_in_any_order_keeps_every_month(void **state)
{
    enum { SERIES = 2000, MONTHS = 12, INDICATORS = 3, ROWS = SERIES * MONTHS * INDICATORS };
    static const char *const codes[INDICATORS] = { "fai", "output", "tax" };
    ps__cube_t *cubes[2] = { *state, ps__cube_new() };
    assert_non_null(cubes[1]);
    int64_t course[2][INDICATORS][MONTHS];
    for (int c = 0; c < 2; c++) {
        for (int i = 0; i < ROWS; i++) {
            int at = c ? (int)(((int64_t)i * 7919) % ROWS) : i; /* 7919 is prime */
            int e = at % SERIES, m = at / SERIES % MONTHS, k = at / SERIES / MONTHS;
            char entity[16], zone[16];
            snprintf(entity, sizeof entity, "e%d", e);
            snprintf(zone, sizeof zone, "zone=%d", e % 7);
            add_row(cubes[c], 0, codes[k], P(2022, 1) + m, entity, zone,
                    1000 * k + 10 * e + m, (uint32_t)at + 2);
        }
        seal(cubes[c]);
        const ps__tag_pair_t zone3 = { id_of(cubes[c], "zone"), id_of(cubes[c], "3") };
        for (int k = 0; k < INDICATORS; k++) {
            ps__cube_query_t q = { .indicator = id_of(cubes[c], codes[k]),
                                   .from = P(2022, 1), .to = P(2022, 1) + MONTHS - 1,
                                   .filters = &zone3, .n_filters = 1 };
            uint64_t rows[MONTHS];
            assert_int_equal(ps__cube_sum_course(cubes[c], &q, course[c][k], rows), 0);
            assert_int_equal(rows[MONTHS - 1], (SERIES + 3) / 7 * MONTHS);
        }
    }
    ps__cube_free(cubes[1]);
    assert_memory_equal(course[0], course[1], sizeof course[0]);
    assert_string_equal(faults, "");
    /* the year to date of zone 3 (entities 3, 10, ...) in indicator 2 */
    int64_t expected = 0;
    for (int e = 3; e < SERIES; e += 7)
        for (int m = 0; m < MONTHS; m++)
            expected += 2000 + 10 * e + m;
    assert_true(course[0][2][MONTHS - 1] == expected);
}

/* The heap sort for keys wider than 64 bits orders rows as the radix sort
   does, in both orders. */
static void wide_keys_sort_as_narrow_ones(void **state)
{
    (void)state;
    enum { N = 5000 };
    row_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    for (row_order_t order = BY_MONTH; order <= BY_SERIES; order++) {
        uint64_t x = 88172645463325252ULL; /* xorshift: the same rows each time */
        for (int i = 0; i < N; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            a[i] = (row_t){ .value = i, .entity = (uint32_t)(x % 97),
                            .tags = (uint32_t)(x >> 20) % 5,
                            .family_period = (uint32_t)(x >> 40) % 3 << PERIOD_BITS |
                                             (uint32_t)P(2023, 1 + (int)(x >> 50) % 12) };
        }
        memcpy(b, a, N * sizeof *a);
        sort_key_t key = ps__sort_key(a, 0, N, order);
        assert_true(key.fits);
        ps__sort_rows(a, N, &key);
        key.fits = 0;
        ps__sort_rows(b, N, &key);
        for (int i = 0; i < N; i++) { /* equal keys may come in either order */
            assert_int_equal(a[i].family_period, b[i].family_period);
            assert_int_equal(a[i].entity, b[i].entity);
            assert_int_equal(a[i].tags, b[i].tags);
        }
    }
    free(a);
    free(b);
}

/* A range's months are found by search in series with and without gaps,
   and none outside them. */
static void ranges_in_series_with_and_without_gaps(void **state)
{
    ps__cube_t *cube = *state;
    for (int m = 1; m <= 6; m++) /* fai: 2023-01 .. 2023-06, month m worth 1 << m */
        add_row(cube, 0, "fai", P(2023, m), "甲", "", 1 << m, (uint32_t)m + 1);
    for (int m = 1; m <= 6; m++) /* tax: the same without March */
        if (m != 3)
            add_row(cube, 0, "tax", P(2023, m), "甲", "", 1 << m, (uint32_t)m + 10);
    static const struct {
        ps_period_t from, to;
        int64_t fai, tax;
    } ranges[] = {
        { P(2022, 11), P(2023, 2), 2 + 4, 2 + 4 },
        { P(2023, 3), P(2023, 3), 8, 0 },
        { P(2023, 2), P(2023, 4), 4 + 8 + 16, 4 + 16 },
        { P(2023, 5), P(2023, 9), 32 + 64, 32 + 64 },
        { P(2022, 1), P(2022, 12), 0, 0 },
        { P(2023, 7), P(2023, 12), 0, 0 },
        { P(2023, 4), P(2023, 2), 0, 0 }, /* an empty range */
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        assert_true(sum_of(cube, "fai", ranges[i].from, ranges[i].to, NULL, 0, NULL) ==
                    ranges[i].fai);
        assert_true(sum_of(cube, "tax", ranges[i].from, ranges[i].to, NULL, 0, NULL) ==
                    ranges[i].tax);
    }
}

/* ---- merging a part --------------------------------------------------------- */

/* A part's rows join the cube's with their ids translated and their lines
   counted after the cube's; a part that gives an indicator another unit
   moves nothing. */
static void merged_rows_meet_the_cube_s(void **state)
{
    ps__cube_t *cube = *state, *part = ps__cube_new();
    assert_non_null(part);
    add_row(cube, 0, "fai", P(2023, 1), "甲", "industry=新能源", 10, 2);
    assert_int_equal(ps__cube_set_unit(cube, id_of(cube, "fai"), PS_UNIT_MONEY), 0);
    add_row(part, 0, "tax", P(2023, 1), "丙", "industry=装备制造", 5, 1); /* new strings */
    add_row(part, 0, "fai", P(2023, 1), "甲", "industry=新能源", 99, 3);
    assert_int_equal(ps__cube_set_unit(part, id_of(part, "fai"), "株"), 0);
    assert_int_equal(ps__cube_merge(cube, part, 1000), PS_EUNIT);
    assert_int_equal(ps__cube_rows(cube), 1);
    assert_int_equal(ps__cube_set_unit(part, id_of(part, "fai"), PS_UNIT_MONEY), 0);
    assert_int_equal(ps__cube_merge(cube, part, 1000), 0);
    assert_int_equal(ps__cube_rows(cube), 3);
    assert_int_equal(ps__cube_rows(part), 0);
    seal(cube);
    assert_string_equal(faults, "dup 1003/2 ");
    const filter_spec_t machines[] = { { "industry", "装备制造" } };
    assert_true(sum_of(cube, "tax", P(2023, 1), P(2023, 1), machines, 1, NULL) == 5);
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 1), NULL, 0, NULL) == 10);
    ps__cube_free(part);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sum_over_a_period_range, setup, teardown),
        cmocka_unit_test_setup_teardown(course_equals_a_query_per_month, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_added_after_a_seal_count, setup, teardown),
        cmocka_unit_test_setup_teardown(large_sort_in_any_order_keeps_every_month, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(wide_keys_sort_as_narrow_ones, setup, teardown),
        cmocka_unit_test_setup_teardown(merged_rows_meet_the_cube_s, setup, teardown),
        cmocka_unit_test_setup_teardown(ranges_in_series_with_and_without_gaps, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(sum_with_tag_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(breakdown_by_a_tag, setup, teardown),
        cmocka_unit_test_setup_teardown(breakdown_with_a_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(breakdown_of_nothing_is_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(a_stock_carried_forward_from_the_month_before, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(entities_that_entered_a_state, setup, teardown),
        cmocka_unit_test_setup_teardown(entities_in_a_state_every_month, setup, teardown),
        cmocka_unit_test_setup_teardown(distinct_entities, setup, teardown),
        cmocka_unit_test_setup_teardown(latest_period_up_to, setup, teardown),
        cmocka_unit_test_setup_teardown(max_period, setup, teardown),
        cmocka_unit_test_setup_teardown(tag_tuples_ignore_order, setup, teardown),
        cmocka_unit_test_setup_teardown(tables_grow_without_losing_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_without_entity_add_up, setup, teardown),
        cmocka_unit_test_setup_teardown(an_entity_with_many_series, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_rows_are_left_out_with_the_first_line,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(overflowing_row_left_out_in_line_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(overflowing_query_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(units_per_indicator, setup, teardown),
        cmocka_unit_test_setup_teardown(cumulative_rows_become_monthly_flows, setup, teardown),
        cmocka_unit_test_setup_teardown(cumulative_series_are_kept_apart_by_tags, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(cube_usable_after_cumulative_to_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(each_series_walks_months_in_order, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
