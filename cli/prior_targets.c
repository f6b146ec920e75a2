/*
 * The targets' probabilities under the priors (prior_targets.h).
 */
#include "prior_targets.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct hit_counter {
    const scenario_run *run;
    size_t nseries, ntimes;
    size_t *series, *time_index; /* per target                     */
    double *hits, *counted;
} hit_counter;

static ps_status counter_begin(void *ctx, const ps_ensemble_layout *l,
                               ps_error *err)
{
    hit_counter *c = ctx;
    const ps_sc_binding *b = &c->run->bind;
    c->nseries = l->nseries;
    c->ntimes = l->ntimes;
    for (size_t t = 0; t < b->ntargets; t++) {
        size_t v = 0;
        while (v < l->nsave && l->save[v] != b->target_var[t])
            v++;
        size_t k = 0;
        double when = c->run->sc->targets[t].time;
        while (k < l->ntimes &&
               fabs(l->times[k] - when) > 1e-9 * (1 + fabs(when)))
            k++;
        if (v == l->nsave || k == l->ntimes)
            return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                                "target %zu is not saved", t + 1);
        c->series[t] = (l->offset ? l->offset[v] : v) + b->target_elem[t];
        c->time_index[t] = k;
    }
    return PS_OK;
}

static ps_status counter_write(void *ctx, size_t first, size_t count,
                               const unsigned char *status,
                               const double *values, const double *inputs,
                               ps_error *err)
{
    (void)first, (void)inputs, (void)err;
    hit_counter *c = ctx;
    const scenario_run *r = c->run;
    for (size_t i = 0; i < count; i++) {
        if (status[i] != PS_RUN_OK)
            continue;
        const double *v = values + i * c->nseries * c->ntimes;
        for (size_t t = 0; t < r->bind.ntargets; t++) {
            double x = v[c->series[t] * c->ntimes + c->time_index[t]];
            if (!isfinite(x))
                continue;
            c->counted[t] += 1;
            c->hits[t] += ps_sc_target_met(&r->sc->targets[t], x);
        }
    }
    return PS_OK;
}

static ps_status counter_end(void *ctx, ps_error *err)
{
    (void)ctx, (void)err;
    return PS_OK;
}

static const ps_sink_type counter_type = {"target hits", counter_begin,
                                          counter_write, counter_end};

ps_status prior_target_probabilities(const scenario_run *r, size_t nruns,
                                     uint64_t seed, int threads,
                                     volatile sig_atomic_t *cancel, double *p,
                                     ps_error *err)
{
    size_t nt = r->bind.ntargets, n = nt ? nt : 1;
    hit_counter c = {r,
                     0,
                     0,
                     calloc(n, sizeof(size_t)),
                     calloc(n, sizeof(size_t)),
                     calloc(n, sizeof(double)),
                     calloc(n, sizeof(double))};
    /* the same scenario without its posterior */
    scenario_run prior = *r;
    prior.posterior = NULL;
    scenario_inputs inputs = {0};
    ps_status st =
        c.series && c.time_index && c.hits && c.counted
            ? scenario_inputs_init(&inputs, &prior, nruns, seed, err)
            : ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == PS_OK) {
        c.run = &prior;
        ps_ensemble_spec spec = {
            .prog = r->prog,
            .sim = r->sim,
            .nruns = nruns,
            .seed = seed,
            .ninputs = r->bind.ncolumns,
            .nslots = r->bind.nslots,
            .slots = r->bind.slots,
            .fill_inputs = scenario_fill_inputs,
            .inputs_ctx = &inputs,
            .nsave = r->nsave,
            .save_vars = r->save_vars,
            .threads = threads,
            .cancel = cancel,
        };
        st = ps_ensemble_run(&spec, &counter_type, &c, NULL, err);
    }
    for (size_t t = 0; st == PS_OK && t < nt; t++)
        p[t] = c.counted[t] > 0 ? c.hits[t] / c.counted[t] : NAN;
    scenario_inputs_free(&inputs);
    free(c.series);
    free(c.time_index);
    free(c.hits);
    free(c.counted);
    return st;
}
