/*
 * A small nonlinear calibration problem run through the real engine:
 * logistic growth
 *   population' = rate population (1 - population / capacity),
 *   population(0) = 20,
 * Euler with TIME STEP 1/8 to year 24, with the two inputs rate ~
 * uniform(0.2, 0.8) and capacity ~ uniform(500, 1500) unknown, observed
 * at years 3, 6, ..., 24 with a lognormal error of sigma LP_SIGMA (of the
 * log).  The likelihood is ps_calib_batch's: every batch of input vectors
 * is one parallel ensemble of the compiled .mdl program.  The observed
 * set is built in memory with the fields batch.c reads.
 */
#ifndef CALIB_LOGISTIC_PROBLEM_H
#define CALIB_LOGISTIC_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/calib.h"
#include "plansim/calib_batch.h"
#include "plansim/program.h"
#include "plansim/scenario.h"

#define LP_NPARAMS 2 /* rate, capacity */
#define LP_NOBS 8
#define LP_SIGMA 0.1

typedef struct lp_problem {
    ps_program *prog;
    /* the prior */
    ps_dist dists[LP_NPARAMS];
    const ps_dist *dist_ptrs[LP_NPARAMS];
    const char *names[LP_NPARAMS];
    ps_calib_prior prior;
    /* the observations: one series of the population */
    double time[LP_NOBS], value[LP_NOBS];
    ps_obs_error error[LP_NOBS];
    ps_sc_obs_series series;
    ps_sc_observed observed;
    size_t obs_var, obs_elem;
    /* the batch likelihood */
    ps_input_slot slots[LP_NPARAMS];
    ps_calib_batch *batch;
} lp_problem;

/* Compiles the model and prepares the batch, whose ensembles run on
   `threads` threads (0: OpenMP's default).  The observed values are 1
   until lp_observe sets them.  Fails the test on any error. */
void lp_init(lp_problem *p, int threads);
void lp_free(lp_problem *p);

/* The noise-free observations of the model at inputs x (rate,
   capacity): one run of the same batch, its extra values. */
void lp_simulate(lp_problem *p, const double *x, double *sim);

/* Sets the observed values to sim x exp(LP_SIGMA z_k), z_k the standard
   normal at index k of address (seed, run, stream); noise 0 copies sim
   unchanged. */
void lp_observe(lp_problem *p, const double *sim, uint64_t seed, uint64_t run,
                uint64_t stream, int noise);

/* SMC with n particles and `seed` on the current observations; fails the
   test unless it completes. */
void lp_calibrate(lp_problem *p, size_t n, uint64_t seed, ps_calib_result *r);

#endif
