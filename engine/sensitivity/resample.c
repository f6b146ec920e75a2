/*
 * The bootstrap shared by the estimators: resampled row indices from the
 * addressed generator, and intervals from the resampled estimates.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "plansim/rng.h"
#include "plansim/stats.h"
#include "sens_impl.h"

void sens_resample(uint64_t seed, uint64_t b, size_t n, size_t *idx)
{
    ps_rng_address addr = {seed, b, PS_SENS_STREAM + SENS_STREAM_BOOTSTRAP};
    for (size_t i = 0; i < n; i++) {
        /* u < 1, so floor(u n) < n; the check guards rounding anyway. */
        size_t r = (size_t)(ps_rng_uniform(&addr, i) * (double)n);
        idx[i] = r < n ? r : n - 1;
    }
}

void sens_interval(const double *x, size_t nboot, double level, double *low,
                   double *high, double *conf, double *scratch)
{
    double p[2] = {(1 - level) / 2, (1 + level) / 2}, q[2];
    size_t n = ps_stats_quantiles(x, nboot, p, 2, q, scratch);
    *low = n ? q[0] : NAN;
    *high = n ? q[1] : NAN;
    double sd;
    ps_stats_mean_sd(x, nboot, NULL, &sd, NULL);
    *conf = isfinite(sd) ? gsl_cdf_ugaussian_Pinv(p[1]) * sd : NAN;
}
