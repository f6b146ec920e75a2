/*
 * Rank correlations between uncertain inputs, as pairs or as a matrix:
 *
 *   correlations:
 *     - [fai growth, project delay, -0.5]
 *   correlation:
 *     order: [a, b, c]
 *     matrix: [[1, .3, 0], [.3, 1, 0], [0, 0, 1]]
 *
 * The result is the full ninputs x ninputs matrix (identity where nothing
 * is said).  The sampler's Gaussian copula mixes normal scores with the
 * Pearson correlations 2 sin(pi rho / 6) (ps_copula_normal_correlation),
 * and that matrix must be positive definite (smallest eigenvalue at least
 * 1e-10, as the sampler requires); when it is not, the error underlines
 * the first pair (in the order written) or matrix row that makes it
 * impossible: the smallest eigenvalue of a growing leading block only
 * falls (Cauchy interlacing), so the first block that fails is the place.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "plansim/design.h"
#include "plansim/names.h"
#include "scenario_impl.h"

/* Smallest eigenvalue the normal scores' correlation matrix may have: the
   sampler's own limit (ps_copula_new), below which the matrix is
   (numerically) singular, e.g. two inputs correlated at exactly +-1. */
#define EIGEN_MIN PS_DESIGN_MIN_EIGENVALUE

/* Is the leading n x n block of the k x k rank correlation matrix a
   (row-major), turned into the normal scores' correlation, positive
   definite?  1 yes, 0 no, -1 out of memory. */
static int positive_definite(const double *a, size_t k, size_t n)
{
    if (n == 0)
        return 1;
    gsl_matrix *m = gsl_matrix_alloc(n, n);
    gsl_vector *eval = gsl_vector_alloc(n);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
    int ok = -1;
    if (m && eval && w) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                gsl_matrix_set(m, i, j,
                               ps_copula_normal_correlation(a[i * k + j]));
        /* the matrix is square and the sizes match: no GSL error to
           handle, a failure only shows as NaN */
        gsl_eigen_symm(m, eval, w);
        double lmin = gsl_vector_min(eval);
        ok = lmin >= EIGEN_MIN;
    }
    gsl_eigen_symm_free(w);
    gsl_vector_free(eval);
    gsl_matrix_free(m);
    return ok;
}

/* Index of the uncertain input named by scalar node v, or an error. */
static ps_status input_index(sc_loader *ld, const ynode *v, size_t *out)
{
    const ps_scenario *sc = ld->sc;
    char *name = NULL;
    ps_status st = sc_name(ld, v, &name);
    if (st)
        return st;
    for (size_t i = 0; i < sc->ninputs; i++)
        if (sc_names_same(sc->inputs[i].name, name)) {
            free(name);
            *out = i;
            if (sc->inputs[i].per_element)
                return sc_fail(ld, v,
                               "'%s' is drawn per element: correlations "
                               "are between inputs of one draw (leave out "
                               "'per element', or correlate elements named "
                               "as inputs of their own)",
                               sc->inputs[i].name);
            return PS_OK;
        }
    const char **names = malloc((sc->ninputs + 1) * sizeof *names);
    if (!names) {
        free(name);
        return sc_nomem(ld);
    }
    char list[320] = "", hint[160];
    size_t used = 0;
    for (size_t i = 0; i < sc->ninputs; i++) {
        names[i] = sc->inputs[i].name;
        if (used < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     i ? ", " : "", names[i]);
    }
    sc_suggestion(name, names, sc->ninputs, hint, sizeof hint);
    st = sc_fail(ld, v,
                 "'%s' is not an uncertain input%s (correlations are "
                 "between the inputs under 'uncertain:': %s)",
                 name, hint, list);
    free(names);
    free(name);
    return st;
}

/* A correlation coefficient in [-1, 1]. */
static ps_status coefficient(sc_loader *ld, const ynode *v, double *out)
{
    ps_status st = sc_number(ld, v, out);
    if (st == PS_OK && !(fabs(*out) <= 1))
        return sc_fail(ld, v, "a correlation must lie between -1 and 1");
    return st;
}

static ps_status read_matrix(sc_loader *ld, const ynode *m, double *corr)
{
    static const char *const keys[] = {"order", "matrix", NULL};
    size_t k = ld->sc->ninputs;
    ps_status st = sc_expect_map(ld, m, "a mapping (order:, matrix:)");
    if (st || (st = sc_check_keys(ld, m, keys, "in 'correlation'")))
        return st;
    const ynode *order = sc_get(m, "order", NULL);
    const ynode *rows = sc_get(m, "matrix", NULL);
    if (!order || !rows)
        return sc_fail(ld, m,
                       "a correlation matrix needs 'order:' (the inputs) "
                       "and 'matrix:' (its rows)");
    if ((st = sc_expect_seq(ld, order, "a list of uncertain inputs")) ||
        (st = sc_expect_seq(ld, rows, "a list of rows")))
        return st;
    size_t n = order->n;
    size_t *idx = calloc(n + 1, sizeof *idx);
    double *sub = calloc(n * n + 1, sizeof *sub);
    if (!idx || !sub) {
        free(idx);
        free(sub);
        return sc_nomem(ld);
    }
    for (size_t i = 0; i < n && !st; i++) {
        st = input_index(ld, order->vals[i], &idx[i]);
        for (size_t j = 0; j < i && !st; j++)
            if (idx[j] == idx[i])
                st = sc_fail(ld, order->vals[i], "'%s' is listed twice",
                             order->vals[i]->text);
    }
    if (!st && rows->n != n)
        st = sc_fail(ld, rows, "the matrix has %zu rows for %zu inputs",
                     rows->n, n);
    for (size_t i = 0; i < n && !st; i++) {
        const ynode *row = rows->vals[i];
        if ((st = sc_expect_seq(ld, row, "a row of numbers")))
            break;
        if (row->n != n) {
            st = sc_fail(ld, row, "this row has %zu numbers for %zu inputs",
                         row->n, n);
            break;
        }
        for (size_t j = 0; j < n && !st; j++) {
            const ynode *v = row->vals[j];
            if ((st = coefficient(ld, v, &sub[i * n + j])))
                break;
            if (i == j && sub[i * n + j] != 1)
                st =
                    sc_fail(ld, v, "the diagonal of a correlation matrix is 1");
            else if (j < i && sub[i * n + j] != sub[j * n + i])
                st = sc_fail(ld, v,
                             "the matrix is not symmetric: %g here, %g in "
                             "row %zu, column %zu",
                             sub[i * n + j], sub[j * n + i], j + 1, i + 1);
        }
    }
    for (size_t r = 2; r <= n && !st; r++) {
        int pd = positive_definite(sub, n, r);
        if (pd < 0)
            st = sc_nomem(ld);
        else if (!pd)
            st = sc_fail(ld, rows->vals[r - 1],
                         "the correlation matrix is not positive definite: "
                         "the correlations of '%s' contradict the rows "
                         "above it",
                         ld->sc->inputs[idx[r - 1]].name);
    }
    for (size_t i = 0; i < n && !st; i++)
        for (size_t j = 0; j < n; j++)
            corr[idx[i] * k + idx[j]] = sub[i * n + j];
    free(idx);
    free(sub);
    return st;
}

static ps_status read_pairs(sc_loader *ld, const ynode *pairs, double *corr)
{
    size_t k = ld->sc->ninputs;
    ps_status st =
        sc_expect_seq(ld, pairs, "a list of pairs such as [a, b, -0.5]");
    if (st)
        return st;
    for (size_t p = 0; p < pairs->n; p++) {
        const ynode *item = pairs->vals[p];
        if (item->kind != Y_SEQ || item->n != 3) {
            char got[64];
            sc_describe(item, got, sizeof got);
            return sc_fail(
                ld, item, "expected [input, input, correlation], got %s",
                item->kind == Y_SEQ ? "a list of another length" : got);
        }
        size_t a, b;
        double rho;
        if ((st = input_index(ld, item->vals[0], &a)) ||
            (st = input_index(ld, item->vals[1], &b)) ||
            (st = coefficient(ld, item->vals[2], &rho)))
            return st;
        if (a == b)
            return sc_fail(ld, item,
                           "an input's correlation with itself "
                           "is always 1");
        if (fabs(rho) == 1)
            return sc_fail(ld, item->vals[2],
                           "inputs correlated at exactly %g move as one; use "
                           "one input, or a correlation strictly between -1 "
                           "and 1",
                           rho);
        corr[a * k + b] = corr[b * k + a] = rho;
        int pd = positive_definite(corr, k, k);
        if (pd < 0)
            return sc_nomem(ld);
        if (!pd)
            return sc_fail(ld, item,
                           "this correlation contradicts the ones before it "
                           "(the correlation matrix would not be positive "
                           "definite)");
    }
    return PS_OK;
}

ps_status sc_build_correlation(sc_loader *ld, const ynode *matrix,
                               const ynode *pairs)
{
    ps_scenario *sc = ld->sc;
    size_t k = sc->ninputs;
    if (k == 0)
        return sc_fail(ld, matrix ? matrix : pairs,
                       "correlations are between uncertain inputs, and "
                       "there are none");
    sc->correlation = calloc(k * k, sizeof *sc->correlation);
    if (!sc->correlation)
        return sc_nomem(ld);
    for (size_t i = 0; i < k; i++)
        sc->correlation[i * k + i] = 1;
    ps_status st = matrix ? read_matrix(ld, matrix, sc->correlation) : PS_OK;
    if (st == PS_OK && pairs)
        st = read_pairs(ld, pairs, sc->correlation);
    return st;
}
