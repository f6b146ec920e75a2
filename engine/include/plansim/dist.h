/*
 * plansim: probability distributions of uncertain inputs.
 *
 * Every distribution is used through its quantile function (inverse CDF):
 * a sampling design supplies uniforms u in (0,1) and ps_dist_quantile maps
 * them to values.  Inverse transform keeps Latin hypercube strata and
 * Sobol' points meaningful, and keeps each value a pure function of its
 * uniform, so results do not depend on the order of draws.
 */
#ifndef PLANSIM_DIST_H
#define PLANSIM_DIST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_dist_kind {
    PS_DIST_UNIFORM,     /* min, max                                        */
    PS_DIST_NORMAL,      /* mean, sd                                        */
    PS_DIST_TRUNCNORMAL, /* mean, sd, min, max (min/max may be +-INFINITY)   */
    PS_DIST_LOGNORMAL,   /* mu, sigma of log(x)  (median = exp(mu))         */
    PS_DIST_TRIANGULAR,  /* min, mode, max                                  */
    PS_DIST_PERT,        /* min, mode, max, shape lambda (4 by default)     */
    PS_DIST_DISCRETE     /* n increasing values with weights (normalised)   */
} ps_dist_kind;

/*
 * A distribution.  Parameters by kind, in p[]:
 *   UNIFORM      p[0]=min  p[1]=max
 *   NORMAL       p[0]=mean p[1]=sd
 *   TRUNCNORMAL  p[0]=mean p[1]=sd   p[2]=min  p[3]=max
 *   LOGNORMAL    p[0]=mu   p[1]=sigma
 *   TRIANGULAR   p[0]=min  p[1]=mode p[2]=max
 *   PERT         p[0]=min  p[1]=mode p[2]=max  p[3]=lambda
 *                (Beta(alpha, beta) scaled to [min, max], with
 *                 alpha = 1 + lambda (mode - min) / (max - min),
 *                 beta  = 1 + lambda (max - mode) / (max - min))
 *   DISCRETE     values[0..n) strictly increasing, weights[0..n)
 * A ps_dist owns `values` and `weights` (free with ps_dist_clear).
 * The evaluation functions below take a distribution that passed
 * ps_dist_check (anything else is undefined) and never call GSL's error
 * handler.
 */
typedef struct ps_dist {
    ps_dist_kind kind;
    double p[4];
    size_t n;
    double *values;
    double *weights;
} ps_dist;

/* The kind named `name` ("uniform", "normal", "truncnormal", "lognormal",
   "triangular", "pert", "discrete"); returns 0 and sets *kind, or -1. */
int ps_dist_kind_from_name(const char *name, ps_dist_kind *kind);

/* The name of a kind ("uniform", ...). */
const char *ps_dist_kind_name(ps_dist_kind kind);

/*
 * Checks the parameters: finite where required, sd, sigma and lambda > 0,
 * min < max, min <= mode <= max, discrete values strictly increasing (so
 * the quantile is monotone) with weights >= 0 and a positive sum, a
 * truncation interval with positive probability (not beyond ~37 sd in a
 * tail)...  Returns 0 when valid, otherwise -1 with a one-line reason in
 * why[0..n) such as "sd must be positive, got -1" (why may be NULL).
 */
int ps_dist_check(const ps_dist *d, char *why, size_t n);

/* The value whose CDF is u, for u in (0,1): the smallest x with
   P(X <= x) >= u (for DISCRETE, the first value whose cumulative weight
   reaches u).  Never outside the support; u <= 0 and u >= 1 give the ends
   of the support, NaN gives NaN. */
double ps_dist_quantile(const ps_dist *d, double u);

/* ps_dist_quantile of count values in place, u[i * stride] for i < count,
   with what depends on the parameters alone computed once: the same
   values to the last bit, faster for many draws of one input (a design's
   column). */
void ps_dist_quantiles(const ps_dist *d, double *u, size_t count,
                       size_t stride);

/*
 * A distribution prepared once for many quantiles (a design's column,
 * drawn block after block): for PERT a table of its beta quantile (about
 * 256 quantiles to make, a few kilobytes) from which the iteration needs
 * about one evaluation of the incomplete beta instead of three or four.
 * Its values are as accurate as ps_dist_quantile's and may differ from
 * them in the last bits (the iteration starts elsewhere); for the other
 * kinds they are ps_dist_quantile's.  The sampler keeps its own copy of
 * the distribution; it is read-only once made, so threads may share it.
 */
typedef struct ps_dist_sampler ps_dist_sampler;

/* A sampler of d (which must have passed ps_dist_check); NULL on no
   memory or a NULL d.  Free with ps_dist_sampler_free. */
ps_dist_sampler *ps_dist_sampler_new(const ps_dist *d);
void ps_dist_sampler_free(ps_dist_sampler **s);

/* The quantiles of count values in place, u[i * stride] for i < count;
   u <= 0 and u >= 1 give the ends of the support and NaN gives NaN, as
   ps_dist_quantile. */
void ps_dist_sampler_quantiles(const ps_dist_sampler *s, double *u,
                               size_t count, size_t stride);

/* P(X <= x), in [0, 1]; NaN for NaN. */
double ps_dist_cdf(const ps_dist *d, double x);

/* Mean of the distribution (used in reports and tests). */
double ps_dist_mean(const ps_dist *d);

/* Support: the smallest and largest possible values (may be infinite). */
void ps_dist_support(const ps_dist *d, double *lo, double *hi);

/* Frees values/weights and zeroes the struct.  NULL is allowed. */
void ps_dist_clear(ps_dist *d);

/* Deep copy of src into *dst (whatever dst held is overwritten, not
   freed); 0, or -1 on no memory or a NULL argument (dst is then zeroed
   when not NULL). */
int ps_dist_copy(ps_dist *dst, const ps_dist *src);

#ifdef __cplusplus
}
#endif
#endif
