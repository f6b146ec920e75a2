/*
 * Distributions: quantiles, CDFs and means against SciPy 1.10 reference
 * values (scipy.stats norm, truncnorm, lognorm, triang, beta), samples
 * drawn through a design's uniforms against their own CDF (Kolmogorov-
 * Smirnov at a fixed seed, so the outcome is deterministic) and bounds,
 * quantile(cdf(x)) = x, the far tails, and the checker's messages.  A GSL
 * error handler that counts calls makes sure GSL never reports an error
 * (its default handler would abort the process).
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "plansim/design.h"
#include "plansim/dist.h"

static int gsl_errors;

static void count_gsl_error(const char *reason, const char *file, int line,
                            int gsl_errno)
{
    (void)reason, (void)file, (void)line, (void)gsl_errno;
    gsl_errors++;
}

static int reset_gsl_errors(void **state)
{
    (void)state;
    gsl_errors = 0;
    return 0;
}

static int no_gsl_errors(void **state)
{
    (void)state;
    assert_int_equal(gsl_errors, 0);
    return 0;
}

static ps_dist make(ps_dist_kind kind, double a, double b, double c, double d)
{
    ps_dist dist = {kind, {a, b, c, d}, 0, NULL, NULL};
    return dist;
}

static const double discrete_values[] = {1.0, 2.0, 5.0};
static const double discrete_weights[] = {1.0, 2.0, 1.0};

static ps_dist make_discrete(void)
{
    ps_dist d = {PS_DIST_DISCRETE,
                 {0},
                 3,
                 (double *)discrete_values,
                 (double *)discrete_weights};
    return d;
}

/* |got - want| within rel * max(1, |want|). */
static void assert_close(double got, double want, double rel)
{
    double tol = rel * fmax(1.0, fabs(want));
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tolerance %.3g)", got, want, tol);
}

/* ---- reference values ---------------------------------------------------- */

typedef struct point {
    double at, value;
} point;

typedef struct reference {
    ps_dist dist;
    point quantile[4];
    point cdf[2];
    double mean;
} reference;

#define END                                                                    \
    {                                                                          \
        NAN, NAN                                                               \
    }

static void check_reference(const reference *r)
{
    char why[128];
    assert_int_equal(ps_dist_check(&r->dist, why, sizeof why), 0);
    for (size_t i = 0; i < 4 && !isnan(r->quantile[i].at); i++)
        assert_close(ps_dist_quantile(&r->dist, r->quantile[i].at),
                     r->quantile[i].value, 1e-10);
    for (size_t i = 0; i < 2 && !isnan(r->cdf[i].at); i++)
        assert_close(ps_dist_cdf(&r->dist, r->cdf[i].at), r->cdf[i].value,
                     1e-10);
    assert_close(ps_dist_mean(&r->dist), r->mean, 1e-10);
}

static void test_dist_quantile_cdf_and_mean_match_scipy(void **state)
{
    (void)state;
    const reference refs[] = {
        {make(PS_DIST_NORMAL, 10, 2, 0, 0),
         {{0.025, 6.080072030919891},
          {0.5, 10.0},
          {0.9, 12.5631031310892},
          {1e-10, -2.7226818048081114}},
         {{7.0, 0.06680720126885807}, {12.5, 0.8943502263331446}},
         10.0},
        {make(PS_DIST_TRUNCNORMAL, 5, 2, 4, 9),
         {{0.1, 4.364876898002995},
          {0.5, 5.732408708744017},
          {0.95, 8.175247036679654},
          END},
         {{6.0, 0.5726302712768495}, END},
         5.89148755654503},
        {make(PS_DIST_LOGNORMAL, 1, 0.5, 0, 0),
         {{0.05, 1.1943154625015757},
          {0.5, 2.718281828459045},
          {0.99, 8.698703025515458},
          END},
         {{3.0, 0.5781741008028732}, END},
         3.080216848918031},
        {make(PS_DIST_TRIANGULAR, 2, 3, 7, 0),
         {{0.1, 2.707106781186548}, {0.2, 3.0}, {0.8, 5.0}, END},
         {{2.5, 0.05}, {5.0, 0.8}},
         4.0},
        /* PERT(10, 12, 20, 4) = 10 + 10 Beta(1.8, 4.2). */
        {make(PS_DIST_PERT, 10, 12, 20, 4),
         {{0.05, 10.589773876118173},
          {0.5, 12.766722593925188},
          {0.99, 17.48559328629635},
          END},
         {{11.0, 0.11852804233280922}, {15.0, 0.8579299774303809}},
         13.0},
        {make(PS_DIST_UNIFORM, -1, 3, 0, 0),
         {{0.25, 0.0}, {0.5, 1.0}, END, END},
         {{2.0, 0.75}, {-5.0, 0.0}},
         1.0},
    };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        check_reference(&refs[i]);
}

static void test_dist_truncnormal_is_accurate_far_in_either_tail(void **state)
{
    (void)state;
    /* Q(10) = 7.6e-24: P(10) is 1.0 in doubles, so only the upper-tail
       formulas can place these points. */
    const reference right = {make(PS_DIST_TRUNCNORMAL, 0, 1, 10, INFINITY),
                             {{0.5, 10.06841183608143},
                              {0.01, 10.00099522207456},
                              {0.99, 10.446272898689614},
                              END},
                             {{10.05, 0.3971837723052379}, END},
                             10.098093233962564};
    const reference left = {
        make(PS_DIST_TRUNCNORMAL, 0, 1, -INFINITY, -12),
        {{0.3, -12.099243469091315}, {0.999, -12.000082807415382}, END, END},
        {{-12.2, 0.08748299663833803}, END},
        -12.082214175254526};
    check_reference(&right);
    check_reference(&left);
}

static void
test_dist_pert_quantile_survives_shapes_where_gsl_betainv_fails(void **state)
{
    (void)state;
    /* GSL 2.7's gsl_cdf_beta_Pinv fails to converge on these (and calls
       the error handler); SciPy's beta.ppf gives the reference. */
    const struct {
        double min, mode, max, lambda, u, want;
    } cases[] = {
        {0, 0.99, 1, 200, 1e-8, 0.8861104566440678}, /* Beta(199, 3) */
        {0, 0.99, 1, 200, 0.5, 0.9867185004448318},
        {0, 1, 1, 1000, 0.3, 0.9987979530036742}, /* Beta(1001, 1) */
        {0, 1, 1, 1000, 1e-15, 0.9660842124472966},
        {0, 0.01, 1, 200, 1 - 1e-8, 0.11388954333174957}, /* Beta(3, 199) */
        {0, 0.01, 1, 200, 0x1p-54, 3.465917307451637e-08},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps_dist d = make(PS_DIST_PERT, cases[i].min, cases[i].mode,
                         cases[i].max, cases[i].lambda);
        double got = ps_dist_quantile(&d, cases[i].u);
        /* Relative to the value itself: the last case is 3.5e-8. */
        if (!(fabs(got - cases[i].want) <= 1e-9 * cases[i].want))
            fail_msg("case %zu: got %.17g, want %.17g", i, got, cases[i].want);
    }
}

/* PERT(0, mode, 1, lambda) is Beta(a, b) with lambda = a + b - 2 and
   mode = (a - 1) / lambda. */
static ps_dist beta_as_pert(double a, double b)
{
    double lambda = a + b - 2.0;
    return make(PS_DIST_PERT, 0.0, lambda > 0 ? (a - 1.0) / lambda : 0.5, 1.0,
                lambda);
}

static void test_dist_pert_quantile_matches_gsl_betainv_on_a_grid(void **state)
{
    (void)state;
    /* Over shapes a, b in [1, 60] and levels from 1e-12 to 1 - 1e-12:
       within 1e-12 of gsl_cdf_beta_Pinv, relative, wherever that one
       converges (it is asked with its error handler off). */
    static const double shapes[] = {1.0, 1.2, 1.8, 2.0,  3.0,
                                    4.2, 5.0, 9.0, 20.0, 60.0};
    enum { NS = sizeof shapes / sizeof shapes[0] };
    size_t compared = 0;
    for (size_t i = 0; i < NS; i++) {
        for (size_t j = 0; j < NS; j++) {
            double a = shapes[i], b = shapes[j];
            if (a + b <= 2.0)
                continue; /* lambda 0: not a PERT */
            ps_dist d = beta_as_pert(a, b);
            for (int e = -12; e <= 12; e++) {
                double tail = e == 0 ? 0.5 : pow(10.0, -abs(e));
                for (double m = 1.0; m < 9.5; m += 4.0) {
                    double u = e <= 0 ? tail * (e ? m : 1.0) : 1.0 - tail * m;
                    double got = ps_dist_quantile(&d, u);
                    gsl_error_handler_t *h = gsl_set_error_handler_off();
                    double want = gsl_cdf_beta_Pinv(u, a, b);
                    gsl_set_error_handler(h);
                    if (isnan(want))
                        continue;
                    compared++;
                    if (!(fabs(got - want) <= 1e-12 * want))
                        fail_msg("Beta(%g, %g) at %g: got %.17g, GSL %.17g", a,
                                 b, u, got, want);
                    /* and it inverts the CDF */
                    double back = gsl_cdf_beta_P(got, a, b);
                    double mass = u <= 0.5 ? u : 1.0 - u;
                    double err = u <= 0.5 ? back - u : (1.0 - back) - (1.0 - u);
                    /* u is rounded (1 - u carries 2^-53), and so is x:
                       the CDF moves by up to its density, at most about
                       a + b, times the last bit of x */
                    if (!(fabs(err) <=
                          1e-11 * mass + 4.0 * DBL_EPSILON * (a + b)))
                        fail_msg("Beta(%g, %g) at %g: CDF %.17g", a, b, u,
                                 back);
                    if (e == 0)
                        break;
                }
            }
        }
    }
    assert_true(compared > 4000);
}

static void test_dist_discrete_quantile_is_the_inverse_of_its_cdf(void **state)
{
    (void)state;
    ps_dist d = make_discrete();
    char why[128];
    assert_int_equal(ps_dist_check(&d, why, sizeof why), 0);
    /* Weights 1:2:1 over the values 1, 2, 5. */
    assert_true(ps_dist_quantile(&d, 0.1) == 1.0);
    assert_true(ps_dist_quantile(&d, 0.25) == 1.0);
    assert_true(ps_dist_quantile(&d, 0.2500001) == 2.0);
    assert_true(ps_dist_quantile(&d, 0.75) == 2.0);
    assert_true(ps_dist_quantile(&d, 0.76) == 5.0);
    assert_true(ps_dist_quantile(&d, 1.0 - 0x1p-53) == 5.0);
    assert_close(ps_dist_cdf(&d, 0.5), 0.0, 0);
    assert_close(ps_dist_cdf(&d, 1.5), 0.25, 1e-15);
    assert_close(ps_dist_cdf(&d, 2.0), 0.75, 1e-15);
    assert_close(ps_dist_cdf(&d, 9.0), 1.0, 1e-15);
    assert_close(ps_dist_mean(&d), (1.0 + 4.0 + 5.0) / 4.0, 1e-15);
    double lo, hi;
    ps_dist_support(&d, &lo, &hi);
    assert_true(lo == 1.0 && hi == 5.0);
}

static void
test_dist_discrete_never_returns_a_value_of_zero_weight(void **state)
{
    (void)state;
    const double values[] = {1, 2, 3, 4};
    const double weights[] = {0, 1, 0, 1};
    ps_dist d = {PS_DIST_DISCRETE, {0}, 4, (double *)values, (double *)weights};
    for (int i = 1; i < 1000; i++) {
        double x = ps_dist_quantile(&d, i / 1000.0);
        assert_true(x == 2.0 || x == 4.0);
    }
    assert_true(ps_dist_quantile(&d, 0x1p-54) == 2.0);
    double lo, hi;
    ps_dist_support(&d, &lo, &hi);
    assert_true(lo == 2.0 && hi == 4.0);
}

/* ---- the battery: every continuous kind ---------------------------------- */

static ps_dist battery(size_t i)
{
    const ps_dist all[] = {
        make(PS_DIST_UNIFORM, 2, 5, 0, 0),
        make(PS_DIST_NORMAL, 100, 15, 0, 0),
        make(PS_DIST_TRUNCNORMAL, 1, 0.5, 0.8, INFINITY),
        make(PS_DIST_TRUNCNORMAL, 0, 1, -1, 2),
        make(PS_DIST_TRUNCNORMAL, 0, 1, 6, 7),
        make(PS_DIST_LOGNORMAL, 0.2, 0.8, 0, 0),
        make(PS_DIST_TRIANGULAR, 0, 1, 4, 0),
        make(PS_DIST_TRIANGULAR, 0, 0, 1, 0),
        make(PS_DIST_PERT, 0.02, 0.05, 0.12, 4),
        make(PS_DIST_PERT, 1, 3, 3, 10),
    };
    return all[i];
}

#define BATTERY_SIZE 10

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static void
test_dist_samples_pass_kolmogorov_smirnov_against_their_cdf(void **state)
{
    (void)state;
    enum { N = 2000 };
    static double u[N * BATTERY_SIZE], x[N];
    ps_error err;
    assert_int_equal(
        ps_design_fill(PS_DESIGN_MC, 20250101, N, BATTERY_SIZE, 0, N, u, &err),
        PS_OK);
    /* Critical value of the one-sample KS statistic at alpha = 0.001. */
    const double critical = 1.949 / sqrt((double)N);
    for (size_t k = 0; k < BATTERY_SIZE; k++) {
        ps_dist d = battery(k);
        double lo, hi;
        ps_dist_support(&d, &lo, &hi);
        for (size_t i = 0; i < N; i++) {
            x[i] = ps_dist_quantile(&d, u[i * BATTERY_SIZE + k]);
            assert_true(x[i] >= lo && x[i] <= hi);
        }
        qsort(x, N, sizeof x[0], compare_doubles);
        double dmax = 0.0;
        for (size_t i = 0; i < N; i++) {
            double f = ps_dist_cdf(&d, x[i]);
            dmax = fmax(dmax, fmax(f - (double)i / N, (i + 1.0) / N - f));
        }
        if (!(dmax < critical))
            fail_msg("%s #%zu: KS statistic %.4f >= %.4f",
                     ps_dist_kind_name(d.kind), k, dmax, critical);
    }
}

static void test_dist_quantile_inverts_the_cdf(void **state)
{
    (void)state;
    for (size_t k = 0; k < BATTERY_SIZE; k++) {
        ps_dist d = battery(k);
        for (int i = 1; i < 200; i++) {
            double u = i / 200.0;
            double x = ps_dist_quantile(&d, u);
            assert_close(ps_dist_cdf(&d, x), u, 1e-10);
            /* And the other way round, from x. */
            assert_close(ps_dist_quantile(&d, ps_dist_cdf(&d, x)), x, 1e-8);
        }
    }
}

static void
test_dist_quantile_stays_finite_and_ordered_at_extreme_u(void **state)
{
    (void)state;
    const double us[] = {0x1p-54, 1e-12, 0.5, 1 - 1e-12, 1 - 0x1p-53};
    for (size_t k = 0; k < BATTERY_SIZE; k++) {
        ps_dist d = battery(k);
        double lo, hi, prev = -INFINITY;
        ps_dist_support(&d, &lo, &hi);
        for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
            double x = ps_dist_quantile(&d, us[i]);
            assert_true(isfinite(x) && x >= lo && x <= hi && x >= prev);
            prev = x;
        }
        /* Outside (0, 1): the ends of the support; NaN stays NaN. */
        assert_true(ps_dist_quantile(&d, 0.0) == lo);
        assert_true(ps_dist_quantile(&d, 1.0) == hi);
        assert_true(isnan(ps_dist_quantile(&d, NAN)));
        assert_true(isnan(ps_dist_cdf(&d, NAN)));
    }
}

/* Bitwise equality, NaN included. */
static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void test_dist_quantiles_of_a_column_equal_one_by_one(void **state)
{
    (void)state;
    /* Every kind, PERT with its mode at either end and a large lambda,
       truncated normals on each side of 0 and straddling it. */
    const ps_dist extra[] = {
        make(PS_DIST_PERT, 0, 0, 1, 4),
        make(PS_DIST_PERT, 0, 1, 1, 4),
        make(PS_DIST_PERT, -3, 2, 2.5, 400),
        make(PS_DIST_TRUNCNORMAL, 0, 1, -7, -6),
        make(PS_DIST_TRUNCNORMAL, 0, 1, -INFINITY, 0.3),
        make_discrete(),
    };
    const size_t nextra = sizeof extra / sizeof extra[0];
    const double us[] = {0.0,           -0.5,   1.0,       1.5,        NAN,
                         0x1p-54,       1e-300, 1e-12,     0.25,       0.5,
                         0.5 + 0x1p-53, 0.75,   1 - 1e-12, 1 - 0x1p-53};
    enum { N = sizeof us / sizeof us[0], STRIDE = 3 };
    for (size_t k = 0; k < BATTERY_SIZE + nextra; k++) {
        ps_dist d = k < BATTERY_SIZE ? battery(k) : extra[k - BATTERY_SIZE];
        double column[N * STRIDE];
        for (size_t i = 0; i < N * STRIDE; i++)
            column[i] = -1.0;
        for (size_t i = 0; i < N; i++)
            column[i * STRIDE] = us[i];
        ps_dist_quantiles(&d, column, N, STRIDE);
        for (size_t i = 0; i < N; i++) {
            assert_true(
                same_bits(column[i * STRIDE], ps_dist_quantile(&d, us[i])));
            /* Values between the strided ones are left alone. */
            assert_true(column[i * STRIDE + 1] == -1.0 &&
                        column[i * STRIDE + 2] == -1.0);
        }
        ps_dist_quantiles(&d, NULL, 0, STRIDE); /* nothing to do */
    }
}

/* |got - want| in units in the last place of |want|, or of the support's
   scale max(|min|, |max|) where that is larger: min + (max - min) q
   cannot be closer than the scale's ulp, however small the value. */
static double ulps_apart(double got, double want, double scale)
{
    if (got == want)
        return 0.0;
    const double own = nextafter(fabs(want), INFINITY) - fabs(want);
    const double big = nextafter(scale, INFINITY) - scale;
    return fabs(got - want) / fmax(own, big);
}

static void
test_dist_sampler_pert_is_within_a_few_ulps_of_the_quantile(void **state)
{
    (void)state;
    /* Modes inside, at either end, lambda from nearly uniform to very
       peaked, and a support straddling 0. */
    const ps_dist shapes[] = {
        make(PS_DIST_PERT, 0, 0.3, 1, 4),
        make(PS_DIST_PERT, 0, 0, 1, 4),
        make(PS_DIST_PERT, 0, 1, 1, 4),
        make(PS_DIST_PERT, 0, 0.5, 1, 4),
        make(PS_DIST_PERT, 0, 0.01, 1, 400),
        make(PS_DIST_PERT, 0, 0.99, 1, 400),
        make(PS_DIST_PERT, 0, 0.2, 1, 0.05),
        make(PS_DIST_PERT, 0.6, 1, 1.6, 4),
        make(PS_DIST_PERT, -0.01, 0.01, 0.03, 4),
        make(PS_DIST_PERT, 50, 62, 75, 4),
    };
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        const ps_dist *d = &shapes[k];
        const double scale = fmax(fabs(d->p[0]), fabs(d->p[2]));
        ps_dist_sampler *s = ps_dist_sampler_new(d);
        assert_non_null(s);
        /* u from 1e-300 through the body to 1 - 2^-53. */
        for (int i = -3000; i <= 3000; i++) {
            const double u = i <= 0 ? 0.5 * pow(10.0, -300.0 * -i / 3000.0)
                                    : 1.0 - 0.5 * pow(10.0, -16.0 * i / 3000.0);
            double x = u;
            ps_dist_sampler_quantiles(s, &x, 1, 1);
            const double want = ps_dist_quantile(d, u);
            if (!(ulps_apart(x, want, scale) <= 8.0))
                fail_msg("pert(%g, %g, %g, %g) at u = %.17g: %.17g, the "
                         "quantile %.17g",
                         d->p[0], d->p[1], d->p[2], d->p[3], u, x, want);
        }
        ps_dist_sampler_free(&s);
        assert_null(s);
    }
}

static void test_dist_sampler_keeps_the_ends_nan_and_other_kinds(void **state)
{
    (void)state;
    const ps_dist extra[] = {
        make(PS_DIST_PERT, 0, 0, 1, 4),
        make(PS_DIST_PERT, 0, 1, 1, 4),
        make(PS_DIST_PERT, 2, 2.5, 3, 4),
        make_discrete(),
    };
    const size_t nextra = sizeof extra / sizeof extra[0];
    for (size_t k = 0; k < BATTERY_SIZE + nextra; k++) {
        ps_dist d = k < BATTERY_SIZE ? battery(k) : extra[k - BATTERY_SIZE];
        ps_dist_sampler *s = ps_dist_sampler_new(&d);
        assert_non_null(s);
        double lo, hi;
        ps_dist_support(&d, &lo, &hi);
        double v[] = {0.0, -1.0, 1.0, 2.0, NAN, 0.25, 0.75, 0.5};
        ps_dist_sampler_quantiles(s, v, 4, 2); /* 0.0, 1.0, NAN, 0.75 */
        assert_true(v[0] == lo && v[2] == hi && isnan(v[4]));
        /* Every other value is left alone. */
        assert_true(v[1] == -1.0 && v[3] == 2.0 && v[5] == 0.25 && v[7] == 0.5);
        if (d.kind != PS_DIST_PERT)
            assert_true(same_bits(v[6], ps_dist_quantile(&d, 0.75)));
        else
            assert_true(ulps_apart(v[6], ps_dist_quantile(&d, 0.75),
                                   fmax(fabs(lo), fabs(hi))) <= 8.0);
        ps_dist_sampler_quantiles(s, NULL, 0, 1); /* nothing to do */
        ps_dist_sampler_free(&s);
    }
    assert_null(ps_dist_sampler_new(NULL));
    ps_dist_sampler_free(NULL);
}

static void test_dist_sample_mean_is_near_the_mean(void **state)
{
    (void)state;
    enum { N = 4096 };
    static double u[N];
    /* Latin hypercube uniforms: the sample mean of a smooth quantile
       converges fast, so a tight tolerance still cannot fail by chance. */
    assert_int_equal(ps_design_fill(PS_DESIGN_LHS, 7, N, 1, 0, N, u, NULL),
                     PS_OK);
    for (size_t k = 0; k < BATTERY_SIZE; k++) {
        ps_dist d = battery(k);
        double lo, hi, s = 0.0;
        ps_dist_support(&d, &lo, &hi);
        for (size_t i = 0; i < N; i++)
            s += ps_dist_quantile(&d, u[i]);
        double scale = isfinite(hi - lo) ? hi - lo : 1.0;
        if (d.kind == PS_DIST_NORMAL || d.kind == PS_DIST_LOGNORMAL)
            scale = d.kind == PS_DIST_NORMAL ? d.p[1] : 1.0;
        assert_close(s / N, ps_dist_mean(&d), 2e-3 * scale);
    }
}

/* ---- checking ---------------------------------------------------------- */

static void expect_refused(ps_dist d, const char *reason)
{
    char why[160] = "untouched";
    assert_int_equal(ps_dist_check(&d, why, sizeof why), -1);
    assert_string_equal(why, reason);
}

static void test_dist_check_explains_what_is_wrong(void **state)
{
    (void)state;
    expect_refused(make(PS_DIST_NORMAL, 0, -1, 0, 0),
                   "sd must be positive, got -1");
    expect_refused(make(PS_DIST_NORMAL, NAN, 1, 0, 0),
                   "mean must be a finite number, got nan");
    expect_refused(make(PS_DIST_LOGNORMAL, 0, 0, 0, 0),
                   "sigma must be positive, got 0");
    expect_refused(make(PS_DIST_UNIFORM, 3, 3, 0, 0),
                   "min must be less than max, got min 3, max 3");
    expect_refused(make(PS_DIST_UNIFORM, 0, INFINITY, 0, 0),
                   "max must be a finite number, got inf");
    expect_refused(make(PS_DIST_TRIANGULAR, 0, 5, 4, 0),
                   "mode must lie in [min, max], got 5 not in [0, 4]");
    expect_refused(make(PS_DIST_PERT, 0, 1, 4, 0),
                   "lambda must be positive, got 0");
    expect_refused(make(PS_DIST_TRUNCNORMAL, 0, 1, 2, 1),
                   "min must be less than max, got min 2, max 1");
    expect_refused(make(PS_DIST_TRUNCNORMAL, 0, 1, 40, INFINITY),
                   "the interval [40, inf] has no probability under "
                   "normal(mean 0, sd 1): it lies too far in the tail");
    expect_refused(make(PS_DIST_TRUNCNORMAL, 0, 1, INFINITY, INFINITY),
                   "min and max must be numbers, -inf for min or +inf for "
                   "max, got min inf, max inf");
    ps_dist bad = make((ps_dist_kind)42, 0, 0, 0, 0);
    expect_refused(bad, "unknown distribution kind 42");
}

static void test_dist_check_refuses_bad_discrete_tables(void **state)
{
    (void)state;
    double values[] = {1, 3, 2};
    double weights[] = {1, 1, 1};
    ps_dist d = {PS_DIST_DISCRETE, {0}, 3, values, weights};
    expect_refused(d, "values must be strictly increasing, but values[2] = 2 "
                      "follows 3");
    values[2] = 4;
    weights[1] = -0.5;
    expect_refused(d, "weights[1] must be a finite number >= 0, got -0.5");
    weights[0] = weights[1] = weights[2] = 0;
    expect_refused(d, "the weights must have a positive finite sum, got 0");
    d.n = 0;
    expect_refused(d, "a discrete distribution needs at least one value with "
                      "a weight");
}

static void test_dist_check_accepts_edge_cases_and_a_null_reason(void **state)
{
    (void)state;
    /* A mode at either end, a one-sided truncation, a single value. */
    const double one = 7.0, w = 3.0;
    ps_dist single = {PS_DIST_DISCRETE, {0}, 1, (double *)&one, (double *)&w};
    const ps_dist ok[] = {
        make(PS_DIST_TRIANGULAR, 0, 0, 1, 0),
        make(PS_DIST_PERT, 0, 1, 1, 4),
        make(PS_DIST_TRUNCNORMAL, 0, 1, -INFINITY, 0),
        make(PS_DIST_TRUNCNORMAL, 0, 1, 30, INFINITY),
        single,
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_int_equal(ps_dist_check(&ok[i], NULL, 0), 0);
    assert_true(ps_dist_quantile(&single, 0.3) == 7.0);
    assert_int_equal(ps_dist_check(NULL, NULL, 0), -1);
    /* A short buffer gets a truncated, terminated reason. */
    char tiny[8];
    ps_dist bad = make(PS_DIST_NORMAL, 0, -1, 0, 0);
    assert_int_equal(ps_dist_check(&bad, tiny, sizeof tiny), -1);
    assert_string_equal(tiny, "sd must");
}

/* ---- names, copies ------------------------------------------------------ */

static void test_dist_kind_names_round_trip(void **state)
{
    (void)state;
    const char *names[] = {"uniform",    "normal", "truncnormal", "lognormal",
                           "triangular", "pert",   "discrete"};
    for (int i = 0; i < 7; i++) {
        ps_dist_kind k;
        assert_int_equal(ps_dist_kind_from_name(names[i], &k), 0);
        assert_int_equal(k, i);
        assert_string_equal(ps_dist_kind_name(k), names[i]);
    }
    ps_dist_kind k = PS_DIST_PERT;
    assert_int_equal(ps_dist_kind_from_name("gamma", &k), -1);
    assert_int_equal(ps_dist_kind_from_name(NULL, &k), -1);
    assert_int_equal(k, PS_DIST_PERT);
    assert_string_equal(ps_dist_kind_name((ps_dist_kind)99), "unknown");
}

static void test_dist_copy_is_deep_and_clear_frees_it(void **state)
{
    (void)state;
    ps_dist src = make_discrete(), copy;
    assert_int_equal(ps_dist_copy(&copy, &src), 0);
    assert_int_equal(copy.n, 3);
    assert_ptr_not_equal(copy.values, src.values);
    assert_memory_equal(copy.values, discrete_values, sizeof discrete_values);
    assert_memory_equal(copy.weights, discrete_weights,
                        sizeof discrete_weights);
    copy.values[0] = -1.0; /* the source is untouched */
    assert_true(src.values[0] == 1.0);
    ps_dist_clear(&copy);
    assert_null(copy.values);
    assert_null(copy.weights);
    assert_int_equal(copy.n, 0);
    ps_dist_clear(NULL);

    ps_dist normal = make(PS_DIST_NORMAL, 1, 2, 0, 0), out;
    assert_int_equal(ps_dist_copy(&out, &normal), 0);
    assert_null(out.values);
    assert_true(out.p[1] == 2.0);
    assert_int_equal(ps_dist_copy(&out, NULL), -1);
    assert_int_equal(out.kind, 0);
}

int main(void)
{
    gsl_set_error_handler(count_gsl_error);
#define T(f) cmocka_unit_test_setup_teardown(f, reset_gsl_errors, no_gsl_errors)
    const struct CMUnitTest tests[] = {
        T(test_dist_quantile_cdf_and_mean_match_scipy),
        T(test_dist_truncnormal_is_accurate_far_in_either_tail),
        T(test_dist_pert_quantile_survives_shapes_where_gsl_betainv_fails),
        T(test_dist_pert_quantile_matches_gsl_betainv_on_a_grid),
        T(test_dist_discrete_quantile_is_the_inverse_of_its_cdf),
        T(test_dist_discrete_never_returns_a_value_of_zero_weight),
        T(test_dist_samples_pass_kolmogorov_smirnov_against_their_cdf),
        T(test_dist_quantile_inverts_the_cdf),
        T(test_dist_quantile_stays_finite_and_ordered_at_extreme_u),
        T(test_dist_quantiles_of_a_column_equal_one_by_one),
        T(test_dist_sampler_pert_is_within_a_few_ulps_of_the_quantile),
        T(test_dist_sampler_keeps_the_ends_nan_and_other_kinds),
        T(test_dist_sample_mean_is_near_the_mean),
        T(test_dist_check_explains_what_is_wrong),
        T(test_dist_check_refuses_bad_discrete_tables),
        T(test_dist_check_accepts_edge_cases_and_a_null_reason),
        T(test_dist_kind_names_round_trip),
        T(test_dist_copy_is_deep_and_clear_frees_it),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
