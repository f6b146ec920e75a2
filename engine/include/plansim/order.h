/*
 * plansim: sorting values while remembering where they came from.
 *
 * Ranks, weighted quantiles and marginal distributions all sort values
 * and then need each value's origin.  The order here is total (ties by
 * index, NaN last), so the result is the same whatever qsort does with
 * equal keys: results stay reproducible bit for bit.
 */
#ifndef PLANSIM_ORDER_H
#define PLANSIM_ORDER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A value and the index it came from. */
typedef struct ps_keyed {
    double value;
    size_t index;
} ps_keyed;

/* Sorts k[0..n) by increasing value, equal values by increasing index,
   NaN after every number. */
void ps_keyed_sort(ps_keyed *k, size_t n);

#ifdef __cplusplus
}
#endif
#endif
