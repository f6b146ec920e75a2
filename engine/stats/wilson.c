/*
 * The Wilson score interval for a binomial proportion (Wilson 1927):
 *   centre = (p + z^2 / 2n) / (1 + z^2 / n)
 *   half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2)
 * with p = hits / n and z the standard normal quantile at (1 + level) / 2.
 * Unlike the normal (Wald) interval it stays inside [0, 1] and keeps its
 * coverage near p = 0 and p = 1, where plan targets often sit.
 */
#include "plansim/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

void ps_stats_wilson(size_t hits, size_t n, double level, double *lo,
                     double *hi)
{
    double l = NAN, h = NAN;
    if (n == 0) {
        l = 0.0;
        h = 1.0;
    } else if (hits <= n && level > 0.0 && level < 1.0) {
        const double z = gsl_cdf_ugaussian_Qinv(0.5 * (1.0 - level));
        const double nn = (double)n, p = (double)hits / nn, z2 = z * z;
        const double denom = 1.0 + z2 / nn;
        const double centre = (p + z2 / (2.0 * nn)) / denom;
        const double half =
            z / denom * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
        /* Rounding must not push the ends past 0 or 1 (0 or n hits). */
        l = hits == 0 ? 0.0 : fmax(centre - half, 0.0);
        h = hits == n ? 1.0 : fmin(centre + half, 1.0);
    }
    if (lo)
        *lo = l;
    if (hi)
        *hi = h;
}
