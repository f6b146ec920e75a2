/*
 * One at a time (a tornado diagram): every input at its median, then each
 * factor alone at a low and a high probability level.
 */
#include <math.h>

#include "sens_impl.h"

void sens_oat_fill(const ps_sens_design *d, size_t first, size_t count,
                   double *u)
{
    size_t dim = d->ninputs;
    for (size_t r = 0; r < count; r++) {
        size_t run = first + r;
        /* Run 0 is the base; runs 1 + 2g and 2 + 2g move factor g. */
        size_t g = run ? (run - 1) / 2 : (size_t)-1;
        double moved = run % 2 ? d->low : d->high;
        for (size_t j = 0; j < dim; j++)
            u[r * dim + j] = run && sens_factor(d, j) == g ? moved : 0.5;
    }
}

ps_status ps_sens_oat(const ps_sens_design *d, const double *y,
                      ps_sens_oat_index *out, ps_sens_info *info,
                      ps_error *err)
{
    if (!d || d->method != PS_SENS_OAT)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "not a one-at-a-time design");
    size_t k = d->nfactors, used = 0;
    int constant = 1;
    for (size_t r = 0; r < 2 * k + 1; r++) {
        if (isfinite(y[r]))
            used++;
        if (y[r] != y[0])
            constant = 0;
    }
    for (size_t g = 0; g < k; g++) {
        double lo = y[1 + 2 * g], hi = y[2 + 2 * g];
        out[g] = (ps_sens_oat_index){lo, hi, fabs(hi - lo)};
    }
    if (info)
        *info = (ps_sens_info){used, 2 * k + 1, constant && used == 2 * k + 1,
                               y[0]};
    return PS_OK;
}
