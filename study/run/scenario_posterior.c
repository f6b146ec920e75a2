/*
 * Forecasting from a posterior (scenario_posterior_load).
 */
#include "plansim_study/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/rng.h"

/* The RNG stream of the particle draw (plansim/rng.h): "post". */
enum { POSTERIOR_STREAM = 0x706f7374 };

void scenario_posterior_free(scenario_posterior *p)
{
    if (!p)
        return;
    ps_h5_posterior_free(&p->file);
    free(p->path);
    free(p->param_of);
    ps_calib_draws_free(&p->draws);
    free(p->prior_p);
    memset(p, 0, sizeof *p);
}

/* Whether posterior input k is a start value of the calibrated run that
   a forecast starting at `t0` does not take: one that starts at another
   time (NaN, the model's own start, only matches NaN). */
static int is_start_value(const ps_h5_posterior *f, size_t k, double t0)
{
    int same_start =
        (isnan(t0) && isnan(f->initial_time)) || t0 == f->initial_time;
    return f->param_start_value && f->param_start_value[k] && !same_start;
}

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Matches the posterior's inputs to the scenario's columns by name.  An
   input the scenario does not draw (it fixes it, or sets it by a lever)
   is left out: drawing the others from the particles is drawing from
   their marginal posterior, which is still the posterior.  So is a start
   value of the calibrated run (an initial condition in its first year):
   the forecast starts at its own time, from its own start values. */
static ps_status match_columns(scenario_posterior *p, const ps_sc_binding *bind,
                               double t0, const study_hooks *hooks,
                               ps_error *err)
{
    const ps_h5_posterior *f = p->file;
    p->ncolumns = bind->ncolumns;
    p->param_of = malloc((bind->ncolumns + 1) * sizeof *p->param_of);
    if (!p->param_of)
        return nomem(err);
    for (size_t j = 0; j < bind->ncolumns; j++) {
        p->param_of[j] = SIZE_MAX;
        for (size_t k = 0; k < f->nparams; k++)
            if (strcmp(bind->columns[j].name, f->params[k]) == 0 &&
                !is_start_value(f, k, t0))
                p->param_of[j] = k;
        p->ncalibrated += p->param_of[j] != SIZE_MAX;
    }
    size_t nstart = 0;
    for (size_t k = 0; k < f->nparams; k++)
        nstart += is_start_value(f, k, t0);
    if (nstart)
        study_say(hooks,
                  "note: %s calibrated %zu start value%s of its run "
                  "(start value: true); the forecast keeps its own",
                  p->path, nstart, nstart == 1 ? "" : "s");
    for (size_t k = 0; k < f->nparams && hooks && hooks->say; k++) {
        if (is_start_value(f, k, t0))
            continue;
        size_t j = 0;
        while (j < bind->ncolumns &&
               strcmp(bind->columns[j].name, f->params[k]) != 0)
            j++;
        if (j == bind->ncolumns)
            study_say(hooks,
                      "warning: %s calibrated '%s', which this "
                      "scenario does not draw (it sets it itself): its "
                      "posterior is not used",
                      p->path, f->params[k]);
    }
    if (p->ncalibrated == 0)
        return ps_error_set(err, PS_ERR_DATA, p->path, 0, 0,
                            "the posterior calibrated none of the inputs "
                            "this scenario draws: forecast with the "
                            "scenario that was calibrated, or one that "
                            "draws the same inputs");
    return PS_OK;
}

ps_status scenario_posterior_load(scenario_posterior *p, const char *path,
                                  const ps_sc_binding *bind,
                                  const char *model_sha256, double initial_time,
                                  const study_hooks *hooks, ps_error *err)
{
    memset(p, 0, sizeof *p);
    p->path = strdup(path);
    if (!p->path)
        return nomem(err);
    if (hooks && hooks->read_begin)
        hooks->read_begin(hooks->ctx, path);
    ps_status st = ps_h5_posterior_read(path, &p->file, err);
    if (hooks && hooks->read_end)
        hooks->read_end(hooks->ctx);
    if (st == PS_OK)
        st = match_columns(p, bind, initial_time, hooks, err);
    const ps_h5_posterior *f = p->file;
    if (st == PS_OK)
        st = ps_calib_draws_init(&p->draws, f->nparticles, f->nparams, f->x,
                                 f->weights, err);
    if (st == PS_OK) {
        p->prior_p = malloc((bind->ntargets + 1) * sizeof *p->prior_p);
        if (!p->prior_p)
            st = nomem(err);
    }
    if (st != PS_OK) {
        if (err && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", path);
        scenario_posterior_free(p);
        return st;
    }
    for (size_t t = 0; t < bind->ntargets; t++)
        p->prior_p[t] = NAN;
    if (model_sha256 && f->model_sha256 &&
        strcmp(model_sha256, f->model_sha256) != 0)
        study_say(hooks,
                  "warning: the model changed since %s was "
                  "calibrated; calibrate again for a posterior of this "
                  "model",
                  path);
    return PS_OK;
}

void scenario_posterior_draw(const scenario_posterior *p, uint64_t seed,
                             size_t nruns, size_t first, size_t count,
                             double *rows)
{
    const ps_h5_posterior *f = p->file;
    ps_rng_address a = {seed, 0, POSTERIOR_STREAM};
    double u = ps_rng_uniform(&a, 0);
    for (size_t r = 0; r < count; r++) {
        size_t k = ps_calib_draws_pick(&p->draws, ((double)(first + r) + u) /
                                                      (double)nruns);
        for (size_t j = 0; j < p->ncolumns; j++)
            if (p->param_of[j] != SIZE_MAX)
                rows[r * p->ncolumns + j] =
                    f->x[k * f->nparams + p->param_of[j]];
    }
}

double scenario_posterior_quantile(const scenario_posterior *p, size_t j,
                                   double u)
{
    if (!p || j >= p->ncolumns || p->param_of[j] == SIZE_MAX)
        return NAN;
    return ps_calib_draws_quantile(&p->draws, p->param_of[j], u);
}
