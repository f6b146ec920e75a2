/*
 * plansim: deterministic simulation of a compiled model.
 *
 * Runs a program from INITIAL TIME to FINAL TIME with Vensim's semantics:
 * auxiliaries are computed from the stocks at each TIME STEP, output is
 * saved every SAVEPER, and STEP/PULSE/RAMP and fixed delays hold their value
 * across a step under Runge-Kutta and adaptive methods.  Every step checks
 * that all values stay finite.
 */
#ifndef PLANSIM_SIM_H
#define PLANSIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/instance.h"
#include "plansim/integ.h"
#include "plansim/program.h"
#include "plansim/series.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A constant set from outside the model: --set NAME=VALUE. */
typedef struct ps_override {
    const char *name;
    double value;
} ps_override;

/* A constant set by program variable, for callers that find it once and
   set it many times: every element of `var` (element PS_ALL_ELEMENTS) or
   one, by its row-major index. */
typedef struct ps_override_at {
    size_t var;
    size_t element;
    double value;
} ps_override_at;

typedef struct ps_sim_options {
    const char *method;         /* stepper name; NULL means "euler"        */
    ps_integ_options integ;     /* tolerances of adaptive methods          */
    const ps_override *overrides; /* constants to replace, may be NULL     */
    size_t noverrides;
    uint64_t seed;              /* RANDOM builtins draw from (seed, run)   */
    uint64_t run;
    const ps_override_at *overrides_at; /* more constants to replace, by
                                           index, after `overrides`; may
                                           be NULL                       */
    size_t noverrides_at;
} ps_sim_options;

/* PS_OK when `o` names a variable of `prog` and, unless PS_ALL_ELEMENTS,
   one of its elements; else PS_ERR_USAGE saying which does not exist. */
ps_status ps_override_at_check(const ps_program *prog, const ps_override_at *o,
                               ps_error *err);

/* Fills `opts` with the defaults: Euler, default tolerances, no overrides,
   seed 0, run 0. */
void ps_sim_options_default(ps_sim_options *opts);

/*
 * Simulates `prog` once.  *out receives one column per model variable (in
 * program order, lookups left out) and one row per saved time; the caller
 * owns it.  An override naming no constant fails with PS_ERR_USAGE.  A
 * value that turns NaN or infinite fails with PS_ERR_NONFINITE and `err`
 * names the time and the first variable that went bad; *out then holds
 * the rows saved before the failure (nothing computed is lost) and must
 * still be freed.
 */
ps_status ps_simulate(const ps_program *prog, const ps_sim_options *opts,
                      ps_series **out, ps_error *err);

/*
 * The saved times of a run with settings `ts`: returns their number and,
 * when `times` is not NULL, writes them (times[i] = INITIAL TIME + i *
 * SAVEPER, rounded to whole time steps, up to FINAL TIME).
 */
size_t ps_sim_saved_times(const ps_time_settings *ts, double *times);

/* Receives each saved time: row index, time, and the instance holding
   every value at that time.  A non-zero return stops the run. */
typedef int (*ps_save_fn)(void *ctx, size_t row, double t,
                          const ps_instance *inst);

/*
 * Runs an instance whose overrides are already set: initialises it with
 * (seed, run), steps it with `stepper` (created for ps_instance_dim
 * stocks) and calls `save` at each saved time.  The building block of
 * ps_simulate and of ensembles.  Errors as ps_simulate; a save callback
 * that stops the run gives PS_ERR_INTERRUPTED.
 */
ps_status ps_sim_run_instance(ps_instance *inst, ps_stepper *stepper,
                              uint64_t seed, uint64_t run, ps_save_fn save,
                              void *ctx, ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
