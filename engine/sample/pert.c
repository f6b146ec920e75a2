/*
 * The beta quantile behind PERT.
 *
 * Why not gsl_cdf_beta_Pinv: in GSL 2.7 it fails to converge for some
 * PERT shapes that a scenario can ask for (lambda of a few hundred, e.g.
 * a = 199, b = 3 at u = 1e-8) and then calls GSL's error handler, whose
 * default aborts the process; it is also slower (a bisection to start).
 * This file inverts gsl_cdf_beta_P, which is accurate and never fails for
 * a, b >= 1: from a close first guess (Abramowitz & Stegun 26.5.22, a
 * normal approximation through the Wilson-Hilferty form, or the left-tail
 * power law, whichever is closer) it takes Halley steps, which converge
 * cubically, so two or three evaluations of the incomplete beta usually
 * suffice.  Every step is kept inside a bracket that shrinks around the
 * root, with a bisection whenever a step would leave it, so it always
 * converges.
 */
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#include "sample_impl.h"

#define MAX_ITERATIONS 300

/* A Newton step smaller than this, relative to x, makes the Halley step
   taken with it the last one. */
#define HALLEY_DONE 1e-8

/* A first guess of the u-quantile of Beta(a, b), a, b >= 1, u <= 1/2
   (Abramowitz & Stegun 26.5.22 with the normal quantile of 26.2.22). */
static double first_guess(double u, double a, double b, double lnbeta,
                          double log_a)
{
    const double log_u = log(u);
    const double t = sqrt(-2.0 * log_u);
    const double z =
        -(t - (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)));
    const double al = (z * z - 3.0) / 6.0;
    const double h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0));
    const double w =
        z * sqrt(al + h) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) *
                                   (al + 5.0 / 6.0 - 2.0 / (3.0 * h));
    double x = a / (a + b * exp(2.0 * w));
    /* Far in the left tail I_x(a, b) ~ x^a / (a B(a, b)) is closer. */
    const double tail = exp((log_u + log_a + lnbeta) / a);
    if (tail > 0.0 && tail < 1.0 && (!(x > 0.0 && x < 1.0) || tail < x))
        x = tail;
    if (!(x > 0.0 && x < 1.0))
        x = a / (a + b);
    return x;
}

/* I_x(a, b) and, in *pdf, the density at x (ln B(a, b) given). */
typedef double cdf_and_density(double x, double a, double b, double lnbeta,
                               double *pdf);

/* GSL's incomplete beta, the reference. */
static double gsl_cdf_and_density(double x, double a, double b, double lnbeta,
                                  double *pdf)
{
    *pdf = exp((a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - lnbeta);
    return gsl_cdf_beta_P(x, a, b);
}

/* The u-quantile for u <= 1/2, where u has full relative precision, by
   Halley steps from x in (0, 1) on the CDF `cdf`; lnbeta = ln B(a, b). */
static double halley(double u, double a, double b, double lnbeta, double x,
                     cdf_and_density *cdf)
{
    double lo = 0.0, hi = 1.0;
    for (int it = 0; it < MAX_ITERATIONS; it++) {
        double pdf;
        const double f = cdf(x, a, b, lnbeta, &pdf) - u;
        if (f == 0.0)
            return x;
        if (f < 0.0)
            lo = x;
        else
            hi = x;
        /* Halley: the Newton step f / f', corrected by the curvature
           f'' / f' = (a - 1) / x - (b - 1) / (1 - x), the correction
           bounded so the step stays between 2/3 and 2 Newton steps. */
        const double newton = f / pdf;
        const double c = 0.5 * newton * ((a - 1.0) / x - (b - 1.0) / (1.0 - x));
        double next = x - newton / (1.0 - fmax(fmin(c, 0.5), -0.5));
        /* A step that rounds back onto x: x is the root to the last bit
           (where f < 0 made x the bracket's end, the test below would
           otherwise throw it away for a bisection). */
        if (next == x)
            return x;
        if (!(next > lo && next < hi)) {
            next = 0.5 * (lo + hi);
        } else if (fabs(newton) <= HALLEY_DONE * x) {
            /* Halley's error after a step of relative size d is of order
               d^3: far below the last bit here. */
            return next;
        }
        if (fabs(next - x) <= 2.0 * DBL_EPSILON * x)
            return next;
        x = next;
    }
    return x;
}

/* As halley on GSL's CDF, from the first guess; log_a = ln a. */
static double lower_quantile(double u, double a, double b, double lnbeta,
                             double log_a)
{
    return halley(u, a, b, lnbeta, first_guess(u, a, b, lnbeta, log_a),
                  gsl_cdf_and_density);
}

double ps__beta_lower_quantile_from(const ps__beta_shape *s, int upper,
                                    double u, double x)
{
    const double a = upper ? s->b : s->a, b = upper ? s->a : s->b;
    const double lnbeta = upper ? s->lnbeta_ba : s->lnbeta_ab;
    if (!(x > 0.0 && x < 1.0))
        x = first_guess(u, a, b, lnbeta, upper ? s->log_b : s->log_a);
    return halley(u, a, b, lnbeta, x, ps__beta_cdf_density);
}

void ps__beta_shape_init(ps__beta_shape *s, double a, double b)
{
    s->a = a;
    s->b = b;
    /* Both orders: nothing promises gsl_sf_lnbeta is symmetric to the
       last bit, and each tail has always used its own order. */
    s->lnbeta_ab = gsl_sf_lnbeta(a, b);
    s->lnbeta_ba = gsl_sf_lnbeta(b, a);
    s->log_a = log(a);
    s->log_b = log(b);
}

double ps__beta_shape_quantile(const ps__beta_shape *s, double u)
{
    if (!(u > 0.0))
        return 0.0;
    if (!(u < 1.0))
        return 1.0;
    /* X ~ Beta(a, b) has 1 - X ~ Beta(b, a); 1 - u is exact for u > 1/2. */
    if (u > 0.5)
        return 1.0 -
               lower_quantile(1.0 - u, s->b, s->a, s->lnbeta_ba, s->log_b);
    return lower_quantile(u, s->a, s->b, s->lnbeta_ab, s->log_a);
}

double ps__beta_quantile(double u, double a, double b)
{
    if (!(u > 0.0))
        return 0.0;
    if (!(u < 1.0))
        return 1.0;
    if (u > 0.5)
        return 1.0 - lower_quantile(1.0 - u, b, a, gsl_sf_lnbeta(b, a), log(b));
    return lower_quantile(u, a, b, gsl_sf_lnbeta(a, b), log(a));
}
