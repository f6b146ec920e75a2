/*
 * The prior in normal scores: z ~ N(0, R), x_j = F_j^-1(Phi(z_j)).
 *
 * R is the Pearson correlation of a Gaussian copula whose Spearman rank
 * correlation is the one given: R_jk = 2 sin(pi r_jk / 6) (Pearson 1907;
 * Kruskal, "Ordinal measures of association", JASA 53, 814-861, 1958).
 * Prior draws are z = L e with R = L L^T and e standard normal at an
 * address of its own, and the log density is -1/2 |L^-1 z|^2.
 */
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib_impl.h"

/* A correlation matrix counts as positive definite when each Cholesky
   pivot keeps more than this fraction of its diagonal entry (the same
   order as PS_DESIGN_MIN_EIGENVALUE of plansim/design.h). */
#define PRIOR_PIVOT_TOLERANCE 1e-10

/* Phi(z) is used only inside [U_MIN, U_MAX]: below DBL_MIN it would
   underflow to 0 (z < -37.5) and above 1 - 2^-53 it rounds to 1 (z >
   8.3), which an unbounded marginal maps to an infinite input.  Beyond
   these scores the input stays at the quantile of the bound. */
#define U_MIN DBL_MIN
#define U_MAX (1.0 - DBL_EPSILON / 2.0)

double calib_rank_to_pearson(double r)
{
    return 2.0 * sin(M_PI * r / 6.0);
}

double calib_normal(const ps_rng_address *addr, uint64_t index)
{
    return gsl_cdf_ugaussian_Pinv(ps_rng_uniform(addr, index));
}

size_t calib_cholesky(double *a, size_t d, double tol)
{
    for (size_t j = 0; j < d; j++) {
        const double ajj = a[j * d + j];
        double s = ajj;
        for (size_t k = 0; k < j; k++)
            s -= a[j * d + k] * a[j * d + k];
        if (!(ajj > 0.0) || !(s > tol * ajj))
            return j;
        const double l = sqrt(s);
        a[j * d + j] = l;
        for (size_t i = j + 1; i < d; i++) {
            double t = a[i * d + j];
            for (size_t k = 0; k < j; k++)
                t -= a[i * d + k] * a[j * d + k];
            a[i * d + j] = t / l;
        }
    }
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++)
            a[i * d + j] = 0.0;
    return d;
}

/* The name of input j for a message: its own, or "#j" (1-based). */
static const char *input_name(const ps_calib_prior *p, size_t j, char *buf,
                              size_t n)
{
    if (p->names && p->names[j])
        return p->names[j];
    snprintf(buf, n, "#%zu", j + 1);
    return buf;
}

/* Entries in [-1, 1], 1 on the diagonal, symmetric. */
static ps_status check_entries(const ps_calib_prior *p, ps_error *err)
{
    const size_t d = p->nparams;
    const double *c = p->correlation;
    char a[32], b[32];
    for (size_t i = 0; i < d; i++) {
        for (size_t j = 0; j < d; j++) {
            const double v = c[i * d + j];
            if (!(v >= -1.0 && v <= 1.0))
                return ps_error_set(
                    err, PS_ERR_USAGE, NULL, 0, 0,
                    "the rank correlation of '%s' and '%s' is %g, not a "
                    "number in [-1, 1]",
                    input_name(p, i, a, sizeof a),
                    input_name(p, j, b, sizeof b), v);
            if (i == j && v != 1.0)
                return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                    "the rank correlation of '%s' with "
                                    "itself must be 1, got %g",
                                    input_name(p, i, a, sizeof a), v);
            if (j < i && v != c[j * d + i])
                return ps_error_set(
                    err, PS_ERR_USAGE, NULL, 0, 0,
                    "the rank correlation matrix is not symmetric: '%s' "
                    "with '%s' is %g but '%s' with '%s' is %g",
                    input_name(p, i, a, sizeof a),
                    input_name(p, j, b, sizeof b), v, b, a, c[j * d + i]);
        }
    }
    return PS_OK;
}

static int has_correlation(const ps_calib_prior *p)
{
    const size_t d = p->nparams;
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++)
            if (i != j && p->correlation[i * d + j] != 0.0)
                return 1;
    return 0;
}

/* The inverse of the lower triangular d x d matrix l (nonzero diagonal),
   column by column by forward substitution; NULL on no memory. */
static double *lower_inverse(const double *l, size_t d)
{
    double *inv = calloc(d * d, sizeof *inv);
    if (!inv)
        return NULL;
    for (size_t c = 0; c < d; c++) {
        for (size_t i = c; i < d; i++) {
            double s = i == c ? 1.0 : 0.0;
            for (size_t k = c; k < i; k++)
                s -= l[i * d + k] * inv[k * d + c];
            inv[i * d + c] = s / l[i * d + i];
        }
    }
    return inv;
}

ps_status calib_prior_init(calib_prior *cp, const ps_calib_prior *p,
                           ps_error *err)
{
    memset(cp, 0, sizeof *cp);
    cp->p = p;
    cp->d = p->nparams;
    if (!p->correlation)
        return PS_OK;
    ps_status st = check_entries(p, err);
    if (st != PS_OK || !has_correlation(p))
        return st;

    const size_t d = cp->d;
    double *l = malloc(d * d * sizeof *l);
    if (!l)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory for a %zu x %zu correlation", d, d);
    for (size_t i = 0; i < d * d; i++)
        l[i] = calib_rank_to_pearson(p->correlation[i]);
    for (size_t i = 0; i < d; i++)
        l[i * d + i] = 1.0;
    const size_t k = calib_cholesky(l, d, PRIOR_PIVOT_TOLERANCE);
    if (k < d) {
        free(l);
        char a[32];
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the rank correlations of the inputs are not "
                            "positive definite: '%s' is (nearly) determined "
                            "by the inputs before it",
                            input_name(p, k, a, sizeof a));
    }
    cp->chol = l;
    cp->chol_inv = lower_inverse(l, d);
    if (!cp->chol_inv) {
        calib_prior_free(cp);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory for a %zu x %zu correlation", d, d);
    }
    return PS_OK;
}

void calib_prior_free(calib_prior *cp)
{
    if (!cp)
        return;
    free(cp->chol);
    free(cp->chol_inv);
    memset(cp, 0, sizeof *cp);
}

void calib_prior_draw(const calib_prior *cp, uint64_t seed, size_t i, double *z)
{
    const size_t d = cp->d;
    const ps_rng_address addr = {seed, i, CALIB_STREAM_PRIOR};
    /* z = L e from the last row up, so z may hold e first. */
    for (size_t j = 0; j < d; j++)
        z[j] = calib_normal(&addr, j);
    if (!cp->chol)
        return;
    for (size_t r = d; r-- > 0;) {
        double s = 0.0;
        for (size_t j = 0; j <= r; j++)
            s += cp->chol[r * d + j] * z[j];
        z[r] = s;
    }
}

double calib_prior_logpdf(const calib_prior *cp, const double *z)
{
    const size_t d = cp->d;
    double q = 0.0;
    if (!cp->chol) {
        for (size_t j = 0; j < d; j++)
            q += z[j] * z[j];
        return -0.5 * q;
    }
    for (size_t i = 0; i < d; i++) {
        double y = 0.0;
        for (size_t j = 0; j <= i; j++)
            y += cp->chol_inv[i * d + j] * z[j];
        q += y * y;
    }
    return -0.5 * q;
}

void ps_calib_prior_to_x(const ps_calib_prior *prior, const double *z,
                         double *x)
{
    for (size_t j = 0; j < prior->nparams; j++) {
        if (isnan(z[j])) {
            x[j] = NAN;
            continue;
        }
        const double u = gsl_cdf_ugaussian_P(z[j]);
        x[j] = ps_dist_quantile(prior->dists[j], fmin(fmax(u, U_MIN), U_MAX));
    }
}
