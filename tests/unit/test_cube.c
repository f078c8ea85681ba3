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
#include "cube/cube_impl.h" /* whether a merge compacted the cube */
#include "testutil.h"

#define P TU_PERIOD

static int setup(void **state)
{
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

/* Adds one row; returns the line of the key's first row (0 when new). */
static uint32_t add_row(ps__cube_t *cube, uint32_t source, const char *indicator,
                        ps_period_t period, const char *entity, const char *tags,
                        int64_t value, uint32_t line)
{
    ps__cell_key_t key = { .indicator = id_of(cube, indicator),
                           .entity = id_of(cube, entity), .tags = tags_of(cube, tags),
                           .period = period, .source = source };
    uint32_t first = 99999;
    int rc = ps__cube_add(cube, &key, value, line, &first);
    assert_int_equal(rc, first && key.entity ? PS_EEXISTS : 0);
    return first;
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

/* Many tuples and many cells: ids and sums survive the tables' growth. */
static void tables_grow_without_losing_keys(void **state)
{
    ps__cube_t *cube = *state;
    enum { TUPLES = 3000, MONTHS = 24 }; /* the series slot table grows three times */
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
            uint32_t first;
            assert_int_equal(ps__cube_add(cube, &key, t + m, 1, &first), 0);
            assert_int_equal(first, 0);
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

/* A key seen before reports the line of its first row, so that the ledger
   reader can name it; an entity's second row is refused and not summed (a
   skipped row must not count). */
static void duplicate_key_reports_first_line(void **state)
{
    ps__cube_t *cube = *state;
    assert_int_equal(add_row(cube, 0, "fai", P(2023, 1), "甲公司", "industry=新能源", 10, 7), 0);
    assert_int_equal(add_row(cube, 0, "fai", P(2023, 1), "甲公司", "industry=新能源", 5, 12), 7);
    assert_int_equal(add_row(cube, 0, "fai", P(2023, 1), "甲公司", "industry=新能源", 1, 20), 7);
    /* any difference in the key makes another cell */
    assert_int_equal(add_row(cube, 0, "fai", P(2023, 2), "甲公司", "industry=新能源", 1, 21), 0);
    assert_int_equal(add_row(cube, 0, "fai", P(2023, 1), "乙公司", "industry=新能源", 1, 22), 0);
    assert_int_equal(add_row(cube, 0, "fai", P(2023, 1), "甲公司", "industry=装备制造", 1, 23), 0);
    assert_int_equal(add_row(cube, 1, "fai", P(2023, 1), "甲公司", "industry=新能源", 1, 24), 0);
    assert_int_equal(add_row(cube, 0, "tax", P(2023, 1), "甲公司", "industry=新能源", 1, 25), 0);
    uint64_t rows;
    const filter_spec_t energy[] = { { "industry", "新能源" } };
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 1), energy, 1, &rows) == 12);
    assert_int_equal(rows, 3);
}

/* An entity with more series than its list holds (the rest go to the slot
   table), its rows in an order no prediction follows, beside another
   entity: every cell is found again, and a second row of any of them is
   refused with the line of the first. */
static void an_entity_with_many_series(void **state)
{
    ps__cube_t *cube = *state;
    /* 75 series an entity: more than twice ENTITY_LIST_MAX */
    enum { TAGS = 150, MONTHS = 3 };
    char spec[32];
    for (int round = 0; round < 2; round++)
        for (int m = 0; m < MONTHS; m++)
            for (int i = 0; i < TAGS; i++) {
                int t = (i * 37 + m * 11) % TAGS; /* a scrambled order */
                snprintf(spec, sizeof spec, "park=%d", t);
                uint32_t line = (uint32_t)(1000 * (m + 1) + t);
                const char *entity = t % 2 ? "甲公司" : "乙公司";
                uint32_t first = add_row(cube, 0, "fai", P(2023, 1) + m, entity, spec,
                                         t + 1, round ? line + 500 : line);
                assert_int_equal(first, round ? line : 0);
            }
    uint64_t rows;
    /* each month: 1 + 2 + ... + TAGS */
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), NULL, 0, &rows) ==
                MONTHS * TAGS * (TAGS + 1) / 2);
    assert_int_equal(rows, MONTHS * TAGS);
    const filter_spec_t park[] = { { "park", "77" } };
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 3), park, 1, NULL) == MONTHS * 78);
}

/* Rows without an entity (already aggregated) add up in one cell. */
static void rows_without_entity_add_up(void **state)
{
    ps__cube_t *cube = *state;
    assert_int_equal(add_row(cube, 0, "fai", P(2023, 1), "", "", 10, 2), 0);
    assert_int_equal(add_row(cube, 0, "fai", P(2023, 1), "", "", 5, 3), 0);
    uint64_t rows;
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 1), NULL, 0, &rows) == 15);
    assert_int_equal(rows, 2);
}

static void overflow_refused_and_sum_unchanged(void **state)
{
    ps__cube_t *cube = *state;
    ps__cell_key_t key = { .indicator = id_of(cube, "fai"), .period = P(2023, 1) };
    uint32_t first;
    assert_int_equal(ps__cube_add(cube, &key, INT64_MAX - 5, 2, &first), 0);
    assert_int_equal(ps__cube_add(cube, &key, 10, 3, &first), PS_EOVERFLOW);
    assert_int_equal(ps__cube_add(cube, &key, 5, 4, &first), 0);
    assert_int_equal(first, 0); /* rows without entity keep no line */
    uint64_t rows;
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 1), NULL, 0, &rows) == INT64_MAX);
    assert_int_equal(rows, 2); /* the refused row is not counted */
}

/* Two cells that fit alone but not together: the sum query refuses. */
static void overflowing_query_refused(void **state)
{
    ps__cube_t *cube = *state;
    add_row(cube, 0, "fai", P(2023, 1), "", "", INT64_MAX - 5, 2);
    add_row(cube, 0, "fai", P(2023, 2), "", "", 10, 3);
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
    assert_int_equal(ps__cube_cumulative_to_flow(cube, 2), 0);
    const filter_spec_t national[] = { { "collector", "国税" } };
    const filter_spec_t local[] = { { "collector", "地税" } };
    assert_true(sum_of(cube, "tax", P(2023, 2), P(2023, 2), national, 1, NULL) == 80);
    assert_true(sum_of(cube, "tax", P(2023, 2), P(2023, 2), local, 1, NULL) == 40);
}

/* After the conversion the cube still finds its keys. */
static void cube_usable_after_cumulative_to_flow(void **state)
{
    ps__cube_t *cube = *state;
    for (int m = 1; m <= 12; m++)
        add_row(cube, 1, "output", P(2023, m), "甲", "", 10 * m, (uint32_t)m + 1);
    assert_int_equal(ps__cube_cumulative_to_flow(cube, 1), 0);
    for (int m = 1; m <= 12; m++)
        assert_int_equal(add_row(cube, 1, "output", P(2023, m), "甲", "", 0, 100),
                         (uint32_t)m + 1);
    assert_true(sum_of(cube, "output", P(2023, 12), P(2023, 12), NULL, 0, NULL) == 10);
    assert_int_equal(ps__cube_latest(cube, id_of(cube, "output"), P(2023, 12)), P(2023, 12));
}

/* ---- month by month --------------------------------------------------------- */

/* The course of a measure is, month by month, the very query to that month. */
static void course_equals_a_query_per_month(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    add_row(cube, 0, "fai", P(2023, 6), "甲公司", "industry=新能源", -30, 9);
    add_row(cube, 0, "fai", P(2023, 6), "", "industry=新能源", 12, 10);
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

/* ---- compaction ------------------------------------------------------------ */

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

/* Queries give the same answers from a compacted cube, and rows added
   after the compaction count, to a new series or to one in the arena. */
static void compaction_changes_no_answer(void **state)
{
    ps__cube_t *cube = *state;
    fill_investment(cube);
    char before[256], after[256], added[256];
    answers(cube, "fai", before, sizeof before);
    ps__cube_compact(cube);
    answers(cube, "fai", after, sizeof after);
    assert_string_equal(before, after);
    /* rows without the tag fall in the group of "" */
    assert_string_equal(after, "1456/6/3 新能源=1349 装备制造=100 =7 新能源=1349");
    add_row(cube, 0, "fai", P(2023, 4), "丁公司", "industry=新能源", 1, 11);
    answers(cube, "fai", added, sizeof added);
    assert_string_equal(added, "1457/7/4 新能源=1350 装备制造=100 =7 新能源=1350");
    /* a month more for series whose months lie packed in the arena */
    add_row(cube, 0, "fai", P(2023, 4), "乙公司", "industry=装备制造", 2, 12);
    add_row(cube, 0, "fai", P(2023, 4), "甲公司", "industry=新能源", 3, 13);
    answers(cube, "fai", added, sizeof added);
    assert_string_equal(added, "1462/9/4 新能源=1353 装备制造=102 =7 新能源=1353");
}

/* A series without gaps finds a range's months from their periods, one
   with gaps by searching: both give each range its months, and none
   outside the series. */
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

/* A compaction large enough for two threads: each indicator's every month
   is where it was, by sums per month and per tag. */
static void large_compaction_keeps_every_month(void **state)
{
    ps__cube_t *cube = *state;
    enum { SERIES = 2000, MONTHS = 12, INDICATORS = 3 };
    assert_true((size_t)SERIES * MONTHS * INDICATORS > PS_CUBE_COMPACT_SPLIT);
    static const char *const codes[INDICATORS] = { "fai", "output", "tax" };
    uint32_t zone[7];
    for (int z = 0; z < 7; z++) {
        char spec[32];
        snprintf(spec, sizeof spec, "zone=%d", z);
        zone[z] = tags_of(cube, spec);
    }
    for (int k = 0; k < INDICATORS; k++)
        for (int m = 0; m < MONTHS; m++) /* month by month, as ledgers come */
            for (int e = 0; e < SERIES; e++) {
                char entity[16];
                snprintf(entity, sizeof entity, "e%d", e);
                ps__cell_key_t key = { .indicator = id_of(cube, codes[k]),
                                       .entity = id_of(cube, entity),
                                       .tags = zone[e % 7], .period = P(2022, 1) + m };
                uint32_t first;
                assert_int_equal(ps__cube_add(cube, &key, 1000 * k + 10 * e + m, 1,
                                              &first), 0);
            }
    int64_t before[INDICATORS][MONTHS], after[INDICATORS][MONTHS];
    uint64_t rows[MONTHS];
    const ps__tag_pair_t zone3 = { id_of(cube, "zone"), id_of(cube, "3") };
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            ps__cube_compact(cube);
        for (int k = 0; k < INDICATORS; k++) {
            ps__cube_query_t q = { .indicator = id_of(cube, codes[k]), .from = P(2022, 1),
                                   .to = P(2022, 1) + MONTHS - 1, .filters = &zone3,
                                   .n_filters = 1 };
            assert_int_equal(ps__cube_sum_course(cube, &q, pass ? after[k] : before[k],
                                                 rows), 0);
            assert_int_equal(rows[MONTHS - 1], (SERIES + 3) / 7 * MONTHS);
        }
    }
    assert_memory_equal(before, after, sizeof before);
    /* the year to date of zone 3 (entities 3, 10, ...) in indicator 2 */
    int64_t expected = 0;
    for (int e = 3; e < SERIES; e += 7)
        for (int m = 0; m < MONTHS; m++)
            expected += 2000 + 10 * e + m;
    assert_true(after[2][MONTHS - 1] == expected);
}

/* Rows of fai for entities 甲, 乙, 丙 over `months` months from `first`,
   worth 100 * entity + month index, on lines from `line` on. */
static void add_months_of_three(ps__cube_t *cube, ps_period_t first, int months,
                                uint32_t line)
{
    static const char *const entities[] = { "甲", "乙", "丙" };
    for (int m = 0; m < months; m++)
        for (int e = 0; e < 3; e++)
            add_row(cube, 0, "fai", first + m, entities[e], "", 100 * e + m, line++);
}

/* A merge that brings fewer than a quarter of the cube's months appends
   them where the series lie, without compacting; one that brings more
   compacts. The answers and the lines of the rows are the same either way. */
static void few_merged_months_are_appended_many_compacted(void **state)
{
    ps__cube_t *cube = *state;
    add_months_of_three(cube, P(2023, 1), 12, 2); /* 36 months */
    ps__cube_compact(cube);
    ps__cube_t *few = ps__cube_new(), *many = ps__cube_new();
    assert_non_null(few);
    assert_non_null(many);
    add_months_of_three(few, P(2024, 1), 1, 2); /* 3 months: appended */
    add_months_of_three(many, P(2024, 2), 11, 2); /* 33: compacted */
    assert_int_equal(ps__cube_merge(cube, few, 1000), 0);
    assert_false(cube->compact);
    assert_true(sum_of(cube, "fai", P(2024, 1), P(2024, 1), NULL, 0, NULL) == 300);
    assert_int_equal(ps__cube_merge(cube, many, 2000), 0);
    assert_true(cube->compact);
    /* 2023: 12 months of each entity, 2024: 12 more (month index from 0) */
    int64_t year = 3 * (0 + 11) * 12 / 2 + 12 * (0 + 100 + 200);
    assert_true(sum_of(cube, "fai", P(2023, 1), P(2023, 12), NULL, 0, NULL) == year);
    int64_t year2024 = 300 + (3 * (0 + 10) * 11 / 2 + 11 * 300);
    assert_true(sum_of(cube, "fai", P(2024, 1), P(2024, 12), NULL, 0, NULL) == year2024);
    /* 乙 in 2024-01 was line 3 of its part, 1000 lines in; 丙 in 2024-12
       line 2 + 10 * 3 + 2 of its own, 2000 in */
    assert_int_equal(add_row(cube, 0, "fai", P(2024, 1), "乙", "", 1, 9), 1003);
    assert_int_equal(add_row(cube, 0, "fai", P(2024, 12), "丙", "", 1, 9), 2034);
    ps__cube_free(few);
    ps__cube_free(many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sum_over_a_period_range, setup, teardown),
        cmocka_unit_test_setup_teardown(course_equals_a_query_per_month, setup, teardown),
        cmocka_unit_test_setup_teardown(compaction_changes_no_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(large_compaction_keeps_every_month, setup, teardown),
        cmocka_unit_test_setup_teardown(few_merged_months_are_appended_many_compacted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(ranges_in_series_with_and_without_gaps, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(sum_with_tag_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(breakdown_by_a_tag, setup, teardown),
        cmocka_unit_test_setup_teardown(breakdown_with_a_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(breakdown_of_nothing_is_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(distinct_entities, setup, teardown),
        cmocka_unit_test_setup_teardown(latest_period_up_to, setup, teardown),
        cmocka_unit_test_setup_teardown(max_period, setup, teardown),
        cmocka_unit_test_setup_teardown(tag_tuples_ignore_order, setup, teardown),
        cmocka_unit_test_setup_teardown(tables_grow_without_losing_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_without_entity_add_up, setup, teardown),
        cmocka_unit_test_setup_teardown(an_entity_with_many_series, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_key_reports_first_line, setup, teardown),
        cmocka_unit_test_setup_teardown(overflow_refused_and_sum_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(overflowing_query_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(units_per_indicator, setup, teardown),
        cmocka_unit_test_setup_teardown(cumulative_rows_become_monthly_flows, setup, teardown),
        cmocka_unit_test_setup_teardown(cumulative_series_are_kept_apart_by_tags, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(cube_usable_after_cumulative_to_flow, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
