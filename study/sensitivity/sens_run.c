/*
 * The runs of a sensitivity design: each run's inputs computed on demand
 * from the design (uniforms through the inputs' distributions), and a
 * sink that keeps only the analysed outputs (memory: runs x outputs),
 * alone or beside the ensemble file.
 */
#include "plansim_study/sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


ps_status sens_runs_init(sens_runs *s, const scenario_run *r,
                         const ps_sens_design *d, const sens_outputs *o,
                         ps_error *err)
{
    *s = (sens_runs){r, d, o, ps_sens_design_runs(d), NULL};
    size_t nout = o->n ? o->n : 1, cells = s->nruns * nout;
    s->y = s->nruns <= SIZE_MAX / sizeof *s->y / nout
               ? malloc(cells * sizeof *s->y)
               : NULL;
    if (!s->y)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for %zu runs x %zu outputs",
                            s->nruns, o->n);
    for (size_t i = 0; i < cells; i++)
        s->y[i] = NAN;
    return PS_OK;
}

void sens_runs_free(sens_runs *s)
{
    free(s->y);
    s->y = NULL;
}

/* ps_ensemble_spec.fill_inputs: the design's uniforms of runs
   [first, first + count), each mapped through its input's distribution. */
static ps_status fill_inputs(void *ctx, size_t first, size_t count,
                             double *out, ps_error *err)
{
    const sens_runs *s = ctx;
    const scenario_run *r = s->run;
    ps_status st = ps_sens_design_fill(s->design, first, count, out, err);
    if (st != PS_OK)
        return st;
    size_t d = r->bind.ncolumns;
    /* With a posterior, a calibrated input follows its posterior marginal
       (a design moves each input on its own, so the particles' joint
       draw does not apply). */
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < d; j++) {
            double u = out[i * d + j];
            double v = r->posterior
                           ? scenario_posterior_quantile(r->posterior, j, u)
                           : NAN;
            out[i * d + j] = isnan(v) ? ps_sens_quantile(
                                            s->design, r->bind.columns[j].dist, u)
                                      : v;
        }
    return PS_OK;
}

/* ---- the sink that keeps the outputs ------------------------------------ */

typedef struct keeper {
    sens_runs *runs;
    size_t *save;   /* [noutputs]: the output's series among the saved
                       ones */
    size_t nseries, ntimes;
} keeper;

static ps_status keeper_begin(void *sink, const ps_ensemble_layout *layout,
                              ps_error *err)
{
    keeper *k = sink;
    const sens_outputs *o = k->runs->outputs;
    k->nseries = layout->nseries;
    k->ntimes = layout->ntimes;
    for (size_t i = 0; i < o->n; i++) {
        k->save[i] =
            ps_ensemble_layout_series(layout, o->v[i].var, o->v[i].elem);
        if (k->save[i] == SIZE_MAX || o->v[i].time_index >= layout->ntimes)
            return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                                "output '%s' is not saved", o->v[i].h5.name);
    }
    return PS_OK;
}

static ps_status keeper_write_block(void *sink, size_t first, size_t count,
                                    const unsigned char *status,
                                    const double *values,
                                    const double *inputs, ps_error *err)
{
    (void)inputs, (void)err;
    keeper *k = sink;
    const sens_outputs *o = k->runs->outputs;
    size_t nruns = k->runs->nruns;
    for (size_t r = 0; r < count; r++) {
        for (size_t i = 0; i < o->n; i++) {
            double v = values[(r * k->nseries + k->save[i]) * k->ntimes +
                              o->v[i].time_index];
            /* A failed run is left out whole, even where it still had
               values. */
            if (status[r] != PS_RUN_OK || !isfinite(v))
                v = NAN;
            else if (o->v[i].target)
                v = ps_sc_target_met(o->v[i].target, v) ? 1.0 : 0.0;
            k->runs->y[i * nruns + first + r] = v;
        }
    }
    return PS_OK;
}

static ps_status keeper_end(void *sink, ps_error *err)
{
    (void)sink, (void)err;
    return PS_OK;
}

static const ps_sink_type keeper_type = {"sensitivity outputs", keeper_begin,
                                         keeper_write_block, keeper_end};

/* No file: the ensemble straight into the keeper. */
static ps_status run_in_memory(sens_runs *s, keeper *k,
                               const sens_run_options *o,
                               ps_ensemble_report *report, ps_error *err)
{
    const scenario_run *r = s->run;
    study_progress_begin(&o->progress, s->nruns);
    ps_ensemble_spec spec = {
        .prog = r->prog,
        .sim = r->sim,
        .nruns = s->nruns,
        .seed = s->design->seed,
        .ninputs = r->bind.ncolumns,
        .nslots = r->bind.nslots,
        .slots = r->bind.slots,
        .fill_inputs = fill_inputs,
        .inputs_ctx = s,
        .nsave = r->nsave,
        .save_vars = r->save_vars,
        .threads = o->threads,
        .progress = o->progress.runs,
        .progress_ctx = o->progress.ctx,
        .cancel = o->cancel,
        .spread = o->spread,
    };
    ps_status st = ps_ensemble_run(&spec, &keeper_type, k, report, err);
    study_progress_end(&o->progress);
    return st;
}

ps_status sens_runs_execute(sens_runs *s, const sens_run_options *o,
                            ps_ensemble_report *report, ps_error *err)
{
    keeper k = {s, calloc(s->outputs->n + 1, sizeof *k.save), 0, 0};
    if (!k.save)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    ps_status st;
    if (!o->output) {
        st = run_in_memory(s, &k, o, report, err);
    } else {
        static const char *const sampling[] = {
            [PS_SENS_SOBOL] = "saltelli",
            [PS_SENS_MORRIS] = "morris",
            [PS_SENS_OAT] = "oat",
        };
        scenario_inputs unused = {s->run, s->nruns, s->design->seed, NULL,
                                  NULL};
        h5_run_options h5 = {
            .output = o->output,
            .nruns = s->nruns,
            .seed = s->design->seed,
            .threads = o->threads,
            .command_line = o->command_line,
            .progress = o->progress,
            .cancel = o->cancel,
            .resume = o->resume,
            .flush_seconds = o->flush_seconds,
            .spread = o->spread,
        };
        h5_run_hooks hooks = {
            .sampling = sampling[s->design->method],
            .fill_inputs = fill_inputs,
            .inputs_ctx = s,
            .tap_type = &keeper_type,
            .tap = &k,
            .finish = o->finish,
            .finish_ctx = o->finish_ctx,
        };
        st = scenario_write_h5_hooked(s->run, &unused, &h5, &hooks, report,
                                      err);
    }
    free(k.save);
    return st;
}
