/*
 * Monte Carlo driver internals, shared by the files of engine/mc:
 *
 *   plan.c    checks a spec once and fixes what every run shares (method,
 *             time settings, saved times, block size);
 *   runner.c  one thread's instance and stepper, and the runs of a block;
 *   pool.c    the bounded set of block buffers (no locking of its own);
 *   ensemble.c  the OpenMP region, the single writer, ps_ensemble_run.
 *
 * Only ensemble.c includes omp.h; runner.c reads the abort flag with an
 * OpenMP atomic.
 */
#ifndef PLANSIM_MC_IMPL_H
#define PLANSIM_MC_IMPL_H

#include <stddef.h>

#include "plansim/ensemble.h"
#include "plansim/instance.h"
#include "plansim/integ.h"

/* Everything the runs share, fixed before the first one. */
typedef struct mc_plan {
    const ps_ensemble_spec *spec;
    const ps_stepper_type *method;
    size_t nfixed;            /* spec->sim.overrides and
                                 overrides_at, resolved:        */
    size_t *fixed_vars;       /*   their program variables,     */
    size_t *fixed_elems;      /*   elements (PS_ALL_ELEMENTS)   */
    double *fixed_values;     /*   and values                   */
    size_t *sizes;            /* elements of each saved variable */
    size_t *offset;           /* its first series               */
    size_t nseries;           /* series per run                 */
    ps_time_settings time;    /* every run's time settings      */
    double *times;            /* the ntimes saved times         */
    size_t run_values;        /* nseries * ntimes               */
    size_t block;             /* runs per block                 */
    size_t nblocks;
    ps_ensemble_layout layout;
} mc_plan;

/*
 * Checks `spec` (method, tolerances, fixed overrides, input and saved
 * variables) and fills `plan`.  The time settings come from the first run
 * whose inputs let the model initialise, or else from the model's own
 * values.  On failure the plan holds nothing to free.  `spec` must outlive
 * the plan.
 */
ps_status mc_plan_init(mc_plan *plan, const ps_ensemble_spec *spec,
                       ps_error *err);

/* Frees what the plan owns.  NULL is allowed. */
void mc_plan_free(mc_plan *plan);

/* Gives `inst` the fixed overrides and, when `row` is not NULL, one run's
   input values (replacing any earlier ones). */
ps_status mc_plan_set_overrides(const mc_plan *plan, ps_instance *inst,
                                const double *row, ps_error *err);

/* Copies `src` into `dst` with the message prefixed "run N: " and, when
   the error names no file, the model's `path`. */
void mc_name_run_error(ps_error *dst, const ps_error *src, size_t run,
                       const char *path);

/* Writes the input rows of runs [first, first + count) into out, from
   the spec's matrix or its fill_inputs function. */
ps_status mc_plan_input_rows(const mc_plan *plan, size_t first, size_t count,
                             double *out, ps_error *err);

/* The run count of block k (the last block may be short). */
size_t mc_plan_block_count(const mc_plan *plan, size_t k);

/* A buffer for one block of runs, laid out as ps_sink_type expects. */
typedef enum mc_block_state {
    MC_BLOCK_FREE,
    MC_BLOCK_FILLING, /* a thread is running its runs      */
    MC_BLOCK_READY,   /* finished, waiting for the writer  */
    MC_BLOCK_WRITING  /* in the writer's hands             */
} mc_block_state;

typedef struct mc_block {
    mc_block_state state;
    size_t first, count;
    unsigned char *status;   /* count run statuses                     */
    double *values;          /* count * run_values values              */
    double *inputs;          /* count * ninputs input values           */
    size_t failed;           /* failed runs in the block               */
    double seconds_inputs;   /* spent drawing its inputs               */
    double seconds_model;    /* spent running its runs                 */
    size_t first_failed;     /* the lowest of them                     */
    ps_error failure;        /* its error, "run N: ..."                */
} mc_block;

/*
 * At most `cap` buffers of `runs` runs each, allocated when first needed
 * and kept until mc_pool_free, so memory never grows past cap buffers.
 * Not thread-safe: the caller serialises every call.
 */
typedef struct mc_pool {
    mc_block *blocks;
    size_t cap, n;
    size_t runs, run_values, ninputs;
    size_t nready;
} mc_pool;

/* Sets up an empty pool; PS_ERR_NOMEM when the table cannot be made. */
ps_status mc_pool_init(mc_pool *pool, size_t cap, size_t runs,
                       size_t run_values, size_t ninputs, ps_error *err);
void mc_pool_free(mc_pool *pool);

/* A free buffer, now FILLING; a new one while fewer than cap exist.
   NULL when all are in use, or (with *st = PS_ERR_NOMEM) when a new one
   cannot be allocated. */
mc_block *mc_pool_acquire(mc_pool *pool, ps_status *st);

/* FILLING -> READY. */
void mc_pool_ready(mc_pool *pool, mc_block *b);

/* The READY buffer with the lowest first run, now WRITING; NULL if none. */
mc_block *mc_pool_take_ready(mc_pool *pool);

/* Any state -> FREE. */
void mc_pool_release(mc_pool *pool, mc_block *b);

/* One thread's reusable run state. */
typedef struct mc_runner mc_runner;

/* A runner for `plan` (which must outlive it): an instance with the fixed
   overrides set and a stepper.  NULL with `err` filled on no memory. */
mc_runner *mc_runner_new(const mc_plan *plan, ps_error *err);
void mc_runner_free(mc_runner **r);

/*
 * Runs block k into `b` (status, values, failures).  A run that fails is
 * marked PS_RUN_FAILED and the block goes on.  Before each run *abort is
 * read: when it is set the block is left unfinished and PS_ERR_INTERRUPTED
 * returned.  Other errors (no memory) are fatal to the ensemble.
 */
ps_status mc_run_block(mc_runner *r, size_t k, mc_block *b, const int *abort,
                       ps_error *err);

#endif
