/*
 * The dispatch layer: finding methods, options, instances and the checks
 * ps_stepper_apply makes before it steps.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "integ_problems.h"

static void test_ps_stepper_type_find_ignores_case(void **state)
{
    assert_ptr_equal(ps_stepper_type_find("euler"), ps_stepper_euler);
    assert_ptr_equal(ps_stepper_type_find("EULER"), ps_stepper_euler);
    assert_ptr_equal(ps_stepper_type_find("Rk4"), ps_stepper_rk4);
    assert_ptr_equal(ps_stepper_type_find("RKF45"), ps_stepper_rkf45);
    assert_ptr_equal(ps_stepper_type_find("rK8Pd"), ps_stepper_rk8pd);
    assert_ptr_equal(ps_stepper_type_find("MsBdf"), ps_stepper_msbdf);
}

static void test_ps_stepper_type_find_returns_null_for_unknown_names(void **state)
{
    assert_null(ps_stepper_type_find(NULL));
    assert_null(ps_stepper_type_find(""));
    assert_null(ps_stepper_type_find("rk"));
    assert_null(ps_stepper_type_find("euler "));
    assert_null(ps_stepper_type_find("rk45"));
    assert_null(ps_stepper_type_find("msbdfx"));
}

static void test_ps_stepper_types_lists_each_method_once(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();
    const ps_stepper_type *const expected[] = {
        ps_stepper_euler, ps_stepper_rk4, ps_stepper_rkf45, ps_stepper_rk8pd,
        ps_stepper_msbdf,
    };
    size_t n = 0;

    while (types[n])
        n++;
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(types[i], expected[i]);
    assert_false(ps_stepper_euler->adaptive);
    assert_false(ps_stepper_rk4->adaptive);
    assert_true(ps_stepper_rkf45->adaptive);
    assert_true(ps_stepper_rk8pd->adaptive);
    assert_true(ps_stepper_msbdf->adaptive);
    assert_int_equal(ps_stepper_euler->order, 1);
    assert_int_equal(ps_stepper_rk4->order, 4);
    assert_int_equal(ps_stepper_rk8pd->order, 8);
}

static void test_ps_integ_options_default_fills_the_documented_values(void **state)
{
    ps_integ_options o;

    memset(&o, 0xff, sizeof o);
    ps_integ_options_default(&o);
    assert_true(o.abs_tol == 1e-8);
    assert_true(o.rel_tol == 1e-8);
    assert_true(o.h_min == 0.0);
    assert_int_equal(o.max_inner, 100000);
    assert_int_equal(ps_integ_options_check(&o, NULL), PS_OK);
}

static void test_ps_integ_options_check_rejects_each_bad_field(void **state)
{
    ps_integ_options base, o;
    ps_error err;

    ps_integ_options_default(&base);

    o = base;
    o.abs_tol = -1e-9;
    assert_int_equal(ps_integ_options_check(&o, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "absolute tolerance"));

    o = base;
    o.rel_tol = NAN;
    assert_int_equal(ps_integ_options_check(&o, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "relative tolerance"));

    o = base;
    o.abs_tol = 0;
    o.rel_tol = 0;
    assert_int_equal(ps_integ_options_check(&o, &err), PS_ERR_DATA);

    o = base;
    o.abs_tol = 0; /* one zero tolerance is fine */
    assert_int_equal(ps_integ_options_check(&o, &err), PS_OK);

    o = base;
    o.h_min = INFINITY;
    assert_int_equal(ps_integ_options_check(&o, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "smallest step"));

    o = base;
    o.max_inner = 0;
    assert_int_equal(ps_integ_options_check(&o, &err), PS_ERR_DATA);

    assert_int_equal(ps_integ_options_check(NULL, &err), PS_ERR_INTERNAL);
}

static void test_ps_stepper_new_refuses_a_null_type_and_bad_options(void **state)
{
    ps_integ_options o;

    ps_integ_options_default(&o);
    o.rel_tol = -1;
    assert_null(ps_stepper_new(NULL, 3, NULL));
    assert_null(ps_stepper_new(ps_stepper_rkf45, 3, &o));
    assert_null(ps_stepper_new(ps_stepper_euler, 3, &o));
}

static void test_ps_stepper_new_copies_the_options(void **state)
{
    ps_integ_options o;
    ps_stepper *s;
    problem p = {.k = 1.0};
    ps_system sys = {rhs_decay, 1, &p};
    double y = 1.0;
    ps_error err;

    ps_integ_options_default(&o);
    o.max_inner = 2;
    o.abs_tol = o.rel_tol = 1e-12;
    s = ps_stepper_new(ps_stepper_rk8pd, 1, &o);
    assert_non_null(s);
    o.max_inner = 100000; /* too late: the stepper has its own copy */
    assert_int_equal(ps_stepper_apply(s, &sys, 0, 10, &y, NULL, &err),
                     PS_ERR_INTEGRATION);
    ps_stepper_free(&s);
}

static void test_ps_stepper_free_accepts_null_and_clears_the_pointer(void **state)
{
    ps_stepper *s = ps_stepper_new(ps_stepper_msbdf, 2, NULL);

    ps_stepper_free(NULL);
    assert_non_null(s);
    assert_int_equal(s->dim, 2);
    assert_ptr_equal(s->type, ps_stepper_msbdf);
    ps_stepper_free(&s);
    assert_null(s);
    ps_stepper_free(&s);
}

static void test_ps_stepper_apply_refuses_bad_arguments(void **state)
{
    ps_stepper *s = ps_stepper_new(ps_stepper_rk4, 1, NULL);
    problem p = {.k = 1.0};
    ps_system sys = {rhs_decay, 1, &p};
    ps_system wrong_dim = {rhs_decay, 2, &p};
    ps_system no_rhs = {NULL, 1, &p};
    double y = 1.0;
    ps_error err;

    assert_non_null(s);
    assert_int_equal(ps_stepper_apply(NULL, &sys, 0, 1, &y, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(ps_stepper_apply(s, NULL, 0, 1, &y, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(ps_stepper_apply(s, &no_rhs, 0, 1, &y, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(ps_stepper_apply(s, &sys, 0, 1, NULL, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(ps_stepper_apply(s, &wrong_dim, 0, 1, &y, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_non_null(strstr(err.message, "dimension 2"));
    assert_int_equal(ps_stepper_apply(s, &sys, 0, 0, &y, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(ps_stepper_apply(s, &sys, 0, -1, &y, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(ps_stepper_apply(s, &sys, 0, NAN, &y, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(ps_stepper_apply(s, &sys, INFINITY, 1, &y, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(ps_stepper_apply(s, &sys, 0, 1, &y, NULL, NULL),
                     PS_OK); /* err may be NULL */
    assert_int_equal(p.calls, 4);
    assert_true(y != 1.0);
    ps_stepper_free(&s);
}

static void test_ps_stepper_apply_clears_bad_component_after_a_good_step(void **state)
{
    ps_stepper *s = ps_stepper_new(ps_stepper_euler, 2, NULL);
    problem p = {.k = 1.0, .nan_from = 1.0};
    ps_system sys = {rhs_decay_nan, 2, &p};
    double y[2] = {1.0, 1.0};
    ps_error err;

    assert_non_null(s);
    assert_int_equal(s->bad_component, 2);
    assert_int_equal(ps_stepper_apply(s, &sys, 1.0, 0.5, y, NULL, &err),
                     PS_ERR_NONFINITE);
    assert_int_equal(s->bad_component, 1);
    assert_int_equal(ps_stepper_apply(s, &sys, 0.0, 0.5, y, NULL, &err),
                     PS_OK);
    assert_int_equal(s->bad_component, 2);
    ps_stepper_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ps_stepper_type_find_ignores_case),
        cmocka_unit_test(test_ps_stepper_type_find_returns_null_for_unknown_names),
        cmocka_unit_test(test_ps_stepper_types_lists_each_method_once),
        cmocka_unit_test(test_ps_integ_options_default_fills_the_documented_values),
        cmocka_unit_test(test_ps_integ_options_check_rejects_each_bad_field),
        cmocka_unit_test(test_ps_stepper_new_refuses_a_null_type_and_bad_options),
        cmocka_unit_test(test_ps_stepper_new_copies_the_options),
        cmocka_unit_test(test_ps_stepper_free_accepts_null_and_clears_the_pointer),
        cmocka_unit_test(test_ps_stepper_apply_refuses_bad_arguments),
        cmocka_unit_test(test_ps_stepper_apply_clears_bad_component_after_a_good_step),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
