/*
 * Sensitivity designs: method names, run counts, the checks, the
 * Saltelli layout against the 2d-dimensional Sobol' sequence, Morris
 * trajectories, the OAT rows, addressability (any run range gives the
 * same rows) and ranking.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/design.h"
#include "plansim/sensitivity.h"

static double *fill_all(const ps_sens_design *d)
{
    size_t runs = ps_sens_design_runs(d);
    double *u = malloc(runs * d->ninputs * sizeof *u);
    assert_non_null(u);
    assert_int_equal(ps_sens_design_fill(d, 0, runs, u, NULL), PS_OK);
    return u;
}

static void test_sens_method_names_round_trip(void **state)
{
    (void)state;
    const char *names[] = {"sobol", "morris", "oat"};
    for (int i = 0; i < 3; i++) {
        ps_sens_method m;
        assert_int_equal(ps_sens_method_from_name(names[i], &m), 0);
        assert_int_equal(m, (ps_sens_method)i);
        assert_string_equal(ps_sens_method_name(m), names[i]);
    }
    ps_sens_method m = PS_SENS_OAT;
    assert_int_equal(ps_sens_method_from_name("fast", &m), -1);
    assert_int_equal(ps_sens_method_from_name(NULL, &m), -1);
    assert_int_equal(m, PS_SENS_OAT);
    assert_string_equal(ps_sens_method_name((ps_sens_method)9), "unknown");
}

static void test_sens_design_runs_count_each_method(void **state)
{
    (void)state;
    ps_sens_design d = {.method = PS_SENS_SOBOL, .ninputs = 5, .nfactors = 5,
                        .samples = 512, .trajectories = 20, .levels = 4};
    assert_int_equal(ps_sens_design_runs(&d), 512 * 7);
    d.method = PS_SENS_MORRIS;
    assert_int_equal(ps_sens_design_runs(&d), 20 * 6);
    d.method = PS_SENS_OAT;
    assert_int_equal(ps_sens_design_runs(&d), 11);
    d.method = PS_SENS_SOBOL;
    d.samples = SIZE_MAX / 2;
    assert_int_equal(ps_sens_design_runs(&d), 0);
}

static void expect_refused(const ps_sens_design *d, const char *text)
{
    ps_error err;
    assert_int_equal(ps_sens_design_check(d, &err), PS_ERR_USAGE);
    if (!strstr(err.message, text))
        fail_msg("'%s' does not say '%s'", err.message, text);
}

static void test_sens_design_check_refuses_bad_settings(void **state)
{
    (void)state;
    ps_sens_design ok = {.method = PS_SENS_SOBOL, .ninputs = 3, .nfactors = 3,
                         .samples = 64, .trajectories = 10, .levels = 4,
                         .low = 0.05, .high = 0.95};
    assert_int_equal(ps_sens_design_check(&ok, NULL), PS_OK);
    ps_sens_design d = ok;
    d.samples = 100;
    expect_refused(&d, "not a power of 2");
    d.samples = 1;
    expect_refused(&d, "not a power of 2");
    d = ok;
    d.ninputs = d.nfactors = ps_design_sobol_max_dim() / 2 + 1;
    expect_refused(&d, "at most 10600");
    d = ok;
    d.ninputs = d.nfactors = 0;
    expect_refused(&d, "no factors");
    d = ok;
    d.nfactors = 2;
    expect_refused(&d, "without groups");
    static const size_t out_of_range[3] = {0, 1, 2};
    d.factor_of = out_of_range;
    expect_refused(&d, "input 2 belongs to factor 2 of 2");
    static const size_t empty[3] = {0, 0, 2};
    d.nfactors = 3;
    d.factor_of = empty;
    expect_refused(&d, "factor 1 has no input");
    d = ok;
    d.method = PS_SENS_MORRIS;
    assert_int_equal(ps_sens_design_check(&d, NULL), PS_OK);
    d.levels = 5;
    expect_refused(&d, "levels: 5 is not an even number");
    d.levels = 4;
    d.trajectories = 0;
    expect_refused(&d, "trajectories");
    d = ok;
    d.method = PS_SENS_OAT;
    assert_int_equal(ps_sens_design_check(&d, NULL), PS_OK);
    d.low = 0.95;
    d.high = 0.05;
    expect_refused(&d, "0 < low < high < 1");
    d.low = 0;
    d.high = 0.5;
    expect_refused(&d, "0 < low < high < 1");
    d.method = (ps_sens_method)7;
    expect_refused(&d, "unknown sensitivity method");
    assert_int_equal(ps_sens_design_check(NULL, NULL), PS_ERR_USAGE);
}

static void test_saltelli_rows_come_from_one_2d_sobol_sequence(void **state)
{
    (void)state;
    enum { N = 16, D = 4 };
    /* Factors: {x0, x2}, {x1}, {x3}. */
    static const size_t factor_of[D] = {0, 1, 0, 2};
    ps_sens_design d = {.method = PS_SENS_SOBOL, .seed = 31, .ninputs = D,
                        .nfactors = 3, .factor_of = factor_of, .samples = N};
    assert_int_equal(ps_sens_design_check(&d, NULL), PS_OK);
    double *u = fill_all(&d);
    double base[N * 2 * D];
    assert_int_equal(
        ps_design_fill(PS_DESIGN_SOBOL, 31, N, 2 * D, 0, N, base, NULL), PS_OK);
    for (size_t i = 0; i < N; i++) {
        const double *a = base + i * 2 * D, *b = a + D;
        const double *rows = u + i * 5 * D; /* A, AB_0, AB_1, AB_2, B */
        assert_memory_equal(rows, a, D * sizeof *a);
        assert_memory_equal(rows + 4 * D, b, D * sizeof *b);
        for (size_t g = 0; g < 3; g++)
            for (size_t j = 0; j < D; j++)
                assert_true(rows[(1 + g) * D + j] ==
                            (factor_of[j] == g ? b[j] : a[j]));
    }
    free(u);
}

/* Every range of runs gives the rows of the whole design. */
static void expect_addressable(const ps_sens_design *d)
{
    double *whole = fill_all(d);
    size_t runs = ps_sens_design_runs(d), dim = d->ninputs;
    double *part = malloc(runs * dim * sizeof *part);
    assert_non_null(part);
    for (size_t first = 0; first < runs; first += 7) {
        size_t count = first + 13 <= runs ? 13 : runs - first;
        assert_int_equal(ps_sens_design_fill(d, first, count, part, NULL),
                         PS_OK);
        assert_memory_equal(part, whole + first * dim,
                            count * dim * sizeof *part);
    }
    ps_error err;
    assert_int_equal(ps_sens_design_fill(d, runs - 1, 2, part, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "outside the design"));
    free(part);
    free(whole);
}

static void test_sens_designs_are_addressable_by_run(void **state)
{
    (void)state;
    ps_sens_design d = {.method = PS_SENS_SOBOL, .seed = 5, .ninputs = 3,
                        .nfactors = 3, .samples = 32, .trajectories = 9,
                        .levels = 6, .low = 0.1, .high = 0.8};
    expect_addressable(&d);
    d.method = PS_SENS_MORRIS;
    expect_addressable(&d);
    d.method = PS_SENS_OAT;
    expect_addressable(&d);
}

static void test_morris_trajectories_move_each_factor_once_by_delta(void **state)
{
    (void)state;
    enum { D = 5, K = 4, R = 50, P = 6 };
    /* Inputs 1 and 3 form factor 1. */
    static const size_t factor_of[D] = {0, 1, 2, 1, 3};
    ps_sens_design d = {.method = PS_SENS_MORRIS, .seed = 8, .ninputs = D,
                        .nfactors = K, .factor_of = factor_of,
                        .trajectories = R, .levels = P};
    assert_int_equal(ps_sens_design_check(&d, NULL), PS_OK);
    double *u = fill_all(&d);
    size_t ups = 0, downs = 0;
    for (size_t t = 0; t < R; t++) {
        int moved[K] = {0};
        const double *tr = u + t * (K + 1) * D;
        for (size_t j = 0; j < (K + 1) * D; j++) {
            /* On the grid L / (p - 1), ends included. */
            double level = tr[j] * (P - 1);
            assert_true(fabs(level - round(level)) < 1e-12);
            assert_true(tr[j] >= 0 && tr[j] <= 1);
        }
        for (size_t s = 1; s <= K; s++) {
            const double *x0 = tr + (s - 1) * D, *x1 = tr + s * D;
            size_t g = (size_t)-1;
            double step = 0;
            for (size_t j = 0; j < D; j++) {
                if (x0[j] == x1[j])
                    continue;
                if (g == (size_t)-1) {
                    g = factor_of[j];
                    step = x1[j] - x0[j];
                }
                /* Only the inputs of one factor move, all the same way. */
                assert_int_equal(factor_of[j], g);
                assert_true(fabs((x1[j] - x0[j]) - step) < 1e-12);
            }
            assert_true(g < K);
            for (size_t j = 0; j < D; j++)
                if (factor_of[j] == g)
                    assert_true(x1[j] != x0[j]);
            /* delta = p / (2 (p - 1)) */
            assert_true(fabs(fabs(step) - P / (2.0 * (P - 1))) < 1e-12);
            assert_false(moved[g]);
            moved[g] = 1;
            if (step > 0)
                ups++;
            else
                downs++;
        }
    }
    /* Random directions: both occur. */
    assert_true(ups > R && downs > R);
    free(u);
}

static void test_sens_quantile_keeps_morris_ends_finite(void **state)
{
    (void)state;
    ps_sens_design d = {.method = PS_SENS_MORRIS, .levels = 4};
    ps_dist normal = {.kind = PS_DIST_NORMAL, .p = {10, 2}};
    ps_dist uniform = {.kind = PS_DIST_UNIFORM, .p = {-1, 3}};
    /* Bounded: the ends of the support, as SALib. */
    assert_true(ps_sens_quantile(&d, &uniform, 0) == -1);
    assert_true(ps_sens_quantile(&d, &uniform, 1) == 3);
    assert_true(ps_sens_quantile(&d, &uniform, 1.0 / 3) ==
                ps_dist_quantile(&uniform, 1.0 / 3));
    /* Unbounded: the middle of the end stratum, 1/8 and 7/8. */
    assert_true(ps_sens_quantile(&d, &normal, 0) ==
                ps_dist_quantile(&normal, 0.125));
    assert_true(ps_sens_quantile(&d, &normal, 1) ==
                ps_dist_quantile(&normal, 0.875));
    assert_true(ps_sens_quantile(&d, &normal, 2.0 / 3) ==
                ps_dist_quantile(&normal, 2.0 / 3));
    /* Other designs never reach the ends. */
    d.method = PS_SENS_SOBOL;
    assert_true(ps_sens_quantile(&d, &normal, 0.3) ==
                ps_dist_quantile(&normal, 0.3));
}

static void test_oat_rows_move_one_factor_to_each_level(void **state)
{
    (void)state;
    static const size_t factor_of[3] = {0, 1, 0};
    ps_sens_design d = {.method = PS_SENS_OAT, .ninputs = 3, .nfactors = 2,
                        .factor_of = factor_of, .low = 0.05, .high = 0.95};
    double *u = fill_all(&d);
    static const double expected[5][3] = {{0.5, 0.5, 0.5},
                                          {0.05, 0.5, 0.05},
                                          {0.95, 0.5, 0.95},
                                          {0.5, 0.05, 0.5},
                                          {0.5, 0.95, 0.5}};
    assert_memory_equal(u, expected, sizeof expected);
    free(u);
}

static void test_sens_rank_orders_largest_first_nan_last(void **state)
{
    (void)state;
    double key[6] = {0.1, NAN, 0.5, 0.1, -2, 0.7};
    size_t order[6];
    assert_int_equal(ps_sens_rank(key, 6, order, NULL), PS_OK);
    static const size_t expected[6] = {5, 2, 0, 3, 4, 1};
    assert_memory_equal(order, expected, sizeof expected);
    assert_int_equal(ps_sens_rank(key, 0, order, NULL), PS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sens_method_names_round_trip),
        cmocka_unit_test(test_sens_design_runs_count_each_method),
        cmocka_unit_test(test_sens_design_check_refuses_bad_settings),
        cmocka_unit_test(test_saltelli_rows_come_from_one_2d_sobol_sequence),
        cmocka_unit_test(test_sens_designs_are_addressable_by_run),
        cmocka_unit_test(test_morris_trajectories_move_each_factor_once_by_delta),
        cmocka_unit_test(test_sens_quantile_keeps_morris_ends_finite),
        cmocka_unit_test(test_oat_rows_move_one_factor_to_each_level),
        cmocka_unit_test(test_sens_rank_orders_largest_first_nan_last),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
