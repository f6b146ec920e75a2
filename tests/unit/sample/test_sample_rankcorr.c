/*
 * Iman-Conover rank correlation and the Spearman coefficient: the achieved
 * correlation is near the target, marginals and Latin hypercube strata
 * survive, results depend only on the seed, invalid matrices are refused
 * with their reason and leave the sample untouched.  GSL must never reach
 * its error handler (whose default aborts).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "plansim/design.h"

static int gsl_errors;

static void count_gsl_error(const char *reason, const char *file, int line,
                            int gsl_errno)
{
    (void)reason, (void)file, (void)line, (void)gsl_errno;
    gsl_errors++;
}

static int reset_gsl_errors(void **state)
{
    (void)state;
    gsl_errors = 0;
    return 0;
}

static int no_gsl_errors(void **state)
{
    (void)state;
    assert_int_equal(gsl_errors, 0);
    return 0;
}

static double *lhs(uint64_t seed, size_t n, size_t k)
{
    double *u = malloc(n * k * sizeof *u);
    assert_non_null(u);
    assert_int_equal(ps_design_fill(PS_DESIGN_LHS, seed, n, k, 0, n, u, NULL),
                     PS_OK);
    return u;
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Column j of u, sorted, into out. */
static void sorted_column(const double *u, size_t n, size_t k, size_t j,
                          double *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = u[i * k + j];
    qsort(out, n, sizeof *out, compare_doubles);
}

static void assert_achieved(const double *u, size_t n, size_t k,
                            const double *corr, double tol)
{
    for (size_t a = 0; a < k; a++) {
        for (size_t b = a + 1; b < k; b++) {
            double rho = ps_design_spearman(u, n, k, a, b);
            if (!(fabs(rho - corr[a * k + b]) <= tol))
                fail_msg("columns %zu, %zu: Spearman %.4f, target %.4f", a, b,
                         rho, corr[a * k + b]);
        }
    }
}

static void test_rankcorr_reaches_a_target_of_0_7(void **state)
{
    (void)state;
    enum { N = 2000, K = 2 };
    double *u = lhs(11, N, K);
    const double corr[K * K] = {1, 0.7, 0.7, 1};
    assert_true(fabs(ps_design_spearman(u, N, K, 0, 1)) < 0.1);
    ps_error err;
    assert_int_equal(ps_design_impose_rank_correlation(u, N, K, corr, 3, &err),
                     PS_OK);
    assert_achieved(u, N, K, corr, 0.05);
    free(u);
}

static void test_rankcorr_reaches_a_mixed_sign_target(void **state)
{
    (void)state;
    enum { N = 2000, K = 4 };
    double *u = lhs(12, N, K);
    const double corr[K * K] = {
        1.0,  0.5,  -0.3, 0.0,  //
        0.5,  1.0,  0.2,  -0.6, //
        -0.3, 0.2,  1.0,  0.1,  //
        0.0,  -0.6, 0.1,  1.0,
    };
    assert_int_equal(ps_design_impose_rank_correlation(u, N, K, corr, 3, NULL),
                     PS_OK);
    assert_achieved(u, N, K, corr, 0.05);
    free(u);
}

static void test_rankcorr_keeps_marginals_and_strata(void **state)
{
    (void)state;
    enum { N = 500, K = 3 };
    double *u = lhs(13, N, K);
    static double before[K][N], after[N];
    for (size_t j = 0; j < K; j++)
        sorted_column(u, N, K, j, before[j]);
    const double corr[K * K] = {1, -0.8, 0.4, -0.8, 1, -0.3, 0.4, -0.3, 1};
    assert_int_equal(ps_design_impose_rank_correlation(u, N, K, corr, 8, NULL),
                     PS_OK);
    for (size_t j = 0; j < K; j++) {
        /* Only permuted within the column: the same values, so every
           stratum still holds exactly one point. */
        sorted_column(u, N, K, j, after);
        assert_memory_equal(after, before[j], sizeof after);
    }
    assert_achieved(u, N, K, corr, 0.08);
    free(u);
}

static void test_rankcorr_depends_only_on_the_seed(void **state)
{
    (void)state;
    enum { N = 300, K = 3 };
    const double corr[K * K] = {1, 0.6, 0.3, 0.6, 1, 0.2, 0.3, 0.2, 1};
    double *a = lhs(14, N, K), *b = lhs(14, N, K), *c = lhs(14, N, K);
    assert_int_equal(ps_design_impose_rank_correlation(a, N, K, corr, 5, NULL),
                     PS_OK);
    assert_int_equal(ps_design_impose_rank_correlation(b, N, K, corr, 5, NULL),
                     PS_OK);
    assert_int_equal(ps_design_impose_rank_correlation(c, N, K, corr, 6, NULL),
                     PS_OK);
    assert_memory_equal(a, b, N * K * sizeof *a);
    size_t moved = 0;
    for (size_t i = 0; i < N * K; i++)
        moved += a[i] != c[i];
    assert_true(moved > N);
    free(a);
    free(b);
    free(c);
}

static void test_rankcorr_identity_leaves_columns_uncorrelated(void **state)
{
    (void)state;
    enum { N = 1000, K = 3 };
    double *u = lhs(15, N, K);
    const double corr[K * K] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    assert_int_equal(ps_design_impose_rank_correlation(u, N, K, corr, 1, NULL),
                     PS_OK);
    assert_achieved(u, N, K, corr, 0.05);
    free(u);
}

static void expect_refused(const double *corr, size_t k, ps_status status,
                           const char *message)
{
    enum { N = 50 };
    double *u = lhs(16, N, k), *copy = lhs(16, N, k);
    ps_error err;
    assert_int_equal(ps_design_impose_rank_correlation(u, N, k, corr, 1, &err),
                     status);
    assert_int_equal(err.status, status);
    if (strncmp(err.message, message, strlen(message)) != 0)
        fail_msg("message \"%s\" does not start with \"%s\"", err.message,
                 message);
    assert_memory_equal(u, copy, N * k * sizeof *u);
    free(u);
    free(copy);
}

static void test_rankcorr_refuses_an_impossible_matrix(void **state)
{
    (void)state;
    /* x1 ~ x2 and x2 ~ x3 strongly, but x1 ~ -x3: no such variables. */
    const double corr[9] = {1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1};
    expect_refused(corr, 3, PS_ERR_DATA,
                   "the correlation matrix is not positive definite");
    /* Perfectly correlated inputs are singular: refused as well. */
    const double one[4] = {1, 1, 1, 1};
    expect_refused(one, 2, PS_ERR_DATA,
                   "the correlation matrix is not positive definite");
}

static void test_rankcorr_refuses_malformed_matrices(void **state)
{
    (void)state;
    const double big[4] = {1, 1.5, 1.5, 1};
    expect_refused(big, 2, PS_ERR_DATA,
                   "correlation [0][1] = 1.5 is not a number in [-1, 1]");
    const double nan[4] = {1, NAN, NAN, 1};
    expect_refused(nan, 2, PS_ERR_DATA,
                   "correlation [0][1] = nan is not a number in [-1, 1]");
    const double diag[4] = {1, 0.2, 0.2, 0.9};
    expect_refused(diag, 2, PS_ERR_DATA,
                   "a correlation matrix has 1 on its diagonal, got [1][1] = "
                   "0.9");
    const double asym[4] = {1, 0.2, 0.3, 1};
    expect_refused(asym, 2, PS_ERR_DATA,
                   "the correlation matrix is not symmetric: [1][0] = 0.3 but "
                   "[0][1] = 0.2");
}

static void test_rankcorr_needs_more_runs_than_inputs(void **state)
{
    (void)state;
    enum { K = 3 };
    double *u = lhs(17, K, K);
    const double corr[K * K] = {1, 0.1, 0.1, 0.1, 1, 0.1, 0.1, 0.1, 1};
    ps_error err;
    assert_int_equal(ps_design_impose_rank_correlation(u, K, K, corr, 1, &err),
                     PS_ERR_USAGE);
    assert_string_equal(err.message,
                        "imposing a rank correlation on 3 inputs needs more "
                        "than 3 runs, got 3");
    free(u);
    /* One input: only the matrix is checked. */
    double one_column[4] = {0.1, 0.2, 0.3, 0.4};
    const double unit = 1.0, half = 0.5;
    assert_int_equal(
        ps_design_impose_rank_correlation(one_column, 4, 1, &unit, 1, NULL),
        PS_OK);
    assert_int_equal(
        ps_design_impose_rank_correlation(one_column, 4, 1, &half, 1, NULL),
        PS_ERR_DATA);
    assert_int_equal(
        ps_design_impose_rank_correlation(one_column, 4, 2, NULL, 1, NULL),
        PS_ERR_USAGE);
}

static void test_spearman_matches_known_values(void **state)
{
    (void)state;
    /* Rows (x, y); scipy.stats.spearmanr gives 0.8676470588235294 for
       this pair, with ties in both columns. */
    const double xy[] = {1, 2, 2, 1, 2, 3, 3, 3, 5, 9, 4, 7};
    assert_true(fabs(ps_design_spearman(xy, 6, 2, 0, 1) - 0.8676470588235294) <
                1e-12);
    const double up[] = {1, 10, 2, 20, 3, 25, 4, 1000};
    assert_true(fabs(ps_design_spearman(up, 4, 2, 0, 1) - 1.0) < 1e-15);
    const double down[] = {1, 9, 2, 8, 3, 7, 4, -1};
    assert_true(fabs(ps_design_spearman(down, 4, 2, 0, 1) + 1.0) < 1e-15);
    /* Undefined cases give NaN. */
    const double flat[] = {1, 5, 2, 5, 3, 5};
    assert_true(isnan(ps_design_spearman(flat, 3, 2, 0, 1)));
    const double hole[] = {1, 5, NAN, 6, 3, 7};
    assert_true(isnan(ps_design_spearman(hole, 3, 2, 0, 1)));
    assert_true(isnan(ps_design_spearman(up, 1, 2, 0, 1)));
    assert_true(isnan(ps_design_spearman(up, 4, 2, 0, 2)));
    assert_true(isnan(ps_design_spearman(NULL, 4, 2, 0, 1)));
}

/* On the linked columns only: 30 inputs, one correlated pair, 20 runs.
   The pair gets its correlation; the 28 independent columns keep their
   design bit for bit; the whole-matrix version refuses so few runs. */
static void test_linked_rankcorr_leaves_independent_columns(void **state)
{
    (void)state;
    enum { N = 20, K = 30, A = 3, B = 7 };
    double u[N * K], before[N * K], corr[K * K];
    assert_int_equal(ps_design_fill(PS_DESIGN_LHS, 5, N, K, 0, N, u, NULL),
                     PS_OK);
    memcpy(before, u, sizeof u);
    for (size_t i = 0; i < K; i++)
        for (size_t j = 0; j < K; j++)
            corr[i * K + j] = i == j ? 1 : 0;
    corr[A * K + B] = corr[B * K + A] = 0.8;
    ps_error err;
    assert_int_equal(ps_design_impose_rank_correlation(u, N, K, corr, 9, &err),
                     PS_ERR_USAGE);
    assert_int_equal(
        ps_design_impose_linked_rank_correlation(u, N, K, corr, 9, &err),
        PS_OK);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < K; j++)
            if (j != A && j != B)
                assert_true(u[i * K + j] == before[i * K + j]);
    assert_true(ps_design_spearman(u, N, K, A, B) > 0.6);
    /* with no linked column the sample is left as it is */
    corr[A * K + B] = corr[B * K + A] = 0;
    memcpy(u, before, sizeof u);
    assert_int_equal(
        ps_design_impose_linked_rank_correlation(u, N, K, corr, 9, &err),
        PS_OK);
    assert_memory_equal(u, before, sizeof u);
    /* a malformed matrix is refused as by the whole-matrix version */
    corr[A * K + B] = 1.5;
    assert_int_equal(
        ps_design_impose_linked_rank_correlation(u, N, K, corr, 9, &err),
        PS_ERR_DATA);
}

int main(void)
{
    gsl_set_error_handler(count_gsl_error);
#define T(f) cmocka_unit_test_setup_teardown(f, reset_gsl_errors, no_gsl_errors)
    const struct CMUnitTest tests[] = {
        T(test_rankcorr_reaches_a_target_of_0_7),
        T(test_rankcorr_reaches_a_mixed_sign_target),
        T(test_rankcorr_keeps_marginals_and_strata),
        T(test_rankcorr_depends_only_on_the_seed),
        T(test_rankcorr_identity_leaves_columns_uncorrelated),
        T(test_rankcorr_refuses_an_impossible_matrix),
        T(test_rankcorr_refuses_malformed_matrices),
        T(test_rankcorr_needs_more_runs_than_inputs),
        T(test_spearman_matches_known_values),
        T(test_linked_rankcorr_leaves_independent_columns),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
