/*
 * Rank correlation: Iman-Conover (1982) to impose it, Spearman to measure
 * it.
 *
 * Iman, R. L. & Conover, W. J., "A distribution-free approach to inducing
 * rank correlation among input variables", Commun. Statist. Simul.
 * Comput. 11(3), 311-334, 1982:
 *   1. scores M (N x k): column j is a random permutation of the van der
 *      Waerden scores Phi^-1(i / (N + 1)), i = 1..N;
 *   2. E = corr(M) = L L^T and the target C = Q Q^T (Cholesky);
 *   3. T = M L^-T Q^T, whose correlation is C (row by row: t = Q L^-1 m);
 *   4. each column of the sample is reordered so its ranks are those of
 *      the matching column of T.
 * Only step 4 touches the sample, and it only permutes within columns:
 * marginals and Latin hypercube strata survive.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/design.h"
#include "plansim/order.h"
#include "sample_impl.h"

/* Below this smallest eigenvalue the Cholesky factor would be dominated
   by rounding. */
#define PD_TOLERANCE PS_DESIGN_MIN_EIGENVALUE

static int double_cmp(const void *pa, const void *pb)
{
    const double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
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

/* The smallest eigenvalue of the symmetric k x k matrix a (row-major);
   `work` holds k * k + k doubles.  NAN when GSL has no memory. */
static double smallest_eigenvalue(const double *a, size_t k, double *work)
{
    double *copy = work, *eval = work + k * k;
    memcpy(copy, a, k * k * sizeof *copy);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(k);
    if (!w)
        return NAN;
    gsl_matrix_view m = gsl_matrix_view_array(copy, k, k);
    gsl_vector_view e = gsl_vector_view_array(eval, k);
    int rc = gsl_eigen_symm(&m.matrix, &e.vector, w);
    gsl_eigen_symm_free(w);
    if (rc != GSL_SUCCESS)
        return NAN;
    double min = eval[0];
    for (size_t i = 1; i < k; i++)
        min = fmin(min, eval[i]);
    return min;
}

/* Lower Cholesky factor of the k x k matrix `a` into `l` (row-major, the
   upper triangle zeroed); a is already known to be positive definite.
   `l` may be `a` itself.  Returns 0, or -1 if GSL still refuses it. */
static int cholesky_lower(const double *a, size_t k, double *l)
{
    if (l != a)
        memcpy(l, a, k * k * sizeof *l);
    gsl_matrix_view m = gsl_matrix_view_array(l, k, k);
    if (gsl_linalg_cholesky_decomp1(&m.matrix) != GSL_SUCCESS)
        return -1;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++)
            l[i * k + j] = 0.0;
    return 0;
}

/* Column j of the scores: a keyed permutation of the van der Waerden
   scores, so the same seed always gives the same scores. */
static void fill_scores(double *m, size_t nruns, size_t k, uint64_t seed)
{
    for (size_t j = 0; j < k; j++) {
        ps__perm perm;
        ps__perm_init(&perm, nruns, seed,
                      ps__design_stream(PURPOSE_RANKCORR, j));
        for (size_t i = 0; i < nruns; i++) {
            double p =
                (double)(ps__perm_apply(&perm, i) + 1) / (double)(nruns + 1);
            m[i * k + j] = gsl_cdf_ugaussian_Pinv(p);
        }
    }
}

/* The correlation matrix of the columns of the n x k matrix m, summed in
   index order. */
static void correlation(const double *m, size_t n, size_t k, double *out,
                        double *mean)
{
    for (size_t j = 0; j < k; j++) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += m[i * k + j];
        mean[j] = s / (double)n;
    }
    for (size_t a = 0; a < k; a++) {
        for (size_t b = a; b < k; b++) {
            double s = 0.0;
            for (size_t i = 0; i < n; i++)
                s += (m[i * k + a] - mean[a]) * (m[i * k + b] - mean[b]);
            out[a * k + b] = out[b * k + a] = s;
        }
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++)
            if (a != b)
                out[a * k + b] /= sqrt(out[a * k + a] * out[b * k + b]);
    for (size_t a = 0; a < k; a++)
        out[a * k + a] = 1.0;
}

/* Each row m <- Q L^-1 m, with y = L^-1 m by forward substitution. */
static void transform_rows(double *m, size_t n, size_t k, const double *l,
                           const double *q, double *y)
{
    for (size_t r = 0; r < n; r++) {
        double *row = m + r * k;
        for (size_t i = 0; i < k; i++) {
            double s = row[i];
            for (size_t j = 0; j < i; j++)
                s -= l[i * k + j] * y[j];
            y[i] = s / l[i * k + i];
        }
        for (size_t i = 0; i < k; i++) {
            double s = 0.0;
            for (size_t j = 0; j <= i; j++)
                s += q[i * k + j] * y[j];
            row[i] = s;
        }
    }
}

/* Reorders column j of u so its ranks are those of column j of t. */
static void match_ranks(double *u, const double *t, size_t n, size_t k,
                        size_t j, ps_keyed *order, double *sorted)
{
    for (size_t i = 0; i < n; i++) {
        order[i].value = t[i * k + j];
        order[i].index = i;
        sorted[i] = u[i * k + j];
    }
    ps_keyed_sort(order, n);
    qsort(sorted, n, sizeof *sorted, double_cmp);
    for (size_t p = 0; p < n; p++)
        u[order[p].index * k + j] = sorted[p];
}

ps_status ps_design_impose_rank_correlation(double *u, size_t nruns, size_t k,
                                            const double *corr, uint64_t seed,
                                            ps_error *err)
{
    if (k > 0 && !corr)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no correlation matrix");
    ps_status st = check_entries(corr, k, err);
    if (st != PS_OK || k < 2)
        return st;
    if (!u)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no matrix to correlate");
    for (size_t i = 0; i < nruns * k; i++)
        if (isnan(u[i]))
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "row %zu of the sample is not a number", i / k);

    /* One block: k x k target factor, k x k score factor, k * k + k of
       eigenvalue work (also the column means and y), N x k scores, and
       N keyed pairs plus N doubles for the reordering. */
    const size_t kk = k * k;
    double *q = malloc((3 * kk + k) * sizeof *q);
    if (!q)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory for a %zu x %zu correlation", k, k);
    double *l = q + kk, *work = l + kk;

    double lmin = smallest_eigenvalue(corr, k, work);
    if (isnan(lmin)) {
        free(q);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory for the eigenvalues");
    }
    if (lmin < PD_TOLERANCE || cholesky_lower(corr, k, q) != 0) {
        free(q);
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "the correlation matrix is not positive "
                            "definite (smallest eigenvalue %.3g)",
                            lmin);
    }
    if (nruns <= k) {
        free(q);
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "imposing a rank correlation on %zu inputs needs "
                            "more than %zu runs, got %zu",
                            k, k, nruns);
    }

    double *m = malloc(nruns * k * sizeof *m);
    ps_keyed *order = malloc(nruns * sizeof *order);
    double *sorted = malloc(nruns * sizeof *sorted);
    if (!m || !order || !sorted) {
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                          "no memory for %zu x %zu rank scores", nruns, k);
        goto done;
    }
    fill_scores(m, nruns, k, seed);
    correlation(m, nruns, k, l, work);
    /* E is singular only with pathologically few runs; say so rather than
       hand GSL a matrix it would refuse. */
    lmin = smallest_eigenvalue(l, k, work);
    if (!(lmin >= PD_TOLERANCE) || cholesky_lower(l, k, l) != 0) {
        st = ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                          "cannot impose the rank correlation with %zu runs: "
                          "the rank scores are degenerate (use more runs)",
                          nruns);
        goto done;
    }
    transform_rows(m, nruns, k, l, q, work);
    for (size_t j = 0; j < k; j++)
        match_ranks(u, m, nruns, k, j, order, sorted);
done:
    free(q);
    free(m);
    free(order);
    free(sorted);
    return st;
}

ps_status ps_design_impose_linked_rank_correlation(double *u, size_t nruns,
                                                   size_t k, const double *corr,
                                                   uint64_t seed, ps_error *err)
{
    ps_status st = check_entries(corr, k, err);
    if (st != PS_OK || k < 2)
        return st;
    if (!u)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no matrix to correlate");
    size_t *cols = malloc(k * sizeof *cols);
    if (!cols)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t kc = 0;
    for (size_t j = 0; j < k; j++) {
        int linked = 0;
        for (size_t i = 0; i < k; i++)
            linked |= i != j && corr[i * k + j] != 0;
        if (linked)
            cols[kc++] = j;
    }
    double *sub = malloc((nruns * kc + kc * kc + 1) * sizeof *sub);
    if (!sub) {
        free(cols);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    double *c = sub + nruns * kc;
    for (size_t a = 0; a < kc; a++)
        for (size_t b = 0; b < kc; b++)
            c[a * kc + b] = corr[cols[a] * k + cols[b]];
    for (size_t i = 0; i < nruns; i++)
        for (size_t a = 0; a < kc; a++)
            sub[i * kc + a] = u[i * k + cols[a]];
    st = kc ? ps_design_impose_rank_correlation(sub, nruns, kc, c, seed, err)
            : PS_OK;
    for (size_t i = 0; st == PS_OK && i < nruns; i++)
        for (size_t a = 0; a < kc; a++)
            u[i * k + cols[a]] = sub[i * kc + a];
    free(sub);
    free(cols);
    return st;
}

/* Midranks (1-based, ties share their average rank) of column j of u. */
static void midranks(const double *u, size_t n, size_t k, size_t j,
                     ps_keyed *order, double *rank)
{
    for (size_t i = 0; i < n; i++) {
        order[i].value = u[i * k + j];
        order[i].index = i;
    }
    ps_keyed_sort(order, n);
    for (size_t p = 0; p < n;) {
        size_t e = p + 1;
        while (e < n && order[e].value == order[p].value)
            e++;
        const double r = 0.5 * (double)(p + 1 + e);
        for (size_t t = p; t < e; t++)
            rank[order[t].index] = r;
        p = e;
    }
}

double ps_design_spearman(const double *u, size_t nruns, size_t k, size_t a,
                          size_t b)
{
    if (!u || nruns < 2 || a >= k || b >= k)
        return NAN;
    for (size_t i = 0; i < nruns; i++)
        if (isnan(u[i * k + a]) || isnan(u[i * k + b]))
            return NAN;
    ps_keyed *order = malloc(nruns * sizeof *order);
    double *ra = malloc(2 * nruns * sizeof *ra);
    if (!order || !ra) {
        free(order);
        free(ra);
        return NAN;
    }
    double *rb = ra + nruns;
    midranks(u, nruns, k, a, order, ra);
    midranks(u, nruns, k, b, order, rb);
    /* Pearson correlation of the ranks; the mean rank is (n + 1) / 2. */
    const double mean = 0.5 * (double)(nruns + 1);
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (size_t i = 0; i < nruns; i++) {
        const double da = ra[i] - mean, db = rb[i] - mean;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    free(order);
    free(ra);
    return sab / sqrt(saa * sbb);
}
