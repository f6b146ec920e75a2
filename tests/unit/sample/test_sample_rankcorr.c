/*
 * Rank correlation through the Gaussian copula, and the Spearman
 * coefficient: the achieved correlation is the target within Monte Carlo
 * error, rows are computed alone (block size and order do not matter),
 * independent columns keep their design bit for bit, margins stay
 * uniform, invalid matrices are refused with their reason.  GSL must
 * never reach its error handler (whose default aborts).
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

/* The design's rows [0, n) correlated by `corr`, computed in blocks of
   `block` rows taken last block first. */
static double *correlated(ps_design_method m, uint64_t seed, size_t n, size_t k,
                          const double *corr, size_t block)
{
    ps_copula *c = NULL;
    ps_error err;
    assert_int_equal(ps_copula_new(corr, k, &c, &err), PS_OK);
    double *u = malloc(n * k * sizeof *u);
    assert_non_null(u);
    size_t nblocks = (n + block - 1) / block;
    for (size_t b = nblocks; b-- > 0;) {
        size_t first = b * block, count = n - first < block ? n - first : block;
        assert_int_equal(
            ps_design_fill(m, seed, n, k, first, count, u + first * k, &err),
            PS_OK);
        ps_copula_apply(c, u + first * k, count);
    }
    ps_copula_free(&c);
    assert_null(c);
    return u;
}

/* The Monte Carlo error of a Spearman coefficient rho from n pairs of a
   normal copula: its standard deviation is about
   1.06 (1 - rho^2) / sqrt(n) (Fieller, Hartley & Pearson 1957). */
static double spearman_error(double rho, size_t n)
{
    return 1.06 * (1.0 - rho * rho) / sqrt((double)n);
}

static void assert_achieved(const double *u, size_t n, size_t k,
                            const double *corr)
{
    for (size_t a = 0; a < k; a++) {
        for (size_t b = a + 1; b < k; b++) {
            double want = corr[a * k + b];
            double rho = ps_design_spearman(u, n, k, a, b);
            double tol = 4.0 * spearman_error(want, n);
            if (!(fabs(rho - want) <= tol))
                fail_msg("columns %zu, %zu: Spearman %.4f, target %.4f "
                         "(tolerance %.4f)",
                         a, b, rho, want, tol);
        }
    }
}

static void test_copula_pearson_gives_the_spearman_target(void **state)
{
    (void)state;
    /* rho_S = (6 / pi) asin(r / 2) inverts r = 2 sin(pi rho_S / 6). */
    for (double rho = -0.95; rho < 1.0; rho += 0.05) {
        double r = ps_copula_normal_correlation(rho);
        assert_true(fabs(r) <= 1.0);
        assert_true(fabs(6.0 / M_PI * asin(r / 2.0) - rho) < 1e-14);
    }
    assert_true(ps_copula_normal_correlation(0.0) == 0.0);
    assert_true(ps_copula_normal_correlation(1.0) == 1.0);
    assert_true(ps_copula_normal_correlation(-1.0) == -1.0);
    assert_true(fabs(ps_copula_normal_correlation(0.7) - 0.7167) < 1e-4);
}

static void test_copula_reaches_0_7_and_minus_0_4_at_20000_runs(void **state)
{
    (void)state;
    enum { N = 20000, K = 3 };
    const double corr[K * K] = {
        1.0,  0.7, -0.4, //
        0.7,  1.0, 0.0,  //
        -0.4, 0.0, 1.0,
    };
    /* Inputs 1 and 2 are linked through input 0 only; their own target
       is 0.  Each design, each seed: within 4 standard errors. */
    const ps_design_method methods[] = {PS_DESIGN_LHS, PS_DESIGN_MC,
                                        PS_DESIGN_SOBOL};
    for (size_t m = 0; m < 3; m++) {
        for (uint64_t seed = 1; seed <= 3; seed++) {
            double *u = correlated(methods[m], seed, N, K, corr, 4096);
            assert_achieved(u, N, K, corr);
            /* Sobol' points leave far less sampling error: no bias of the
               construction can hide in it (Iman-Conover gave 0.683 for
               0.7 and -0.384 for -0.4). */
            if (methods[m] == PS_DESIGN_SOBOL) {
                assert_true(fabs(ps_design_spearman(u, N, K, 0, 1) - 0.7) <
                            0.003);
                assert_true(fabs(ps_design_spearman(u, N, K, 0, 2) + 0.4) <
                            0.003);
            }
            free(u);
        }
    }
}

static void test_copula_reaches_a_mixed_sign_target(void **state)
{
    (void)state;
    enum { N = 20000, K = 4 };
    const double corr[K * K] = {
        1.0,  0.5,  -0.3, 0.0,  //
        0.5,  1.0,  0.2,  -0.6, //
        -0.3, 0.2,  1.0,  0.1,  //
        0.0,  -0.6, 0.1,  1.0,
    };
    double *u = correlated(PS_DESIGN_LHS, 12, N, K, corr, 1000);
    assert_achieved(u, N, K, corr);
    free(u);
}

static void test_copula_rows_do_not_depend_on_the_block_size(void **state)
{
    (void)state;
    enum { N = 3001, K = 4 };
    const double corr[K * K] = {
        1.0, 0.6, 0.3, 0.0, //
        0.6, 1.0, 0.2, 0.0, //
        0.3, 0.2, 1.0, 0.0, //
        0.0, 0.0, 0.0, 1.0,
    };
    double *whole = correlated(PS_DESIGN_LHS, 14, N, K, corr, N);
    const size_t blocks[] = {1, 7, 256, 1000};
    for (size_t b = 0; b < 4; b++) {
        double *u = correlated(PS_DESIGN_LHS, 14, N, K, corr, blocks[b]);
        assert_memory_equal(u, whole, N * K * sizeof *u);
        free(u);
    }
    /* another seed, other rows */
    double *other = correlated(PS_DESIGN_LHS, 15, N, K, corr, N);
    size_t moved = 0;
    for (size_t i = 0; i < N * K; i++)
        moved += other[i] != whole[i];
    assert_true(moved > N);
    free(other);
    free(whole);
}

static void test_copula_keeps_independent_columns_and_margins(void **state)
{
    (void)state;
    enum { N = 4000, K = 30, A = 3, B = 7 };
    double *corr = calloc(K * K, sizeof *corr);
    assert_non_null(corr);
    for (size_t i = 0; i < K; i++)
        corr[i * K + i] = 1;
    corr[A * K + B] = corr[B * K + A] = -0.8;
    double *u = correlated(PS_DESIGN_LHS, 5, N, K, corr, 500);
    double *before = malloc(N * K * sizeof *before);
    assert_non_null(before);
    assert_int_equal(ps_design_fill(PS_DESIGN_LHS, 5, N, K, 0, N, before, NULL),
                     PS_OK);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < K; j++)
            if (j != A && j != B)
                assert_true(u[i * K + j] == before[i * K + j]);
    /* The first linked column is Phi(Phi^-1(u)): its strata survive to
       within rounding.  Both stay uniform: a tenth of the runs in each
       tenth of (0, 1), up to sampling error, and never 0 or 1. */
    size_t decile[2][10] = {{0}};
    for (size_t i = 0; i < N; i++) {
        assert_true(fabs(u[i * K + A] - before[i * K + A]) < 1e-12);
        for (size_t c = 0; c < 2; c++) {
            double x = u[i * K + (c ? B : A)];
            assert_true(x > 0.0 && x < 1.0);
            decile[c][(size_t)(x * 10)]++;
        }
    }
    for (size_t c = 0; c < 2; c++)
        for (size_t d = 0; d < 10; d++)
            assert_true(decile[c][d] > 320 && decile[c][d] < 480);
    assert_true(fabs(ps_design_spearman(u, N, K, A, B) + 0.8) <
                4.0 * spearman_error(0.8, N));
    /* with no linked column the copula changes nothing */
    ps_copula *c = NULL;
    corr[A * K + B] = corr[B * K + A] = 0;
    assert_int_equal(ps_copula_new(corr, K, &c, NULL), PS_OK);
    assert_int_equal(ps_copula_linked(c), 0);
    memcpy(u, before, N * K * sizeof *u);
    ps_copula_apply(c, u, N);
    assert_memory_equal(u, before, N * K * sizeof *u);
    ps_copula_free(&c);
    ps_copula_apply(NULL, u, N);
    assert_int_equal(ps_copula_linked(NULL), 0);
    free(corr);
    free(u);
    free(before);
}

static void test_copula_keeps_extreme_uniforms_inside_the_interval(void **state)
{
    (void)state;
    const double corr[4] = {1, 0.99, 0.99, 1};
    ps_copula *c = NULL;
    assert_int_equal(ps_copula_new(corr, 2, &c, NULL), PS_OK);
    double rows[] = {0x1p-54,     0x1p-54, 1 - 0x1p-53,
                     1 - 0x1p-53, 0x1p-54, 1 - 0x1p-53};
    ps_copula_apply(c, rows, 3);
    for (size_t i = 0; i < 6; i++)
        assert_true(rows[i] > 0.0 && rows[i] < 1.0);
    assert_true(rows[1] < 1e-10 && rows[3] > 1 - 1e-10);
    ps_copula_free(&c);
}

static void expect_refused(const double *corr, size_t k, ps_status status,
                           const char *message)
{
    ps_copula *c = (ps_copula *)&c; /* not NULL: must come back NULL */
    ps_error err;
    assert_int_equal(ps_copula_new(corr, k, &c, &err), status);
    assert_null(c);
    assert_int_equal(err.status, status);
    if (strncmp(err.message, message, strlen(message)) != 0)
        fail_msg("message \"%s\" does not start with \"%s\"", err.message,
                 message);
}

static void test_copula_refuses_an_impossible_matrix(void **state)
{
    (void)state;
    /* x1 ~ x2 and x2 ~ x3 strongly, but x1 ~ -x3: no such variables. */
    const double corr[9] = {1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1};
    expect_refused(corr, 3, PS_ERR_DATA,
                   "the correlation matrix is not positive definite once "
                   "turned into the normal scores' correlation");
    /* Perfectly correlated inputs are singular: refused as well. */
    const double one[4] = {1, 1, 1, 1};
    expect_refused(one, 2, PS_ERR_DATA,
                   "the correlation matrix is not positive definite");
}

static void test_copula_refuses_malformed_matrices(void **state)
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
    expect_refused(NULL, 2, PS_ERR_USAGE, "no correlation matrix");
    /* one input: only the matrix is checked */
    const double unit = 1.0, half = 0.5;
    ps_copula *c = NULL;
    assert_int_equal(ps_copula_new(&unit, 1, &c, NULL), PS_OK);
    assert_int_equal(ps_copula_linked(c), 0);
    ps_copula_free(&c);
    expect_refused(&half, 1, PS_ERR_DATA,
                   "a correlation matrix has 1 on its diagonal");
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

int main(void)
{
    gsl_set_error_handler(count_gsl_error);
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, reset_gsl_errors, no_gsl_errors)
        T(test_copula_pearson_gives_the_spearman_target),
        T(test_copula_reaches_0_7_and_minus_0_4_at_20000_runs),
        T(test_copula_reaches_a_mixed_sign_target),
        T(test_copula_rows_do_not_depend_on_the_block_size),
        T(test_copula_keeps_independent_columns_and_margins),
        T(test_copula_keeps_extreme_uniforms_inside_the_interval),
        T(test_copula_refuses_an_impossible_matrix),
        T(test_copula_refuses_malformed_matrices),
        T(test_spearman_matches_known_values),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
