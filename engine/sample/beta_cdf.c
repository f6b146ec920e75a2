/*
 * The regularised incomplete beta I_x(a, b) for the beta quantile of many
 * draws: with ln B(a, b) known beforehand and the logarithms of x and
 * 1 - x shared with the density, one evaluation costs about half of
 * gsl_cdf_beta_P's, which recomputes ln B(a, b) every time.
 *
 * I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) / (1 + d_1 / (1 + d_2 / ...)),
 * the continued fraction of DLMF 8.17.22 with
 *   d_2m   =  m (b - m) x / ((a + 2m - 1) (a + 2m)),
 *   d_2m+1 = -(a + m) (a + b + m) x / ((a + 2m) (a + 2m + 1)),
 * which converges fast for x < (a + 1) / (a + b + 2); above that point
 * I_x(a, b) = 1 - I_(1-x)(b, a) is used.  The fraction is evaluated by
 * the modified Lentz method (Thompson & Barnett 1986).
 */
#include <float.h>
#include <math.h>

#include "sample_impl.h"

/* Past this many terms the fraction's value so far is returned (it
   converges in tens of terms for the shapes a PERT can have). */
#define MAX_TERMS 1000

/* Lentz's guard against a zero denominator. */
#define TINY 1e-300

/* One step of Lentz's method with the partial numerator d. */
static void lentz_step(double d, double *c, double *den, double *f,
                       double *delta)
{
    *den = 1.0 + d * *den;
    if (fabs(*den) < TINY)
        *den = TINY;
    *c = 1.0 + d / *c;
    if (fabs(*c) < TINY)
        *c = TINY;
    *den = 1.0 / *den;
    *delta = *c * *den;
    *f *= *delta;
}

/* 1 + d_1 / (1 + d_2 / (1 + ...)) at (a, b, x). */
static double fraction(double a, double b, double x)
{
    double f = 1.0, c = 1.0, den = 0.0, delta;
    lentz_step(-(a + b) * x / (a + 1.0), &c, &den, &f, &delta);
    for (int m = 1; m < MAX_TERMS; m++) {
        const double two_m = 2.0 * m;
        lentz_step(m * (b - m) * x / ((a + two_m - 1.0) * (a + two_m)), &c,
                   &den, &f, &delta);
        lentz_step(-(a + m) * (a + b + m) * x /
                       ((a + two_m) * (a + two_m + 1.0)),
                   &c, &den, &f, &delta);
        if (fabs(delta - 1.0) <= DBL_EPSILON)
            break;
    }
    return f;
}

double ps__beta_cdf_density(double x, double a, double b, double lnbeta,
                            double *pdf)
{
    const double one_minus_x = 1.0 - x;
    /* x^a (1 - x)^b / B(a, b), from which both follow.  x^a by pow, to
       the last bit or so, where exp(a ln x + ...) would lose |a ln x|
       units in the last place far in the left tail; by exp where x^a
       alone would leave the normal range. */
    const double log_one_minus = b * log1p(-x) - lnbeta;
    const double xa = pow(x, a);
    const double front = xa >= DBL_MIN ? xa * exp(log_one_minus)
                                       : exp(a * log(x) + log_one_minus);
    *pdf = front / (x * one_minus_x);
    if (x < (a + 1.0) / (a + b + 2.0))
        return front / (a * fraction(a, b, x));
    return 1.0 - front / (b * fraction(b, a, one_minus_x));
}
