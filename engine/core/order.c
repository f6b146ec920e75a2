/*
 * Sorting values with their origin (plansim/order.h).
 */
#include <math.h>
#include <stdlib.h>

#include "plansim/order.h"

static int keyed_cmp(const void *pa, const void *pb)
{
    const ps_keyed *a = pa, *b = pb;
    int na = isnan(a->value), nb = isnan(b->value);
    if (na != nb)
        return na - nb;
    if (!na && a->value < b->value)
        return -1;
    if (!na && a->value > b->value)
        return 1;
    return (a->index > b->index) - (a->index < b->index);
}

void ps_keyed_sort(ps_keyed *k, size_t n)
{
    if (n > 1)
        qsort(k, n, sizeof *k, keyed_cmp);
}
