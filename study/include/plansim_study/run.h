/*
 * plansim_study: the run study, from a scenario file to an ensemble in an
 * HDF5 file, and what the other studies build on:
 *
 *   varied constants    levers, fixed values and model constants set anew
 *                       per evaluation (sweeps, solving)
 *   posterior           forecasting from a calibration's particles
 *   scenario_run        the scenario prepared, its inputs sampled, the
 *                       ensemble written
 *   prior targets       the targets' probabilities under the priors
 *
 * A study never prints: what it has to say goes through study_hooks.
 */
#ifndef PLANSIM_STUDY_RUN_H
#define PLANSIM_STUDY_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "plansim/calib.h"
#include "plansim/design.h"
#include "plansim/ensemble.h"
#include "plansim/instance.h"
#include "plansim/model.h"
#include "plansim/program.h"
#include "plansim/scenario.h"
#include "plansim/scenario_bind.h"
#include "plansim/sim.h"
#include "plansim/status.h"
#include "plansim_output/h5.h"
#include "plansim_output/labels.h"

/*
 * How a study speaks to whoever runs it; each member may be NULL.  `say`
 * gets a note or warning as one line without a newline ("warning: the
 * model changed ..."); read_begin and read_end bracket the reading of a
 * file through the HDF5 library (a damaged file can hang it: the caller
 * may bound the time).  ctx goes to each call.  A study never prints.
 */
typedef struct study_hooks {
    void (*say)(void *ctx, const char *line);
    void (*read_begin)(void *ctx, const char *path);
    void (*read_end)(void *ctx);
    void *ctx;
} study_hooks;

/*
 * A study's progress, for whoever runs it to show; each member may be
 * NULL.  begin comes before the work with the runs to come (0: the work
 * is counted in stages), then runs (as ps_ensemble_spec.progress) or
 * stage (how far, in [0, 1] or NaN when unknown, and a line of what it
 * did), then end.  ctx goes to each call.
 */
typedef struct study_progress {
    void (*begin)(void *ctx, size_t total);
    void (*runs)(size_t done, size_t total, void *ctx);
    void (*stage)(void *ctx, double fraction, const char *what);
    void (*end)(void *ctx);
    void *ctx;
} study_progress;

/* Calls p->begin or p->end when there is one (p may be NULL). */
void study_progress_begin(const study_progress *p, size_t total);
void study_progress_end(const study_progress *p);

/* Passes the printf-style line to hooks->say (nothing when hooks or say
   is NULL). */
void study_say(const study_hooks *hooks, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parses the whole of `text` (blanks around it allowed) as a finite
   number, as the studies read numbers in their specifications.  0 with
   *out set, or -1 when it is not one. */
int study_parse_number(const char *text, double *out);

/*
 * Free constants: levers, fixed values and model constants that an
 * ensemble sets anew for each evaluation (a grid point of a sweep, a step
 * of a solver) through ps_ensemble_spec.sim.overrides_at, by program
 * variable and element (found once, when bound), so that one
 * compiled program serves every evaluation.
 *
 * A lever's time path is replaced by one number over the whole run: a
 * free lever takes one value in every year.
 */

/* What a free constant is in the scenario. */
typedef enum varied_kind {
    VARIED_LEVER,   /* a lever: its path becomes one value        */
    VARIED_FIXED,   /* a fixed value                              */
    VARIED_CONSTANT /* a constant of the model the scenario keeps */
} varied_kind;

typedef struct varied_const {
    char *name; /* the model's spelling, with the subscripts given
                   ("capacity[新材料]": that element alone)       */
    varied_kind kind;
    /* Its value in the scenario: the fixed value; the mean of a lever's
       points; a model constant's value with every uncertain input at the
       model's own value. */
    double value;
    int path_varies;   /* a lever whose points differ              */
    const char *label; /* the scenario's label (owned by it), or
                          NULL                                     */
    size_t var;        /* its program variable (once bound)        */
    size_t elem;       /* the element named, or 0 for every element
                          (once bound)                             */
    size_t set_element; /* what its override sets: elem, or
                           PS_ALL_ELEMENTS for every element (once
                           bound)                                  */
} varied_const;

/* "lever", "fixed value" or "model constant". */
const char *varied_kind_name(varied_kind kind);

/*
 * Resolves the n names (command-line text) against the scenario and its
 * model, after ps_scenario_apply: each must be a lever, a fixed value or
 * a model variable the scenario leaves alone, and none an uncertain
 * input, a stock, a lookup or a time setting; none twice.  A lever's
 * equation is replaced by its value (the mean of its points).  On success
 * *out is a new array of n entries (free with varied_release);
 * PS_ERR_USAGE naming the offending name (and the nearest model name when
 * it names none), or PS_ERR_NOMEM.
 */
ps_status varied_resolve(const ps_scenario *sc, ps_model *model,
                         const char *const *names, size_t n, varied_const **out,
                         ps_error *err);

/*
 * After compiling: finds each free constant's program variable, checks
 * that it is a constant (a model variable computed anew at each step is
 * PS_ERR_USAGE: the scenario has to fix it or make it a lever), and reads
 * the value of the model constants at initialisation with (seed, run 0).
 */
ps_status varied_bind(const ps_program *prog, uint64_t seed, varied_const *fv,
                      size_t n, ps_error *err);

/* Frees the array and what its entries own.  NULL is allowed. */
void varied_release(varied_const *fv, size_t n);

/*
 * Forecasting from a posterior (`--posterior POST.h5` of run, sweep, solve
 * and sensitivity): the scenario's inputs that the posterior calibrated
 * are drawn jointly from its weighted particles, keeping their
 * correlations; the others keep their priors.
 */

typedef struct scenario_posterior {
    char *path;
    ps_h5_posterior *file;
    size_t ncolumns;
    size_t *param_of; /* per scenario column: the posterior's input, or
                         SIZE_MAX when it keeps its prior            */
    size_t ncalibrated;
    ps_calib_draws draws; /* the particles, drawn from               */
    double *prior_p;      /* per scenario target: its probability under the
                             priors, NaN until a command works it out
                             (prior_target_probabilities)                    */
} scenario_posterior;

/*
 * Reads the posterior at `path` and matches its inputs to the columns of
 * `bind` by name.  A posterior input the scenario does not draw (it fixes
 * it) is left out with a warning; so, with a note, are the calibrated
 * run's start values when the scenario starts at another `initial_time`
 * (NaN: the model's own, as the posterior's NaN); a posterior that calibrated
 * none of the scenario's inputs, or that is not a complete calibration, is
 * PS_ERR_DATA naming the file.  A model that changed since the calibration is a
 * warning; notes and warnings go to hooks->say, and the file's reading is
 * bracketed by hooks->read_begin/read_end (hooks may be NULL: quiet, no
 * bracket).  Free with scenario_posterior_free.
 */
ps_status scenario_posterior_load(scenario_posterior *p, const char *path,
                                  const ps_sc_binding *bind,
                                  const char *model_sha256, double initial_time,
                                  const study_hooks *hooks, ps_error *err);
void scenario_posterior_free(scenario_posterior *p);

/*
 * Overwrites the calibrated columns of rows [first, first + count) of an
 * ensemble of `nruns` (`rows` holds count x ncolumns values) with one
 * particle per run, drawn by systematic resampling of the weights: run r
 * takes the particle whose cumulative weight first exceeds
 * (r + u) / nruns, u one uniform at (seed, 0, the posterior's stream).
 * A pure function of its arguments.
 */
void scenario_posterior_draw(const scenario_posterior *p, uint64_t seed,
                             size_t nruns, size_t first, size_t count,
                             double *rows);

/*
 * The quantile u of column j's posterior marginal (the weighted
 * particles' inverse CDF), for designs that draw each input on its own
 * (sensitivity); NaN when column j is not calibrated.
 */
double scenario_posterior_quantile(const scenario_posterior *p, size_t j,
                                   double u);

/*
 * From a scenario file to an ensemble in an HDF5 file: the steps every
 * ensemble command shares (run now; sensitivity, sweeps and solving later).
 *
 *   scenario_prepare   scenario + model + checks + compile + what to save
 *   scenario_sample    the runs' input values (design, correlation, dists)
 *   scenario_write_h5  the ensemble run into FILE.h5 with its summary
 */

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
 * constants named in `names` made free constants (varied_resolve) that an
 * ensemble sets through sim.overrides: r->varied[i] describes names[i].
 * A lever's time path becomes one value over the whole run.  A name that
 * cannot be varied is PS_ERR_USAGE.
 */
ps_status scenario_prepare_varied(const char *path, const char *const *names,
                                  size_t n, scenario_run *out, ps_error *err);

/*
 * Draws the inputs that the posterior file at `path` calibrated from its
 * particles from now on (scenario_posterior_load), and records it in the
 * ensemble file.  Errors of scenario_posterior_load.
 */
ps_status scenario_use_posterior(scenario_run *r, const char *path,
                                 const study_hooks *hooks, ps_error *err);

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
    study_progress progress;   /* the runs' progress; zeroed: none     */
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

/*
 * The targets' probabilities under the scenario's priors, for a forecast
 * from a posterior to print beside its own: the same ensemble (design,
 * seed, runs) with every input drawn from its prior, its runs kept only
 * as hit counts.
 */

/*
 * Runs r's ensemble of `nruns` runs at `seed` with the priors (r's
 * posterior is not used) and writes each target's probability to
 * p[0..ntargets): hits over the runs with a finite value (NaN when
 * none).  The ensemble's errors; PS_ERR_INTERRUPTED.
 */
ps_status prior_target_probabilities(const scenario_run *r, size_t nruns,
                                     uint64_t seed, int threads,
                                     volatile sig_atomic_t *cancel, double *p,
                                     ps_error *err);

#endif
