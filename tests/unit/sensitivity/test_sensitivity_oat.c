/*
 * One-at-a-time swings (ps_sens_oat): a linear function's swings, groups,
 * failed runs, a constant output and the errors.
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

static ps_sens_design oat_design(size_t k, double low, double high)
{
    return (ps_sens_design){.method = PS_SENS_OAT, .ninputs = k,
                            .nfactors = k, .low = low, .high = high};
}

static void test_oat_swing_of_a_linear_function(void **state)
{
    (void)state;
    /* x_i uniform on [m_i - h_i, m_i + h_i]: the 5 % and 95 % quantiles
       are m -+ 0.9 h, so the swing is 2 |c| (0.9 h). */
    static const double c[3] = {2, -7, 0.5}, lo[3] = {0, 10, -3},
                        hi[3] = {2, 12, 3};
    linear f = {3, c, lo, hi};
    ps_sens_design d = oat_design(3, 0.05, 0.95);
    assert_int_equal(ps_sens_design_check(&d, NULL), PS_OK);
    double *y = run_design(&d, linear_f, &f);
    assert_non_null(y);
    ps_sens_oat_index idx[3];
    ps_sens_info info;
    assert_int_equal(ps_sens_oat(&d, y, idx, &info, NULL), PS_OK);
    assert_int_equal(info.used, 7);
    double base = 0;
    for (size_t i = 0; i < 3; i++)
        base += c[i] * (lo[i] + hi[i]) / 2;
    assert_true(fabs(info.base - base) < 1e-12);
    for (size_t i = 0; i < 3; i++) {
        double h = (hi[i] - lo[i]) / 2;
        assert_true(fabs(idx[i].swing - 2 * fabs(c[i]) * 0.9 * h) < 1e-9);
        assert_true(fabs(idx[i].y_low - (base - c[i] * 0.9 * h)) < 1e-9);
        assert_true(fabs(idx[i].y_high - (base + c[i] * 0.9 * h)) < 1e-9);
    }
    double key[3] = {idx[0].swing, idx[1].swing, idx[2].swing};
    size_t order[3];
    assert_int_equal(ps_sens_rank(key, 3, order, NULL), PS_OK);
    static const size_t expected[3] = {1, 0, 2}; /* 12.6, 3.6, 2.7 */
    assert_memory_equal(order, expected, sizeof expected);
    free(y);
}

static void test_oat_moves_a_group_together(void **state)
{
    (void)state;
    static const double c[3] = {1, 1, 1}, lo[3] = {0, 0, 0},
                        hi[3] = {1, 1, 1};
    linear f = {3, c, lo, hi};
    static const size_t factor_of[3] = {1, 0, 1};
    ps_sens_design d = oat_design(3, 0.25, 0.75);
    d.nfactors = 2;
    d.factor_of = factor_of;
    double *y = run_design(&d, linear_f, &f);
    assert_non_null(y);
    ps_sens_oat_index idx[2];
    assert_int_equal(ps_sens_oat(&d, y, idx, NULL, NULL), PS_OK);
    assert_true(fabs(idx[0].swing - 0.5) < 1e-12);
    assert_true(fabs(idx[1].swing - 1.0) < 1e-12);
    free(y);
}

static void test_oat_marks_failed_runs_and_constant_outputs(void **state)
{
    (void)state;
    ps_sens_design d = oat_design(2, 0.05, 0.95);
    double y[5] = {3, 3, 3, 3, 3};
    ps_sens_oat_index idx[2];
    ps_sens_info info;
    assert_int_equal(ps_sens_oat(&d, y, idx, &info, NULL), PS_OK);
    assert_true(info.constant);
    assert_true(idx[0].swing == 0 && idx[1].swing == 0);
    y[4] = NAN;
    assert_int_equal(ps_sens_oat(&d, y, idx, &info, NULL), PS_OK);
    assert_false(info.constant);
    assert_int_equal(info.used, 4);
    assert_true(idx[0].swing == 0);
    assert_true(isnan(idx[1].swing));
    d.method = PS_SENS_SOBOL;
    assert_int_equal(ps_sens_oat(&d, y, idx, &info, NULL), PS_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oat_swing_of_a_linear_function),
        cmocka_unit_test(test_oat_moves_a_group_together),
        cmocka_unit_test(test_oat_marks_failed_runs_and_constant_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
