/*
 * Target probabilities of a scenario at chosen values of its varied
 * constants (scenario_prepare_varied): one ensemble per evaluation, with
 * common random numbers -- the same seed and the same input rows at every
 * evaluation, so that two evaluations differ only by the levers.  Runs
 * are counted as they finish: of a run nothing is kept but whether it met
 * each target, so memory does not grow with the number of runs.
 */
#ifndef PLANSIM_CLI_LEVER_EVAL_H
#define PLANSIM_CLI_LEVER_EVAL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "plansim/ensemble.h"
#include "plansim/scenario.h"
#include "plansim/sim.h"
#include "plansim/status.h"
#include "scenario_run.h"

typedef struct lever_eval {
    const scenario_run *run;
    scenario_inputs inputs; /* the rows every evaluation shares   */
    size_t nruns;
    uint64_t seed;
    int threads; /* 0: OpenMP's default                */
    size_t ntargets;
    const ps_sc_target **targets;
    long *time_index; /* per target: its saved time's row   */
    size_t nsave;
    size_t *save_vars;      /* the targets' distinct variables    */
    size_t *target_save;    /* per target: its index in save_vars */
    size_t *target_elem;    /* per target: its variable's element */
    size_t *target_series;  /* per target: its series (while run) */
    ps_override *overrides; /* one per varied constant            */
    size_t evaluations;     /* ensembles run so far               */
    /* Optional, set by the caller after init: */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
    volatile sig_atomic_t *cancel;
} lever_eval;

/*
 * Prepares evaluations of the targets sc->targets[targets[k]] (k <
 * ntargets) of the prepared scenario `r`, over `nruns` runs with `seed`
 * (the inputs are sampled, or made addressable, once here).  `r` must
 * outlive `ev`.  Free with lever_eval_free, also after a failure.
 */
ps_status lever_eval_init(lever_eval *ev, const scenario_run *r,
                          const size_t *targets, size_t ntargets, size_t nruns,
                          uint64_t seed, int threads, ps_error *err);

/*
 * Runs the ensemble with r->varied[i] set to values[i], and counts per
 * target k the runs that ended well with a finite value at the target's
 * time (runs[k]) and, of these, the runs that met the target (hits[k]).
 * `report` (may be NULL) says how many runs failed; when no run can start
 * at these values (ps_ensemble_run's PS_ERR_NONFINITE, _INTEGRATION or
 * _DATA) every run counts as failed, with that error as the first
 * failure, and the call succeeds.  PS_ERR_INTERRUPTED when cancelled;
 * the other errors of ps_ensemble_run otherwise.
 */
ps_status lever_eval_at(lever_eval *ev, const double *values, long long *hits,
                        long long *runs, ps_ensemble_report *report,
                        ps_error *err);

void lever_eval_free(lever_eval *ev);

#endif
