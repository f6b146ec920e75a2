/*
 * A runner: one thread's instance and stepper, reused run after run, and
 * the runs of one block.  Run r's values depend only on the program, its
 * input row, the seed and r: the instance is re-initialised from scratch
 * for every run, and adaptive steppers, which carry their last inner step
 * size from one call to the next, are made afresh for every run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mc_impl.h"
#include "plansim/sim.h"

struct mc_runner {
    const mc_plan *plan;
    ps_instance *inst;
    ps_stepper *stepper;
};

/* Seconds on the monotonic clock. */
static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void mc_name_run_error(ps_error *dst, const ps_error *src, size_t run,
                       const char *path)
{
    /* "run " + at most 20 digits + ": " leaves this much of the message
       (cut short at the end when it is longer). */
    enum { KEEP = PS_ERROR_MESSAGE_MAX - 27 };
    *dst = *src;
    snprintf(dst->message, sizeof dst->message, "run %zu: %.*s", run,
             (int)KEEP, src->message);
    if (!dst->file[0] && path)
        snprintf(dst->file, sizeof dst->file, "%s", path);
}

static ps_stepper *new_stepper(const mc_plan *plan, const ps_instance *inst)
{
    return ps_stepper_new(plan->method, ps_instance_dim(inst),
                          &plan->spec->sim.integ);
}

mc_runner *mc_runner_new(const mc_plan *plan, ps_error *err)
{
    mc_runner *r = calloc(1, sizeof *r);
    if (r) {
        r->plan = plan;
        r->inst = ps_instance_new(plan->spec->prog);
        if (r->inst)
            r->stepper = new_stepper(plan, r->inst);
    }
    if (!r || !r->stepper) {
        mc_runner_free(&r);
        ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    return r;
}

void mc_runner_free(mc_runner **r)
{
    if (!r || !*r)
        return;
    ps_instance_free(&(*r)->inst);
    ps_stepper_free(&(*r)->stepper);
    free(*r);
    *r = NULL;
}

/* Where a run's saved rows go: values[(offset[v] + e) * ntimes + row]. */
typedef struct run_out {
    double *values;
    const size_t *vars;
    const size_t *sizes, *offset;
    size_t nsave, nseries, ntimes;
    const ps_time_settings *expect;
    size_t rows;      /* rows saved so far         */
    int other_times;  /* the run's times differ    */
} run_out;

static int same_times(const ps_time_settings *a, const ps_time_settings *b)
{
    return a->initial_time == b->initial_time &&
           a->final_time == b->final_time && a->time_step == b->time_step &&
           a->saveper == b->saveper;
}

static int save_row(void *ctx, size_t row, double t, const ps_instance *inst)
{
    run_out *o = ctx;
    (void)t;
    /* The sink has one time axis: a run whose inputs move it cannot be
       stored, and is stopped before its first row. */
    if (row == 0 && !same_times(ps_instance_time(inst), o->expect)) {
        o->other_times = 1;
        return 1;
    }
    if (row >= o->ntimes) {
        o->other_times = 1;
        return 1;
    }
    for (size_t v = 0; v < o->nsave; v++) {
        double *out = o->values + o->offset[v] * o->ntimes + row;
        if (o->sizes[v] == 1) {
            *out = ps_instance_value(inst, o->vars[v]);
            continue;
        }
        for (size_t e = 0; e < o->sizes[v]; e++)
            out[e * o->ntimes] = ps_instance_element(inst, o->vars[v], e);
    }
    o->rows = row + 1;
    return 0;
}

static ps_status other_times(const run_out *o, const ps_instance *inst,
                             ps_error *err)
{
    const ps_time_settings *a = ps_instance_time(inst), *b = o->expect;
    return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                        "its time settings (INITIAL TIME %g, FINAL TIME %g, "
                        "TIME STEP %g, SAVEPER %g) differ from the "
                        "ensemble's (%g, %g, %g, %g)",
                        a->initial_time, a->final_time, a->time_step,
                        a->saveper, b->initial_time, b->final_time,
                        b->time_step, b->saveper);
}

/* Runs run `run` into `values`.  A failed run keeps the rows it saved and
   NaN after them; only errors fatal to the ensemble are returned, a run's
   own failure goes to *run_st and run_err. */
static ps_status run_one(mc_runner *r, size_t run, const double *row,
                         double *values, ps_status *run_st, ps_error *run_err,
                         ps_error *err)
{
    const mc_plan *plan = r->plan;
    const ps_ensemble_spec *spec = plan->spec;
    ps_status st = mc_plan_set_overrides(plan, r->inst, row, err);
    if (st != PS_OK)
        return st;
    if (plan->method->adaptive) {
        ps_stepper_free(&r->stepper);
        r->stepper = new_stepper(plan, r->inst);
        if (!r->stepper)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                                "out of memory");
    }
    run_out o = {values,         spec->save_vars,     plan->sizes,
                 plan->offset,   spec->nsave,         plan->nseries,
                 plan->layout.ntimes, &plan->time, 0, 0};
    st = ps_sim_run_instance(r->inst, r->stepper, spec->seed, run, save_row,
                             &o, run_err);
    if (st == PS_ERR_INTERRUPTED && o.other_times)
        st = other_times(&o, r->inst, run_err);
    /* Running out of memory, or a broken invariant, is not the run's
       fault: it stops the ensemble. */
    if (st == PS_ERR_NOMEM || st == PS_ERR_INTERNAL) {
        if (err)
            *err = *run_err;
        return st;
    }
    for (size_t v = 0; v < o.nseries; v++)
        for (size_t t = o.rows; t < o.ntimes; t++)
            values[v * o.ntimes + t] = NAN;
    *run_st = st;
    return PS_OK;
}

/* The runs of block b, its inputs drawn. */
static ps_status run_runs(mc_runner *r, mc_block *b, const int *abort,
                          volatile sig_atomic_t *cancel, ps_error *err)
{
    const mc_plan *plan = r->plan;
    size_t ninputs = plan->spec->ninputs;
    const unsigned char *skip = plan->spec->skip;
    for (size_t i = 0; i < b->count; i++) {
        int stop;
#pragma omp atomic read
        stop = *abort;
        if (stop)
            return PS_ERR_INTERRUPTED;
        /* A cancellation is honoured between runs, not only between
           blocks: a block of slow runs could otherwise keep Ctrl-C waiting
           for minutes.  The runs finished so far are kept (a short
           block). */
        if (cancel && *cancel) {
            b->count = i;
            return PS_OK;
        }
        size_t run = b->first + i;
        if (skip && skip[run]) {
            b->status[i] = PS_RUN_PENDING;
            continue;
        }
        ps_status run_st = PS_OK;
        ps_error run_err;
        ps_status st =
            run_one(r, run, ninputs ? b->inputs + i * ninputs : NULL,
                    b->values + i * plan->run_values, &run_st, &run_err, err);
        if (st != PS_OK)
            return st;
        b->status[i] = run_st == PS_OK ? PS_RUN_OK : PS_RUN_FAILED;
        if (run_st != PS_OK && b->failed++ == 0) {
            b->first_failed = run;
            mc_name_run_error(&b->failure, &run_err, run,
                              ps_program_path(plan->spec->prog));
        }
    }
    return PS_OK;
}

ps_status mc_run_block(mc_runner *r, size_t k, mc_block *b, const int *abort,
                       ps_error *err)
{
    const mc_plan *plan = r->plan;
    volatile sig_atomic_t *cancel = plan->spec->cancel;
    size_t ninputs = plan->spec->ninputs;
    b->first = k * plan->block;
    b->count = mc_plan_block_count(plan, k);
    b->failed = 0;
    b->seconds_inputs = b->seconds_model = 0.0;
    /* A block whose runs are all in the sink already needs no inputs. */
    const unsigned char *skip = plan->spec->skip;
    size_t todo = b->count;
    for (size_t i = 0; skip && i < b->count; i++)
        todo -= skip[b->first + i] != 0;
    for (size_t i = 0; todo == 0 && i < b->count; i++)
        b->status[i] = PS_RUN_PENDING;
    if (todo == 0)
        return PS_OK;
    double t0 = now_seconds();
    if (ninputs) {
        ps_status st =
            mc_plan_input_rows(plan, b->first, b->count, b->inputs, err);
        if (st != PS_OK)
            return st;
    }
    double t1 = now_seconds();
    b->seconds_inputs = t1 - t0;
    ps_status st = run_runs(r, b, abort, cancel, err);
    b->seconds_model = now_seconds() - t1;
    return st;
}
