/*
 * Distributions: names, parameter checks, copying and clearing.
 */
#include "plansim/dist.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample_impl.h"

static const char *const kind_names[] = {
    [PS_DIST_UNIFORM] = "uniform",         [PS_DIST_NORMAL] = "normal",
    [PS_DIST_TRUNCNORMAL] = "truncnormal", [PS_DIST_LOGNORMAL] = "lognormal",
    [PS_DIST_TRIANGULAR] = "triangular",   [PS_DIST_PERT] = "pert",
    [PS_DIST_DISCRETE] = "discrete",
};

#define KIND_COUNT (sizeof kind_names / sizeof kind_names[0])

int ps_dist_kind_from_name(const char *name, ps_dist_kind *kind)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < KIND_COUNT; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            if (kind)
                *kind = (ps_dist_kind)i;
            return 0;
        }
    }
    return -1;
}

const char *ps_dist_kind_name(ps_dist_kind kind)
{
    if ((unsigned)kind >= KIND_COUNT)
        return "unknown";
    return kind_names[kind];
}

/* Writes the reason and returns -1, so checks read `return fail(...)`. */
__attribute__((format(printf, 3, 4))) static int fail(char *why, size_t n,
                                                      const char *fmt, ...)
{
    if (why && n > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int check_finite(const char *name, double v, char *why, size_t n)
{
    if (!isfinite(v))
        return fail(why, n, "%s must be a finite number, got %g", name, v);
    return 0;
}

static int check_positive(const char *name, double v, char *why, size_t n)
{
    if (!(v > 0.0) || !isfinite(v))
        return fail(why, n, "%s must be positive, got %g", name, v);
    return 0;
}

/* min < max, both finite. */
static int check_range(double lo, double hi, char *why, size_t n)
{
    if (check_finite("min", lo, why, n) || check_finite("max", hi, why, n))
        return -1;
    if (!(lo < hi))
        return fail(why, n, "min must be less than max, got min %g, max %g", lo,
                    hi);
    return 0;
}

/* min <= mode <= max, all finite, min < max. */
static int check_mode(const double *p, char *why, size_t n)
{
    if (check_range(p[0], p[2], why, n) || check_finite("mode", p[1], why, n))
        return -1;
    if (p[1] < p[0] || p[1] > p[2])
        return fail(why, n,
                    "mode must lie in [min, max], got %g not in "
                    "[%g, %g]",
                    p[1], p[0], p[2]);
    return 0;
}

static int check_truncnormal(const double *p, char *why, size_t n)
{
    if (check_finite("mean", p[0], why, n) ||
        check_positive("sd", p[1], why, n))
        return -1;
    /* Either bound may be infinite (a one-sided truncation). */
    if (isnan(p[2]) || isnan(p[3]) || p[2] == INFINITY || p[3] == -INFINITY)
        return fail(why, n,
                    "min and max must be numbers, -inf for min or "
                    "+inf for max, got min %g, max %g",
                    p[2], p[3]);
    if (!(p[2] < p[3]))
        return fail(why, n, "min must be less than max, got min %g, max %g",
                    p[2], p[3]);
    double alpha = (p[2] - p[0]) / p[1], beta = (p[3] - p[0]) / p[1];
    /* Why DBL_MIN-ish and not 0: below the smallest normal double the
       mass has lost its precision, and with it every quantile. */
    if (!(ps__truncnorm_mass(alpha, beta) >= 0x1p-1020))
        return fail(why, n,
                    "the interval [%g, %g] has no probability under "
                    "normal(mean %g, sd %g): it lies too far in the tail",
                    p[2], p[3], p[0], p[1]);
    return 0;
}

static int check_discrete(const ps_dist *d, char *why, size_t n)
{
    if (d->n == 0 || !d->values || !d->weights)
        return fail(why, n,
                    "a discrete distribution needs at least one "
                    "value with a weight");
    double total = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        if (!isfinite(d->values[i]))
            return fail(why, n, "values[%zu] must be a finite number, got %g",
                        i, d->values[i]);
        /* Increasing values make the quantile a true inverse CDF, which
           keeps Latin hypercube strata and rank correlations meaningful. */
        if (i > 0 && !(d->values[i] > d->values[i - 1]))
            return fail(why, n,
                        "values must be strictly increasing, but "
                        "values[%zu] = %g follows %g",
                        i, d->values[i], d->values[i - 1]);
        double w = d->weights[i];
        if (!(w >= 0.0) || !isfinite(w))
            return fail(why, n,
                        "weights[%zu] must be a finite number >= 0, "
                        "got %g",
                        i, w);
        total += w;
    }
    if (!(total > 0.0) || !isfinite(total))
        return fail(why, n,
                    "the weights must have a positive finite sum, "
                    "got %g",
                    total);
    return 0;
}

int ps_dist_check(const ps_dist *d, char *why, size_t n)
{
    if (why && n > 0)
        why[0] = '\0';
    if (!d)
        return fail(why, n, "no distribution");
    const double *p = d->p;
    switch (d->kind) {
    case PS_DIST_UNIFORM:
        return check_range(p[0], p[1], why, n);
    case PS_DIST_NORMAL:
        if (check_finite("mean", p[0], why, n))
            return -1;
        return check_positive("sd", p[1], why, n);
    case PS_DIST_TRUNCNORMAL:
        return check_truncnormal(p, why, n);
    case PS_DIST_LOGNORMAL:
        if (check_finite("mu", p[0], why, n))
            return -1;
        return check_positive("sigma", p[1], why, n);
    case PS_DIST_TRIANGULAR:
        return check_mode(p, why, n);
    case PS_DIST_PERT:
        if (check_mode(p, why, n))
            return -1;
        /* Zero is refused although it is a valid shape (uniform): a zero
           lambda more often means a forgotten default of 4. */
        return check_positive("lambda", p[3], why, n);
    case PS_DIST_DISCRETE:
        return check_discrete(d, why, n);
    }
    return fail(why, n, "unknown distribution kind %d", (int)d->kind);
}

void ps_dist_clear(ps_dist *d)
{
    if (!d)
        return;
    free(d->values);
    free(d->weights);
    memset(d, 0, sizeof *d);
}

static double *copy_doubles(const double *src, size_t n)
{
    if (!src || n == 0)
        return NULL;
    double *dst = malloc(n * sizeof *dst);
    if (dst)
        memcpy(dst, src, n * sizeof *dst);
    return dst;
}

int ps_dist_copy(ps_dist *dst, const ps_dist *src)
{
    if (!dst)
        return -1;
    if (!src) {
        memset(dst, 0, sizeof *dst);
        return -1;
    }
    ps_dist tmp = *src;
    tmp.values = copy_doubles(src->values, src->n);
    tmp.weights = copy_doubles(src->weights, src->n);
    if ((src->values && src->n && !tmp.values) ||
        (src->weights && src->n && !tmp.weights)) {
        free(tmp.values);
        free(tmp.weights);
        memset(dst, 0, sizeof *dst);
        return -1;
    }
    *dst = tmp;
    return 0;
}
