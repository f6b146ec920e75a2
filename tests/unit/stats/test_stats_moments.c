/*
 * Mean and standard deviation: numpy's values (np.mean, np.std(ddof=1)),
 * non-finite values skipped, the degenerate counts, and the two-pass
 * accuracy on data far from 0.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/stats.h"

static void test_stats_mean_sd_match_numpy(void **state)
{
    (void)state;
    const double x[] = {3.7,  -1.25, 12.5, 0.1, 7.0,  7.0, 2.2, -4.8, 9.9,
                        1e-3, 5.5,   6.1,  0.7, 11.3, 4.4, 3.3, 8.8};
    double mean, sd;
    size_t count;
    ps_stats_mean_sd(x, 17, &mean, &sd, &count);
    assert_int_equal(count, 17);
    assert_true(fabs(mean - 4.497117647058824) < 1e-14);
    assert_true(fabs(sd - 4.709852437740923) < 1e-14);
}

static void test_stats_mean_sd_skip_values_that_are_not_finite(void **state)
{
    (void)state;
    const double x[] = {NAN, 1.0, INFINITY, 2.0, -INFINITY, 3.0, NAN};
    double mean, sd;
    size_t count;
    ps_stats_mean_sd(x, 7, &mean, &sd, &count);
    assert_int_equal(count, 3);
    assert_true(mean == 2.0);
    assert_true(sd == 1.0);
}

static void test_stats_mean_sd_of_too_few_values_are_nan(void **state)
{
    (void)state;
    const double one[] = {NAN, 5.0};
    double mean = 0, sd = 0;
    size_t count = 9;
    ps_stats_mean_sd(one, 2, &mean, &sd, &count);
    assert_int_equal(count, 1);
    assert_true(mean == 5.0);
    assert_true(isnan(sd));
    ps_stats_mean_sd(one, 1, &mean, &sd, &count);
    assert_int_equal(count, 0);
    assert_true(isnan(mean) && isnan(sd));
    ps_stats_mean_sd(NULL, 0, &mean, &sd, &count);
    assert_int_equal(count, 0);
    /* Outputs may be NULL. */
    ps_stats_mean_sd(one, 2, NULL, NULL, NULL);
}

static void test_stats_sd_is_accurate_far_from_zero(void **state)
{
    (void)state;
    /* GDP-sized values around 7e10 with sd 1: the one-pass formula
       sum(x^2) - n mean^2 loses every digit here; two passes keep them. */
    double x[1000];
    for (int i = 0; i < 1000; i++)
        x[i] = 7e10 + (i % 2 ? 1.0 : -1.0);
    double mean, sd;
    ps_stats_mean_sd(x, 1000, &mean, &sd, NULL);
    assert_true(mean == 7e10);
    assert_true(fabs(sd - sqrt(1000.0 / 999.0)) < 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_mean_sd_match_numpy),
        cmocka_unit_test(test_stats_mean_sd_skip_values_that_are_not_finite),
        cmocka_unit_test(test_stats_mean_sd_of_too_few_values_are_nan),
        cmocka_unit_test(test_stats_sd_is_accurate_far_from_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
