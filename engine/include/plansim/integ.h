/*
 * plansim: numerical integrators.
 *
 * The integrator knows nothing of models: it advances a state vector y of a
 * ps_system through one outer step [t, t+h].  Fixed-step methods (Euler,
 * RK4) take that step directly; adaptive methods (GSL's rkf45, rk8pd and the
 * stiff msbdf) take as many inner steps as their tolerances need and land
 * exactly on t+h.  A method is a const vtable (ps_stepper_type); an instance
 * is a ps_stepper.
 *
 * A step is a transaction: when it fails, y is left exactly as it was.
 *
 * Failures carry the simulated time in the ps_error (has_time = 1):
 *   - a state that turns NaN or infinite: the time the state reached (t+h
 *     for a fixed step, the end of the inner step for an adaptive one);
 *   - a right-hand side that fails, or whose rates are not finite at every
 *     step size an adaptive method tries: the time it was called at;
 *   - an adaptive method that cannot meet its tolerances or limits: the
 *     inner time it was stuck at (the message gives the step size).
 *
 * GSL's error handler: the adaptive methods check every GSL return code, but
 * GSL itself may still call its error handler, whose default aborts the
 * process (out of memory while allocating, an exactly singular Newton matrix
 * inside msbdf).  The handler is global, so this library never changes it: a
 * program that uses the adaptive methods calls gsl_set_error_handler_off()
 * once at start-up, as the command-line tool does.
 */
#ifndef PLANSIM_INTEG_H
#define PLANSIM_INTEG_H

#include <stddef.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The right-hand side dy/dt = f(t, y).  Returns 0 on success, a positive
 * value when the point is unacceptable but a smaller step may help, and a
 * negative value to abort the step for good.  Fixed-step methods cannot
 * shrink their step, so for them a positive value fails the step too.
 */
typedef int (*ps_rhs_fn)(double t, const double y[], double dydt[],
                         void *params);

typedef struct ps_system {
    ps_rhs_fn rhs;
    size_t dim;
    void *params;
} ps_system;

/* Tolerances and limits of adaptive methods (ignored by fixed-step ones). */
typedef struct ps_integ_options {
    double abs_tol;      /* absolute error per inner step, default 1e-8     */
    double rel_tol;      /* relative error per inner step, default 1e-8     */
    double h_min;        /* smallest inner step before giving up, default 0 */
    size_t max_inner;    /* most inner steps per outer step, default 100000 */
} ps_integ_options;

/* Fills `opts` with the defaults above. */
void ps_integ_options_default(ps_integ_options *opts);

/*
 * PS_OK when `opts` is usable: finite tolerances >= 0, not both 0, a finite
 * h_min >= 0 and max_inner >= 1.  Otherwise PS_ERR_DATA with `err` naming
 * the bad field (front ends check options they read from users with this).
 */
ps_status ps_integ_options_check(const ps_integ_options *opts,
                                 ps_error *err);

typedef struct ps_stepper_type {
    const char *name; /* "euler", "rk4", "rkf45", "rk8pd", "msbdf"          */
    int order;        /* order of accuracy (the highest, for msbdf)         */
    int adaptive;     /* non-zero for error-controlled methods              */
    /* Allocates the method's state for dimension `dim` (0 is allowed) with
       options already checked; NULL on no memory. */
    void *(*alloc)(size_t dim, const ps_integ_options *opts);
    /* Advances y from t to t+h.  dydt_in is f(t, y) when the caller already
       has it, or NULL (methods may ignore it).  Returns PS_OK, or a failure
       after which y may hold anything: ps_stepper_apply, the only caller,
       restores it.  A method that returns PS_ERR_NONFINITE for a value that
       is not in y (a rate met inside an adaptive step) stores its index in
       *bad_component; otherwise it leaves *bad_component alone. */
    ps_status (*apply)(void *state, const ps_system *sys, double t, double h,
                       double y[], const double dydt_in[],
                       size_t *bad_component, ps_error *err);
    /* Frees what alloc returned; NULL is allowed. */
    void (*free)(void *state);
} ps_stepper_type;

extern const ps_stepper_type *const ps_stepper_euler;
extern const ps_stepper_type *const ps_stepper_rk4;
extern const ps_stepper_type *const ps_stepper_rkf45;
extern const ps_stepper_type *const ps_stepper_rk8pd;
extern const ps_stepper_type *const ps_stepper_msbdf;

/* The method called `name` (case-insensitive), or NULL when none is or
   `name` is NULL. */
const ps_stepper_type *ps_stepper_type_find(const char *name);

/* A NULL-terminated list of every method, for help texts and tests. */
const ps_stepper_type *const *ps_stepper_types(void);

typedef struct ps_stepper {
    const ps_stepper_type *type;
    void *state;
    size_t dim;
    size_t bad_component; /* after PS_ERR_NONFINITE: first non-finite y[i]
                             (or rate); dim after any other result        */
    double *saved;        /* private: y at the start of the current step  */
} ps_stepper;

/*
 * Creates an instance of `type` for systems of dimension `dim` (0 is
 * allowed: every step is then a no-op).  `opts` may be NULL for the
 * defaults (it is copied).  The caller owns the result and frees it with
 * ps_stepper_free().  NULL when memory runs out, `type` is NULL or `opts`
 * fails ps_integ_options_check().
 */
ps_stepper *ps_stepper_new(const ps_stepper_type *type, size_t dim,
                           const ps_integ_options *opts);

/*
 * Advances y[0..dim) from t to t+h (h > 0).  After the step every y[i] is
 * checked: a NaN or infinity fails the step with PS_ERR_NONFINITE, sets
 * s->bad_component, and restores y.  A negative rhs result gives
 * PS_ERR_INTEGRATION; an adaptive method that cannot meet its tolerances
 * within its limits also gives PS_ERR_INTEGRATION.  `err` names the time.
 * A NULL stepper or system, a system without rhs or of another dimension,
 * a NULL y (when dim > 0), or a t or h that is not finite (h also > 0)
 * gives PS_ERR_INTERNAL with y untouched.
 *
 * Adaptive methods start each call with the inner step size the previous
 * successful call ended with, but otherwise afresh from (t, y): the
 * right-hand side may jump between calls (the simulator holds STEP, PULSE
 * and fixed delays constant over each outer step), so neither GSL's cached
 * last derivative nor msbdf's history may be carried across.
 */
ps_status ps_stepper_apply(ps_stepper *s, const ps_system *sys, double t,
                           double h, double y[], const double dydt_in[],
                           ps_error *err);

/* Frees an instance and sets *s to NULL.  NULL and *s == NULL are allowed. */
void ps_stepper_free(ps_stepper **s);

#ifdef __cplusplus
}
#endif
#endif
