/*
 * plansim-bench: what the benchmark files share.
 *
 * The program is a runner (run_bench.c) over a registry of benchmarks
 * (bench_list.h), one file per topic.  Each benchmark prints its figures
 * as one aligned line per model on stdout and returns 0, or prints a line
 * starting with "FAIL" and returns non-zero.  Figures are medians of timed
 * repetitions (bench_timing.c); nothing here asserts a speed.
 *
 * The models: "economy50" is bench/models/economy50.mdl, read from the
 * models folder; "gen2000" is generated in memory (gen2000.h).  Each
 * has a hand-coded C twin (a native_type) that computes the same equations
 * with the same Euler loop, so the engine can be compared with compiled C.
 */
#ifndef PLANSIM_BENCH_H
#define PLANSIM_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/ensemble.h"
#include "plansim/instance.h"
#include "plansim/integ.h"
#include "plansim/program.h"
#include "plansim/status.h"

/* ------------------------------------------------------------ options */

typedef struct bench_options {
    int quick;              /* --quick: a short smoke run, rough figures  */
    const char *models_dir; /* folder holding economy50.mdl               */
    const char *argv0;      /* how the program was started, for the
                               memory benchmark's child processes        */
    int million;            /* --million: the flagship benchmark also at
                               1,000,000 runs                            */
} bench_options;

/* ------------------------------------------------------------- timing */

/* CLOCK_MONOTONIC, in nanoseconds. */
double bench_now_ns(void);

/*
 * A piece of work measured in units (a run, a sweep of steps): does `n`
 * units and returns the nanoseconds spent in the part being measured (the
 * work times itself, so it can leave set-up out), or a negative value when
 * the work failed.
 */
typedef double (*bench_work_fn)(void *ctx, size_t n);

/* A measured figure. */
typedef struct bench_figure {
    double ns;     /* median over repetitions of ns per unit              */
    double spread; /* interquartile range of the repetitions / median:
                      a few hundredths on a quiet machine                 */
    size_t reps;   /* repetitions                                         */
} bench_figure;

/*
 * Measures `work`: warm-up, then repetitions of enough units each that a
 * repetition lasts a few milliseconds (--quick: fewer and shorter).
 * Returns 0 with the figure in *fig, or -1 when the work failed.
 */
int bench_measure(const bench_options *o, bench_work_fn work, void *ctx,
                  bench_figure *fig);

/* Most contenders bench_measure_interleaved takes. */
#define BENCH_MAX_CONTENDERS 4

/* Contenders measured in interleaved rounds. */
typedef struct bench_interleaved {
    size_t rounds;
    bench_figure fig[BENCH_MAX_CONTENDERS]; /* median ns per unit, spread */
    double min_ns[BENCH_MAX_CONTENDERS];    /* the fastest round          */
    /* median over rounds of (contender i / the last contender) in the
       same round: the last is the reference, its own ratio is 1 */
    double ratio[BENCH_MAX_CONTENDERS];
} bench_interleaved;

/*
 * Measures k (2..BENCH_MAX_CONTENDERS) pieces of work in rounds, A B C,
 * A B C, ...: each is calibrated and warmed up alone, then every round
 * runs each contender once, for its own number of units (about a
 * repetition's worth), so that a busy moment of the machine falls on all
 * of them alike.  The ratio of a round compares contenders measured a few
 * milliseconds apart; the median of those ratios is the figure to quote.
 * 0, or -1 when a work failed.
 */
int bench_measure_interleaved(const bench_options *o, size_t k,
                              bench_work_fn const work[], void *const ctx[],
                              bench_interleaved *out);

/*
 * The figure of n >= 1 samples measured by the caller (ns per unit, or
 * any other quantity): their median and spread.  Sorts samples in place.
 */
void bench_summarize(double *samples, size_t n, bench_figure *fig);

/* ------------------------------------------------------ native models */

typedef struct native_model native_model;

/*
 * A model hand-coded in C.  rhs() computes every auxiliary of the model at
 * time t from the stocks y, in the engine's order, stores each one (as the
 * engine stores every value) and writes the stocks' net rates into dydt.
 * y holds the model's stocks followed by the hidden stocks of its SMOOTHs.
 */
typedef struct native_type {
    const char *name;
    double initial_time, final_time, time_step;
    /* A new model with its parameters; NULL on no memory. */
    native_model *(*create)(void);
    /* Frees `m`; NULL is allowed. */
    void (*destroy)(native_model *m);
    size_t (*dim)(const native_model *m);
    /* The initial stocks into y[0..dim), as the engine computes them at
       INITIAL TIME. */
    void (*init)(native_model *m, double y[]);
    void (*rhs)(native_model *m, double t, const double y[], double dydt[]);
    /* The values checked against the engine after the last rhs() call:
       every model variable computed during a run (stocks and auxiliaries,
       not constants).  value_name writes the display name of value i into
       buf (size bytes) and returns buf. */
    size_t (*nvalues)(const native_model *m);
    const char *(*value_name)(const native_model *m, size_t i, char *buf,
                              size_t size);
    double (*value)(const native_model *m, const double y[], size_t i);
} native_type;

extern const native_type economy50_native;
extern const native_type gen2000_native;

/* ----------------------------------------------------------- the models */

/* The models every benchmark knows, by name. */
typedef struct bench_model {
    const char *name;          /* "economy50", "gen2000"                */
    const native_type *native; /* its hand-coded twin                   */
    /* Writes the model's text into a new buffer (0, or -1 on no memory);
       NULL for a model read from <models_dir>/<name>.mdl. */
    int (*generate)(char **text, size_t *len);
} bench_model;

extern const bench_model bench_models[];
extern const size_t bench_nmodels;

/* The model called `name`, or NULL. */
const bench_model *bench_model_find(const char *name);

/* The model's .mdl text in a new NUL-terminated buffer (*text, *len; the
   caller frees it) and the name its diagnostics use (into path).  On
   failure prints why on stderr and returns the status. */
ps_status bench_model_text(const bench_options *o, const bench_model *m,
                           char **text, size_t *len, char *path,
                           size_t path_size);

/* Parses model `m` (ps_model_load on its file, or ps_mdl_parse on its
   generated text) into *out, which the caller owns.  On failure prints
   the error on stderr and returns its status. */
ps_status bench_model_parse(const bench_options *o, const bench_model *m,
                            ps_model **out);

/* bench_model_parse then ps_program_compile; the caller owns *out. */
ps_status bench_model_compile(const bench_options *o, const bench_model *m,
                              ps_program **out);

/* The model equations evaluated every step: elements of model variables
   of class stock (one rate equation each) or flow/auxiliary.  Constants,
   lookups and the hidden state of builtins are not counted. */
size_t bench_step_equations(const ps_program *prog);

/* ------------------------------------------------------- the step loops */

/*
 * One run of a compiled model driven the way ps_simulate drives it, minus
 * the saving: for k = 0 .. nsteps-1, at t_k = t0 + k*dt,
 *   ps_instance_begin_step, ps_instance_eval (auxiliaries and rates at
 *   t_k), ps_instance_end_step, then the engine's Euler stepper
 *   (y += dt * rate, with its finiteness check).
 */
typedef struct engine_loop {
    ps_instance *inst;
    ps_stepper *stepper;
    double *dydt;
    double t0, dt;
    uint64_t nsteps;
    ps_error err; /* why the last call failed */
} engine_loop;

/* A loop over a new instance of `prog`, initialised; 0, or -1 with the
   reason in l->err (l must still be closed). */
int engine_loop_open(engine_loop *l, const ps_program *prog);
void engine_loop_close(engine_loop *l);
/* Back to INITIAL TIME (ps_instance_init).  0 or -1. */
int engine_loop_restart(engine_loop *l);
/* Steps 0 .. nsteps-1 from wherever the stocks are.  0 or -1. */
int engine_loop_steps(engine_loop *l);
/* Evaluates the auxiliaries at the final time t_nsteps, as the last saved
   row sees them.  0 or -1. */
int engine_loop_finish(engine_loop *l);

/* The same loop over a native model: rhs at t_k, then y += dt * dydt. */
typedef struct native_loop {
    const native_type *type;
    native_model *m;
    double *y, *dydt;
    size_t dim;
    uint64_t nsteps;
} native_loop;

/* 0, or -1 on no memory (l must still be closed). */
int native_loop_open(native_loop *l, const native_type *type);
void native_loop_close(native_loop *l);
void native_loop_restart(native_loop *l);
void native_loop_steps(native_loop *l);
void native_loop_finish(native_loop *l);

/* ------------------------------------------------------------ agreement */

/*
 * Runs the engine and the native twin over the whole horizon with the same
 * Euler loop and compares every native value with the engine's (relative
 * difference at most 1e-9), also against the last row ps_simulate saves.
 * Prints "FAIL <name>: ..." on stdout and returns -1 when they disagree or
 * either fails; returns 0 when they agree.
 */
int bench_check_agreement(const char *name, const ps_program *prog,
                          const native_type *nt);

/* ------------------------------------------------ Monte Carlo ensembles */

/*
 * economy50 as a Monte Carlo ensemble (bench_mc.c): four of its constants
 * are uncertain inputs, each run's values coming from a fill_inputs
 * function (a deterministic sequence over +-10 % around the model's
 * values), so no nruns x ninputs matrix is kept.
 */
#define BENCH_MC_NINPUTS 4

/* What an ensemble saves. */
typedef enum bench_mc_saving {
    BENCH_MC_SAVE_KEY, /* ten key variables: stocks, GDP, consumption...  */
    BENCH_MC_SAVE_ALL  /* every stock and flow/auxiliary of the model     */
} bench_mc_saving;

typedef struct bench_mc {
    const char *model; /* "economy50", for the table's first column     */
    ps_program *prog;
    size_t input_vars[BENCH_MC_NINPUTS];
    size_t nsave;
    size_t *save_vars; /* nsave program variables                       */
    size_t ntimes;     /* saved times of a run                          */
} bench_mc;

/* Compiles economy50 and chooses its inputs and saved variables, then runs
   a small ensemble as a check (no run may fail).  0; or -1 after printing
   a FAIL line, with *mc left closed. */
int bench_mc_open(const bench_options *o, bench_mc_saving saving, bench_mc *mc);
/* Frees what bench_mc_open made; a closed or zeroed mc is allowed. */
void bench_mc_close(bench_mc *mc);

/* The ensemble of `nruns` runs of mc on `threads` threads (0: OpenMP's
   default), block size chosen by the engine.  The spec points into mc. */
ps_ensemble_spec bench_mc_spec(const bench_mc *mc, size_t nruns, int threads);

/*
 * A sink that keeps nothing: it counts the runs it receives and folds
 * every value and its place into a checksum that does not depend on the
 * order of the blocks, so two ensembles can be compared.  Zero it before
 * each ensemble.
 */
typedef struct bench_null_sink {
    size_t nruns, nsave, ntimes; /* from the layout                      */
    size_t received;             /* runs received                        */
    uint64_t checksum;
} bench_null_sink;

extern const ps_sink_type bench_null_sink_type;

/*
 * Runs `spec` into a new HDF5 file `path` written with compression
 * `deflate_level` (0: none) and closes it without committing it, so the
 * file is left as path.partial (the commit's fsync times the disk, not
 * the writer).  *ns receives the time of the ensemble and the close;
 * *report the engine's report.  On failure the error is in *err.
 */
ps_status bench_mc_write_h5(const bench_mc *mc, const ps_ensemble_spec *spec,
                            const char *path, int deflate_level, double *ns,
                            ps_ensemble_report *report, ps_error *err);

/* Makes a new empty folder under $TMPDIR, or the system's temporary
   folder, writing its name into dir.  0, or -1 after printing why. */
int bench_tmpdir_make(char *dir, size_t size);
/* Removes the folder made by bench_tmpdir_make and every file in it. */
void bench_tmpdir_remove(const char *dir);

/* The child process of the memory benchmark: runs the ensemble of
   `nruns` runs into the HDF5 file `path` (nruns 0: only compiles the
   model) and returns its exit status (0, or 1 after printing the error
   on stderr). */
int bench_memory_child(const bench_options *o, size_t nruns, const char *path);

/* ---------------------------------------------------------- the table */

/* Prints a row: the model name in the first column, then the figures. */
/* Runs the program argv[0] with stdout into `outfile` and stderr into
   `errfile` (created or truncated); returns its exit status, or -1 when
   it could not run or did not exit. */
int bench_spawn_wait(char *const argv[], const char *outfile,
                     const char *errfile);

/* As bench_spawn_wait, also giving the child's peak resident memory in
   KiB (its own, from wait4, not its parent's or another child's). */
int bench_spawn_wait_rss(char *const argv[], const char *outfile,
                         const char *errfile, long *max_rss_kib);

void bench_row(const char *model, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "FAIL <model>: message" on stdout. */
void bench_fail(const char *model, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
