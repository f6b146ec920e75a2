/*
 * ps_sample internals shared by its files (and by the unit tests, which
 * reach the unscrambled Sobol' points and the keyed permutation directly).
 */
#ifndef PLANSIM_SAMPLE_IMPL_H
#define PLANSIM_SAMPLE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/design.h"
#include "plansim/dist.h"

/* ---- random streams ---------------------------------------------------- */

/* What a design draws for.  Input j of purpose p reads stream
   PS_DESIGN_STREAM_BASE + p * 2^32 + j (design.h reserves the range). */
typedef enum design_purpose {
    PURPOSE_MC = 0,         /* run i: the MC uniform of input j          */
    PURPOSE_LHS_OFFSET = 1, /* run i: where in its stratum the point is  */
    PURPOSE_LHS_PERM = 2,   /* run 0: keys of column j's permutation     */
    PURPOSE_SOBOL_SEED = 3, /* run 0: column j's scrambling seed         */
    PURPOSE_SOBOL_LOW = 4,  /* run i: the digits below the 32 Sobol' bits */
    PURPOSE_RANKCORR = 5,   /* unused now (rank scores of an earlier
                               design); kept so the others keep theirs */
    PURPOSE_SENSITIVITY = 6 /* taken by engine/sensitivity (PS_SENS_STREAM):
                               Morris trajectories, bootstrap resamples   */
} design_purpose;

/* The stream that input j of `purpose` reads (j < 2^32). */
uint64_t ps__design_stream(design_purpose purpose, uint64_t j);

/* ---- keyed permutation of [0, n) --------------------------------------- */

#define PS_PERM_ROUNDS 6

/*
 * A pseudo-random bijection of [0, n), computed per index without a table:
 * a balanced Feistel network on the smallest even number of bits b with
 * 2^b >= n, cycle-walked back into [0, n) (Black & Rogaway 2002).  Keyed by
 * PS_PERM_ROUNDS words of ps_rng_bits at (seed, run 0, stream).
 */
typedef struct ps__perm {
    uint64_t n;
    unsigned half_bits;
    uint64_t mask; /* 2^half_bits - 1 */
    uint64_t keys[PS_PERM_ROUNDS];
} ps__perm;

void ps__perm_init(ps__perm *p, uint64_t n, uint64_t seed, uint64_t stream);

/* The image of i < n. */
uint64_t ps__perm_apply(const ps__perm *p, uint64_t i);

/* The most indices ps__perm_apply_range takes at once. */
#define PS_PERM_RANGE_MAX 64

/* out[r] = ps__perm_apply(p, first + r) for r < count <= PS_PERM_RANGE_MAX,
   first + count <= n: several indices walked at a time. */
void ps__perm_apply_range(const ps__perm *p, uint64_t first, size_t count,
                          uint64_t *out);

/* ---- Sobol' points ------------------------------------------------------ */

#define PS_SOBOL_DIMS 21201
#define PS_SOBOL_MAX_DEGREE 18
#define PS_SOBOL_BITS 32

/* One row of Joe and Kuo's table (see sobol_directions.c). */
typedef struct ps__sobol_direction {
    uint32_t s;
    uint32_t a;
    uint32_t m[PS_SOBOL_MAX_DEGREE];
} ps__sobol_direction;

extern const ps__sobol_direction ps__sobol_directions[PS_SOBOL_DIMS];

/* The direction numbers v[0..32) of dimension `dim` (0-based, below
   PS_SOBOL_DIMS), scaled by 2^32: v[k] = m_(k+1) * 2^(31-k) and the
   recurrence of Joe and Kuo beyond the polynomial's degree. */
void ps__sobol_directions_of(size_t dim, uint32_t v[PS_SOBOL_BITS]);

/* Point i of the unscrambled sequence in the dimension with directions v,
   times 2^32 (Gray-code order, as Joe and Kuo's sobol.cc and SciPy). */
uint32_t ps__sobol_point(const uint32_t v[PS_SOBOL_BITS], uint32_t i);

/* A hash-based nested uniform (Owen) scramble of a 32-bit binary fraction
   (Burley 2020, with Vegdahl's hash; see sobol.c): each bit is flipped by
   a hash of the seed and the bits above it. */
uint32_t ps__owen_scramble(uint32_t x, uint64_t seed);

/* ---- designs ------------------------------------------------------------ */

void ps__design_mc(uint64_t seed, size_t k, size_t first, size_t count,
                   double *u);
void ps__design_lhs(uint64_t seed, size_t nruns, size_t k, size_t first,
                    size_t count, double *u);
void ps__design_sobol(uint64_t seed, size_t k, size_t first, size_t count,
                      double *u);

/* A uniform in (0, 1) whose binary expansion starts with the 32 bits of
   `high` and continues with the top bits of `low`. */
double ps__u01_from_bits(uint32_t high, uint64_t low);

/* ---- truncated normal ---------------------------------------------------- */

/* For TRUNCNORMAL: the standardised bounds alpha = (min - mean)/sd and
   beta = (max - mean)/sd, and the probability of [alpha, beta] under the
   standard normal, computed in the tail where it is accurate. */
double ps__truncnorm_mass(double alpha, double beta);
double ps__truncnorm_quantile(const ps_dist *d, double u);

/* What the truncated normal's quantile needs of d alone, computed once
   for many draws: ps__truncnorm_shape_quantile(d, s, u) after
   ps__truncnorm_shape_init(s, d) is ps__truncnorm_quantile(d, u) to the
   last bit. */
typedef struct ps__truncnorm_shape {
    double alpha, beta; /* the standardised bounds        */
    double mass;        /* their probability              */
    double p_alpha, p_beta, q_alpha, q_beta; /* Phi and 1 - Phi at them */
} ps__truncnorm_shape;

void ps__truncnorm_shape_init(ps__truncnorm_shape *s, const ps_dist *d);
double ps__truncnorm_shape_quantile(const ps_dist *d,
                                    const ps__truncnorm_shape *s, double u);
double ps__truncnorm_cdf(const ps_dist *d, double x);
double ps__truncnorm_mean(const ps_dist *d);

/* ---- PERT ---------------------------------------------------------------- */

/* The beta shape parameters alpha and beta of a PERT distribution's
   parameters p (min, mode, max, lambda). */
void ps__pert_shape(const double *p, double *alpha, double *beta);

/* The u-quantile of Beta(a, b), a, b >= 1 (see pert.c for why this does
   not call gsl_cdf_beta_Pinv). */
double ps__beta_quantile(double u, double a, double b);

/* What the beta quantile needs of the shape alone, computed once for
   many draws: ps__beta_shape_quantile(s, u) after ps__beta_shape_init(s,
   a, b) is ps__beta_quantile(u, a, b) to the last bit. */
typedef struct ps__beta_shape {
    double a, b;
    double lnbeta_ab, lnbeta_ba; /* ln B(a, b) and ln B(b, a) */
    double log_a, log_b;
} ps__beta_shape;

void ps__beta_shape_init(ps__beta_shape *s, double a, double b);
double ps__beta_shape_quantile(const ps__beta_shape *s, double u);

/* I_x(a, b), the regularised incomplete beta, for a, b >= 1 and x in
   (0, 1), and in *pdf the density of Beta(a, b) at x, with
   lnbeta = ln B(a, b) given (beta_cdf.c). */
double ps__beta_cdf_density(double x, double a, double b, double lnbeta,
                            double *pdf);

/* The u-quantile of Beta(a, b) (upper = 0) or Beta(b, a) (upper = 1) for
   u in (0, 1/2], by pert.c's Halley iteration from x on
   ps__beta_cdf_density; from its own first guess when x is not in
   (0, 1). */
double ps__beta_lower_quantile_from(const ps__beta_shape *s, int upper,
                                    double u, double x);

/* A table of the quantile of a beta shape (beta_table.c): nodes on a
   uniform grid of t = u^(1/a) over u in (0, 1/2], per half. */
#define PS_BETA_TABLE_CELLS 128

typedef struct ps__beta_half {
    double inv_a;          /* 1 / (the half's first shape parameter) */
    double step, inv_step; /* the grid's spacing in t and 1 / it      */
    double x[PS_BETA_TABLE_CELLS + 1];  /* the quantile at the nodes  */
    double dx[PS_BETA_TABLE_CELLS + 1]; /* its derivative in t        */
} ps__beta_half;

typedef struct ps__beta_table {
    ps__beta_shape shape;
    ps__beta_half half[2]; /* u <= 1/2 in Beta(a, b); 1 - u in Beta(b, a) */
} ps__beta_table;

/* Fills the table of Beta(a, b), a, b >= 1 (about 256 quantiles). */
void ps__beta_table_init(ps__beta_table *t, double a, double b);

/* The u-quantile of Beta(a, b): as accurate as ps__beta_quantile (the
   same iteration, from the table's guess, on ps__beta_cdf_density),
   usually with one evaluation of the incomplete beta; 0 for u <= 0 and
   1 for u >= 1. */
double ps__beta_table_quantile(const ps__beta_table *t, double u);

#endif
