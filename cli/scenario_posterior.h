/*
 * Forecasting from a posterior (`--posterior POST.h5` of run, sweep, solve
 * and sensitivity): the scenario's inputs that the posterior calibrated
 * are drawn jointly from its weighted particles, keeping their
 * correlations; the others keep their priors.
 */
#ifndef PLANSIM_CLI_SCENARIO_POSTERIOR_H
#define PLANSIM_CLI_SCENARIO_POSTERIOR_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/calib.h"
#include "plansim/scenario_bind.h"
#include "plansim/status.h"
#include "plansim_output/h5.h"

typedef struct scenario_posterior {
    char *path;
    ps_h5_posterior *file;
    size_t ncolumns;
    size_t *param_of; /* per scenario column: the posterior's input, or
                         SIZE_MAX when it keeps its prior            */
    size_t ncalibrated;
    ps_calib_draws draws; /* the particles, drawn from               */
    double *prior_p;      /* per scenario target: its probability under the
                             priors, NaN until a command works it out
                             (run: prior_targets.h)                      */
} scenario_posterior;

/*
 * Reads the posterior at `path` and matches its inputs to the columns of
 * `bind` by name.  A posterior input the scenario does not draw (it fixes
 * it) is left out with a warning; so, with a note, are the calibrated
 * run's start values when the scenario starts at another `initial_time`
 * (NaN: the model's own, as the posterior's NaN); a posterior that calibrated
 * none of the scenario's inputs, or that is not a complete calibration, is
 * PS_ERR_DATA naming the file.  A model that changed since the calibration is a
 * warning on stderr (unless `quiet`).  Free with scenario_posterior_free.
 */
ps_status scenario_posterior_load(scenario_posterior *p, const char *path,
                                  const ps_sc_binding *bind,
                                  const char *model_sha256, double initial_time,
                                  int quiet, ps_error *err);
void scenario_posterior_free(scenario_posterior *p);

/*
 * Overwrites the calibrated columns of rows [first, first + count) of an
 * ensemble of `nruns` (`rows` holds count x ncolumns values) with one
 * particle per run, drawn by systematic resampling of the weights: run r
 * takes the particle whose cumulative weight first exceeds
 * (r + u) / nruns, u one uniform at (seed, 0, the posterior's stream).
 * A pure function of its arguments.
 */
void scenario_posterior_draw(const scenario_posterior *p, uint64_t seed,
                             size_t nruns, size_t first, size_t count,
                             double *rows);

/*
 * The quantile u of column j's posterior marginal (the weighted
 * particles' inverse CDF), for designs that draw each input on its own
 * (sensitivity); NaN when column j is not calibrated.
 */
double scenario_posterior_quantile(const scenario_posterior *p, size_t j,
                                   double u);

#endif
