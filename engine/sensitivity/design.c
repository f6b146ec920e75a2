/*
 * Sensitivity designs: names, checks, run counts, and ps_sens_design_fill,
 * which hands the rows to the method (saltelli.c, morris.c, oat.c).
 */
#include "plansim/names.h"
#include "plansim/sensitivity.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sens_impl.h"

static const char *const method_names[] = {
    [PS_SENS_SOBOL] = "sobol",
    [PS_SENS_MORRIS] = "morris",
    [PS_SENS_OAT] = "oat",
};

#define METHOD_COUNT (sizeof method_names / sizeof method_names[0])

int ps_sens_method_from_name(const char *name, ps_sens_method *m)
{
    long i = ps_word_index(method_names, METHOD_COUNT, name);
    if (i < 0)
        return -1;
    if (m)
        *m = (ps_sens_method)i;
    return 0;
}

const char *ps_sens_method_name(ps_sens_method m)
{
    if ((unsigned)m >= METHOD_COUNT)
        return "unknown";
    return method_names[m];
}

/* a * b, or 0 when it overflows (or either is 0). */
static size_t mul(size_t a, size_t b)
{
    if (a && b > SIZE_MAX / a)
        return 0;
    return a * b;
}

size_t ps_sens_design_runs(const ps_sens_design *d)
{
    size_t k = d->nfactors;
    if (k > SIZE_MAX - 2)
        return 0;
    switch (d->method) {
    case PS_SENS_SOBOL:
        return mul(d->samples, k + 2);
    case PS_SENS_MORRIS:
        return mul(d->trajectories, k + 1);
    case PS_SENS_OAT:
        return k <= (SIZE_MAX - 1) / 2 ? 2 * k + 1 : 0;
    }
    return 0;
}

/* Every input's factor in range, every factor with an input. */
static ps_status check_factors(const ps_sens_design *d, ps_error *err)
{
    if (d->nfactors == 0)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no factors: the scenario has no uncertain "
                            "inputs");
    if (!d->factor_of) {
        if (d->nfactors != d->ninputs)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "%zu factors for %zu inputs without groups",
                                d->nfactors, d->ninputs);
        return PS_OK;
    }
    unsigned char *seen = calloc(d->nfactors, 1);
    if (!seen)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    ps_status st = PS_OK;
    for (size_t j = 0; j < d->ninputs && st == PS_OK; j++) {
        if (d->factor_of[j] >= d->nfactors)
            st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                              "input %zu belongs to factor %zu of %zu", j,
                              d->factor_of[j], d->nfactors);
        else
            seen[d->factor_of[j]] = 1;
    }
    for (size_t g = 0; g < d->nfactors && st == PS_OK; g++)
        if (!seen[g])
            st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                              "factor %zu has no input", g);
    free(seen);
    return st;
}

ps_status ps_sens_design_check(const ps_sens_design *d, ps_error *err)
{
    if (!d)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0, "no design");
    if ((unsigned)d->method >= METHOD_COUNT)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "unknown sensitivity method %d", (int)d->method);
    ps_status st = check_factors(d, err);
    if (st != PS_OK)
        return st;
    switch (d->method) {
    case PS_SENS_SOBOL:
        if (d->samples < 2 || (d->samples & (d->samples - 1)) != 0 ||
            d->samples > (size_t)UINT64_C(1) << 32)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "samples: %zu is not a power of 2 from 2 "
                                "to 2^32",
                                d->samples);
        if (d->ninputs > ps_design_sobol_max_dim() / 2)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "%zu inputs: the Saltelli design takes at "
                                "most %zu (a Sobol' sequence of twice as "
                                "many dimensions)",
                                d->ninputs, ps_design_sobol_max_dim() / 2);
        break;
    case PS_SENS_MORRIS:
        if (d->trajectories < 1)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "trajectories: %zu, at least 1 is needed",
                                d->trajectories);
        if (d->levels < 2 || d->levels % 2 != 0)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "levels: %u is not an even number from 2",
                                d->levels);
        break;
    case PS_SENS_OAT:
        if (!(d->low > 0 && d->low < d->high && d->high < 1))
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "low %g and high %g: need 0 < low < high < 1",
                                d->low, d->high);
        break;
    }
    if (ps_sens_design_runs(d) == 0)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the design has too many runs to count");
    return PS_OK;
}

double ps_sens_quantile(const ps_sens_design *d, const ps_dist *dist,
                        double u)
{
    if (d->method == PS_SENS_MORRIS && (u <= 0 || u >= 1)) {
        double lo, hi;
        ps_dist_support(dist, &lo, &hi);
        double end = 0.5 / (double)d->levels;
        if (u <= 0 && isinf(lo))
            u = end;
        else if (u >= 1 && isinf(hi))
            u = 1 - end;
    }
    return ps_dist_quantile(dist, u);
}

ps_status ps_sens_design_fill(const ps_sens_design *d, size_t first,
                              size_t count, double *u, ps_error *err)
{
    size_t runs = ps_sens_design_runs(d);
    if (first > runs || count > runs - first)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "runs %zu..%zu are outside the design's %zu",
                            first, first + count, runs);
    if (count == 0 || d->ninputs == 0)
        return PS_OK;
    switch (d->method) {
    case PS_SENS_SOBOL:
        return sens_saltelli_fill(d, first, count, u, err);
    case PS_SENS_MORRIS:
        return sens_morris_fill(d, first, count, u, err);
    case PS_SENS_OAT:
        sens_oat_fill(d, first, count, u);
        return PS_OK;
    }
    return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                        "unknown sensitivity method %d", (int)d->method);
}
