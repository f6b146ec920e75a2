/*
 * Sobol' indices (ps_sens_sobol) on functions with known indices: the
 * analytic values must lie within the bootstrap intervals the estimator
 * reports and within SALib's regression tolerances.  Also groups, a
 * constant output, failed runs, reproducibility and the errors.
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

static ps_sens_design sobol_design(size_t k, size_t n, uint64_t seed)
{
    return (ps_sens_design){.method = PS_SENS_SOBOL, .seed = seed,
                            .ninputs = k, .nfactors = k, .samples = n};
}

/* The estimate recovers `exact`: within its interval and SALib's
   tolerance. */
static void expect_recovered(const char *what, size_t i, double est,
                             double low, double high, double exact)
{
    print_message("  %s[%zu] = %.4f [%.4f, %.4f], analytic %.4f\n", what, i,
                  est, low, high, exact);
    assert_true(low <= est && est <= high);
    assert_true(low <= exact && exact <= high);
    assert_true(fabs(est - exact) <= SALIB_ATOL + SALIB_RTOL * fabs(exact));
}

static void expect_all_recovered(const ps_sens_sobol_index *idx, size_t k,
                                 const double *s1, const double *st)
{
    for (size_t i = 0; i < k; i++) {
        expect_recovered("S1", i, idx[i].s1, idx[i].s1_low, idx[i].s1_high,
                         s1[i]);
        expect_recovered("ST", i, idx[i].st, idx[i].st_low, idx[i].st_high,
                         st[i]);
        assert_true(idx[i].s1_conf > 0 && idx[i].st_conf > 0);
    }
}

static void test_sobol_recovers_the_ishigami_indices(void **state)
{
    (void)state;
    ishigami p = {7, 0.1};
    double s1[3], st[3], s13;
    ishigami_indices(&p, s1, st, &s13);
    /* The values quoted by SALib and the Saltelli Primer. */
    assert_true(fabs(s1[0] - 0.3139) < 1e-4 && fabs(s1[1] - 0.4424) < 1e-4);
    assert_true(fabs(st[0] - 0.5576) < 1e-4 && fabs(st[2] - 0.2437) < 1e-4);
    ps_sens_design d = sobol_design(3, 8192, 20260101);
    assert_int_equal(ps_sens_design_check(&d, NULL), PS_OK);
    double *y = run_design(&d, ishigami_f, &p);
    assert_non_null(y);
    ps_sens_sobol_index idx[3];
    ps_sens_info info;
    assert_int_equal(ps_sens_sobol(&d, y, 1000, 0.95, idx, &info, NULL), PS_OK);
    assert_int_equal(info.used, 8192);
    assert_int_equal(info.total, 8192);
    assert_false(info.constant);
    expect_all_recovered(idx, 3, s1, st);
    free(y);
}

static void test_sobol_recovers_the_salib_g_function(void **state)
{
    (void)state;
    static const double a[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
    gfun p = {8, a};
    double s1[8], st[8];
    gfun_indices(&p, s1, st);
    assert_true(fabs(s1[0] - 0.7162) < 1e-4 && fabs(st[1] - 0.2422) < 1e-4);
    ps_sens_design d = sobol_design(8, 8192, 7);
    double *y = run_design(&d, gfun_f, &p);
    assert_non_null(y);
    ps_sens_sobol_index idx[8];
    assert_int_equal(ps_sens_sobol(&d, y, 1000, 0.95, idx, NULL, NULL), PS_OK);
    expect_all_recovered(idx, 8, s1, st);
    free(y);
}

static void test_sobol_recovers_another_g_function(void **state)
{
    (void)state;
    static const double a[6] = {0, 0.5, 3, 9, 99, 99};
    gfun p = {6, a};
    double s1[6], st[6];
    gfun_indices(&p, s1, st);
    ps_sens_design d = sobol_design(6, 8192, 123456789);
    double *y = run_design(&d, gfun_f, &p);
    assert_non_null(y);
    ps_sens_sobol_index idx[6];
    assert_int_equal(ps_sens_sobol(&d, y, 1000, 0.95, idx, NULL, NULL), PS_OK);
    expect_all_recovered(idx, 6, s1, st);
    free(y);
}

static void test_sobol_of_a_group_sums_its_inputs_and_interactions(void **state)
{
    (void)state;
    ishigami p = {7, 0.1};
    double s1[3], st[3], s13;
    ishigami_indices(&p, s1, st, &s13);
    /* Factor 0 = {x1, x3}, factor 1 = {x2}. */
    static const size_t factor_of[3] = {0, 1, 0};
    ps_sens_design d = sobol_design(3, 8192, 42);
    d.nfactors = 2;
    d.factor_of = factor_of;
    assert_int_equal(ps_sens_design_check(&d, NULL), PS_OK);
    assert_int_equal(ps_sens_design_runs(&d), 8192 * 4);
    double *y = run_design(&d, ishigami_f, &p);
    assert_non_null(y);
    ps_sens_sobol_index idx[2];
    assert_int_equal(ps_sens_sobol(&d, y, 1000, 0.95, idx, NULL, NULL), PS_OK);
    /* x2 interacts with nothing: the group's first and total orders are
       both S1 + S3 + S13 = 1 - S2. */
    double group[2] = {s1[0] + s1[2] + s13, s1[1]};
    expect_all_recovered(idx, 2, group, group);
    free(y);
}

static double constant_f(const double *u, size_t k, const void *ctx)
{
    (void)u, (void)k, (void)ctx;
    return 700;
}

static void test_sobol_of_a_constant_output_is_zero(void **state)
{
    (void)state;
    ps_sens_design d = sobol_design(3, 64, 1);
    double *y = run_design(&d, constant_f, NULL);
    assert_non_null(y);
    ps_sens_sobol_index idx[3];
    ps_sens_info info;
    assert_int_equal(ps_sens_sobol(&d, y, 100, 0.95, idx, &info, NULL), PS_OK);
    assert_true(info.constant);
    for (size_t g = 0; g < 3; g++) {
        assert_true(idx[g].s1 == 0 && idx[g].st == 0);
        assert_true(idx[g].s1_low == 0 && idx[g].s1_high == 0);
        assert_true(idx[g].st_conf == 0);
    }
    free(y);
}

static void test_sobol_leaves_out_rows_with_failed_runs(void **state)
{
    (void)state;
    ishigami p = {7, 0.1};
    ps_sens_design d = sobol_design(3, 1024, 5);
    double *y = run_design(&d, ishigami_f, &p);
    assert_non_null(y);
    ps_sens_sobol_index whole[3], holed[3];
    ps_sens_info info;
    assert_int_equal(ps_sens_sobol(&d, y, 0, 0.95, whole, &info, NULL), PS_OK);
    assert_int_equal(info.used, 1024);
    assert_true(isnan(whole[0].s1_low)); /* no bootstrap, no interval */
    /* Failed runs in two base rows: the AB_2 run of row 3, the B run of
       row 700. */
    y[3 * 5 + 2] = NAN;
    y[700 * 5 + 4] = INFINITY;
    assert_int_equal(ps_sens_sobol(&d, y, 0, 0.95, holed, &info, NULL), PS_OK);
    assert_int_equal(info.used, 1022);
    assert_int_equal(info.total, 1024);
    for (size_t g = 0; g < 3; g++) {
        assert_true(isfinite(holed[g].s1) && isfinite(holed[g].st));
        assert_true(fabs(holed[g].s1 - whole[g].s1) < 0.05);
    }
    free(y);
}

static void test_sobol_gives_the_same_bits_twice(void **state)
{
    (void)state;
    ishigami p = {7, 0.1};
    ps_sens_design d = sobol_design(3, 256, 99);
    double *y = run_design(&d, ishigami_f, &p);
    assert_non_null(y);
    ps_sens_sobol_index a[3], b[3];
    assert_int_equal(ps_sens_sobol(&d, y, 200, 0.9, a, NULL, NULL), PS_OK);
    assert_int_equal(ps_sens_sobol(&d, y, 200, 0.9, b, NULL, NULL), PS_OK);
    assert_memory_equal(a, b, sizeof a);
    /* Another seed: other scrambling, other resamples. */
    d.seed = 100;
    double *z = run_design(&d, ishigami_f, &p);
    assert_non_null(z);
    assert_int_equal(ps_sens_sobol(&d, z, 200, 0.9, b, NULL, NULL), PS_OK);
    assert_true(a[0].s1 != b[0].s1);
    free(y);
    free(z);
}

static void test_sobol_refuses_bad_arguments(void **state)
{
    (void)state;
    ps_sens_design d = sobol_design(2, 4, 1);
    double y[16] = {0};
    ps_sens_sobol_index idx[2];
    ps_error err;
    assert_int_equal(ps_sens_sobol(&d, y, 10, 1.0, idx, NULL, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "confidence level"));
    ps_sens_design m = d;
    m.method = PS_SENS_MORRIS;
    assert_int_equal(ps_sens_sobol(&m, y, 10, 0.95, idx, NULL, &err),
                     PS_ERR_USAGE);
    /* Only one complete base row. */
    for (size_t i = 0; i < 12; i++)
        y[i] = NAN;
    assert_int_equal(ps_sens_sobol(&d, y, 10, 0.95, idx, NULL, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "1 of 4 base rows"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sobol_recovers_the_ishigami_indices),
        cmocka_unit_test(test_sobol_recovers_the_salib_g_function),
        cmocka_unit_test(test_sobol_recovers_another_g_function),
        cmocka_unit_test(test_sobol_of_a_group_sums_its_inputs_and_interactions),
        cmocka_unit_test(test_sobol_of_a_constant_output_is_zero),
        cmocka_unit_test(test_sobol_leaves_out_rows_with_failed_runs),
        cmocka_unit_test(test_sobol_gives_the_same_bits_twice),
        cmocka_unit_test(test_sobol_refuses_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
