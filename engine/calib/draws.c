/*
 * Drawing from weighted particles (plansim/calib.h): the particle at a
 * point of the running weights, and each input's marginal quantiles.
 */
#include <stdlib.h>
#include <string.h>

#include "calib_impl.h"
#include "plansim/order.h"

void ps_calib_draws_free(ps_calib_draws *dr)
{
    if (!dr)
        return;
    free(dr->cumulative);
    free(dr->sorted);
    free(dr->marginal);
    memset(dr, 0, sizeof *dr);
}

/* The first index of cum[0..n) above v (>= v when `reach`), or n - 1. */
static size_t first_past(const double *cum, size_t n, double v, int reach)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (reach ? cum[mid] >= v : cum[mid] > v)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static ps_status sort_marginals(ps_calib_draws *dr, const double *w,
                                ps_error *err)
{
    size_t n = dr->n, d = dr->d;
    ps_keyed *k = malloc(n * sizeof *k);
    if (!k)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for %zu particles", n);
    for (size_t j = 0; j < d; j++) {
        for (size_t i = 0; i < n; i++)
            k[i] = (ps_keyed){dr->x[i * d + j], i};
        ps_keyed_sort(k, n);
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            double wi = w[k[i].index];
            dr->sorted[j * n + i] = k[i].index;
            dr->marginal[j * n + i] = sum += wi > 0 ? wi : 0;
        }
        for (size_t i = 0; i < n; i++)
            dr->marginal[j * n + i] /= sum;
    }
    free(k);
    return PS_OK;
}

ps_status ps_calib_draws_init(ps_calib_draws *dr, size_t n, size_t d,
                              const double *x, const double *w, ps_error *err)
{
    memset(dr, 0, sizeof *dr);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i] > 0 ? w[i] : 0;
    if (n == 0 || !(sum > 0))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no particle has a positive weight");
    *dr = (ps_calib_draws){n,
                           d,
                           x,
                           malloc(n * sizeof(double)),
                           malloc(n * (d ? d : 1) * sizeof(size_t)),
                           malloc(n * (d ? d : 1) * sizeof(double))};
    if (!dr->cumulative || !dr->sorted || !dr->marginal) {
        ps_calib_draws_free(dr);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for %zu particles", n);
    }
    double run = 0;
    for (size_t i = 0; i < n; i++)
        dr->cumulative[i] = (run += w[i] > 0 ? w[i] : 0) / sum;
    ps_status st = sort_marginals(dr, w, err);
    if (st != PS_OK)
        ps_calib_draws_free(dr);
    return st;
}

size_t ps_calib_draws_pick(const ps_calib_draws *dr, double v)
{
    return first_past(dr->cumulative, dr->n, v, 0);
}

double ps_calib_draws_quantile(const ps_calib_draws *dr, size_t j, double p)
{
    size_t n = dr->n;
    size_t i = first_past(dr->marginal + j * n, n, p, 1);
    return dr->x[dr->sorted[j * n + i] * dr->d + j];
}
