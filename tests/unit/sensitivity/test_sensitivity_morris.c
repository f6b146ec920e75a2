/*
 * Morris elementary effects (ps_sens_morris): exact effects of a linear
 * function, the ranking of the G-function's factors, groups, failed
 * runs, a constant output and the errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/sensitivity.h"
#include "sens_functions.h"

static ps_sens_design morris_design(size_t k, size_t r, unsigned p)
{
    return (ps_sens_design){.method = PS_SENS_MORRIS, .seed = 20251201,
                            .ninputs = k, .nfactors = k, .trajectories = r,
                            .levels = p};
}

static void test_morris_effects_of_a_linear_function_are_exact(void **state)
{
    (void)state;
    /* y = 10 x0 - 5 x1 + x2 + 0 x3: an effect is the change over the
       input's whole range, c (hi - lo), in every trajectory. */
    static const double c[4] = {10, -5, 1, 0}, lo[4] = {0, 2, -1, 0},
                        hi[4] = {1, 4, 1, 9};
    linear f = {4, c, lo, hi};
    ps_sens_design d = morris_design(4, 20, 4);
    assert_int_equal(ps_sens_design_check(&d, NULL), PS_OK);
    double *y = run_design(&d, linear_f, &f);
    assert_non_null(y);
    ps_sens_morris_index idx[4];
    ps_sens_info info;
    assert_int_equal(ps_sens_morris(&d, y, 500, 0.95, idx, &info, NULL), PS_OK);
    assert_int_equal(info.used, 20);
    for (size_t i = 0; i < 4; i++) {
        double effect = c[i] * (hi[i] - lo[i]);
        assert_true(fabs(idx[i].mu - effect) < 1e-9);
        assert_true(fabs(idx[i].mu_star - fabs(effect)) < 1e-9);
        assert_true(idx[i].sigma < 1e-9);
        assert_true(fabs(idx[i].mu_star_low - fabs(effect)) < 1e-9);
        assert_true(fabs(idx[i].mu_star_high - fabs(effect)) < 1e-9);
    }
    size_t order[4];
    double key[4];
    for (size_t i = 0; i < 4; i++)
        key[i] = idx[i].mu_star;
    assert_int_equal(ps_sens_rank(key, 4, order, NULL), PS_OK);
    static const size_t expected[4] = {0, 1, 2, 3};
    assert_memory_equal(order, expected, sizeof expected);
    free(y);
}

static void test_morris_ranks_the_g_function_factors(void **state)
{
    (void)state;
    static const double a[6] = {0, 1, 4.5, 9, 99, 99};
    gfun p = {6, a};
    ps_sens_design d = morris_design(6, 20, 4);
    double *y = run_design(&d, gfun_f, &p);
    assert_non_null(y);
    ps_sens_morris_index idx[6];
    assert_int_equal(ps_sens_morris(&d, y, 1000, 0.95, idx, NULL, NULL),
                     PS_OK);
    double key[6];
    for (size_t i = 0; i < 6; i++) {
        key[i] = idx[i].mu_star;
        print_message("  mu*[%zu] = %.4f [%.4f, %.4f], sigma %.4f\n", i,
                      idx[i].mu_star, idx[i].mu_star_low, idx[i].mu_star_high,
                      idx[i].sigma);
        assert_true(idx[i].mu_star_low <= idx[i].mu_star &&
                    idx[i].mu_star <= idx[i].mu_star_high);
        assert_true(idx[i].mu_star_conf > 0);
    }
    size_t order[6];
    assert_int_equal(ps_sens_rank(key, 6, order, NULL), PS_OK);
    /* The larger a_i, the less x_i matters; x4 and x5 are tied in
       distribution, so only the first four ranks are fixed. */
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(order[i], i);
    /* The important factors interact: their effects vary. */
    assert_true(idx[0].sigma > 0.1 && idx[4].sigma < 0.05);
    free(y);
}

static void test_morris_recovers_the_ishigami_effects(void **state)
{
    (void)state;
    /* On 4 levels every input takes -pi, -pi/3, pi/3, pi, and when one
       moves (by delta = 2/3, i.e. 4 pi / 3) each other input sits on any
       of the four with probability 1/4.  Every step of x2 changes
       7 sin^2 x2 by 7 * 3/4: mu*_2 = 7.875, SALib's regression value,
       whatever the trajectories.  A step of x1 changes sin x1 by
       sqrt(3)/2, times 1 + b x3^4; a step of x3 changes x3^4 by
       pi^4 - (pi/3)^4, times b |sin x1|. */
    ishigami p = {7, 0.1};
    double pi4 = pow(M_PI, 4), pi34 = pow(M_PI / 3, 4), s = sqrt(3) / 2;
    double delta = 2.0 / 3;
    double exact[3] = {s / delta * (1 + 0.1 * (pi4 + pi34) / 2), 7.875,
                       0.1 * (pi4 - pi34) / delta * (s / 2)};
    ps_sens_design d = morris_design(3, 1000, 4);
    double *y = run_design(&d, ishigami_f, &p);
    assert_non_null(y);
    ps_sens_morris_index idx[3];
    assert_int_equal(ps_sens_morris(&d, y, 1000, 0.95, idx, NULL, NULL),
                     PS_OK);
    for (size_t i = 0; i < 3; i++) {
        print_message("  mu*[%zu] = %.4f [%.4f, %.4f], expected %.4f\n", i,
                      idx[i].mu_star, idx[i].mu_star_low, idx[i].mu_star_high,
                      exact[i]);
        assert_true(idx[i].mu_star_low <= exact[i] &&
                    exact[i] <= idx[i].mu_star_high);
    }
    assert_true(fabs(idx[1].mu_star - 7.875) < 1e-9);
    free(y);
}

static void test_morris_moves_a_group_as_one_factor(void **state)
{
    (void)state;
    static const double c[3] = {3, 100, 4}, lo[3] = {0, 0, 0},
                        hi[3] = {1, 1, 1};
    linear f = {3, c, lo, hi};
    static const size_t factor_of[3] = {0, 1, 0};
    ps_sens_design d = morris_design(3, 10, 4);
    d.nfactors = 2;
    d.factor_of = factor_of;
    double *y = run_design(&d, linear_f, &f);
    assert_non_null(y);
    ps_sens_morris_index idx[2];
    assert_int_equal(ps_sens_morris(&d, y, 0, 0.95, idx, NULL, NULL), PS_OK);
    /* x0 and x2 move together, by the same step. */
    assert_true(fabs(idx[0].mu_star - 7) < 1e-9);
    assert_true(fabs(idx[1].mu_star - 100) < 1e-9);
    assert_true(isnan(idx[0].mu_star_low));
    free(y);
}

static void test_morris_leaves_out_trajectories_with_failed_runs(void **state)
{
    (void)state;
    static const double c[2] = {1, 2}, lo[2] = {0, 0}, hi[2] = {1, 1};
    linear f = {2, c, lo, hi};
    ps_sens_design d = morris_design(2, 5, 4);
    double *y = run_design(&d, linear_f, &f);
    assert_non_null(y);
    y[3 * 3 + 1] = NAN; /* trajectory 3 */
    ps_sens_morris_index idx[2];
    ps_sens_info info;
    assert_int_equal(ps_sens_morris(&d, y, 10, 0.95, idx, &info, NULL), PS_OK);
    assert_int_equal(info.used, 4);
    assert_int_equal(info.total, 5);
    assert_true(fabs(idx[1].mu_star - 2) < 1e-9);
    for (size_t i = 0; i < 15; i++)
        y[i] = NAN;
    ps_error err;
    assert_int_equal(ps_sens_morris(&d, y, 10, 0.95, idx, &info, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "none of the 5 trajectories"));
    free(y);
}

static void test_morris_of_a_constant_output_is_zero(void **state)
{
    (void)state;
    ps_sens_design d = morris_design(3, 4, 4);
    double y[16];
    for (size_t i = 0; i < 16; i++)
        y[i] = 1;
    ps_sens_morris_index idx[3];
    ps_sens_info info;
    assert_int_equal(ps_sens_morris(&d, y, 10, 0.95, idx, &info, NULL), PS_OK);
    assert_true(info.constant);
    for (size_t g = 0; g < 3; g++)
        assert_true(idx[g].mu_star == 0 && idx[g].mu == 0 &&
                    idx[g].sigma == 0);
}

static void test_morris_refuses_bad_arguments(void **state)
{
    (void)state;
    ps_sens_design d = morris_design(2, 2, 4);
    double y[6] = {0};
    ps_sens_morris_index idx[2];
    assert_int_equal(ps_sens_morris(&d, y, 10, 0, idx, NULL, NULL),
                     PS_ERR_USAGE);
    d.method = PS_SENS_OAT;
    assert_int_equal(ps_sens_morris(&d, y, 10, 0.95, idx, NULL, NULL),
                     PS_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_morris_effects_of_a_linear_function_are_exact),
        cmocka_unit_test(test_morris_ranks_the_g_function_factors),
        cmocka_unit_test(test_morris_recovers_the_ishigami_effects),
        cmocka_unit_test(test_morris_moves_a_group_as_one_factor),
        cmocka_unit_test(test_morris_leaves_out_trajectories_with_failed_runs),
        cmocka_unit_test(test_morris_of_a_constant_output_is_zero),
        cmocka_unit_test(test_morris_refuses_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
