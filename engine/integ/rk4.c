/*
 * Classical fourth-order Runge-Kutta, fixed step.
 * Reference: Abramowitz & Stegun, section 25.5.
 *
 *   k1 = f(t, y)                    k2 = f(t + h/2, y + h/2 k1)
 *   k3 = f(t + h/2, y + h/2 k2)     k4 = f(t + h, y + h k3)
 *   y(t+h) = y + h/6 (k1 + 2 k2 + 2 k3 + k4)
 *
 * Four right-hand side calls per step, three when the caller passes k1 as
 * dydt_in.  Our own loop: GSL's rk4 estimates its error by step doubling
 * and costs about three times as many calls.  The scratch vectors live in
 * the state, so a step allocates nothing.
 */
#include <stdlib.h>

#include "integ_impl.h"

typedef struct rk4_state {
    size_t dim;
    double *k1;   /* f(t, y) when the caller does not pass it */
    double *k;    /* the current stage's rates                */
    double *sum;  /* k1 + 2 k2 + 2 k3, accumulated            */
    double *ytmp; /* the current stage's state                */
    double buf[];
} rk4_state;

static void *rk4_alloc(size_t dim, const ps_integ_options *opts)
{
    rk4_state *st = malloc(sizeof *st + 4 * dim * sizeof(double));

    if (!st)
        return NULL;
    st->dim = dim;
    st->k1 = st->buf;
    st->k = st->buf + dim;
    st->sum = st->buf + 2 * dim;
    st->ytmp = st->buf + 3 * dim;
    return st;
}

static ps_status rk4_apply(void *state, const ps_system *sys, double t,
                           double h, double y[], const double dydt_in[],
                           size_t *bad_component, ps_error *err)
{
    rk4_state *st = state;
    const size_t n = st->dim;
    const double *k1 = dydt_in;
    int rc;

    if (!k1) {
        rc = sys->rhs(t, y, st->k1, sys->params);
        if (rc != 0)
            return ps__integ_rhs_failed(err, "rk4", rc, t);
        k1 = st->k1;
    }
    for (size_t i = 0; i < n; i++) {
        st->sum[i] = k1[i];
        st->ytmp[i] = y[i] + 0.5 * h * k1[i];
    }

    rc = sys->rhs(t + 0.5 * h, st->ytmp, st->k, sys->params);
    if (rc != 0)
        return ps__integ_rhs_failed(err, "rk4", rc, t + 0.5 * h);
    for (size_t i = 0; i < n; i++) {
        st->sum[i] += 2.0 * st->k[i];
        st->ytmp[i] = y[i] + 0.5 * h * st->k[i];
    }

    rc = sys->rhs(t + 0.5 * h, st->ytmp, st->k, sys->params);
    if (rc != 0)
        return ps__integ_rhs_failed(err, "rk4", rc, t + 0.5 * h);
    for (size_t i = 0; i < n; i++) {
        st->sum[i] += 2.0 * st->k[i];
        st->ytmp[i] = y[i] + h * st->k[i];
    }

    rc = sys->rhs(t + h, st->ytmp, st->k, sys->params);
    if (rc != 0)
        return ps__integ_rhs_failed(err, "rk4", rc, t + h);
    /* y is written only now, so a failed stage above leaves it untouched
       (ps_stepper_apply restores it anyway). */
    for (size_t i = 0; i < n; i++)
        y[i] += h / 6.0 * (st->sum[i] + st->k[i]);
    return PS_OK;
}

static void rk4_free(void *state)
{
    free(state);
}

const ps_stepper_type ps__integ_rk4_type = {
    .name = "rk4",
    .order = 4,
    .adaptive = 0,
    .alloc = rk4_alloc,
    .apply = rk4_apply,
    .free = rk4_free,
};

const ps_stepper_type *const ps_stepper_rk4 = &ps__integ_rk4_type;
