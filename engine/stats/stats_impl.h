/*
 * ps_stats internals shared by its files: selection of order statistics
 * and the type-7 interpolation between them.
 */
#ifndef PLANSIM_STATS_IMPL_H
#define PLANSIM_STATS_IMPL_H

#include <stddef.h>

/* Most ranks stats_select_ranks takes (two per quantile level). */
#define STATS_MAX_RANKS 64

/* The k-th smallest (0-based, k < n) of x[0..n), which it rearranges:
   afterwards x[i] <= x[k] for i < k and x[i] >= x[k] for i > k.  No NaN
   in x. */
double stats_select(double *x, size_t n, size_t k);

/* The order statistics of ranks[0..nranks) (each below n, in any order,
   at most STATS_MAX_RANKS) into out[], rearranging x. */
void stats_select_ranks(double *x, size_t n, size_t *ranks, size_t nranks,
                        double *out);

/* For the p-quantile of c values (type 7): the ranks of the two order
   statistics it interpolates between (equal when it is one of them), and
   the weight t of the upper one.  p in [0, 1], c >= 1. */
void stats_type7_ranks(size_t c, double p, size_t *lo, size_t *hi, double *t);

/* The type-7 value from the two order statistics, as numpy computes it. */
double stats_type7_lerp(double a, double b, double t);

#endif
