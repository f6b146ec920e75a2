/*
 * ps_calibrate: checks the problem, prepares the prior and hands it to
 * one of the samplers; also what the samplers share (one checked batch
 * of the model, the result's arrays) and the method names.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"
#include "calib_impl.h"

static const char *const method_names[] = {"smc", "is", "optimize"};
#define METHOD_COUNT (sizeof method_names / sizeof method_names[0])

int ps_calib_method_from_name(const char *name, ps_calib_method *m)
{
    long i = ps_word_index(method_names, METHOD_COUNT, name);
    if (i < 0)
        return -1;
    if (m)
        *m = (ps_calib_method)i;
    return 0;
}

const char *ps_calib_method_name(ps_calib_method m)
{
    return (size_t)m < METHOD_COUNT ? method_names[m] : "unknown";
}

void ps_calib_options_default(ps_calib_options *o)
{
    memset(o, 0, sizeof *o);
    o->particles = 1000;
    o->seed = 0;
    o->ess_fraction = 0.5;
    o->max_stages = 200;
    o->max_moves = 20;
    o->ess_warning = 0.01;
    o->max_evaluations = 0; /* 2000 x nparams */
}

void ps_calib_result_free(ps_calib_result *r)
{
    if (!r)
        return;
    free(r->x);
    free(r->weights);
    free(r->loglik);
    free(r->extra);
    free(r->prior_x);
    free(r->prior_extra);
    free(r->z);
    free(r->stages);
    free(r->covariance);
    memset(r, 0, sizeof *r);
}

ps_status calib_result_alloc(ps_calib_result *r, size_t n, size_t d,
                             size_t nextra, size_t nstages, ps_error *err)
{
    r->nparams = d;
    r->nparticles = n;
    r->nextra = nextra;
    r->x = malloc(n * d * sizeof *r->x);
    r->weights = malloc(n * sizeof *r->weights);
    r->loglik = malloc(n * sizeof *r->loglik);
    r->prior_x = malloc(n * d * sizeof *r->prior_x);
    r->stages = calloc(nstages, sizeof *r->stages);
    int ok = r->x && r->weights && r->loglik && r->prior_x && r->stages;
    if (nextra > 0) {
        r->extra = malloc(n * nextra * sizeof *r->extra);
        r->prior_extra = malloc(n * nextra * sizeof *r->prior_extra);
        ok = ok && r->extra && r->prior_extra;
    }
    r->log_evidence = NAN;
    r->ess = 0.0;
    r->max_loglik = NAN;
    r->move_scale = NAN;
    r->complete = 0;
    if (!ok)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory for %zu particles of %zu inputs", n, d);
    return PS_OK;
}

ps_status calib_evaluate(const ps_calib_prior *prior,
                         const ps_calib_model *model,
                         const ps_calib_options *opts, size_t n,
                         const double *x, double *loglik, double *extra,
                         size_t *evaluations, ps_error *err)
{
    if (opts->cancel && *opts->cancel)
        return ps_error_set(err, PS_ERR_INTERRUPTED, NULL, 0, 0,
                            "calibration interrupted after %zu model "
                            "evaluations",
                            *evaluations);
    ps_status st = model->loglik(model->ctx, n, x, loglik,
                                 model->nextra > 0 ? extra : NULL, err);
    if (st != PS_OK)
        return st;
    *evaluations += n;
    const size_t d = prior->nparams;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(loglik[i]) && loglik[i] != INFINITY)
            continue;
        char where[256];
        int len = 0;
        for (size_t j = 0; j < d && len < (int)sizeof where - 40; j++) {
            const char *name =
                prior->names && prior->names[j] ? prior->names[j] : "?";
            len +=
                snprintf(where + len, sizeof where - (size_t)len,
                         "%s%.40s = %.6g", j ? ", " : "", name, x[i * d + j]);
        }
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "the log-likelihood is %g (it must be a number "
                            "or -infinity) at %s",
                            loglik[i], where);
    }
    return PS_OK;
}

static ps_status check_prior(const ps_calib_prior *p, ps_error *err)
{
    if (!p || p->nparams == 0)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "calibration needs at least one uncertain input");
    if (!p->dists)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the prior has no distributions");
    for (size_t j = 0; j < p->nparams; j++) {
        const char *name = p->names && p->names[j] ? p->names[j] : "?";
        char why[256];
        if (!p->dists[j])
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "input '%s' has no prior distribution", name);
        if (ps_dist_check(p->dists[j], why, sizeof why) != 0)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "the prior of input '%s': %s", name, why);
    }
    return PS_OK;
}

static ps_status check_options(ps_calib_method method,
                               const ps_calib_options *o, ps_error *err)
{
    if (o->particles < 2)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "calibration needs at least 2 particles, got %zu",
                            o->particles);
    if (method == PS_CALIB_SMC) {
        if (!(o->ess_fraction > 0.0 && o->ess_fraction < 1.0))
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "the ESS fraction must be in (0, 1), got %g",
                                o->ess_fraction);
        if (o->max_stages < 1 || o->max_moves < 1)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "SMC needs at least 1 stage and 1 move per "
                                "stage");
        /* Each (stage, move) pair has a stream of its own below the next
           purpose's streams (calib_impl.h). */
        const size_t room = (size_t)1 << 20;
        if (o->max_stages >= room / o->max_moves)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "at most %zu stages of %zu moves, got %zu",
                                room / o->max_moves - 1, o->max_moves,
                                o->max_stages);
    }
    if (o->resume) {
        const ps_calib_result *r = o->resume;
        if (method != PS_CALIB_SMC || r->method != PS_CALIB_SMC)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "only SMC continues an interrupted run");
        if (r->nparticles != o->particles || r->nstages < 1 ||
            r->nstages > o->max_stages + 1 || !r->z || !r->x || !r->weights ||
            !r->loglik || !r->prior_x || !r->stages || !(r->move_scale > 0.0))
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "the run to continue does not hold a whole "
                                "stage of %zu particles",
                                o->particles);
    }
    if (method == PS_CALIB_IS &&
        !(o->ess_warning >= 0.0 && o->ess_warning <= 1.0))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the ESS warning fraction must be in [0, 1], "
                            "got %g",
                            o->ess_warning);
    return PS_OK;
}

ps_status ps_calibrate(ps_calib_method method, const ps_calib_prior *prior,
                       const ps_calib_model *model,
                       const ps_calib_options *opts, ps_calib_result *out,
                       ps_error *err)
{
    /* The callback and the samplers always have an error to fill. */
    ps_error local;
    if (!err)
        err = &local;
    ps_error_clear(err);
    if (!out)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0, "no result to fill");
    memset(out, 0, sizeof *out);
    out->method = method;
    ps_calib_options defaults;
    if (!opts) {
        ps_calib_options_default(&defaults);
        opts = &defaults;
    }
    if ((size_t)method >= METHOD_COUNT)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "unknown calibration method %d", (int)method);
    ps_status st = check_prior(prior, err);
    if (st != PS_OK)
        return st;
    if (!model || !model->loglik)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "calibration needs a log-likelihood");
    st = check_options(method, opts, err);
    if (st != PS_OK)
        return st;

    calib_prior cp;
    st = calib_prior_init(&cp, prior, err);
    if (st != PS_OK)
        return st;
    switch (method) {
    case PS_CALIB_SMC:
        st = calib_smc(&cp, model, opts, out, err);
        break;
    case PS_CALIB_IS:
        st = calib_is(&cp, model, opts, out, err);
        break;
    case PS_CALIB_OPTIMIZE:
        st = calib_optimize(&cp, model, opts, out, err);
        break;
    }
    calib_prior_free(&cp);
    /* Only an interruption after a whole stage leaves a result behind. */
    if (st != PS_OK && (st != PS_ERR_INTERRUPTED || out->nstages == 0))
        ps_calib_result_free(out);
    if (st != PS_OK)
        out->complete = 0;
    out->method = method;
    return st;
}
