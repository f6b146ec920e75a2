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
 * Quantiles of the finite values in x[0..n), type 7.  Selects the order
 * statistics (O(n)) in a copy held in `scratch` (n doubles, caller's; may
 * be x itself, which is then rearranged); writes out[i] for each p[i] in
 * [0,1]
 * (NaN for a p[i] outside [0,1] or NaN).  Returns how many values were
 * finite (0: out[] is NaN).  Equal to numpy.quantile bit for bit.
 */
size_t ps_stats_quantiles(const double *x, size_t n, const double *p, size_t np,
                          double *out, double *scratch);

/*
 * Statistics of many columns in bounded memory.  The values of each
 * column are fed in passes, each pass giving every value again in the
 * same order, block after block:
 *
 *     ps_colstats *s = ps_colstats_new(ncols, p, np, hold);
 *     while (ps_colstats_begin_pass(s) > 0) {
 *         for each block: for each column c: ps_colstats_feed(s, c, x, n);
 *         for each column c: ps_colstats_end_pass(s, c);
 *     }
 *     ps_colstats_result(s, c, &mean, &sd, &count, q);
 *
 * The results equal ps_stats_mean_sd and ps_stats_quantiles over the
 * whole column, bit for bit.  A column of at most `hold` finite values is
 * done after one pass (it is held); a longer one is never held: it takes
 * a second pass for its sd and, on smooth data, for its quantiles too
 * (exact order statistics by narrowing histograms, see colstats.c), in
 * memory of about 100 kB per column whatever its length.  Different columns may be
 * fed and ended from different threads at once; begin_pass is called by
 * one thread.  np is at most 32.
 */
typedef struct ps_colstats ps_colstats;

/* NULL on no memory or np > 32.  Copies p. */
ps_colstats *ps_colstats_new(size_t ncols, const double *p, size_t np,
                             size_t hold);
void ps_colstats_free(ps_colstats **s);

/* Starts a pass: 1 when one is needed (always the first), 0 when every
   column is done, -1 on no memory. */
int ps_colstats_begin_pass(ps_colstats *s);

/* The next n values of column `col` in this pass (non-finite ones are
   left out, as the functions above do). */
void ps_colstats_feed(ps_colstats *s, size_t col, const double *x, size_t n);

/* Ends the pass for column `col`. */
void ps_colstats_end_pass(ps_colstats *s, size_t col);

/* Column col's results, once begin_pass has returned 0: mean, sd, count of
   finite values and q[np] (NaN as ps_stats_mean_sd and ps_stats_quantiles
   give them).  Any pointer may be NULL. */
void ps_colstats_result(const ps_colstats *s, size_t col, double *mean,
                        double *sd, size_t *count, double *q);

/* Wilson score interval for `hits` successes in `n` trials at confidence
   `level` (0.95): *lo, *hi in [0,1].  n = 0 gives [0, 1]; hits > n or a
   level outside (0, 1) gives NaN.  lo or hi may be NULL. */
void ps_stats_wilson(size_t hits, size_t n, double level, double *lo,
                     double *hi);

#ifdef __cplusplus
}
#endif
#endif
