/*
 * plansim_study: the sensitivity study (what `plansim sensitivity` runs):
 *
 *   sens_factors.c  the factors: the scenario's uncertain inputs, some
 *                   joined into groups (--group NAME=a,b)
 *   sens_outputs.c  the outputs: VARIABLE@TIME and target:NAME (--of),
 *                   or the scenario's scorecard
 *   sens_run.c      the runs: the design's inputs on demand, a sink that
 *                   keeps the outputs only, with or without the file
 *   sens_analyse.c  the estimators over every output, ranked, as the
 *                   results the file and the printer take
 */
#ifndef PLANSIM_STUDY_SENSITIVITY_H
#define PLANSIM_STUDY_SENSITIVITY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "plansim/ensemble.h"
#include "plansim/scenario.h"
#include "plansim/sensitivity.h"
#include "plansim/status.h"
#include "plansim_output/h5.h"
#include "plansim_study/run.h"

/* ---- factors ------------------------------------------------------------ */

typedef struct sens_factors {
    size_t n;               /* factors                                  */
    size_t *factor_of;      /* [ninputs]: factor of each input column   */
    ps_h5_sens_factor *v;   /* [n]; strings owned by `text`              */
    char **text;            /* every string the factors own             */
    size_t ntext;
} sens_factors;

/*
 * The factors of the scenario's input columns (r->bind.columns: an uncertain
 * input, or one element of an input drawn per element) given `ngroups`
 * specifications "NAME=input1,input2,..." (column names as the file's
 * `param` shows them, or an input drawn per element by its scenario
 * name, which stands for all its columns; compared as Vensim names).  A
 * column in no group is a factor of its own; a group stands where its
 * first column is.  PS_ERR_USAGE for a malformed group, a name that is
 * not an uncertain input, an input in two groups, two groups of one
 * name; PS_ERR_NOMEM.  Free with sens_factors_free.
 */
ps_status sens_factors_make(const scenario_run *r, const char *const *groups,
                            size_t ngroups, sens_factors *out, ps_error *err);
void sens_factors_free(sens_factors *f);

/* ---- outputs ------------------------------------------------------------ */

typedef struct sens_output {
    ps_h5_sens_output h5;     /* name, label, variable, time, is_target  */
    size_t var;               /* program variable                        */
    size_t elem;              /* its element (0 for a scalar)            */
    size_t time_index;        /* index in the saved times                */
    const ps_sc_target *target; /* the indicator's target, or NULL       */
} sens_output;

typedef struct sens_outputs {
    size_t n;
    sens_output *v;
    char **text;              /* every string the outputs own            */
    size_t ntext;
} sens_outputs;

/*
 * Resolves `nspecs` --of texts (VARIABLE@TIME, VARIABLE[ELEMENT,...]@TIME
 * or target:NAME), or with
 * none the scenario's scorecard (each target's variable at its time,
 * then the target), against r's program and saved times, and adds their
 * variables to r's saved variables.  PS_ERR_USAGE naming the offending
 * text; PS_ERR_NOMEM.  Free with sens_outputs_free.
 */
ps_status sens_outputs_make(scenario_run *r, const char *const *specs,
                            size_t nspecs, sens_outputs *out, ps_error *err);
void sens_outputs_free(sens_outputs *o);

/* ---- runs --------------------------------------------------------------- */

/* What the runs need and what they give: y[o * nruns + run] is output o
   of a run (NaN for a run that failed or was not done). */
typedef struct sens_runs {
    const scenario_run *run;
    const ps_sens_design *design;
    const sens_outputs *outputs;
    size_t nruns;
    double *y;
} sens_runs;

typedef struct sens_run_options {
    const char *output;       /* FILE.h5, or NULL: no file               */
    int threads;
    const char *command_line;
    study_progress progress;
    volatile sig_atomic_t *cancel;
    /* With a file: called before the file gets its name, to write the
       results into it (h5_run_options.finish). */
    ps_status (*finish)(struct ps_h5_sink *sink, void *ctx, ps_error *err);
    void *finish_ctx;
    int resume;           /* finish output's .partial (--resume)     */
    double flush_seconds; /* --flush-every; 0: the default           */
    const ps_ensemble_spread *spread; /* the job's processes share the
                                         runs (h5_run_options.spread), or
                                         NULL                            */
} sens_run_options;

/* Makes y (NaN) for the design's runs; free with sens_runs_free. */
ps_status sens_runs_init(sens_runs *s, const scenario_run *r,
                         const ps_sens_design *d, const sens_outputs *o,
                         ps_error *err);
void sens_runs_free(sens_runs *s);

/* Runs the design: into opts->output as `plansim run` writes ensembles
   when it is set, keeping the outputs in s->y. */
ps_status sens_runs_execute(sens_runs *s, const sens_run_options *opts,
                            ps_ensemble_report *report, ps_error *err);

/* ---- analysis ----------------------------------------------------------- */

typedef struct sens_results {
    ps_h5_sensitivity h5;     /* what the file and the printer take      */
    ps_h5_sens_output *outputs;
    size_t *order;
    double *block;            /* every measure's values, one allocation  */
} sens_results;

/*
 * Runs the method's estimator on every output of `runs` (bootstrap of
 * `nboot` resamples at 95 %) and ranks the factors.  An output whose runs
 * all failed gets NaN measures and a warning through hooks->say (hooks
 * may be NULL).
 * Free with sens_results_free.
 */
ps_status sens_analyse(const sens_runs *runs, const sens_factors *f,
                       size_t nboot, const study_hooks *hooks,
                       sens_results *out, ps_error *err);
void sens_results_free(sens_results *res);

#endif
