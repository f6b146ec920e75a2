/*
 * The calibration report tests' posterior (posterior_fixture.h).
 */
#include "posterior_fixture.h"

#include <math.h>
#include <string.h>

/* The fractional part of i * a + b: a low-discrepancy sequence in [0, 1)
   that needs no random numbers. */
static double frac(size_t i, double a, double b)
{
    double v = (double)i * a + b;
    return v - floor(v);
}

void pf_init(pf_posterior *f)
{
    memset(f, 0, sizeof *f);
    f->params[0] = "capital share";
    f->params[1] = "产能 利用率[新材料]";
    f->labels[0] = "资本产出弹性 <α>";
    f->labels[1] = "";
    f->dists[0] = "uniform(min=0.3, max=0.7)";
    f->dists[1] = "normal(mean=0.75, sd=0.1)";
    static const double prior_mean[PF_PARAMS] = {0.5, 0.75};
    static const double prior_sd[PF_PARAMS] = {0.11547005383792516, 0.1};
    static const double prior_q[3 * PF_PARAMS] = {0.32,   0.5,  0.68,
                                                  0.5855, 0.75, 0.9145};
    static const double post_mean[PF_PARAMS] = {0.49, 0.8};
    static const double post_sd[PF_PARAMS] = {0.03, 0.05};
    static const double post_q[3 * PF_PARAMS] = {0.44,   0.49, 0.54,
                                                 0.7178, 0.8,  0.8822};
    memcpy(f->prior_mean, prior_mean, sizeof prior_mean);
    memcpy(f->prior_sd, prior_sd, sizeof prior_sd);
    memcpy(f->prior_q, prior_q, sizeof prior_q);
    memcpy(f->post_mean, post_mean, sizeof post_mean);
    memcpy(f->post_sd, post_sd, sizeof post_sd);
    memcpy(f->post_q, post_q, sizeof post_q);
    /* Particles spread uniformly around the posterior means with the
       posterior sds, weights 1, 2, 3, 1, 2, 3, ... (sum 399); prior
       draws uniform over the first prior and around the second. */
    for (size_t i = 0; i < PF_PARTICLES; i++) {
        double u0 = 2 * frac(i, 0.6180339887498949, 0) - 1;
        double u1 = 2 * frac(i, 0.7548776662466927, 0) - 1;
        f->x[i * PF_PARAMS] = 0.49 + 0.03 * sqrt(3.0) * u0;
        f->x[i * PF_PARAMS + 1] = 0.8 + 0.05 * sqrt(3.0) * u1;
        f->weights[i] = (double)(1 + i % 3) / 399.0;
        f->loglik[i] = -10.0 - 0.01 * (double)i;
        f->prior_x[i * PF_PARAMS] =
            0.3 + 0.4 * frac(i, 0.5698402909980532, 0.5);
        f->prior_x[i * PF_PARAMS + 1] =
            0.75 + 0.1 * sqrt(3.0) * (2 * frac(i, 0.4142135623730950, 0) - 1);
    }
    static const double phi[PF_STAGES] = {0.4, 1.0};
    static const double ess[PF_STAGES] = {150, 180};
    static const double log_evidence[PF_STAGES] = {-5.0, -7.5};
    static const uint64_t moves[PF_STAGES] = {0, 3};
    static const uint64_t evaluations[PF_STAGES] = {200, 4000};
    memcpy(f->phi, phi, sizeof phi);
    memcpy(f->ess, ess, sizeof ess);
    f->acceptance[0] = NAN;
    f->acceptance[1] = 0.4;
    memcpy(f->log_evidence, log_evidence, sizeof log_evidence);
    memcpy(f->moves, moves, sizeof moves);
    memcpy(f->evaluations, evaluations, sizeof evaluations);

    f->series_names[0] = "gdp nominal";
    f->series_names[1] = "增长率 (实际)";
    f->series_variables[0] = "gdp nominal";
    f->series_variables[1] = "gdp real growth";
    f->series_measures[0] = "level";
    f->series_measures[1] = "growth";
    f->inside50[0] = 1.0 / 3.0;
    f->inside50[1] = 1.0;
    f->inside90[0] = 2.0 / 3.0;
    f->inside90[1] = 1.0;
    /* series 0 stored 2022, 2021, 2023: in the 50 % band, in the 90 %
       band only, outside; series 1 inside its 50 % bands */
    static const uint64_t obs_series[PF_OBS] = {0, 0, 0, 1, 1};
    static const double obs_time[PF_OBS] = {2022, 2021, 2023, 2021, 2023};
    static const double obs_value[PF_OBS] = {452.5, 430, 520, 0.062, 0.058};
    static const double median[PF_OBS] = {450, 415, 480, 0.06, 0.059};
    static const double lo50[PF_OBS] = {440, 405, 468, 0.055, 0.054};
    static const double hi50[PF_OBS] = {460, 425, 492, 0.065, 0.064};
    static const double lo90[PF_OBS] = {425, 390, 450, 0.048, 0.047};
    static const double hi90[PF_OBS] = {475, 440, 510, 0.072, 0.071};
    memcpy(f->obs_series, obs_series, sizeof obs_series);
    memcpy(f->obs_time, obs_time, sizeof obs_time);
    memcpy(f->obs_value, obs_value, sizeof obs_value);
    memcpy(f->median, median, sizeof median);
    memcpy(f->lo50, lo50, sizeof lo50);
    memcpy(f->hi50, hi50, sizeof hi50);
    memcpy(f->lo90, lo90, sizeof lo90);
    memcpy(f->hi90, hi90, sizeof hi90);

    f->targets[0] = (ps_h5_target_meta){
        .name = "gdp_500",
        .label = "地区生产总值达到500亿元 | 约束",
        .variable = "gdp nominal",
        .time = 2025,
        .compare = PS_SC_AT_LEAST,
        .lo = 500,
        .hi = NAN,
        .binding = 1,
        .source = "规划",
    };
    f->prior_p[0] = 0.25;
    f->post_p[0] = 0.4;

    ps_h5_posterior *p = &f->p;
    p->title = "校准 <测试> & \"情景\"";
    p->description = "两行\n说明";
    p->model_file = "m.mdl";
    p->model_sha256 = "00";
    p->engine_version = "0.1.0-test";
    p->command_line = "plansim calibrate c.yaml";
    p->seed = 7;
    p->method = "smc";
    p->complete = 1;
    p->log_evidence = -12.5;
    p->ess = 180;
    p->evaluations = 4000;
    p->max_loglik = NAN;
    p->nparams = PF_PARAMS;
    p->params = f->params;
    p->param_labels = f->labels;
    p->param_dists = f->dists;
    p->prior_mean = f->prior_mean;
    p->prior_sd = f->prior_sd;
    p->prior_q = f->prior_q;
    p->post_mean = f->post_mean;
    p->post_sd = f->post_sd;
    p->post_q = f->post_q;
    p->nparticles = PF_PARTICLES;
    p->x = f->x;
    p->weights = f->weights;
    p->loglik = f->loglik;
    p->prior_x = f->prior_x;
    p->nstages = PF_STAGES;
    p->stage_phi = f->phi;
    p->stage_ess = f->ess;
    p->stage_acceptance = f->acceptance;
    p->stage_log_evidence = f->log_evidence;
    p->stage_moves = f->moves;
    p->stage_evaluations = f->evaluations;
    p->nseries = PF_SERIES;
    p->series_names = f->series_names;
    p->series_variables = f->series_variables;
    p->series_measures = f->series_measures;
    p->inside50 = f->inside50;
    p->inside90 = f->inside90;
    p->nobs = PF_OBS;
    p->obs_series = f->obs_series;
    p->obs_time = f->obs_time;
    p->obs_value = f->obs_value;
    p->pred_median = f->median;
    p->pred_lo50 = f->lo50;
    p->pred_hi50 = f->hi50;
    p->pred_lo90 = f->lo90;
    p->pred_hi90 = f->hi90;
    p->ntargets = PF_TARGETS;
    p->targets = f->targets;
    p->prior_p = f->prior_p;
    p->post_p = f->post_p;
}

void pf_init_optimize(pf_posterior *f)
{
    pf_init(f);
    ps_h5_posterior *p = &f->p;
    p->method = "optimize";
    p->log_evidence = NAN;
    p->ess = 1;
    p->max_loglik = -3.25;
    p->converged = 1;
    p->nparticles = 1;
    f->x[0] = f->post_mean[0];
    f->x[1] = f->post_mean[1];
    f->weights[0] = 1;
    p->prior_x = NULL;
    for (size_t j = 0; j < PF_PARAMS; j++)
        for (size_t k = 0; k < PF_PARAMS; k++)
            f->covariance[j * PF_PARAMS + k] =
                j == k ? f->post_sd[j] * f->post_sd[j] : 0;
    p->covariance = f->covariance;
}

ps_status pf_write(const char *path, ps_error *err)
{
    pf_posterior f;
    pf_init(&f);
    return ps_h5_posterior_write(path, &f.p, err);
}
