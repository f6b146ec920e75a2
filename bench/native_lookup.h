/*
 * plansim-bench: Vensim's lookup rule in plain C, for the hand-coded
 * models: linear interpolation between the points, the end y values held
 * outside the x range.  Written as a hand-coded model would write it (a
 * short linear scan, inlined), with the interpolation formula the engine
 * uses, so both give the same double.
 */
#ifndef PLANSIM_BENCH_NATIVE_LOOKUP_H
#define PLANSIM_BENCH_NATIVE_LOOKUP_H

#include <stddef.h>

/* y at v over the n >= 1 points (x[i], y[i]), x increasing. */
static inline double native_lookup(const double *x, const double *y,
                                   size_t n, double v)
{
    size_t i = 0;
    while (i < n && x[i] < v)
        i++;
    if (i == n)
        return y[n - 1];
    if (i == 0 || x[i] == v)
        return y[i];
    return y[i - 1] + (y[i] - y[i - 1]) * (v - x[i - 1]) / (x[i] - x[i - 1]);
}

#endif
