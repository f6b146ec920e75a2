/*
 * The posterior-predictive check: where the observations fall among
 * replicate observations of the calibrated model (Gelman, Meng & Stern
 * 1996; Gelman et al., Bayesian Data Analysis, 3rd ed., ch. 6).  A
 * calibrated model whose error model is honest puts about half of the
 * observations inside their 50 % bands and nine in ten inside the 90 %
 * bands; far fewer means the model or its errors are too confident.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "calib_impl.h"
#include "plansim/calib_batch.h"
#include "plansim/rng.h"

void ps_calib_check_free(ps_calib_check *c)
{
    if (!c)
        return;
    free(c->median);
    free(c->lo50);
    free(c->hi50);
    free(c->lo90);
    free(c->hi90);
    free(c->inside50);
    free(c->inside90);
    memset(c, 0, sizeof *c);
}

static ps_status check_alloc(ps_calib_check *c, size_t nobs, size_t nseries,
                             ps_error *err)
{
    size_t k = nobs ? nobs : 1, s = nseries ? nseries : 1;
    c->nobs = nobs;
    c->nseries = nseries;
    c->median = malloc(k * sizeof *c->median);
    c->lo50 = malloc(k * sizeof *c->lo50);
    c->hi50 = malloc(k * sizeof *c->hi50);
    c->lo90 = malloc(k * sizeof *c->lo90);
    c->hi90 = malloc(k * sizeof *c->hi90);
    c->inside50 = malloc(s * sizeof *c->inside50);
    c->inside90 = malloc(s * sizeof *c->inside90);
    if (!c->median || !c->lo50 || !c->hi50 || !c->lo90 || !c->hi90 ||
        !c->inside50 || !c->inside90) {
        ps_calib_check_free(c);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for the predictive check");
    }
    return PS_OK;
}

ps_status ps_calib_check_run(const ps_sc_observed *observed, const double *sim,
                             size_t n, size_t stride, const double *weights,
                             uint64_t seed, ps_calib_check *out, ps_error *err)
{
    memset(out, 0, sizeof *out);
    size_t nobs = 0;
    for (size_t s = 0; s < observed->nseries; s++)
        nobs += observed->series[s].n;
    ps_status st = check_alloc(out, nobs, observed->nseries, err);
    if (st != PS_OK)
        return st;
    /* A few particles (optimize keeps one) get several replicates each,
       so that the bands show the measurement error at least. */
    size_t reps = n >= 1000 ? 1 : (1000 + n - 1) / (n ? n : 1);
    double *rep = malloc((n ? n * reps : 1) * sizeof *rep);
    double *repw = malloc((n ? n * reps : 1) * sizeof *repw);
    if (!rep || !repw) {
        free(rep);
        free(repw);
        ps_calib_check_free(out);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for the predictive check");
    }
    static const double probs[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
    size_t k = 0;
    for (size_t s = 0; s < observed->nseries && st == PS_OK; s++) {
        const ps_sc_obs_series *se = &observed->series[s];
        size_t in50 = 0, in90 = 0;
        for (size_t j = 0; j < se->n && st == PS_OK; j++, k++) {
            for (size_t i = 0; i < n; i++) {
                ps_rng_address a = {seed, i, CALIB_STREAM_PREDICT + k};
                for (size_t r = 0; r < reps; r++) {
                    double z = gsl_cdf_ugaussian_Pinv(ps_rng_uniform(&a, r));
                    rep[i * reps + r] = ps_obs_replicate(
                        &se->error[j], se->value[j], sim[i * stride + k], z);
                    repw[i * reps + r] = weights ? weights[i] : 1;
                }
            }
            double q[5];
            ps_calib_moments mom;
            st = ps_calib_summarize(rep, n * reps, 1, 0, repw, 5, probs, &mom,
                                    q, err);
            if (st != PS_OK)
                break;
            out->lo90[k] = q[0];
            out->lo50[k] = q[1];
            out->median[k] = q[2];
            out->hi50[k] = q[3];
            out->hi90[k] = q[4];
            double y = se->value[j];
            in50 += y >= q[1] && y <= q[3];
            in90 += y >= q[0] && y <= q[4];
        }
        out->inside50[s] = se->n ? (double)in50 / (double)se->n : NAN;
        out->inside90[s] = se->n ? (double)in90 / (double)se->n : NAN;
    }
    free(rep);
    free(repw);
    if (st != PS_OK)
        ps_calib_check_free(out);
    return st;
}
