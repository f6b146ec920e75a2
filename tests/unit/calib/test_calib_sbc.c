/*
 * Simulation-based calibration of the SMC sampler (Talts, Betancourt,
 * Simpson, Vehtari & Gelman, "Validating Bayesian inference algorithms
 * with simulation-based calibration", arXiv:1804.06788, 2018) on the
 * nonlinear logistic model of logistic_problem.h, run through the
 * parallel ensemble.
 *
 * If the sampler is right, then for inputs drawn from the prior, data
 * simulated from them and a posterior computed from those data, the rank
 * of the true input among L independent posterior draws is uniform on
 * 0..L.  Each replication draws (rate, capacity) from the prior, simulates
 * the eight observations with lognormal noise, runs SMC, and ranks the
 * truth among L = 99 posterior draws.  The ranks of the 200 replications
 * fall in 10 bins of 10 ranks (20 expected in each); the Pearson
 * chi-square statistic of the counts must stay below the 1 % critical
 * value of chi-square(9), for each input.
 *
 * Every random number is addressed by a fixed seed, so the test gives
 * the same statistics on every run and at any thread count.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "logistic_problem.h"
#include "plansim/rng.h"

#define REPLICATIONS 200
#define PARTICLES 400
#define DRAWS 99 /* L: ranks 0..99                              */
#define BINS 10  /* (DRAWS + 1) / BINS ranks per bin           */
#define ALPHA 0.01

/* The test's own random numbers: (SBC_SEED, replication, stream).  The
   sampler's seed is SMC_SEED + replication, so its addresses never meet
   these. */
#define SBC_SEED 180406788u
#define SMC_SEED 1000u
enum { STREAM_TRUTH = 1, STREAM_NOISE = 2, STREAM_THIN = 3 };

/* Distortions of the posterior draws for the power check: draws spread
   around their mean by this factor. */
#define WIDEN 2.0
#define NARROW 0.5

typedef struct rank_bins {
    size_t count[LP_NPARAMS][BINS];
} rank_bins;

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The rank of `truth` among draws[0..DRAWS) spread by `factor` around
   their mean: how many fall below it. */
static size_t rank_of(const double *draws, double truth, double factor)
{
    double mean = 0.0;
    for (size_t l = 0; l < DRAWS; l++)
        mean += draws[l] / DRAWS;
    size_t rank = 0;
    for (size_t l = 0; l < DRAWS; l++)
        rank += mean + factor * (draws[l] - mean) < truth;
    return rank;
}

static void add_rank(rank_bins *b, size_t j, size_t rank)
{
    b->count[j][rank * BINS / (DRAWS + 1)]++;
}

/* Pearson's statistic of the counts of input j against REPLICATIONS /
   BINS in each bin. */
static double chi_square(const rank_bins *b, size_t j)
{
    const double expected = (double)REPLICATIONS / BINS;
    double x2 = 0.0;
    for (size_t k = 0; k < BINS; k++) {
        const double r = (double)b->count[j][k] - expected;
        x2 += r * r / expected;
    }
    return x2;
}

static void print_bins(const char *what, const rank_bins *b, size_t j)
{
    char line[256];
    int len = 0;
    for (size_t k = 0; k < BINS; k++)
        len += snprintf(line + len, sizeof line - (size_t)len, " %3zu",
                        b->count[j][k]);
    const double x2 = chi_square(b, j);
    print_message("  %-9s %-7s ranks:%s  chi2 %6.2f (p %.3g)\n", what,
                  j == 0 ? "rate" : "capacity", line, x2,
                  gsl_cdf_chisq_Q(x2, BINS - 1));
}

/*
 * The posterior draws of one replication.  SMC ends with its particles
 * resampled and moved by random-walk Metropolis: copies of one ancestor
 * that a move left in place are identical, and those that moved are still
 * correlated with each other.  SBC needs (nearly) independent draws, or
 * the ranks pile up at the ends even for an exact sampler, so the L draws
 * are L distinct particles: systematic resampling of L < N from the
 * weights (equal after the final resampling), which takes a particle at
 * most once when no weight exceeds 1 / L, and takes every (N / L)-th one,
 * so that the children of one ancestor, which sit side by side after
 * systematic resampling, are rarely taken together.  The sampler moves
 * each stage's particles until nearly all (99 %) have moved at least
 * once.  Whatever dependence remains spreads the ranks toward the ends
 * (the signature of a posterior that is too narrow), so it can make the
 * test stricter but cannot hide an error of the sampler.
 */
static void posterior_draws(const ps_calib_result *r, size_t i,
                            double draws[LP_NPARAMS][DRAWS])
{
    size_t index[DRAWS];
    const ps_rng_address addr = {SBC_SEED, i, STREAM_THIN};
    ps_calib_resample(r->weights, r->nparticles, DRAWS,
                      ps_rng_uniform(&addr, 0), index);
    for (size_t l = 0; l < DRAWS; l++) {
        if (l > 0 && index[l] == index[l - 1])
            fail_msg("replication %zu: particle %zu drawn twice", i, index[l]);
        for (size_t j = 0; j < LP_NPARAMS; j++)
            draws[j][l] = r->x[index[l] * LP_NPARAMS + j];
    }
}

static void sbc_ranks_are_uniform(void **state)
{
    (void)state;
    lp_problem p;
    lp_init(&p, 0);
    rank_bins ranks = {0}, wide = {0}, narrow = {0};
    double stages = 0.0, evaluations = 0.0;
    const double start = seconds_now();
    for (size_t i = 0; i < REPLICATIONS; i++) {
        double truth[LP_NPARAMS], sim[LP_NOBS];
        const ps_rng_address addr = {SBC_SEED, i, STREAM_TRUTH};
        for (size_t j = 0; j < LP_NPARAMS; j++)
            truth[j] = ps_dist_quantile(&p.dists[j], ps_rng_uniform(&addr, j));
        lp_simulate(&p, truth, sim);
        lp_observe(&p, sim, SBC_SEED, i, STREAM_NOISE, 1);

        ps_calib_result r;
        lp_calibrate(&p, PARTICLES, SMC_SEED + i, &r);
        stages += (double)r.nstages / REPLICATIONS;
        evaluations += (double)r.evaluations / REPLICATIONS;
        double draws[LP_NPARAMS][DRAWS];
        posterior_draws(&r, i, draws);
        for (size_t j = 0; j < LP_NPARAMS; j++) {
            add_rank(&ranks, j, rank_of(draws[j], truth[j], 1.0));
            add_rank(&wide, j, rank_of(draws[j], truth[j], WIDEN));
            add_rank(&narrow, j, rank_of(draws[j], truth[j], NARROW));
        }
        ps_calib_result_free(&r);
    }
    const double elapsed = seconds_now() - start;

    const double critical = gsl_cdf_chisq_Qinv(ALPHA, BINS - 1);
    print_message("  %d replications of %d particles, %d draws, %d bins: "
                  "%.1f s, %.1f stages and %.0f model runs per "
                  "calibration\n",
                  REPLICATIONS, PARTICLES, DRAWS, BINS, elapsed, stages,
                  evaluations);
    print_message("  critical value chi2(%d) at %g: %.2f\n", BINS - 1, ALPHA,
                  critical);
    for (size_t j = 0; j < LP_NPARAMS; j++) {
        print_bins("posterior", &ranks, j);
        print_bins("x2 spread", &wide, j);
        print_bins("x0.5", &narrow, j);
    }
    for (size_t j = 0; j < LP_NPARAMS; j++) {
        const double x2 = chi_square(&ranks, j);
        if (!(x2 < critical))
            fail_msg("%s: the ranks are not uniform: chi2 %.2f >= %.2f",
                     p.names[j], x2, critical);
    }
    /* The statistic can tell: posteriors twice or half as wide as the
       sampler's are rejected. */
    for (size_t j = 0; j < LP_NPARAMS; j++) {
        assert_true(chi_square(&wide, j) >= critical);
        assert_true(chi_square(&narrow, j) >= critical);
    }
    lp_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sbc_ranks_are_uniform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
