/*
 * Type-7 quantiles (Hyndman & Fan 1996): h = (n - 1) p, then linear
 * interpolation between the order statistics x[floor h] and x[floor h + 1].
 * The interpolation is written as numpy's (numpy.lib.function_base._lerp):
 * from the lower neighbour below t = 1/2 and from the upper one above, so
 * results agree with numpy.quantile to the last bit; R's quantile(type = 7)
 * computes the same value up to rounding.  The order statistics are found
 * by selection (select.c), in O(n) rather than a full sort: the values are
 * the same.
 */
#include "plansim/stats.h"

#include <math.h>

#include "stats_impl.h"

double stats_type7_lerp(double a, double b, double t)
{
    const double diff = b - a;
    return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

void stats_type7_ranks(size_t c, double p, size_t *lo, size_t *hi, double *t)
{
    const double h = (double)(c - 1) * p;
    const double fl = floor(h);
    size_t i = (size_t)fl;
    if (i >= c - 1) {
        *lo = *hi = c - 1;
        *t = 0.0;
        return;
    }
    *lo = i;
    *hi = i + 1;
    *t = h - fl;
}

size_t ps_stats_quantiles(const double *x, size_t n, const double *p, size_t np,
                          double *out, double *scratch)
{
    size_t c = 0;
    for (size_t i = 0; x && scratch && i < n; i++)
        if (isfinite(x[i]))
            scratch[c++] = x[i];
    /* The levels in batches of STATS_MAX_RANKS / 2: each needs two ranks. */
    enum { BATCH = STATS_MAX_RANKS / 2 };
    for (size_t k0 = 0; out && p && k0 < np; k0 += BATCH) {
        size_t nk = np - k0 < BATCH ? np - k0 : BATCH, nr = 0;
        size_t ranks[STATS_MAX_RANKS];
        double t[BATCH], v[STATS_MAX_RANKS];
        int ok[BATCH];
        for (size_t k = 0; k < nk; k++) {
            double pk = p[k0 + k];
            ok[k] = c > 0 && pk >= 0.0 && pk <= 1.0;
            if (ok[k]) {
                stats_type7_ranks(c, pk, &ranks[nr], &ranks[nr + 1], &t[k]);
                nr += 2;
            }
        }
        stats_select_ranks(scratch, c, ranks, nr, v);
        for (size_t k = 0, r = 0; k < nk; k++) {
            if (!ok[k]) {
                out[k0 + k] = NAN;
                continue;
            }
            out[k0 + k] = ranks[r] == ranks[r + 1]
                              ? v[r]
                              : stats_type7_lerp(v[r], v[r + 1], t[k]);
            r += 2;
        }
    }
    return c;
}
