/*
 * The beta quantile behind PERT.
 *
 * Why not gsl_cdf_beta_Pinv: in GSL 2.7 it fails to converge for some
 * PERT shapes that a scenario can ask for (lambda of a few hundred, e.g.
 * a = 199, b = 3 at u = 1e-8) and then calls GSL's error handler, whose
 * default aborts the process.  This file inverts gsl_cdf_beta_P, which is
 * accurate and never fails for a, b >= 1, by Newton's method kept inside a
 * shrinking bracket (a bisection step whenever Newton would leave it).
 */
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#include "sample_impl.h"

#define MAX_ITERATIONS 300

/* The u-quantile for u <= 1/2, where u has full relative precision. */
static double lower_quantile(double u, double a, double b)
{
    const double lnbeta = gsl_sf_lnbeta(a, b);
    /* Start from the left-tail approximation I_x(a, b) ~ x^a / (a B(a, b)),
       or from the mean when that lands outside (0, 1). */
    double x = exp((log(u) + log(a) + lnbeta) / a);
    if (!(x > 0.0 && x < 1.0))
        x = a / (a + b);
    double lo = 0.0, hi = 1.0;
    for (int it = 0; it < MAX_ITERATIONS; it++) {
        const double f = gsl_cdf_beta_P(x, a, b) - u;
        if (f == 0.0)
            return x;
        if (f < 0.0)
            lo = x;
        else
            hi = x;
        const double pdf =
            exp((a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - lnbeta);
        double next = x - f / pdf;
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        if (fabs(next - x) <= 2.0 * DBL_EPSILON * x)
            return next;
        x = next;
    }
    return x;
}

double ps__beta_quantile(double u, double a, double b)
{
    if (!(u > 0.0))
        return 0.0;
    if (!(u < 1.0))
        return 1.0;
    /* X ~ Beta(a, b) has 1 - X ~ Beta(b, a); 1 - u is exact for u > 1/2. */
    if (u > 0.5)
        return 1.0 - lower_quantile(1.0 - u, b, a);
    return lower_quantile(u, a, b);
}
