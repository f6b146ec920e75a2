/*
 * Test problems for the integrators: right-hand sides with known solutions,
 * and right-hand sides that misbehave on purpose.  Every one counts its
 * calls in the shared `problem` parameters.
 */
#ifndef PLANSIM_TEST_INTEG_PROBLEMS_H
#define PLANSIM_TEST_INTEG_PROBLEMS_H

#include "plansim/integ.h"

typedef struct problem {
    double k;         /* rate: decay constant, growth rate, stiffness    */
    double cap;       /* logistic carrying capacity                      */
    long calls;       /* right-hand side calls so far                    */
    long rejected;    /* calls that returned > 0                         */
    long fail_after;  /* rhs_decay_failing: calls that succeed first     */
    int fail_code;    /* ... and what the later calls return             */
    double nan_from;  /* rhs_decay_nan: time from which rate 1 is NaN    */
    int watch;        /* rhs_rotation: calls still to watch, and ...     */
    double t_max;     /* ... the latest time they were made at           */
} problem;

/* y' = -k y, dimension 1; y(t) = y(0) exp(-k t). */
int rhs_decay(double t, const double y[], double dydt[], void *params);
double decay_exact(const problem *p, double y0, double t);

/* y0' = -y1, y1' = y0; from (1, 0): (cos t, sin t).  Records in t_max
   the latest t of the next `watch` calls. */
int rhs_rotation(double t, const double y[], double dydt[], void *params);

/* y' = k y (1 - y / cap). */
int rhs_logistic(double t, const double y[], double dydt[], void *params);
double logistic_exact(const problem *p, double y0, double t);

/* Stiff: y' = -k (y - cos t), k = 1000 typically. */
int rhs_stiff(double t, const double y[], double dydt[], void *params);
double stiff_exact(const problem *p, double y0, double t);

/* Robertson's chemical kinetics, stiff, dimension 3. */
int rhs_robertson(double t, const double y[], double dydt[], void *params);

/* rhs_decay for fail_after calls, then returns fail_code. */
int rhs_decay_failing(double t, const double y[], double dydt[],
                      void *params);

/* rhs_decay in dimension 2, but rate 1 is NaN from t >= nan_from. */
int rhs_decay_nan(double t, const double y[], double dydt[], void *params);

/* rhs_decay that refuses (returns 1) any state with a negative y[0]. */
int rhs_decay_positive(double t, const double y[], double dydt[],
                       void *params);

/* y' = y^2: blows up at t = 1 / y(0). */
int rhs_blowup(double t, const double y[], double dydt[], void *params);

/* Dimension 2: y0' = 0, y1' = 1e308, so y1 overflows from 1e308. */
int rhs_overflow(double t, const double y[], double dydt[], void *params);

/*
 * Integrates `sys` from t0 over n outer steps of size h with a fresh
 * stepper of `type` (options `opts`, NULL for defaults), calling
 * ps_stepper_apply with dydt_in = NULL.  Times are t0 + i h, not sums.
 */
ps_status integrate(const ps_stepper_type *type, const ps_integ_options *opts,
                    const ps_system *sys, double t0, double h, int n,
                    double y[], ps_error *err);

#endif
