/*
 * The gsl_rng adapter: it walks the draws of one address, so GSL's
 * distributions (gsl_ran_*) sample reproducibly from addressed streams.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "plansim/rng.h"

static const ps_rng_address addr = {2025, 4, 11};

static void test_gsl_alloc_rejects_a_null_address(void **state)
{
    (void)state;
    assert_null(ps_rng_gsl_alloc(NULL));
}

static void test_gsl_type_reports_its_name_and_32_bit_range(void **state)
{
    (void)state;
    gsl_rng *r = ps_rng_gsl_alloc(&addr);
    assert_non_null(r);
    assert_string_equal(gsl_rng_name(r), "plansim-philox");
    assert_int_equal(gsl_rng_min(r), 0);
    assert_int_equal(gsl_rng_max(r), UINT32_MAX);
    gsl_rng_free(r);
}

static void test_gsl_uniform_walks_the_draws_of_the_address(void **state)
{
    (void)state;
    gsl_rng *r = ps_rng_gsl_alloc(&addr);
    for (uint64_t i = 0; i < 37; i++)
        assert_true(gsl_rng_uniform(r) == ps_rng_uniform(&addr, i));
    gsl_rng_free(r);
}

static void test_gsl_get_returns_the_top_32_bits_of_each_draw(void **state)
{
    (void)state;
    gsl_rng *r = ps_rng_gsl_alloc(&addr);
    for (uint64_t i = 0; i < 37; i++) {
        unsigned long v = gsl_rng_get(r);
        assert_true(v <= UINT32_MAX);
        assert_int_equal(v, ps_rng_bits(&addr, i) >> 32);
    }
    gsl_rng_free(r);
}

static void test_gsl_seek_reproduces_a_draw(void **state)
{
    (void)state;
    gsl_rng *r = ps_rng_gsl_alloc(&addr);
    double seq[12];
    for (int i = 0; i < 12; i++)
        seq[i] = gsl_rng_uniform(r);
    /* Back into the middle of a Philox block, then across its end. */
    ps_rng_gsl_seek(r, &addr, 2);
    for (int i = 2; i < 12; i++)
        assert_true(gsl_rng_uniform(r) == seq[i]);
    /* A NULL address moves the index only. */
    ps_rng_gsl_seek(r, NULL, 9);
    assert_true(gsl_rng_uniform(r) == seq[9]);
    /* Another address, far along. */
    const ps_rng_address other = {1, 2, 3};
    ps_rng_gsl_seek(r, &other, UINT64_C(1) << 50);
    assert_true(gsl_rng_uniform(r) ==
                ps_rng_uniform(&other, UINT64_C(1) << 50));
    gsl_rng_free(r);
}

static void test_gsl_set_restarts_at_index_0_of_the_given_stream(void **state)
{
    (void)state;
    gsl_rng *r = ps_rng_gsl_alloc(&addr);
    (void)gsl_rng_uniform(r);
    gsl_rng_set(r, 77);
    const ps_rng_address expect = {addr.seed, addr.run, 77};
    assert_true(gsl_rng_uniform(r) == ps_rng_uniform(&expect, 0));
    assert_true(gsl_rng_uniform(r) == ps_rng_uniform(&expect, 1));
    gsl_rng_free(r);
}

static void test_gsl_ran_gaussian_draws_standard_normals(void **state)
{
    (void)state;
    enum { N = 20000 };
    gsl_rng *r = ps_rng_gsl_alloc(&addr);
    gsl_rng *again = ps_rng_gsl_alloc(&addr);
    double sum = 0.0, sum2 = 0.0;
    for (int i = 0; i < N; i++) {
        double z = gsl_ran_gaussian(r, 1.0);
        /* The same address gives the same normals, draw for draw. */
        assert_true(gsl_ran_gaussian(again, 1.0) == z);
        sum += z;
        sum2 += z * z;
    }
    double mean = sum / N, var = sum2 / N - mean * mean;
    /* Standard errors: 1/sqrt(N) for the mean, sqrt(2/N) for the
       variance; allow 4.5 of them (fixed address: deterministic). */
    assert_true(fabs(mean) < 4.5 / sqrt((double)N));
    assert_true(fabs(var - 1.0) < 4.5 * sqrt(2.0 / N));
    gsl_rng_free(r);
    gsl_rng_free(again);
}

static void test_gsl_clone_continues_the_same_sequence(void **state)
{
    (void)state;
    gsl_rng *r = ps_rng_gsl_alloc(&addr);
    for (int i = 0; i < 5; i++)
        (void)gsl_rng_get(r);
    gsl_rng *copy = gsl_rng_clone(r);
    assert_non_null(copy);
    for (int i = 0; i < 9; i++)
        assert_int_equal(gsl_rng_get(copy), gsl_rng_get(r));
    gsl_rng_free(r);
    gsl_rng_free(copy);
}

static void test_gsl_seek_ignores_null_and_foreign_generators(void **state)
{
    (void)state;
    ps_rng_gsl_seek(NULL, &addr, 3);
    gsl_rng *mt = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng *ref = gsl_rng_alloc(gsl_rng_mt19937);
    ps_rng_gsl_seek(mt, &addr, 3);
    for (int i = 0; i < 5; i++)
        assert_int_equal(gsl_rng_get(mt), gsl_rng_get(ref));
    gsl_rng_free(mt);
    gsl_rng_free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gsl_alloc_rejects_a_null_address),
        cmocka_unit_test(test_gsl_type_reports_its_name_and_32_bit_range),
        cmocka_unit_test(test_gsl_uniform_walks_the_draws_of_the_address),
        cmocka_unit_test(test_gsl_get_returns_the_top_32_bits_of_each_draw),
        cmocka_unit_test(test_gsl_seek_reproduces_a_draw),
        cmocka_unit_test(test_gsl_set_restarts_at_index_0_of_the_given_stream),
        cmocka_unit_test(test_gsl_ran_gaussian_draws_standard_normals),
        cmocka_unit_test(test_gsl_clone_continues_the_same_sequence),
        cmocka_unit_test(test_gsl_seek_ignores_null_and_foreign_generators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
