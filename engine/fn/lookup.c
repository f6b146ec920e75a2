/*
 * Lookup tables: Vensim's LOOKUP (WITH LOOKUP, named lookups), LOOKUP
 * EXTRAPOLATE, LOOKUP FORWARD, LOOKUP BACKWARD and LOOKUP INVERT.
 */
#include "plansim/fn.h"

#include <math.h>

/* Short tables are scanned: fewer branches mispredicted than bisection. */
#define LINEAR_SCAN_MAX 8

/* The first i with x[i] >= v, or n when every x is below v.  With duplicate
   x this is the first duplicate, which fixes which y answers at that x. */
static size_t lower_bound(const double *x, size_t n, double v)
{
    if (n <= LINEAR_SCAN_MAX) {
        size_t i = 0;
        while (i < n && x[i] < v)
            i++;
        return i;
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int unusable(const ps_table *t, double v)
{
    return t == NULL || t->n == 0 || isnan(v);
}

/* y on the segment (i-1, i) at v; the caller guarantees x[i-1] < v < x[i],
   so the segment has positive width. */
static double interpolate(const ps_table *t, size_t i, double v)
{
    double x0 = t->x[i - 1], y0 = t->y[i - 1];
    return y0 + (t->y[i] - y0) * (v - x0) / (t->x[i] - x0);
}

double ps_fn_lookup(const ps_table *t, double x)
{
    if (unusable(t, x))
        return NAN;
    size_t i = lower_bound(t->x, t->n, x);
    if (i == t->n)
        return t->y[t->n - 1];
    if (i == 0 || t->x[i] == x)
        return t->y[i];
    return interpolate(t, i, x);
}

/* Continues the segment (i, i+1) from its end point `at` (i or i+1) to v;
   a zero-width segment has no slope, so y[at] is held. */
static double extend(const ps_table *t, size_t i, size_t at, double v)
{
    double dx = t->x[i + 1] - t->x[i];
    if (!(dx > 0.0))
        return t->y[at];
    return t->y[at] + (t->y[i + 1] - t->y[i]) / dx * (v - t->x[at]);
}

double ps_fn_lookup_extrapolate(const ps_table *t, double x)
{
    if (unusable(t, x))
        return NAN;
    size_t n = t->n;
    if (n >= 2 && x < t->x[0])
        return extend(t, 0, 0, x);
    if (n >= 2 && x > t->x[n - 1])
        return extend(t, n - 2, n - 1, x);
    return ps_fn_lookup(t, x);
}

double ps_fn_lookup_forward(const ps_table *t, double x)
{
    if (unusable(t, x))
        return NAN;
    size_t i = lower_bound(t->x, t->n, x);
    return i == t->n ? t->y[t->n - 1] : t->y[i];
}

double ps_fn_lookup_backward(const ps_table *t, double x)
{
    if (unusable(t, x))
        return NAN;
    size_t i = lower_bound(t->x, t->n, x);
    if (i == t->n)
        return t->y[t->n - 1];
    if (i == 0 || t->x[i] == x)
        return t->y[i];
    return t->y[i - 1];
}

double ps_fn_lookup_invert(const ps_table *t, double y)
{
    if (unusable(t, y))
        return NAN;
    /* A linear walk: the table's y need not be sorted, and the first
       crossing is the answer, so bisection would not do. */
    const double *xs = t->x, *ys = t->y;
    size_t nearest = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (ys[i] == y)
            return xs[i];
        if (fabs(ys[i] - y) < fabs(ys[nearest] - y))
            nearest = i;
        if (i + 1 < t->n && ((ys[i] < y && y < ys[i + 1]) ||
                              (ys[i] > y && y > ys[i + 1]))) {
            return xs[i] + (xs[i + 1] - xs[i]) * (y - ys[i]) /
                               (ys[i + 1] - ys[i]);
        }
    }
    return xs[nearest];
}

double ps_fn_lookup_raw(const ps_table *t, double x)
{
    if (unusable(t, x))
        return NAN;
    double tol = 1e-9 * fmax(1, fabs(t->x[t->n - 1] - t->x[0]));
    size_t i = lower_bound(t->x, t->n, x - tol);
    if (i < t->n && fabs(t->x[i] - x) <= tol)
        return t->y[i];
    return PS_NA;
}
