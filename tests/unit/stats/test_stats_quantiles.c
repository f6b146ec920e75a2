/*
 * Type-7 quantiles against numpy 1.24's np.quantile (default method
 * "linear", the same definition as R's quantile(type = 7)): bit for bit,
 * including values whose interpolation is sensitive to rounding.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/stats.h"

static const double probs[] = {0.0, 0.01, 0.05, 0.1,  0.25, 1.0 / 3.0,
                               0.5, 0.75, 0.9,  0.95, 0.99, 1.0};
#define NP (sizeof probs / sizeof probs[0])

static void assert_same(const double *got, const double *want)
{
    for (size_t i = 0; i < NP; i++)
        if (got[i] != want[i])
            fail_msg("p = %.17g: got %.17g, numpy %.17g", probs[i], got[i],
                     want[i]);
}

static void test_stats_quantiles_match_numpy(void **state)
{
    (void)state;
    /* The numpy vector, with values that are not finite mixed in: they
       are left out, as np.quantile of the finite values. */
    const double x[] = {3.7, NAN,  -1.25, 12.5, 0.1, 7.0,      7.0,
                        2.2, -4.8, 9.9,   1e-3, 5.5, INFINITY, 6.1,
                        0.7, 11.3, 4.4,   3.3,  8.8, -INFINITY};
    const double numpy[NP] = {-4.8,   -4.232,
                              -1.96,  -0.49939999999999984,
                              0.7,    2.5666666666666664,
                              4.4,    7.0,
                              10.46,  11.54,
                              12.308, 12.5};
    double scratch[20], out[NP];
    assert_int_equal(ps_stats_quantiles(x, 20, probs, NP, out, scratch), 17);
    assert_same(out, numpy);
}

static void test_stats_quantiles_round_like_numpy(void **state)
{
    (void)state;
    /* 0.1 * i is inexact in binary: numpy's answers carry the rounding of
       its interpolation, which ours must reproduce. */
    double x[10];
    for (int i = 0; i < 10; i++)
        x[9 - i] = 0.1 * (i + 1); /* unsorted on purpose */
    const double numpy[NP] = {0.1,
                              0.109,
                              0.14500000000000002,
                              0.19,
                              0.32500000000000007,
                              0.4,
                              0.55,
                              0.775,
                              0.91,
                              0.9549999999999998,
                              0.991,
                              1.0};
    double scratch[10], out[NP];
    assert_int_equal(ps_stats_quantiles(x, 10, probs, NP, out, scratch), 10);
    assert_same(out, numpy);
}

static void test_stats_quantiles_of_no_finite_values_are_nan(void **state)
{
    (void)state;
    const double x[] = {NAN, INFINITY};
    const double p[] = {0.5};
    double scratch[2], out[1] = {0};
    assert_int_equal(ps_stats_quantiles(x, 2, p, 1, out, scratch), 0);
    assert_true(isnan(out[0]));
    assert_int_equal(ps_stats_quantiles(NULL, 0, p, 1, out, scratch), 0);
    assert_true(isnan(out[0]));
}

static void
test_stats_quantiles_of_one_value_and_bad_probabilities(void **state)
{
    (void)state;
    const double x[] = {42.0};
    const double p[] = {0.0, 0.3, 1.0, -0.1, 1.5, NAN};
    double scratch[1], out[6];
    assert_int_equal(ps_stats_quantiles(x, 1, p, 6, out, scratch), 1);
    assert_true(out[0] == 42.0 && out[1] == 42.0 && out[2] == 42.0);
    assert_true(isnan(out[3]) && isnan(out[4]) && isnan(out[5]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_quantiles_match_numpy),
        cmocka_unit_test(test_stats_quantiles_round_like_numpy),
        cmocka_unit_test(test_stats_quantiles_of_no_finite_values_are_nan),
        cmocka_unit_test(
            test_stats_quantiles_of_one_value_and_bad_probabilities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
