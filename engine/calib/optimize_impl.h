/*
 * Private to the maximum-likelihood method: the state of one search,
 * shared by the search itself (optimize.c) and the evaluation of f, its
 * finite differences and the covariance (optimize_diff.c).  f(z) is
 * -loglik(x(z)) plus the penalty beyond the clamp of the normal scores z
 * (optimize.c describes the method).
 */
#ifndef PLANSIM_CALIB_OPTIMIZE_IMPL_H
#define PLANSIM_CALIB_OPTIMIZE_IMPL_H

#include <stddef.h>

#include "calib_impl.h"

/* Clamp of the normal scores: Phi(8) = 1 - 6e-16 still maps inside a
   bounded support (prior.c keeps Phi(z) below 1 - 2^-53, z < 8.3). */
#define Z_MAX 8.0
/* Central-difference step h_j in z: STEP_SD conditional sds s_j, within
   [MIN_STEP, GRAD_STEP] (GRAD_STEP while nothing is known: the prior's
   sd is 1).  In units of s_j the gradient's truncation error is then
   below STEP_SD^2 / 6 and its rounding error ~ eps |f| / STEP_SD. */
#define GRAD_STEP 1e-4
#define STEP_SD 1e-3
#define MIN_STEP 1e-12
/* Hessian steps: HESS_STEP conditional sds s_j (mapped to x by the slope
   of x(z_j) for the covariance). */
#define HESS_STEP 1e-2

typedef struct optim {
    const calib_prior *cp;
    const ps_calib_model *model;
    const ps_calib_options *opts;
    ps_error *err;
    size_t d, nextra;
    /* The batch: rows of inputs, their penalty beyond the clamp, and the
       callback's values. */
    double *bx, *bpen, *bll, *bextra;
    double *zc, *zt, *zv, *gv; /* d each: clamped, trial, GSL's x and g */
    double *h, *sd;            /* d each: gradient steps, conditional sds */
    /* The preconditioner: z = z0 + L^-T u. */
    double *z0, *lfac; /* d, and d x d lower triangular */
    /* Hessian work: steps, gradient, matrices (d + d + 4 d^2 + d). */
    double *hstep, *hgrad, *hess;
    size_t *index; /* 2d */
    /* Evaluations, and why the search stops. */
    size_t evaluations, limit, reserve;
    int searching;    /* batches count against limit - reserve  */
    int exhausted;    /* the search met its bound                */
    ps_status status; /* callback error, interruption, no memory */
    /* The best centre evaluated (by f, penalty included). */
    int have_best;
    double best_f, best_ll;
    double *best_z, *best_x, *best_extra;
    /* The last centre evaluated, with its gradient and curvature when
       they were made. */
    int has_f, has_g;
    double cache_f;
    double *cache_z, *cache_g, *cache_c;
    /* One stage per iteration. */
    ps_calib_stage *stages;
    size_t nstages, stages_cap;
} optim;

/* Nothing more runs: an error, or the search is at its bound. */
static inline int optim_stopped(const optim *o)
{
    return o->status != PS_OK || (o->searching && o->exhausted);
}

/* f of batch row i: the penalty minus the log-likelihood. */
static inline double optim_row_f(const optim *o, size_t i)
{
    return o->bpen[i] - o->bll[i];
}

/* ------------------------------------------------------------ batches */

/* Writes row `row` of the batch: the inputs of normal scores z, each
   clamped to [-Z_MAX, Z_MAX], and the penalty beyond the clamp
   (INFINITY when a score is not a number). */
void optim_put_row(optim *o, size_t row, const double *z);

/* Runs rows [0, n) of the batch through calib_evaluate.  A search batch
   that would take the evaluations past limit - reserve is not run
   (o->exhausted).  0, or -1 when nothing more can run. */
int optim_run_batch(optim *o, size_t n);

/* Keeps row i, the centre z, when its f is the lowest so far. */
void optim_note_best(optim *o, const double *z, size_t i);

/* f(z), one run (none when z is the cached centre); INFINITY when
   nothing more can run. */
double optim_eval_f(optim *o, const double *z);

/* f(z) and its gradient g by central differences of steps o->h: one
   batch of 2d probes, with the centre when it is not cached.  Keeps the
   curvature along each z_j, and takes the conditional sds o->sd from
   it where it is positive.  INFINITY (g 0) when nothing more can run. */
double optim_eval_fg(optim *o, const double *z, double *g);

/* The gradient steps from the conditional sds (between iterations, so a
   line search sees one gradient). */
void optim_adapt_steps(optim *o);

/* ------------------------------------------------------------ Hessian */

/* The Hessian hess (m x m) and gradient grad (m) of f at the best point
   over the inputs index[0..m) with steps h, by central differences in z
   (`in_z`, f with its penalty) or in x (f = -loglik), one batch of 2 m^2
   runs.  -1 when the batch did not run. */
int optim_hessian(optim *o, int in_z, const size_t *index, const double *h,
                  size_t m, double *hess, double *grad);

/* The lower Cholesky factor l of the symmetric m x m matrix h, through
   the unit-diagonal scaling s = D^-1 h D^-1, D = diag(sqrt(h_jj)), so
   inputs of any units are alike: l = D chol(s).  `l` may not be `h`.
   -1 when h is not finite and positive definite. */
int optim_scaled_cholesky(const double *h, size_t m, double *l);

/* The covariance (d x d, filled NaN first): the inverse of the Hessian of
   -loglik in x at the best point, with NaN rows and columns for inputs
   whose estimate sits at an edge of their support, and all NaN when it
   cannot be made.  The caller clears o->searching first, so that its
   batches run whatever the search's bound. */
void optim_covariance(optim *o, double *cov);

#endif
