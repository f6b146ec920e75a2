/*
 * Importance reweighting of prior draws: N draws from the prior, one batch
 * of the model, weights proportional to the likelihood.  The log
 * evidence is log mean likelihood, log sum exp(ll_i) - log N.  Cheap and
 * exact in the limit, but it collapses when the posterior is much
 * narrower than the prior: the result says so (collapsed) when the
 * effective sample size falls below ess_warning x N.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib_impl.h"

ps_status calib_is(const calib_prior *cp, const ps_calib_model *model,
                   const ps_calib_options *opts, ps_calib_result *out,
                   ps_error *err)
{
    const size_t n = opts->particles, d = cp->d, ne = model->nextra;
    ps_status st = calib_result_alloc(out, n, d, ne, 1, err);
    if (st != PS_OK)
        return st;

    /* Only x is kept: the normal scores pass through z. */
    double *z = malloc(d * sizeof *z);
    if (!z)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory for %zu inputs", d);
    for (size_t i = 0; i < n; i++) {
        calib_prior_draw(cp, opts->seed, i, z);
        ps_calib_prior_to_x(cp->p, z, out->x + i * d);
    }
    free(z);
    size_t evaluations = 0;
    st = calib_evaluate(cp->p, model, opts, n, out->x, out->loglik, out->extra,
                        &evaluations, err);
    out->evaluations = evaluations;
    if (st != PS_OK)
        return st;

    const double logsum = calib_log_normalize(out->loglik, n, out->weights);
    if (logsum == -INFINITY)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "no prior draw reproduces the observations: all "
                            "%zu have a likelihood of zero (the data and the "
                            "prior do not overlap)",
                            n);
    memcpy(out->prior_x, out->x, n * d * sizeof *out->x);
    if (ne > 0)
        memcpy(out->prior_extra, out->extra, n * ne * sizeof *out->extra);
    double best = -INFINITY;
    for (size_t i = 0; i < n; i++)
        best = fmax(best, out->loglik[i]);

    out->log_evidence = logsum - log((double)n);
    out->ess = ps_calib_ess(out->weights, n);
    /* a fraction of N, and never fewer than 10 effective draws: a mean
       over fewer is a handful of points, whatever N was */
    out->collapsed = out->ess < opts->ess_warning * (double)n ||
                     out->ess < 10;
    out->max_loglik = best;
    out->stages[0] = (ps_calib_stage){
        .phi = 1.0,
        .ess = out->ess,
        .acceptance = NAN,
        .moves = 0,
        .log_evidence_increment = out->log_evidence,
        .evaluations = evaluations,
    };
    out->nstages = 1;
    out->complete = 1;
    if (opts->progress)
        opts->progress(&out->stages[0], opts->progress_ctx);
    return PS_OK;
}
