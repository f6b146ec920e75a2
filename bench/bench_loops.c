/*
 * plansim-bench: the Euler step loops that are timed, for the engine and
 * for the native models.  Both follow Vensim's order within a step:
 * auxiliaries and rates at (t_k, y_k), then y_{k+1} = y_k + dt * rate.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int rhs(double t, const double y[], double dydt[], void *params)
{
    return ps_instance_eval(params, t, y, dydt);
}

/* Steps a run: the horizon over TIME STEP, rounded as ps_simulate does. */
static uint64_t step_count(double t0, double t1, double dt)
{
    return (uint64_t)llround((t1 - t0) / dt);
}

static int eval_failed(engine_loop *l, double t)
{
    const char *bad = ps_instance_bad_var(l->inst);
    ps_error_set(&l->err, PS_ERR_NONFINITE, NULL, 0, 0,
                 "'%s' is not finite at time %g", bad ? bad : "?", t);
    return -1;
}

int engine_loop_open(engine_loop *l, const ps_program *prog)
{
    memset(l, 0, sizeof *l);
    ps_error_clear(&l->err);
    l->inst = ps_instance_new(prog);
    if (!l->inst) {
        ps_error_set(&l->err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    if (engine_loop_restart(l) != 0)
        return -1;
    const ps_time_settings *ts = ps_instance_time(l->inst);
    size_t dim = ps_instance_dim(l->inst);
    l->t0 = ts->initial_time;
    l->dt = ts->time_step;
    l->nsteps = step_count(ts->initial_time, ts->final_time, ts->time_step);
    l->stepper = ps_stepper_new(ps_stepper_euler, dim, NULL);
    l->dydt = calloc(dim ? dim : 1, sizeof *l->dydt);
    if (!l->stepper || !l->dydt) {
        ps_error_set(&l->err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    return 0;
}

void engine_loop_close(engine_loop *l)
{
    ps_stepper_free(&l->stepper);
    ps_instance_free(&l->inst);
    free(l->dydt);
    l->dydt = NULL;
}

int engine_loop_restart(engine_loop *l)
{
    return ps_instance_init(l->inst, 0, 0, &l->err) == PS_OK ? 0 : -1;
}

int engine_loop_steps(engine_loop *l)
{
    ps_instance *inst = l->inst;
    double *y = ps_instance_stocks(inst);
    ps_system sys = {rhs, ps_instance_dim(inst), inst};
    for (uint64_t k = 0; k < l->nsteps; k++) {
        double t = l->t0 + (double)k * l->dt;
        ps_instance_begin_step(inst, k, t);
        if (ps_instance_eval(inst, t, y, l->dydt) != 0)
            return eval_failed(l, t);
        ps_instance_end_step(inst);
        if (ps_stepper_apply(l->stepper, &sys, t, l->dt, y, l->dydt,
                             &l->err) != PS_OK)
            return -1;
    }
    return 0;
}

int engine_loop_finish(engine_loop *l)
{
    double t = l->t0 + (double)l->nsteps * l->dt;
    ps_instance_begin_step(l->inst, l->nsteps, t);
    if (ps_instance_eval(l->inst, t, ps_instance_stocks(l->inst), l->dydt) !=
        0)
        return eval_failed(l, t);
    return 0;
}

int native_loop_open(native_loop *l, const native_type *type)
{
    memset(l, 0, sizeof *l);
    l->type = type;
    l->m = type->create();
    if (!l->m)
        return -1;
    l->dim = type->dim(l->m);
    l->nsteps =
        step_count(type->initial_time, type->final_time, type->time_step);
    l->y = calloc(l->dim ? l->dim : 1, sizeof *l->y);
    l->dydt = calloc(l->dim ? l->dim : 1, sizeof *l->dydt);
    if (!l->y || !l->dydt)
        return -1;
    native_loop_restart(l);
    return 0;
}

void native_loop_close(native_loop *l)
{
    if (l->type)
        l->type->destroy(l->m);
    l->m = NULL;
    free(l->y);
    free(l->dydt);
    l->y = l->dydt = NULL;
}

void native_loop_restart(native_loop *l)
{
    l->type->init(l->m, l->y);
}

void native_loop_steps(native_loop *l)
{
    const native_type *nt = l->type;
    native_model *m = l->m;
    double *y = l->y, *dydt = l->dydt;
    double t0 = nt->initial_time, dt = nt->time_step;
    size_t dim = l->dim;
    for (uint64_t k = 0; k < l->nsteps; k++) {
        nt->rhs(m, t0 + (double)k * dt, y, dydt);
        for (size_t i = 0; i < dim; i++)
            y[i] += dt * dydt[i];
    }
}

void native_loop_finish(native_loop *l)
{
    const native_type *nt = l->type;
    nt->rhs(l->m, nt->initial_time + (double)l->nsteps * nt->time_step, l->y,
            l->dydt);
}
