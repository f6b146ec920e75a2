/*
 * plansim_study: the sweep study (and the evaluations solving shares):
 *
 *   lever grid     lever axes ("NAME=FROM:TO:STEPS"), ranges, the grid of
 *                  lever values they span, and the targets asked for
 *   lever_eval     target probabilities at chosen values of the varied
 *                  constants, with common random numbers
 *   sweep surface  the probability surface and its files (HDF5, CSV)
 *   sweep grid     the surface computed point by point over the grid
 */
#ifndef PLANSIM_STUDY_SWEEP_H
#define PLANSIM_STUDY_SWEEP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "plansim/ensemble.h"
#include "plansim/scenario.h"
#include "plansim/sim.h"
#include "plansim/status.h"
#include "plansim_output/h5.h"
#include "plansim_study/run.h"

/*
 * What `plansim sweep` and `plansim solve` take from their command line:
 * lever axes ("NAME=FROM:TO:STEPS"), ranges ("A:B"), the grid of lever
 * values they span, and the targets asked for.
 */

/* Most axes, values on one axis, and points on a grid. */
#define GRID_MAX_AXES 8
#define GRID_MAX_STEPS 100000
#define GRID_MAX_POINTS 1000000

/* One varied lever: --vary "NAME=FROM:TO:STEPS". */
typedef struct grid_axis {
    char *name; /* as written (the model's spelling comes later) */
    double from, to;
    size_t steps; /* at least 2: FROM and TO included */
} grid_axis;

/*
 * Parses "NAME=FROM:TO:STEPS" into *axis (the name is copied: free it).
 * FROM and TO are finite and differ (TO may be below FROM); STEPS is a
 * whole number from 2 to GRID_MAX_STEPS.  Returns 0, or -1 with the
 * reason in msg[size] (axis untouched); msg may be NULL.
 */
int grid_parse_axis(const char *text, grid_axis *axis, char *msg, size_t size);

/* Parses "A:B" with finite A < B.  0, or -1 with the reason in msg. */
int grid_parse_range(const char *text, double *a, double *b, char *msg,
                     size_t size);

/* Value i of an axis: FROM + i (TO - FROM) / (STEPS - 1) rounded to 15
   significant digits; exactly FROM at the first and TO at the last. */
double grid_axis_value(const grid_axis *axis, size_t i);

/* Number of grid points (product of the steps); 0 when it is more than
   GRID_MAX_POINTS. */
size_t grid_count(const grid_axis *axes, size_t n);

/* The lever values values[n] of point `index`, row-major: the last axis
   varies fastest (as C arrays and netCDF lay them out). */
void grid_point(const grid_axis *axes, size_t n, size_t index, double *values);

/*
 * The targets asked for: the indices into sc->targets of the n names
 * (all the scenario's targets when n is 0), in the order given.  *out is
 * a new array of *count indices (caller frees).  PS_ERR_USAGE for a name
 * the scenario has no target of (listing its targets) or a name given
 * twice; PS_ERR_DATA when the scenario has no targets at all.
 */
ps_status grid_select_targets(const ps_scenario *sc, const char *const *names,
                              size_t n, size_t **out, size_t *count,
                              ps_error *err);

/*
 * Target probabilities of a scenario at chosen values of its varied
 * constants (scenario_prepare_varied): one ensemble per evaluation, with
 * common random numbers -- the same seed and the same input rows at every
 * evaluation, so that two evaluations differ only by the levers.  Runs
 * are counted as they finish: of a run nothing is kept but whether it met
 * each target, so memory does not grow with the number of runs.
 */

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
    ps_override_at *overrides; /* one per varied constant          */
    size_t evaluations;     /* ensembles run so far               */
    /* Optional, set by the caller after init: */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
    volatile sig_atomic_t *cancel;
    /* The processes of a job share each evaluation's runs, and every
       one gets the writer's counts (ps_ensemble_spread); NULL: none. */
    const ps_ensemble_spread *spread;
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

/*
 * What `plansim sweep` gives back: the probability surface (target
 * probabilities over the grid of lever values), described for the
 * netCDF-4-compatible HDF5 file and JSON, and written as a long-form CSV
 * file (docs/sweeps.md); the command prints the table.
 */

/* The results per target and grid point, target-major (the grid points
   row-major, the last axis fastest), and the failures per point. */
typedef struct sweep_surface {
    size_t ntargets, npoints;
    long long *hits, *runs; /* runs: ok runs with a finite value */
    long long *failed;      /* [npoints] */
    double *p, *lo, *hi;    /* hits / runs and its 95 % Wilson interval;
                               NaN where runs is 0 */
} sweep_surface;

/* Allocates a zeroed surface; 0, or -1 when out of memory (then free it
   anyway). */
int sweep_surface_alloc(sweep_surface *s, size_t ntargets, size_t npoints);
void sweep_surface_free(sweep_surface *s);

/* What the surface is about: the prepared scenario (its varied constants
   are the axes, in order), the axes, the targets (indices into
   run->sc->targets) and the ensemble behind every point. */
typedef struct sweep_view {
    const scenario_run *run;
    const grid_axis *axes;
    size_t naxes;
    const size_t *targets;
    size_t nruns;
    uint64_t seed;
} sweep_view;

/*
 * The surface as the output library describes it (ps_h5_sweep, for its
 * file and its JSON): the arrays are borrowed from `v` and `s` (which
 * must outlive it) or owned here; `command_line` (may be NULL) is
 * borrowed.  PS_ERR_NOMEM.  Free with sweep_h5_free, also after an error.
 */
typedef struct sweep_h5 {
    ps_h5_sweep sw;
    ps_h5_sweep_axis axes[GRID_MAX_AXES];
    double *values[GRID_MAX_AXES];
    ps_h5_target_meta *targets;
    char version[128];
} sweep_h5;
ps_status sweep_h5_make(sweep_h5 *h, const sweep_view *v,
                        const sweep_surface *s, const char *command_line,
                        ps_error *err);
void sweep_h5_free(sweep_h5 *h);

/*
 * The surface's HDF5 file, written point by point (ps_h5_sweep_begin):
 * begun before the first point runs (created as "path.partial", or with
 * `resume` the .partial an interrupted sweep left, whose finished points
 * are then read back into `s`), each point put as it finishes, finished
 * (checked and renamed) or abandoned (left as .partial on an
 * interruption).  `v` and `s` are borrowed until then; `command_line`
 * goes into the provenance.  Errors as ps_h5_sweep_begin.
 */
typedef struct sweep_file sweep_file;
ps_status sweep_file_begin(const char *path, const sweep_view *v,
                           sweep_surface *s, const char *command_line,
                           int resume, double flush_seconds, sweep_file **out,
                           ps_error *err);
/* [npoints]: 1 for the points the file holds. */
const unsigned char *sweep_file_done(const sweep_file *f);
ps_status sweep_file_put(sweep_file *f, size_t point, ps_error *err);
ps_status sweep_file_finish(sweep_file **f, ps_error *err);
void sweep_file_abandon(sweep_file **f);

/*
 * Writes the surface to `path` as CSV in long form: the levers under
 * their model names, then target,probability,ci_low,ci_high,hits,runs;
 * one row per target and grid point.  Written to "path.partial", synced
 * and renamed.  PS_ERR_CANTCREAT, PS_ERR_IO naming `path`.
 */
ps_status sweep_write_csv(const char *path, const sweep_view *v,
                          const sweep_surface *s, ps_error *err);

/* ---- the sweep, point by point ------------------------------------------ */

/* What a sweep tells its caller as it goes; every member may be NULL. */
typedef struct sweep_grid_hooks {
    study_progress progress; /* runs done over the whole grid         */
    /* The first point with failed runs, once: its report and its lever
       values (one per axis). */
    void (*failures)(void *ctx, const ps_ensemble_report *report,
                     const double *values);
    void *ctx;
} sweep_grid_hooks;

/*
 * Computes the surface `s` over the grid of `axes` (naxes) with `ev`,
 * point by point: at each point `file` (NULL: none) does not hold yet,
 * the targets' hits, runs, probabilities and 95 % Wilson intervals and
 * the failed runs, then the point into the file.  In a job (ev->spread)
 * every rank takes the points to skip from rank 0's file.  `hooks` may be
 * NULL; ev->progress is the grid's own while it runs.  Errors of
 * lever_eval_at and sweep_file_put; PS_ERR_NOMEM.
 */
ps_status sweep_grid_run(const grid_axis *axes, size_t naxes, lever_eval *ev,
                         sweep_surface *s, sweep_file *file,
                         const sweep_grid_hooks *hooks, ps_error *err);

#endif
