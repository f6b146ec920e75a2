/*
 * From a scenario file to an ensemble in an HDF5 file: the steps every
 * ensemble command shares (run now; sensitivity, sweeps and solving later).
 *
 *   scenario_prepare   scenario + model + checks + compile + what to save
 *   scenario_sample    the runs' input values (design, correlation, dists)
 *   scenario_write_h5  the ensemble run into FILE.h5 with its summary
 */
#ifndef PLANSIM_CLI_SCENARIO_RUN_H
#define PLANSIM_CLI_SCENARIO_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "plansim/design.h"
#include "plansim/ensemble.h"
#include "plansim/instance.h"
#include "plansim/program.h"
#include "plansim/scenario.h"
#include "plansim/scenario_bind.h"
#include "plansim/sim.h"
#include "plansim/status.h"
#include "plansim_output/labels.h"
#include "scenario_posterior.h"
#include "varied.h"

/* A scenario ready to run.  Owns everything in it. */
typedef struct scenario_run {
    ps_scenario *sc;
    ps_program *prog;
    char *model_sha256;       /* hex digest of the model file's bytes    */
    char *time_units;         /* units of TIME STEP, or ""               */
    ps_sim_options sim;       /* method and tolerances of the scenario   */
    ps_sc_binding bind;       /* input columns, their slots and
                                 correlations; the targets' elements    */
    size_t nsave;
    size_t *save_vars;        /* program variables to save              */
    ps_time_settings time;    /* the run's time settings                */
    size_t ntimes;
    double *times;            /* the saved times                        */
    size_t nvaried;
    varied_const *varied;     /* constants set per evaluation (sweeps,
                                 solving); none for `plansim run`       */
    scenario_posterior *posterior; /* calibrated inputs come from it, or
                                      NULL (scenario_use_posterior)      */
    ps_labels *labels;             /* the labels file beside the model, or
                                      NULL when it has none                  */
} scenario_run;

/*
 * Loads the scenario at `path` and the model it names, checks one against
 * the other, applies the scenario's fixed settings, compiles, and works
 * out the inputs, the saved variables (the scenario's list, or every
 * stock and every target variable) and the saved times.  Errors carry the
 * file, line and column (scenario or model).  Free with scenario_free.
 */
ps_status scenario_prepare(const char *path, scenario_run *out,
                           ps_error *err);

/*
 * As scenario_prepare, with the n levers, fixed values or model
 * constants named in `names` made free constants (varied.h) that an
 * ensemble sets through sim.overrides: r->varied[i] describes names[i].
 * A lever's time path becomes one value over the whole run.  A name that
 * cannot be varied is PS_ERR_USAGE.
 */
ps_status scenario_prepare_varied(const char *path, const char *const *names,
                                  size_t n, scenario_run *out, ps_error *err);

/*
 * Draws the inputs that the posterior file at `path` calibrated from its
 * particles from now on (scenario_posterior.h), and records it in the
 * ensemble file.  Errors of scenario_posterior_load.
 */
ps_status scenario_use_posterior(scenario_run *r, const char *path, int quiet,
                                 ps_error *err);

/* Frees everything a scenario_run owns and zeroes it. */
void scenario_free(scenario_run *r);

/*
 * The input values of an ensemble of `nruns` runs: a sampling design of
 * the scenario's method and `seed`, each column mapped through its
 * distribution.  Rows are computed block by block as the ensemble needs
 * them (every design is addressable by run), so memory does not grow with
 * the number of runs; rank correlations go through a Gaussian copula
 * applied row by row (ps_copula), which needs only the k x k factor.
 */
typedef struct scenario_inputs {
    const scenario_run *run;
    size_t nruns;
    uint64_t seed;
    ps_copula *copula; /* the rank correlations, or NULL         */
    ps_dist_sampler **samplers; /* one per column, or NULL: then each
                                   block maps its uniforms alone     */
} scenario_inputs;

/* Prepares the inputs of `nruns` runs; free with scenario_inputs_free. */
ps_status scenario_inputs_init(scenario_inputs *in, const scenario_run *r,
                               size_t nruns, uint64_t seed, ps_error *err);
void scenario_inputs_free(scenario_inputs *in);

/* As scenario_inputs_init, stopping with PS_ERR_INTERRUPTED when *cancel
   is set (cancel may be NULL) before the inputs are prepared. */
ps_status scenario_inputs_init_cancellable(scenario_inputs *in,
                                           const scenario_run *r, size_t nruns,
                                           uint64_t seed,
                                           volatile sig_atomic_t *cancel,
                                           ps_error *err);

/* ps_ensemble_spec.fill_inputs over a scenario_inputs (the ctx). */
ps_status scenario_fill_inputs(void *ctx, size_t first, size_t count,
                               double *out, ps_error *err);

/* A distribution as text for files and tables ("uniform(0.1, 0.126)"),
   in buf[0..size). */
void scenario_dist_text(const ps_dist *d, char *buf, size_t size);

/* The metadata files and reports keep of the scenario's target i: its
   name, label, the model variable it reads, year, rule and source.  The
   strings stay owned by r. */
ps_h5_target_meta scenario_target_meta(const scenario_run *r, size_t i);

/* The engine's version for files' provenance ("0.9.0 (git 1a2b3c)"), in
   buf[0..size). */
void scenario_engine_version(char *buf, size_t size);

struct ps_h5_sink; /* plansim_output/h5.h */

typedef struct h5_run_options {
    const char *output;        /* the .h5 file                            */
    size_t nruns;
    uint64_t seed;
    int threads;               /* 0: OpenMP's default                     */
    int deflate_level;         /* 0: none                                 */
    const char *command_line;
    int progress;              /* draw a progress bar on stderr           */
    volatile sig_atomic_t *cancel;
    int resume;                /* finish output's .partial instead of
                                  creating it (ps_h5_sink_resume)         */
    double flush_seconds;      /* ps_h5_options.flush_seconds; 0: default */
    double *summary_seconds;   /* when not NULL: gets the seconds the
                                  summary took                            */
    const ps_ensemble_spread *spread; /* the job's processes share the
                                  ensemble, or NULL; on a worker nothing
                                  is opened or written: it runs the
                                  blocks rank 0 deals it                  */
} h5_run_options;

/* For commands that run a design of their own (sensitivity): each member
   left NULL keeps what `plansim run` does. */
typedef struct h5_run_hooks {
    const char *sampling;      /* the file's `sampling` attribute; NULL:
                                  the scenario's method                  */
    ps_status (*fill_inputs)(void *ctx, size_t first, size_t count,
                             double *out, ps_error *err);
    void *inputs_ctx;          /* with fill_inputs: replaces `inputs`    */
    const ps_sink_type *tap_type; /* a second sink that receives every */
    void *tap;                 /* call the file's sink gets, after it    */
    /* Called after the summary and before the file gets its final name,
       to add groups of its own; its error leaves the .partial file. */
    ps_status (*finish)(struct ps_h5_sink *sink, void *ctx, ps_error *err);
    void *finish_ctx;
} h5_run_hooks;

/*
 * Adds program variable `var` to r's saved variables (nothing when it is
 * saved already).  PS_ERR_NOMEM.
 */
ps_status scenario_save_also(scenario_run *r, size_t var, ps_error *err);

/*
 * Checks before anything is created that `nruns` runs of r fit the file
 * system of `output` (ps_scenario_check_room with its free space, from
 * statvfs; no check of space when that cannot be read).  The error is at
 * the scenario's `runs:` when `from_scenario` (no --runs given).
 */
ps_status scenario_check_room(const scenario_run *r, size_t nruns,
                              int from_scenario, const char *output,
                              ps_error *err);

/*
 * Runs the ensemble of `inputs` into opts->output (written as .partial,
 * summarised, then renamed), reporting failed runs in *report.  With
 * opts->resume the .partial of an interrupted run with the same settings
 * is reopened and only the runs missing from it are run.  `inputs`
 * zeroed (not yet prepared) are prepared with scenario_inputs_init once
 * the file exists, so that the .partial file is on disk before a large
 * design is drawn.  On
 * PS_ERR_INTERRUPTED or any failure the .partial file stays (closed
 * cleanly) and no file carries the final name.  On a worker of
 * opts->spread only the runs are run (their inputs prepared first).
 */
ps_status scenario_write_h5(const scenario_run *r, scenario_inputs *inputs,
                            const h5_run_options *opts,
                            ps_ensemble_report *report, ps_error *err);

/* As scenario_write_h5, with `hooks` (NULL: none). */
ps_status scenario_write_h5_hooked(const scenario_run *r,
                                   scenario_inputs *inputs,
                                   const h5_run_options *opts,
                                   const h5_run_hooks *hooks,
                                   ps_ensemble_report *report, ps_error *err);

#endif
