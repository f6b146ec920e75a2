/*
 * plansim output: the ensemble file (netCDF-4-compatible HDF5).
 *
 * A Monte Carlo ensemble is written to one HDF5 file that xarray, netCDF
 * tools, h5py and R open with no options: one (run, time) dataset per
 * saved variable, coordinates `run`, `time` and `param` as dimension
 * scales, the sampled inputs in param_value(run, param), a run_status(run)
 * flag, NaN fill values, and the scenario, model hash, seed and engine
 * version in global attributes.  After the runs, ps_h5_sink_summarize()
 * adds a /summary group: mean, standard deviation and quantiles per
 * variable and time, and the probability of each target with its Wilson
 * interval.  docs/output-format.md describes the layout in full.
 *
 * The file is written as "PATH.partial" and renamed to PATH only on
 * commit, so a file under its final name is always complete.  A run that
 * fails or is interrupted leaves the .partial file, closed cleanly: the
 * runs whose status is ok in it are valid.
 *
 * All calls on one sink must come from one thread (HDF5 calls are
 * serialised anyway).  This header does not include hdf5.h.
 *
 * Errors: HDF5 never prints; failures come back as ps_error naming the
 * file and the operation.  Process-wide, this module asks HDF5 not to run
 * its exit-time cleanup (H5dont_atexit; effective when it makes the
 * process's first HDF5 call): HDF5 1.10 cannot close a file it failed to
 * flush (a full disk), and that cleanup then crashes the process.  A sink
 * left open at exit is therefore not flushed: always close it.
 */
#ifndef PLANSIM_OUTPUT_H5_H
#define PLANSIM_OUTPUT_H5_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plansim/ensemble.h"
#include "plansim/scenario.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * What the file describes.  Every string is UTF-8 and may be NULL unless
 * said otherwise; the meta is only read during ps_h5_sink_open().
 * --------------------------------------------------------------------- */

/* A subscript range of the model: a dimension of the file, whose
   coordinate holds the element names. */
typedef struct ps_h5_dim_meta {
    const char *name;            /* the range's name; not NULL           */
    size_t n;                    /* elements, at least 1                 */
    const char *const *elements; /* [n] element names; not NULL          */
} ps_h5_dim_meta;

/* A saved variable.  A subscripted one is saved as one dataset (run,
   time, range 1, ...): the sink receives its elements as consecutive
   series, row-major over its ranges (ps_ensemble_layout). */
typedef struct ps_h5_var_meta {
    const char *model_name; /* the name in the model; not NULL */
    const char *units;      /* the model's unit text, e.g. "亿元" */
    const char *long_name;  /* human description; NULL: the model name */
    size_t ndims;           /* its ranges; 0 for a scalar */
    const size_t *dims;     /* [ndims] indices into ps_h5_meta.dims */
} ps_h5_var_meta;

/* An uncertain input (a column of param_value). */
typedef struct ps_h5_input_meta {
    const char *name;         /* the model constant; not NULL */
    const char *label;        /* human text */
    const char *source;       /* where the distribution comes from */
    const char *distribution; /* e.g. "triangular(0.25, 0.30, 0.35)" */
} ps_h5_input_meta;

/* A target whose probability the summary estimates. */
typedef struct ps_h5_target_meta {
    const char *name;  /* short identifier; NULL: "target_<i>" */
    const char *label; /* human text, e.g. "地区生产总值 ≥ 700亿元" */
    const char *variable; /* model name of a saved variable, or one element
                             of a subscripted one as Vensim writes it
                             ("output[新材料]"); not NULL */
    double time;          /* a saved time */
    ps_sc_compare compare;
    double lo, hi; /* the unused bound is ignored (stored as NaN) */
    int binding;   /* 1: binding (约束性), 0: expected (预期性) */
    const char *source;
} ps_h5_target_meta;

/* A scenario's title and description per language, as a scenario
   written with zh:/en: mappings gives them (docs/scenario-format.md);
   NULL where it gives none.  Stored as the attributes title_zh, title_en,
   description_zh and description_en beside `title` and `description`,
   which keep the default text.  Writers borrow the strings; readers
   make copies, freed with ps_h5_lang_texts_free. */
typedef struct ps_h5_lang_texts {
    char *title_zh, *title_en, *description_zh, *description_en;
} ps_h5_lang_texts;

/* Frees the strings of `t` and sets them to NULL; t may be NULL. */
void ps_h5_lang_texts_free(ps_h5_lang_texts *t);

/* The text for a reader of language `english` (0: Chinese, 1: English): that
   language's text when given, else the other language's, else `fallback`
   (the default text); borrowed from its argument. */
const char *ps_h5_lang_pick(const char *fallback, const char *zh,
                            const char *en, int english);

/* A variable fixed at one value in every run (scenario `fixed:`). */
typedef struct ps_h5_fixed_meta {
    const char *name;  /* the model variable; not NULL */
    const char *units; /* its unit text */
    double value;
    const char *label, *source;
} ps_h5_fixed_meta;

/* A policy lever (scenario `levers:`): a time path, linear between the
   points and held before the first and after the last. */
typedef struct ps_h5_lever_meta {
    const char *name; /* the model variable; not NULL */
    const char *units;
    size_t n;                  /* points, at least 1 */
    const double *time, *value; /* [n] each; times increasing */
    const char *label, *source;
} ps_h5_lever_meta;

/* The posterior a forecast drew its calibrated inputs from (`plansim run
   --posterior`): where it is, what made it, and each target's
   probability under the prior draws of that calibration, to print beside
   the forecast's. */
typedef struct ps_h5_calibration_meta {
    const char *file;         /* the posterior file as given              */
    const char *method;       /* "smc", "is", "optimize"                  */
    double ess, log_evidence;
    uint64_t particles;
    size_t ncalibrated;       /* inputs drawn from it                     */
    const double *prior_probability; /* per target of the meta: its
                                        probability with every input from
                                        its prior (NaN when not known)   */
} ps_h5_calibration_meta;

typedef struct ps_h5_meta {
    const char *title, *description;
    /* The scenario file and the files it extends, child first. */
    size_t nscenario_files;
    const char *const *scenario_names;
    const char *const *scenario_texts;
    const char *model_file;
    const char *model_sha256; /* computed by the caller */
    uint64_t seed;
    const char *sampling;       /* "mc", "lhs", "sobol" */
    const char *engine_version; /* e.g. "0.1.0 (3f2c1ab)" */
    const char *command_line;
    const char *time_units; /* the model's time unit, e.g. "year" */
    size_t nvars;
    const ps_h5_var_meta *vars;
    size_t ndims;           /* the ranges subscripted variables run over */
    const ps_h5_dim_meta *dims;
    size_t ninputs;
    const ps_h5_input_meta *inputs;
    size_t ntargets;
    const ps_h5_target_meta *targets;
    /* What the scenario held constant, stored in the /assumptions group
       (left out when both are 0). */
    size_t nfixed;
    const ps_h5_fixed_meta *fixed;
    size_t nlevers;
    const ps_h5_lever_meta *levers;
    const ps_h5_calibration_meta *calibration; /* or NULL */
    /* the title and description per language; borrowed, all NULL
       for one text in every language */
    ps_h5_lang_texts lang;
    /* how the model ran: "native" or "interpreted" (ps_program_engine);
       NULL: not recorded */
    const char *model_engine;
} ps_h5_meta;

typedef struct ps_h5_options {
    int deflate_level;     /* 0: no compression (default); 1-9: shuffle +
                              deflate at that level                       */
    size_t runs_per_chunk; /* 0: chosen for ~64 KiB-1 MiB chunks */
    double flush_seconds;  /* at most this many seconds between writes of
                              the runs received and flushes of the file
                              (uncompressed files; compressed ones write
                              whole chunks only); 0: PS_H5_FLUSH_SECONDS */
    int threads;           /* threads of the summary; 0: OpenMP's default */
} ps_h5_options;

#define PS_H5_FLUSH_SECONDS 5.0

/* ---------------------------------------------------------------------
 * The writer
 * --------------------------------------------------------------------- */

typedef struct ps_h5_sink ps_h5_sink;

/*
 * Creates "path.partial" (replacing a stale one) and writes what is known
 * before the runs: global attributes, the `param` coordinates and the
 * target definitions.  `opts` may be NULL (defaults).  On success *out is
 * a new sink owned by the caller, to be passed to ps_ensemble_run() with
 * ps_h5_sink_type and ended with ps_h5_sink_close().  PS_ERR_CANTCREAT
 * naming `path` when the file cannot be created; PS_ERR_USAGE for a bad
 * meta or option (a target naming no saved variable, a level outside
 * 0-9); PS_ERR_IO when writing fails.  On failure *out is NULL and no
 * .partial file is left behind.
 */
ps_status ps_h5_sink_open(const char *path, const ps_h5_meta *meta,
                          const ps_h5_options *opts, ps_h5_sink **out,
                          ps_error *err);

/*
 * The sink operations for ps_ensemble_run().  begin creates the run- and
 * time-shaped datasets; write_block buffers runs until a chunk of whole
 * runs is complete, then writes it (values, inputs and status together)
 * and flushes the file; end writes what is still buffered.
 */
extern const ps_sink_type ps_h5_sink_type;

/*
 * Computes the /summary group (see ps_h5_summarize) in the sink's open
 * file, after the runs and before ps_h5_sink_close(), so the summary is
 * in the file when it gets its final name.  Runs still buffered are
 * written first.  PS_ERR_USAGE before begin; PS_ERR_IO when writing fails.
 */
ps_status ps_h5_sink_summarize(ps_h5_sink *sink, ps_error *err);

/*
 * Closes the file and frees the sink; sets *sink to NULL (NULL or *sink
 * NULL is allowed: PS_OK).  Runs still buffered are written first.  With
 * `commit`, the file is flushed, synced and renamed from "path.partial"
 * to `path`, and the directory is synced.  Without it (a failure,
 * Ctrl-C) the .partial file stays.  PS_ERR_IO naming the file when
 * closing, syncing or renaming fails, or when `commit` is asked after a
 * failed write; the .partial file then stays too.
 */
ps_status ps_h5_sink_close(ps_h5_sink **sink, int commit, ps_error *err);

/*
 * Reopens "path.partial", left by an interrupted ensemble of `nruns` runs,
 * to finish it: as ps_h5_sink_open, but the file is opened, not created.
 * The file must be a regular file (a symbolic link is refused) that HDF5
 * opens, written with the same settings: every global attribute that
 * ps_h5_sink_open would write (scenario text, model, seed, sampling,
 * engine version, ...) except the time stamps and the command line must
 * be equal, and so must the number of runs.  ps_h5_sink_done() then
 * tells the runs the file holds, to give ps_ensemble_run as its `skip`;
 * begin opens the datasets instead of creating them.  PS_ERR_NOINPUT
 * when the file is missing; PS_ERR_DATA naming the first difference, or
 * when the file is not a regular file or cannot be opened.
 */
ps_status ps_h5_sink_resume(const char *path, const ps_h5_meta *meta,
                            const ps_h5_options *opts, size_t nruns,
                            ps_h5_sink **out, ps_error *err);

/* The runs in the sink's file (nruns flags, nonzero: in the file), or
   NULL when it holds none.  Owned by the sink. */
const unsigned char *ps_h5_sink_done(const ps_h5_sink *sink);

/* Reads runs [first, first + count) back from the sink's file, after
   begin, laid out as a sink receives them (ps_sink_type): count statuses,
   values[(r * nseries + s) * ntimes + t] and inputs[r * ninputs + j]
   (not written when there are no inputs), for a resumed ensemble to hand
   the runs it holds to another sink.  PS_ERR_DATA when they cannot be
   read. */
ps_status ps_h5_sink_read_runs(ps_h5_sink *sink, size_t first, size_t count,
                               unsigned char *status, double *values,
                               double *inputs, ps_error *err);

/* The final path and the .partial path of a sink; owned by the sink. */
const char *ps_h5_sink_path(const ps_h5_sink *sink);
const char *ps_h5_sink_partial_path(const ps_h5_sink *sink);

/* ---------------------------------------------------------------------
 * Summaries
 * --------------------------------------------------------------------- */

/*
 * (Re)computes the /summary group of the ensemble file `path` (a final or
 * a .partial file, not open elsewhere).  Over the runs whose status is ok:
 * per saved variable and time the mean, standard deviation (n - 1) and
 * the quantiles 0.05 ... 0.95 (type 7, as numpy and R); per target the
 * hits, runs, probability and 95 % Wilson interval at the target's time,
 * and the probability at every saved time.  Memory: one variable's values
 * at most.  PS_ERR_NOINPUT when the file cannot be opened, PS_ERR_DATA
 * when it is not an ensemble file, PS_ERR_IO when writing fails.
 */
ps_status ps_h5_summarize(const char *path, ps_error *err);

/* Statistics of one saved variable, or of one element of a subscripted
   one, over ok runs. */
typedef struct ps_h5_var_summary {
    char *name; /* dataset name (an element's: its variable's) */
    char *model_name; /* the model's name; for an element as Vensim writes
                         it, "output[north,新材料]" */
    char *units;       /* "" when absent */
    char *long_name;   /* "" when absent; an element's names follow its
                          variable's ("产出[north,新材料]") */
    double *mean;      /* [ntimes] */
    double *sd;        /* [ntimes] */
    double *quantiles; /* [nquantiles * ntimes], quantile-major */
    char *element;     /* the element's names, "north,新材料"; "" (or
                          NULL) for a scalar */
    /* For readers (ps_h5_labels_read; NULL and 0 when the file has no
       labels): names and units in Chinese and English, the factor the
       value is shown multiplied by, and non-zero for a rate or share
       shown as a percentage. */
    char *label_zh, *label_en, *units_zh, *units_en;
    double display_scale;
    int display_percent;
} ps_h5_var_summary;

/* A target and its estimated probability. */
typedef struct ps_h5_target_summary {
    char *name, *label, *variable, *source; /* "" when absent */
    double time;
    ps_sc_compare compare;
    double lo, hi;
    int binding;
    long long hits, runs;        /* runs: ok runs with a finite value */
    double probability;          /* hits / runs; NaN when runs is 0 */
    double ci_low, ci_high;      /* 95 % Wilson interval */
    double *probability_by_time; /* [ntimes], same rule at each time */
    double prior_probability;    /* a forecast from a posterior: the
                                    target's probability under the prior;
                                    NaN otherwise                        */
    char *label_zh, *label_en;   /* ps_h5_labels_read; NULL when absent */
} ps_h5_target_summary;

/* A summary as read back from a file; plain data, owned by the caller.
   A subscripted variable is read as one entry per element, in its
   order (row-major over its ranges). */
typedef struct ps_h5_summary {
    char *title;      /* "" when absent */
    char *time_units; /* "" when absent */
    long long runs, runs_ok, runs_failed, runs_pending;
    size_t ntimes;
    double *times;
    size_t nquantiles;
    double *quantiles; /* probability levels, increasing */
    size_t nvars;
    ps_h5_var_summary *vars;
    size_t ntargets;
    ps_h5_target_summary *targets;
    /* A forecast from a posterior (plansim run --posterior): the file,
       its method and effective sample size; "" and NaN otherwise. */
    char *calibration_file, *calibration_method;
    double calibration_ess;
    /* The labels file the run stored (ps_h5_labels_read); NULL when the
       file has none.  Its element labels: element_names[i] is shown as
       element_labels_zh[i] or element_labels_en[i]. */
    char *labels_file;
    size_t nelement_labels;
    char **element_names, **element_labels_zh, **element_labels_en;
    /* the title and description per language; NULL when absent */
    ps_h5_lang_texts lang;
} ps_h5_summary;

/*
 * Reads the summary of the ensemble file `path`.  On success *out is a
 * new summary owned by the caller (free with ps_h5_summary_free).  A
 * file named *.partial (an unfinished run) is summarized in memory over
 * the runs it holds, without changing the file.
 * PS_ERR_NOINPUT when the file cannot be opened; PS_ERR_DATA when it has
 * no summary or is not an ensemble file (a readable file that is not
 * HDF5 included).
 */
ps_status ps_h5_summary_read(const char *path, ps_h5_summary **out,
                             ps_error *err);

/* Frees a summary and sets *s to NULL.  NULL is allowed. */
void ps_h5_summary_free(ps_h5_summary **s);

/* How many runs the ensemble file `path` holds (run_status not pending)
   of how many: *held of *total (0 of 0 when it has no runs yet).  Errors
   of opening it; PS_ERR_DATA when run_status cannot be read. */
ps_status ps_h5_runs_held(const char *path, size_t *held, size_t *total,
                          ps_error *err);

typedef enum ps_h5_format {
    PS_H5_FORMAT_TABLE, /* aligned text (Chinese counts two columns) */
    PS_H5_FORMAT_MD,    /* Markdown pipe tables */
    PS_H5_FORMAT_CSV,   /* long form: kind,name,time,statistic,value */
    PS_H5_FORMAT_JSON
} ps_h5_format;

/* "table", "md", "csv", "json" -> format; returns 0, or -1 when unknown. */
int ps_h5_format_from_name(const char *name, ps_h5_format *fmt);

/*
 * Prints a summary: the targets first (label, variable, time, rule,
 * binding or expected, probability, 95 % interval, runs), then per
 * variable and time the median and the 5-95 % band.  csv and json carry
 * every statistic.  A summary with nvars set to 0 prints the targets
 * only (a view: copy the struct, do not free the copy).  PS_ERR_IO when writing to `out` fails.
 */
ps_status ps_h5_summary_print(FILE *out, const ps_h5_summary *s,
                              ps_h5_format fmt, ps_error *err);

/* ---------------------------------------------------------------------
 * What the numbers assume
 * --------------------------------------------------------------------- */

/* An uncertain input as stored, with the range its runs covered. */
typedef struct ps_h5_input_info {
    char *name, *label, *source, *distribution; /* "" when absent */
    long long runs; /* ok runs with a finite value of the input */
    double p05, p95; /* type-7 quantiles over those runs; NaN when none */
    char *label_zh, *label_en; /* ps_h5_labels_read; NULL when absent */
} ps_h5_input_info;

typedef struct ps_h5_fixed_info {
    char *name, *units, *label, *source; /* "" when absent */
    double value;
    char *label_zh, *label_en; /* ps_h5_labels_read; NULL when absent */
} ps_h5_fixed_info;

typedef struct ps_h5_lever_info {
    char *name, *units, *label, *source; /* "" when absent */
    size_t n;
    double *time, *value; /* [n] */
    char *label_zh, *label_en; /* ps_h5_labels_read; NULL when absent */
} ps_h5_lever_info;

/* Provenance and assumptions of an ensemble file; plain data, owned by
   the caller.  Text is "" when the file does not have it. */
typedef struct ps_h5_assumptions {
    char *title, *description, *created, *engine_version, *command_line;
    char *model_file, *model_sha256, *sampling;
    char *model_engine; /* "native", "interpreted" or "" */
    int has_seed;
    uint64_t seed;
    size_t ninputs;
    ps_h5_input_info *inputs;
    size_t nfixed;
    ps_h5_fixed_info *fixed;
    size_t nlevers;
    ps_h5_lever_info *levers;
    /* the title and description per language; NULL when absent */
    ps_h5_lang_texts lang;
} ps_h5_assumptions;

/*
 * Reads the provenance (global attributes), the uncertain inputs with the
 * 5 % and 95 % quantiles of their sampled values over ok runs, and the
 * fixed values and levers of the ensemble file `path`.  Memory: one
 * input's values at a time.  On success *out is new, owned by the caller
 * (free with ps_h5_assumptions_free).  PS_ERR_NOINPUT when the file
 * cannot be opened; PS_ERR_DATA when it is not an HDF5 ensemble file.
 */
ps_status ps_h5_assumptions_read(const char *path, ps_h5_assumptions **out,
                                 ps_error *err);

/* Frees what ps_h5_assumptions_read made; sets *a to NULL.  NULL is
   allowed. */
void ps_h5_assumptions_free(ps_h5_assumptions **a);

/* ---------------------------------------------------------------------
 * Labels for readers (h5_labels.c)
 * --------------------------------------------------------------------- */

struct ps_labels; /* plansim_output/labels.h */

/*
 * Stores the labels of `labels` (read from a labels file) in the sink's
 * file, after the runs (call after ps_h5_sink_summarize, before
 * ps_h5_sink_close): on each variable dataset whose model name has an
 * entry the attributes label_zh, label_en, units_zh, units_en,
 * display_scale and display_percent; on the coordinates /summary/target,
 * /param, /assumptions/fixed and /assumptions/lever the string-array
 * attributes label_zh and label_en (one per element, "" where the file
 * gives none); the global attribute labels_file, and when the labels
 * file names elements the global string arrays label_elements,
 * label_elements_zh and label_elements_en.  The units and
 * long_name attributes are left as they are.  NULL labels: nothing.
 * PS_ERR_USAGE before the runs; PS_ERR_IO when writing fails.
 */
ps_status ps_h5_sink_write_labels(ps_h5_sink *sink,
                                  const struct ps_labels *labels,
                                  ps_error *err);

/*
 * Reads the labels stored by ps_h5_sink_write_labels from the ensemble
 * file `path` into the label fields of `s` and of `a` (which may be
 * NULL), both as read from the same file.  A file without labels leaves
 * them NULL (s->labels_file NULL).  PS_ERR_NOINPUT when the file cannot
 * be opened; PS_ERR_NOMEM.
 */
ps_status ps_h5_labels_read(const char *path, ps_h5_summary *s,
                            ps_h5_assumptions *a, ps_error *err);

/* ---------------------------------------------------------------------
 * Probability surfaces (plansim sweep)
 * --------------------------------------------------------------------- */

/* A varied lever: one dimension of the surface. */
typedef struct ps_h5_sweep_axis {
    const char *name;   /* the model variable; not NULL */
    const char *units;  /* its unit text */
    const char *label;  /* the scenario's label */
    const char *kind;   /* "lever", "fixed value" or "model constant" */
    size_t n;           /* grid values, at least 1 */
    const double *values;
    int path_set_aside; /* 1: a lever given as a time path, which takes
                           one value in every year at each grid point  */
} ps_h5_sweep_axis;

/* A sweep's results: target probabilities over a grid of lever values,
   every grid point an ensemble of `runs` runs with the same inputs. */
typedef struct ps_h5_sweep {
    const char *title, *description;
    size_t nscenario_files; /* the scenario and the files it extends */
    const char *const *scenario_names;
    const char *const *scenario_texts;
    const char *model_file, *model_sha256, *sampling;
    const char *engine_version, *command_line;
    uint64_t seed;
    uint64_t runs;      /* runs per grid point */
    size_t naxes;       /* 1 or more */
    const ps_h5_sweep_axis *axes;
    size_t ntargets;    /* 1 or more */
    const ps_h5_target_meta *targets;
    /* Per target and grid point, laid out (target, axis 1, ..., axis k),
       row-major (the last axis fastest): */
    const long long *hits;
    const long long *counted; /* ok runs with a finite value */
    const double *probability, *ci_low, *ci_high;
    /* Per grid point (axis 1, ..., axis k): runs that failed; may be
       NULL. */
    const long long *failed;
    /* the title and description per language; borrowed, all NULL
       for one text in every language */
    ps_h5_lang_texts lang;
} ps_h5_sweep;

/*
 * Writes a probability surface to `path` as a netCDF-4-compatible HDF5
 * file: one coordinate per axis (dataset named after the lever as
 * dataset names are made, its values a dimension scale), a `target`
 * coordinate with the targets' definitions, and probability, ci_low,
 * ci_high, hits and runs over (target, axis 1, ..., axis k), failed
 * (0 where `failed` is NULL) and point_done over the axes; provenance and
 * the runs per point in global attributes.  docs/sweeps.md describes the
 * layout.  Written point by point (ps_h5_sweep_begin) as "path.partial",
 * synced and renamed: no half file ever carries the final name.
 * PS_ERR_USAGE for a sweep without axes or targets or an axis without
 * values; PS_ERR_CANTCREAT when the file cannot be created; PS_ERR_IO
 * when writing fails.
 */
ps_status ps_h5_sweep_write(const char *path, const ps_h5_sweep *sweep,
                            ps_error *err);

/*
 * A sweep's file written point by point (docs/sweeps.md, "Interrupted
 * sweeps"): ps_h5_sweep_begin makes "path.partial" exclusively
 * (h5_create_netcdf_file: never an existing file or link) with every
 * result at its fill value and point_done 0, before any point runs; or,
 * with `resume`, reopens the .partial an interrupted sweep left, checks
 * that its settings (global attributes, grid values, targets) are this
 * sweep's, and reads which points it holds.  `sweep` is borrowed until
 * the file is finished or abandoned; its result arrays are read at each
 * ps_h5_sweep_put.  The file is flushed at most every `flush_seconds`
 * (0: PS_H5_FLUSH_SECONDS), so that a killed sweep loses at most that
 * interval's points.  PS_ERR_CANTCREAT (the file cannot be made or its
 * .partial exists), PS_ERR_NOINPUT or PS_ERR_DATA (a .partial that
 * cannot be resumed, naming what differs), PS_ERR_IO.
 */
typedef struct ps_h5_sweep_file ps_h5_sweep_file;
ps_status ps_h5_sweep_begin(const char *path, const ps_h5_sweep *sweep,
                            int resume, double flush_seconds,
                            ps_h5_sweep_file **out, ps_error *err);

/* Which grid points the file holds: [points], 1 where done.  Owned by
   the file. */
const unsigned char *ps_h5_sweep_done(const ps_h5_sweep_file *file);

/* Reads the file's results (laid out as in ps_h5_sweep, fill values
   where a point is not done) into the caller's arrays, for a resumed
   sweep to report every point.  PS_ERR_DATA when they cannot be read. */
ps_status ps_h5_sweep_read_back(ps_h5_sweep_file *file, long long *hits,
                                long long *counted, double *probability,
                                double *ci_low, double *ci_high,
                                long long *failed, ps_error *err);

/* Writes grid point `point`'s results (from the sweep's arrays), then
   its done flag; flushes when the interval is over.  PS_ERR_IO. */
ps_status ps_h5_sweep_put(ps_h5_sweep_file *file, size_t point, ps_error *err);

/* Closes the file once every point is done, checks it and renames it
   to its final name (h5_commit_file); frees *file and sets it to NULL.
   PS_ERR_IO, or PS_ERR_INTERNAL when a point is missing; the file then
   stays at its .partial name. */
ps_status ps_h5_sweep_finish(ps_h5_sweep_file **file, ps_error *err);

/* Flushes and closes the file of an interrupted sweep, leaving its
   .partial for --resume; frees *file and sets it to NULL (NULL is
   allowed). */
void ps_h5_sweep_abandon(ps_h5_sweep_file **file);

/*
 * Prints a probability surface as one JSON document (docs/sweeps.md
 * gives its shape): the levers with their units and grid values, and per
 * target its definition and, at every grid point, the lever values, the
 * probability, its 95 % Wilson interval, hits, runs and failed runs.
 * NaN (no run counted) is null.  PS_ERR_USAGE for a sweep without
 * levers; PS_ERR_IO when writing to `out` fails.
 */
ps_status ps_h5_sweep_print_json(FILE *out, const ps_h5_sweep *sweep,
                                 ps_error *err);

/* ---------------------------------------------------------------------
 * Posterior files (plansim calibrate)
 * --------------------------------------------------------------------- */

/* What a calibration found, as written to and read from a posterior file
   (docs/output-format.md describes the layout).  The writer only reads it
   (every pointer borrowed); ps_h5_posterior_read makes one that owns
   everything, freed with ps_h5_posterior_free. */
typedef struct ps_h5_posterior {
    /* provenance, as ps_h5_sweep */
    char *title, *description;
    size_t nscenario_files;
    char **scenario_names, **scenario_texts;
    char *model_file, *model_sha256, *engine_version, *command_line;
    uint64_t seed;
    char *method;            /* "smc", "is" or "optimize"                 */
    int complete;            /* 0: interrupted; the last whole stage      */
    double log_evidence;     /* NaN for optimize                          */
    double ess;              /* of the final weights                      */
    uint64_t evaluations;    /* model runs                                */
    int collapsed;           /* is: ESS fell below 1 % of the particles   */
    int converged;           /* optimize: met the tolerance               */
    double max_loglik;       /* optimize; NaN otherwise                   */
    double initial_time;     /* the calibrated run's start as its scenario
                                sets it; NaN: the model's own            */
    /* the calibrated inputs (dimension `parameter`) */
    size_t nparams;
    char **params;           /* the scenario's names ("capacity[新材料]") */
    char **param_labels;     /* its labels (NULL items allowed)           */
    char **param_dists;      /* the prior, as text ("uniform(0.1, 0.2)") */
    uint64_t *param_start_value; /* 1: a start value of the calibrated run
                                    (forecasts that start at another time
                                    do not take it); NULL: none           */
    double *prior_mean, *prior_sd, *prior_q; /* q: nparams x 3 (5, 50,   */
    double *post_mean, *post_sd, *post_q;    /* 95 %)                    */
    double *covariance;      /* nparams x nparams (optimize), or NULL     */
    /* the particles (dimension `particle`) */
    size_t nparticles;
    double *x;               /* nparticles x nparams                     */
    double *weights;         /* nparticles, summing to 1                 */
    double *loglik;          /* nparticles                               */
    double *prior_x;         /* nparticles x nparams prior draws, or NULL */
    /* the sampler's path (dimension `stage`) */
    size_t nstages;
    double *stage_phi, *stage_ess, *stage_acceptance,
        *stage_log_evidence;
    uint64_t *stage_moves, *stage_evaluations;
    /* the observed series (dimension `series`) and their observations
       (dimension `observation`, series by series in time order) */
    size_t nseries;
    char **series_names;     /* the series' names in the scenario         */
    char **series_variables; /* the model variable each measures          */
    char **series_measures;  /* "level", "growth" or "share"              */
    double *inside50, *inside90; /* share inside the predictive bands    */
    size_t nobs;
    uint64_t *obs_series;    /* each observation's series                 */
    double *obs_time, *obs_value;
    double *pred_median, *pred_lo50, *pred_hi50, *pred_lo90, *pred_hi90;
    /* the targets under the prior draws and under the posterior */
    size_t ntargets;
    ps_h5_target_meta *targets;
    double *prior_p, *post_p; /* probabilities                            */
    /* Labels for readers from the model's labels file.  Writing: `labels`
       (borrowed; NULL: none) is stored as ps_h5_sink_write_labels stores
       it, label_zh and label_en over the coordinates parameter, series
       (by the series' model variable) and target.  Reading: the file's
       labels_file (NULL when it has no labels) and those arrays (NULL when
       absent; "" items where the labels file gives none). */
    const struct ps_labels *labels;
    char *labels_file;
    char **param_labels_zh, **param_labels_en;
    char **series_labels_zh, **series_labels_en;
    char **target_labels_zh, **target_labels_en;
    /* the title and description per language; NULL when absent */
    ps_h5_lang_texts lang;
    /* An interrupted SMC calibration's state (complete 0): the particles'
       normal scores (nparticles x nparams), their predictions and the
       prior draws' (nparticles x nextra), and the next stage's move
       scale; written when resume_z is not NULL, read by
       ps_h5_posterior_resume (NULL when the file holds none). */
    size_t nextra;
    double *resume_z, *resume_extra, *resume_prior_extra;
    double resume_move_scale;
} ps_h5_posterior;

/*
 * Claims `path` for a calibration: creates "path.partial" exclusively
 * (PS_ERR_CANTCREAT, exit 73, when it exists) holding the settings of
 * `p` (its global attributes and labels; the results are not read) and
 * complete = 0, the file a later ps_h5_posterior_write replaces.
 * PS_ERR_IO.
 */
ps_status ps_h5_posterior_claim(const char *path, const ps_h5_posterior *p,
                                ps_error *err);

/* Removes the "path.partial" ps_h5_posterior_claim made, when the
   calibration failed before any stage was written to it (a regular file
   only; a link or anything else is left alone). */
void ps_h5_posterior_unclaim(const char *path);

/*
 * Writes a posterior file (netCDF-4-compatible HDF5) for `path`: into a
 * new file "path.partial.<process id>", checked and synced, then renamed
 * to `path` when `p->complete` (and this calibration's "path.partial" is
 * removed) or to "path.partial" when not (a valid file with complete = 0:
 * the last whole stage, and its resume state when p->resume_z is set).
 * Either name holds a whole file at every moment.  PS_ERR_USAGE for a
 * posterior without parameters or particles; PS_ERR_CANTCREAT; PS_ERR_IO.
 */
ps_status ps_h5_posterior_write(const char *path, const ps_h5_posterior *p,
                                ps_error *err);

/*
 * Opens an interrupted calibration's `partial` file to continue it: a
 * regular file, not a link; its settings (every global attribute but the
 * results so far and command_line, history, created) must be those
 * `settings` would write (PS_ERR_DATA naming the first that differs).
 * *out gets what it holds, owned (ps_h5_posterior_free): nparticles 0
 * when no stage finished, else the last whole stage with its resume
 * state (PS_ERR_DATA when an SMC file lacks it).  PS_ERR_NOINPUT when the
 * file is missing.
 */
ps_status ps_h5_posterior_resume(const char *partial,
                                 const ps_h5_posterior *settings,
                                 ps_h5_posterior **out, ps_error *err);

/*
 * Reads a posterior file written by ps_h5_posterior_write.  A file that
 * is not one (no plansim_file = "posterior") or is incomplete is
 * PS_ERR_DATA naming it; PS_ERR_NOINPUT when it cannot be opened.
 */
ps_status ps_h5_posterior_read(const char *path, ps_h5_posterior **out,
                               ps_error *err);

/* Frees what ps_h5_posterior_read made; sets *p to NULL. */
void ps_h5_posterior_free(ps_h5_posterior **p);

/*
 * Prints a posterior: the method and its diagnostics (evidence, ESS,
 * runs), each input's prior and posterior (mean and 5-95 % band), the
 * predictive check of each observed series, and each target's
 * probability before and after the data.  csv is long-form (table, row,
 * column, value), json one object.  PS_ERR_IO when writing fails.
 */
ps_status ps_h5_posterior_print(FILE *out, const ps_h5_posterior *p,
                                ps_h5_format fmt, ps_error *err);

/* What a plansim HDF5 file holds, told by its plansim_file attribute. */
typedef enum ps_h5_kind {
    PS_H5_KIND_ENSEMBLE,  /* no plansim_file attribute: an ensemble file
                             (plansim run), or HDF5 that plansim did not
                             write (its readers then say so)            */
    PS_H5_KIND_POSTERIOR, /* "posterior": plansim calibrate             */
    PS_H5_KIND_SWEEP,     /* "sweep": plansim sweep                     */
    PS_H5_KIND_OTHER      /* another plansim_file value                 */
} ps_h5_kind;

/*
 * Sets *kind to the kind of the HDF5 file `path`, reading only its root
 * attributes.  PS_ERR_NOINPUT when the file cannot be opened; PS_ERR_DATA
 * when it is readable but not HDF5 (the messages those of the ensemble
 * readers).
 */
ps_status ps_h5_file_kind(const char *path, ps_h5_kind *kind, ps_error *err);

/* ---------------------------------------------------------------------
 * Sensitivity results (plansim sensitivity): the /sensitivity group
 * --------------------------------------------------------------------- */

/* A factor: one uncertain input, or a group of them moved together. */
typedef struct ps_h5_sens_factor {
    const char *name;   /* the input's model name or the group's name;
                           not NULL                                      */
    const char *label;  /* human text (the input's label), or NULL      */
    const char *inputs; /* model names of its inputs, ", "-separated;
                           not NULL                                      */
} ps_h5_sens_factor;

/* An output whose sensitivity was analysed. */
typedef struct ps_h5_sens_output {
    const char *name;     /* "gdp nominal@2030", "target:gdp_700"; not
                             NULL                                        */
    const char *label;    /* human text, or NULL                         */
    const char *variable; /* the model variable; not NULL                */
    double time;          /* the saved time                              */
    int is_target;        /* the 0/1 indicator of a target               */
    size_t used, total;   /* base rows (Sobol'), trajectories (Morris) or
                             runs (OAT) used, of how many                */
    int constant;         /* the output did not vary: indices are 0      */
    double base;          /* OAT: the output at the medians; else NaN    */
} ps_h5_sens_output;

/*
 * The results of one analysis.  Measures are [noutputs * nfactors]
 * arrays, output-major (value of factor g for output o at
 * o * nfactors + g); only those of the method are read, the others may
 * be NULL.  order[o * nfactors + i] is the factor ranked i-th for output
 * o (by ST, mu* or swing, largest first).
 */
typedef struct ps_h5_sensitivity {
    const char *method;   /* "sobol", "morris" or "oat"                  */
    uint64_t seed;
    size_t runs;          /* model runs of the design                    */
    size_t samples;       /* Sobol': N                                   */
    size_t bootstrap;     /* Sobol', Morris: resamples (0: none)         */
    double level;         /* their confidence level                      */
    size_t trajectories;  /* Morris: r                                   */
    unsigned levels;      /* Morris: p                                   */
    double low, high;     /* OAT: probability levels                     */
    size_t nfactors;
    const ps_h5_sens_factor *factors;
    size_t noutputs;
    const ps_h5_sens_output *outputs;
    const size_t *order;
    const double *s1, *s1_low, *s1_high, *s1_conf;         /* Sobol'    */
    const double *st, *st_low, *st_high, *st_conf;
    const double *mu, *mu_star, *mu_star_low, *mu_star_high; /* Morris  */
    const double *mu_star_conf, *sigma;
    const double *y_low, *y_high, *swing;                  /* OAT       */
} ps_h5_sensitivity;

/*
 * Writes the /sensitivity group into the sink's open file, after the
 * runs and before ps_h5_sink_close(): coordinates `output` and `factor`
 * (strings) with their labels, the method's measures as (output, factor)
 * datasets, each factor's rank, and the settings as attributes
 * (docs/sensitivity.md).  PS_ERR_USAGE before begin or for a method it
 * does not know; PS_ERR_IO when writing fails (the sink then refuses to
 * commit).
 */
ps_status ps_h5_sink_write_sensitivity(ps_h5_sink *sink,
                                       const ps_h5_sensitivity *s,
                                       ps_error *err);

/*
 * Prints the results ranked, per output: factor, label and the method's
 * measures with their intervals, as an aligned table (Chinese counts two
 * columns), Markdown, one long CSV table (every measure at full
 * precision), or one JSON document (docs/sensitivity.md gives its
 * shape; the measures under the CSV's names).  PS_ERR_USAGE for an
 * unknown format; PS_ERR_NOMEM; PS_ERR_IO when writing to `out` fails.
 */
ps_status ps_h5_sensitivity_print(FILE *out, const ps_h5_sensitivity *s,
                                  ps_h5_format fmt, ps_error *err);

/*
 * Reads the /sensitivity group of `path` (as ps_h5_sink_write_sensitivity
 * wrote it) into *out, a new ps_h5_sensitivity that owns its arrays and
 * texts; the caller frees it with ps_h5_sensitivity_free.  *out is NULL
 * (and PS_OK returned) when the file has no such group.  PS_ERR_NOINPUT
 * when the file cannot be opened; PS_ERR_DATA when the group is there but
 * incomplete (an unknown method, a missing measure, ranks that are not a
 * ranking); PS_ERR_NOMEM.
 */
ps_status ps_h5_sensitivity_read(const char *path, ps_h5_sensitivity **out,
                                 ps_error *err);

/* Frees what ps_h5_sensitivity_read returned and sets *s to NULL; only
   for results it returned.  NULL is fine. */
void ps_h5_sensitivity_free(ps_h5_sensitivity **s);

/* ---------------------------------------------------------------------
 * Scenario discovery (plansim discover)
 * --------------------------------------------------------------------- */

/* An uncertain input as stored in the file. */
typedef struct ps_h5_discover_input {
    char *name, *label, *source, *distribution; /* "" when absent */
} ps_h5_discover_input;

/* What scenario discovery needs from an ensemble file: one target, its
   variable in every usable run, and the inputs of those runs.  Plain
   data, owned by the caller; text is "" when the file does not have it. */
typedef struct ps_h5_discover_data {
    char *title, *time_units;
    /* The target, as defined in /summary. */
    char *target, *target_label;
    char *variable;    /* model name of the target's variable */
    char *units;       /* the variable's unit text            */
    double time;
    ps_sc_compare compare;
    double lo, hi;     /* the unused bound is NaN */
    /* The runs. */
    long long runs;    /* in the file                          */
    long long runs_ok; /* whose run_status is ok               */
    size_t n;          /* ok runs whose value and inputs are finite: the
                          rows below, in run order             */
    long long *run;    /* [n] run index of each row            */
    double *value;     /* [n] the variable at the target's time */
    unsigned char *met; /* [n] 1 when the target's rule holds  */
    size_t ninputs;    /* 0 when the ensemble has no uncertain inputs */
    ps_h5_discover_input *inputs; /* [ninputs]              */
    double *x;         /* [n * ninputs]: x[i * ninputs + j] is input j
                          in row i (param_value of its run)  */
} ps_h5_discover_data;

/*
 * Reads the target named `target` (its identifier in /summary) of the
 * ensemble file `path`, the target's variable at the target's time in
 * every ok run, whether the rule holds, and the sampled inputs of those
 * runs.  Only the target definitions are needed from /summary, which the
 * sink writes when it opens the file, so an interrupted run's .partial
 * file can be read too.  Memory: param_value and one column of the
 * variable.  On success *out is new, owned by the caller (free with
 * ps_h5_discover_free).  PS_ERR_NOINPUT when the file cannot be opened;
 * PS_ERR_DATA when it is not an ensemble file, has no targets, has no
 * target of that name (the message lists the targets), or the target's
 * variable or time is not saved; PS_ERR_USAGE for a NULL target.
 */
ps_status ps_h5_discover_read(const char *path, const char *target,
                              ps_h5_discover_data **out, ps_error *err);

/* Frees what ps_h5_discover_read made; sets *d to NULL.  NULL is
   allowed. */
void ps_h5_discover_free(ps_h5_discover_data **d);

#ifdef __cplusplus
}
#endif
#endif
