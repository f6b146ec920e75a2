/*
 * plansim: calibrating a scenario — what `plansim calibrate` computes,
 * callable by a test or a rank of a cluster run.
 *
 *   ps_calib_problem_init        the prior of a scenario's uncertain inputs
 *                                and the batch likelihood of its observed
 *                                series (plansim/calib_batch.h), ready for
 *                                ps_calibrate
 *   ps_target_probabilities      each target's probability over an
 *                                ensemble: what a forecast from a posterior
 *                                prints beside its own, run with the priors
 *   ps_calib_fit_run             one run's fit to the observed series
 *                                (MAPE, Theil): in sample, or out of sample
 *                                over a window the calibration left out
 */
#ifndef PLANSIM_CALIB_SCENARIO_H
#define PLANSIM_CALIB_SCENARIO_H

#include <signal.h>
#include <stddef.h>

#include "plansim/calib.h"
#include "plansim/calib_batch.h"
#include "plansim/ensemble.h"
#include "plansim/fit.h"
#include "plansim/scenario.h"
#include "plansim/scenario_bind.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A scenario's calibration problem.  Owns the arrays its prior and batch
   borrow; borrows the scenario, binding and program, which must outlive
   it. */
typedef struct ps_calib_problem {
    ps_calib_prior prior;  /* the scenario's columns and correlation    */
    ps_calib_batch *batch; /* its observed series over the ensemble     */
    const char **names;
    const ps_dist **dists;
    double *target_time;
} ps_calib_problem;

/*
 * Sets up the calibration of `sc` (bound to `prog` as `b`): every
 * uncertain column is calibrated, its observed series are scored, its
 * targets are carried with each particle.  The runs use `sim` (its seed
 * for RANDOM functions), `threads` (0: OpenMP's default) and stop when
 * *cancel is set.  A scenario without observed series or without
 * uncertain inputs is PS_ERR_DATA naming its file; PS_ERR_NOMEM.  Free
 * with ps_calib_problem_free (also after a failure).
 */
ps_status ps_calib_problem_init(ps_calib_problem *p, const ps_scenario *sc,
                                const ps_sc_binding *b, const ps_program *prog,
                                const ps_sim_options *sim, int threads,
                                volatile sig_atomic_t *cancel, ps_error *err);
void ps_calib_problem_free(ps_calib_problem *p);

/*
 * The fit of one run to the observed series of problem `p`'s scenario
 * (`obs`, the scenario's observed section): the run with inputs `x` (one
 * value per calibrated column, in the inputs' units), each observation's
 * simulated value (the level, growth or share the series measures)
 * against the observed one, one ps_fit per series into fits[0..nseries)
 * (plansim/fit.h).  A failed run is its error (PS_ERR_DATA naming the
 * run); PS_ERR_INTERRUPTED; PS_ERR_NOMEM.
 */
ps_status ps_calib_fit_run(const ps_calib_problem *p,
                           const ps_sc_observed *obs, const double *x,
                           ps_fit *fits, ps_error *err);

/*
 * Runs the ensemble `spec` (which must save every target's variable and
 * hold each target's time among its saved times) and writes the
 * probability of each of the n targets to p[0..n): the share of the
 * successful runs with a finite value that meet it (NaN when none).
 * Target t is element elem[t] of program variable var[t].  The
 * ensemble's errors; PS_ERR_INTERRUPTED; PS_ERR_NOMEM.
 */
ps_status ps_target_probabilities(const ps_ensemble_spec *spec,
                                  const ps_sc_target *targets,
                                  const size_t *var, const size_t *elem,
                                  size_t n, double *p, ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
