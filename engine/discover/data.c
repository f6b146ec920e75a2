/*
 * Checking the runs handed to scenario discovery.
 */
#include "plansim/discover.h"

#include <math.h>

ps_status ps_discover_check(const ps_discover_data *d, ps_error *err)
{
    if (!d || d->n == 0 || d->k == 0 || !d->x || !d->y)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "scenario discovery needs at least one run and "
                            "one input");
    for (size_t i = 0; i < d->n; i++) {
        if (d->y[i] > 1)
            return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                                "run %zu: the outcome is %d, not 0 or 1", i,
                                (int)d->y[i]);
        for (size_t j = 0; j < d->k; j++)
            if (!isfinite(d->x[i * d->k + j]))
                return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                                    "run %zu: input %zu is not finite (%g)",
                                    i, j, d->x[i * d->k + j]);
    }
    return PS_OK;
}
