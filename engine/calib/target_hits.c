/*
 * The targets' probabilities over an ensemble (plansim/calib_scenario.h):
 * a sink that keeps hit counts only.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "plansim/calib_scenario.h"

typedef struct hit_counter {
    const ps_sc_target *targets;
    const size_t *var, *elem;
    size_t n;
    size_t nseries, ntimes;
    size_t *series, *time_index; /* per target                     */
    double *hits, *counted;
} hit_counter;

static ps_status counter_begin(void *ctx, const ps_ensemble_layout *l,
                               ps_error *err)
{
    hit_counter *c = ctx;
    c->nseries = l->nseries;
    c->ntimes = l->ntimes;
    for (size_t t = 0; t < c->n; t++) {
        size_t k = 0;
        double when = c->targets[t].time;
        while (k < l->ntimes &&
               fabs(l->times[k] - when) > 1e-9 * (1 + fabs(when)))
            k++;
        c->series[t] = ps_ensemble_layout_series(l, c->var[t], c->elem[t]);
        if (c->series[t] == SIZE_MAX || k == l->ntimes)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "target '%s' is not saved at %g",
                                c->targets[t].name, when);
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
    for (size_t i = 0; i < count; i++) {
        if (status[i] != PS_RUN_OK)
            continue;
        const double *v = values + i * c->nseries * c->ntimes;
        for (size_t t = 0; t < c->n; t++) {
            double x = v[c->series[t] * c->ntimes + c->time_index[t]];
            if (!isfinite(x))
                continue;
            c->counted[t] += 1;
            c->hits[t] += ps_sc_target_met(&c->targets[t], x);
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

ps_status ps_target_probabilities(const ps_ensemble_spec *spec,
                                  const ps_sc_target *targets,
                                  const size_t *var, const size_t *elem,
                                  size_t n, double *p, ps_error *err)
{
    size_t m = n ? n : 1;
    hit_counter c = {targets,
                     var,
                     elem,
                     n,
                     0,
                     0,
                     calloc(m, sizeof(size_t)),
                     calloc(m, sizeof(size_t)),
                     calloc(m, sizeof(double)),
                     calloc(m, sizeof(double))};
    ps_status st =
        c.series && c.time_index && c.hits && c.counted
            ? ps_ensemble_run(spec, &counter_type, &c, NULL, err)
            : ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t t = 0; st == PS_OK && t < n; t++)
        p[t] = c.counted[t] > 0 ? c.hits[t] / c.counted[t] : NAN;
    free(c.series);
    free(c.time_index);
    free(c.hits);
    free(c.counted);
    return st;
}
