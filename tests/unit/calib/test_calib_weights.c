/*
 * The samplers' building blocks, against hand-computed values: the
 * effective sample size, normalising log weights, systematic resampling,
 * weighted summaries (NaN values left out), the Cholesky factor, and the
 * prior in normal scores (correlation, density, tails).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calib_impl.h"

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-12)

static void ess_of_weights(void **state)
{
    (void)state;
    const double equal[4] = {1, 1, 1, 1};
    const double uneven[4] = {0.5, 0.25, 0.25, 0.0};
    const double raw[3] = {2, 1, 1};
    const double zero[3] = {0, 0, 0};
    const double huge[2] = {1e300, 1e300};
    CLOSE(ps_calib_ess(equal, 4), 4.0);
    CLOSE(ps_calib_ess(uneven, 4), 1.0 / 0.375);
    CLOSE(ps_calib_ess(raw, 3), 16.0 / 6.0);
    CLOSE(ps_calib_ess(zero, 3), 0.0);
    CLOSE(ps_calib_ess(huge, 2), 2.0);
    CLOSE(ps_calib_ess(equal, 0), 0.0);
}

static void log_weights_normalise(void **state)
{
    (void)state;
    double lw[3] = {-INFINITY, 0.0, log(3.0)}, w[3];
    CLOSE(calib_log_normalize(lw, 3, w), log(4.0));
    CLOSE(w[0], 0.0);
    CLOSE(w[1], 0.25);
    CLOSE(w[2], 0.75);
    double big[2] = {1000.0, 1000.0};
    CLOSE(calib_log_normalize(big, 2, big), 1000.0 + log(2.0));
    CLOSE(big[0], 0.5);
    CLOSE(big[1], 0.5);
    double none[2] = {-INFINITY, -INFINITY};
    assert_true(calib_log_normalize(none, 2, w) == -INFINITY);
    assert_true(w[0] == 0.0 && w[1] == 0.0);
}

static void systematic_resampling(void **state)
{
    (void)state;
    const double w[4] = {0.1, 0.0, 0.6, 0.3};
    size_t idx[4];
    /* Targets (i + u) / 4 against cumulative weights 0.1 0.1 0.7 1.0. */
    ps_calib_resample(w, 4, 4, 0.5, idx);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 2);
    assert_int_equal(idx[2], 2);
    assert_int_equal(idx[3], 3);
    ps_calib_resample(w, 4, 4, 0.2, idx);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 2);
    assert_int_equal(idx[2], 2);
    assert_int_equal(idx[3], 3);
    /* Weights summing short of 1 (as rounding may leave them) with a
       trailing zero: draws beyond the sum take the last positive one.
       Targets 0.3, 0.633, 0.967 against 0.3 0.6 0.9 0.9. */
    const double short_sum[4] = {0.3, 0.3, 0.3, 0.0};
    size_t three[3];
    ps_calib_resample(short_sum, 4, 3, 0.9, three);
    assert_int_equal(three[0], 1);
    assert_int_equal(three[1], 2);
    assert_int_equal(three[2], 2);
    /* More draws than weights: each index in proportion. */
    const double two[2] = {0.25, 0.75};
    size_t eight[8];
    ps_calib_resample(two, 2, 8, 0.5, eight);
    size_t ones = 0;
    for (size_t i = 0; i < 8; i++)
        ones += eight[i];
    assert_int_equal(ones, 6);
}

static void weighted_summaries(void **state)
{
    (void)state;
    /* Column 1 of a 5 x 2 matrix: 3, NaN, 1, 2, 4. */
    const double m[10] = {0, 3, 0, NAN, 0, 1, 0, 2, 0, 4};
    const double w[5] = {0.25, 0.5, 0.25, 0.25, 0.25};
    const double probs[6] = {0.0, 0.25, 0.26, 0.5, 1.0, NAN};
    double q[6];
    ps_calib_moments mom;
    assert_int_equal(ps_calib_summarize(m, 5, 2, 1, w, 6, probs, &mom, q, NULL),
                     PS_OK);
    CLOSE(mom.mean, 2.5);
    CLOSE(mom.sd, sqrt(1.25));
    CLOSE(q[0], 1.0);
    CLOSE(q[1], 1.0);
    CLOSE(q[2], 2.0);
    CLOSE(q[3], 2.0);
    CLOSE(q[4], 4.0);
    assert_true(isnan(q[5]));
    /* Equal weights (NULL) give the same. */
    assert_int_equal(
        ps_calib_summarize(m, 5, 2, 1, NULL, 5, probs, &mom, q, NULL), PS_OK);
    CLOSE(mom.mean, 2.5);
    CLOSE(q[3], 2.0);

    /* Uneven weights: 1, 2, 3 with 0.5, 0.25, 0.25, and 100 with 0. */
    const double v[4] = {2, 100, 1, 3};
    const double vw[4] = {0.25, 0.0, 0.5, 0.25};
    const double p2[3] = {0.5, 0.6, 0.0};
    assert_int_equal(ps_calib_summarize(v, 4, 1, 0, vw, 3, p2, &mom, q, NULL),
                     PS_OK);
    CLOSE(mom.mean, 1.75);
    CLOSE(mom.sd, sqrt(0.6875));
    CLOSE(q[0], 1.0);
    CLOSE(q[1], 2.0);
    CLOSE(q[2], 1.0);

    /* Nothing left: NaN everywhere; moments optional. */
    const double nan2[2] = {NAN, NAN};
    assert_int_equal(
        ps_calib_summarize(nan2, 2, 1, 0, NULL, 1, p2, &mom, q, NULL), PS_OK);
    assert_true(isnan(mom.mean) && isnan(mom.sd) && isnan(q[0]));
    assert_int_equal(ps_calib_summarize(v, 4, 1, 0, vw, 1, p2, NULL, q, NULL),
                     PS_OK);
    CLOSE(q[0], 1.0);
}

static void cholesky_factor(void **state)
{
    (void)state;
    double a[4] = {4, 2, 2, 3};
    assert_int_equal(calib_cholesky(a, 2, 1e-10), 2);
    CLOSE(a[0], 2.0);
    CLOSE(a[1], 0.0);
    CLOSE(a[2], 1.0);
    CLOSE(a[3], sqrt(2.0));
    double b[4] = {1, 2, 2, 1};
    assert_int_equal(calib_cholesky(b, 2, 1e-10), 1);
    double c[9] = {1, 1, 0, 1, 1, 0, 0, 0, 1}; /* singular */
    assert_int_equal(calib_cholesky(c, 3, 1e-10), 1);
}

/* Draws have unit normal marginals and the Pearson correlation 2 sin(pi r
   / 6) of the rank correlation r; the log density is that of N(0, R). */
static void prior_in_normal_scores(void **state)
{
    (void)state;
    ps_dist dist = {.kind = PS_DIST_NORMAL, .p = {0.0, 1.0}};
    const ps_dist *dists[2] = {&dist, &dist};
    const char *names[2] = {"a", "b"};
    const double r = 0.5;
    const double rank[4] = {1.0, r, r, 1.0};
    ps_calib_prior p = {2, names, dists, rank};
    calib_prior cp;
    assert_int_equal(calib_prior_init(&cp, &p, NULL), PS_OK);
    assert_non_null(cp.chol);
    const double rho = calib_rank_to_pearson(r);
    CLOSE(rho, 2.0 * sin(M_PI / 12.0));
    CLOSE(calib_rank_to_pearson(1.0), 1.0);

    const size_t n = 20000;
    double s11 = 0.0, s22 = 0.0, s12 = 0.0, z[2], z2[2];
    for (size_t i = 0; i < n; i++) {
        calib_prior_draw(&cp, 42, i, z);
        s11 += z[0] * z[0];
        s22 += z[1] * z[1];
        s12 += z[0] * z[1];
    }
    assert_true(fabs(s11 / n - 1.0) < 0.05);
    assert_true(fabs(s22 / n - 1.0) < 0.05);
    assert_true(fabs(s12 / sqrt(s11 * s22) - rho) < 0.03);
    /* A draw is a function of its address alone. */
    calib_prior_draw(&cp, 42, 17, z);
    calib_prior_draw(&cp, 42, 17, z2);
    assert_memory_equal(z, z2, sizeof z);

    const double y[2] = {0.7, -1.2};
    const double quad = (y[0] * y[0] - 2.0 * rho * y[0] * y[1] + y[1] * y[1]) /
                        (1.0 - rho * rho);
    CLOSE(calib_prior_logpdf(&cp, y), -0.5 * quad);
    calib_prior_free(&cp);
    assert_null(cp.chol);

    /* Independent (NULL or all-zero correlation): identity. */
    const double none[4] = {1, 0, 0, 1};
    p.correlation = none;
    assert_int_equal(calib_prior_init(&cp, &p, NULL), PS_OK);
    assert_null(cp.chol);
    CLOSE(calib_prior_logpdf(&cp, y), -0.5 * (0.49 + 1.44));
    calib_prior_free(&cp);
}

/* x = F^-1(Phi(z)), finite far into both tails. */
static void scores_to_inputs(void **state)
{
    (void)state;
    ps_dist d[3] = {
        {.kind = PS_DIST_NORMAL, .p = {10.0, 2.0}},
        {.kind = PS_DIST_UNIFORM, .p = {2.0, 5.0}},
        {.kind = PS_DIST_LOGNORMAL, .p = {1.0, 0.5}},
    };
    const ps_dist *dists[3] = {&d[0], &d[1], &d[2]};
    ps_calib_prior p = {3, NULL, dists, NULL};
    double x[3];
    const double z0[3] = {0.0, 0.0, 0.0};
    ps_calib_prior_to_x(&p, z0, x);
    CLOSE(x[0], 10.0);
    CLOSE(x[1], 3.5);
    CLOSE(x[2], exp(1.0));
    const double z1[3] = {1.0, -1.0, 2.0};
    ps_calib_prior_to_x(&p, z1, x);
    assert_true(fabs(x[0] - 12.0) < 1e-9);
    assert_true(fabs(x[1] - (2.0 + 3.0 * 0.5 * erfc(1.0 / sqrt(2.0)))) < 1e-12);
    assert_true(fabs(x[2] - exp(2.0)) < 1e-9);
    const double far[3] = {40.0, -40.0, -60.0};
    ps_calib_prior_to_x(&p, far, x);
    assert_true(isfinite(x[0]) && x[0] > 10.0 + 2.0 * 8.0);
    assert_true(x[1] == 2.0);
    assert_true(x[2] >= 0.0 && isfinite(x[2]));
    const double nan3[3] = {NAN, 0.0, 0.0};
    ps_calib_prior_to_x(&p, nan3, x);
    assert_true(isnan(x[0]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ess_of_weights),
        cmocka_unit_test(log_weights_normalise),
        cmocka_unit_test(systematic_resampling),
        cmocka_unit_test(weighted_summaries),
        cmocka_unit_test(cholesky_factor),
        cmocka_unit_test(prior_in_normal_scores),
        cmocka_unit_test(scores_to_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
