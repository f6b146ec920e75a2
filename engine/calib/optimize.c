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
 *
 * This file is the search (steps 1 to 4, the stages and the result);
 * optimize_diff.c runs the batches and makes f, its differences, the
 * Hessians and the covariance (step 5), on the state in optimize_impl.h.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>

#include "optimize_impl.h"

/* Starting points per input. */
#define START_PER_PARAM 16
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
/* Default bound on evaluations per input. */
#define EVALS_PER_PARAM 2000
/* The Hessian's batch holds 2 d^3 doubles: far beyond any memory at this
   size, and far from overflowing a size_t. */
#define MAX_PARAMS 100000

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
    optim_eval_fg(o, o->best_z, o->gv);
    if (optim_stopped(o))
        return -1;
    for (size_t j = 0; j < d; j++) {
        o->index[j] = j;
        o->hstep[j] = HESS_STEP * o->sd[j];
    }
    if (optim_hessian(o, 1, o->index, o->hstep, d, o->hess, o->hgrad) != 0)
        return -1;
    memcpy(o->z0, o->best_z, d * sizeof *o->z0);
    if (optim_scaled_cholesky(o->hess, d, o->lfac) != 0) {
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
    return optim_eval_f(o, o->zv);
}

static void gsl_df(const gsl_vector *u, void *params, gsl_vector *g)
{
    optim *o = params;
    u_to_z(o, u);
    optim_eval_fg(o, o->zv, o->gv);
    gradient_to_u(o, g);
}

static void gsl_fdf(const gsl_vector *u, void *params, double *f, gsl_vector *g)
{
    optim *o = params;
    u_to_z(o, u);
    *f = optim_eval_fg(o, o->zv, o->gv);
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
        optim_put_row(o, i, o->zt);
    }
    if (optim_run_batch(o, m) != 0)
        return o->status;
    size_t best = m;
    for (size_t i = 0; i < m; i++)
        if (optim_row_f(o, i) < INFINITY &&
            (best == m || optim_row_f(o, i) < optim_row_f(o, best)))
            best = i;
    if (best == m)
        return ps_error_set(o->err, PS_ERR_DATA, NULL, 0, 0,
                            "no starting point reproduces the observations: "
                            "all %zu (the prior's medians and %zu draws) "
                            "have a likelihood of zero (the data and the "
                            "prior do not overlap)",
                            m, m - 1);
    start_z(o, best, o->zt);
    optim_note_best(o, o->zt, best);
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
        optim_adapt_steps(o);
        gsl_vector_set_zero(u);
        gsl_multimin_fdfminimizer_set(s, &fn, u, step, BFGS_LINE_TOL);
        double fprev = gsl_multimin_fdfminimizer_minimum(s);
        while (!optim_stopped(o)) {
            if (isfinite(fprev) && gsl_multimin_test_gradient(
                                       gsl_multimin_fdfminimizer_gradient(s),
                                       GRAD_TOL) == GSL_SUCCESS) {
                *converged = 1;
                goto done;
            }
            const int rc = gsl_multimin_fdfminimizer_iterate(s);
            if (optim_stopped(o) || push_stage(o) != 0)
                goto done;
            optim_adapt_steps(o);
            const double f = gsl_multimin_fdfminimizer_minimum(s);
            /* No progress: GSL_ENOPROG, or a line search that found
               nothing lower. */
            if (rc != GSL_SUCCESS || !(f < fprev))
                break;
            fprev = f;
        }
        if (optim_stopped(o))
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
    while (!optim_stopped(o)) {
        const int rc = gsl_multimin_fminimizer_iterate(s);
        if (optim_stopped(o) || push_stage(o) != 0 || rc != GSL_SUCCESS)
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
        optim_covariance(&o, cov);
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
