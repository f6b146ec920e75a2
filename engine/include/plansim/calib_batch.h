/*
 * plansim: the likelihood of a scenario's observed series, run through
 * the parallel ensemble.
 *
 * A batch of input vectors becomes one ensemble: run i takes vector i,
 * the runs go in parallel, and a sink on the writer thread turns each
 * run's saved values into what was observed (a level, a growth rate, a
 * share at each observed time, linearly interpolated between saved
 * times) and scores it with the series' measurement-error model.  The
 * result is a ps_calib_model for the samplers of plansim/calib.h.
 *
 * Each run also reports "extra" values, carried with its particle: the
 * simulated value of every observation (series by series, in time
 * order), then the value of every target at its time.
 */
#ifndef PLANSIM_CALIB_BATCH_H
#define PLANSIM_CALIB_BATCH_H

#include <signal.h>
#include <stddef.h>

#include "plansim/calib.h"
#include "plansim/ensemble.h"
#include "plansim/scenario.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Log density of observing `observed` when the model says `simulated`,
   under error model `e`; -INFINITY when impossible (a lognormal error
   with a value <= 0, a simulated value that is not finite). */
double ps_obs_loglik(const ps_obs_error *e, double observed, double simulated);

/* A replicate observation around `simulated`, with the standard normal
   deviate `normal`: what the error model would publish.  NaN when the
   simulated value cannot be observed (lognormal and <= 0, not finite). */
double ps_obs_replicate(const ps_obs_error *e, double observed,
                        double simulated, double normal);

/* What the batch runs and what it scores.  Borrowed: everything must
   outlive the batch. */
typedef struct ps_calib_batch_spec {
    const ps_program *prog;
    ps_sim_options sim;
    size_t ninputs; /* the calibrated inputs (columns) ...    */
    size_t nslots;  /* ... and where each goes               */
    const ps_input_slot *slots;
    const ps_sc_observed *observed;
    const size_t *obs_var, *obs_elem;       /* per series (ps_sc_binding) */
    const size_t *obs_of_var, *obs_of_elem; /* shares' denominators       */
    size_t ntargets;
    const size_t *target_var, *target_elem;
    const double *target_time; /* each target's year (a saved time)     */
    int threads;               /* 0: OpenMP's default                   */
    volatile sig_atomic_t *cancel;
    /* The processes of a job share each batch's runs (every process
       calls the batch with the same particles, and every one gets the
       writer's scores); NULL: this process runs them all. */
    const ps_ensemble_spread *spread;
} ps_calib_batch_spec;

typedef struct ps_calib_batch ps_calib_batch;

/* Prepares a batch likelihood for `spec`; PS_ERR_NOMEM.  Free with
   ps_calib_batch_free. */
ps_status ps_calib_batch_new(const ps_calib_batch_spec *spec,
                             ps_calib_batch **out, ps_error *err);
void ps_calib_batch_free(ps_calib_batch **b);

/* The sampler's view of the batch (valid while b lives).  Its callback
   returns the ensemble's errors; failed runs score -INFINITY. */
ps_calib_model ps_calib_batch_model(ps_calib_batch *b);

/* Observations in all (the first extras of each run), and the first
   observation of series s. */
size_t ps_calib_batch_nobs(const ps_calib_batch *b);
size_t ps_calib_batch_obs_offset(const ps_calib_batch *b, size_t series);

/* Shares the batch's runs among a job's processes from now on
   (spec.spread); NULL: this process runs them all. */
void ps_calib_batch_spread(ps_calib_batch *b, const ps_ensemble_spread *spread);

/* Runs that failed in the batches so far, and the error of the first
   (its time and variable; "run N" counts within its batch), or NULL when
   none failed. */
size_t ps_calib_batch_failed(const ps_calib_batch *b);
const ps_error *ps_calib_batch_first_failure(const ps_calib_batch *b);

/*
 * The posterior-predictive check of the observed series: for every
 * observation, replicate observations of the weighted particles (their
 * simulated values `sim`, n x stride with the observations first, plus
 * the error model's noise drawn at (seed, particle)) give the median and
 * the central 50 % and 90 % bands; each series' share of observations
 * inside its bands.  Arrays are nobs (lo50, hi50, lo90, hi90, median)
 * and nseries (inside50, inside90).  PS_ERR_NOMEM.
 */
typedef struct ps_calib_check {
    size_t nobs, nseries;
    double *median, *lo50, *hi50, *lo90, *hi90;
    double *inside50, *inside90;
} ps_calib_check;
ps_status ps_calib_check_run(const ps_sc_observed *observed, const double *sim,
                             size_t n, size_t stride, const double *weights,
                             uint64_t seed, ps_calib_check *out, ps_error *err);
void ps_calib_check_free(ps_calib_check *c);

/*
 * Prior and posterior summaries of a calibration's inputs and targets.
 * Per input: mean, sd and the 5, 50 and 95 % quantiles (q: nparams x 3)
 * of the prior (from its distribution: exact quantiles, the sd by
 * quadrature over the quantile function) and of the posterior (the
 * weighted particles; for optimize the estimate with a normal
 * approximation: sd from the covariance, quantiles +-1.645 sd).  Per
 * target: its probability under the prior draws and under the posterior
 * (the targets' values are the extras after `nobs` observations; NaN
 * when the method keeps no draws).  PS_ERR_NOMEM.
 */
typedef struct ps_calib_summary {
    size_t nparams, ntargets;
    double *prior_mean, *prior_sd, *prior_q;
    double *post_mean, *post_sd, *post_q;
    double *prior_p, *post_p;
} ps_calib_summary;
ps_status ps_calib_summary_make(const ps_calib_prior *prior,
                                const ps_calib_result *r, size_t nobs,
                                const ps_sc_target *targets, size_t ntargets,
                                ps_calib_summary *out, ps_error *err);
void ps_calib_summary_free(ps_calib_summary *s);

#ifdef __cplusplus
}
#endif
#endif
