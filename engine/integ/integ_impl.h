/*
 * Internals shared by the integrator files: the method tables (so the list
 * in stepper.c can be a constant) and the helpers that word failures the
 * same way for every method.
 */
#ifndef PLANSIM_INTEG_IMPL_H
#define PLANSIM_INTEG_IMPL_H

#include <stddef.h>

#include "plansim/integ.h"

extern const ps_stepper_type ps__integ_euler_type;
extern const ps_stepper_type ps__integ_rk4_type;
extern const ps_stepper_type ps__integ_rkf45_type;
extern const ps_stepper_type ps__integ_rk8pd_type;
extern const ps_stepper_type ps__integ_msbdf_type;

/* The index of the first NaN or infinity in v[0..n), or n when none is. */
size_t ps__integ_first_nonfinite(const double v[], size_t n);

/* Fills `err` (may be NULL) with `status`, the simulated time `time` and a
   printf-style message; returns `status`. */
ps_status ps__integ_fail(ps_error *err, ps_status status, double time,
                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* PS_ERR_NONFINITE: "state i became NaN" (or infinite) at `time`. */
ps_status ps__integ_state_nonfinite(ps_error *err, size_t i, double value,
                                    double time);

/* PS_ERR_INTEGRATION for a fixed-step `method` whose right-hand side
   returned `code` (non-zero) when called at `time`. */
ps_status ps__integ_rhs_failed(ps_error *err, const char *method, int code,
                               double time);

#endif
