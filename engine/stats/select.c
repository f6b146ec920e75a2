/*
 * Selection: the k-th smallest of n values in O(n) expected time
 * (Hoare's quickselect with a median-of-three pivot), with a bound on
 * the partitioning rounds after which the rest is sorted, so adversarial
 * inputs cost O(n log n) at worst (introselect, Musser 1997).
 */
#include <stdlib.h>

#include "stats_impl.h"

static int double_cmp(const void *pa, const void *pb)
{
    const double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static void swap(double *x, size_t i, size_t j)
{
    double t = x[i];
    x[i] = x[j];
    x[j] = t;
}

double stats_select(double *x, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1; /* the k-th smallest is within [lo, hi] */
    unsigned rounds = 0, limit = 8;
    for (size_t m = n; m > 1; m >>= 1)
        limit += 2;
    while (hi > lo) {
        if (++rounds > limit) {
            qsort(x + lo, hi - lo + 1, sizeof *x, double_cmp);
            return x[k];
        }
        /* median of three to x[lo], then Hoare's partition */
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < x[lo])
            swap(x, mid, lo);
        if (x[hi] < x[lo])
            swap(x, hi, lo);
        if (x[hi] < x[mid])
            swap(x, hi, mid);
        swap(x, lo, mid);
        const double pivot = x[lo];
        size_t i = lo, j = hi + 1;
        for (;;) {
            do
                i++;
            while (i <= hi && x[i] < pivot);
            do
                j--;
            while (x[j] > pivot);
            if (i >= j)
                break;
            swap(x, i, j);
        }
        swap(x, lo, j);
        /* x[lo..j) <= pivot = x[j] <= x(j..hi] */
        if (j == k)
            return x[k];
        if (k < j)
            hi = j - 1;
        else
            lo = j + 1;
    }
    return x[k];
}

/* Insertion sort of the few requested ranks. */
static void sort_ranks(size_t *r, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && r[j - 1] > r[j]; j--) {
            size_t t = r[j];
            r[j] = r[j - 1];
            r[j - 1] = t;
        }
}

void stats_select_ranks(double *x, size_t n, size_t *ranks, size_t nranks,
                        double *out)
{
    size_t order[STATS_MAX_RANKS];
    size_t m = nranks < STATS_MAX_RANKS ? nranks : STATS_MAX_RANKS;
    for (size_t i = 0; i < m; i++)
        order[i] = ranks[i];
    sort_ranks(order, m);
    /* After selecting rank r, x[r + 1..n) holds the larger values: the
       next rank is found there, leaving x[r] (and all before) in place. */
    size_t from = 0;
    for (size_t i = 0; i < m; i++) {
        size_t r = order[i];
        if (i > 0 && r == order[i - 1])
            continue;
        stats_select(x + from, n - from, r - from);
        from = r + 1;
    }
    for (size_t i = 0; i < m; i++)
        out[i] = x[ranks[i]];
}
