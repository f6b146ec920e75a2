/*
 * Type-7 quantiles (Hyndman & Fan 1996): h = (n - 1) p, then linear
 * interpolation between the order statistics x[floor h] and x[floor h + 1].
 * The interpolation is written as numpy's (numpy.lib.function_base._lerp):
 * from the lower neighbour below t = 1/2 and from the upper one above, so
 * results agree with numpy.quantile to the last bit; R's quantile(type = 7)
 * computes the same value up to rounding.
 */
#include "plansim/stats.h"

#include <math.h>
#include <stdlib.h>

static int double_cmp(const void *pa, const void *pb)
{
    const double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static double lerp(double a, double b, double t)
{
    const double diff = b - a;
    return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

/* The p-quantile of the n >= 1 sorted values s. */
static double type7(const double *s, size_t n, double p)
{
    const double h = (double)(n - 1) * p;
    const double lo = floor(h);
    size_t i = (size_t)lo;
    if (i >= n - 1)
        return s[n - 1];
    return lerp(s[i], s[i + 1], h - lo);
}

size_t ps_stats_quantiles(const double *x, size_t n, const double *p, size_t np,
                          double *out, double *scratch)
{
    size_t c = 0;
    for (size_t i = 0; x && scratch && i < n; i++)
        if (isfinite(x[i]))
            scratch[c++] = x[i];
    qsort(scratch, c, sizeof *scratch, double_cmp);
    for (size_t k = 0; out && p && k < np; k++) {
        if (c == 0 || !(p[k] >= 0.0 && p[k] <= 1.0))
            out[k] = NAN;
        else
            out[k] = type7(scratch, c, p[k]);
    }
    return c;
}
