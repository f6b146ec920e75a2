/*
 * The fixture posterior of h5_posterior_fixture.h.
 */
#include "h5_posterior_fixture.h"

#include <math.h>
#include <string.h>

void fxp_init(fxp_posterior *f)
{
    memset(f, 0, sizeof *f);
    f->scenario_names[0] = "calib.yaml";
    f->scenario_names[1] = "基准.yaml";
    f->scenario_texts[0] = "extends: 基准.yaml\nobserved:\n  gdp: {}\n";
    f->scenario_texts[1] = "title: 基准\n--- # not a marker\n";
    f->params[0] = "储蓄率";
    f->params[1] = "capacity[新材料]";
    f->labels[0] = "居民储蓄率";
    f->labels[1] = "";
    f->dists[0] = "uniform(0.2, 0.4)";
    f->dists[1] = "triangular(80, 100, 130)";
    f->start_value[0] = 0;
    f->start_value[1] = 1; /* a start value of the calibrated run */
    for (size_t j = 0; j < FXP_PARAMS; j++) {
        f->prior_mean[j] = 0.3 + 100.0 * (double)j;
        f->prior_sd[j] = 0.05 + 10.0 * (double)j;
        f->post_mean[j] = 0.31 + 101.0 * (double)j;
        f->post_sd[j] = 0.02 + 5.0 * (double)j;
        for (size_t q = 0; q < 3; q++) {
            f->prior_q[j * 3 + q] = f->prior_mean[j] + ((double)q - 1.0) * 0.1;
            f->post_q[j * 3 + q] = f->post_mean[j] + ((double)q - 1.0) * 0.05;
        }
        for (size_t k = 0; k < FXP_PARAMS; k++)
            f->covariance[j * FXP_PARAMS + k] = j == k ? 0.25 + j : -0.125;
    }
    for (size_t i = 0; i < FXP_PARTICLES; i++) {
        f->weights[i] = (double)(i + 1) / 15.0; /* sums to 1 */
        f->loglik[i] = -10.0 - 0.5 * (double)i;
        for (size_t j = 0; j < FXP_PARAMS; j++) {
            f->x[i * FXP_PARAMS + j] = 0.25 + 0.01 * (double)i + 90.0 * j;
            f->prior_x[i * FXP_PARAMS + j] = 0.2 + 0.03 * (double)i + 80.0 * j;
        }
    }
    for (size_t s = 0; s < FXP_STAGES; s++) {
        f->phi[s] = s == FXP_STAGES - 1 ? 1.0 : 0.1 * (double)s;
        f->ess[s] = 5.0 - 0.5 * (double)s;
        f->acceptance[s] = s == 0 ? NAN : 0.3 + 0.1 * (double)s;
        f->log_evidence[s] = -1.5 * (double)s;
        f->moves[s] = 2 * s;
        f->evaluations[s] = 5 + 10 * s;
    }
    f->series_names[0] = "gdp";
    f->series_names[1] = "人口";
    f->series_variables[0] = "gdp nominal";
    f->series_variables[1] = "population";
    f->series_measures[0] = "level";
    f->series_measures[1] = "growth";
    f->inside50[0] = 0.5;
    f->inside50[1] = 1.0;
    f->inside90[0] = 1.0;
    f->inside90[1] = NAN;
    static const uint64_t series[FXP_OBS] = {0, 0, 1};
    for (size_t o = 0; o < FXP_OBS; o++) {
        f->obs_series[o] = series[o];
        f->obs_time[o] = 2020.0 + (double)o;
        f->obs_value[o] = 600.0 + 7.0 * (double)o;
        f->median[o] = 601.0 + 7.0 * (double)o;
        f->lo50[o] = f->median[o] - 2.0;
        f->hi50[o] = f->median[o] + 2.0;
        f->lo90[o] = f->median[o] - 5.0;
        f->hi90[o] = f->median[o] + 5.0;
    }
    f->targets[0] = (ps_h5_target_meta){"gdp_700",
                                        "地区生产总值 ≥ 700亿元",
                                        "gdp nominal",
                                        2030,
                                        PS_SC_AT_LEAST,
                                        700,
                                        NAN,
                                        1,
                                        "十五五规划纲要"};
    f->prior_p[0] = 0.25;
    f->post_p[0] = 0.625;
    f->p = (ps_h5_posterior){
        .title = "钱江区 校准",
        .description = "fixture",
        .nscenario_files = 2,
        .scenario_names = f->scenario_names,
        .scenario_texts = f->scenario_texts,
        .model_file = "qianjiang.mdl",
        .model_sha256 = "00ff",
        .engine_version = "0.1.0 (test)",
        .command_line = "plansim calibrate calib.yaml -o post.h5",
        .seed = 20260101,
        .method = "smc",
        .complete = 1,
        .log_evidence = -3.0,
        .ess = 4.5,
        .evaluations = 25,
        .collapsed = 0,
        .converged = 0,
        .max_loglik = NAN,
        .initial_time = 2020,
        .nparams = FXP_PARAMS,
        .params = f->params,
        .param_labels = f->labels,
        .param_dists = f->dists,
        .param_start_value = f->start_value,
        .prior_mean = f->prior_mean,
        .prior_sd = f->prior_sd,
        .prior_q = f->prior_q,
        .post_mean = f->post_mean,
        .post_sd = f->post_sd,
        .post_q = f->post_q,
        .covariance = f->covariance,
        .nparticles = FXP_PARTICLES,
        .x = f->x,
        .weights = f->weights,
        .loglik = f->loglik,
        .prior_x = f->prior_x,
        .nstages = FXP_STAGES,
        .stage_phi = f->phi,
        .stage_ess = f->ess,
        .stage_acceptance = f->acceptance,
        .stage_log_evidence = f->log_evidence,
        .stage_moves = f->moves,
        .stage_evaluations = f->evaluations,
        .nseries = FXP_SERIES,
        .series_names = f->series_names,
        .series_variables = f->series_variables,
        .series_measures = f->series_measures,
        .inside50 = f->inside50,
        .inside90 = f->inside90,
        .nobs = FXP_OBS,
        .obs_series = f->obs_series,
        .obs_time = f->obs_time,
        .obs_value = f->obs_value,
        .pred_median = f->median,
        .pred_lo50 = f->lo50,
        .pred_hi50 = f->hi50,
        .pred_lo90 = f->lo90,
        .pred_hi90 = f->hi90,
        .ntargets = FXP_TARGETS,
        .targets = f->targets,
        .prior_p = f->prior_p,
        .post_p = f->post_p,
    };
}
