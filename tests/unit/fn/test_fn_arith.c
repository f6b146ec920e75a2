/*
 * XIDZ, ZIDZ, MODULO, QUANTUM, INTEGER, MIN, MAX, LOG and POWER, with the
 * examples of Vensim's reference manual and the edge cases around zero and NaN.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/fn.h"

/* cmocka's assert_float_equal compares floats; these values are doubles. */
#define assert_near(a, b, tol)                                              \
    do {                                                                    \
        double a_ = (a), b_ = (b);                                          \
        if (!(fabs(a_ - b_) <= (tol)))                                      \
            fail_msg("%.17g != %.17g (tolerance %g)", a_, b_, (double)(tol)); \
    } while (0)

static void test_xidz_divides_or_returns_x_for_a_zero_divisor(void **state)
{
    (void)state;
    assert_true(ps_fn_xidz(3, 4, 1) == 0.75);
    assert_true(ps_fn_xidz(3, 0, 1) == 1.0);
    assert_true(ps_fn_xidz(3, -0.0, 1) == 1.0);
    assert_true(ps_fn_xidz(11, 0, 4) == 4.0); /* sdx-tests xidz_zidz */
}

static void test_xidz_treats_divisors_below_1e_6_as_zero(void **state)
{
    (void)state;
    assert_true(ps_fn_xidz(1, 9e-7, 42) == 42.0);
    assert_true(ps_fn_xidz(1, -9e-7, 42) == 42.0);
    assert_true(ps_fn_xidz(1, 1e-6, 42) == 1e6);
    assert_true(ps_fn_xidz(1, -2e-6, 42) == -5e5);
}

static void test_zidz_divides_or_returns_0_for_a_zero_divisor(void **state)
{
    (void)state;
    assert_true(ps_fn_zidz(3, 4) == 0.75);
    assert_true(ps_fn_zidz(11, 0) == 0.0);
    assert_true(ps_fn_zidz(5, 5e-7) == 0.0);
    assert_true(ps_fn_zidz(-4, 2) == -2.0);
}

static void test_xidz_and_zidz_propagate_a_nan_divisor(void **state)
{
    (void)state;
    assert_true(isnan(ps_fn_xidz(1, NAN, 0)));
    assert_true(isnan(ps_fn_zidz(1, NAN)));
}

static void test_modulo_matches_the_manual_examples(void **state)
{
    (void)state;
    assert_true(ps_fn_modulo(9, 5) == 4.0);
    assert_true(ps_fn_modulo(76.5, 70) == 6.5);
    assert_near(ps_fn_modulo(8.3, 7.3), 1.0, 1e-12);
}

static void test_modulo_of_a_negative_operand_keeps_its_sign(void **state)
{
    (void)state;
    /* C's remainder, not the floored one: MODULO(a,b) = a - QUANTUM(a,b). */
    assert_true(ps_fn_modulo(-7, 3) == -1.0);
    assert_true(ps_fn_modulo(-0.5, 1) == -0.5);
    assert_true(ps_fn_modulo(-6, 3) == 0.0);
    for (double a = -10.0; a <= 10.0; a += 0.75)
        assert_near(ps_fn_modulo(a, 2.5), a - ps_fn_quantum(a, 2.5),
                           1e-12);
}

static void test_modulo_by_zero_or_a_negative_number_is_0(void **state)
{
    (void)state;
    assert_true(ps_fn_modulo(7, 0) == 0.0);
    assert_true(ps_fn_modulo(7, -3) == 0.0);
    assert_true(ps_fn_modulo(-7, -3) == 0.0);
    assert_true(isnan(ps_fn_modulo(NAN, 3)));
    assert_true(isnan(ps_fn_modulo(3, NAN)));
}

static void test_quantum_matches_the_manual_examples(void **state)
{
    (void)state;
    assert_true(ps_fn_quantum(1.9, 1.0) == 1.0);
    assert_true(ps_fn_quantum(0.9, 1.0) == 0.0);
    assert_true(ps_fn_quantum(-0.9, 1.0) == 0.0);
    assert_true(ps_fn_quantum(-1.9, 1.0) == -1.0);
    assert_true(ps_fn_quantum(112.3, 10.0) == 110.0);
    assert_true(ps_fn_quantum(50, 12) == 48.0);
    assert_true(ps_fn_quantum(423, 63) == 378.0);
    assert_true(ps_fn_quantum(3.456, 1.0) == 3.0);
    for (double a = -5.0; a <= 5.0; a += 0.3)
        assert_true(ps_fn_quantum(a, 0.7) == -ps_fn_quantum(-a, 0.7));
}

static void test_quantum_by_zero_or_less_returns_its_argument(void **state)
{
    (void)state;
    assert_true(ps_fn_quantum(2.5, 0) == 2.5);
    assert_true(ps_fn_quantum(-2.5, -1) == -2.5);
    assert_true(isnan(ps_fn_quantum(2.5, NAN)));
}

static void test_integer_truncates_toward_zero(void **state)
{
    (void)state;
    assert_true(ps_fn_integer(5.4) == 5.0);
    assert_true(ps_fn_integer(-5.4) == -5.0);
    assert_true(ps_fn_integer(-0.9) == 0.0);
    assert_true(ps_fn_integer(7.0) == 7.0);
    assert_true(ps_fn_integer(1e300) == 1e300);
}

/* The bits of x, so that 0 and -0 differ. */
static uint64_t bits_of(double x)
{
    union {
        double d;
        uint64_t u;
    } b = {x};
    return b.u;
}

static void test_min_and_max_keep_the_first_operand_on_a_tie(void **state)
{
    (void)state;
    assert_true(ps_fn_min(1, 2) == 1 && ps_fn_min(2, 1) == 1);
    assert_true(ps_fn_max(1, 2) == 2 && ps_fn_max(2, 1) == 2);
    assert_true(bits_of(ps_fn_min(0.0, -0.0)) == bits_of(0.0));
    assert_true(bits_of(ps_fn_min(-0.0, 0.0)) == bits_of(-0.0));
    assert_true(bits_of(ps_fn_max(0.0, -0.0)) == bits_of(0.0));
    assert_true(bits_of(ps_fn_max(-0.0, 0.0)) == bits_of(-0.0));
}

static void test_min_and_max_ignore_one_nan_operand(void **state)
{
    (void)state;
    assert_true(ps_fn_min(NAN, 3) == 3 && ps_fn_min(3, NAN) == 3);
    assert_true(ps_fn_max(NAN, -3) == -3 && ps_fn_max(-3, NAN) == -3);
    assert_true(isnan(ps_fn_min(NAN, NAN)) && isnan(ps_fn_max(NAN, NAN)));
    assert_true(ps_fn_min(-INFINITY, NAN) == -INFINITY);
}

static void test_log_takes_the_logarithm_in_the_given_base(void **state)
{
    (void)state;
    assert_near(ps_fn_log(71, 3), 3.88006, 5e-6); /* sdx-tests log */
    assert_near(ps_fn_log(8, 2), 3.0, 1e-15);
    assert_near(ps_fn_log(1000, 10), 3.0, 1e-15);
    assert_true(ps_fn_log(1, 7) == 0.0);
    assert_true(isnan(ps_fn_log(-1, 10)));
    assert_true(isnan(ps_fn_log(10, -2)));
}

static void test_power_matches_vensim(void **state)
{
    (void)state;
    assert_true(ps_fn_power(1, 100) == 1.0);
    assert_true(ps_fn_power(-2, 2) == 4.0);
    assert_true(ps_fn_power(2, 3) == 8.0);
    /* sdx-tests power: negative base, negative exponent. */
    assert_near(ps_fn_power(-2.3, 3), -12.167, 1e-12);
    assert_near(ps_fn_power(2.5, -3.3), 0.0486181, 5e-7);
    /* POWER(A, LOG(X, A)) = X. */
    assert_near(ps_fn_power(3, ps_fn_log(71, 3)), 71.0, 1e-12);
}

static void test_power_edge_cases(void **state)
{
    (void)state;
    assert_true(ps_fn_power(0, 0) == 1.0);
    assert_true(isinf(ps_fn_power(0, -1)));
    assert_true(isnan(ps_fn_power(-8, 1.0 / 3.0)));
    /* C answers 1 for these; a NaN in a model must stay visible. */
    assert_true(isnan(ps_fn_power(1, NAN)));
    assert_true(isnan(ps_fn_power(NAN, 0)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xidz_divides_or_returns_x_for_a_zero_divisor),
        cmocka_unit_test(test_xidz_treats_divisors_below_1e_6_as_zero),
        cmocka_unit_test(test_zidz_divides_or_returns_0_for_a_zero_divisor),
        cmocka_unit_test(test_xidz_and_zidz_propagate_a_nan_divisor),
        cmocka_unit_test(test_modulo_matches_the_manual_examples),
        cmocka_unit_test(test_modulo_of_a_negative_operand_keeps_its_sign),
        cmocka_unit_test(test_modulo_by_zero_or_a_negative_number_is_0),
        cmocka_unit_test(test_quantum_matches_the_manual_examples),
        cmocka_unit_test(test_quantum_by_zero_or_less_returns_its_argument),
        cmocka_unit_test(test_integer_truncates_toward_zero),
        cmocka_unit_test(test_min_and_max_keep_the_first_operand_on_a_tie),
        cmocka_unit_test(test_min_and_max_ignore_one_nan_operand),
        cmocka_unit_test(test_log_takes_the_logarithm_in_the_given_base),
        cmocka_unit_test(test_power_matches_vensim),
        cmocka_unit_test(test_power_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
