/*
 * plansim: sampling designs: where in the unit hypercube each run's
 * uncertain inputs come from.
 *
 * A design yields, for run i and input j, a uniform u(i, j) in (0,1); the
 * input's distribution turns it into a value (dist.h).  Every u(i, j) is a
 * pure function of (method, seed, number of runs, i, j): runs can be
 * computed in any order, on any thread or MPI rank, and come out the same.
 *   PS_DESIGN_MC     independent uniforms from the addressed streams:
 *                    u(i, j) = ps_rng_uniform(
 *                        {seed, i, PS_DESIGN_STREAM_BASE + j}, 0);
 *   PS_DESIGN_LHS    Latin hypercube: u(i, j) = (pi_j(i) + v) / N, where
 *                    pi_j is a keyed pseudo-random permutation of the N
 *                    strata (a Feistel network with cycle-walking, computed
 *                    per index, no table) and v a uniform from run i's
 *                    stream, so each column has one point per stratum;
 *   PS_DESIGN_SOBOL  Sobol' points in Gray-code order from Joe and Kuo's
 *                    direction numbers (new-joe-kuo-6.21201, up to 21201
 *                    inputs), point i computed directly from i, randomised
 *                    by a hash-based Owen (nested uniform) scramble keyed
 *                    per input from the seed (Burley 2020, with Vegdahl's
 *                    hash), the digits below 2^-32 filled from run i's
 *                    stream.  Unscrambled, point i equals SciPy's
 *                    qmc.Sobol(scramble=False) point i.  Scrambling keeps
 *                    the net properties: take nruns = 2^m.
 * Rank correlations are imposed afterwards on the whole N x k matrix with
 * Iman-Conover, which only permutes each column (marginals and LHS strata
 * survive).
 *
 * Random streams: designs draw only from streams in
 * [PS_DESIGN_STREAM_BASE, PS_DESIGN_STREAM_END), i.e. from 2^32 up, with
 * stream 2^32 + p * 2^32 + j for purpose p and input j.  Other consumers
 * (the RANDOM builtins' call-site numbers) must stay outside that range,
 * so that no design draw is ever reused by a model.
 */
#ifndef PLANSIM_DESIGN_H
#define PLANSIM_DESIGN_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The streams reserved for designs (see above). */
#define PS_DESIGN_STREAM_BASE (UINT64_C(1) << 32)
#define PS_DESIGN_STREAM_END (UINT64_C(1) << 35)

/* A correlation matrix counts as positive definite when its smallest
   eigenvalue is at least this: below it the matrix is numerically
   singular (e.g. two inputs correlated at exactly +-1). */
#define PS_DESIGN_MIN_EIGENVALUE 1e-10

/* Most inputs any design takes (input j must fit the stream layout). */
#define PS_DESIGN_MAX_INPUTS (UINT64_C(1) << 32)

typedef enum ps_design_method {
    PS_DESIGN_MC,
    PS_DESIGN_LHS,
    PS_DESIGN_SOBOL
} ps_design_method;

/* "mc", "lhs", "sobol" <-> method; from_name returns 0 or -1. */
int ps_design_method_from_name(const char *name, ps_design_method *m);
const char *ps_design_method_name(ps_design_method m);

/* Largest number of inputs a Sobol' design supports (21201). */
size_t ps_design_sobol_max_dim(void);

/*
 * Fills u[(i - first) * k + j] for runs i in [first, first + count) and
 * inputs j in [0, k), for a design of `nruns` runs; every value is in the
 * open interval (0, 1).  `u` is the caller's (count * k doubles) and may be
 * NULL only when count or k is 0.  PS_ERR_USAGE when k exceeds what the
 * method supports (ps_design_sobol_max_dim() for Sobol'), a Sobol' design
 * has more than 2^32 runs, or the rows fall outside [0, nruns).
 */
ps_status ps_design_fill(ps_design_method method, uint64_t seed, size_t nruns,
                         size_t k, size_t first, size_t count, double *u,
                         ps_error *err);

/*
 * Imposes the k x k target rank correlation `corr` (row-major, symmetric,
 * unit diagonal) on the nruns x k matrix u (row-major) by Iman-Conover,
 * permuting within columns; the achieved Spearman correlation is close to
 * `corr`, not equal.  The van der Waerden scores are permuted with streams
 * from `seed`: the same (u, corr, seed) always gives the same result.
 * Works in O(nruns * k + k^2) memory of its own.
 * PS_ERR_DATA with a message saying so when `corr` is not a valid
 * correlation matrix (an entry outside [-1, 1] or NaN, a diagonal entry
 * other than 1, not symmetric, or "the correlation matrix is not positive
 * definite": smallest eigenvalue below PS_DESIGN_MIN_EIGENVALUE);
 * PS_ERR_USAGE when nruns <= k (the scores would be singular) or u holds
 * a NaN; PS_ERR_NOMEM.  On error u is unchanged.  k < 2 only checks
 * `corr`.  GSL's error handler is never called except when GSL runs out
 * of memory.
 */
ps_status ps_design_impose_rank_correlation(double *u, size_t nruns, size_t k,
                                            const double *corr, uint64_t seed,
                                            ps_error *err);

/*
 * As ps_design_impose_rank_correlation, on the columns of u that take
 * part in a correlation (a non-zero off-diagonal entry of `corr`) only:
 * the others are independent draws and keep their design, and nruns
 * need only exceed the number of linked columns.  The same errors, the
 * nruns bound counted on the linked columns; with no linked column only
 * `corr` is checked.  u is unchanged on error.
 */
ps_status ps_design_impose_linked_rank_correlation(double *u, size_t nruns,
                                                   size_t k,
                                                   const double *corr,
                                                   uint64_t seed,
                                                   ps_error *err);

/* Spearman rank correlation of columns a and b of the nruns x k matrix u
   (ties get their average rank; for reports and tests).  NAN when u is
   NULL, nruns < 2, a or b >= k, a column holds a NaN or is constant, or
   memory runs out. */
double ps_design_spearman(const double *u, size_t nruns, size_t k, size_t a,
                          size_t b);

#ifdef __cplusplus
}
#endif
#endif
