/*
 * A small posterior for the calibration report tests: two calibrated
 * inputs (one with a name that needs making safe for a file name), 200
 * weighted particles and as many prior draws, two stages, two observed
 * series whose observations are stored out of time order, one
 * observation outside its 90 % band, and one target.  Text that needs
 * escaping in XML, CSV and Markdown.
 */
#ifndef POSTERIOR_FIXTURE_H
#define POSTERIOR_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "plansim_output/h5.h"

#define PF_PARAMS 2
#define PF_PARTICLES 200
#define PF_STAGES 2
#define PF_SERIES 2
#define PF_OBS 5
#define PF_TARGETS 1

/* The storage behind a posterior and the posterior itself, whose
   pointers point into it: change `p` (or the arrays) for a variant. */
typedef struct pf_posterior {
    ps_h5_posterior p;
    char *params[PF_PARAMS], *labels[PF_PARAMS], *dists[PF_PARAMS];
    double prior_mean[PF_PARAMS], prior_sd[PF_PARAMS], prior_q[3 * PF_PARAMS];
    double post_mean[PF_PARAMS], post_sd[PF_PARAMS], post_q[3 * PF_PARAMS];
    double covariance[PF_PARAMS * PF_PARAMS];
    double x[PF_PARTICLES * PF_PARAMS], weights[PF_PARTICLES];
    double loglik[PF_PARTICLES], prior_x[PF_PARTICLES * PF_PARAMS];
    double phi[PF_STAGES], ess[PF_STAGES], acceptance[PF_STAGES];
    double log_evidence[PF_STAGES];
    uint64_t moves[PF_STAGES], evaluations[PF_STAGES];
    char *series_names[PF_SERIES], *series_variables[PF_SERIES];
    char *series_measures[PF_SERIES];
    double inside50[PF_SERIES], inside90[PF_SERIES];
    uint64_t obs_series[PF_OBS];
    double obs_time[PF_OBS], obs_value[PF_OBS];
    double median[PF_OBS], lo50[PF_OBS], hi50[PF_OBS], lo90[PF_OBS],
        hi90[PF_OBS];
    ps_h5_target_meta targets[PF_TARGETS];
    double prior_p[PF_TARGETS], post_p[PF_TARGETS];
} pf_posterior;

/* Fills `f` with the fixture (an SMC calibration). */
void pf_init(pf_posterior *f);

/* The fixture as a maximum-likelihood calibration: one particle, no
   prior draws, a covariance. */
void pf_init_optimize(pf_posterior *f);

/* Writes the fixture to `path` (ps_h5_posterior_write). */
ps_status pf_write(const char *path, ps_error *err);

#endif
