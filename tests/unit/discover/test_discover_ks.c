/*
 * Factor ranking: the two-sample Kolmogorov-Smirnov distance on samples
 * worked by hand (and by scipy.stats.ks_2samp), ties, the direction, the
 * Kolmogorov tail against scipy.stats.kstwobign, the ranking of a planted
 * box's inputs first, and the cases with nothing to compare.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "plansim/discover.h"

static void close_to(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g", got, want);
}

/* One input: hits and misses as given. */
static ps_ks_factor one_input(const double *hits, size_t n1,
                              const double *misses, size_t n0)
{
    size_t n = n1 + n0;
    double *x = malloc(n * sizeof *x);
    unsigned char *y = malloc(n);
    /* Interleave, so the order of runs plays no part. */
    size_t a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        int take_hit = a < n1 && (b >= n0 || i % 2 == 0);
        x[i] = take_hit ? hits[a++] : misses[b++];
        y[i] = (unsigned char)take_hit;
    }
    ps_discover_data d = {n, 1, x, y, NULL};
    ps_ks_factor f;
    ps_error err;
    assert_int_equal(ps_ks_factors(&d, &f, &err), PS_OK);
    free(x);
    free(y);
    return f;
}

static void test_ks_distance_of_samples_worked_by_hand(void **state)
{
    (void)state;
    /* F1 - F0 peaks at 0.2 (3/6 - 1/7 = 0.357) and at 0.7 (5/6 - 3/7 =
       0.405), and is 6/6 - 4/7 = 3/7 after 0.9: D = 3/7, where the hits'
       CDF is above, so hits sit lower. */
    const double hits[] = {0.1, 0.2, 0.2, 0.5, 0.7, 0.9};
    const double misses[] = {0.2, 0.3, 0.4, 0.8, 1.0, 1.1, 1.2};
    ps_ks_factor f = one_input(hits, 6, misses, 7);
    close_to(f.d, 3.0 / 7.0, 1e-15);
    assert_int_equal(f.direction, -1);
    assert_int_equal(f.input, 0);
    /* Swapped roles: same distance, other direction. */
    f = one_input(misses, 7, hits, 6);
    close_to(f.d, 3.0 / 7.0, 1e-15);
    assert_int_equal(f.direction, 1);
}

static void test_ks_counts_ties_together(void **state)
{
    (void)state;
    /* The same values in both groups: no gap at all, though a merge that
       stepped through ties one run at a time would open one. */
    const double a[] = {1, 1, 1, 2, 2, 3};
    const double b[] = {1, 1, 1, 2, 2, 3};
    ps_ks_factor f = one_input(a, 6, b, 6);
    assert_true(f.d == 0.0);
    assert_int_equal(f.direction, 0);
    assert_true(f.p == 1.0);
    /* Complete separation. */
    const double lo[] = {1, 2, 3}, hi[] = {4, 5, 6, 7};
    f = one_input(hi, 4, lo, 3);
    assert_true(f.d == 1.0);
    assert_int_equal(f.direction, 1);
}

static void test_kolmogorov_q_matches_scipy(void **state)
{
    (void)state;
    close_to(ps_kolmogorov_q(0.3), 0.9999906941986655, 1e-12);
    close_to(ps_kolmogorov_q(0.5), 0.9639452436648751, 1e-12);
    close_to(ps_kolmogorov_q(1.0), 0.26999967167735456, 1e-12);
    close_to(ps_kolmogorov_q(1.18), 0.1234538094297657, 1e-12);
    close_to(ps_kolmogorov_q(1.36), 0.049485876755377876, 1e-12);
    close_to(ps_kolmogorov_q(2.0), 0.0006709252557796953, 1e-12);
    close_to(ps_kolmogorov_q(3.0), 3.045995948942526e-08, 1e-12);
    assert_true(ps_kolmogorov_q(0.0) == 1.0);
    assert_true(ps_kolmogorov_q(-1.0) == 1.0);
    assert_true(ps_kolmogorov_q(40.0) == 0.0);
    assert_true(isnan(ps_kolmogorov_q(NAN)));
}

static void test_ks_pvalue_uses_the_effective_size(void **state)
{
    (void)state;
    /* ne = 100: lambda = (10 + 0.12 + 0.011) 0.1 = 1.0131. */
    close_to(ps_ks_pvalue(0.1, 200, 200), 0.25622118507010405, 1e-12);
    /* ne = 21: lambda = 1.6543... */
    close_to(ps_ks_pvalue(0.35, 30, 70), 0.008393573342719531, 1e-12);
    assert_true(isnan(ps_ks_pvalue(0.5, 0, 10)));
    assert_true(isnan(ps_ks_pvalue(1.5, 10, 10)));
    assert_true(ps_ks_pvalue(0.0, 10, 10) == 1.0);
}

static void test_ks_ranks_the_planted_inputs_first(void **state)
{
    (void)state;
    enum { N = 5000, K = 5 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20260101);
    double *x = malloc(N * K * sizeof *x);
    unsigned char *y = malloc(N);
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < K; j++)
            x[i * K + j] = gsl_rng_uniform(r);
        /* Input 3 matters more than input 1: its window is narrower. */
        y[i] = x[i * K + 1] < 0.7 && x[i * K + 3] > 0.6;
    }
    gsl_rng_free(r);
    ps_discover_data d = {N, K, x, y, NULL};
    ps_ks_factor f[K];
    assert_int_equal(ps_ks_factors(&d, f, NULL), PS_OK);
    for (size_t j = 0; j < K; j++)
        assert_int_equal(f[j].input, j);
    assert_int_equal(f[1].direction, -1);
    assert_int_equal(f[3].direction, 1);
    ps_ks_rank(f, K);
    assert_int_equal(f[0].input, 3);
    assert_int_equal(f[1].input, 1);
    assert_true(f[0].p < 1e-100 && f[1].p < 1e-20);
    for (size_t j = 2; j < K; j++) {
        assert_true(f[j].d < 0.06);
        assert_true(f[j].p > 1e-4);
    }
    for (size_t j = 1; j < K; j++)
        assert_true(f[j].d <= f[j - 1].d);
    free(x);
    free(y);
}

static void test_ks_rank_keeps_input_order_on_ties(void **state)
{
    (void)state;
    ps_ks_factor f[4] = {
        {0, 0.2, 0.1, 1}, {1, 0.5, 0.01, 1}, {2, 0.2, 0.1, -1}, {3, 0.5, 0.01, -1}};
    ps_ks_rank(f, 4);
    assert_int_equal(f[0].input, 1);
    assert_int_equal(f[1].input, 3);
    assert_int_equal(f[2].input, 0);
    assert_int_equal(f[3].input, 2);
}

static void test_ks_needs_both_groups(void **state)
{
    (void)state;
    double x[3] = {1, 2, 3};
    unsigned char y[3] = {1, 1, 1};
    ps_discover_data d = {3, 1, x, y, NULL};
    ps_ks_factor f;
    ps_error err;
    assert_int_equal(ps_ks_factors(&d, &f, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "every one"));
    memset(y, 0, sizeof y);
    assert_int_equal(ps_ks_factors(&d, &f, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "none"));
    x[1] = INFINITY;
    y[0] = 1;
    assert_int_equal(ps_ks_factors(&d, &f, &err), PS_ERR_DATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ks_distance_of_samples_worked_by_hand),
        cmocka_unit_test(test_ks_counts_ties_together),
        cmocka_unit_test(test_kolmogorov_q_matches_scipy),
        cmocka_unit_test(test_ks_pvalue_uses_the_effective_size),
        cmocka_unit_test(test_ks_ranks_the_planted_inputs_first),
        cmocka_unit_test(test_ks_rank_keeps_input_order_on_ties),
        cmocka_unit_test(test_ks_needs_both_groups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
