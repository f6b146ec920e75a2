/*
 * Vensim's RANDOM builtins as inverse transforms of one uniform u in (0,1).
 *
 * Each distribution is truncated to [min, max] exactly: with F its CDF,
 * the draw is F^-1(F(lo) + u*(F(hi) - F(lo))) on the support clipped to
 * [min, max].  Where F(lo) and F(hi) are both near 1 the survival function
 * S = 1 - F is used instead, so the far tails keep their precision.
 */
#include "plansim/fn.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

static double clip(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int any_nan(double a, double b, double c, double d)
{
    return isnan(a) || isnan(b) || isnan(c) || isnan(d);
}

double ps_fn_random_uniform(double min, double max, double u)
{
    if (any_nan(min, max, u, 0.0))
        return NAN;
    if (!(max > min))
        return min;
    /* u < 1, but rounding in max - min can still carry the sum past max. */
    return clip(min + (max - min) * u, min, max);
}

double ps_fn_random_normal(double min, double max, double mean, double stdev,
                           double u)
{
    if (any_nan(min, max, mean, stdev) || isnan(u))
        return NAN;
    if (!(max > min))
        return min;
    if (!(stdev > 0.0))
        return clip(mean, min, max);
    double za = (min - mean) / stdev, zb = (max - mean) / stdev;
    double z;
    if (za > 0.0) {
        /* Both bounds above the mean: work with Q(z) = 1 - P(z). */
        double qa = gsl_cdf_ugaussian_Q(za), qb = gsl_cdf_ugaussian_Q(zb);
        if (!(qa > qb)) /* the interval lies beyond double's tail */
            return min;
        z = gsl_cdf_ugaussian_Qinv(qa - u * (qa - qb));
    } else {
        double pa = gsl_cdf_ugaussian_P(za), pb = gsl_cdf_ugaussian_P(zb);
        if (!(pb > pa))
            return max;
        z = gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
    }
    return clip(mean + stdev * z, min, max);
}

double ps_fn_random_exponential(double min, double max, double shift,
                                double stretch, double u)
{
    if (any_nan(min, max, shift, stretch) || isnan(u))
        return NAN;
    if (!(max > min))
        return min;
    if (stretch == 0.0)
        return clip(shift, min, max);
    /* x = shift + stretch*e with e >= 0: the e range that lands in
       [min, max], whichever sign stretch has. */
    double e1 = (min - shift) / stretch, e2 = (max - shift) / stretch;
    double lo = fmax(fmin(e1, e2), 0.0), hi = fmax(e1, e2);
    if (!(hi > lo)) /* [min, max] misses the support entirely */
        return clip(shift, min, max);
    /* Survival S(e) = exp(-e) keeps its relative precision in the tail. */
    double sa = exp(-lo), sb = exp(-hi);
    double e = -log(sa - u * (sa - sb));
    return clip(shift + stretch * clip(e, lo, hi), min, max);
}

/* The CDF of the triangular distribution on [a, c] with mode b. */
static double triangular_cdf(double x, double a, double b, double c)
{
    if (x <= a)
        return 0.0;
    if (x >= c)
        return 1.0;
    if (x <= b)
        return (x - a) * (x - a) / ((c - a) * (b - a));
    return 1.0 - (c - x) * (c - x) / ((c - a) * (c - b));
}

static double triangular_inv(double p, double a, double b, double c)
{
    double pb = (b - a) / (c - a);
    if (p <= pb)
        return a + sqrt(p * (c - a) * (b - a));
    return c - sqrt((1.0 - p) * (c - a) * (c - b));
}

double ps_fn_random_triangular(double min, double max, double start,
                               double peak, double end, double u)
{
    if (any_nan(min, max, start, peak) || isnan(end) || isnan(u))
        return NAN;
    if (!(max > min))
        return min;
    if (!(end > start))
        return clip(start, min, max);
    peak = clip(peak, start, end);
    double lo = fmax(min, start), hi = fmin(max, end);
    if (!(hi > lo)) /* [min, max] misses [start, end] */
        return clip(peak, min, max);
    double fa = triangular_cdf(lo, start, peak, end);
    double fb = triangular_cdf(hi, start, peak, end);
    double x = triangular_inv(fa + u * (fb - fa), start, peak, end);
    return clip(x, lo, hi);
}
