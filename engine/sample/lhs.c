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
    uint64_t strata[PS_PERM_RANGE_MAX];
    double v[PS_PERM_RANGE_MAX];
    for (size_t j = 0; j < k; j++) {
        ps__perm perm;
        ps__perm_init(&perm, nruns, seed,
                      ps__design_stream(PURPOSE_LHS_PERM, j));
        ps_rng_address addr = {seed, 0,
                               ps__design_stream(PURPOSE_LHS_OFFSET, j)};
        /* A column in pieces: the strata and the offsets of a piece are
           each computed several runs at a time. */
        for (size_t done = 0; done < count; done += PS_PERM_RANGE_MAX) {
            const size_t m = count - done < PS_PERM_RANGE_MAX
                                 ? count - done
                                 : PS_PERM_RANGE_MAX;
            ps__perm_apply_range(&perm, first + done, m, strata);
            addr.run = first + done;
            ps_rng_uniform_runs(&addr, 0, m, v, 1);
            for (size_t r = 0; r < m; r++)
                u[(done + r) * k + j] =
                    in_stratum(strata[r], v[r], (double)nruns);
        }
    }
}
