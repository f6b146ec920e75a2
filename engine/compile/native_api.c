/*
 * The functions generated code calls back: each one is, or calls, the
 * function the interpreter (vm.c) uses for the same opcode, with the same
 * arguments, so that native and interpreted runs agree to the bit.
 */
#include <math.h>

#include "native_impl.h"
#include "plansim/fn.h"
#include "plansim/rng.h"

static double call_step(const vm_context *c, double x, double y)
{
    return ps_fn_step(x, y, c->step_time, c->dt);
}

static double call_pulse(const vm_context *c, double x, double y)
{
    return ps_fn_pulse(x, y, c->step_time, c->dt);
}

static double call_ramp2(const vm_context *c, double x, double y)
{
    return ps_fn_ramp(x, y, INFINITY, c->step_time, c->dt);
}

static double call_ramp3(const vm_context *c, double x, double y, double z)
{
    return ps_fn_ramp(x, y, z, c->step_time, c->dt);
}

static double call_get_time_value(const vm_context *c, double x, double y,
                                  double z)
{
    return ps_fn_get_time_value(x, y, z, c->step_time, c->initial_time);
}

static double call_pulse_train(const vm_context *c, double a, double b,
                               double d, double e)
{
    return ps_fn_pulse_train(a, b, d, e, c->step_time, c->dt);
}

/* As vm.c's random_uniform01. */
static double uniform01(const vm_context *c, int32_t stream)
{
    ps_rng_address addr = {c->seed, c->run, (uint64_t)stream};
    return ps_rng_uniform(&addr, c->step);
}

static double call_random_uniform(const vm_context *c, int32_t s, double a,
                                  double b)
{
    return ps_fn_random_uniform(a, b, uniform01(c, s));
}

static double call_random_normal(const vm_context *c, int32_t s, double a,
                                 double b, double d, double e)
{
    return ps_fn_random_normal(a, b, d, e, uniform01(c, s));
}

static double call_random_exponential(const vm_context *c, int32_t s, double a,
                                      double b, double d, double e)
{
    return ps_fn_random_exponential(a, b, d, e, uniform01(c, s));
}

static double call_random_triangular(const vm_context *c, int32_t s, double a,
                                     double b, double d, double e, double f)
{
    return ps_fn_random_triangular(a, b, d, e, f, uniform01(c, s));
}

/* args holds the function's scalar arguments, deepest first, as the
   interpreter's stack would. */
static double call_vector(const vm_context *c, int32_t op, const double *v,
                          size_t lin, double *args)
{
    const vec_op *o = &c->vecops[op];
    double *top =
        vm_vector(o, v, lin, c->atab, args + vm_vector_arity(o->kind));
    return top[-1];
}

static const native_api api = {
    .pow = pow,
    .modulo = ps_fn_modulo,
    .quantum = ps_fn_quantum,
    .log2 = ps_fn_log,
    .zidz = ps_fn_zidz,
    .xidz = ps_fn_xidz,
    .integer = ps_fn_integer,
    .exp = exp,
    .ln = log,
    .log10 = log10,
    .sin = sin,
    .cos = cos,
    .tan = tan,
    .asin = asin,
    .acos = acos,
    .atan = atan,
    .sinh = sinh,
    .cosh = cosh,
    .tanh = tanh,
    .step = call_step,
    .pulse = call_pulse,
    .ramp2 = call_ramp2,
    .ramp3 = call_ramp3,
    .get_time_value = call_get_time_value,
    .pulse_train = call_pulse_train,
    .lookup = ps_fn_lookup,
    .lookup_extrap = ps_fn_lookup_extrapolate,
    .lookup_forward = ps_fn_lookup_forward,
    .lookup_backward = ps_fn_lookup_backward,
    .lookup_invert = ps_fn_lookup_invert,
    .lookup_raw = ps_fn_lookup_raw,
    .random_uniform = call_random_uniform,
    .random_normal = call_random_normal,
    .random_exponential = call_random_exponential,
    .random_triangular = call_random_triangular,
    .vector = call_vector,
};

const native_api *native_api_table(void)
{
    return &api;
}
