/*
 * The beta quantile behind PERT samplers: the incomplete beta of
 * beta_cdf.c against GSL's, and the table-guided quantile of
 * beta_table.c against closed forms (Beta(a, 1), Beta(1, b), the
 * uniform) and against ps__beta_quantile, over the whole of (0, 1).
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "sample_impl.h"

/* |got - want| <= tol * |want| (and both finite). */
static void assert_rel(double got, double want, double tol, const char *what,
                       double a, double b, double at)
{
    if (!(isfinite(got) && fabs(got - want) <= tol * fabs(want)))
        fail_msg("%s of Beta(%g, %g) at %.17g: %.17g, want %.17g", what, a, b,
                 at, got, want);
}

static const double shapes[][2] = {
    {1, 1},       {1, 5},  {5, 1},   {2.2, 3.8}, {3, 3},
    {1.01, 1.04}, {9, 33}, {5, 397}, {397, 5},   {1.0001, 4.9999},
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

static void test_beta_cdf_and_density_match_gsl(void **state)
{
    (void)state;
    for (size_t k = 0; k < NSHAPES; k++) {
        const double a = shapes[k][0], b = shapes[k][1];
        const double lnbeta = gsl_sf_lnbeta(a, b);
        /* x from 1e-12 to 1 - 1e-12, both ends dense. */
        for (int i = -600; i <= 600; i++) {
            const double x = i <= 0 ? 0.5 * pow(10.0, 12.0 * i / 600.0)
                                    : 1.0 - 0.5 * pow(10.0, -12.0 * i / 600.0);
            double pdf;
            const double p = ps__beta_cdf_density(x, a, b, lnbeta, &pdf);
            const double want = gsl_cdf_beta_P(x, a, b);
            /* Relative where the CDF is small, absolute near 1. */
            if (want < 0.5)
                assert_rel(p, want, 1e-13, "I_x", a, b, x);
            else if (!(fabs(p - want) <= 1e-14))
                fail_msg("I_x of Beta(%g, %g) at %.17g: %.17g, want %.17g", a,
                         b, x, p, want);
            /* (Past 1e-250 both lose digits to exp of a large argument.) */
            const double dens = gsl_ran_beta_pdf(x, a, b);
            if (dens > 1e-250)
                assert_rel(pdf, dens, 1e-12, "density", a, b, x);
        }
    }
}

/* The u-quantile where it has a closed form, else NAN: u^(1/a) for
   Beta(a, 1) (a power of 2 here, so that 1/a is exact and pow is the
   only rounding), 1 - (1 - u)^(1/b) for Beta(1, b), with 1 - u exact
   above 1/2. */
static double closed_form(double u, double a, double b)
{
    if (b == 1.0)
        return pow(u, 1.0 / a);
    if (a == 1.0)
        return u > 0.5 ? 1.0 - pow(1.0 - u, 1.0 / b) : -expm1(log1p(-u) / b);
    return NAN;
}

/* u from 1e-300 through the body to 1 - 2^-53. */
static double grid_u(int i)
{
    return i <= 0 ? 0.5 * pow(10.0, -300.0 * -i / 3000.0)
                  : 1.0 - 0.5 * pow(10.0, -16.0 * i / 3000.0);
}

static void test_beta_table_quantile_matches_closed_forms(void **state)
{
    (void)state;
    static ps__beta_table t;
    const double closed[][2] = {{1, 1}, {2, 1}, {4, 1},  {64, 1},
                                {1, 2}, {1, 5}, {1, 400}};
    for (size_t k = 0; k < sizeof closed / sizeof closed[0]; k++) {
        const double a = closed[k][0], b = closed[k][1];
        ps__beta_table_init(&t, a, b);
        for (int i = -3000; i <= 3000; i++) {
            const double u = grid_u(i);
            const double got = ps__beta_table_quantile(&t, u);
            /* Above u = 1/2 the answer 1 - y is no closer than y's ulp. */
            const double want = closed_form(u, a, b);
            const double slack = u > 0.5 ? DBL_EPSILON : 0.0;
            if (!(fabs(got - want) <= 32.0 * DBL_EPSILON * want + slack))
                fail_msg("Beta(%g, %g) at u = %.17g: %.17g, want %.17g", a, b,
                         u, got, want);
        }
    }
}

static void
test_beta_table_quantile_is_within_ulps_of_the_iteration(void **state)
{
    (void)state;
    static ps__beta_table t;
    for (size_t k = 0; k < NSHAPES; k++) {
        const double a = shapes[k][0], b = shapes[k][1];
        ps__beta_table_init(&t, a, b);
        for (int i = -3000; i <= 3000; i++) {
            const double u = grid_u(i);
            const double got = ps__beta_table_quantile(&t, u);
            const double want = ps__beta_quantile(u, a, b);
            /* Relative to the value where it comes from the lower half
               (where the iteration on GSL's CDF loses up to |ln x| units
               in the last place); in the upper half 1 - y, to y's ulp. */
            const double tol = u <= 0.5 ? 1e-13 * want : 8.0 * DBL_EPSILON;
            if (!(got >= 0.0 && got <= 1.0 && fabs(got - want) <= tol))
                fail_msg("Beta(%g, %g) at u = %.17g: %.17g, the iteration "
                         "%.17g",
                         a, b, u, got, want);
        }
    }
}

static void test_beta_table_quantile_keeps_the_ends(void **state)
{
    (void)state;
    static ps__beta_table t;
    ps__beta_table_init(&t, 2.6, 3.4);
    assert_true(ps__beta_table_quantile(&t, 0.0) == 0.0);
    assert_true(ps__beta_table_quantile(&t, -1.0) == 0.0);
    assert_true(ps__beta_table_quantile(&t, 1.0) == 1.0);
    assert_true(ps__beta_table_quantile(&t, 2.0) == 1.0);
    /* The smallest u a copula hands over still gives a value in [0, 1). */
    const double x = ps__beta_table_quantile(&t, DBL_TRUE_MIN);
    assert_true(x >= 0.0 && x < 1e-100);
    const double y = ps__beta_table_quantile(&t, 1.0 - DBL_EPSILON / 2.0);
    assert_true(y > 0.99 && y <= 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_beta_cdf_and_density_match_gsl),
        cmocka_unit_test(test_beta_table_quantile_matches_closed_forms),
        cmocka_unit_test(
            test_beta_table_quantile_is_within_ulps_of_the_iteration),
        cmocka_unit_test(test_beta_table_quantile_keeps_the_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
