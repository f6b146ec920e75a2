/*
 * A batch of calibration runs as one parallel ensemble, scored against the
 * observed series by a sink on the writer thread (plansim/calib_batch.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/calib_batch.h"

/* Where an observation's simulated value comes from: series `num`
   interpolated at time position `at`, over series `den` at `den_at`
   (a share), or over itself at `lag_at` (a growth rate). */
typedef struct interp {
    size_t i0, i1;
    double w; /* value = (1 - w) v[i0] + w v[i1] */
} interp;

typedef struct obs_plan {
    ps_obs_kind kind;
    size_t num, den; /* series of the sink's layout                    */
    interp at, base; /* at t; at t - lag (growth) or t (share)          */
    double value;
    const ps_obs_error *error;
} obs_plan;

struct ps_calib_batch {
    ps_calib_batch_spec spec;
    size_t nobs;
    size_t *obs_offset; /* nseries + 1                                 */
    size_t nsave;
    size_t *save;   /* the program variables the runs save          */
    obs_plan *plan; /* nobs, made when the sink learns the layout   */
    size_t *target_series;
    interp *target_at;
    size_t nseries, ntimes; /* the runs' layout                       */
    /* the batch being scored */
    size_t n;
    double *loglik, *extra;
    size_t nextra;
    size_t failed;
    int has_failure;
    ps_error first_failure; /* the first failed run's error             */
};

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                        "out of memory for the calibration runs");
}

static void add_unique(size_t *v, size_t *n, size_t x)
{
    for (size_t i = 0; i < *n; i++)
        if (v[i] == x)
            return;
    v[(*n)++] = x;
}

ps_status ps_calib_batch_new(const ps_calib_batch_spec *spec,
                             ps_calib_batch **out, ps_error *err)
{
    *out = NULL;
    ps_calib_batch *b = calloc(1, sizeof *b);
    if (!b)
        return nomem(err);
    b->spec = *spec;
    size_t ns = spec->observed ? spec->observed->nseries : 0;
    b->obs_offset = malloc((ns + 1) * sizeof *b->obs_offset);
    b->save = malloc((2 * ns + spec->ntargets + 1) * sizeof *b->save);
    b->target_series = malloc((spec->ntargets + 1) * sizeof(size_t));
    b->target_at = malloc((spec->ntargets + 1) * sizeof(interp));
    if (!b->obs_offset || !b->save || !b->target_series || !b->target_at) {
        ps_calib_batch_free(&b);
        return nomem(err);
    }
    for (size_t s = 0; s < ns; s++) {
        b->obs_offset[s] = b->nobs;
        b->nobs += spec->observed->series[s].n;
        add_unique(b->save, &b->nsave, spec->obs_var[s]);
        if (spec->observed->series[s].kind == PS_OBS_SHARE)
            add_unique(b->save, &b->nsave, spec->obs_of_var[s]);
    }
    b->obs_offset[ns] = b->nobs;
    for (size_t t = 0; t < spec->ntargets; t++)
        add_unique(b->save, &b->nsave, spec->target_var[t]);
    b->plan = malloc((b->nobs ? b->nobs : 1) * sizeof *b->plan);
    if (!b->plan) {
        ps_calib_batch_free(&b);
        return nomem(err);
    }
    b->nextra = b->nobs + spec->ntargets;
    *out = b;
    return PS_OK;
}

void ps_calib_batch_free(ps_calib_batch **pb)
{
    if (!pb || !*pb)
        return;
    ps_calib_batch *b = *pb;
    free(b->obs_offset);
    free(b->save);
    free(b->plan);
    free(b->target_series);
    free(b->target_at);
    free(b);
    *pb = NULL;
}

size_t ps_calib_batch_nobs(const ps_calib_batch *b)
{
    return b->nobs;
}

size_t ps_calib_batch_obs_offset(const ps_calib_batch *b, size_t series)
{
    return b->obs_offset[series];
}

void ps_calib_batch_spread(ps_calib_batch *b, const ps_ensemble_spread *spread)
{
    b->spec.spread = spread;
}

size_t ps_calib_batch_failed(const ps_calib_batch *b)
{
    return b->failed;
}

const ps_error *ps_calib_batch_first_failure(const ps_calib_batch *b)
{
    return b->has_failure ? &b->first_failure : NULL;
}

/* ---- the sink ---- */

/* The interpolation of time t among the saved times (checked to lie
   within them by ps_scenario_check; held at the ends otherwise). */
static interp locate(const double *times, size_t n, double t)
{
    if (n < 2 || t <= times[0])
        return (interp){0, 0, 0};
    if (t >= times[n - 1])
        return (interp){n - 1, n - 1, 0};
    size_t lo = 0, hi = n - 1; /* times[lo] < t <= times[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (times[mid] < t)
            lo = mid;
        else
            hi = mid;
    }
    double w = (t - times[lo]) / (times[hi] - times[lo]);
    /* a saved time given in decimal: take it exactly */
    if (fabs(1 - w) < 1e-9)
        return (interp){hi, hi, 0};
    return (interp){lo, hi, w};
}

static double value_at(const double *row, interp a)
{
    return a.w == 0 ? row[a.i0] : (1 - a.w) * row[a.i0] + a.w * row[a.i1];
}

static ps_status sink_begin(void *ctx, const ps_ensemble_layout *l,
                            ps_error *err)
{
    (void)err;
    ps_calib_batch *b = ctx;
    const ps_calib_batch_spec *sp = &b->spec;
    b->nseries = l->nseries;
    b->ntimes = l->ntimes;
    size_t k = 0;
    for (size_t s = 0; sp->observed && s < sp->observed->nseries; s++) {
        const ps_sc_obs_series *se = &sp->observed->series[s];
        for (size_t j = 0; j < se->n; j++, k++) {
            obs_plan *p = &b->plan[k];
            p->kind = se->kind;
            p->num =
                ps_ensemble_layout_series(l, sp->obs_var[s], sp->obs_elem[s]);
            p->den = se->kind == PS_OBS_SHARE
                         ? ps_ensemble_layout_series(l, sp->obs_of_var[s],
                                                     sp->obs_of_elem[s])
                         : p->num;
            p->at = locate(l->times, l->ntimes, se->time[j]);
            p->base = se->kind == PS_OBS_GROWTH
                          ? locate(l->times, l->ntimes, se->time[j] - se->lag)
                          : p->at;
            p->value = se->value[j];
            p->error = &se->error[j];
        }
    }
    for (size_t t = 0; t < sp->ntargets; t++) {
        b->target_series[t] =
            ps_ensemble_layout_series(l, sp->target_var[t], sp->target_elem[t]);
        b->target_at[t] = locate(l->times, l->ntimes, sp->target_time[t]);
    }
    return PS_OK;
}

static double simulated(const obs_plan *p, const double *values, size_t ntimes)
{
    double v = value_at(values + p->num * ntimes, p->at);
    switch (p->kind) {
    case PS_OBS_GROWTH:
        return v / value_at(values + p->num * ntimes, p->base) - 1;
    case PS_OBS_SHARE:
        return v / value_at(values + p->den * ntimes, p->at);
    default:
        return v;
    }
}

static ps_status sink_write(void *ctx, size_t first, size_t count,
                            const unsigned char *status, const double *values,
                            const double *inputs, ps_error *err)
{
    (void)inputs, (void)err;
    ps_calib_batch *b = ctx;
    size_t nt = b->ntimes, per_run = b->nseries * nt;
    for (size_t r = 0; r < count; r++) {
        size_t run = first + r;
        const double *v = values + r * per_run;
        double *extra = b->extra ? b->extra + run * b->nextra : NULL;
        double ll = 0;
        for (size_t k = 0; k < b->nobs; k++) {
            double m =
                status[r] == PS_RUN_OK ? simulated(&b->plan[k], v, nt) : NAN;
            if (extra)
                extra[k] = m;
            ll += ps_obs_loglik(b->plan[k].error, b->plan[k].value, m);
        }
        for (size_t t = 0; t < b->spec.ntargets; t++)
            if (extra)
                extra[b->nobs + t] =
                    status[r] == PS_RUN_OK
                        ? value_at(v + b->target_series[t] * nt,
                                   b->target_at[t])
                        : NAN;
        if (status[r] != PS_RUN_OK || isnan(ll)) {
            ll = -INFINITY;
            b->failed++;
        }
        b->loglik[run] = ll;
    }
    return PS_OK;
}

static ps_status sink_end(void *ctx, ps_error *err)
{
    (void)ctx, (void)err;
    return PS_OK;
}

static const ps_sink_type batch_sink_type = {"calibration", sink_begin,
                                             sink_write, sink_end};

/* A batch shared by a job's processes: the writer's outcome, scores and
   failures, copied to every worker (whose sink saw no run). */
static ps_status share_scores(ps_calib_batch *b, ps_status st, ps_error *err)
{
    const ps_ensemble_spread *sp = b->spec.spread;
    struct {
        int status, has_failure;
        size_t failed;
        ps_error first_failure, why;
    } head; /* the writer's */
    memset(&head, 0, sizeof head);
    head.status = st;
    head.has_failure = b->has_failure;
    head.failed = b->failed;
    head.first_failure = b->first_failure;
    if (st != PS_OK && err)
        head.why = *err;
    ps_status s = sp->share(sp->ctx, &head, sizeof head, err);
    if (s != PS_OK)
        return s;
    if (!sp->writer) {
        b->has_failure = head.has_failure;
        b->failed = head.failed;
        b->first_failure = head.first_failure;
    }
    /* a worker stops with the writer, which reports why */
    if (head.status != PS_OK)
        return sp->writer ? st
                          : ps_error_set(err, PS_ERR_INTERRUPTED, NULL, 0, 0,
                                         "stopped with the writer: %s",
                                         head.why.message);
    s = sp->share(sp->ctx, b->loglik, b->n * sizeof *b->loglik, err);
    if (s == PS_OK && b->extra)
        s = sp->share(sp->ctx, b->extra, b->n * b->nextra * sizeof *b->extra,
                      err);
    return s;
}

static ps_status batch_loglik(void *ctx, size_t n, const double *x,
                              double *loglik, double *extra, ps_error *err)
{
    ps_calib_batch *b = ctx;
    const ps_calib_batch_spec *sp = &b->spec;
    b->n = n;
    b->loglik = loglik;
    b->extra = extra;
    for (size_t i = 0; i < n; i++)
        loglik[i] = -INFINITY;
    ps_ensemble_spec spec = {
        .prog = sp->prog,
        .sim = sp->sim,
        .nruns = n,
        .seed = sp->sim.seed,
        .ninputs = sp->ninputs,
        .nslots = sp->nslots,
        .slots = sp->slots,
        .inputs = x,
        .nsave = b->nsave,
        .save_vars = b->save,
        .threads = sp->threads,
        .cancel = sp->cancel,
        .spread = sp->spread,
    };
    ps_ensemble_report report;
    memset(&report, 0, sizeof report);
    ps_status st = ps_ensemble_run(&spec, &batch_sink_type, b, &report, err);
    if (report.failed > 0 && !b->has_failure) {
        b->first_failure = report.first_failure;
        b->has_failure = 1;
    }
    return sp->spread ? share_scores(b, st, err) : st;
}

ps_calib_model ps_calib_batch_model(ps_calib_batch *b)
{
    return (ps_calib_model){batch_loglik, b, b->nextra};
}
