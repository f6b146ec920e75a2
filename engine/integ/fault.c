/*
 * How the integrators word their failures: one place, so every method says
 * "state 3 became NaN" the same way and always sets the time.
 */
#include <math.h>
#include <stdarg.h>

#include "integ_impl.h"

size_t ps__integ_first_nonfinite(const double v[], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return i;
    return n;
}

ps_status ps__integ_fail(ps_error *err, ps_status status, double time,
                         const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return status;
    va_start(ap, fmt);
    ps_error_vset(err, status, NULL, 0, 0, fmt, ap);
    va_end(ap);
    err->has_time = 1;
    err->time = time;
    return status;
}

ps_status ps__integ_state_nonfinite(ps_error *err, size_t i, double value,
                                    double time)
{
    return ps__integ_fail(err, PS_ERR_NONFINITE, time, "state %zu became %s",
                          i, isnan(value) ? "NaN" : "infinite");
}

ps_status ps__integ_rhs_failed(ps_error *err, const char *method, int code,
                               double time)
{
    if (code > 0)
        return ps__integ_fail(err, PS_ERR_INTEGRATION, time,
                              "the right-hand side rejected the state "
                              "(code %d) and %s cannot shrink its fixed step",
                              code, method);
    return ps__integ_fail(err, PS_ERR_INTEGRATION, time,
                          "the right-hand side failed (code %d)", code);
}
