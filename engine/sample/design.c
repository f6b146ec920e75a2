/*
 * Sampling designs: names, limits, the reserved random streams, and
 * ps_design_fill, which checks its arguments and hands the rows to the
 * method (MC here; lhs.c, sobol.c).
 */
#include "plansim/names.h"
#include "plansim/design.h"

#include <string.h>

#include "plansim/rng.h"
#include "sample_impl.h"

static const char *const method_names[] = {
    [PS_DESIGN_MC] = "mc",
    [PS_DESIGN_LHS] = "lhs",
    [PS_DESIGN_SOBOL] = "sobol",
};

#define METHOD_COUNT (sizeof method_names / sizeof method_names[0])

int ps_design_method_from_name(const char *name, ps_design_method *m)
{
    long i = ps_word_index(method_names, METHOD_COUNT, name);
    if (i < 0)
        return -1;
    if (m)
        *m = (ps_design_method)i;
    return 0;
}

const char *ps_design_method_name(ps_design_method m)
{
    if ((unsigned)m >= METHOD_COUNT)
        return "unknown";
    return method_names[m];
}

size_t ps_design_sobol_max_dim(void)
{
    return PS_SOBOL_DIMS;
}

uint64_t ps__design_stream(design_purpose purpose, uint64_t j)
{
    return PS_DESIGN_STREAM_BASE + ((uint64_t)purpose << 32) + j;
}

double ps__u01_from_bits(uint32_t high, uint64_t low)
{
    /* 53 bits: the 32 given ones and 21 from `low`, as ps_rng_uniform does
       with its bits; the one all-zero pattern moves to 2^-54, still inside
       the first 2^-32-wide cell, so u is never 0. */
    uint64_t k = ((uint64_t)high << 21) | (low >> 43);
    if (k == 0)
        return 0x1p-54;
    return (double)k * 0x1p-53;
}

void ps__design_mc(uint64_t seed, size_t k, size_t first, size_t count,
                   double *u)
{
    for (size_t j = 0; j < k; j++) {
        ps_rng_address addr = {seed, 0, ps__design_stream(PURPOSE_MC, j)};
        for (size_t r = 0; r < count; r++) {
            addr.run = first + r;
            u[r * k + j] = ps_rng_uniform(&addr, 0);
        }
    }
}

ps_status ps_design_fill(ps_design_method method, uint64_t seed, size_t nruns,
                         size_t k, size_t first, size_t count, double *u,
                         ps_error *err)
{
    if (first > nruns || count > nruns - first)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "rows %zu to %zu are outside a design of %zu "
                            "runs",
                            first, first + count, nruns);
    if (k == 0 || count == 0)
        return PS_OK;
    if (!u)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0, "no matrix to fill");
    if ((uint64_t)k > PS_DESIGN_MAX_INPUTS)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "a design takes at most %llu inputs, got %zu",
                            (unsigned long long)PS_DESIGN_MAX_INPUTS, k);
    switch (method) {
    case PS_DESIGN_MC:
        ps__design_mc(seed, k, first, count, u);
        return PS_OK;
    case PS_DESIGN_LHS:
        ps__design_lhs(seed, nruns, k, first, count, u);
        return PS_OK;
    case PS_DESIGN_SOBOL:
        if (k > PS_SOBOL_DIMS)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "a Sobol' design takes at most %d inputs, "
                                "got %zu",
                                PS_SOBOL_DIMS, k);
        if ((uint64_t)nruns > (UINT64_C(1) << PS_SOBOL_BITS))
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "a Sobol' design has at most 2^32 runs, got "
                                "%zu",
                                nruns);
        ps__design_sobol(seed, k, first, count, u);
        return PS_OK;
    }
    return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                        "unknown sampling design %d", (int)method);
}
