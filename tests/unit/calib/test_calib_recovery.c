/*
 * Calibration of the logistic model of logistic_problem.h, end to end
 * through the parallel ensemble: known inputs are recovered inside the
 * central 90 % posterior interval, from noise-free data and (at about
 * the nominal rate) from noisy data; and a whole SMC calibration gives
 * bit-identical results on 1 and 2 threads.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "logistic_problem.h"

#define PARTICLES 1000
#define NOISY_PARTICLES 500
#define NTRUE 3
#define NOISY 10 /* noisy data sets per true value */
#define DATA_SEED 424242u

/* Fixed true values (rate, capacity), inside the prior. */
static const double truths[NTRUE][LP_NPARAMS] = {
    {0.3, 700.0},
    {0.5, 1000.0},
    {0.7, 1300.0},
};

/* The central 90 % interval of input j: q[0] the 5 % and q[1] the 95 %
   weighted quantile. */
static void interval90(const ps_calib_result *r, size_t j, double q[2])
{
    static const double probs[2] = {0.05, 0.95};
    ps_error err;
    assert_int_equal(ps_calib_summarize(r->x, r->nparticles, r->nparams, j,
                                        r->weights, 2, probs, NULL, q, &err),
                     PS_OK);
}

/* From data without noise the truth is where the likelihood peaks: it
   must lie inside the 90 % interval, and the data must have narrowed the
   interval to well under half the prior's (0.54 for the rate, 900 for
   the capacity). */
static void recovers_inputs_from_exact_data(void **state)
{
    (void)state;
    lp_problem p;
    lp_init(&p, 0);
    for (size_t t = 0; t < NTRUE; t++) {
        double sim[LP_NOBS];
        lp_simulate(&p, truths[t], sim);
        lp_observe(&p, sim, 0, 0, 0, 0);
        ps_calib_result r;
        lp_calibrate(&p, PARTICLES, 100 + t, &r);
        for (size_t j = 0; j < LP_NPARAMS; j++) {
            double q[2], lo, hi;
            interval90(&r, j, q);
            ps_dist_support(&p.dists[j], &lo, &hi);
            print_message("  %-8s true %7.4g  90 %% interval [%.4g, %.4g]\n",
                          p.names[j], truths[t][j], q[0], q[1]);
            if (!(q[0] <= truths[t][j] && truths[t][j] <= q[1]))
                fail_msg("%s %g is outside [%g, %g]", p.names[j], truths[t][j],
                         q[0], q[1]);
            assert_true(q[1] - q[0] < 0.5 * 0.9 * (hi - lo));
        }
        ps_calib_result_free(&r);
    }
    lp_free(&p);
}

/*
 * Noisy data: for each input, NTRUE x NOISY data sets (each its own
 * noise) give as many 90 % intervals, independent of one another.  The
 * number that hold the truth is binomial(NTRUE x NOISY, 0.9) when the
 * intervals have their nominal coverage (near enough for data this
 * informative: the likelihood dominates the uniform prior away from its
 * bounds); a count in the lower 0.1 % tail of that binomial fails.
 */
static void recovers_inputs_from_noisy_data(void **state)
{
    (void)state;
    lp_problem p;
    lp_init(&p, 0);
    const unsigned trials = NTRUE * NOISY;
    unsigned inside[LP_NPARAMS] = {0};
    for (size_t t = 0; t < NTRUE; t++) {
        double sim[LP_NOBS];
        lp_simulate(&p, truths[t], sim);
        for (size_t s = 0; s < NOISY; s++) {
            lp_observe(&p, sim, DATA_SEED, t * NOISY + s, 1, 1);
            ps_calib_result r;
            lp_calibrate(&p, NOISY_PARTICLES, 200 + t * NOISY + s, &r);
            for (size_t j = 0; j < LP_NPARAMS; j++) {
                double q[2];
                interval90(&r, j, q);
                inside[j] += q[0] <= truths[t][j] && truths[t][j] <= q[1];
            }
            ps_calib_result_free(&r);
        }
    }
    for (size_t j = 0; j < LP_NPARAMS; j++) {
        const double tail = gsl_cdf_binomial_P(inside[j], 0.9, trials);
        print_message("  %-8s truth inside the 90 %% interval %u of %u "
                      "times (P(X <= %u) = %.3g)\n",
                      p.names[j], inside[j], trials, inside[j], tail);
        if (!(tail >= 0.001))
            fail_msg("%s: the 90 %% intervals hold the truth only %u of %u "
                     "times",
                     p.names[j], inside[j], trials);
    }
    lp_free(&p);
}

static void assert_same_doubles(const double *a, const double *b, size_t n)
{
    if (n > 0)
        assert_memory_equal(a, b, n * sizeof *a);
}

/* The batch's ensembles on 1 and on 2 threads: the same particles,
   weights, likelihoods, simulated observations, stages and evidence, bit
   for bit. */
static void calibration_is_bit_identical_on_1_and_2_threads(void **state)
{
    (void)state;
    lp_problem one, two;
    lp_init(&one, 1);
    lp_init(&two, 2);
    double sim[LP_NOBS];
    lp_simulate(&one, truths[1], sim);
    lp_observe(&one, sim, DATA_SEED, 999, 1, 1);
    lp_observe(&two, sim, DATA_SEED, 999, 1, 1);
    ps_calib_result a, b;
    lp_calibrate(&one, 500, 17, &a);
    lp_calibrate(&two, 500, 17, &b);
    const size_t n = a.nparticles, d = a.nparams, k = a.nextra;
    assert_int_equal(b.nparticles, n);
    assert_int_equal(k, LP_NOBS);
    assert_int_equal(b.nextra, k);
    assert_int_equal(a.nstages, b.nstages);
    assert_int_equal(a.evaluations, b.evaluations);
    assert_same_doubles(a.x, b.x, n * d);
    assert_same_doubles(a.weights, b.weights, n);
    assert_same_doubles(a.loglik, b.loglik, n);
    assert_same_doubles(a.extra, b.extra, n * k);
    assert_same_doubles(a.prior_x, b.prior_x, n * d);
    assert_same_doubles(a.prior_extra, b.prior_extra, n * k);
    assert_memory_equal(a.stages, b.stages, a.nstages * sizeof *a.stages);
    assert_memory_equal(&a.log_evidence, &b.log_evidence, sizeof(double));
    print_message("  %zu stages, %zu model runs, log evidence %.6f\n",
                  a.nstages, a.evaluations, a.log_evidence);
    ps_calib_result_free(&a);
    ps_calib_result_free(&b);
    lp_free(&one);
    lp_free(&two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recovers_inputs_from_exact_data),
        cmocka_unit_test(recovers_inputs_from_noisy_data),
        cmocka_unit_test(calibration_is_bit_identical_on_1_and_2_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
