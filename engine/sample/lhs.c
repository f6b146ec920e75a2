/*
 * Latin hypercube: u(i, j) = (pi_j(i) + v(i, j)) / N, where pi_j is a keyed
 * permutation of the N strata (permute.c) and v(i, j) a uniform in (0, 1)
 * from run i's stream, so every column holds exactly one point per stratum
 * and each row can be computed alone.
 */
#include <math.h>

#include "plansim/rng.h"
#include "sample_impl.h"

/* (stratum + v) / n, nudged so floor(u * n) is the stratum itself: the
   division can round onto the edge of the neighbouring stratum. */
static double in_stratum(uint64_t stratum, double v, double n)
{
    const double s = (double)stratum;
    double u = (s + v) / n;
    while (u * n >= s + 1.0)
        u = nextafter(u, 0.0);
    while (u * n < s)
        u = nextafter(u, 1.0);
    return u;
}

void ps__design_lhs(uint64_t seed, size_t nruns, size_t k, size_t first,
                    size_t count, double *u)
{
    for (size_t j = 0; j < k; j++) {
        ps__perm perm;
        ps__perm_init(&perm, nruns, seed,
                      ps__design_stream(PURPOSE_LHS_PERM, j));
        ps_rng_address addr = {seed, 0,
                               ps__design_stream(PURPOSE_LHS_OFFSET, j)};
        for (size_t r = 0; r < count; r++) {
            const uint64_t i = first + r;
            addr.run = i;
            u[r * k + j] = in_stratum(ps__perm_apply(&perm, i),
                                      ps_rng_uniform(&addr, 0), (double)nruns);
        }
    }
}
