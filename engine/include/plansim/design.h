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
 * Rank correlations are imposed run by run with a Gaussian copula
 * (ps_copula below), so a run's inputs are still a pure function of
 * (method, seed, nruns, i): no N x k design is ever held.
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
 * Rank correlations through a Gaussian copula.  Of the k inputs, those
 * with a non-zero off-diagonal entry in `corr` are linked: each row's
 * linked uniforms u_j become normal scores z_j = Phi^-1(u_j), are mixed as
 * z' = L z with L L^T = P, P_ab = ps_copula_normal_correlation(corr_ab),
 * and return as Phi(z'_j).  The Spearman correlation of the result is then
 * exactly `corr` (up to sampling error), whatever the margins, since the
 * inputs' quantile functions are increasing.  The other columns are left
 * as the design drew them.  Works row by row in O(k^2) memory, so any run
 * can be computed alone.
 */
typedef struct ps_copula ps_copula;

/* 2 sin(pi rho / 6): the Pearson correlation of two normal scores whose
   Spearman correlation is rho. */
double ps_copula_normal_correlation(double rho);

/*
 * A copula for the k x k target rank correlation `corr` (row-major,
 * symmetric, unit diagonal); the caller keeps `corr`, frees *out with
 * ps_copula_free.  PS_ERR_DATA with a message saying so when `corr` is
 * not a valid correlation matrix (an entry outside [-1, 1] or NaN, a
 * diagonal entry other than 1, not symmetric) or when P is not positive
 * definite (smallest eigenvalue below PS_DESIGN_MIN_EIGENVALUE);
 * PS_ERR_USAGE when corr is NULL with k > 0; PS_ERR_NOMEM.  On error *out
 * is NULL.  GSL's error handler is never called except when GSL runs out
 * of memory.
 */
ps_status ps_copula_new(const double *corr, size_t k, ps_copula **out,
                        ps_error *err);

/* The number of linked inputs (0 for NULL). */
size_t ps_copula_linked(const ps_copula *c);

/* Applies the copula to `count` rows of k uniforms in (0, 1) (row-major,
   in place); the results stay in (0, 1).  NULL does nothing.  Reads
   nothing but the rows and the copula: safe on many threads at once. */
void ps_copula_apply(const ps_copula *c, double *u, size_t count);

/* Frees *c and sets it to NULL; NULL and *c == NULL are allowed. */
void ps_copula_free(ps_copula **c);

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
