/*
 * The units algebra: products, quotients, constant powers, and how the
 * three kinds (KNOWN, ANY for bare numbers, UNKNOWN) combine.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "units_impl.h"

enum { PERSON, YEAR, YUAN };

/* base1^e1 * base2^e2. */
static ps__units make(int b1, int e1, int b2, int e2)
{
    ps__units f1 = ps__units_base(b1), f2 = ps__units_base(b2);
    ps__units a = ps__units_pow(&f1, e1), b = ps__units_pow(&f2, e2);
    return ps__units_mul(&a, &b);
}

static void test_mul_adds_exponents_and_keeps_factors_sorted(void **state)
{
    (void)state;
    ps__units year = ps__units_base(YEAR), person = ps__units_base(PERSON);
    ps__units u = ps__units_mul(&year, &person);
    assert_int_equal(u.kind, PS__UNITS_KNOWN);
    assert_int_equal(u.n, 2);
    assert_int_equal(u.f[0].base, PERSON);
    assert_int_equal(u.f[1].base, YEAR);
    ps__units sq = ps__units_mul(&u, &person);
    assert_true(ps__units_equal(&sq, &(ps__units){.kind = PS__UNITS_KNOWN,
                                                  .n = 2,
                                                  .f = {{PERSON, 2},
                                                        {YEAR, 1}}}));
}

static void test_div_cancels_equal_factors(void **state)
{
    (void)state;
    ps__units rate = make(PERSON, 1, YEAR, -1);
    ps__units person = ps__units_base(PERSON);
    ps__units per_year = ps__units_div(&rate, &person);
    assert_true(ps__units_equal(&per_year, &(ps__units){
                                               .kind = PS__UNITS_KNOWN,
                                               .n = 1,
                                               .f = {{YEAR, -1}}}));
    ps__units none = ps__units_div(&rate, &rate);
    assert_true(ps__units_is_dmnl(&none));
}

static void test_pow_multiplies_exponents(void **state)
{
    (void)state;
    ps__units rate = make(PERSON, 1, YEAR, -1);
    ps__units sq = ps__units_pow(&rate, 2);
    assert_true(ps__units_equal(&sq, &(ps__units){.kind = PS__UNITS_KNOWN,
                                                  .n = 2,
                                                  .f = {{PERSON, 2},
                                                        {YEAR, -2}}}));
    ps__units inv = ps__units_pow(&rate, -1);
    assert_true(ps__units_equal(&inv, &(ps__units){.kind = PS__UNITS_KNOWN,
                                                   .n = 2,
                                                   .f = {{PERSON, -1},
                                                         {YEAR, 1}}}));
    ps__units one = ps__units_pow(&rate, 0);
    assert_true(ps__units_is_dmnl(&one));
}

static void test_pow_takes_exact_roots_only(void **state)
{
    (void)state;
    ps__units area = make(YUAN, 2, YEAR, -4);
    ps__units root = ps__units_pow(&area, 0.5);
    assert_true(ps__units_equal(&root, &(ps__units){.kind = PS__UNITS_KNOWN,
                                                    .n = 2,
                                                    .f = {{YEAR, -2},
                                                          {YUAN, 1}}}));
    ps__units yuan = ps__units_base(YUAN);
    assert_int_equal(ps__units_pow(&yuan, 0.5).kind, PS__UNITS_UNKNOWN);
    assert_int_equal(ps__units_pow(&yuan, 0.3).kind, PS__UNITS_UNKNOWN);
    assert_int_equal(ps__units_pow(&yuan, INFINITY).kind,
                     PS__UNITS_UNKNOWN);
}

static void test_pow_keeps_dimensionless_any_and_unknown(void **state)
{
    (void)state;
    ps__units d = ps__units_dmnl(), a = ps__units_any(),
              u = ps__units_unknown();
    ps__units r = ps__units_pow(&d, 0.37);
    assert_true(ps__units_is_dmnl(&r));
    assert_int_equal(ps__units_pow(&a, 0.5).kind, PS__UNITS_ANY);
    assert_int_equal(ps__units_pow(&u, 2).kind, PS__UNITS_UNKNOWN);
}

static void test_a_number_is_dimensionless_in_a_product(void **state)
{
    (void)state;
    ps__units any = ps__units_any(), year = ps__units_base(YEAR);
    ps__units r = ps__units_mul(&any, &year);
    assert_true(ps__units_equal(&r, &year));
    r = ps__units_div(&any, &year);
    assert_true(ps__units_equal(&r, &(ps__units){.kind = PS__UNITS_KNOWN,
                                                 .n = 1,
                                                 .f = {{YEAR, -1}}}));
    assert_int_equal(ps__units_mul(&any, &any).kind, PS__UNITS_ANY);
    assert_int_equal(ps__units_div(&any, &any).kind, PS__UNITS_ANY);
}

static void test_unknown_absorbs_products(void **state)
{
    (void)state;
    ps__units u = ps__units_unknown(), year = ps__units_base(YEAR),
              any = ps__units_any();
    assert_int_equal(ps__units_mul(&u, &year).kind, PS__UNITS_UNKNOWN);
    assert_int_equal(ps__units_div(&year, &u).kind, PS__UNITS_UNKNOWN);
    assert_int_equal(ps__units_mul(&any, &u).kind, PS__UNITS_UNKNOWN);
}

static void test_equal_holds_only_between_known_units(void **state)
{
    (void)state;
    ps__units any = ps__units_any(), u = ps__units_unknown(),
              d = ps__units_dmnl(), year = ps__units_base(YEAR);
    assert_true(ps__units_equal(&d, &d));
    assert_false(ps__units_equal(&any, &any));
    assert_false(ps__units_equal(&u, &u));
    assert_false(ps__units_equal(&any, &d));
    assert_false(ps__units_equal(&year, &d));
    ps__units inv = ps__units_pow(&year, -1);
    assert_false(ps__units_equal(&year, &inv));
}

static void test_join_prefers_known_then_unknown_then_any(void **state)
{
    (void)state;
    ps__units any = ps__units_any(), u = ps__units_unknown(),
              year = ps__units_base(YEAR), out;
    assert_int_equal(ps__units_join(&any, &year, &out), 0);
    assert_true(ps__units_equal(&out, &year));
    assert_int_equal(ps__units_join(&year, &u, &out), 0);
    assert_true(ps__units_equal(&out, &year));
    assert_int_equal(ps__units_join(&u, &any, &out), 0);
    assert_int_equal(out.kind, PS__UNITS_UNKNOWN);
    assert_int_equal(ps__units_join(&any, &any, &out), 0);
    assert_int_equal(out.kind, PS__UNITS_ANY);
    assert_int_equal(ps__units_join(&year, &year, &out), 0);
    assert_true(ps__units_equal(&out, &year));
}

static void test_join_refuses_different_known_units(void **state)
{
    (void)state;
    ps__units year = ps__units_base(YEAR), person = ps__units_base(PERSON),
              d = ps__units_dmnl(), out;
    assert_int_equal(ps__units_join(&year, &person, &out), -1);
    assert_int_equal(out.kind, PS__UNITS_UNKNOWN);
    /* Dmnl is a unit like any other: it does not match Year. */
    assert_int_equal(ps__units_join(&d, &year, &out), -1);
}

static void test_too_many_factors_become_unknown(void **state)
{
    (void)state;
    ps__units u = ps__units_dmnl();
    for (int b = 0; b < PS__UNITS_MAX_FACTORS; b++) {
        ps__units f = ps__units_base(b);
        u = ps__units_mul(&u, &f);
    }
    assert_int_equal(u.kind, PS__UNITS_KNOWN);
    assert_int_equal(u.n, PS__UNITS_MAX_FACTORS);
    ps__units more = ps__units_base(PS__UNITS_MAX_FACTORS);
    assert_int_equal(ps__units_mul(&u, &more).kind, PS__UNITS_UNKNOWN);
}

static void test_huge_exponents_become_unknown(void **state)
{
    (void)state;
    ps__units year = ps__units_base(YEAR);
    ps__units big = ps__units_pow(&year, PS__UNITS_MAX_EXP);
    assert_int_equal(big.kind, PS__UNITS_KNOWN);
    assert_int_equal(ps__units_mul(&big, &year).kind, PS__UNITS_UNKNOWN);
    assert_int_equal(ps__units_pow(&year, PS__UNITS_MAX_EXP + 1).kind,
                     PS__UNITS_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mul_adds_exponents_and_keeps_factors_sorted),
        cmocka_unit_test(test_div_cancels_equal_factors),
        cmocka_unit_test(test_pow_multiplies_exponents),
        cmocka_unit_test(test_pow_takes_exact_roots_only),
        cmocka_unit_test(test_pow_keeps_dimensionless_any_and_unknown),
        cmocka_unit_test(test_a_number_is_dimensionless_in_a_product),
        cmocka_unit_test(test_unknown_absorbs_products),
        cmocka_unit_test(test_equal_holds_only_between_known_units),
        cmocka_unit_test(test_join_prefers_known_then_unknown_then_any),
        cmocka_unit_test(test_join_refuses_different_known_units),
        cmocka_unit_test(test_too_many_factors_become_unknown),
        cmocka_unit_test(test_huge_exponents_become_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
