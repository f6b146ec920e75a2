/*
 * Maximum likelihood ("optimize"): the inputs that maximise the
 * log-likelihood, and the inverse of the observed information there as
 * the approximate covariance of the estimate.
 *
 * The search runs in the prior's normal scores z, where there are no
 * bounds: it minimises f(z) = -loglik(x(z)), x = F^-1(Phi(z)), without
 * the prior's density (the result is the maximum-likelihood point, not
 * the posterior mode).  Each z_j is clamped to [-Z_MAX, Z_MAX] before it
 * is mapped, so x stays inside a bounded support, and (|z_j| - Z_MAX)^2 / 2
 * is added beyond the clamp so the search comes back.
 *
 *   1. Start: the best of z = 0 (the prior's medians) and
 *      START_PER_PARAM d - 1 prior draws of the seed, one batch.
 *   2. Gradients by central differences: one batch of 2d probes z +- h_j
 *      (2d + 1 runs when f is asked with them).  The probes also give the
 *      curvature c_j of f along each z_j, so a conditional sd
 *      s_j = min(1, c_j^-1/2) in z (1: the prior's), and h_j follows s_j.
 *   3. Preconditioning: GSL's vector_bfgs2 keeps no inverse Hessian (its
 *      update uses the last step only), so it crawls along the ridges of
 *      inputs that trade off.  It runs instead in u, z = z0 + L^-T u with
 *      H = L L^T the Hessian of f at z0 (one batch of 2 d^2 runs; the
 *      diagonal of 1 / s_j^2 when H is not positive definite), where a
 *      quadratic f is a round bowl.  |grad_u f| is then the distance to
 *      the optimum in standard deviations, and BFGS has converged when it
 *      is below GRAD_TOL, whatever the scale of the likelihood.
 *   4. When BFGS stops making progress (a failed line search), it starts
 *      once more from the best point with a new preconditioner; when that
 *      stalls too, the Nelder-Mead simplex (nmsimplex2, one run at a
 *      time) takes over in u, until its size is below SIMPLEX_TOL (or it
 *      stops making progress: a plateau of f).
 *   5. The covariance: the Hessian of -loglik in the inputs' own units at
 *      the best point, by central differences (one batch of 2 d^2 runs),
 *      inverted through its Cholesky factor.  An input whose estimate is
 *      at an edge of its support (the gradient along it does not vanish)
 *      has NaN for its row and column.
 *
 * The result is the best point evaluated.  The search's batches stop
 * before the evaluations would pass max_evaluations less what the
 * covariance needs; the starting batch and the covariance always run.
 *
 * GSL's error handler is never called on a path that can be reached:
 * every value handed to the simplex is finite (nmsimplex2 reports a
 * non-finite one through the handler), tolerances are positive, and a
 * matrix reaches gsl_linalg_cholesky_decomp1 only after calib_cholesky
 * found it positive definite.  Only GSL's allocations may still call it.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

#include "calib_impl.h"

/* Clamp of the normal scores: Phi(8) = 1 - 6e-16 still maps inside a
   bounded support (prior.c keeps Phi(z) below 1 - 2^-53, z < 8.3). */
#define Z_MAX 8.0
/* Starting points per input. */
#define START_PER_PARAM 16
/* Central-difference step h_j in z: STEP_SD conditional sds s_j, within
   [MIN_STEP, GRAD_STEP] (GRAD_STEP while nothing is known: the prior's
   sd is 1).  In units of s_j the gradient's truncation error is then
   below STEP_SD^2 / 6 and its rounding error ~ eps |f| / STEP_SD. */
#define GRAD_STEP 1e-4
#define STEP_SD 1e-3
#define MIN_STEP 1e-12
/* BFGS has converged when |grad_u f| (sds) is below this. */
#define GRAD_TOL 1e-6
/* BFGS: the line search's tolerance (Fletcher's sigma; 0.1 as GSL
   recommends) and the largest first step, in sds. */
#define BFGS_LINE_TOL 0.1
#define BFGS_MAX_STEP 10.0
/* Simplex in u: initial step and the size at which it stops (sds), and
   SIMPLEX_IDLE (d + 1) iterations in which neither f fell nor the size
   halved make it give up. */
#define SIMPLEX_STEP 1.0
#define SIMPLEX_TOL 1e-6
#define SIMPLEX_IDLE 10
/* Hessian steps: HESS_STEP conditional sds s_j (mapped to x by the slope
   of x(z_j) for the covariance). */
#define HESS_STEP 1e-2
/* The estimate of an input is at an edge of its support, not at a
   stationary point, when it is more than this many conditional sds from
   where the gradient of -loglik along it vanishes. */
#define EDGE_SD 0.1
/* A Hessian, scaled to a unit diagonal, counts as positive definite when
   every Cholesky pivot is above this (as for the prior's correlation in
   prior.c). */
#define PIVOT_TOLERANCE 1e-10
/* Default bound on evaluations per input. */
#define EVALS_PER_PARAM 2000
/* The Hessian's batch holds 2 d^3 doubles: far beyond any memory at this
   size, and far from overflowing a size_t. */
#define MAX_PARAMS 100000

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

/* ------------------------------------------------------------ batches */

/* Nothing more runs: an error, or the search is at its bound. */
static int stopped(const optim *o)
{
    return o->status != PS_OK || (o->searching && o->exhausted);
}

/* Writes row `row` of the batch: the inputs of normal scores z, each
   clamped to [-Z_MAX, Z_MAX], and the penalty beyond the clamp
   (INFINITY when a score is not a number). */
static void put_row(optim *o, size_t row, const double *z)
{
    double pen = 0.0;
    for (size_t j = 0; j < o->d; j++) {
        double v = z[j];
        if (!isfinite(v)) {
            pen = INFINITY;
            v = 0.0;
        }
        const double c = fmax(-Z_MAX, fmin(Z_MAX, v));
        pen += 0.5 * (v - c) * (v - c);
        o->zc[j] = c;
    }
    ps_calib_prior_to_x(o->cp->p, o->zc, o->bx + row * o->d);
    o->bpen[row] = pen;
}

/* Runs rows [0, n) of the batch through calib_evaluate.  A search batch
   that would take the evaluations past limit - reserve is not run
   (o->exhausted).  0, or -1 when nothing more can run. */
static int run_batch(optim *o, size_t n)
{
    if (stopped(o))
        return -1;
    if (o->searching && o->evaluations + n + o->reserve > o->limit) {
        o->exhausted = 1;
        return -1;
    }
    o->status = calib_evaluate(o->cp->p, o->model, o->opts, n, o->bx, o->bll,
                               o->bextra, &o->evaluations, o->err);
    return o->status == PS_OK ? 0 : -1;
}

/* f of batch row i: the penalty minus the log-likelihood. */
static double row_f(const optim *o, size_t i)
{
    return o->bpen[i] - o->bll[i];
}

/* Keeps row i, the centre z, when its f is the lowest so far. */
static void note_best(optim *o, const double *z, size_t i)
{
    const double f = row_f(o, i);
    if (!(f < INFINITY) || (o->have_best && !(f < o->best_f)))
        return;
    o->have_best = 1;
    o->best_f = f;
    o->best_ll = o->bll[i];
    if (z != o->best_z)
        memcpy(o->best_z, z, o->d * sizeof *z);
    memcpy(o->best_x, o->bx + i * o->d, o->d * sizeof *o->best_x);
    if (o->nextra > 0)
        memcpy(o->best_extra, o->bextra + i * o->nextra,
               o->nextra * sizeof *o->best_extra);
}

static int at_cache(const optim *o, const double *z)
{
    return o->has_f && memcmp(o->cache_z, z, o->d * sizeof *z) == 0;
}

/* f(z), one run (none when z is the cached centre); INFINITY when
   nothing more can run. */
static double eval_f(optim *o, const double *z)
{
    if (at_cache(o, z))
        return o->cache_f;
    put_row(o, 0, z);
    if (run_batch(o, 1) != 0)
        return INFINITY;
    note_best(o, z, 0);
    memcpy(o->cache_z, z, o->d * sizeof *z);
    o->cache_f = row_f(o, 0);
    o->has_f = 1;
    o->has_g = 0;
    return o->cache_f;
}

/* The derivative from the probes fp = f(z + hp), fm = f(z - hm) and f0:
   central, one-sided when one probe has a likelihood of zero, 0 when
   both have. */
static double difference(double fm, double f0, double fp, double hm, double hp)
{
    if (isfinite(fp) && isfinite(fm))
        return (fp - fm) / (hp + hm);
    if (isfinite(fp) && isfinite(f0))
        return (fp - f0) / hp;
    if (isfinite(fm) && isfinite(f0))
        return (f0 - fm) / hm;
    return 0.0;
}

/* The second derivative through the three points (NaN unless all are
   finite). */
static double curvature(double fm, double f0, double fp, double hm, double hp)
{
    if (!(isfinite(fp) && isfinite(fm) && isfinite(f0)))
        return NAN;
    return 2.0 * (hm * (fp - f0) + hp * (fm - f0)) / (hp * hm * (hp + hm));
}

/* f(z) and its gradient g by central differences of steps o->h: one
   batch of 2d probes, with the centre when it is not cached.  Keeps the
   curvature along each z_j, and takes the conditional sds o->sd from
   it where it is positive.  INFINITY (g 0) when nothing more can run. */
static double eval_fg(optim *o, const double *z, double *g)
{
    const size_t d = o->d;
    const int cached = at_cache(o, z);
    if (cached && o->has_g) {
        memcpy(g, o->cache_g, d * sizeof *g);
        return o->cache_f;
    }
    const size_t c = cached ? 0 : 1; /* rows before the probes */
    if (c)
        put_row(o, 0, z);
    memcpy(o->zt, z, d * sizeof *z);
    for (size_t j = 0; j < d; j++) {
        o->zt[j] = z[j] + o->h[j];
        put_row(o, c + 2 * j, o->zt);
        o->zt[j] = z[j] - o->h[j];
        put_row(o, c + 2 * j + 1, o->zt);
        o->zt[j] = z[j];
    }
    if (run_batch(o, c + 2 * d) != 0) {
        memset(g, 0, d * sizeof *g);
        return INFINITY;
    }
    const double f0 = c ? row_f(o, 0) : o->cache_f;
    if (c)
        note_best(o, z, 0);
    for (size_t j = 0; j < d; j++) {
        /* The steps as represented, not as meant. */
        const double hp = (z[j] + o->h[j]) - z[j];
        const double hm = z[j] - (z[j] - o->h[j]);
        const double fp = row_f(o, c + 2 * j), fm = row_f(o, c + 2 * j + 1);
        g[j] = difference(fm, f0, fp, hm, hp);
        o->cache_c[j] = curvature(fm, f0, fp, hm, hp);
        if (o->cache_c[j] > 0.0 && isfinite(o->cache_c[j]))
            o->sd[j] = fmin(1.0, 1.0 / sqrt(o->cache_c[j]));
    }
    memcpy(o->cache_z, z, d * sizeof *z);
    memcpy(o->cache_g, g, d * sizeof *g);
    o->cache_f = f0;
    o->has_f = 1;
    o->has_g = 1;
    return f0;
}

/* The gradient steps from the conditional sds (between iterations, so a
   line search sees one gradient). */
static void adapt_steps(optim *o)
{
    for (size_t j = 0; j < o->d; j++)
        o->h[j] = fmax(MIN_STEP, fmin(GRAD_STEP, STEP_SD * o->sd[j]));
}

/* ------------------------------------------------------------ Hessian */

/* Row r of a Hessian batch: the best point moved by a along input `ja`
   and b along `jb` (b 0: one input only), in z (`in_z`) or in x. */
static void put_moved_row(optim *o, int in_z, size_t r, size_t ja, double a,
                          size_t jb, double b)
{
    const size_t d = o->d;
    double *p = in_z ? o->zt : o->bx + r * d;
    memcpy(p, in_z ? o->best_z : o->best_x, d * sizeof *p);
    p[ja] += a;
    if (b != 0.0)
        p[jb] += b;
    if (in_z)
        put_row(o, r, p);
    else
        o->bpen[r] = 0.0;
}

/* The Hessian hess (m x m) and gradient grad (m) of f at the best point
   over the inputs index[0..m) with steps h, by central differences in z
   (`in_z`, f with its penalty) or in x (f = -loglik), one batch of 2 m^2
   runs:
     H_aa = (f(+h_a) - 2 f + f(-h_a)) / h_a^2,  g_a = (f(+h_a) - f(-h_a))
     / (2 h_a),  H_ab = (f(++) - f(+-) - f(-+) + f(--)) / (4 h_a h_b).
   -1 when the batch did not run. */
static int hessian(optim *o, int in_z, const size_t *index, const double *h,
                   size_t m, double *hess, double *grad)
{
    size_t r = 0;
    for (size_t a = 0; a < m; a++) {
        const size_t ja = index[a];
        put_moved_row(o, in_z, r++, ja, h[a], 0, 0.0);
        put_moved_row(o, in_z, r++, ja, -h[a], 0, 0.0);
        for (size_t b = a + 1; b < m; b++) {
            put_moved_row(o, in_z, r++, ja, h[a], index[b], h[b]);
            put_moved_row(o, in_z, r++, ja, h[a], index[b], -h[b]);
            put_moved_row(o, in_z, r++, ja, -h[a], index[b], h[b]);
            put_moved_row(o, in_z, r++, ja, -h[a], index[b], -h[b]);
        }
    }
    if (run_batch(o, r) != 0)
        return -1;
    const double f0 = in_z ? o->best_f : -o->best_ll;
    r = 0;
    for (size_t a = 0; a < m; a++) {
        const double fp = row_f(o, r), fm = row_f(o, r + 1);
        r += 2;
        hess[a * m + a] = (fp - 2.0 * f0 + fm) / (h[a] * h[a]);
        grad[a] = (fp - fm) / (2.0 * h[a]);
        for (size_t b = a + 1; b < m; b++, r += 4)
            hess[a * m + b] = hess[b * m + a] =
                (row_f(o, r) - row_f(o, r + 1) - row_f(o, r + 2) +
                 row_f(o, r + 3)) /
                (4.0 * h[a] * h[b]);
    }
    return 0;
}

/* The lower Cholesky factor l of the symmetric m x m matrix h, through
   the unit-diagonal scaling s = D^-1 h D^-1, D = diag(sqrt(h_jj)), so
   inputs of any units are alike: l = D chol(s).  `l` may not be `h`.
   -1 when h is not finite and positive definite. */
static int scaled_cholesky(const double *h, size_t m, double *l)
{
    for (size_t j = 0; j < m * m; j++)
        if (!isfinite(h[j]))
            return -1;
    for (size_t j = 0; j < m; j++)
        if (!(h[j * m + j] > 0.0))
            return -1;
    for (size_t j = 0; j < m; j++)
        for (size_t k = 0; k < m; k++)
            l[j * m + k] =
                h[j * m + k] / (sqrt(h[j * m + j]) * sqrt(h[k * m + k]));
    if (calib_cholesky(l, m, PIVOT_TOLERANCE) != m)
        return -1;
    for (size_t j = 0; j < m; j++)
        for (size_t k = 0; k <= j; k++)
            l[j * m + k] *= sqrt(h[j * m + j]);
    return 0;
}

/* ----------------------------------------------------- preconditioner */

/* w = L^-T u (back substitution). */
static void solve_upper(const optim *o, const double *u, double *w)
{
    const size_t d = o->d;
    for (size_t i = d; i-- > 0;) {
        double s = u[i];
        for (size_t k = i + 1; k < d; k++)
            s -= o->lfac[k * d + i] * w[k];
        w[i] = s / o->lfac[i * d + i];
    }
}

/* w = L^-1 g (forward substitution). */
static void solve_lower(const optim *o, const double *g, double *w)
{
    const size_t d = o->d;
    for (size_t i = 0; i < d; i++) {
        double s = g[i];
        for (size_t k = 0; k < i; k++)
            s -= o->lfac[i * d + k] * w[k];
        w[i] = s / o->lfac[i * d + i];
    }
}

/*
 * A new preconditioner at the best point: z0 = best z, and L the
 * Cholesky factor of the Hessian of f there (steps HESS_STEP s_j), or
 * diag(1 / s_j) when it is not positive definite.  Writes grad_u f at
 * z0 to g_u.  -1 when the search stopped.
 */
static int precondition(optim *o, double *g_u)
{
    const size_t d = o->d;
    eval_fg(o, o->best_z, o->gv);
    if (stopped(o))
        return -1;
    for (size_t j = 0; j < d; j++) {
        o->index[j] = j;
        o->hstep[j] = HESS_STEP * o->sd[j];
    }
    if (hessian(o, 1, o->index, o->hstep, d, o->hess, o->hgrad) != 0)
        return -1;
    memcpy(o->z0, o->best_z, d * sizeof *o->z0);
    if (scaled_cholesky(o->hess, d, o->lfac) != 0) {
        memset(o->lfac, 0, d * d * sizeof *o->lfac);
        for (size_t j = 0; j < d; j++)
            o->lfac[j * d + j] = 1.0 / o->sd[j];
    }
    solve_lower(o, o->gv, g_u);
    return 0;
}

/* ------------------------------------------------------ GSL adapters */

/* o->zv = z0 + L^-T u. */
static void u_to_z(optim *o, const gsl_vector *u)
{
    for (size_t j = 0; j < o->d; j++)
        o->zt[j] = gsl_vector_get(u, j);
    solve_upper(o, o->zt, o->zv);
    for (size_t j = 0; j < o->d; j++)
        o->zv[j] += o->z0[j];
}

/* g = grad_u f = L^-1 grad_z f, from o->gv. */
static void gradient_to_u(optim *o, gsl_vector *g)
{
    solve_lower(o, o->gv, o->zt);
    for (size_t j = 0; j < o->d; j++)
        gsl_vector_set(g, j, o->zt[j]);
}

static double gsl_f(const gsl_vector *u, void *params)
{
    optim *o = params;
    u_to_z(o, u);
    return eval_f(o, o->zv);
}

static void gsl_df(const gsl_vector *u, void *params, gsl_vector *g)
{
    optim *o = params;
    u_to_z(o, u);
    eval_fg(o, o->zv, o->gv);
    gradient_to_u(o, g);
}

static void gsl_fdf(const gsl_vector *u, void *params, double *f, gsl_vector *g)
{
    optim *o = params;
    u_to_z(o, u);
    *f = eval_fg(o, o->zv, o->gv);
    gradient_to_u(o, g);
}

/* nmsimplex2 calls GSL's error handler on a value that is not finite: a
   likelihood of zero (or a stopped search) is the largest double. */
static double simplex_f(const gsl_vector *u, void *params)
{
    const double f = gsl_f(u, params);
    return isfinite(f) ? f : DBL_MAX;
}

/* ------------------------------------------------------------ search */

/* Records a stage (the iteration's evaluations) and reports it.  -1 on
   no memory. */
static int push_stage(optim *o)
{
    if (o->nstages == o->stages_cap) {
        size_t cap = o->stages_cap ? 2 * o->stages_cap : 64;
        ps_calib_stage *s = realloc(o->stages, cap * sizeof *s);
        if (!s) {
            o->status = ps_error_set(o->err, PS_ERR_NOMEM, NULL, 0, 0,
                                     "no memory for %zu iterations", cap);
            return -1;
        }
        o->stages = s;
        o->stages_cap = cap;
    }
    ps_calib_stage *s = &o->stages[o->nstages++];
    *s = (ps_calib_stage){
        .phi = 1.0,
        .ess = 1.0,
        .acceptance = NAN,
        .moves = 0,
        .log_evidence_increment = NAN,
        .evaluations = o->evaluations,
    };
    if (o->opts->progress)
        o->opts->progress(s, o->opts->progress_ctx);
    return 0;
}

/* Normal scores of starting point i: 0 (the medians), then prior draws. */
static void start_z(const optim *o, size_t i, double *z)
{
    if (i == 0)
        memset(z, 0, o->d * sizeof *z);
    else
        calib_prior_draw(o->cp, o->opts->seed, i, z);
}

/* The best of m starting points, one batch: stage 0.  PS_ERR_DATA when
   none has a likelihood above zero. */
static ps_status start(optim *o, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        start_z(o, i, o->zt);
        put_row(o, i, o->zt);
    }
    if (run_batch(o, m) != 0)
        return o->status;
    size_t best = m;
    for (size_t i = 0; i < m; i++)
        if (row_f(o, i) < INFINITY &&
            (best == m || row_f(o, i) < row_f(o, best)))
            best = i;
    if (best == m)
        return ps_error_set(o->err, PS_ERR_DATA, NULL, 0, 0,
                            "no starting point reproduces the observations: "
                            "all %zu (the prior's medians and %zu draws) "
                            "have a likelihood of zero (the data and the "
                            "prior do not overlap)",
                            m, m - 1);
    start_z(o, best, o->zt);
    note_best(o, o->zt, best);
    memcpy(o->cache_z, o->zt, o->d * sizeof *o->zt);
    o->cache_f = o->best_f;
    o->has_f = 1;
    o->has_g = 0;
    push_stage(o);
    return o->status;
}

/* BFGS in u from the best point, preconditioned there; once more after a
   stall.  Returns 1 when the search is over (converged, stopped or out
   of memory), 0 when the simplex should take over. */
static int search_bfgs(optim *o, int *converged)
{
    gsl_multimin_function_fdf fn = {gsl_f, gsl_df, gsl_fdf, o->d, o};
    gsl_multimin_fdfminimizer *s = gsl_multimin_fdfminimizer_alloc(
        gsl_multimin_fdfminimizer_vector_bfgs2, o->d);
    gsl_vector *u = gsl_vector_alloc(o->d);
    int over = 1;
    if (!s || !u) {
        o->status = ps_error_set(o->err, PS_ERR_NOMEM, NULL, 0, 0,
                                 "no memory for the optimiser");
        goto done;
    }
    for (int run = 0; run < 2; run++) {
        if (precondition(o, o->zv) != 0)
            goto done;
        /* Along -grad_u, a quadratic f has its minimum |grad_u| away. */
        double step = 0.0;
        for (size_t j = 0; j < o->d; j++)
            step += o->zv[j] * o->zv[j];
        step = fmin(fmax(sqrt(step), GRAD_TOL), BFGS_MAX_STEP);
        adapt_steps(o);
        gsl_vector_set_zero(u);
        gsl_multimin_fdfminimizer_set(s, &fn, u, step, BFGS_LINE_TOL);
        double fprev = gsl_multimin_fdfminimizer_minimum(s);
        while (!stopped(o)) {
            if (isfinite(fprev) && gsl_multimin_test_gradient(
                                       gsl_multimin_fdfminimizer_gradient(s),
                                       GRAD_TOL) == GSL_SUCCESS) {
                *converged = 1;
                goto done;
            }
            const int rc = gsl_multimin_fdfminimizer_iterate(s);
            if (stopped(o) || push_stage(o) != 0)
                goto done;
            adapt_steps(o);
            const double f = gsl_multimin_fdfminimizer_minimum(s);
            /* No progress: GSL_ENOPROG, or a line search that found
               nothing lower. */
            if (rc != GSL_SUCCESS || !(f < fprev))
                break;
            fprev = f;
        }
        if (stopped(o))
            goto done;
    }
    over = 0;
done:
    gsl_vector_free(u);
    if (s)
        gsl_multimin_fdfminimizer_free(s);
    return over;
}

/* Nelder-Mead in u from the best point, until its size is below
   SIMPLEX_TOL (converged), it makes no progress or the search stops. */
static void search_simplex(optim *o, int *converged)
{
    gsl_multimin_function fn = {simplex_f, o->d, o};
    gsl_multimin_fminimizer *s =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, o->d);
    gsl_vector *u = gsl_vector_alloc(o->d);
    gsl_vector *step = gsl_vector_alloc(o->d);
    if (!s || !u || !step) {
        o->status = ps_error_set(o->err, PS_ERR_NOMEM, NULL, 0, 0,
                                 "no memory for the simplex");
        goto done;
    }
    memcpy(o->z0, o->best_z, o->d * sizeof *o->z0);
    gsl_vector_set_zero(u);
    gsl_vector_set_all(step, SIMPLEX_STEP);
    gsl_multimin_fminimizer_set(s, &fn, u, step);
    double best = o->best_f, size = SIMPLEX_STEP;
    size_t idle = 0; /* iterations since the last progress */
    while (!stopped(o)) {
        const int rc = gsl_multimin_fminimizer_iterate(s);
        if (stopped(o) || push_stage(o) != 0 || rc != GSL_SUCCESS)
            break;
        const double now = gsl_multimin_fminimizer_size(s);
        if (gsl_multimin_test_size(now, SIMPLEX_TOL) == GSL_SUCCESS) {
            *converged = 1;
            break;
        }
        /* On a plateau of f (a likelihood that rounding or the model
           makes flat) the simplex reflects without shrinking. */
        if (o->best_f < best || now < 0.5 * size) {
            best = o->best_f;
            size = fmin(size, now);
            idle = 0;
        } else if (++idle >= SIMPLEX_IDLE * (o->d + 1)) {
            break;
        }
    }
done:
    gsl_vector_free(step);
    gsl_vector_free(u);
    if (s)
        gsl_multimin_fminimizer_free(s);
}

/* -------------------------------------------------------- covariance */

/* The covariance's step of input j in x (0 when it has none): HESS_STEP
   conditional sds in z at the best point times the slope dx_j/dz_j,
   within half the way to a finite end of the support.  An input whose
   score sits at the clamp has none: its estimate is at the edge of its
   support. */
static double covariance_step(optim *o, size_t j)
{
    const double z = o->best_z[j], x = o->best_x[j];
    if (!(fabs(z) < Z_MAX - 0.01))
        return 0.0;
    memcpy(o->zt, o->best_z, o->d * sizeof *o->zt);
    o->zt[j] = z + GRAD_STEP;
    ps_calib_prior_to_x(o->cp->p, o->zt, o->zc);
    const double xp = o->zc[j];
    o->zt[j] = z - GRAD_STEP;
    ps_calib_prior_to_x(o->cp->p, o->zt, o->zc);
    const double slope = (xp - o->zc[j]) / (2.0 * GRAD_STEP);
    double h = HESS_STEP * o->sd[j] * slope, lo, hi;
    ps_dist_support(o->cp->p->dists[j], &lo, &hi);
    h = fmin(h, 0.5 * (x - lo));
    h = fmin(h, 0.5 * (hi - x));
    if (!(h > 0.0) || !isfinite(h))
        return 0.0;
    /* The step as represented. */
    h = (x + h) - x;
    return h > 0.0 && x - h < x ? h : 0.0;
}

/*
 * The covariance (d x d, filled NaN first): the inverse of the Hessian of
 * -loglik in x at the best point.  An input has a row and column only
 * when it has a step and the point is stationary along it
 * (|g_j| <= EDGE_SD sqrt(H_jj): less than EDGE_SD conditional sds from
 * where the gradient vanishes); otherwise its estimate sits at an edge
 * of its support, where the information says nothing of its spread.
 * All of it stays NaN when a run has a likelihood of zero or the
 * Hessian of the others is not positive definite.
 */
static void covariance(optim *o, double *cov)
{
    const size_t d = o->d;
    for (size_t i = 0; i < d * d; i++)
        cov[i] = NAN;
    /* The conditional sds at the best point. */
    if (!(at_cache(o, o->best_z) && o->has_g)) {
        eval_fg(o, o->best_z, o->gv);
        if (stopped(o))
            return;
    }
    size_t *index = o->index, *keep = o->index + d, m = 0, k = 0;
    double *hess = o->hess, *sub = hess + d * d, *lfac = sub + d * d;
    double *inv = lfac + d * d;
    for (size_t j = 0; j < d; j++) {
        o->hstep[m] = covariance_step(o, j);
        if (o->hstep[m] > 0.0)
            index[m++] = j;
    }
    if (m == 0 || hessian(o, 0, index, o->hstep, m, hess, o->hgrad) != 0)
        return;
    for (size_t a = 0; a < m; a++) {
        const double haa = hess[a * m + a], g = o->hgrad[a];
        if (haa > 0.0 && isfinite(haa) && fabs(g) <= EDGE_SD * sqrt(haa))
            keep[k++] = a;
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++)
            sub[a * k + b] = hess[keep[a] * m + keep[b]];
    if (k == 0 || scaled_cholesky(sub, k, lfac) != 0)
        return;
    /* Positive definite: GSL's Cholesky will not refuse it. */
    memcpy(inv, sub, k * k * sizeof *inv);
    gsl_matrix_view iv = gsl_matrix_view_array(inv, k, k);
    if (gsl_linalg_cholesky_decomp1(&iv.matrix) != GSL_SUCCESS ||
        gsl_linalg_cholesky_invert(&iv.matrix) != GSL_SUCCESS)
        return;
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++)
            cov[index[keep[a]] * d + index[keep[b]]] = inv[a * k + b];
}

/* ----------------------------------------------------------- driver */

/* The work arrays for d inputs and batches of up to `cap` rows.  -1 on
   no memory (or sizes that overflow). */
static int optim_alloc(optim *o, size_t cap)
{
    const size_t d = o->d, ne = o->nextra;
    if (ne > SIZE_MAX / sizeof(double) / cap)
        return -1;
    o->bx = malloc(cap * d * sizeof *o->bx);
    o->bpen = malloc(cap * sizeof *o->bpen);
    o->bll = malloc(cap * sizeof *o->bll);
    o->bextra = ne > 0 ? malloc(cap * ne * sizeof *o->bextra) : NULL;
    o->best_extra = ne > 0 ? malloc(ne * sizeof *o->best_extra) : NULL;
    /* zc zt zv gv h sd z0 best_z best_x cache_z cache_g cache_c hstep
       hgrad, then lfac (d^2) and hess (4 d^2) */
    o->zc = malloc((14 * d + 5 * d * d) * sizeof *o->zc);
    o->index = malloc(2 * d * sizeof *o->index);
    if (!o->bx || !o->bpen || !o->bll || !o->zc || !o->index ||
        (ne > 0 && (!o->bextra || !o->best_extra)))
        return -1;
    double *p = o->zc;
    double **slots[] = {&o->zt,      &o->zv,      &o->gv,      &o->h,
                        &o->sd,      &o->z0,      &o->best_z,  &o->best_x,
                        &o->cache_z, &o->cache_g, &o->cache_c, &o->hstep,
                        &o->hgrad,   &o->lfac};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
        *slots[i] = p += d;
    o->hess = o->lfac + d * d;
    for (size_t j = 0; j < d; j++) {
        o->sd[j] = 1.0;
        o->h[j] = GRAD_STEP;
    }
    return 0;
}

static void optim_free(optim *o)
{
    free(o->bx);
    free(o->bpen);
    free(o->bll);
    free(o->bextra);
    free(o->best_extra);
    free(o->zc);
    free(o->index);
    free(o->stages);
}

/* Moves the best point, the stages and `cov` into *out. */
static ps_status fill_result(optim *o, double *cov, int converged, int complete,
                             ps_calib_result *out)
{
    const size_t d = o->d, ne = o->nextra;
    out->method = PS_CALIB_OPTIMIZE;
    out->nparams = d;
    out->nparticles = 1;
    out->nextra = ne;
    out->x = malloc(d * sizeof *out->x);
    out->weights = malloc(sizeof *out->weights);
    out->loglik = malloc(sizeof *out->loglik);
    out->extra = ne > 0 ? malloc(ne * sizeof *out->extra) : NULL;
    out->covariance = cov;
    out->stages = o->stages;
    out->nstages = o->nstages;
    o->stages = NULL;
    if (!out->x || !out->weights || !out->loglik || (ne > 0 && !out->extra))
        return ps_error_set(o->err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory for the result");
    memcpy(out->x, o->best_x, d * sizeof *out->x);
    out->weights[0] = 1.0;
    out->loglik[0] = o->best_ll;
    if (ne > 0)
        memcpy(out->extra, o->best_extra, ne * sizeof *out->extra);
    out->log_evidence = NAN;
    out->ess = 1.0;
    out->evaluations = o->evaluations;
    out->complete = complete;
    out->collapsed = 0;
    out->max_loglik = o->best_ll;
    out->converged = converged;
    return PS_OK;
}

ps_status calib_optimize(const calib_prior *cp, const ps_calib_model *model,
                         const ps_calib_options *opts, ps_calib_result *out,
                         ps_error *err)
{
    const size_t d = cp->d;
    optim o = {
        .cp = cp,
        .model = model,
        .opts = opts,
        .err = err,
        .d = d,
        .nextra = model->nextra,
        .status = PS_OK,
    };
    out->method = PS_CALIB_OPTIMIZE;
    if (d > MAX_PARAMS)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "too many inputs to optimise: %zu (the "
                            "covariance alone takes 2 x %zu^2 runs)",
                            d, d);
    /* Batches: the starts, a gradient with its centre, a Hessian. */
    const size_t nstart = START_PER_PARAM * d, hess = 2 * d * d;
    size_t cap = nstart > hess ? nstart : hess;
    cap = cap > 2 * d + 1 ? cap : 2 * d + 1;
    double *cov = malloc(d * d * sizeof *cov);
    if (!cov || optim_alloc(&o, cap) != 0) {
        free(cov);
        optim_free(&o);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory to optimise %zu inputs", d);
    }
    o.limit =
        opts->max_evaluations > 0 ? opts->max_evaluations : EVALS_PER_PARAM * d;
    o.reserve = hess + 2 * d + 1;

    int converged = 0;
    ps_status st = start(&o, nstart);
    if (st == PS_OK) {
        o.searching = 1;
        if (!search_bfgs(&o, &converged))
            search_simplex(&o, &converged);
        o.searching = 0;
        covariance(&o, cov);
        if (o.status != PS_OK)
            for (size_t i = 0; i < d * d; i++)
                cov[i] = NAN;
        st = o.status;
    }
    /* An interruption keeps the best point so far; other errors keep
       nothing. */
    if (o.have_best && (st == PS_OK || st == PS_ERR_INTERRUPTED)) {
        ps_status fs = fill_result(&o, cov, converged, st == PS_OK, out);
        if (fs != PS_OK)
            st = fs;
    } else {
        free(cov);
    }
    optim_free(&o);
    return st;
}
