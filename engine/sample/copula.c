/*
 * Rank correlation through a Gaussian copula, applied run by run.
 *
 * For the inputs that take part in a correlation, run i's uniforms u_j
 * become normal scores z_j = Phi^-1(u_j), are mixed as z' = L z, where
 * L L^T = P is the Pearson matrix with P_ab = 2 sin(pi rho_ab / 6), and go
 * back to uniforms Phi(z'_j).  A bivariate normal pair with Pearson
 * correlation r has Spearman correlation (6 / pi) asin(r / 2), so P gives
 * exactly the requested Spearman rho, and Spearman is invariant under the
 * increasing quantile functions applied afterwards.  Each row needs only
 * itself and L: no N x k design is ever held.
 */
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/design.h"

struct ps_copula {
    size_t k;     /* inputs per row                  */
    size_t kc;    /* of them linked by a correlation */
    size_t *cols; /* their columns                   */
    double *l;    /* kc x kc lower Cholesky factor   */
};

double ps_copula_normal_correlation(double rho)
{
    if (rho == 1.0 || rho == -1.0)
        return rho;
    return 2.0 * sin(M_PI * rho / 6.0);
}

static ps_status check_entries(const double *c, size_t k, ps_error *err)
{
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < k; j++) {
            const double v = c[i * k + j];
            if (!(v >= -1.0 && v <= 1.0))
                return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                                    "correlation [%zu][%zu] = %g is not a "
                                    "number in [-1, 1]",
                                    i, j, v);
            if (i == j && v != 1.0)
                return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                                    "a correlation matrix has 1 on its "
                                    "diagonal, got [%zu][%zu] = %g",
                                    i, j, v);
            if (j < i && v != c[j * k + i])
                return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                                    "the correlation matrix is not "
                                    "symmetric: [%zu][%zu] = %g but "
                                    "[%zu][%zu] = %g",
                                    i, j, v, j, i, c[j * k + i]);
        }
    }
    return PS_OK;
}

/* The smallest eigenvalue of the symmetric n x n matrix a (row-major,
   left as it is).  NAN when GSL has no memory. */
static double smallest_eigenvalue(const double *a, size_t n)
{
    double *copy = malloc(n * n * sizeof *copy);
    gsl_vector *eval = gsl_vector_alloc(n);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
    double min = NAN;
    if (copy && eval && w) {
        memcpy(copy, a, n * n * sizeof *copy);
        gsl_matrix_view m = gsl_matrix_view_array(copy, n, n);
        if (gsl_eigen_symm(&m.matrix, eval, w) == GSL_SUCCESS)
            min = gsl_vector_min(eval);
    }
    gsl_eigen_symm_free(w);
    gsl_vector_free(eval);
    free(copy);
    return min;
}

void ps_copula_free(ps_copula **c)
{
    if (!c || !*c)
        return;
    free((*c)->cols);
    free((*c)->l);
    free(*c);
    *c = NULL;
}

static ps_status nomem(ps_copula **c, ps_error *err)
{
    ps_copula_free(c);
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                        "out of memory for a correlation");
}

ps_status ps_copula_new(const double *corr, size_t k, ps_copula **out,
                        ps_error *err)
{
    *out = NULL;
    if (k > 0 && !corr)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no correlation matrix");
    ps_status st = check_entries(corr, k, err);
    if (st != PS_OK)
        return st;
    ps_copula *c = calloc(1, sizeof *c);
    if (!c)
        return nomem(&c, err);
    c->k = k;
    c->cols = malloc((k ? k : 1) * sizeof *c->cols);
    if (!c->cols)
        return nomem(&c, err);
    for (size_t j = 0; j < k; j++) {
        int linked = 0;
        for (size_t i = 0; i < k; i++)
            linked |= i != j && corr[i * k + j] != 0.0;
        if (linked)
            c->cols[c->kc++] = j;
    }
    size_t kc = c->kc;
    c->l = malloc((kc ? kc * kc : 1) * sizeof *c->l);
    if (!c->l)
        return nomem(&c, err);
    for (size_t a = 0; a < kc; a++)
        for (size_t b = 0; b < kc; b++)
            c->l[a * kc + b] =
                ps_copula_normal_correlation(corr[c->cols[a] * k + c->cols[b]]);
    if (kc > 0) {
        double lmin = smallest_eigenvalue(c->l, kc);
        if (isnan(lmin))
            return nomem(&c, err);
        gsl_matrix_view m = gsl_matrix_view_array(c->l, kc, kc);
        if (lmin < PS_DESIGN_MIN_EIGENVALUE ||
            gsl_linalg_cholesky_decomp1(&m.matrix) != GSL_SUCCESS) {
            ps_copula_free(&c);
            return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                                "the correlation matrix is not positive "
                                "definite once turned into the normal "
                                "scores' correlation 2 sin(pi rho / 6) "
                                "(smallest eigenvalue %.3g)",
                                lmin);
        }
        for (size_t a = 0; a < kc; a++)
            for (size_t b = a + 1; b < kc; b++)
                c->l[a * kc + b] = 0.0;
    }
    *out = c;
    return PS_OK;
}

size_t ps_copula_linked(const ps_copula *c)
{
    return c ? c->kc : 0;
}

/* Phi(z), kept inside the open interval (0, 1) that designs promise. */
static double to_uniform(double z)
{
    double u = gsl_cdf_ugaussian_P(z);
    if (!(u > 0.0))
        return DBL_TRUE_MIN;
    if (!(u < 1.0))
        return 1.0 - DBL_EPSILON / 2.0;
    return u;
}

void ps_copula_apply(const ps_copula *c, double *u, size_t count)
{
    if (!c || c->kc == 0)
        return;
    const size_t k = c->k, kc = c->kc;
    const size_t *cols = c->cols;
    const double *l = c->l;
    for (size_t r = 0; r < count; r++) {
        double *row = u + r * k;
        for (size_t a = 0; a < kc; a++)
            row[cols[a]] = gsl_cdf_ugaussian_Pinv(row[cols[a]]);
        /* z' = L z in place: row a of L reads z_0..z_a only, so going
           from the last row up never reads a value already mixed. */
        for (size_t a = kc; a-- > 0;) {
            double s = 0.0;
            for (size_t b = 0; b <= a; b++)
                s += l[a * kc + b] * row[cols[b]];
            row[cols[a]] = to_uniform(s);
        }
    }
}
