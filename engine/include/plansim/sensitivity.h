/*
 * plansim: global sensitivity analysis.
 *
 * Which uncertain inputs drive an output, by three methods that share one
 * shape: a design says which point of the unit hypercube each run uses
 * (ps_sens_design_fill, a pure function of the run index, so runs can be
 * computed in any order on any thread), the caller runs the model at
 * those points (each uniform mapped through its input's distribution) and
 * hands the outputs, in run order, to the method's estimator.
 *
 *   PS_SENS_SOBOL   Sobol' indices from the Saltelli design, as SALib
 *                   computes them: A and B are the two halves of one
 *                   2d-dimensional scrambled Sobol' sequence (d inputs;
 *                   columns 0..d-1 are A, d..2d-1 are B), AB_g is A with
 *                   the columns of factor g taken from B.  Runs are laid
 *                   out by base row: run i(k+2) is A_i, run i(k+2)+1+g is
 *                   AB_g,i, run i(k+2)+k+1 is B_i, N(k+2) runs in all.
 *                   The output is standardised, then
 *                     S1_g = mean(B (AB_g - A)) / var([A; B])
 *                       (Saltelli et al. 2010, Table 2 (b)),
 *                     ST_g = mean((A - AB_g)^2) / 2 / var([A; B])
 *                       (Jansen 1999),
 *                   with bootstrap intervals over the base rows.
 *   PS_SENS_MORRIS  elementary effects on r random trajectories of k+1
 *                   points on a p-level grid (Morris 1991): the base point
 *                   on the grid's lower half, each factor moved once by
 *                   delta = p / (2 (p - 1)), up or down at random, in a
 *                   random order.  Run t(k+1)+l is point l of trajectory t.
 *   PS_SENS_OAT     one at a time: run 0 has every input at its median;
 *                   runs 1+2g and 2+2g move factor g's inputs to the
 *                   `low` and `high` probability levels; 2k+1 runs.
 *
 * A factor is one input or a group of inputs that move together; the
 * indices are per factor.  Sobol' indices assume independent inputs.
 *
 * Randomness (scrambling, trajectories, bootstrap resamples) comes from
 * the addressed generator (rng.h) under the design's seed: the same
 * design and outputs always give the same numbers, bit for bit.
 */
#ifndef PLANSIM_SENSITIVITY_H
#define PLANSIM_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/design.h"
#include "plansim/dist.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The design streams (design.h) this module draws from: purpose 6 of
   the reserved range, input or factor j at PS_SENS_STREAM + j. */
#define PS_SENS_STREAM (PS_DESIGN_STREAM_BASE + (UINT64_C(6) << 32))

typedef enum ps_sens_method {
    PS_SENS_SOBOL,
    PS_SENS_MORRIS,
    PS_SENS_OAT
} ps_sens_method;

/* "sobol", "morris", "oat" <-> method; from_name returns 0 or -1. */
int ps_sens_method_from_name(const char *name, ps_sens_method *m);
const char *ps_sens_method_name(ps_sens_method m);

typedef struct ps_sens_design {
    ps_sens_method method;
    uint64_t seed;
    size_t ninputs;          /* d: the uniforms of one run              */
    size_t nfactors;         /* k                                       */
    /* factor_of[j] is the factor of input j (every factor has at least
       one input); NULL: input j is factor j (then nfactors = ninputs). */
    const size_t *factor_of;
    size_t samples;          /* Sobol': N, a power of 2, at least 2     */
    size_t trajectories;     /* Morris: r, at least 1                   */
    unsigned levels;         /* Morris: p, even, at least 2             */
    double low, high;        /* OAT: probability levels, 0 < low < high
                                < 1                                     */
} ps_sens_design;

/* Default settings of the methods (SALib's where it has them). */
#define PS_SENS_DEFAULT_SAMPLES 1024
#define PS_SENS_DEFAULT_BOOTSTRAP 1000
#define PS_SENS_DEFAULT_TRAJECTORIES 20
#define PS_SENS_DEFAULT_LEVELS 4
#define PS_SENS_DEFAULT_LOW 0.05
#define PS_SENS_DEFAULT_HIGH 0.95

/*
 * Checks a design: the method's settings as above, factor_of in range
 * with no empty factor, at least one factor, a Sobol' sequence of 2d
 * dimensions within ps_design_sobol_max_dim() and N at most 2^32, and a
 * run count that fits a size_t.  PS_ERR_USAGE with a message naming the
 * setting.
 */
ps_status ps_sens_design_check(const ps_sens_design *d, ps_error *err);

/* Runs the design needs: N(k+2), r(k+1) or 2k+1; 0 when the count
   overflows.  The design need not have been checked. */
size_t ps_sens_design_runs(const ps_sens_design *d);

/*
 * Writes u[(i - first) * d + j], the point of input j in run i in the unit
 * cube, for runs [first, first + count) of a checked design: in (0, 1)
 * for Sobol' and OAT (the median is 1/2), the grid points l / (p - 1),
 * 0 and 1 included, for Morris.  ps_sens_quantile turns a point into the
 * input's value.  Pure: callable from any thread, concurrently.  `u` is
 * the caller's (count * d doubles).  PS_ERR_USAGE when the runs fall
 * outside the design; PS_ERR_NOMEM (Sobol' rows need a scratch buffer of
 * 2d doubles per base row).
 */
ps_status ps_sens_design_fill(const ps_sens_design *d, size_t first,
                              size_t count, double *u, ps_error *err);

/*
 * The value of an input with distribution `dist` (checked) at point u of
 * a design's unit cube: ps_dist_quantile(dist, u), except that a Morris
 * grid end (u = 0 or 1) where the support is unbounded takes the quantile
 * at 1 / (2p) or 1 - 1 / (2p), the middle of the end stratum, instead of
 * an infinite value.
 */
double ps_sens_quantile(const ps_sens_design *d, const ps_dist *dist,
                        double u);

/* What an estimator saw. */
typedef struct ps_sens_info {
    size_t used;   /* base rows (Sobol'), trajectories (Morris) or runs
                      (OAT) whose outputs were all finite and were used */
    size_t total;  /* of how many                                       */
    int constant;  /* the output took one value: indices are 0          */
    double base;   /* OAT: the output with every input at its median    */
} ps_sens_info;

typedef struct ps_sens_sobol_index {
    double s1, s1_low, s1_high, s1_conf;
    double st, st_low, st_high, st_conf;
} ps_sens_sobol_index;

/*
 * Sobol' indices of factor g in out[g] from y[0 .. N(k+2)), the outputs
 * of a checked Sobol' design in run order.  Base rows holding a
 * non-finite output (failed runs) are left out.  Y is standardised over
 * the rows used (mean, population sd) as SALib does.  With `nboot` > 0,
 * `nboot` bootstrap resamples of the rows used give the percentile
 * interval [low, high] at confidence `level` (type-7 quantiles of the
 * resampled estimates) and SALib's half-width conf = z((1 + level) / 2)
 * times their sd; resample b draws its row indices from stream
 * PS_SENS_STREAM + 0 of run b.  nboot = 0 gives NaN intervals.  A
 * constant output gives every index, interval and conf 0 and sets
 * info->constant.  `info` may be NULL.  PS_ERR_USAGE for a design that is
 * not Sobol', a level outside (0, 1); PS_ERR_DATA when fewer than 2 base
 * rows are complete; PS_ERR_NOMEM.
 */
ps_status ps_sens_sobol(const ps_sens_design *d, const double *y, size_t nboot,
                        double level, ps_sens_sobol_index *out,
                        ps_sens_info *info, ps_error *err);

typedef struct ps_sens_morris_index {
    double mu;       /* mean elementary effect                          */
    double mu_star;  /* mean absolute elementary effect                 */
    double sigma;    /* sd (n - 1) of the effects; NaN with one         */
    double mu_star_low, mu_star_high, mu_star_conf; /* as for Sobol'    */
} ps_sens_morris_index;

/*
 * Morris measures of factor g in out[g] from y[0 .. r(k+1)) of a checked
 * Morris design.  The elementary effect of a step is the change of the
 * output divided by the factor's step in the unit cube (+-delta), as
 * SALib computes it: for an input uniform on [a, b] it is the output's
 * change per (b - a).  Trajectories holding a
 * non-finite output are left out; bootstrap over the trajectories used
 * (stream PS_SENS_STREAM + 0 of run b) as for ps_sens_sobol.  `info` may
 * be NULL.  PS_ERR_USAGE, PS_ERR_DATA (no complete trajectory),
 * PS_ERR_NOMEM.
 */
ps_status ps_sens_morris(const ps_sens_design *d, const double *y,
                         size_t nboot, double level, ps_sens_morris_index *out,
                         ps_sens_info *info, ps_error *err);

typedef struct ps_sens_oat_index {
    double y_low, y_high; /* the output with the factor at low, high     */
    double swing;         /* |y_high - y_low|; NaN when either is       */
} ps_sens_oat_index;

/* OAT swings of factor g in out[g] from y[0 .. 2k+1) of a checked OAT
   design; info->base is y[0].  A non-finite output gives NaN where it is
   used.  `info` may be NULL.  PS_ERR_USAGE for another method. */
ps_status ps_sens_oat(const ps_sens_design *d, const double *y,
                      ps_sens_oat_index *out, ps_sens_info *info,
                      ps_error *err);

/* order[0..n) = the indices of key[] from the largest value to the
   smallest, NaN last, equal keys by index.  PS_ERR_NOMEM. */
ps_status ps_sens_rank(const double *key, size_t n, size_t *order,
                       ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
