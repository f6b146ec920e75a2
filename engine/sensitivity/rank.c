/*
 * Ranking factors by an index, largest first.
 */
#include <math.h>
#include <stdlib.h>

#include "plansim/sensitivity.h"

typedef struct keyed {
    double key;
    size_t index;
} keyed;

/* Descending, NaN last, then by index: a total order, so qsort's result
   does not depend on its algorithm. */
static int compare(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int na = isnan(a->key), nb = isnan(b->key);
    if (na != nb)
        return na - nb;
    if (!na && a->key != b->key)
        return a->key > b->key ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

ps_status ps_sens_rank(const double *key, size_t n, size_t *order,
                       ps_error *err)
{
    keyed *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){key[i], i};
    qsort(k, n, sizeof *k, compare);
    for (size_t i = 0; i < n; i++)
        order[i] = k[i].index;
    free(k);
    return PS_OK;
}
