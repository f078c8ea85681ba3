/* Unit tests of time progress (序时进度) in core/report/report.h: every
   month of the year, rounded half up, and the status on both sides of the
   tolerance. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report/report.h"
#include "testutil.h"

#define P TU_PERIOD

/* An indicator at the end of `month` of 2023 with a target of 12 and a
   value of `twelfths` twelfths of it. */
static ps__ind_t ind_at(int month, int64_t twelfths)
{
    return (ps__ind_t){ .key = "x", .value = { twelfths * PS_SCALE, "个" },
                        .target = { 12 * PS_SCALE, "个" }, .asof = P(2023, month),
                        .rate_decimals = 2 };
}

/* months / 12 in hundredths of a per cent, half up: 66.67 for August, not
   66.66; every month is here, so that no rounding agrees by luck. */
static void progress_of_every_month(void **state)
{
    (void)state;
    static const int64_t want[12] = { 833, 1667, 2500, 3333, 4167, 5000,
                                      5833, 6667, 7500, 8333, 9167, 10000 };
    for (int month = 1; month <= 12; month++) {
        ps__ind_t ind = ind_at(month, month);
        int64_t progress, gap;
        print_message("month %d\n", month);
        assert_int_equal(ps__ind_progress(&ind, &progress, &gap), 0);
        assert_int_equal(progress, want[month - 1]);
        /* the completion rate is rounded on its own: 8/12 is 66.67% too */
        assert_int_equal(gap, 0);
    }
}

/* The gap is completion minus progress: 5/12 done at the end of August is
   41.67% against 66.67%. */
static void gap_is_completion_less_progress(void **state)
{
    (void)state;
    ps__ind_t ind = ind_at(8, 5);
    int64_t progress, gap;
    assert_int_equal(ps__ind_progress(&ind, &progress, &gap), 0);
    assert_int_equal(gap, 4167 - 6667);
    ind.stock = 1; /* a level to reach, not a sum that grows with the months */
    assert_int_equal(ps__ind_progress(&ind, &progress, &gap), -1);
    ind.stock = 0;
    ind.target = PS_VALUE_NONE;
    assert_int_equal(ps__ind_progress(&ind, &progress, &gap), -1);
}

/* Within the tolerance, a figure is on time progress: at the bound
   included, one hundredth of a point beyond it not. */
static void status_on_both_sides_of_the_tolerance(void **state)
{
    (void)state;
    ps__report_t r = { .progress_tolerance = 50 };
    assert_int_equal(ps__progress_status(&r, 50), 0);
    assert_int_equal(ps__progress_status(&r, 51), 1);
    assert_int_equal(ps__progress_status(&r, -50), 0);
    assert_int_equal(ps__progress_status(&r, -51), -1);
    r.progress_tolerance = 0;
    assert_int_equal(ps__progress_status(&r, 0), 0);
    assert_int_equal(ps__progress_status(&r, 1), 1);
    assert_int_equal(ps__progress_status(&r, -1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(progress_of_every_month),
        cmocka_unit_test(gap_is_completion_less_progress),
        cmocka_unit_test(status_on_both_sides_of_the_tolerance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
