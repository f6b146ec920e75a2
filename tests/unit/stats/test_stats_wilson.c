/*
 * Wilson score intervals against published values: 8 of 10 at 95 %
 * ([0.490, 0.943]), and the examples of R. G. Newcombe, "Two-sided
 * confidence intervals for the single proportion: comparison of seven
 * methods", Statistics in Medicine 17, 857-872 (1998), method 3 (score
 * interval without continuity correction), given to four decimals.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/stats.h"

static void expect(size_t hits, size_t n, double level, double lo, double hi,
                   double tol)
{
    double l, h;
    ps_stats_wilson(hits, n, level, &l, &h);
    if (!(fabs(l - lo) <= tol && fabs(h - hi) <= tol))
        fail_msg("%zu/%zu at %g: got [%.6f, %.6f], want [%.4f, %.4f]", hits, n,
                 level, l, h, lo, hi);
}

static void test_stats_wilson_matches_published_intervals(void **state)
{
    (void)state;
    expect(8, 10, 0.95, 0.490, 0.943, 5e-4);
    expect(81, 263, 0.95, 0.2553, 0.3662, 5e-5);
    expect(15, 148, 0.95, 0.0624, 0.1605, 5e-5);
    expect(0, 20, 0.95, 0.0, 0.1611, 5e-5);
    expect(1, 29, 0.95, 0.0061, 0.1718, 5e-5);
}

static void test_stats_wilson_widens_with_the_level(void **state)
{
    (void)state;
    /* 8/10 at 99 %: z = 2.5758, [0.4008, 0.9599] by the formula. */
    expect(8, 10, 0.99, 0.4008, 0.9599, 5e-5);
}

static void test_stats_wilson_stays_inside_0_1(void **state)
{
    (void)state;
    double lo, hi;
    ps_stats_wilson(0, 1000000, 0.95, &lo, &hi);
    assert_true(lo == 0.0 && hi > 0.0 && hi < 1e-5);
    ps_stats_wilson(29, 29, 0.95, &lo, &hi);
    assert_true(hi == 1.0 && fabs(lo - 0.8830) < 5e-5);
}

static void test_stats_wilson_degenerate_inputs(void **state)
{
    (void)state;
    double lo, hi;
    ps_stats_wilson(0, 0, 0.95, &lo, &hi);
    assert_true(lo == 0.0 && hi == 1.0);
    ps_stats_wilson(11, 10, 0.95, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
    ps_stats_wilson(5, 10, 1.0, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
    ps_stats_wilson(5, 10, 0.95, NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_wilson_matches_published_intervals),
        cmocka_unit_test(test_stats_wilson_widens_with_the_level),
        cmocka_unit_test(test_stats_wilson_stays_inside_0_1),
        cmocka_unit_test(test_stats_wilson_degenerate_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
