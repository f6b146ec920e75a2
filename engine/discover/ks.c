/*
 * Factor ranking by the two-sample Kolmogorov-Smirnov distance between an
 * input's values in the cases of interest and in the other runs: an input
 * whose two distributions differ most separates them best on its own.
 *
 * The distance is the largest gap between the two empirical CDFs,
 * evaluated after all runs tied at a value, so tied values never open a
 * gap that is not there.  The p-value is the asymptotic Kolmogorov tail
 * with Stephens' correction (see discover.h).
 */
#include "plansim/discover.h"

#include <math.h>
#include <stdlib.h>

static const double pi = 3.14159265358979323846;

double ps_kolmogorov_q(double l)
{
    if (isnan(l))
        return NAN;
    if (l <= 0.0)
        return 1.0;
    double sum = 0.0;
    if (l < 1.18) {
        /* The theta-function form converges fast for small l:
           P(K <= l) = sqrt(2 pi) / l sum_{j>=1} exp(-(2j - 1)^2 pi^2 /
           (8 l^2)). */
        double c = -pi * pi / (8.0 * l * l);
        for (int j = 1; j <= 50; j++) {
            double odd = 2.0 * j - 1.0;
            double term = exp(c * odd * odd);
            sum += term;
            if (term < sum * 1e-17)
                break;
        }
        return fmax(1.0 - sqrt(2.0 * pi) / l * sum, 0.0);
    }
    for (int j = 1; j <= 100; j++) {
        double term = exp(-2.0 * j * j * l * l);
        sum += j % 2 ? term : -term;
        if (term < fabs(sum) * 1e-17)
            break;
    }
    return fmin(fmax(2.0 * sum, 0.0), 1.0);
}

double ps_ks_pvalue(double d, size_t n1, size_t n2)
{
    if (n1 == 0 || n2 == 0 || !(d >= 0.0 && d <= 1.0))
        return NAN;
    double ne = (double)n1 * (double)n2 / ((double)n1 + (double)n2);
    double root = sqrt(ne);
    return ps_kolmogorov_q((root + 0.12 + 0.11 / root) * d);
}

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The distance between sorted samples a[0..na) and b[0..nb), and the
   sign of F_a - F_b where it is reached first. */
static double distance(const double *a, size_t na, const double *b,
                       size_t nb, int *sign)
{
    size_t i = 0, j = 0;
    double dmax = 0.0;
    *sign = 0;
    /* Once either sample is used up the gap only closes. */
    while (i < na && j < nb) {
        double v = fmin(a[i], b[j]);
        while (i < na && a[i] == v)
            i++;
        while (j < nb && b[j] == v)
            j++;
        double gap = (double)i / (double)na - (double)j / (double)nb;
        if (fabs(gap) > dmax) {
            dmax = fabs(gap);
            *sign = gap > 0 ? 1 : -1;
        }
    }
    return dmax;
}

ps_status ps_ks_factors(const ps_discover_data *d, ps_ks_factor *out,
                        ps_error *err)
{
    ps_status st = ps_discover_check(d, err);
    if (st != PS_OK)
        return st;
    size_t n1 = 0;
    for (size_t i = 0; i < d->n; i++)
        n1 += d->y[i];
    size_t n0 = d->n - n1;
    if (n1 == 0 || n0 == 0)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "%s of the %zu runs is a case of interest: "
                            "there is nothing to compare",
                            n1 ? "every one" : "none", d->n);
    double *one = malloc(n1 * sizeof *one);
    double *zero = malloc(n0 * sizeof *zero);
    if (!one || !zero) {
        free(one);
        free(zero);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t j = 0; j < d->k; j++) {
        size_t a = 0, b = 0;
        for (size_t i = 0; i < d->n; i++) {
            double v = d->x[i * d->k + j];
            if (d->y[i])
                one[a++] = v;
            else
                zero[b++] = v;
        }
        qsort(one, n1, sizeof *one, double_cmp);
        qsort(zero, n0, sizeof *zero, double_cmp);
        int sign;
        out[j].input = j;
        out[j].d = distance(one, n1, zero, n0, &sign);
        out[j].p = ps_ks_pvalue(out[j].d, n1, n0);
        /* F1 above F0: the cases of interest sit at smaller values. */
        out[j].direction = -sign;
    }
    free(one);
    free(zero);
    return PS_OK;
}

static int factor_cmp(const void *a, const void *b)
{
    const ps_ks_factor *x = a, *y = b;
    if (x->d != y->d)
        return x->d > y->d ? -1 : 1;
    return (x->input > y->input) - (x->input < y->input);
}

void ps_ks_rank(ps_ks_factor *f, size_t k)
{
    qsort(f, k, sizeof *f, factor_cmp);
}
