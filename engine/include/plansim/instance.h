/*
 * plansim: the mutable state of one run of a compiled program.
 *
 * A ps_program is shared and immutable; a ps_instance holds everything one
 * run changes: the value of every variable, the stocks, the ring buffers of
 * fixed delays and the held values of SAMPLE IF TRUE.  One instance is used
 * by one thread at a time.  The life of an instance:
 *
 *   ps_instance_new → [ps_instance_override]... → ps_instance_init →
 *   per step k: ps_instance_begin_step → ps_instance_eval (at t_k, y_k)
 *               → read values / save → ps_instance_end_step → integrate y
 *               (calling ps_instance_eval at intermediate points)
 *
 * Stocks (the integrator's state vector y) include the hidden stocks of
 * SMOOTH and DELAY builtins.
 */
#ifndef PLANSIM_INSTANCE_H
#define PLANSIM_INSTANCE_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/program.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_instance ps_instance;

/* A new instance of `prog` (which must outlive it); the caller owns it.
   NULL when memory runs out. */
ps_instance *ps_instance_new(const ps_program *prog);

/* The program the instance runs. */
const ps_program *ps_instance_program(const ps_instance *inst);

/* Frees an instance and sets *inst to NULL.  NULL is allowed. */
void ps_instance_free(ps_instance **inst);

/*
 * Replaces constant `var` (a ps_program variable index) with `value` for
 * the next ps_instance_init: everything computed from it at start-up sees
 * the new value.  PS_ERR_USAGE when the variable is not a constant.
 * Overrides stay until ps_instance_clear_overrides().
 */
ps_status ps_instance_override(ps_instance *inst, size_t var, double value,
                               ps_error *err);

/* As ps_instance_override for one element (row-major index) of a
   subscripted constant; ps_instance_override sets every element. */
ps_status ps_instance_override_element(ps_instance *inst, size_t var,
                                       size_t element, double value,
                                       ps_error *err);

/* Forgets every override. */
void ps_instance_clear_overrides(ps_instance *inst);

/*
 * Computes the initial value of everything at INITIAL TIME: constants
 * (or their overrides), initial stocks, INITIAL() values, the starting
 * state of delays.  RANDOM builtins draw from (seed, run).  Fails with
 * PS_ERR_NONFINITE naming the variable when an initial value is not finite,
 * or PS_ERR_DATA when the time settings are impossible (TIME STEP <= 0,
 * FINAL TIME < INITIAL TIME, SAVEPER not positive, more than PS_MAX_STEPS
 * steps), at the model's line for the setting.
 */
ps_status ps_instance_init(ps_instance *inst, uint64_t seed, uint64_t run,
                           ps_error *err);

/* The time settings read at initialisation. */
typedef struct ps_time_settings {
    double initial_time, final_time, time_step, saveper;
} ps_time_settings;
const ps_time_settings *ps_instance_time(const ps_instance *inst);

/* The most time steps one run may take (10^8): a run that would take more
   is refused at its time settings before it starts. */
#define PS_MAX_STEPS 100000000ull

/*
 * The number of time steps from INITIAL TIME to FINAL TIME of `ts`, as the
 * step loop takes them: returns 0 with *steps set when it is a finite
 * number of at most PS_MAX_STEPS, else -1 with *steps = PS_MAX_STEPS + 1
 * (NaN or infinite settings, a TIME STEP that is not positive, a FINAL
 * TIME before INITIAL TIME, or too many steps).  Never overflows.
 */
int ps_time_step_count(const ps_time_settings *ts, uint64_t *steps);

/* The time settings as the last evaluation left them: FINAL TIME, TIME
   STEP and SAVEPER may change during a run (ps_program_dynamic_time). */
void ps_instance_time_now(const ps_instance *inst, ps_time_settings *out);

/* Number of stocks, and the stock vector (length ps_instance_dim) holding
   their values after init; the integrator advances it in place. */
size_t ps_instance_dim(const ps_instance *inst);
double *ps_instance_stocks(ps_instance *inst);

/* Starts step k at time t_k: fixed delays take their value for the step,
   and STEP/PULSE/RAMP/RANDOM see t_k for the whole step. */
void ps_instance_begin_step(ps_instance *inst, uint64_t k, double t);

/*
 * Evaluates every auxiliary at time t with stock values y (NULL = the
 * instance's own stocks) and writes the stocks' net rates into dydt (may be
 * NULL).  Returns 0, or -1 when a value is not finite; then
 * ps_instance_bad_var() tells which.  Usable as an integrator right-hand
 * side.
 */
int ps_instance_eval(ps_instance *inst, double t, const double y[],
                     double dydt[]);

/* After ps_instance_eval at t_k and before integrating: SAMPLE IF TRUE
   keeps its value and fixed delays record their input. */
void ps_instance_end_step(ps_instance *inst);

/* The current value of program variable `var` (its first element). */
double ps_instance_value(const ps_instance *inst, size_t var);

/* The current value of element `e` (row-major) of variable `var`. */
double ps_instance_element(const ps_instance *inst, size_t var, size_t e);

/* Copies the values of every program variable, in program order, into
   out[0..ps_program_var_count). */
void ps_instance_values(const ps_instance *inst, double out[]);

/* Display name of the first variable found non-finite by the last eval
   (or init), or of stock `component`'s variable with
   ps_instance_stock_name.  Hidden state is named after the model variable
   whose builtin owns it ("smoothed income (SMOOTH3 stage 2)"). */
const char *ps_instance_bad_var(const ps_instance *inst);
const char *ps_instance_stock_name(const ps_instance *inst, size_t component);

#ifdef __cplusplus
}
#endif
#endif
