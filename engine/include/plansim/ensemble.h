/*
 * plansim: Monte Carlo ensembles.
 *
 * ps_ensemble_run() runs a compiled program once per run with that run's
 * input values, in parallel (OpenMP), and hands every finished run to one
 * sink (an output file) from one thread.  Work is taken in blocks of
 * consecutive runs; finished blocks wait in a bounded pool until the
 * writer takes them, so memory stays flat whatever the number of runs.
 * Each run depends only on (program, its inputs, seed, run index): the
 * results are bit-identical at any thread count.
 */
#ifndef PLANSIM_ENSEMBLE_H
#define PLANSIM_ENSEMBLE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "plansim/element.h"
#include "plansim/program.h"
#include "plansim/sim.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* run_status values */
enum {
    PS_RUN_PENDING = 0,  /* not computed (the file's fill value)        */
    PS_RUN_OK = 1,
    PS_RUN_FAILED = 2    /* non-finite value, integration failure, or
                            time settings the run cannot use         */
};

/* The shape of what the sink receives.  It and its arrays stay valid
   until the sink's end returns.  A saved variable contributes one series
   (a row of ntimes values) per element: a scalar one, a subscripted
   variable ps_program_var_size() consecutive series, row-major over its
   ranges.  For a model without subscripts nseries == nsave and series v
   is saved variable v. */
typedef struct ps_ensemble_layout {
    size_t nruns;
    size_t ntimes;
    const double *times;   /* ntimes saved times                       */
    size_t nsave;          /* saved variables                          */
    const size_t *save;    /* their program variable indices           */
    size_t ninputs;
    size_t block;          /* runs per block handed to the sink (the
                              last block may be shorter)              */
    size_t nseries;        /* series per run: the sum of sizes         */
    const size_t *sizes;   /* nsave: elements of each saved variable,
                              or NULL when each is one series (then
                              nseries is nsave: ps_ensemble_run always
                              sets them, a hand-made layout may not)  */
    const size_t *offset;  /* nsave: its first series (NULL with sizes) */
} ps_ensemble_layout;

/*
 * An output sink.  All calls come from one thread (the caller of
 * ps_ensemble_run), begin first and end last.  write_block receives runs
 * [first, first + count) in any block order (never split): status[r] per
 * run and values laid out as values[(r * nseries + s) * ntimes + t] (NaN
 * after a failure), where element e of saved variable v is series
 * offset[v] + e.  inputs holds the runs' input values,
 * inputs[r * ninputs + j] (NULL when ninputs is 0).  The arrays are only
 * lent for the call.
 * When begin fails nothing else is called.  Otherwise end is called
 * exactly once, also after a cancellation, a fatal error or a failed
 * write_block (then it should only release what the sink holds): a sink
 * tells a complete ensemble by counting the runs it received.
 */
typedef struct ps_sink_type {
    const char *name;
    ps_status (*begin)(void *sink, const ps_ensemble_layout *layout,
                       ps_error *err);
    ps_status (*write_block)(void *sink, size_t first, size_t count,
                             const unsigned char *status,
                             const double *values, const double *inputs,
                             ps_error *err);
    ps_status (*end)(void *sink, ps_error *err);
} ps_sink_type;

/* The series of element `elem` of saved program variable `var` in a
   layout's values: offset[v] + elem for the saved variable v that is
   `var`.  SIZE_MAX when `var` is not saved or has no such element. */
size_t ps_ensemble_layout_series(const ps_ensemble_layout *layout, size_t var,
                                 size_t elem);

/* Where an input goes: element `element` (row-major; PS_ALL_ELEMENTS from
   plansim/element.h:
   every element) of constant `var` takes the value of column `input` of
   the run's input row.  One input may feed several slots: one draw
   shared by several elements or variables. */
typedef struct ps_input_slot {
    size_t input;
    size_t var;
    size_t element;
} ps_input_slot;

/* One block of consecutive runs as it travels from the process that ran
   it to the one that writes it (ps_ensemble_spread).  The arrays are laid
   out as ps_sink_type's write_block has them; the failure fields are
   those of the block's runs (first_failure is set when failed > 0). */
typedef struct ps_ensemble_block {
    size_t first, count;
    const unsigned char *status; /* count run statuses                 */
    const double *values;        /* count * nseries * ntimes values    */
    const double *inputs;        /* count * ninputs values, or NULL    */
    size_t nvalues;              /* values per run: nseries * ntimes   */
    size_t ninputs;              /* inputs per run                     */
    size_t failed;               /* failed runs                        */
    size_t first_failed;         /* the lowest of them                 */
    ps_error first_failure;      /* its error, "run N: ..."            */
    double seconds_inputs;       /* thread-seconds drawing its inputs  */
    double seconds_model;        /* thread-seconds running it          */
} ps_ensemble_block;

/* Hands one received block to the writer's sink (ps_ensemble_run's). */
typedef ps_status (*ps_ensemble_deliver)(void *ctx,
                                         const ps_ensemble_block *block,
                                         ps_error *err);

/*
 * One ensemble spread over several processes that all call
 * ps_ensemble_run with the same spec (the library plansim_cluster makes
 * one over MPI).  One process is the writer: it deals the blocks, and
 * hands every block, run elsewhere, to its sink.  The others are
 * workers: they run the blocks they are dealt, send them to the writer,
 * and call no sink (theirs may be NULL).  Since a run depends only on
 * the program, its inputs, the seed and its index, the sink receives
 * what one process would have given it.
 *
 * The functions, all given ctx:
 *   begin       every process, once the plan is made and before any
 *               block: the writer passes its runs to skip in *skip (or
 *               NULL), and a worker receives them there (owned by ctx).
 *   serve       writer: deals blocks to workers as they ask, passes
 *               each block they send to deliver(deliver_ctx, ...),
 *               until every worker has finished.  With *stop set (or
 *               cancel, when not NULL, set) it deals no more blocks.  A
 *               deliver error stops the dealing too (the blocks still
 *               arriving are dropped) and is returned; so is the first
 *               error a worker finished with.  *interrupted is set when a
 *               worker stopped on its own cancellation.
 *   next_block  worker, from any thread: the next block to run, or
 *               SIZE_MAX when no block is left.
 *   send        worker, from one thread: a finished block to the writer.
 *   finish      worker, after its last block: how it ended (PS_OK, or
 *               the error in *why that stopped it).
 *   share       every process, after an ensemble: the writer's `bytes`
 *               at buf copied into every worker's buf (for results all
 *               processes need, such as a calibration's likelihoods).
 *   load        writer, after serve: the workers' shares of the last
 *               ensemble, runs[w] and model thread-seconds[w] for worker
 *               w (arrays owned by ctx), and the bytes received in
 *               *bytes; returns the number of workers.
 */
typedef struct ps_ensemble_spread {
    void *ctx;
    int writer;
    ps_status (*begin)(void *ctx, size_t nruns, size_t nblocks,
                       const unsigned char **skip, ps_error *err);
    ps_status (*serve)(void *ctx, const int *stop,
                       volatile sig_atomic_t *cancel,
                       ps_ensemble_deliver deliver, void *deliver_ctx,
                       int *interrupted, ps_error *err);
    size_t (*next_block)(void *ctx);
    ps_status (*send)(void *ctx, const ps_ensemble_block *block, ps_error *err);
    ps_status (*finish)(void *ctx, ps_status st, const ps_error *why,
                        ps_error *err);
    ps_status (*share)(void *ctx, void *buf, size_t bytes, ps_error *err);
    size_t (*load)(void *ctx, const size_t **runs, const double **seconds,
                   double *bytes);
} ps_ensemble_spread;

/* Whether this process is a worker of `spread`: it runs dealt blocks and
   writes nothing (NULL, one process, is not). */
static inline int ps_ensemble_spread_worker(const ps_ensemble_spread *spread)
{
    return spread && !spread->writer;
}

typedef struct ps_ensemble_spec {
    const ps_program *prog;
    /* Method and tolerances.  sim.overrides apply to every run (inputs
       win over them); an override may name a whole variable ("capacity":
       every element) or one element as Vensim writes it ("capacity[新材料]",
       see ps_element_find); sim.seed and sim.run are not used. */
    ps_sim_options sim;
    size_t nruns;
    uint64_t seed;
    size_t ninputs;
    const size_t *input_vars;  /* program variable of each input (constants):
                                  input j sets every element of
                                  input_vars[j] ...                       */
    size_t nslots;             /* ... unless slots are given, which then */
    const ps_input_slot *slots; /* say where each input goes (input_vars
                                  is not used)                           */
    const double *inputs;      /* nruns x ninputs values, row-major, or   */
    /* ... instead of a matrix, a function writing the input rows of runs
       [first, first + count) into out[count * ninputs].  Called from any
       thread, concurrently, for blocks in any order: it must be a pure
       function of its arguments.  With it, no nruns x ninputs matrix is
       needed, so memory stays bounded whatever the number of runs.  When
       set, `inputs` is ignored. */
    ps_status (*fill_inputs)(void *ctx, size_t first, size_t count,
                             double *out, ps_error *err);
    void *inputs_ctx;
    size_t nsave;
    const size_t *save_vars;   /* program variables to save              */
    int threads;               /* 0: OpenMP's default; never more than
                                  there are blocks                        */
    /* Runs per block; 0: about 512 KiB of values per block, but at least
       32 blocks when the ensemble is smaller (so every thread gets work),
       and at least one run.  The choice depends only on nruns, the saved
       series and the saved times, not on the thread count. */
    size_t block;
    /* Called on the writer thread after each block that wrote runs, with
       the runs done so far (skipped runs included); may be NULL. */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
    /* Set asynchronously (e.g. by a SIGINT handler) to stop early; may be
       NULL.  Polled between runs: no new block is started, and a block in
       progress stops after its current run and is written with the runs
       it finished (a short block). */
    volatile sig_atomic_t *cancel;
    /* Runs already in the sink (resuming an interrupted ensemble): nruns
       flags, nonzero for a run that is neither computed nor handed to the
       sink; NULL: none.  The runs of a block that are not skipped are
       handed to the sink as stretches of consecutive runs, so with `skip`
       a block may arrive in several write_block calls. */
    const unsigned char *skip;
    /* Several processes share the ensemble (ps_ensemble_spread); NULL:
       this process runs every block.  Every process must give the same
       spec, spread aside. */
    const ps_ensemble_spread *spread;
} ps_ensemble_spec;

/* What happened, for the command to report. */
typedef struct ps_ensemble_report {
    size_t done;               /* runs computed and written (by this call:
                                  skipped runs are not counted)           */
    size_t skipped;            /* runs skipped (spec->skip)               */
    size_t failed;             /* of which failed                        */
    size_t first_failed;       /* lowest failed run; SIZE_MAX when none   */
    ps_error first_failure;    /* its error: "run N: ..." with the time and
                                  variable (set when failed > 0)         */
    int cancelled;             /* runs were left undone by spec->cancel;
                                  `done` runs were written, each whole,
                                  the others left pending               */
    double seconds_inputs;     /* thread-seconds drawing the inputs of the
                                  runs written (fill_inputs)             */
    double seconds_model;      /* thread-seconds running them            */
    double seconds_writing;    /* seconds in the sink's write_block      */
} ps_ensemble_report;

/*
 * Runs the ensemble into `sink`.  Each thread reuses one instance and one
 * stepper (adaptive steppers are made afresh for every run, since they
 * carry their step size from call to call); at most 2 x threads + 2
 * blocks are in memory at once, whatever nruns is.
 *
 * Failed runs (a value not finite, an integration failure, time settings
 * that the run's inputs make impossible or different from the other
 * runs') do not stop the ensemble: they are marked PS_RUN_FAILED, keep
 * the rows saved before the failure, and are counted in the report.  All
 * runs must share their time settings: those of the first run that can
 * start.
 *
 * Returns PS_OK when every run was attempted; PS_ERR_INTERRUPTED when
 * cancelled; PS_ERR_USAGE for a program whose time settings change
 * during a run (ps_program_dynamic_time), an unknown method, an override or
 * input that is not a constant of the model (or names no element of it), a slot
 * naming no input, a saved variable that is missing or a lookup, or a negative
 * thread count (then the sink is not called); the error of begin, write_block
 * or end (after a write_block error nothing more is written); PS_ERR_NOMEM.
 * `report` and `err` may be NULL.
 *
 * With spec->spread, the writer's report counts every run written; a
 * worker's, the runs it ran, and its sink (may be NULL) is not called.
 * A worker returns PS_ERR_INTERRUPTED when its own cancel flag stopped
 * it, and the error of the spread's functions.
 */
ps_status ps_ensemble_run(const ps_ensemble_spec *spec,
                          const ps_sink_type *sink_type, void *sink,
                          ps_ensemble_report *report, ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
