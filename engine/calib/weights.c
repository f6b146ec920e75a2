/*
 * Particle weights: normalising log weights, the effective sample size,
 * systematic resampling (Kitagawa 1996; Douc, Cappe & Moulines, "Comparison
 * of resampling schemes for particle filtering", ISPA 2005) and weighted
 * summaries.  Every sum runs in index order, so results do not depend on
 * anything but the inputs.
 */
#include <math.h>
#include <stdlib.h>

#include "calib_impl.h"
#include "plansim/order.h"

double calib_log_normalize(const double *logw, size_t n, double *w)
{
    double m = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (logw[i] > m)
            m = logw[i];
    if (m == -INFINITY) {
        for (size_t i = 0; i < n; i++)
            w[i] = 0.0;
        return -INFINITY;
    }
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        w[i] = exp(logw[i] - m); /* exp(-inf) = 0 */
        s += w[i];
    }
    for (size_t i = 0; i < n; i++)
        w[i] /= s;
    return m + log(s);
}

double ps_calib_ess(const double *w, size_t n)
{
    /* Scaled by the largest weight so neither sum overflows. */
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        if (w[i] > m)
            m = w[i];
    if (!(m > 0.0))
        return 0.0;
    double s = 0.0, s2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double v = w[i] / m;
        s += v;
        s2 += v * v;
    }
    return s * s / s2;
}

void ps_calib_resample(const double *w, size_t m, size_t n, double u,
                       size_t *index)
{
    /* The last index with a positive weight catches the draws that
       rounding leaves beyond the cumulative sum, so an index of weight 0
       is never drawn. */
    size_t last = m > 0 ? m - 1 : 0;
    while (last > 0 && !(w[last] > 0.0))
        last--;
    size_t j = 0;
    double c = m > 0 ? w[0] : 0.0;
    for (size_t i = 0; i < n; i++) {
        const double t = ((double)i + u) / (double)n;
        while (c <= t && j < last)
            c += w[++j];
        index[i] = j;
    }
}

/* Quantiles of the n values in k (sorted here), value k[i].index having
   weight w[k[i].index] (all 1 when w is NULL); total is the sum of their
   weights.  A cumulative weight within 1e-12 of the target counts as
   reaching it, so rounding in the sum cannot skip a value. */
static void weighted_quantiles(ps_keyed *k, size_t n, const double *w,
                               double total, size_t nq, const double *probs,
                               double *q)
{
    ps_keyed_sort(k, n);
    for (size_t a = 0; a < nq; a++) {
        const double p = probs[a];
        if (isnan(p)) {
            q[a] = NAN;
            continue;
        }
        const double target = p * total - 1e-12 * total;
        double c = 0.0;
        size_t i = 0;
        for (; i + 1 < n; i++) {
            c += w ? w[k[i].index] : 1.0;
            if (c >= target)
                break;
        }
        q[a] = k[i].value;
    }
}

ps_status ps_calib_summarize(const double *m, size_t n, size_t stride,
                             size_t col, const double *w, size_t nq,
                             const double *probs, ps_calib_moments *mom,
                             double *q, ps_error *err)
{
    /* Values that count: not NaN, with a positive weight. */
    double total = 0.0, sum = 0.0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const double v = m[i * stride + col], wi = w ? w[i] : 1.0;
        if (isnan(v) || !(wi > 0.0))
            continue;
        total += wi;
        sum += wi * v;
        count++;
    }
    if (count == 0) {
        if (mom)
            mom->mean = mom->sd = NAN;
        for (size_t a = 0; a < nq; a++)
            q[a] = NAN;
        return PS_OK;
    }
    const double mean = sum / total;
    if (mom) {
        double ss = 0.0;
        for (size_t i = 0; i < n; i++) {
            const double v = m[i * stride + col], wi = w ? w[i] : 1.0;
            if (isnan(v) || !(wi > 0.0))
                continue;
            ss += wi * (v - mean) * (v - mean);
        }
        mom->mean = mean;
        mom->sd = sqrt(ss / total);
    }
    if (nq == 0)
        return PS_OK;

    ps_keyed *k = malloc(count * sizeof *k);
    if (!k)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory to sort %zu values", count);
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        const double v = m[i * stride + col], wi = w ? w[i] : 1.0;
        if (isnan(v) || !(wi > 0.0))
            continue;
        k[c++] = (ps_keyed){v, i};
    }
    weighted_quantiles(k, count, w, total, nq, probs, q);
    free(k);
    return PS_OK;
}
