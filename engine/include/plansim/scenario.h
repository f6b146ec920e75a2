/*
 * plansim: scenario files.
 *
 * A scenario (YAML, read with libfyaml) says which model to run and how:
 * time settings and method, fixed values for constants, time paths for
 * policy levers, uncertain inputs with their distributions and rank
 * correlations, the sampling design, what to save, and the targets whose
 * probabilities the ensemble estimates.  `extends:` names a parent
 * scenario whose settings a child inherits and overrides.  The format is
 * documented in docs/scenario-format.md.
 *
 * Every item remembers where it was written, so that errors found later
 * (an unknown model variable, a lever year outside the horizon) are
 * reported as file:line:col with the offending text underlined, like the
 * errors found while reading.
 */
#ifndef PLANSIM_SCENARIO_H
#define PLANSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/design.h"
#include "plansim/dist.h"
#include "plansim/expr.h"
#include "plansim/model.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where an item was written: file (one of the scenario's files), position
   and length in characters of the text to underline. */
typedef struct ps_sc_where {
    const char *file;
    ps_loc loc;
    int length;
} ps_sc_where;

/*
 * A model variable as a scenario names it, written as Vensim writes
 * subscripts: "capacity" (the variable; every element of a subscripted
 * one), "capacity[新材料]" (one element), "capacity[coast]" (each element
 * of a subrange), "flow[north, 电子]" (one subscript per range of the
 * variable, each an element or a range).  Read when the file is loaded;
 * ps_scenario_check resolves the subscripts against the model.
 */
typedef struct ps_sc_ref {
    char *var;              /* the variable's name, brackets left out  */
    size_t nsubs;           /* 0: the whole variable                    */
    char **subs;            /* each subscript as written (trimmed)      */
    ps_sc_where *sub_where; /* where each is written                    */
} ps_sc_ref;

/* Reads a name as a scenario writes it ("x", "x[a, sub]") into *out, with
   no positions, for names given elsewhere (the command line).  A
   malformed name is PS_ERR_USAGE with a message naming it; PS_ERR_NOMEM.
   Free with ps_sc_ref_free. */
ps_status ps_sc_ref_parse(const char *text, ps_sc_ref *out, ps_error *err);

/* Frees what a ref holds and zeroes it.  NULL is allowed. */
void ps_sc_ref_free(ps_sc_ref *ref);

/* A variable fixed at a value (its equation becomes the number). */
typedef struct ps_sc_fixed {
    char *name;           /* as written; with subscripts, in the form
                             "name[a,b]" (blanks around the brackets and
                             commas left out)                          */
    ps_sc_ref ref;        /* the name read                             */
    double value;
    char *label, *source; /* free text, may be NULL */
    ps_sc_where where;    /* the name */
} ps_sc_fixed;

/* A policy lever: a variable replaced by a time path, linearly
   interpolated between the given points and held beyond them. */
typedef struct ps_sc_lever {
    char *name;              /* as ps_sc_fixed.name                    */
    ps_sc_ref ref;
    size_t n;
    double *time;  /* increasing */
    double *value;
    char *label, *source;
    ps_sc_where where;       /* the lever's name                       */
    ps_sc_where *time_where; /* n: where each point's time is written  */
} ps_sc_lever;

/* An uncertain input: a model constant drawn from a distribution (a
   lognormal given by its median, or by the mean and sd of x, is stored as
   mu and sigma of log x).  On several elements (a subscripted constant,
   a subrange), one draw is shared by all of them, unless per_element
   asks for an independent draw per element.  A start value (an initial
   condition of the run, such as a level in its first year) is calibrated
   like any input, but a forecast from the posterior that starts at
   another time keeps its own. */
typedef struct ps_sc_input {
    char *name;           /* as ps_sc_fixed.name                       */
    ps_sc_ref ref;
    int per_element;      /* `per element: true`                       */
    int start_value;      /* `start value: true`                       */
    ps_dist dist;
    char *label, *source;
    ps_sc_where where;    /* the name */
} ps_sc_input;

typedef enum ps_sc_compare {
    PS_SC_AT_LEAST, /* value >= lo        */
    PS_SC_AT_MOST,  /* value <= hi        */
    PS_SC_BETWEEN   /* lo <= value <= hi  */
} ps_sc_compare;

/* Does `value` meet the rule `compare` with bounds lo, hi (the unused
   bound is ignored)?  NaN never does.  Inline: summaries ask it of every
   run at every saved time of a target's variable. */
static inline int ps_sc_rule_met(ps_sc_compare compare, double lo, double hi,
                                 double value)
{
    switch (compare) {
    case PS_SC_AT_LEAST:
        return value >= lo;
    case PS_SC_AT_MOST:
        return value <= hi;
    case PS_SC_BETWEEN:
        return value >= lo && value <= hi;
    }
    return 0;
}

/* The rule's name in files, tables and JSON: "at_least", "at_most",
   "between". */
static inline const char *ps_sc_compare_name(ps_sc_compare compare)
{
    return compare == PS_SC_AT_LEAST  ? "at_least"
           : compare == PS_SC_AT_MOST ? "at_most"
                                      : "between";
}

/* A target: is `variable` at `time` on the right side of the threshold? */
typedef struct ps_sc_target {
    char *name;     /* short identifier, e.g. "gdp_700"                */
    char *label;    /* human text, e.g. "地区生产总值 ≥ 700亿元"        */
    char *variable; /* as ps_sc_fixed.name: one element of a subscripted
                       variable ("output[新材料]")                      */
    ps_sc_ref ref;  /* the variable read                               */
    double time;    /* e.g. 2030                                      */
    ps_sc_compare compare;
    double lo, hi;
    int binding;    /* 1: binding (约束性), 0: expected (预期性)       */
    char *source;
    ps_sc_where where;          /* the target's name                   */
    ps_sc_where variable_where; /* its variable                        */
    ps_sc_where time_where;     /* its year (time)                     */
} ps_sc_target;

/* The measurement-error model of an observation: how far the published
   figure may lie from the model's value. */
typedef enum ps_obs_error_kind {
    PS_OBS_NORMAL,   /* observed ~ N(simulated, sd)                        */
    PS_OBS_LOGNORMAL /* log observed ~ N(log simulated, sigma): errors in
                        proportion; both must be positive                */
} ps_obs_error_kind;

typedef struct ps_obs_error {
    ps_obs_error_kind kind;
    int relative;   /* 1: `cv` was given: normal sd = cv x |observed|,
                       lognormal sigma = sqrt(log(1 + cv^2));
                       0: `sd` was given: normal sd, lognormal sigma (of
                       the log)                                         */
    double scale;   /* the sd or the cv, > 0                             */
} ps_obs_error;

/* What an observed series measures of its model variable v. */
typedef enum ps_obs_kind {
    PS_OBS_LEVEL,  /* v(t)                                              */
    PS_OBS_GROWTH, /* v(t) / v(t - lag) - 1                             */
    PS_OBS_SHARE   /* v(t) / w(t), w the variable named by `of`          */
} ps_obs_kind;

/* One observed series of the `observed:` section: a column of the data
   file, the model variable it measures and its error model.  Only the
   times with a value in the file are kept. */
typedef struct ps_sc_obs_series {
    char *name;            /* the variable, as ps_sc_fixed.name: one
                              element of a subscripted variable         */
    ps_sc_ref ref;
    char *column;          /* its column in the data file (default: name) */
    ps_obs_kind kind;
    double lag;            /* PS_OBS_GROWTH: > 0, default 1              */
    char *of;              /* PS_OBS_SHARE: the denominator, else NULL    */
    ps_sc_ref of_ref;
    size_t n;              /* observations                               */
    double *time;          /* n, increasing                              */
    double *value;         /* n, finite                                  */
    ps_obs_error *error;   /* n: each observation's error (a per-year
                              error replaces the series' own)            */
    char *label, *source;  /* may be NULL                                */
    ps_sc_where where;     /* the series' name                           */
    ps_sc_where of_where;  /* its `of:`                                  */
    ps_sc_where *cell;     /* n: where each value is (data file, line and
                              column of the cell; 0 when not known)      */
} ps_sc_obs_series;

/* The `observed:` section: the data and what each series measures. */
typedef struct ps_sc_observed {
    char *file;            /* the data file, resolved against the scenario
                              file that names it (.csv, .tab, .xlsx)     */
    char *sheet;           /* .xlsx: the sheet (NULL: the first)          */
    char *source;          /* where the figures come from; may be NULL   */
    ps_sc_where file_where;
    double from, to;       /* the years kept (`from:`, `to:`): rows outside
                              them are left out, so that one table serves
                              a calibration and its hold-out; -inf and
                              +inf when not given                        */
    size_t nseries;
    ps_sc_obs_series *series;
} ps_sc_observed;

typedef struct ps_scenario {
    char *path;           /* the scenario file given                        */
    char **files;         /* it and every file it extends, child first; a
                             relative `extends:` is joined to the folder of
                             the file that wrote it                         */
    char **texts;         /* their full text (kept for provenance)          */
    size_t nfiles;
    char *title, *description; /* NULL when not given; given as a mapping
                                  of languages, its zh: text (its en: text
                                  when it has no zh:)                       */
    char *title_zh, *title_en; /* a mapping's text per language; NULL when
                                  not given (a plain string serves every
                                  language and sets only `title`)           */
    char *description_zh, *description_en; /* as title_zh, title_en        */
    char *model_path;     /* resolved against the file that named it        */
    ps_sc_where model_where;

    /* time settings and method; has_* say whether the scenario sets them */
    int has_initial_time, has_final_time, has_time_step, has_saveper;
    double initial_time, final_time, time_step, saveper;
    ps_sc_where initial_where, final_where, step_where, saveper_where;
    char *method;         /* a ps_stepper_type name (lower case), or NULL
                             for the engine default                         */
    double abs_tol, rel_tol; /* > 0 when given; 0: default                 */

    ps_sc_fixed *fixed;   size_t nfixed;
    ps_sc_lever *levers;  size_t nlevers;
    ps_sc_input *inputs;  size_t ninputs;
    double *correlation;  /* ninputs x ninputs rank correlation (row-major,
                             inputs' order, identity where nothing is said,
                             positive definite), or NULL when none given   */

    ps_design_method sampling; /* default PS_DESIGN_LHS                     */
    size_t runs;               /* default 1000, at most PS_SC_MAX_RUNS      */
    ps_sc_where runs_where;    /* where runs: is written (line 0: it is not)*/
    uint64_t seed;             /* default 0                                 */

    char **save;          /* variables to save; NULL = the default set      */
    size_t nsave;
    ps_sc_where *save_where;

    ps_sc_target *targets; size_t ntargets;
    ps_sc_observed *observed; /* the `observed:` section, or NULL           */
} ps_scenario;

/*
 * Reads a scenario file and the chain of files it extends (a child's items
 * replace its parent's one by one).  YAML syntax errors (libfyaml's own
 * messages), unknown keys (with the allowed ones and the nearest), wrong
 * types, bad distribution parameters (ps_dist_check), a correlation that
 * names no uncertain input or makes the matrix not positive definite,
 * names given twice, lever times that do not increase and cycles of
 * `extends:` are PS_ERR_DATA.  `err` then holds file, line and column, and
 * err->message three lines: the plain message, the source line, and a
 * "^~~~" underline under the offending text.  A scenario file that cannot
 * be read is PS_ERR_NOINPUT (located at the `extends:` that names it, for
 * a parent).  Model names are not checked here (ps_scenario_check).  The
 * caller owns *out; *out is NULL on failure.
 */
ps_status ps_scenario_load(const char *path, ps_scenario **out,
                           ps_error *err);

/*
 * As ps_scenario_load, from text[0..len) named `path` (used in messages
 * and to resolve `model:` and `extends:`, whose files are read from
 * disk).  For scenarios that do not come from a file (standard input,
 * tests).  The caller owns *out; *out is NULL on failure.
 */
ps_status ps_scenario_parse(const char *text, size_t len, const char *path,
                            ps_scenario **out, ps_error *err);

/*
 * Checks the scenario against the model it runs.  Every variable named
 * (fixed, levers, uncertain, save, targets) exists, or the closest name is
 * suggested.  Fixed values and levers may replace the equation of any
 * auxiliary or constant, but not of a stock, a lookup or a time setting
 * (those go under `time:`).  Uncertain inputs must be constants: a number,
 * or arithmetic on numbers and other constants, none of them a lever.  The
 * run's time settings are the scenario's where it sets them and the
 * model's otherwise (which must then be numbers, or arithmetic on them):
 * the step is positive, the final time after the initial one, SAVEPER a
 * whole number of steps; lever and target times lie within the run, and a
 * target's time is a saved time.  Errors as for ps_scenario_load, at the
 * scenario's text; an error in the model's own time settings is located
 * in the model file (without an underline).
 */
ps_status ps_scenario_check(const ps_scenario *sc, const ps_model *model,
                            ps_error *err);

/*
 * Applies what does not vary between runs to `model`: time settings and
 * fixed values replace equations by numbers (an ACTIVE INITIAL loses its
 * initial value too), levers replace equations by WITH LOOKUP(Time,
 * ((t0,v0),(t1,v1),...)).  A time setting the model lacks is added.
 * Uncertain inputs are left to the ensemble.  Runs ps_scenario_check
 * first: on its errors the model is unchanged.
 */
ps_status ps_scenario_apply(const ps_scenario *sc, ps_model *model,
                            ps_error *err);

/* The most runs an ensemble may have (10^9): `runs:` above it is refused
   where it is written. */
#define PS_SC_MAX_RUNS 1000000000ull

/*
 * Checks, before anything is created, that an ensemble of `nruns` runs
 * fits its output: nruns at most PS_SC_MAX_RUNS, and nruns x ntimes saved
 * times x nseries saved series (and input columns) x 8 bytes, the size
 * of its data uncompressed, at most `room` bytes (the free space of the
 * output's file system).  PS_OK, or PS_ERR_DATA at the scenario's `runs:`
 * when `at_runs` is set and it is written, else without a position.
 */
ps_status ps_scenario_check_room(const ps_scenario *sc, int at_runs,
                                 uint64_t nruns, size_t ntimes, size_t nseries,
                                 uint64_t room, ps_error *err);

/* Formats an error at `where` as the loader does (position, message and
   the underlined source line).  When `where` is NULL or in no file of the
   scenario, the message stands alone.  `err` may be NULL.  Returns
   `status`. */
ps_status ps_scenario_error_at(const ps_scenario *sc, const ps_sc_where *where,
                               ps_status status, ps_error *err,
                               const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * The elements a scenario names (ref of one of its items, as
 * ps_scenario_check found them in `model`).  names[i * ndims + k] is the
 * element of the variable's k-th range in the i-th element named, in the
 * variable's own order (row-major over its ranges, as a compiled program
 * lays it out: ps_element_index finds its index).  A scalar gives one
 * element and no names.
 */
typedef struct ps_sc_selection {
    size_t ndims;  /* ranges of the variable; 0 for a scalar            */
    size_t n;      /* elements named                                    */
    int whole;     /* they are every element of the variable            */
    char **names;  /* n * ndims element names, as the model writes them */
} ps_sc_selection;

/* Resolves `ref` against `model` into *out (free with
   ps_sc_selection_free).  The errors of ps_scenario_check (an unknown
   variable, element or range, subscripts on a variable that has none,
   the wrong number of subscripts), located at the scenario's text. */
ps_status ps_scenario_select(const ps_scenario *sc, const ps_sc_ref *ref,
                             const ps_model *model, ps_sc_selection *out,
                             ps_error *err);

/* Frees what a selection holds and zeroes it.  NULL is allowed. */
void ps_sc_selection_free(ps_sc_selection *s);

/* The name of sc's target nearest to `name` (by ps_nearest of
   plansim/suggest.h), for a "did you mean" after an unknown target name;
   NULL when none is close enough, or when memory runs out (the suggestion
   is then left out).  The name is the scenario's. */
const char *ps_scenario_nearest_target(const ps_scenario *sc, const char *name);

/*
 * Replaces the equation of the elements `name` names ("x", "x[a]",
 * "x[sub]", as in a scenario file) by the number `value`, as a fixed
 * value does, leaving the variable's other elements alone.  For programs
 * that set values of their own (sweeps).  PS_ERR_USAGE with a plain
 * message (no position) when the name names nothing that can be fixed.
 */
ps_status ps_scenario_fix(ps_model *model, const char *name, double value,
                          ps_error *err);

/* Frees a scenario and sets *sc to NULL.  NULL is allowed. */
void ps_scenario_free(ps_scenario **sc);

/* Does `value` meet target t?  NaN never does. */
int ps_sc_target_met(const ps_sc_target *t, double value);

#ifdef __cplusplus
}
#endif
#endif
