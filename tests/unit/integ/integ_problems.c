#include "integ_problems.h"

#include <math.h>

int rhs_decay(double t, const double y[], double dydt[], void *params)
{
    problem *p = params;

    p->calls++;
    dydt[0] = -p->k * y[0];
    return 0;
}

double decay_exact(const problem *p, double y0, double t)
{
    return y0 * exp(-p->k * t);
}

int rhs_rotation(double t, const double y[], double dydt[], void *params)
{
    problem *p = params;

    p->calls++;
    if (p->watch > 0) {
        p->watch--;
        p->t_max = fmax(p->t_max, t);
    }
    dydt[0] = -y[1];
    dydt[1] = y[0];
    return 0;
}

int rhs_logistic(double t, const double y[], double dydt[], void *params)
{
    problem *p = params;

    p->calls++;
    dydt[0] = p->k * y[0] * (1.0 - y[0] / p->cap);
    return 0;
}

double logistic_exact(const problem *p, double y0, double t)
{
    return p->cap / (1.0 + (p->cap / y0 - 1.0) * exp(-p->k * t));
}

int rhs_stiff(double t, const double y[], double dydt[], void *params)
{
    problem *p = params;

    p->calls++;
    dydt[0] = -p->k * (y[0] - cos(t));
    return 0;
}

/* y = a cos t + b sin t + c exp(-k t), with a = k^2 / (k^2 + 1),
   b = k / (k^2 + 1), c = y0 - a. */
double stiff_exact(const problem *p, double y0, double t)
{
    const double k = p->k;
    const double a = k * k / (k * k + 1.0);
    const double b = k / (k * k + 1.0);

    return a * cos(t) + b * sin(t) + (y0 - a) * exp(-k * t);
}

int rhs_robertson(double t, const double y[], double dydt[], void *params)
{
    problem *p = params;

    p->calls++;
    dydt[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
    dydt[1] = 0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] * y[1];
    dydt[2] = 3e7 * y[1] * y[1];
    return 0;
}

int rhs_decay_failing(double t, const double y[], double dydt[],
                      void *params)
{
    problem *p = params;

    if (p->calls >= p->fail_after) {
        p->calls++;
        return p->fail_code;
    }
    return rhs_decay(t, y, dydt, params);
}

int rhs_decay_nan(double t, const double y[], double dydt[], void *params)
{
    problem *p = params;

    p->calls++;
    dydt[0] = -p->k * y[0];
    dydt[1] = t >= p->nan_from ? NAN : -p->k * y[1];
    return 0;
}

int rhs_decay_positive(double t, const double y[], double dydt[],
                       void *params)
{
    problem *p = params;

    if (y[0] < 0) {
        p->calls++;
        p->rejected++;
        return 1;
    }
    return rhs_decay(t, y, dydt, params);
}

int rhs_blowup(double t, const double y[], double dydt[], void *params)
{
    problem *p = params;

    p->calls++;
    dydt[0] = y[0] * y[0];
    return 0;
}

int rhs_overflow(double t, const double y[], double dydt[], void *params)
{
    problem *p = params;

    p->calls++;
    dydt[0] = 0.0;
    dydt[1] = 1e308;
    return 0;
}

ps_status integrate(const ps_stepper_type *type, const ps_integ_options *opts,
                    const ps_system *sys, double t0, double h, int n,
                    double y[], ps_error *err)
{
    ps_stepper *s = ps_stepper_new(type, sys->dim, opts);
    ps_status status = PS_OK;

    if (!s)
        return PS_ERR_NOMEM;
    for (int i = 0; i < n && status == PS_OK; i++)
        status = ps_stepper_apply(s, sys, t0 + i * h, h, y, NULL, err);
    ps_stepper_free(&s);
    return status;
}
