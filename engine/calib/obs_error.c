/*
 * Measurement-error models of observed series: the log density of an
 * observation given the model's value, and replicate observations for the
 * posterior-predictive check.
 *
 * normal:    y ~ N(m, s),  s = sd, or cv x |y| (the published value's
 *            own scale, so the error does not move with the particle)
 * lognormal: log y ~ N(log m, sigma),  sigma = sd (of the log), or
 *            sqrt(log(1 + cv^2)) (the lognormal whose cv is cv)
 */
#include <math.h>

#include "plansim/calib_batch.h"

static const double log_sqrt_2pi = 0.91893853320467274178;

/* The sd of the normal (of the log, for a lognormal) of observation y. */
static double error_scale(const ps_obs_error *e, double observed)
{
    if (!e->relative)
        return e->scale;
    if (e->kind == PS_OBS_LOGNORMAL)
        return sqrt(log1p(e->scale * e->scale));
    return e->scale * fabs(observed);
}

double ps_obs_loglik(const ps_obs_error *e, double observed, double simulated)
{
    if (!isfinite(simulated) || !isfinite(observed))
        return -INFINITY;
    double s = error_scale(e, observed);
    if (!(s > 0))
        return -INFINITY;
    double r;
    if (e->kind == PS_OBS_LOGNORMAL) {
        if (observed <= 0 || simulated <= 0)
            return -INFINITY;
        r = (log(observed) - log(simulated)) / s;
        /* the density of y, not of log y: the Jacobian 1/y */
        return -0.5 * r * r - log(s) - log_sqrt_2pi - log(observed);
    }
    r = (observed - simulated) / s;
    return -0.5 * r * r - log(s) - log_sqrt_2pi;
}

double ps_obs_replicate(const ps_obs_error *e, double observed,
                        double simulated, double normal)
{
    if (!isfinite(simulated))
        return NAN;
    double s = error_scale(e, observed);
    if (e->kind == PS_OBS_LOGNORMAL)
        return simulated > 0 ? simulated * exp(s * normal) : NAN;
    return simulated + s * normal;
}
