/*
 * Mean and standard deviation in two passes (the mean first, then the sum
 * of squared deviations), which avoids the cancellation of sum(x^2) -
 * n mean^2.  Sums run in index order so the figures are reproducible.
 */
#include "plansim/stats.h"

#include <math.h>

void ps_stats_mean_sd(const double *x, size_t n, double *mean, double *sd,
                      size_t *count)
{
    size_t c = 0;
    double sum = 0.0;
    for (size_t i = 0; x && i < n; i++) {
        if (isfinite(x[i])) {
            sum += x[i];
            c++;
        }
    }
    const double m = c > 0 ? sum / (double)c : NAN;
    double ss = 0.0;
    for (size_t i = 0; c > 1 && i < n; i++)
        if (isfinite(x[i]))
            ss += (x[i] - m) * (x[i] - m);
    if (mean)
        *mean = m;
    if (sd)
        *sd = c > 1 ? sqrt(ss / (double)(c - 1)) : NAN;
    if (count)
        *count = c;
}
