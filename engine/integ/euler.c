/*
 * Explicit Euler, fixed step: y(t+h) = y(t) + h f(t, y(t)).
 *
 * Vensim's default method.  One right-hand side call per step, none when the
 * caller passes f(t, y) as dydt_in (the simulator has it already, having
 * evaluated the model at t to save its auxiliaries).  Our own loop rather
 * than GSL's: no error estimate, no copies, no allocation per step.
 */
#include <stdlib.h>

#include "integ_impl.h"

typedef struct euler_state {
    size_t dim;
    double dydt[]; /* f(t, y) when the caller does not pass it */
} euler_state;

static void *euler_alloc(size_t dim, const ps_integ_options *opts)
{
    euler_state *st = malloc(sizeof *st + dim * sizeof(double));

    if (st)
        st->dim = dim;
    return st;
}

static ps_status euler_apply(void *state, const ps_system *sys, double t,
                             double h, double y[], const double dydt_in[],
                             size_t *bad_component, ps_error *err)
{
    euler_state *st = state;
    const double *f = dydt_in;

    if (!f) {
        int rc = sys->rhs(t, y, st->dydt, sys->params);
        if (rc != 0)
            return ps__integ_rhs_failed(err, "euler", rc, t);
        f = st->dydt;
    }
    for (size_t i = 0; i < st->dim; i++)
        y[i] += h * f[i];
    return PS_OK;
}

static void euler_free(void *state)
{
    free(state);
}

const ps_stepper_type ps__integ_euler_type = {
    .name = "euler",
    .order = 1,
    .adaptive = 0,
    .alloc = euler_alloc,
    .apply = euler_apply,
    .free = euler_free,
};

const ps_stepper_type *const ps_stepper_euler = &ps__integ_euler_type;
