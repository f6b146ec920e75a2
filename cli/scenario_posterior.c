/*
 * Forecasting from a posterior (scenario_posterior.h).
 */
#include "scenario_posterior.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/order.h"
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
    free(p->cumulative);
    free(p->sorted);
    free(p->marginal);
    free(p->prior_p);
    memset(p, 0, sizeof *p);
}

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Each input's particles in increasing order, and their running weights
   (normalised), for the marginal quantiles. */
static ps_status sort_marginals(scenario_posterior *p, ps_error *err)
{
    const ps_h5_posterior *f = p->file;
    size_t n = f->nparticles, d = f->nparams;
    p->sorted = malloc(n * d * sizeof *p->sorted);
    p->marginal = malloc(n * d * sizeof *p->marginal);
    ps_keyed *tmp = malloc(n * sizeof *tmp);
    if (!p->sorted || !p->marginal || !tmp) {
        free(tmp);
        return nomem(err);
    }
    for (size_t j = 0; j < d; j++) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = (ps_keyed){f->x[i * d + j], i};
        ps_keyed_sort(tmp, n);
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            p->sorted[j * n + i] = tmp[i].index;
            double w = f->weights[tmp[i].index];
            p->marginal[j * n + i] = sum += w > 0 ? w : 0;
        }
        for (size_t i = 0; i < n; i++)
            p->marginal[j * n + i] /= sum;
    }
    free(tmp);
    return PS_OK;
}

/* Matches the posterior's inputs to the scenario's columns by name.  An
   input the scenario does not draw (it fixes it, or sets it by a lever)
   is left out: drawing the others from the particles is drawing from
   their marginal posterior, which is still the posterior. */
static ps_status match_columns(scenario_posterior *p, const ps_sc_binding *bind,
                               int quiet, ps_error *err)
{
    const ps_h5_posterior *f = p->file;
    p->ncolumns = bind->ncolumns;
    p->param_of = malloc((bind->ncolumns + 1) * sizeof *p->param_of);
    if (!p->param_of)
        return nomem(err);
    for (size_t j = 0; j < bind->ncolumns; j++) {
        p->param_of[j] = SIZE_MAX;
        for (size_t k = 0; k < f->nparams; k++)
            if (strcmp(bind->columns[j].name, f->params[k]) == 0)
                p->param_of[j] = k;
        p->ncalibrated += p->param_of[j] != SIZE_MAX;
    }
    for (size_t k = 0; k < f->nparams && !quiet; k++) {
        size_t j = 0;
        while (j < bind->ncolumns &&
               strcmp(bind->columns[j].name, f->params[k]) != 0)
            j++;
        if (j == bind->ncolumns)
            fprintf(stderr,
                    "plansim: warning: %s calibrated '%s', which this "
                    "scenario does not draw (it sets it itself): its "
                    "posterior is not used\n",
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
                                  const char *const *target_names,
                                  const char *model_sha256, int quiet,
                                  ps_error *err)
{
    memset(p, 0, sizeof *p);
    p->path = strdup(path);
    if (!p->path)
        return nomem(err);
    ps_status st = ps_h5_posterior_read(path, &p->file, err);
    if (st == PS_OK)
        st = match_columns(p, bind, quiet, err);
    if (st == PS_OK)
        st = sort_marginals(p, err);
    const ps_h5_posterior *f = p->file;
    if (st == PS_OK) {
        size_t n = f->nparticles;
        p->cumulative = malloc(n * sizeof *p->cumulative);
        p->prior_p = malloc((bind->ntargets + 1) * sizeof *p->prior_p);
        if (!p->cumulative || !p->prior_p)
            st = nomem(err);
    }
    if (st != PS_OK) {
        scenario_posterior_free(p);
        return st;
    }
    double sum = 0;
    for (size_t i = 0; i < f->nparticles; i++)
        p->cumulative[i] = sum += f->weights[i] > 0 ? f->weights[i] : 0;
    for (size_t i = 0; i < f->nparticles; i++)
        p->cumulative[i] /= sum;
    for (size_t t = 0; t < bind->ntargets; t++) {
        p->prior_p[t] = NAN;
        for (size_t k = 0; k < f->ntargets; k++)
            if (strcmp(f->targets[k].variable, target_names[t]) == 0 &&
                f->prior_p)
                p->prior_p[t] = f->prior_p[k];
    }
    if (!quiet && model_sha256 && f->model_sha256 &&
        strcmp(model_sha256, f->model_sha256) != 0)
        fprintf(stderr,
                "plansim: warning: the model changed since %s was "
                "calibrated; calibrate again for a posterior of this "
                "model\n",
                path);
    return PS_OK;
}

/* The first particle whose cumulative weight exceeds v. */
static size_t particle_at(const scenario_posterior *p, double v)
{
    size_t n = p->file->nparticles, lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->cumulative[mid] > v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void scenario_posterior_draw(const scenario_posterior *p, uint64_t seed,
                             size_t nruns, size_t first, size_t count,
                             double *rows)
{
    const ps_h5_posterior *f = p->file;
    ps_rng_address a = {seed, 0, POSTERIOR_STREAM};
    double u = ps_rng_uniform(&a, 0);
    for (size_t r = 0; r < count; r++) {
        size_t k = particle_at(p, ((double)(first + r) + u) / (double)nruns);
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
    const ps_h5_posterior *f = p->file;
    size_t k = p->param_of[j], n = f->nparticles;
    const double *cum = p->marginal + k * n;
    /* the first particle whose running weight reaches u */
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return f->x[p->sorted[k * n + lo] * f->nparams + k];
}
