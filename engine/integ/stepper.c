/*
 * Stepper dispatch: the list of methods, instances, and the transaction
 * around every step (save y, step, check finiteness, restore on failure).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "integ_impl.h"

static const ps_stepper_type *const stepper_types[] = {
    &ps__integ_euler_type, &ps__integ_rk4_type,   &ps__integ_rkf45_type,
    &ps__integ_rk8pd_type, &ps__integ_msbdf_type, NULL,
};

const ps_stepper_type *const *ps_stepper_types(void)
{
    return stepper_types;
}

static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

const ps_stepper_type *ps_stepper_type_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; stepper_types[i]; i++)
        if (same_name(stepper_types[i]->name, name))
            return stepper_types[i];
    return NULL;
}

void ps_integ_options_default(ps_integ_options *opts)
{
    opts->abs_tol = 1e-8;
    opts->rel_tol = 1e-8;
    opts->h_min = 0.0;
    opts->max_inner = 100000;
}

ps_status ps_integ_options_check(const ps_integ_options *opts,
                                 ps_error *err)
{
    if (!opts)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "no integrator options");
    if (!isfinite(opts->abs_tol) || opts->abs_tol < 0)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "absolute tolerance %g must be finite and >= 0",
                            opts->abs_tol);
    if (!isfinite(opts->rel_tol) || opts->rel_tol < 0)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "relative tolerance %g must be finite and >= 0",
                            opts->rel_tol);
    /* Both zero would ask for exact steps: every step would be rejected. */
    if (opts->abs_tol == 0 && opts->rel_tol == 0)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "absolute and relative tolerance cannot both "
                            "be 0");
    if (!isfinite(opts->h_min) || opts->h_min < 0)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "smallest step %g must be finite and >= 0",
                            opts->h_min);
    if (opts->max_inner < 1)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "the inner step limit must be at least 1");
    return PS_OK;
}

ps_stepper *ps_stepper_new(const ps_stepper_type *type, size_t dim,
                           const ps_integ_options *opts)
{
    ps_integ_options defaults;
    ps_stepper *s;

    if (!type)
        return NULL;
    if (!opts) {
        ps_integ_options_default(&defaults);
        opts = &defaults;
    }
    if (ps_integ_options_check(opts, NULL) != PS_OK)
        return NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->type = type;
    s->dim = dim;
    s->bad_component = dim;
    /* One spare element so that dim == 0 is not a zero-size allocation. */
    s->saved = malloc((dim + 1) * sizeof *s->saved);
    s->state = type->alloc(dim, opts);
    if (!s->saved || !s->state)
        ps_stepper_free(&s);
    return s;
}

ps_status ps_stepper_apply(ps_stepper *s, const ps_system *sys, double t,
                           double h, double y[], const double dydt_in[],
                           ps_error *err)
{
    ps_status status;
    size_t bad;

    if (!s || !sys || !sys->rhs || (!y && s->dim > 0))
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "stepper, system and state are required");
    if (sys->dim != s->dim)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "a system of dimension %zu given to a %s "
                            "stepper of dimension %zu",
                            sys->dim, s->type->name, s->dim);
    if (!isfinite(t) || !isfinite(h) || !(h > 0))
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "cannot step from t = %g by h = %g", t, h);

    s->bad_component = s->dim;
    if (s->dim == 0)
        return PS_OK;
    memcpy(s->saved, y, s->dim * sizeof *y);
    bad = s->dim;
    status = s->type->apply(s->state, sys, t, h, y, dydt_in, &bad, err);
    if (status == PS_OK) {
        /* GSL's explicit steppers accept NaN and infinity silently, and a
           fixed step can overflow: every method's result is checked here. */
        bad = ps__integ_first_nonfinite(y, s->dim);
        if (bad < s->dim)
            status = ps__integ_state_nonfinite(err, bad, y[bad], t + h);
    } else if (status == PS_ERR_NONFINITE && bad >= s->dim) {
        /* The method saw the bad value in y itself. */
        bad = ps__integ_first_nonfinite(y, s->dim);
    }
    if (status != PS_OK) {
        if (status == PS_ERR_NONFINITE)
            s->bad_component = bad;
        memcpy(y, s->saved, s->dim * sizeof *y);
    }
    return status;
}

void ps_stepper_free(ps_stepper **s)
{
    if (!s || !*s)
        return;
    if ((*s)->state)
        (*s)->type->free((*s)->state);
    free((*s)->saved);
    free(*s);
    *s = NULL;
}
