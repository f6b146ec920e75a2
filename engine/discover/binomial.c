/*
 * The upper tail of the binomial distribution, P(X >= h) for X ~ B(n, p),
 * for the quasi-p-values of PRIM boxes.
 *
 * Those tails are often far below 1e-16 (a box of 500 runs at density
 * 0.9 against 0.4 without a limit), so 1 - CDF would give 0, and GSL's
 * gsl_cdf_binomial_Q goes through an incomplete beta continued fraction
 * that may call the GSL error handler for large n.  Here the terms are
 * summed directly, each from the previous one by the ratio
 * pmf(i + 1) / pmf(i) = (n - i) p / ((i + 1) (1 - p)), relative to the
 * first term, whose logarithm comes from log-gamma: no underflow until
 * the result itself underflows, and no cancellation.  When h lies below
 * the mean the tail is at least about one half and is taken as
 * 1 - P(X <= h - 1), summed downwards the same way.
 */
#include "plansim/discover.h"

#include <math.h>

#include <gsl/gsl_sf_gamma.h>

/* log pmf(i) of B(n, p), 0 < p < 1. */
static double log_pmf(size_t i, size_t n, double p)
{
    return gsl_sf_lnchoose((unsigned)n, (unsigned)i) + (double)i * log(p) +
           (double)(n - i) * log1p(-p);
}

/* Sum of pmf(i) over i = from ... to (from <= to), from the end nearer
   the mode (`upward`: from `from` up, else from `to` down), where the
   terms only shrink. */
static double tail_sum(size_t from, size_t to, size_t n, double p,
                       int upward)
{
    double odds = p / (1.0 - p);
    size_t first = upward ? from : to;
    double rel = 1.0, term = 1.0;
    if (upward) {
        for (size_t i = first; i < to; i++) {
            term *= (double)(n - i) / (double)(i + 1) * odds;
            rel += term;
            if (term < rel * 1e-17)
                break;
        }
    } else {
        for (size_t i = first; i > from; i--) {
            term *= (double)i / (double)(n - i + 1) / odds;
            rel += term;
            if (term < rel * 1e-17)
                break;
        }
    }
    return exp(log_pmf(first, n, p) + log(rel));
}

double ps_binomial_upper_tail(size_t h, size_t n, double p)
{
    if (!(p >= 0.0 && p <= 1.0))
        return NAN;
    if (h == 0)
        return 1.0;
    if (h > n)
        return 0.0;
    if (p == 0.0)
        return 0.0;
    if (p == 1.0)
        return 1.0;
    if ((double)h > (double)n * p)
        return fmin(tail_sum(h, n, n, p, 1), 1.0);
    double below = tail_sum(0, h - 1, n, p, 0);
    return fmax(1.0 - below, 0.0);
}
