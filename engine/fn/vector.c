/*
 * Vensim's vector functions on one vector (the last subscript of their
 * argument): sort order, rank, select, matrix inverse, and the two
 * allocation functions.  Each returns the element at one position of the
 * result, so an array equation asks for the element it defines.
 *
 * Semantics follow Vensim's documentation as PySD reads it (its
 * functions.py and allocation.py were studied; the code is written here):
 * sort order is a stable ascending arg-sort, reversed when direction <= 0;
 * rank is the 1-based position of each element in that order; VECTOR
 * SELECT's actions 0-10; ALLOCATE AVAILABLE finds the priority at which
 * the demand curves of all requests sum to the supply; ALLOCATE BY
 * PRIORITY hands out supply from the highest priority down, starting the
 * next request once the current one has received (priority gap / width)
 * of its request.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>

#include "plansim/expr.h"
#include "plansim/fn.h"

/* Stable ascending arg-sort of v[0..m) into order[] (insertion sort: the
   vectors are short, and stability decides ties). */
static void argsort(const double *v, size_t m, size_t *order)
{
    for (size_t i = 0; i < m; i++) {
        size_t k = i;
        while (k > 0 && v[order[k - 1]] > v[i]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
}

/* The sort order of v: ascending, or reversed when direction <= 0. */
static void sort_order(const double *v, size_t m, double direction,
                       size_t *order)
{
    argsort(v, m, order);
    if (direction <= 0)
        for (size_t i = 0; i < m / 2; i++) {
            size_t t = order[i];
            order[i] = order[m - 1 - i];
            order[m - 1 - i] = t;
        }
}

double ps_fn_vector_sort_order(const double *v, size_t m, double direction,
                               size_t pos, size_t *work)
{
    if (pos >= m)
        return PS_NA;
    sort_order(v, m, direction, work);
    return (double)work[pos];
}

double ps_fn_vector_rank(const double *v, size_t m, double direction,
                         size_t pos, size_t *work)
{
    if (pos >= m)
        return PS_NA;
    sort_order(v, m, direction, work);
    for (size_t i = 0; i < m; i++)
        if (work[i] == pos)
            return (double)(i + 1);
    return PS_NA;
}

double ps_fn_vector_select(const double *sel, const double *x, size_t m,
                           double missing, double action)
{
    int a = (int)action;
    if (action != a || a < 0 || a > 10)
        return NAN; /* an action Vensim does not define */
    double acc = 0;
    size_t count = 0;
    for (size_t i = 0; i < m; i++) {
        if (sel[i] == 0)
            continue;
        double t = a <= 4 ? sel[i] * x[i] : a == 5 ? pow(x[i], sel[i]) : x[i];
        if (count == 0) {
            acc = t;
        } else {
            switch (a) {
            case 0: case 4: case 6: case 10: acc += t; break;
            case 1: case 5: case 7: acc *= t; break;
            case 2: case 8: acc = fmin(acc, t); break;
            default: acc = fmax(acc, t); break;
            }
        }
        count++;
    }
    if (count == 0)
        return missing;
    if (a == 4 || a == 10)
        acc /= (double)count;
    return acc;
}

double ps_fn_invert_matrix(const double *a, size_t n, size_t row, size_t col,
                           double *work)
{
    if (row >= n || col >= n)
        return PS_NA;
    gsl_matrix_view m = gsl_matrix_view_array(work, n, n);
    memcpy(work, a, n * n * sizeof *work);
    gsl_matrix *inv = gsl_matrix_alloc(n, n);
    gsl_permutation *perm = gsl_permutation_alloc(n);
    double out = NAN;
    int sign;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    if (inv && perm && gsl_linalg_LU_decomp(&m.matrix, perm, &sign) == 0 &&
        gsl_linalg_LU_invert(&m.matrix, perm, inv) == 0)
        out = gsl_matrix_get(inv, row, col);
    gsl_set_error_handler(old);
    gsl_matrix_free(inv);
    gsl_permutation_free(perm);
    return out;
}

/* ------------------------------------------------------- allocation */

/* The error function as Vensim's normal priority profile computes it:
   Abramowitz and Stegun's approximation 7.1.25 (Handbook of Mathematical
   Functions, 1964: three terms, |error| < 2.5e-5).  The exact erf misses
   Vensim's allocations by up to 0.5 % in the tails (SDXorg test-models
   "allocate_available"); this one matches them to print precision. */
static double vensim_erf(double x)
{
    double ax = fabs(x), t = 1 / (1 + 0.47047 * ax);
    double y = 1 - t * (0.3480242 + t * (-0.0958798 + t * 0.7478556)) *
                       exp(-ax * ax);
    return x < 0 ? -y : y;
}

/* How much of request q a demand curve of profile pp (type, priority,
   width, extra) takes at priority level x: all of it far below the
   priority, none far above. */
static double demand_at(double q, const double pp[4], double x)
{
    double type = pp[0], pri = pp[1], w = pp[2];
    if (q == 0)
        return 0;
    switch ((int)type) {
    case 1: /* rectangular */
        if (x <= pri - 0.5 * w)
            return q;
        if (x < pri + 0.5 * w)
            return q * (1 - (x - pri + 0.5 * w) / w);
        return 0;
    case 2: /* triangular */
        if (x <= pri - 0.5 * w)
            return q;
        if (x < pri) {
            double d = x - pri + 0.5 * w;
            return q * (1 - 2 * d * d / (w * w));
        }
        if (x < pri + 0.5 * w) {
            double d = pri + 0.5 * w - x;
            return 2 * q * d * d / (w * w);
        }
        return 0;
    case 3: /* normal */
        return q * 0.5 * (1 - vensim_erf((x - pri) / (M_SQRT2 * w)));
    case 4: /* exponential, symmetric around the priority */
        if (x < pri)
            return q * (1 - 0.5 * exp((x - pri) / w));
        return q * 0.5 * exp((pri - x) / w);
    default:
        return NAN;
    }
}

/* How far from its priority a profile still changes (its support). */
static double reach(const double pp[4])
{
    switch ((int)pp[0]) {
    case 3: return 9 * pp[2];
    case 4: return 37 * pp[2];
    default: return pp[2];
    }
}

double ps_fn_allocate_available(const double *req, const double *pp,
                                size_t m, double avail, size_t pos)
{
    if (pos >= m || !(avail >= 0))
        return NAN;
    double total = 0;
    for (size_t i = 0; i < m; i++) {
        if (!(req[i] >= 0) || ((int)pp[4 * i] < 1 || (int)pp[4 * i] > 4) ||
            !(pp[4 * i + 2] > 0))
            return NAN;
        total += req[i];
    }
    if (avail >= total)
        return req[pos];
    if (avail == 0)
        return 0;
    /* the total taken falls as the priority level rises: bisect for the
       level where it equals the supply */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < m; i++) {
        if (req[i] == 0)
            continue;
        lo = fmin(lo, pp[4 * i + 1] - reach(&pp[4 * i]));
        hi = fmax(hi, pp[4 * i + 1] + reach(&pp[4 * i]));
    }
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi), taken = 0;
        for (size_t i = 0; i < m; i++)
            taken += demand_at(req[i], &pp[4 * i], mid);
        if (taken > avail)
            lo = mid;
        else
            hi = mid;
        if (hi - lo <= 1e-15 * fmax(1, fabs(mid)))
            break;
    }
    return demand_at(req[pos], &pp[4 * pos], 0.5 * (lo + hi));
}

double ps_fn_allocate_by_priority(const double *req, const double *prio,
                                  size_t m, double width, double supply,
                                  size_t pos, double *work)
{
    if (pos >= m || !(width > 0) || !(supply >= 0))
        return NAN;
    double total = 0;
    for (size_t i = 0; i < m; i++) {
        if (!(req[i] >= 0))
            return NAN;
        total += req[i];
    }
    if (supply >= total)
        return req[pos];
    if (req[pos] == 0)
        return 0;
    /* the requests that ask for something, highest priority first
       (stable: equal priorities keep their order) */
    size_t *order = (size_t *)(work + 3 * m);
    size_t n = 0;
    for (size_t i = 0; i < m; i++) {
        if (req[i] == 0)
            continue;
        size_t k = n++;
        while (k > 0 && prio[order[k - 1]] < prio[i]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    double *out = work, *dist = work + m, *slope = work + 2 * m;
    for (size_t k = 0; k < n; k++) {
        out[k] = 0;
        /* what request k receives before request k+1 starts */
        dist[k] = k + 1 < n ? fmin((prio[order[k]] - prio[order[k + 1]]) /
                                       width, 1) * req[order[k]]
                            : NAN;
    }
    unsigned char active_any = 1;
    size_t started = 0; /* requests 0..started have started */
    for (int guard = 0; supply > 0 && active_any && guard < 4 * (int)m + 8;
         guard++) {
        double sum = 0;
        for (size_t k = 0; k <= started; k++)
            if (out[k] < req[order[k]])
                sum += req[order[k]];
        if (sum <= 0)
            break;
        double dx_top = INFINITY;
        for (size_t k = 0; k <= started; k++) {
            slope[k] = out[k] < req[order[k]] ? req[order[k]] / sum : 0;
            if (slope[k] > 0)
                dx_top = fmin(dx_top, (req[order[k]] - out[k]) / slope[k]);
        }
        double dx_start = started + 1 < n && slope[started] > 0
                              ? (dist[started] - out[started]) / slope[started]
                              : INFINITY;
        double dx = fmin(fmin(dx_top, dx_start), supply);
        for (size_t k = 0; k <= started; k++)
            out[k] += slope[k] * dx;
        if (dx == dx_start || (started + 1 < n && slope[started] == 0))
            started++;
        for (size_t k = 0; k <= started; k++)
            if (dx == dx_top && slope[k] > 0 &&
                fabs(out[k] - req[order[k]]) <= 1e-12 * req[order[k]])
                out[k] = req[order[k]];
        supply -= dx;
        active_any = 0;
        for (size_t k = 0; k < n; k++)
            active_any |= out[k] < req[order[k]];
    }
    for (size_t k = 0; k < n; k++)
        if (order[k] == pos)
            return out[k];
    return 0;
}
