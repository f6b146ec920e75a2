/*
 * Our own fixed-step methods: measured order of convergence, use of the
 * caller's dydt_in, and exactly one step of size h.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "integ_problems.h"

/* |y(T) - exact| after integrating `rhs` (dimension 1) from y0 over
   [0, T] with n steps of `type`. */
static double end_error(const ps_stepper_type *type, ps_rhs_fn rhs,
                        double (*exact)(const problem *, double, double),
                        double y0, double T, int n)
{
    problem p = {.k = 1.0, .cap = 10.0};
    ps_system sys = {rhs, 1, &p};
    double y = y0;
    ps_error err;

    assert_int_equal(integrate(type, NULL, &sys, 0, T / n, n, &y, &err),
                     PS_OK);
    assert_int_equal(p.calls, (long)n * (type == ps_stepper_euler ? 1 : 4));
    return fabs(y - exact(&p, y0, T));
}

/* Halves h four times and checks every observed order
   log2(err(h) / err(h/2)) lies in [lo, hi]. */
static void assert_order(const ps_stepper_type *type, ps_rhs_fn rhs,
                         double (*exact)(const problem *, double, double),
                         double y0, double T, int n0, double lo, double hi)
{
    double prev = end_error(type, rhs, exact, y0, T, n0);

    for (int n = 2 * n0; n <= 16 * n0; n *= 2) {
        double e = end_error(type, rhs, exact, y0, T, n);
        double order = log2(prev / e);

        if (!(order >= lo && order <= hi))
            fail_msg("%s: order %.3f from %d to %d steps (errors %.3e, %.3e)",
                     type->name, order, n / 2, n, prev, e);
        prev = e;
    }
}

static double exact_decay(const problem *p, double y0, double t)
{
    return decay_exact(p, y0, t);
}

static double exact_logistic(const problem *p, double y0, double t)
{
    return logistic_exact(p, y0, t);
}

static void test_euler_converges_with_order_one(void **state)
{
    assert_order(ps_stepper_euler, rhs_decay, exact_decay, 1.0, 1.0, 16, 0.9,
                 1.1);
    assert_order(ps_stepper_euler, rhs_logistic, exact_logistic, 1.0, 2.0, 32,
                 0.9, 1.1);
}

static void test_rk4_converges_with_order_four(void **state)
{
    assert_order(ps_stepper_rk4, rhs_decay, exact_decay, 1.0, 1.0, 8, 3.8,
                 4.2);
    assert_order(ps_stepper_rk4, rhs_logistic, exact_logistic, 1.0, 2.0, 8,
                 3.8, 4.2);
}

static void test_euler_uses_dydt_in_without_calling_the_rhs(void **state)
{
    ps_stepper *s = ps_stepper_new(ps_stepper_euler, 1, NULL);
    problem p = {.k = 1.0};
    ps_system sys = {rhs_decay, 1, &p};
    double y = 1.0;
    const double dydt_in = 0.5; /* not f(t, y): shows it was used */
    ps_error err;

    assert_non_null(s);
    assert_int_equal(ps_stepper_apply(s, &sys, 0, 0.25, &y, &dydt_in, &err),
                     PS_OK);
    assert_int_equal(p.calls, 0);
    assert_true(y == 1.0 + 0.25 * 0.5);
    ps_stepper_free(&s);
}

static void test_euler_without_dydt_in_calls_the_rhs_once(void **state)
{
    ps_stepper *s = ps_stepper_new(ps_stepper_euler, 1, NULL);
    problem p = {.k = 2.0};
    ps_system sys = {rhs_decay, 1, &p};
    double y = 1.0;
    ps_error err;

    assert_non_null(s);
    assert_int_equal(ps_stepper_apply(s, &sys, 0, 0.25, &y, NULL, &err),
                     PS_OK);
    assert_int_equal(p.calls, 1);
    assert_true(y == 1.0 + 0.25 * -2.0);
    ps_stepper_free(&s);
}

static void test_rk4_uses_dydt_in_as_its_first_stage(void **state)
{
    ps_stepper *s = ps_stepper_new(ps_stepper_rk4, 1, NULL);
    problem p = {.k = 1.0, .cap = 10.0};
    ps_system sys = {rhs_logistic, 1, &p};
    double y_in = 2.0, y_own = 2.0, f;
    ps_error err;

    assert_non_null(s);
    rhs_logistic(0, &y_in, &f, &p);
    p.calls = 0;
    assert_int_equal(ps_stepper_apply(s, &sys, 0, 0.5, &y_in, &f, &err),
                     PS_OK);
    assert_int_equal(p.calls, 3);
    assert_int_equal(ps_stepper_apply(s, &sys, 0, 0.5, &y_own, NULL, &err),
                     PS_OK);
    assert_int_equal(p.calls, 3 + 4);
    assert_true(y_in == y_own); /* bit for bit: the same k1 */
    ps_stepper_free(&s);
}

static void test_rk4_fails_at_the_stage_the_rhs_rejects(void **state)
{
    ps_stepper *s = ps_stepper_new(ps_stepper_rk4, 1, NULL);
    problem p = {.k = 1.0};
    ps_system sys = {rhs_decay_positive, 1, &p};
    double y = 1.0;
    ps_error err;

    assert_non_null(s);
    /* The second stage sits at y = 1 - 10/2 < 0, t = 2 + 10/2. */
    assert_int_equal(ps_stepper_apply(s, &sys, 2, 10, &y, NULL, &err),
                     PS_ERR_INTEGRATION);
    assert_true(y == 1.0);
    assert_int_equal(p.rejected, 1);
    assert_true(err.has_time && err.time == 7.0);
    assert_non_null(strstr(err.message, "cannot shrink"));
    ps_stepper_free(&s);
}

static void test_euler_reports_the_state_at_the_step_end(void **state)
{
    ps_stepper *s = ps_stepper_new(ps_stepper_euler, 2, NULL);
    problem p = {0};
    ps_system sys = {rhs_overflow, 2, &p};
    double y[2] = {0.0, 1e308};
    ps_error err;

    assert_non_null(s);
    assert_int_equal(ps_stepper_apply(s, &sys, 3, 1, y, NULL, &err),
                     PS_ERR_NONFINITE);
    assert_true(err.has_time && err.time == 4.0);
    assert_int_equal(s->bad_component, 1);
    ps_stepper_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_euler_converges_with_order_one),
        cmocka_unit_test(test_rk4_converges_with_order_four),
        cmocka_unit_test(test_euler_uses_dydt_in_without_calling_the_rhs),
        cmocka_unit_test(test_euler_without_dydt_in_calls_the_rhs_once),
        cmocka_unit_test(test_rk4_uses_dydt_in_as_its_first_stage),
        cmocka_unit_test(test_rk4_fails_at_the_stage_the_rhs_rejects),
        cmocka_unit_test(test_euler_reports_the_state_at_the_step_end),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
