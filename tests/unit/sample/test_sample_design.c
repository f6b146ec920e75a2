/*
 * Sampling designs: the documented MC addressing, Latin hypercube strata,
 * the keyed permutation behind them, addressability (any row range gives
 * the same rows), reproducibility, the reserved streams, and the errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/design.h"
#include "plansim/rng.h"
#include "sample_impl.h"

static const ps_design_method methods[] = {PS_DESIGN_MC, PS_DESIGN_LHS,
                                           PS_DESIGN_SOBOL};

static double *fill(ps_design_method m, uint64_t seed, size_t n, size_t k)
{
    double *u = malloc(n * k * sizeof *u);
    assert_non_null(u);
    ps_error err;
    assert_int_equal(ps_design_fill(m, seed, n, k, 0, n, u, &err), PS_OK);
    return u;
}

static void test_design_method_names_round_trip(void **state)
{
    (void)state;
    const char *names[] = {"mc", "lhs", "sobol"};
    for (int i = 0; i < 3; i++) {
        ps_design_method m;
        assert_int_equal(ps_design_method_from_name(names[i], &m), 0);
        assert_int_equal(m, methods[i]);
        assert_string_equal(ps_design_method_name(m), names[i]);
    }
    ps_design_method m = PS_DESIGN_LHS;
    assert_int_equal(ps_design_method_from_name("halton", &m), -1);
    assert_int_equal(ps_design_method_from_name(NULL, &m), -1);
    assert_int_equal(m, PS_DESIGN_LHS);
    assert_string_equal(ps_design_method_name((ps_design_method)7), "unknown");
}

static void test_design_mc_reads_the_documented_streams(void **state)
{
    (void)state;
    enum { N = 50, K = 4 };
    double *u = fill(PS_DESIGN_MC, 99, N, K);
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < K; j++) {
            ps_rng_address a = {99, i, PS_DESIGN_STREAM_BASE + j};
            assert_true(u[i * K + j] == ps_rng_uniform(&a, 0));
        }
    }
    free(u);
}

static void test_design_streams_stay_in_the_reserved_range(void **state)
{
    (void)state;
    const design_purpose last = PURPOSE_RANKCORR;
    assert_true(ps__design_stream(PURPOSE_MC, 0) == PS_DESIGN_STREAM_BASE);
    assert_true(ps__design_stream(last, PS_DESIGN_MAX_INPUTS - 1) <
                PS_DESIGN_STREAM_END);
    /* Purposes never share a stream, whatever the input. */
    assert_true(ps__design_stream(PURPOSE_MC, PS_DESIGN_MAX_INPUTS - 1) <
                ps__design_stream(PURPOSE_LHS_OFFSET, 0));
    /* RANDOM call sites use small numbers, or negative int32 ones. */
    assert_true((uint64_t)(int64_t)INT32_MAX < PS_DESIGN_STREAM_BASE);
    assert_true((uint64_t)(int64_t)INT32_MIN >= PS_DESIGN_STREAM_END);
}

static void test_design_lhs_puts_one_point_in_each_stratum(void **state)
{
    (void)state;
    const size_t sizes[] = {1, 2, 3, 7, 64, 1000, 4097};
    enum { K = 5 };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        const size_t n = sizes[s];
        double *u = fill(PS_DESIGN_LHS, 2025 + s, n, K);
        unsigned char *seen = calloc(n, 1);
        assert_non_null(seen);
        for (size_t j = 0; j < K; j++) {
            memset(seen, 0, n);
            for (size_t i = 0; i < n; i++) {
                double v = u[i * K + j];
                assert_true(v > 0.0 && v < 1.0);
                size_t stratum = (size_t)floor(v * (double)n);
                assert_true(stratum < n);
                assert_int_equal(seen[stratum], 0);
                seen[stratum] = 1;
            }
        }
        free(seen);
        free(u);
    }
}

static void test_design_lhs_columns_are_shuffled_independently(void **state)
{
    (void)state;
    enum { N = 1000, K = 3 };
    double *u = fill(PS_DESIGN_LHS, 5, N, K);
    /* Neither the identity order nor a copy of another column: a Spearman
       correlation near 0 between columns and against the row index. */
    for (size_t a = 0; a < K; a++)
        for (size_t b = a + 1; b < K; b++)
            assert_true(fabs(ps_design_spearman(u, N, K, a, b)) < 0.1);
    double *rows = malloc(N * 2 * sizeof *rows);
    assert_non_null(rows);
    for (size_t i = 0; i < N; i++) {
        rows[2 * i] = (double)i;
        rows[2 * i + 1] = u[i * K];
    }
    assert_true(fabs(ps_design_spearman(rows, N, 2, 0, 1)) < 0.1);
    free(rows);
    free(u);
}

static void test_design_permutation_is_a_bijection_for_any_size(void **state)
{
    (void)state;
    for (uint64_t n = 1; n <= 300; n++) {
        ps__perm p;
        ps__perm_init(&p, n, n * 31, 12345);
        unsigned char seen[300] = {0};
        for (uint64_t i = 0; i < n; i++) {
            uint64_t y = ps__perm_apply(&p, i);
            assert_true(y < n);
            assert_int_equal(seen[y], 0);
            seen[y] = 1;
        }
    }
    /* A large size, and a size needing all 64 bits (spot checks). */
    enum { BIG = 100003 };
    unsigned char *seen = calloc(BIG, 1);
    assert_non_null(seen);
    ps__perm p;
    ps__perm_init(&p, BIG, 1, 2);
    size_t fixed = 0;
    for (uint64_t i = 0; i < BIG; i++) {
        uint64_t y = ps__perm_apply(&p, i);
        /* The bound is tested twice so the compiler sees it too. */
        assert_true(y < BIG);
        if (y < BIG) {
            assert_int_equal(seen[y], 0);
            seen[y] = 1;
        }
        fixed += y == i;
    }
    assert_true(fixed < 10); /* about one fixed point is expected */
    free(seen);
    ps__perm_init(&p, UINT64_MAX, 3, 4);
    assert_int_equal(p.half_bits, 32);
    assert_true(ps__perm_apply(&p, 0) != ps__perm_apply(&p, 1));
}

static void
test_design_permutation_range_equals_one_index_at_a_time(void **state)
{
    (void)state;
    const uint64_t sizes[] = {0, 1, 2, 3, 5, 64, 65, 300, 100003};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        const uint64_t n = sizes[s];
        ps__perm p;
        ps__perm_init(&p, n, 7, 8 + s);
        uint64_t got[PS_PERM_RANGE_MAX];
        /* Ranges of every length up to the most, from the start, the
           middle and the end of [0, n). */
        for (size_t count = 0; count <= PS_PERM_RANGE_MAX && count <= n;
             count++) {
            const uint64_t firsts[] = {0, (n - count) / 2, n - count};
            for (size_t f = 0; f < 3; f++) {
                for (size_t r = 0; r < PS_PERM_RANGE_MAX; r++)
                    got[r] = UINT64_MAX;
                ps__perm_apply_range(&p, firsts[f], count, got);
                for (size_t r = 0; r < count; r++)
                    assert_true(got[r] == ps__perm_apply(&p, firsts[f] + r));
                /* Nothing is written past count. */
                for (size_t r = count; r < PS_PERM_RANGE_MAX; r++)
                    assert_true(got[r] == UINT64_MAX);
            }
        }
    }
}

/* Run i's point in column j, as the Latin hypercube is defined: its
   stratum pi_j(i) plus its offset, over n, nudged into the stratum. */
static double lhs_point(uint64_t seed, size_t n, size_t i, size_t j)
{
    ps__perm p;
    ps__perm_init(&p, n, seed, ps__design_stream(PURPOSE_LHS_PERM, j));
    const ps_rng_address a = {seed, i,
                              ps__design_stream(PURPOSE_LHS_OFFSET, j)};
    const double s = (double)ps__perm_apply(&p, i);
    double u = (s + ps_rng_uniform(&a, 0)) / (double)n;
    while (u * (double)n >= s + 1.0)
        u = nextafter(u, 0.0);
    while (u * (double)n < s)
        u = nextafter(u, 1.0);
    return u;
}

static void test_design_lhs_is_its_definition_point_by_point(void **state)
{
    (void)state;
    enum { N = 150, K = 3 };
    double *u = fill(PS_DESIGN_LHS, 99, N, K);
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < K; j++)
            assert_true(u[i * K + j] == lhs_point(99, N, i, j));
    free(u);
}

static void
test_design_rows_do_not_depend_on_how_they_are_requested(void **state)
{
    (void)state;
    enum { N = 37, K = 6 };
    for (size_t m = 0; m < 3; m++) {
        double *all = fill(methods[m], 77, N, K);
        double part[N * K];
        /* Backwards, in uneven chunks. */
        const size_t cuts[] = {37, 30, 29, 11, 0};
        for (size_t c = 0; c + 1 < sizeof cuts / sizeof cuts[0]; c++) {
            size_t first = cuts[c + 1], count = cuts[c] - cuts[c + 1];
            assert_int_equal(ps_design_fill(methods[m], 77, N, K, first, count,
                                            part + first * K, NULL),
                             PS_OK);
        }
        assert_memory_equal(part, all, sizeof part);
        free(all);
    }
}

static void
test_design_same_seed_same_matrix_other_seed_other_matrix(void **state)
{
    (void)state;
    enum { N = 64, K = 3 };
    for (size_t m = 0; m < 3; m++) {
        double *a = fill(methods[m], 1, N, K), *b = fill(methods[m], 1, N, K);
        double *c = fill(methods[m], 2, N, K);
        assert_memory_equal(a, b, N * K * sizeof *a);
        size_t same = 0;
        for (size_t i = 0; i < N * K; i++) {
            assert_true(a[i] > 0.0 && a[i] < 1.0);
            same += a[i] == c[i];
        }
        assert_int_equal(same, 0);
        free(a);
        free(b);
        free(c);
    }
}

static void test_design_fill_refuses_bad_requests(void **state)
{
    (void)state;
    double u[8];
    ps_error err;
    assert_int_equal(ps_design_fill(PS_DESIGN_MC, 1, 10, 1, 8, 4, u, &err),
                     PS_ERR_USAGE);
    assert_string_equal(err.message,
                        "rows 8 to 12 are outside a design of 10 runs");
    assert_int_equal(ps_design_fill(PS_DESIGN_SOBOL, 1, 10,
                                    ps_design_sobol_max_dim() + 1, 0, 0, u,
                                    &err),
                     PS_OK); /* nothing asked, nothing checked */
    assert_int_equal(ps_design_fill(PS_DESIGN_SOBOL, 1, 10,
                                    ps_design_sobol_max_dim() + 1, 0, 1, u,
                                    &err),
                     PS_ERR_USAGE);
    assert_string_equal(err.message,
                        "a Sobol' design takes at most 21201 inputs, got "
                        "21202");
    assert_int_equal(
        ps_design_fill(PS_DESIGN_SOBOL, 1, (size_t)1 << 33, 1, 0, 1, u, &err),
        PS_ERR_USAGE);
    assert_int_equal(
        ps_design_fill((ps_design_method)9, 1, 10, 1, 0, 1, u, &err),
        PS_ERR_USAGE);
    assert_string_equal(err.message, "unknown sampling design 9");
    assert_int_equal(ps_design_fill(PS_DESIGN_LHS, 1, 10, 1, 0, 1, NULL, &err),
                     PS_ERR_USAGE);
    /* Without an error struct the status still comes back. */
    assert_int_equal(ps_design_fill(PS_DESIGN_LHS, 1, 10, 1, 0, 11, u, NULL),
                     PS_ERR_USAGE);
    assert_int_equal(ps_design_sobol_max_dim(), 21201);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design_method_names_round_trip),
        cmocka_unit_test(test_design_mc_reads_the_documented_streams),
        cmocka_unit_test(test_design_streams_stay_in_the_reserved_range),
        cmocka_unit_test(test_design_lhs_puts_one_point_in_each_stratum),
        cmocka_unit_test(test_design_lhs_columns_are_shuffled_independently),
        cmocka_unit_test(test_design_permutation_is_a_bijection_for_any_size),
        cmocka_unit_test(
            test_design_permutation_range_equals_one_index_at_a_time),
        cmocka_unit_test(test_design_lhs_is_its_definition_point_by_point),
        cmocka_unit_test(
            test_design_rows_do_not_depend_on_how_they_are_requested),
        cmocka_unit_test(
            test_design_same_seed_same_matrix_other_seed_other_matrix),
        cmocka_unit_test(test_design_fill_refuses_bad_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
