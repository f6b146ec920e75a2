/*
 * RANDOM UNIFORM / NORMAL / EXPONENTIAL / TRIANGULAR as inverse transforms:
 * draws stay in [min, max] for every u, are monotone in u, reproduce the
 * truncated CDF (exactly on a grid of u, and by a Kolmogorov-Smirnov test
 * on addressed draws at a fixed seed), and degenerate arguments give the
 * documented answers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "plansim/fn.h"

/* cmocka's assert_float_equal compares floats; these values are doubles. */
#define assert_near(a, b, tol)                                              \
    do {                                                                    \
        double a_ = (a), b_ = (b);                                          \
        if (!(fabs(a_ - b_) <= (tol)))                                      \
            fail_msg("%.17g != %.17g (tolerance %g)", a_, b_, (double)(tol)); \
    } while (0)
#include "plansim/rng.h"

/* One parameterised distribution: its draw and its truncated CDF. */
typedef struct dist {
    const char *name;
    double p[5]; /* min, max, then the distribution's own parameters */
    double (*draw)(const double *p, double u);
    double (*cdf)(const double *p, double x);
} dist;

static double uniform_draw(const double *p, double u)
{
    return ps_fn_random_uniform(p[0], p[1], u);
}

static double uniform_cdf(const double *p, double x)
{
    return (x - p[0]) / (p[1] - p[0]);
}

static double normal_draw(const double *p, double u)
{
    return ps_fn_random_normal(p[0], p[1], p[2], p[3], u);
}

static double normal_cdf(const double *p, double x)
{
    double za = (p[0] - p[2]) / p[3], zb = (p[1] - p[2]) / p[3];
    double z = (x - p[2]) / p[3];
    if (za > 0.0) { /* upper tail: use Q to keep precision */
        double qa = gsl_cdf_ugaussian_Q(za), qb = gsl_cdf_ugaussian_Q(zb);
        return (qa - gsl_cdf_ugaussian_Q(z)) / (qa - qb);
    }
    double pa = gsl_cdf_ugaussian_P(za), pb = gsl_cdf_ugaussian_P(zb);
    return (gsl_cdf_ugaussian_P(z) - pa) / (pb - pa);
}

static double exponential_draw(const double *p, double u)
{
    return ps_fn_random_exponential(p[0], p[1], p[2], p[3], u);
}

static double exponential_cdf(const double *p, double x)
{
    /* Written for stretch > 0: E = (x - shift)/stretch, S(e) = exp(-e). */
    double lo = fmax((p[0] - p[2]) / p[3], 0.0), hi = (p[1] - p[2]) / p[3];
    double e = (x - p[2]) / p[3];
    return (exp(-lo) - exp(-e)) / (exp(-lo) - exp(-hi));
}

static double triangular_draw(const double *p, double u)
{
    /* p = min, max, start, peak, end */
    return ps_fn_random_triangular(p[0], p[1], p[2], p[3], p[4], u);
}

static double tri_cdf(double x, double a, double b, double c)
{
    if (x <= a)
        return 0.0;
    if (x >= c)
        return 1.0;
    if (x <= b)
        return (x - a) * (x - a) / ((c - a) * (b - a));
    return 1.0 - (c - x) * (c - x) / ((c - a) * (c - b));
}

static double triangular_cdf(const double *p, double x)
{
    double lo = fmax(p[0], p[2]), hi = fmin(p[1], p[4]);
    double fa = tri_cdf(lo, p[2], p[3], p[4]);
    double fb = tri_cdf(hi, p[2], p[3], p[4]);
    return (tri_cdf(x, p[2], p[3], p[4]) - fa) / (fb - fa);
}

static const dist dists[] = {
    {"uniform", {-3, 5}, uniform_draw, uniform_cdf},
    {"normal wide", {-100, 100, 2, 3}, normal_draw, normal_cdf},
    {"normal clipped", {0, 1, 2, 1.5}, normal_draw, normal_cdf},
    {"normal lower tail", {-9, -6, 0, 1}, normal_draw, normal_cdf},
    {"normal upper tail", {6, 8, 0, 1}, normal_draw, normal_cdf},
    {"exponential", {0, 1e9, 0, 1}, exponential_draw, exponential_cdf},
    {"exponential shifted", {1, 4, 0.5, 2}, exponential_draw,
     exponential_cdf},
    {"exponential far", {30, 31, 0, 1}, exponential_draw, exponential_cdf},
    {"triangular", {0, 10, 0, 3, 10}, triangular_draw, triangular_cdf},
    {"triangular clipped", {2, 8, 0, 7, 10}, triangular_draw,
     triangular_cdf},
    {"triangular right", {-5, 5, -1, 4, 4}, triangular_draw, triangular_cdf},
};
enum { NDISTS = sizeof dists / sizeof dists[0] };

/* The extreme uniforms ps_rng_uniform can return, and a grid between. */
static double grid_u(int i, int n)
{
    if (i == 0)
        return 0x1p-54;
    if (i == n)
        return 1.0 - 0x1p-53;
    return (double)i / n;
}

static void test_random_draws_stay_within_min_and_max(void **state)
{
    (void)state;
    enum { N = 2000 };
    for (int d = 0; d < NDISTS; d++) {
        for (int i = 0; i <= N; i++) {
            double x = dists[d].draw(dists[d].p, grid_u(i, N));
            if (!(x >= dists[d].p[0] && x <= dists[d].p[1]))
                fail_msg("%s: u=%g gave %g", dists[d].name, grid_u(i, N), x);
        }
    }
}

static void test_random_draws_are_monotone_in_u(void **state)
{
    (void)state;
    enum { N = 2000 };
    for (int d = 0; d < NDISTS; d++) {
        double prev = -INFINITY;
        for (int i = 0; i <= N; i++) {
            double x = dists[d].draw(dists[d].p, grid_u(i, N));
            if (x < prev)
                fail_msg("%s: not monotone at u=%g", dists[d].name,
                         grid_u(i, N));
            prev = x;
        }
    }
}

static void test_random_draws_invert_the_truncated_cdf(void **state)
{
    (void)state;
    /* F(draw(u)) = u, up to rounding: the transform is exact. */
    enum { N = 400 };
    for (int d = 0; d < NDISTS; d++) {
        for (int i = 1; i < N; i++) {
            double u = (double)i / N;
            double f = dists[d].cdf(dists[d].p, dists[d].draw(dists[d].p, u));
            if (fabs(f - u) > 1e-9)
                fail_msg("%s: F(draw(%g)) = %.15g", dists[d].name, u, f);
        }
    }
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static void test_random_draws_pass_a_kolmogorov_smirnov_test(void **state)
{
    (void)state;
    enum { N = 4000 };
    static double f[N];
    for (int d = 0; d < NDISTS; d++) {
        const ps_rng_address a = {20250101, 0, (uint64_t)d};
        for (int i = 0; i < N; i++) {
            double x = dists[d].draw(dists[d].p, ps_rng_uniform(&a, i));
            f[i] = dists[d].cdf(dists[d].p, x);
        }
        qsort(f, N, sizeof f[0], compare_doubles);
        double dmax = 0.0;
        for (int i = 0; i < N; i++) {
            dmax = fmax(dmax, (i + 1.0) / N - f[i]);
            dmax = fmax(dmax, f[i] - (double)i / N);
        }
        /* Critical value at alpha = 0.001: 1.949 / sqrt(N). */
        if (!(dmax < 1.949 / sqrt((double)N)))
            fail_msg("%s: KS statistic %g", dists[d].name, dmax);
    }
}

static void test_random_normal_matches_its_moments_when_barely_truncated(
    void **state)
{
    (void)state;
    /* Truncation at +-8 sd changes nothing measurable: mean 2, sd 3. */
    enum { N = 20000 };
    const ps_rng_address a = {5, 0, 0};
    double s = 0.0, s2 = 0.0;
    for (int i = 0; i < N; i++) {
        double x = ps_fn_random_normal(-22, 26, 2, 3, ps_rng_uniform(&a, i));
        s += x;
        s2 += x * x;
    }
    double mean = s / N, var = s2 / N - mean * mean;
    assert_true(fabs(mean - 2.0) < 4.5 * 3.0 / sqrt((double)N));
    assert_true(fabs(var / 9.0 - 1.0) < 4.5 * sqrt(2.0 / N));
}

static void test_random_with_an_empty_range_returns_min(void **state)
{
    (void)state;
    assert_true(ps_fn_random_uniform(4, 4, 0.3) == 4.0);
    assert_true(ps_fn_random_uniform(4, 1, 0.3) == 4.0);
    assert_true(ps_fn_random_normal(4, 1, 0, 1, 0.3) == 4.0);
    assert_true(ps_fn_random_exponential(4, 4, 0, 1, 0.3) == 4.0);
    assert_true(ps_fn_random_triangular(4, 2, 0, 1, 5, 0.3) == 4.0);
}

static void test_random_degenerate_distributions_are_clipped_points(
    void **state)
{
    (void)state;
    assert_true(ps_fn_random_normal(0, 10, 3, 0, 0.9) == 3.0);
    assert_true(ps_fn_random_normal(0, 10, 30, -1, 0.9) == 10.0);
    assert_true(ps_fn_random_exponential(0, 10, 3, 0, 0.9) == 3.0);
    assert_true(ps_fn_random_exponential(0, 10, -3, 0, 0.9) == 0.0);
    assert_true(ps_fn_random_triangular(0, 10, 4, 4, 4, 0.9) == 4.0);
    assert_true(ps_fn_random_triangular(0, 10, 12, 13, 11, 0.9) == 10.0);
}

static void test_random_without_mass_in_range_returns_nearest_bound(
    void **state)
{
    (void)state;
    /* Beyond double's normal tail, on either side of the mean. */
    assert_true(ps_fn_random_normal(50, 60, 0, 1, 0.5) == 50.0);
    assert_true(ps_fn_random_normal(-60, -50, 0, 1, 0.5) == -50.0);
    /* Exponential support [shift, inf) lies above the range. */
    assert_true(ps_fn_random_exponential(0, 1, 5, 1, 0.5) == 1.0);
    /* Negative stretch: support (-inf, shift] lies below the range. */
    assert_true(ps_fn_random_exponential(10, 20, 5, -1, 0.5) == 10.0);
    /* Triangle [0, 2] entirely below the range, or above it. */
    assert_true(ps_fn_random_triangular(5, 6, 0, 1, 2, 0.5) == 5.0);
    assert_true(ps_fn_random_triangular(-6, -5, 0, 1, 2, 0.5) == -5.0);
}

static void test_random_exponential_with_negative_stretch_mirrors(
    void **state)
{
    (void)state;
    /* shift - E: the mirror image of shift + E around shift. */
    for (int i = 1; i < 100; i++) {
        double u = i / 100.0;
        double up = ps_fn_random_exponential(-49, 51, 1, 2, u);
        double down = ps_fn_random_exponential(-49, 51, 1, -2, u);
        assert_near(down - 1.0, -(up - 1.0), 1e-12);
    }
}

static void test_random_triangular_clips_the_peak_into_its_base(void **state)
{
    (void)state;
    /* A peak beyond end makes a right triangle rising to end. */
    for (int i = 1; i < 50; i++) {
        double u = i / 50.0;
        assert_true(ps_fn_random_triangular(0, 10, 0, 7, 4, u) ==
                    ps_fn_random_triangular(0, 10, 0, 4, 4, u));
    }
}

static void test_random_functions_propagate_nan(void **state)
{
    (void)state;
    assert_true(isnan(ps_fn_random_uniform(0, NAN, 0.5)));
    assert_true(isnan(ps_fn_random_uniform(0, 1, NAN)));
    assert_true(isnan(ps_fn_random_normal(0, 1, NAN, 1, 0.5)));
    assert_true(isnan(ps_fn_random_normal(0, 1, 0, NAN, 0.5)));
    assert_true(isnan(ps_fn_random_exponential(0, 1, 0, NAN, 0.5)));
    assert_true(isnan(ps_fn_random_triangular(0, 1, 0, NAN, 1, 0.5)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_draws_stay_within_min_and_max),
        cmocka_unit_test(test_random_draws_are_monotone_in_u),
        cmocka_unit_test(test_random_draws_invert_the_truncated_cdf),
        cmocka_unit_test(test_random_draws_pass_a_kolmogorov_smirnov_test),
        cmocka_unit_test(
            test_random_normal_matches_its_moments_when_barely_truncated),
        cmocka_unit_test(test_random_with_an_empty_range_returns_min),
        cmocka_unit_test(
            test_random_degenerate_distributions_are_clipped_points),
        cmocka_unit_test(
            test_random_without_mass_in_range_returns_nearest_bound),
        cmocka_unit_test(test_random_exponential_with_negative_stretch_mirrors),
        cmocka_unit_test(test_random_triangular_clips_the_peak_into_its_base),
        cmocka_unit_test(test_random_functions_propagate_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
