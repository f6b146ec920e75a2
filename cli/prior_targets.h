/*
 * The targets' probabilities under the scenario's priors, for a forecast
 * from a posterior to print beside its own: the same ensemble (design,
 * seed, runs) with every input drawn from its prior, its runs kept only
 * as hit counts.
 */
#ifndef PLANSIM_CLI_PRIOR_TARGETS_H
#define PLANSIM_CLI_PRIOR_TARGETS_H

#include <signal.h>

#include "scenario_run.h"

/*
 * Runs r's ensemble of `nruns` runs at `seed` with the priors (r's
 * posterior is not used) and writes each target's probability to
 * p[0..ntargets): hits over the runs with a finite value (NaN when
 * none).  The ensemble's errors; PS_ERR_INTERRUPTED.
 */
ps_status prior_target_probabilities(const scenario_run *r, size_t nruns,
                                     uint64_t seed, int threads,
                                     volatile sig_atomic_t *cancel, double *p,
                                     ps_error *err);

#endif
