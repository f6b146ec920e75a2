/*
 * Adaptive methods from GSL's ode-initval2: rkf45 (Runge-Kutta-Fehlberg
 * 4(5)), rk8pd (Prince-Dormand 8(9)) and msbdf (variable-order BDF for stiff
 * systems).  They differ only in their gsl_odeiv2_step_type, so one file
 * holds the shared code and a thin table per method.
 *
 * An outer step [t, t+h] is a loop of gsl_odeiv2_evolve_apply calls that
 * lands exactly on t+h, under a gsl_odeiv2_control_y_new(abs_tol, rel_tol)
 * control.  The step, control and evolve objects come from a GSL driver
 * because msbdf reads its error levels through the driver; we never call
 * gsl_odeiv2_driver_apply, so the limits (h_min, max_inner) are ours.
 * The caller's dydt_in is not used: evolve evaluates f(t, y) itself.
 *
 * The right-hand side is wrapped to speak GSL's protocol:
 *   - our rhs > 0 (retry smaller)  -> GSL_FAILURE: evolve halves the step;
 *   - our rhs < 0 (abort)          -> GSL_EBADFUNC: evolve returns at once;
 *   - rates that are NaN or infinite -> GSL_FAILURE: a smaller step may
 *     keep a trial stage out of the bad region, and GSL itself would accept
 *     them silently and carry the NaN into y.
 * The wrapper remembers what the last call did, so a failure of evolve can
 * be told apart: the model refused, the model produced NaN, or the method
 * could not meet its tolerances.  Every GSL return code is checked; see
 * integ.h about GSL's global error handler.
 *
 * msbdf needs the Jacobian df/dy.  Models do not provide one, so it is
 * computed by forward differences, column by column:
 *     d_j = sqrt(DBL_EPSILON) * max(|y_j|, s),   s = abs_tol / rel_tol,
 *     J[i][j] = (f_i(t, y + d_j e_j) - f_i(t, y)) / d_j,
 * with d_j rounded so that y_j + d_j - y_j == d_j exactly.  s is the size
 * below which the absolute tolerance dominates: a state near 0 is perturbed
 * on its own scale, not on the scale 1.  df/dt is a backward difference in
 * t likewise (backward, so the model is not called past the step's end).
 * This costs dim + 2 right-hand side calls per Jacobian, which msbdf
 * re-evaluates only every 50 steps or after a convergence failure.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#include "integ_impl.h"

/* What the last right-hand side call did. */
typedef enum fault {
    FAULT_NONE,      /* it succeeded with finite rates     */
    FAULT_REJECTED,  /* it returned > 0                    */
    FAULT_ABORTED,   /* it returned < 0                    */
    FAULT_NONFINITE, /* it returned 0 with a NaN or inf rate */
} fault;

typedef struct adaptive_state {
    const char *name;
    size_t dim;
    ps_integ_options opts;
    double fd_floor;            /* s in the Jacobian formula above        */
    gsl_odeiv2_system gsys;     /* calls back into this state             */
    gsl_odeiv2_driver *driver;  /* owns GSL's step, control and evolve    */
    const ps_system *sys;       /* the system of the call in progress     */
    double h_inner;             /* first inner step of the next call; 0
                                   before the first successful call       */
    double *jac_f0, *jac_f1, *jac_y; /* Jacobian scratch                  */
    fault last;                 /* the last right-hand side call:         */
    double last_t;              /*   its time,                            */
    int last_code;              /*   its return value,                    */
    size_t last_index;          /*   its first non-finite rate            */
    double last_value;
    double buf[];
} adaptive_state;

static int call_rhs(adaptive_state *st, double t, const double y[],
                    double dydt[])
{
    int rc = st->sys->rhs(t, y, dydt, st->sys->params);

    st->last_t = t;
    st->last_code = rc;
    if (rc < 0) {
        st->last = FAULT_ABORTED;
        return GSL_EBADFUNC;
    }
    if (rc > 0) {
        st->last = FAULT_REJECTED;
        return GSL_FAILURE;
    }
    st->last_index = ps__integ_first_nonfinite(dydt, st->dim);
    if (st->last_index < st->dim) {
        st->last = FAULT_NONFINITE;
        st->last_value = dydt[st->last_index];
        return GSL_FAILURE;
    }
    st->last = FAULT_NONE;
    return GSL_SUCCESS;
}

static int adaptive_rhs(double t, const double y[], double dydt[],
                        void *params)
{
    return call_rhs(params, t, y, dydt);
}

/* A difference increment of size about rel * max(|x|, scale), adjusted
   so that (x + d) - x == d in floating point. */
static double fd_increment(double x, double scale)
{
    const double rel = sqrt(DBL_EPSILON);
    double d = rel * fmax(fabs(x), scale);
    double xd = x + d;

    d = xd - x;
    return d > 0 ? d : rel; /* scale so small that d vanished */
}

static int adaptive_jacobian(double t, const double y[], double *dfdy,
                             double dfdt[], void *params)
{
    adaptive_state *st = params;
    const size_t n = st->dim;
    double *f0 = st->jac_f0, *f1 = st->jac_f1, *yp = st->jac_y;
    double d;
    int rc;

    rc = call_rhs(st, t, y, f0);
    if (rc != GSL_SUCCESS)
        return rc;
    memcpy(yp, y, n * sizeof *yp);
    for (size_t j = 0; j < n; j++) {
        d = fd_increment(y[j], st->fd_floor);
        yp[j] = y[j] + d;
        rc = call_rhs(st, t, yp, f1);
        if (rc != GSL_SUCCESS)
            return rc;
        for (size_t i = 0; i < n; i++)
            dfdy[i * n + j] = (f1[i] - f0[i]) / d;
        yp[j] = y[j];
    }
    d = t - (t - fd_increment(t, 1.0)); /* exact in floating point */
    rc = call_rhs(st, t - d, y, f1);
    if (rc != GSL_SUCCESS)
        return rc;
    for (size_t i = 0; i < n; i++)
        dfdt[i] = (f0[i] - f1[i]) / d;
    return GSL_SUCCESS;
}

static void *adaptive_alloc(const gsl_odeiv2_step_type *T, const char *name,
                            size_t dim, const ps_integ_options *opts)
{
    adaptive_state *st = calloc(1, sizeof *st + 3 * dim * sizeof(double));

    if (!st)
        return NULL;
    st->name = name;
    st->dim = dim;
    st->opts = *opts;
    st->fd_floor = opts->abs_tol > 0 && opts->rel_tol > 0
                       ? opts->abs_tol / opts->rel_tol
                       : 1.0;
    st->jac_f0 = st->buf;
    st->jac_f1 = st->buf + dim;
    st->jac_y = st->buf + 2 * dim;
    st->gsys.function = adaptive_rhs;
    st->gsys.jacobian = adaptive_jacobian;
    st->gsys.dimension = dim;
    st->gsys.params = st;
    /* GSL refuses dimension 0; such a system has nothing to integrate. */
    if (dim > 0) {
        /* The driver's starting step (1.0) is never used: every call to
           evolve passes our own. */
        st->driver = gsl_odeiv2_driver_alloc_y_new(&st->gsys, T, 1.0,
                                                   opts->abs_tol,
                                                   opts->rel_tol);
        if (!st->driver) {
            free(st);
            return NULL;
        }
    }
    return st;
}

static void adaptive_free(void *state)
{
    adaptive_state *st = state;

    if (!st)
        return;
    if (st->driver)
        gsl_odeiv2_driver_free(st->driver);
    free(st);
}

/* Forgets the method's history: derivative cache, msbdf's past steps. */
static void restart(adaptive_state *st)
{
    /* Resetting cannot fail: both resets only clear counters and arrays. */
    gsl_odeiv2_driver_reset(st->driver);
}

/* Words a failed gsl_odeiv2_evolve_apply (code rc) that started at t and
   ended with step size h.  The last right-hand side call tells the model's
   failures from the method's. */
static ps_status evolve_failed(adaptive_state *st, int rc, double t,
                               double h, size_t *bad_component,
                               ps_error *err)
{
    /* At the start point a smaller step cannot help, so GSL did not try. */
    const int at_start = st->last_t == t;

    restart(st);
    switch (st->last) {
    case FAULT_ABORTED:
        return ps__integ_fail(err, PS_ERR_INTEGRATION, st->last_t,
                              "the right-hand side failed (code %d)",
                              st->last_code);
    case FAULT_REJECTED:
        if (at_start)
            return ps__integ_fail(err, PS_ERR_INTEGRATION, st->last_t,
                                  "the right-hand side rejected the state "
                                  "(code %d)",
                                  st->last_code);
        return ps__integ_fail(err, PS_ERR_INTEGRATION, st->last_t,
                              "the right-hand side rejected the state "
                              "(code %d) at every step size %s tried, down "
                              "to %g",
                              st->last_code, st->name, h);
    case FAULT_NONFINITE:
        *bad_component = st->last_index;
        if (at_start)
            return ps__integ_fail(err, PS_ERR_NONFINITE, st->last_t,
                                  "the rate of state %zu is %s",
                                  st->last_index,
                                  isnan(st->last_value) ? "NaN" : "infinite");
        return ps__integ_fail(err, PS_ERR_NONFINITE, st->last_t,
                              "the rate of state %zu is %s at every step "
                              "size %s tried, down to %g",
                              st->last_index,
                              isnan(st->last_value) ? "NaN" : "infinite",
                              st->name, h);
    case FAULT_NONE:
        break;
    }
    /* GSL_FAILURE is evolve's plain "could not shrink the step further";
       any other code is worth naming. */
    if (rc != GSL_FAILURE)
        return ps__integ_fail(err, PS_ERR_INTEGRATION, t,
                              "%s failed with step size %g (GSL: %s)",
                              st->name, h, gsl_strerror(rc));
    return ps__integ_fail(err, PS_ERR_INTEGRATION, t,
                          "%s cannot meet its tolerances: the step size "
                          "fell to %g",
                          st->name, h);
}

static ps_status adaptive_apply(void *state, const ps_system *sys, double t,
                                double h, double y[], const double dydt_in[],
                                size_t *bad_component, ps_error *err)
{
    adaptive_state *st = state;
    gsl_odeiv2_driver *d = st->driver;
    const double t1 = t + h;
    double tc = t;
    double hc = st->h_inner > 0 ? st->h_inner : h;
    size_t inner = 0;

    if (st->dim == 0)
        return PS_OK;
    /* Every outer step starts GSL afresh (keeping only the step size as a
       first guess): the simulator holds STEP, PULSE, RAMP and fixed delays
       over a step, so the right-hand side may jump between outer steps,
       and GSL would otherwise reuse the last step's derivative (its
       first-same-as-last cache) or msbdf's history across the jump. */
    restart(st);
    st->sys = sys;
    st->last = FAULT_NONE;

    while (tc < t1) {
        const double t_before = tc;
        size_t i;
        int rc;

        if (inner == st->opts.max_inner) {
            restart(st);
            return ps__integ_fail(err, PS_ERR_INTEGRATION, tc,
                                  "%s needed more than %zu inner steps "
                                  "between t = %g and t = %g (step size %g)",
                                  st->name, st->opts.max_inner, t, t1, hc);
        }
        inner++;
        rc = gsl_odeiv2_evolve_apply(d->e, d->c, d->s, &st->gsys, &tc, t1,
                                     &hc, y);
        if (rc != GSL_SUCCESS)
            return evolve_failed(st, rc, t_before, hc, bad_component, err);
        /* Stop at the inner step where a state overflowed, not at t1. */
        i = ps__integ_first_nonfinite(y, st->dim);
        if (i < st->dim) {
            restart(st);
            *bad_component = i;
            return ps__integ_state_nonfinite(err, i, y[i], tc);
        }
        if (tc < t1 && hc < st->opts.h_min) {
            restart(st);
            return ps__integ_fail(err, PS_ERR_INTEGRATION, tc,
                                  "%s needs a step size of %g, below the "
                                  "smallest allowed (%g)",
                                  st->name, hc, st->opts.h_min);
        }
    }

    st->h_inner = hc;
    return PS_OK;
}

static void *rkf45_alloc(size_t dim, const ps_integ_options *opts)
{
    return adaptive_alloc(gsl_odeiv2_step_rkf45, "rkf45", dim, opts);
}

static void *rk8pd_alloc(size_t dim, const ps_integ_options *opts)
{
    return adaptive_alloc(gsl_odeiv2_step_rk8pd, "rk8pd", dim, opts);
}

static void *msbdf_alloc(size_t dim, const ps_integ_options *opts)
{
    return adaptive_alloc(gsl_odeiv2_step_msbdf, "msbdf", dim, opts);
}

const ps_stepper_type ps__integ_rkf45_type = {
    .name = "rkf45",
    .order = 5,
    .adaptive = 1,
    .alloc = rkf45_alloc,
    .apply = adaptive_apply,
    .free = adaptive_free,
};

const ps_stepper_type ps__integ_rk8pd_type = {
    .name = "rk8pd",
    .order = 8,
    .adaptive = 1,
    .alloc = rk8pd_alloc,
    .apply = adaptive_apply,
    .free = adaptive_free,
};

const ps_stepper_type ps__integ_msbdf_type = {
    .name = "msbdf",
    .order = 5,
    .adaptive = 1,
    .alloc = msbdf_alloc,
    .apply = adaptive_apply,
    .free = adaptive_free,
};

const ps_stepper_type *const ps_stepper_rkf45 = &ps__integ_rkf45_type;
const ps_stepper_type *const ps_stepper_rk8pd = &ps__integ_rk8pd_type;
const ps_stepper_type *const ps_stepper_msbdf = &ps__integ_msbdf_type;
