/*
 * A small posterior for the posterior-file tests: 2 calibrated inputs, 5
 * particles, 3 sampler stages, 2 observed series with 3 observations, 1
 * target, a covariance and prior draws, and a scenario of two files.
 * Every number is distinct, so a value read into the wrong place shows.
 */
#ifndef H5_POSTERIOR_FIXTURE_H
#define H5_POSTERIOR_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "plansim_output/h5.h"

#define FXP_PARAMS 2
#define FXP_PARTICLES 5
#define FXP_STAGES 3
#define FXP_SERIES 2
#define FXP_OBS 3
#define FXP_TARGETS 1

/* The storage the posterior points into. */
typedef struct fxp_posterior {
    char *scenario_names[2], *scenario_texts[2];
    char *params[FXP_PARAMS], *labels[FXP_PARAMS], *dists[FXP_PARAMS];
    uint64_t start_value[FXP_PARAMS];
    double prior_mean[FXP_PARAMS], prior_sd[FXP_PARAMS],
        prior_q[FXP_PARAMS * 3];
    double post_mean[FXP_PARAMS], post_sd[FXP_PARAMS], post_q[FXP_PARAMS * 3];
    double covariance[FXP_PARAMS * FXP_PARAMS];
    double x[FXP_PARTICLES * FXP_PARAMS], prior_x[FXP_PARTICLES * FXP_PARAMS];
    double weights[FXP_PARTICLES], loglik[FXP_PARTICLES];
    double phi[FXP_STAGES], ess[FXP_STAGES], acceptance[FXP_STAGES],
        log_evidence[FXP_STAGES];
    uint64_t moves[FXP_STAGES], evaluations[FXP_STAGES];
    char *series_names[FXP_SERIES], *series_variables[FXP_SERIES],
        *series_measures[FXP_SERIES];
    double inside50[FXP_SERIES], inside90[FXP_SERIES];
    uint64_t obs_series[FXP_OBS];
    double obs_time[FXP_OBS], obs_value[FXP_OBS], median[FXP_OBS],
        lo50[FXP_OBS], hi50[FXP_OBS], lo90[FXP_OBS], hi90[FXP_OBS];
    ps_h5_target_meta targets[FXP_TARGETS];
    double prior_p[FXP_TARGETS], post_p[FXP_TARGETS];
    ps_h5_posterior p; /* complete, with every optional part */
} fxp_posterior;

/* Fills `f` and points f->p into it. */
void fxp_init(fxp_posterior *f);

#endif
