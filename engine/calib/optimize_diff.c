/*
 * The maximum-likelihood method's evaluations of f(z) = -loglik(x(z))
 * plus the penalty beyond the clamp: batches of runs through
 * calib_evaluate, the best and the last centre, the gradient and the
 * curvature along each input by central differences, the Hessian, its
 * Cholesky factor scaled to a unit diagonal, and the covariance of the
 * estimate in the inputs' own units.  The search that asks for them is
 * in optimize.c.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "optimize_impl.h"

/* The estimate of an input is at an edge of its support, not at a
   stationary point, when it is more than this many conditional sds from
   where the gradient of -loglik along it vanishes. */
#define EDGE_SD 0.1
/* A Hessian, scaled to a unit diagonal, counts as positive definite when
   every Cholesky pivot is above this (as for the prior's correlation in
   prior.c). */
#define PIVOT_TOLERANCE 1e-10

/* ------------------------------------------------------------ batches */

/* Writes row `row` of the batch: the inputs of normal scores z, each
   clamped to [-Z_MAX, Z_MAX], and the penalty beyond the clamp
   (INFINITY when a score is not a number). */
void optim_put_row(optim *o, size_t row, const double *z)
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
int optim_run_batch(optim *o, size_t n)
{
    if (optim_stopped(o))
        return -1;
    if (o->searching && o->evaluations + n + o->reserve > o->limit) {
        o->exhausted = 1;
        return -1;
    }
    o->status = calib_evaluate(o->cp->p, o->model, o->opts, n, o->bx, o->bll,
                               o->bextra, &o->evaluations, o->err);
    return o->status == PS_OK ? 0 : -1;
}

/* Keeps row i, the centre z, when its f is the lowest so far. */
void optim_note_best(optim *o, const double *z, size_t i)
{
    const double f = optim_row_f(o, i);
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

/* Is z the cached centre? */
static int at_cache(const optim *o, const double *z)
{
    return o->has_f && memcmp(o->cache_z, z, o->d * sizeof *z) == 0;
}

/* f(z), one run (none when z is the cached centre); INFINITY when
   nothing more can run. */
double optim_eval_f(optim *o, const double *z)
{
    if (at_cache(o, z))
        return o->cache_f;
    optim_put_row(o, 0, z);
    if (optim_run_batch(o, 1) != 0)
        return INFINITY;
    optim_note_best(o, z, 0);
    memcpy(o->cache_z, z, o->d * sizeof *z);
    o->cache_f = optim_row_f(o, 0);
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
double optim_eval_fg(optim *o, const double *z, double *g)
{
    const size_t d = o->d;
    const int cached = at_cache(o, z);
    if (cached && o->has_g) {
        memcpy(g, o->cache_g, d * sizeof *g);
        return o->cache_f;
    }
    const size_t c = cached ? 0 : 1; /* rows before the probes */
    if (c)
        optim_put_row(o, 0, z);
    memcpy(o->zt, z, d * sizeof *z);
    for (size_t j = 0; j < d; j++) {
        o->zt[j] = z[j] + o->h[j];
        optim_put_row(o, c + 2 * j, o->zt);
        o->zt[j] = z[j] - o->h[j];
        optim_put_row(o, c + 2 * j + 1, o->zt);
        o->zt[j] = z[j];
    }
    if (optim_run_batch(o, c + 2 * d) != 0) {
        memset(g, 0, d * sizeof *g);
        return INFINITY;
    }
    const double f0 = c ? optim_row_f(o, 0) : o->cache_f;
    if (c)
        optim_note_best(o, z, 0);
    for (size_t j = 0; j < d; j++) {
        /* The steps as represented, not as meant. */
        const double hp = (z[j] + o->h[j]) - z[j];
        const double hm = z[j] - (z[j] - o->h[j]);
        const double fp = optim_row_f(o, c + 2 * j),
                     fm = optim_row_f(o, c + 2 * j + 1);
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
void optim_adapt_steps(optim *o)
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
        optim_put_row(o, r, p);
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
int optim_hessian(optim *o, int in_z, const size_t *index, const double *h,
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
    if (optim_run_batch(o, r) != 0)
        return -1;
    const double f0 = in_z ? o->best_f : -o->best_ll;
    r = 0;
    for (size_t a = 0; a < m; a++) {
        const double fp = optim_row_f(o, r), fm = optim_row_f(o, r + 1);
        r += 2;
        hess[a * m + a] = (fp - 2.0 * f0 + fm) / (h[a] * h[a]);
        grad[a] = (fp - fm) / (2.0 * h[a]);
        for (size_t b = a + 1; b < m; b++, r += 4)
            hess[a * m + b] = hess[b * m + a] =
                (optim_row_f(o, r) - optim_row_f(o, r + 1) -
                 optim_row_f(o, r + 2) + optim_row_f(o, r + 3)) /
                (4.0 * h[a] * h[b]);
    }
    return 0;
}

/* The lower Cholesky factor l of the symmetric m x m matrix h, through
   the unit-diagonal scaling s = D^-1 h D^-1, D = diag(sqrt(h_jj)), so
   inputs of any units are alike: l = D chol(s).  `l` may not be `h`.
   -1 when h is not finite and positive definite. */
int optim_scaled_cholesky(const double *h, size_t m, double *l)
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
void optim_covariance(optim *o, double *cov)
{
    const size_t d = o->d;
    for (size_t i = 0; i < d * d; i++)
        cov[i] = NAN;
    /* The conditional sds at the best point. */
    if (!(at_cache(o, o->best_z) && o->has_g)) {
        optim_eval_fg(o, o->best_z, o->gv);
        if (optim_stopped(o))
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
    if (m == 0 || optim_hessian(o, 0, index, o->hstep, m, hess, o->hgrad) != 0)
        return;
    for (size_t a = 0; a < m; a++) {
        const double haa = hess[a * m + a], g = o->hgrad[a];
        if (haa > 0.0 && isfinite(haa) && fabs(g) <= EDGE_SD * sqrt(haa))
            keep[k++] = a;
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++)
            sub[a * k + b] = hess[keep[a] * m + keep[b]];
    if (k == 0 || optim_scaled_cholesky(sub, k, lfac) != 0)
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
