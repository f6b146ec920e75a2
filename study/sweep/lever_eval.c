/*
 * One ensemble per evaluation into a sink that only counts target hits.
 */
#include "plansim_study/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Row of the saved time t (to a relative 1e-9), or -1. */
static long time_row(const double *times, size_t n, double t)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(times[i] - t) <= 1e-9 * fmax(1.0, fabs(t)))
            return (long)i;
    return -1;
}

ps_status lever_eval_init(lever_eval *ev, const scenario_run *r,
                          const size_t *targets, size_t ntargets, size_t nruns,
                          uint64_t seed, int threads, ps_error *err)
{
    memset(ev, 0, sizeof *ev);
    ev->run = r;
    ev->nruns = nruns;
    ev->seed = seed;
    ev->threads = threads;
    ev->ntargets = ntargets;
    size_t nt = ntargets ? ntargets : 1;
    ev->targets = calloc(nt, sizeof *ev->targets);
    ev->time_index = calloc(nt, sizeof *ev->time_index);
    ev->save_vars = calloc(nt, sizeof *ev->save_vars);
    ev->target_save = calloc(nt, sizeof *ev->target_save);
    ev->target_elem = calloc(nt, sizeof *ev->target_elem);
    ev->target_series = calloc(nt, sizeof *ev->target_series);
    ev->overrides = calloc(r->nvaried + 1, sizeof *ev->overrides);
    if (!ev->targets || !ev->time_index || !ev->save_vars || !ev->target_save ||
        !ev->target_elem || !ev->target_series || !ev->overrides)
        return nomem(err);
    /* by index: the constants were found in the program once, when bound */
    for (size_t i = 0; i < r->nvaried; i++)
        ev->overrides[i] = (ps_override_at){
            r->varied[i].var, r->varied[i].set_element, r->varied[i].value};
    for (size_t k = 0; k < ntargets; k++) {
        const ps_sc_target *t = &r->sc->targets[targets[k]];
        ev->targets[k] = t;
        size_t var = r->bind.target_var[targets[k]];
        ev->target_elem[k] = r->bind.target_elem[targets[k]];
        ev->time_index[k] = time_row(r->times, r->ntimes, t->time);
        /* The scenario check vouched for it. */
        if (ev->time_index[k] < 0)
            return ps_error_set(err, PS_ERR_INTERNAL, r->sc->path, 0, 0,
                                "target '%s': no saved value of '%s' at %g",
                                t->name, t->variable, t->time);
        size_t s = 0;
        while (s < ev->nsave && ev->save_vars[s] != var)
            s++;
        if (s == ev->nsave)
            ev->save_vars[ev->nsave++] = var;
        ev->target_save[k] = s;
    }
    return scenario_inputs_init(&ev->inputs, r, nruns, seed, err);
}

void lever_eval_free(lever_eval *ev)
{
    scenario_inputs_free(&ev->inputs);
    free(ev->targets);
    free(ev->time_index);
    free(ev->save_vars);
    free(ev->target_save);
    free(ev->target_elem);
    free(ev->target_series);
    free(ev->overrides);
    memset(ev, 0, sizeof *ev);
}

/* ------------------------------------------------ the counting sink */

typedef struct count_sink {
    const lever_eval *ev;
    size_t ntimes, nseries;
    size_t *series; /* per target: its series in a run's values */
    long long *hits, *runs;
} count_sink;

static ps_status count_begin(void *sink, const ps_ensemble_layout *layout,
                             ps_error *err)
{
    count_sink *c = sink;
    /* The targets' rows were found in the times read when preparing: a
       varied constant that the time settings depend on moves them. */
    const scenario_run *r = c->ev->run;
    int same = layout->ntimes == r->ntimes && layout->nsave == c->ev->nsave;
    for (size_t i = 0; same && i < r->ntimes; i++)
        same = layout->times[i] == r->times[i];
    if (!same)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "these values change the run's saved times "
                            "(%zu instead of %zu): the time settings must "
                            "not depend on what is varied",
                            layout->ntimes, r->ntimes);
    c->ntimes = layout->ntimes;
    c->nseries = layout->nseries;
    for (size_t k = 0; k < c->ev->ntargets; k++)
        c->series[k] =
            layout->offset[c->ev->target_save[k]] + c->ev->target_elem[k];
    return PS_OK;
}

static ps_status count_block(void *sink, size_t first, size_t count,
                             const unsigned char *status, const double *values,
                             const double *inputs, ps_error *err)
{
    count_sink *c = sink;
    const lever_eval *ev = c->ev;
    for (size_t r = 0; r < count; r++) {
        if (status[r] != PS_RUN_OK)
            continue;
        for (size_t k = 0; k < ev->ntargets; k++) {
            size_t at = (r * c->nseries + c->series[k]) * c->ntimes +
                        (size_t)ev->time_index[k];
            double x = values[at];
            if (!isfinite(x))
                continue;
            c->runs[k]++;
            c->hits[k] += ps_sc_target_met(ev->targets[k], x);
        }
    }
    return PS_OK;
}

static ps_status count_end(void *sink, ps_error *err)
{
    return PS_OK;
}

static const ps_sink_type count_sink_type = {"target counts", count_begin,
                                             count_block, count_end};

/* An evaluation shared by a job's processes: the writer's outcome (in
   *st and *why), report and counts, copied to every worker, whose sink
   saw no run.  Errors of the spread's share. */
static ps_status share_counts(lever_eval *ev, ps_status *st, long long *hits,
                              long long *runs, ps_ensemble_report *report,
                              ps_error *why)
{
    const ps_ensemble_spread *sp = ev->spread;
    struct {
        int status;
        ps_error why;
        ps_ensemble_report report;
    } head; /* the writer's */
    memset(&head, 0, sizeof head);
    head.status = *st;
    if (*st != PS_OK)
        head.why = *why;
    if (report)
        head.report = *report;
    ps_status s = sp->share(sp->ctx, &head, sizeof head, why);
    if (s == PS_OK)
        s = sp->share(sp->ctx, hits, ev->ntargets * sizeof *hits, why);
    if (s == PS_OK)
        s = sp->share(sp->ctx, runs, ev->ntargets * sizeof *runs, why);
    if (s != PS_OK || sp->writer)
        return s;
    *st = (ps_status)head.status;
    *why = head.why;
    if (report)
        *report = head.report;
    return PS_OK;
}

ps_status lever_eval_at(lever_eval *ev, const double *values, long long *hits,
                        long long *runs, ps_ensemble_report *report,
                        ps_error *err)
{
    const scenario_run *r = ev->run;
    for (size_t i = 0; i < r->nvaried; i++)
        ev->overrides[i].value = values[i];
    memset(hits, 0, ev->ntargets * sizeof *hits);
    memset(runs, 0, ev->ntargets * sizeof *runs);
    count_sink sink = {ev, 0, 0, ev->target_series, hits, runs};
    ps_ensemble_spec spec = {
        .prog = r->prog,
        .sim = r->sim,
        .nruns = ev->nruns,
        .seed = ev->seed,
        .ninputs = r->bind.ncolumns,
        .nslots = r->bind.nslots,
        .slots = r->bind.slots,
        .fill_inputs = scenario_fill_inputs,
        .inputs_ctx = &ev->inputs,
        .nsave = ev->nsave,
        .save_vars = ev->save_vars,
        .threads = ev->threads,
        .progress = ev->progress,
        .progress_ctx = ev->progress_ctx,
        .cancel = ev->cancel,
        .spread = ev->spread,
    };
    spec.sim.overrides_at = ev->overrides;
    spec.sim.noverrides_at = r->nvaried;
    ev->evaluations++;
    ps_error why;
    ps_status st =
        ps_ensemble_run(&spec, &count_sink_type, &sink, report, &why);
    /* A job's processes go on with the writer's outcome and counts. */
    if (ev->spread) {
        ps_status shared = share_counts(ev, &st, hits, runs, report, &why);
        if (shared != PS_OK)
            st = shared;
    }
    /* When no run can even start at these values (a value not finite at
       initialisation, impossible time settings), the ensemble cannot be
       laid out.  That is a result too -- every run failed here -- and a
       sweep goes on to the next point. */
    if (st == PS_ERR_NONFINITE || st == PS_ERR_INTEGRATION ||
        st == PS_ERR_DATA) {
        memset(hits, 0, ev->ntargets * sizeof *hits);
        memset(runs, 0, ev->ntargets * sizeof *runs);
        if (report) {
            memset(report, 0, sizeof *report);
            report->done = report->failed = ev->nruns;
            report->first_failed = 0;
            report->first_failure = why;
        }
        return PS_OK;
    }
    /* A worker stops with the writer, which reports why. */
    if (st != PS_OK && ps_ensemble_spread_worker(ev->spread))
        return ps_error_set(err, PS_ERR_INTERRUPTED, NULL, 0, 0,
                            "stopped with the writer: %s", why.message);
    if (st != PS_OK && err)
        *err = why;
    return st;
}
