/*
 * plansim: summary statistics of ensembles.
 *
 * Quantiles use linear interpolation between order statistics at
 * h = (n - 1) p (Hyndman & Fan type 7): the default of numpy.quantile and
 * of R's quantile(), so analysts who recompute them get the same numbers.
 * Sums run in index order, so figures are reproducible bit for bit.
 */
#ifndef PLANSIM_STATS_H
#define PLANSIM_STATS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Mean and sample standard deviation (n - 1) of the finite values in
   x[0..n), in two passes; *count gets how many were finite.  NaN when none
   (sd: fewer than 2).  Any output pointer may be NULL. */
void ps_stats_mean_sd(const double *x, size_t n, double *mean, double *sd,
                      size_t *count);

/*
 * Quantiles of the finite values in x[0..n), type 7.  Sorts a copy held in
 * `scratch` (n doubles, caller's); writes out[i] for each p[i] in [0,1]
 * (NaN for a p[i] outside [0,1] or NaN).  Returns how many values were
 * finite (0: out[] is NaN).  Equal to numpy.quantile bit for bit.
 */
size_t ps_stats_quantiles(const double *x, size_t n, const double *p, size_t np,
                          double *out, double *scratch);

/* Wilson score interval for `hits` successes in `n` trials at confidence
   `level` (0.95): *lo, *hi in [0,1].  n = 0 gives [0, 1]; hits > n or a
   level outside (0, 1) gives NaN.  lo or hi may be NULL. */
void ps_stats_wilson(size_t hits, size_t n, double level, double *lo,
                     double *hi);

#ifdef __cplusplus
}
#endif
#endif
