/*
 * Goodness of fit: values worked out by hand for small vectors, the
 * identity U^M + U^S + U^C = 1, and every edge case fit.h documents (no
 * data, one point, observed zeros, a perfect fit, a constant series,
 * values that are not finite).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/fit.h"

#define assert_close(got, want, tol)                                           \
    assert_true(fabs((got) - (want)) <= (tol))

static void test_fit_compute_matches_hand_values(void **state)
{
    (void)state;
    /* S = (2, 4, 6), A = (1, 4, 5): D = (1, 0, 1), MSE = 2/3.
       Percent errors 1, 0, 1/5: MAPE = 1.2/3, RMSPE = sqrt(1.04/3).
       Means 4 and 10/3: U^M = (2/3)^2 / (2/3) = 2/3.
       s_S^2 = 8/3, s_A^2 = 26/9, cov = 8/3, so
       U^S = (3/2)(sqrt(8/3) - sqrt(26)/3)^2 = 25/3 - sqrt(208/3) and
       U^C = 3 (s_S s_A - cov) = sqrt(208/3) - 8.
       U = sqrt(2/3) / (sqrt(56/3) + sqrt(42/3)). */
    const double s[] = {2, 4, 6}, a[] = {1, 4, 5};
    ps_fit f;
    ps_fit_compute(s, a, 3, &f);
    assert_int_equal(f.n, 3);
    assert_int_equal(f.n_percent, 3);
    assert_int_equal(f.zero_observed, 0);
    assert_int_equal(f.flags, 0);
    assert_close(f.mse, 2.0 / 3.0, 1e-15);
    assert_close(f.mape, 0.4, 1e-15);
    assert_close(f.rmspe, sqrt(1.04 / 3.0), 1e-15);
    assert_close(f.theil_u, sqrt(2.0 / 3.0) / (sqrt(56.0 / 3) + sqrt(14.0)),
                 1e-15);
    assert_close(f.mean_sim, 4.0, 1e-15);
    assert_close(f.mean_obs, 10.0 / 3.0, 1e-15);
    assert_close(f.sd_sim, sqrt(8.0 / 3.0), 1e-15);
    assert_close(f.sd_obs, sqrt(26.0) / 3.0, 1e-15);
    assert_close(f.r, (8.0 / 3.0) / (sqrt(8.0 / 3.0) * sqrt(26.0) / 3.0),
                 1e-15);
    assert_close(f.um, 2.0 / 3.0, 1e-14);
    assert_close(f.us, 25.0 / 3.0 - sqrt(208.0 / 3.0), 1e-14);
    assert_close(f.uc, sqrt(208.0 / 3.0) - 8.0, 1e-14);
}

static void test_fit_compute_splits_error_by_its_cause(void **state)
{
    (void)state;
    const double a[] = {1, 2, 3};
    ps_fit f;

    /* A constant offset is all bias. */
    const double offset[] = {2, 3, 4};
    ps_fit_compute(offset, a, 3, &f);
    assert_close(f.um, 1.0, 1e-15);
    assert_close(f.us, 0.0, 1e-15);
    assert_close(f.uc, 0.0, 1e-15);
    assert_close(f.r, 1.0, 1e-15);

    /* The same values in the wrong order: same mean, same spread, all
       covariation; MSE = (4 + 0 + 4) / 3. */
    const double reversed[] = {3, 2, 1};
    ps_fit_compute(reversed, a, 3, &f);
    assert_close(f.mse, 8.0 / 3.0, 1e-15);
    assert_close(f.um, 0.0, 1e-15);
    assert_close(f.us, 0.0, 1e-15);
    assert_close(f.uc, 1.0, 1e-15);
    assert_close(f.r, -1.0, 1e-15);

    /* Twice the data: MSE = mean(A^2) = 14/3, bias 2^2, spread
       (2 s_A - s_A)^2 = 2/3, perfectly correlated. */
    const double doubled[] = {2, 4, 6};
    ps_fit_compute(doubled, a, 3, &f);
    assert_close(f.mse, 14.0 / 3.0, 1e-15);
    assert_close(f.um, 6.0 / 7.0, 1e-15);
    assert_close(f.us, 1.0 / 7.0, 1e-15);
    assert_close(f.uc, 0.0, 1e-15);
    assert_close(f.mape, 1.0, 1e-15);
}

/* A deterministic stream of numbers in [0, 1) (no global state). */
static double next_uniform(uint64_t *x)
{
    *x = *x * 6364136223846793005u + 1442695040888963407u;
    return (double)(*x >> 11) / 9007199254740992.0;
}

static void test_fit_components_sum_to_one(void **state)
{
    (void)state;
    enum { N = 40 };
    double s[N], a[N];
    uint64_t x = 12345;
    const double levels[] = {0.0, 1.0, 1e3, 7e10};
    for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
        for (int trial = 0; trial < 25; trial++) {
            double bias = next_uniform(&x) - 0.5;
            double gain = 0.5 + next_uniform(&x);
            for (int i = 0; i < N; i++) {
                a[i] = levels[l] + 10 * next_uniform(&x) + 0.3 * i;
                s[i] = levels[l] + bias +
                       gain * (a[i] - levels[l]) + next_uniform(&x) - 0.5;
            }
            ps_fit f;
            ps_fit_compute(s, a, N, &f);
            assert_int_equal(f.n, N);
            assert_true(f.um >= 0 && f.us >= 0 && f.uc >= 0);
            assert_close(f.um + f.us + f.uc, 1.0, 1e-9);
            assert_true(f.theil_u >= 0 && f.theil_u <= 1);
        }
    }
}

static void test_fit_is_accurate_far_from_zero(void **state)
{
    (void)state;
    /* An offset of 1 on values near 1e9: a one-pass formula loses it. */
    const double a[] = {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 5};
    const double s[] = {1e9 + 2, 1e9 + 3, 1e9 + 4, 1e9 + 6};
    ps_fit f;
    ps_fit_compute(s, a, 4, &f);
    assert_true(f.mse == 1.0);
    assert_true(f.um == 1.0);
    assert_true(f.us == 0.0);
    assert_true(f.uc == 0.0);
}

static void test_fit_without_pairs_is_nan_with_a_reason(void **state)
{
    (void)state;
    const double s[] = {1, 2}, a[] = {NAN, NAN};
    ps_fit f;
    ps_fit_compute(s, a, 2, &f);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.flags, PS_FIT_NO_DATA);
    assert_true(isnan(f.mape) && isnan(f.rmspe) && isnan(f.mse));
    assert_true(isnan(f.theil_u) && isnan(f.um) && isnan(f.us) &&
                isnan(f.uc));
    assert_true(isnan(f.mean_sim) && isnan(f.r));
    ps_fit_compute(NULL, NULL, 0, &f);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.flags, PS_FIT_NO_DATA);
    ps_fit_compute(NULL, a, 2, &f); /* a missing array counts as none */
    assert_int_equal(f.flags, PS_FIT_NO_DATA);
}

static void test_fit_of_one_point_has_no_decomposition(void **state)
{
    (void)state;
    const double s[] = {110, 5, 7}, a[] = {100, NAN, NAN};
    ps_fit f;
    ps_fit_compute(s, a, 3, &f);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.flags, PS_FIT_ONE_POINT);
    assert_close(f.mape, 0.1, 1e-15);
    assert_close(f.rmspe, 0.1, 1e-15);
    assert_close(f.mse, 100.0, 1e-12);
    assert_close(f.theil_u, 10.0 / 210.0, 1e-15);
    assert_true(isnan(f.um) && isnan(f.us) && isnan(f.uc) && isnan(f.r));
}

static void test_fit_leaves_observed_zeros_out_of_percent_errors(void **state)
{
    (void)state;
    /* Percent errors of the pairs with A != 0: |2-1|/1 and |3-2|/2. */
    const double s[] = {1, 2, 3}, a[] = {0, 1, 2};
    ps_fit f;
    ps_fit_compute(s, a, 3, &f);
    assert_int_equal(f.n, 3);
    assert_int_equal(f.n_percent, 2);
    assert_int_equal(f.zero_observed, 1);
    assert_int_equal(f.flags, PS_FIT_ZERO_OBSERVED);
    assert_close(f.mape, 0.75, 1e-15);
    assert_close(f.rmspe, sqrt(1.25 / 2), 1e-15);
    /* The zero still counts in everything else: MSE = 1. */
    assert_close(f.mse, 1.0, 1e-15);
    assert_close(f.um, 1.0, 1e-15);
}

static void test_fit_with_all_observed_zero_has_no_percent_error(void **state)
{
    (void)state;
    /* A constant too: U^M = 1.5^2 / 2.5, U^S = 0.5^2 / 2.5, U^C = 0. */
    const double s[] = {1, 2}, a[] = {0, 0};
    ps_fit f;
    ps_fit_compute(s, a, 2, &f);
    assert_int_equal(f.zero_observed, 2);
    assert_int_equal(f.n_percent, 0);
    assert_int_equal(f.flags, PS_FIT_ALL_ZERO_OBSERVED | PS_FIT_CONSTANT);
    assert_true(isnan(f.mape) && isnan(f.rmspe));
    assert_close(f.mse, 2.5, 1e-15);
    assert_close(f.theil_u, 1.0, 1e-15);
    assert_close(f.um, 0.9, 1e-15);
    assert_close(f.us, 0.1, 1e-15);
    assert_true(f.uc == 0.0);
    assert_true(isnan(f.r));
}

static void test_fit_of_a_constant_series_puts_nothing_in_covariation(
    void **state)
{
    (void)state;
    /* s_S = 0, s_A^2 = 2/3 = MSE, equal means: all unequal variation. */
    const double s[] = {2, 2, 2}, a[] = {1, 2, 3};
    ps_fit f;
    ps_fit_compute(s, a, 3, &f);
    assert_int_equal(f.flags, PS_FIT_CONSTANT);
    assert_true(isnan(f.r));
    assert_close(f.um, 0.0, 1e-15);
    assert_close(f.us, 1.0, 1e-15);
    assert_true(f.uc == 0.0);
}

static void test_fit_of_a_perfect_match_is_zero_error(void **state)
{
    (void)state;
    const double a[] = {1, 2, 3};
    ps_fit f;
    ps_fit_compute(a, a, 3, &f);
    assert_int_equal(f.flags, PS_FIT_PERFECT);
    assert_true(f.mse == 0 && f.mape == 0 && f.rmspe == 0 && f.theil_u == 0);
    assert_true(isnan(f.um) && isnan(f.us) && isnan(f.uc));
    assert_close(f.r, 1.0, 1e-15);

    /* All zeros: U reads 0 / 0 but a perfect fit is 0. */
    const double z[] = {0, 0};
    ps_fit_compute(z, z, 2, &f);
    assert_int_equal(f.flags, PS_FIT_PERFECT | PS_FIT_ALL_ZERO_OBSERVED |
                                  PS_FIT_CONSTANT);
    assert_true(f.theil_u == 0);
    assert_true(isnan(f.mape));
}

static void test_fit_skips_pairs_that_are_not_finite(void **state)
{
    (void)state;
    /* Only (2, 1), (4, 4) and (6, 5) are usable: the first case again. */
    const double s[] = {INFINITY, 2, 4, NAN, 6, 1};
    const double a[] = {1, 1, 4, 2, 5, -INFINITY};
    ps_fit f;
    ps_fit_compute(s, a, 6, &f);
    assert_int_equal(f.n, 3);
    assert_close(f.mape, 0.4, 1e-15);
    assert_close(f.um, 2.0 / 3.0, 1e-14);
}

static void test_fit_flag_text_explains_every_flag(void **state)
{
    (void)state;
    const unsigned flags[] = {PS_FIT_NO_DATA,        PS_FIT_ONE_POINT,
                              PS_FIT_ZERO_OBSERVED,  PS_FIT_ALL_ZERO_OBSERVED,
                              PS_FIT_PERFECT,        PS_FIT_CONSTANT};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        const char *t = ps_fit_flag_text(flags[i]);
        assert_non_null(t);
        assert_true(t[0] != '\0');
    }
    assert_null(ps_fit_flag_text(0));
    assert_null(ps_fit_flag_text(PS_FIT_NO_DATA | PS_FIT_PERFECT));
    assert_null(ps_fit_flag_text(1u << 30));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_compute_matches_hand_values),
        cmocka_unit_test(test_fit_compute_splits_error_by_its_cause),
        cmocka_unit_test(test_fit_components_sum_to_one),
        cmocka_unit_test(test_fit_is_accurate_far_from_zero),
        cmocka_unit_test(test_fit_without_pairs_is_nan_with_a_reason),
        cmocka_unit_test(test_fit_of_one_point_has_no_decomposition),
        cmocka_unit_test(test_fit_leaves_observed_zeros_out_of_percent_errors),
        cmocka_unit_test(test_fit_with_all_observed_zero_has_no_percent_error),
        cmocka_unit_test(
            test_fit_of_a_constant_series_puts_nothing_in_covariation),
        cmocka_unit_test(test_fit_of_a_perfect_match_is_zero_error),
        cmocka_unit_test(test_fit_skips_pairs_that_are_not_finite),
        cmocka_unit_test(test_fit_flag_text_explains_every_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
