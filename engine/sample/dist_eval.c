/*
 * Distributions: quantile (inverse CDF), CDF, mean and support by kind.
 * The parameters are assumed to have passed ps_dist_check.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "plansim/dist.h"
#include "sample_impl.h"

/* x clamped to [lo, hi]: rounding must not step outside the support. */
static double clamp(double x, double lo, double hi)
{
    return fmin(fmax(x, lo), hi);
}

static double uniform_quantile(const double *p, double u)
{
    /* Measured from the nearer end, so u close to 1 stays below max. */
    double w = p[1] - p[0];
    double x = u <= 0.5 ? p[0] + u * w : p[1] - (1.0 - u) * w;
    return clamp(x, p[0], p[1]);
}

static double triangular_quantile(const double *p, double u)
{
    const double a = p[0], c = p[1], b = p[2];
    const double fc = (c - a) / (b - a);
    double x = u < fc ? a + sqrt(u * (b - a) * (c - a))
                      : b - sqrt((1.0 - u) * (b - a) * (b - c));
    return clamp(x, a, b);
}

static double triangular_cdf(const double *p, double x)
{
    const double a = p[0], c = p[1], b = p[2];
    if (x <= a)
        return 0.0;
    if (x >= b)
        return 1.0;
    if (x <= c)
        return (x - a) * (x - a) / ((b - a) * (c - a));
    return 1.0 - (b - x) * (b - x) / ((b - a) * (b - c));
}

void ps__pert_shape(const double *p, double *alpha, double *beta)
{
    const double w = p[2] - p[0];
    *alpha = 1.0 + p[3] * (p[1] - p[0]) / w;
    *beta = 1.0 + p[3] * (p[2] - p[1]) / w;
}

static double discrete_total(const ps_dist *d)
{
    double total = 0.0;
    for (size_t i = 0; i < d->n; i++)
        total += d->weights[i];
    return total;
}

static double discrete_quantile(const ps_dist *d, double u)
{
    const double target = u * discrete_total(d);
    double cum = 0.0;
    size_t last = 0; /* the last value with positive weight */
    for (size_t i = 0; i < d->n; i++) {
        if (d->weights[i] <= 0.0)
            continue;
        cum += d->weights[i];
        last = i;
        if (cum >= target)
            return d->values[i];
    }
    /* Rounding left the running sum a hair below u * total. */
    return d->values[last];
}

static double discrete_cdf(const ps_dist *d, double x)
{
    double below = 0.0;
    for (size_t i = 0; i < d->n && d->values[i] <= x; i++)
        below += d->weights[i];
    return clamp(below / discrete_total(d), 0.0, 1.0);
}

void ps_dist_support(const ps_dist *d, double *lo, double *hi)
{
    double l = -INFINITY, h = INFINITY;
    switch (d->kind) {
    case PS_DIST_UNIFORM:
        l = d->p[0];
        h = d->p[1];
        break;
    case PS_DIST_NORMAL:
        break;
    case PS_DIST_TRUNCNORMAL:
        l = d->p[2];
        h = d->p[3];
        break;
    case PS_DIST_LOGNORMAL:
        l = 0.0;
        break;
    case PS_DIST_TRIANGULAR:
    case PS_DIST_PERT:
        l = d->p[0];
        h = d->p[2];
        break;
    case PS_DIST_DISCRETE:
        for (size_t i = 0; i < d->n; i++) {
            if (d->weights[i] > 0.0) {
                if (l == -INFINITY)
                    l = d->values[i];
                h = d->values[i];
            }
        }
        break;
    }
    if (lo)
        *lo = l;
    if (hi)
        *hi = h;
}

double ps_dist_quantile(const ps_dist *d, double u)
{
    if (isnan(u))
        return NAN;
    if (u <= 0.0 || u >= 1.0) {
        double lo, hi;
        ps_dist_support(d, &lo, &hi);
        return u <= 0.0 ? lo : hi;
    }
    const double *p = d->p;
    switch (d->kind) {
    case PS_DIST_UNIFORM:
        return uniform_quantile(p, u);
    case PS_DIST_NORMAL:
        return p[0] + p[1] * gsl_cdf_ugaussian_Pinv(u);
    case PS_DIST_TRUNCNORMAL:
        return ps__truncnorm_quantile(d, u);
    case PS_DIST_LOGNORMAL:
        return exp(p[0] + p[1] * gsl_cdf_ugaussian_Pinv(u));
    case PS_DIST_TRIANGULAR:
        return triangular_quantile(p, u);
    case PS_DIST_PERT: {
        double a, b;
        ps__pert_shape(p, &a, &b);
        return clamp(p[0] + (p[2] - p[0]) * ps__beta_quantile(u, a, b), p[0],
                     p[2]);
    }
    case PS_DIST_DISCRETE:
        return discrete_quantile(d, u);
    }
    return NAN;
}

/* What one kind's quantile needs of the parameters alone. */
typedef struct quantile_shape {
    ps__beta_shape beta;           /* PERT        */
    ps__truncnorm_shape truncnorm; /* TRUNCNORMAL */
} quantile_shape;

static void quantile_shape_init(quantile_shape *s, const ps_dist *d)
{
    if (d->kind == PS_DIST_PERT) {
        double a, b;
        ps__pert_shape(d->p, &a, &b);
        ps__beta_shape_init(&s->beta, a, b);
    } else if (d->kind == PS_DIST_TRUNCNORMAL) {
        ps__truncnorm_shape_init(&s->truncnorm, d);
    }
}

/* ps_dist_quantile for u in (0, 1), with the shape made beforehand. */
static double quantile_inside(const ps_dist *d, const quantile_shape *s,
                              double u)
{
    const double *p = d->p;
    switch (d->kind) {
    case PS_DIST_TRUNCNORMAL:
        return ps__truncnorm_shape_quantile(d, &s->truncnorm, u);
    case PS_DIST_PERT:
        return clamp(p[0] +
                         (p[2] - p[0]) * ps__beta_shape_quantile(&s->beta, u),
                     p[0], p[2]);
    default:
        return ps_dist_quantile(d, u);
    }
}

void ps_dist_quantiles(const ps_dist *d, double *u, size_t count, size_t stride)
{
    if (count == 0)
        return;
    quantile_shape s;
    quantile_shape_init(&s, d);
    for (size_t i = 0; i < count; i++) {
        double *v = u + i * stride;
        if (*v > 0.0 && *v < 1.0)
            *v = quantile_inside(d, &s, *v);
        else
            *v = ps_dist_quantile(d, *v);
    }
}

double ps_dist_cdf(const ps_dist *d, double x)
{
    if (isnan(x))
        return NAN;
    const double *p = d->p;
    switch (d->kind) {
    case PS_DIST_UNIFORM:
        return clamp((x - p[0]) / (p[1] - p[0]), 0.0, 1.0);
    case PS_DIST_NORMAL:
        return gsl_cdf_gaussian_P(x - p[0], p[1]);
    case PS_DIST_TRUNCNORMAL:
        return ps__truncnorm_cdf(d, x);
    case PS_DIST_LOGNORMAL:
        if (x <= 0.0)
            return 0.0;
        if (x == INFINITY)
            return 1.0;
        return gsl_cdf_ugaussian_P((log(x) - p[0]) / p[1]);
    case PS_DIST_TRIANGULAR:
        return triangular_cdf(p, x);
    case PS_DIST_PERT: {
        if (x <= p[0])
            return 0.0;
        if (x >= p[2])
            return 1.0;
        double a, b;
        ps__pert_shape(p, &a, &b);
        return clamp(gsl_cdf_beta_P((x - p[0]) / (p[2] - p[0]), a, b), 0.0,
                     1.0);
    }
    case PS_DIST_DISCRETE:
        return discrete_cdf(d, x);
    }
    return NAN;
}

double ps_dist_mean(const ps_dist *d)
{
    const double *p = d->p;
    switch (d->kind) {
    case PS_DIST_UNIFORM:
        return 0.5 * (p[0] + p[1]);
    case PS_DIST_NORMAL:
        return p[0];
    case PS_DIST_TRUNCNORMAL:
        return ps__truncnorm_mean(d);
    case PS_DIST_LOGNORMAL:
        return exp(p[0] + 0.5 * p[1] * p[1]);
    case PS_DIST_TRIANGULAR:
        return (p[0] + p[1] + p[2]) / 3.0;
    case PS_DIST_PERT:
        return (p[0] + p[3] * p[1] + p[2]) / (p[3] + 2.0);
    case PS_DIST_DISCRETE: {
        double sum = 0.0;
        for (size_t i = 0; i < d->n; i++)
            sum += d->weights[i] * d->values[i];
        return sum / discrete_total(d);
    }
    }
    return NAN;
}
