/*
 * GSL's adaptive methods behind our interface: accuracy against analytic
 * solutions, a stiff problem for msbdf, retries when the model rejects a
 * trial point, the limits h_min and max_inner, and the inner step size
 * carried from one outer step to the next.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "integ_problems.h"

static const ps_stepper_type *adaptive_types(size_t i)
{
    const ps_stepper_type *const types[] = {ps_stepper_rkf45, ps_stepper_rk8pd,
                                            ps_stepper_msbdf, NULL};
    return types[i];
}

static ps_integ_options tolerances(double tol)
{
    ps_integ_options o;

    ps_integ_options_default(&o);
    o.abs_tol = tol;
    o.rel_tol = tol;
    return o;
}

static double relative_error(double y, double exact)
{
    return fabs(y - exact) / fabs(exact);
}

static void test_rk8pd_reaches_1e9_on_logistic_growth(void **state)
{
    ps_integ_options o = tolerances(1e-12);
    problem p = {.k = 0.7, .cap = 10.0};
    ps_system sys = {rhs_logistic, 1, &p};
    double y = 0.5;
    ps_error err;

    assert_int_equal(integrate(ps_stepper_rk8pd, &o, &sys, 0, 0.5, 20, &y,
                               &err),
                     PS_OK);
    assert_true(relative_error(y, logistic_exact(&p, 0.5, 10.0)) < 1e-9);
}

static void test_rk8pd_reaches_1e9_on_exponential_decay(void **state)
{
    ps_integ_options o = tolerances(1e-12);
    problem p = {.k = 0.7};
    ps_system sys = {rhs_decay, 1, &p};
    double y = 1.0;
    ps_error err;

    assert_int_equal(integrate(ps_stepper_rk8pd, &o, &sys, 0, 0.5, 20, &y,
                               &err),
                     PS_OK);
    assert_true(relative_error(y, decay_exact(&p, 1.0, 10.0)) < 1e-9);
}

static void test_rkf45_meets_a_looser_bound_at_default_tolerances(void **state)
{
    problem p = {.k = 0.7, .cap = 10.0};
    problem q = {.k = 0.7};
    ps_system logistic = {rhs_logistic, 1, &p};
    ps_system decay = {rhs_decay, 1, &q};
    double y = 0.5, z = 1.0;
    ps_error err;

    assert_int_equal(integrate(ps_stepper_rkf45, NULL, &logistic, 0, 0.5, 20,
                               &y, &err),
                     PS_OK);
    assert_int_equal(integrate(ps_stepper_rkf45, NULL, &decay, 0, 0.5, 20, &z,
                               &err),
                     PS_OK);
    assert_true(relative_error(y, logistic_exact(&p, 0.5, 10.0)) < 1e-6);
    assert_true(relative_error(z, decay_exact(&q, 1.0, 10.0)) < 1e-5);
}

static void test_msbdf_solves_a_stiff_problem_in_few_rhs_calls(void **state)
{
    problem p = {.k = 1000.0};
    ps_system sys = {rhs_stiff, 1, &p};
    double y = 0.0;
    ps_error err;

    assert_int_equal(integrate(ps_stepper_msbdf, NULL, &sys, 0, 1.0, 10, &y,
                               &err),
                     PS_OK);
    assert_true(fabs(y - stiff_exact(&p, 0.0, 10.0)) < 1e-6);
    /* An explicit method needs h < 2.8e-3 here: rkf45 makes ~38000 calls. */
    if (p.calls > 4000)
        fail_msg("msbdf made %ld right-hand side calls", p.calls);
}

/* Reference: y(40) of Robertson's problem (Hairer & Wanner, Solving ODEs
   II; also the SUNDIALS cvRoberts_dns example). */
static void test_msbdf_solves_robertson_kinetics(void **state)
{
    ps_integ_options o = tolerances(1e-8);
    problem p = {0};
    ps_system sys = {rhs_robertson, 3, &p};
    double y[3] = {1.0, 0.0, 0.0};
    ps_error err;

    o.abs_tol = 1e-12;
    assert_int_equal(integrate(ps_stepper_msbdf, &o, &sys, 0, 4.0, 10, y,
                               &err),
                     PS_OK);
    assert_true(relative_error(y[0], 0.7158270687) < 1e-6);
    assert_true(relative_error(y[1], 9.185534765e-6) < 1e-5);
    assert_true(relative_error(y[2], 0.2841637457) < 1e-6);
    assert_true(fabs(y[0] + y[1] + y[2] - 1.0) < 1e-9);
    if (p.calls > 5000)
        fail_msg("msbdf made %ld right-hand side calls", p.calls);
}

static void test_adaptive_methods_retry_smaller_steps_when_the_rhs_rejects(void **state)
{
    for (size_t i = 0; adaptive_types(i); i++) {
        problem p = {.k = 1.0};
        ps_system sys = {rhs_decay_positive, 1, &p};
        double y = 1.0;
        ps_error err;

        /* One outer step of 10: the first trial stages go below 0. */
        assert_int_equal(integrate(adaptive_types(i), NULL, &sys, 0, 10.0, 1,
                                   &y, &err),
                         PS_OK);
        assert_true(p.rejected > 0);
        if (fabs(y - exp(-10.0)) > 1e-6)
            fail_msg("%s: y(10) = %.17g", adaptive_types(i)->name, y);
    }
}

static void test_adaptive_methods_fail_at_a_blow_up_with_y_restored(void **state)
{
    for (size_t i = 0; adaptive_types(i); i++) {
        ps_stepper *s = ps_stepper_new(adaptive_types(i), 1, NULL);
        problem p = {0};
        ps_system sys = {rhs_blowup, 1, &p};
        double y = 1.0;
        ps_error err;

        assert_non_null(s);
        assert_int_equal(ps_stepper_apply(s, &sys, 0, 2, &y, NULL, &err),
                         PS_ERR_INTEGRATION);
        assert_true(y == 1.0);
        assert_true(err.has_time && fabs(err.time - 1.0) < 1e-3);
        assert_non_null(strstr(err.message, "step size"));
        ps_stepper_free(&s);
    }
}

static void test_adaptive_methods_stop_below_h_min(void **state)
{
    ps_integ_options o = tolerances(1e-8);

    o.h_min = 1e-4;
    for (size_t i = 0; adaptive_types(i); i++) {
        ps_stepper *s = ps_stepper_new(adaptive_types(i), 1, &o);
        problem p = {0};
        ps_system sys = {rhs_blowup, 1, &p};
        double y = 1.0;
        ps_error err;

        assert_non_null(s);
        assert_int_equal(ps_stepper_apply(s, &sys, 0, 2, &y, NULL, &err),
                         PS_ERR_INTEGRATION);
        assert_true(y == 1.0);
        assert_non_null(strstr(err.message, "below the smallest allowed"));
        /* Stopped well before the blow-up's last few ulps. */
        assert_true(err.has_time && err.time > 0.9 && err.time < 1.0);
        ps_stepper_free(&s);
    }
}

static void test_adaptive_methods_stop_after_max_inner_steps(void **state)
{
    ps_integ_options o = tolerances(1e-12);

    o.max_inner = 5;
    for (size_t i = 0; adaptive_types(i); i++) {
        ps_stepper *s = ps_stepper_new(adaptive_types(i), 2, &o);
        problem p = {0};
        ps_system sys = {rhs_rotation, 2, &p};
        double y[2] = {1.0, 0.0};
        ps_error err;

        assert_non_null(s);
        assert_int_equal(ps_stepper_apply(s, &sys, 0, 20, y, NULL, &err),
                         PS_ERR_INTEGRATION);
        assert_true(y[0] == 1.0 && y[1] == 0.0);
        assert_non_null(strstr(err.message, "more than 5 inner steps"));
        assert_true(err.has_time && err.time > 0 && err.time < 20);
        ps_stepper_free(&s);
    }
}

/* The second outer step starts with the inner step size the first ended
   with (about 0.3 here), not with the outer step (10): the first trial
   step's stages all lie close to its start. */
static void test_adaptive_methods_carry_the_inner_step_size(void **state)
{
    ps_integ_options o = tolerances(1e-10);

    for (size_t i = 0; adaptive_types(i); i++) {
        ps_stepper *s = ps_stepper_new(adaptive_types(i), 2, &o);
        problem p = {0};
        ps_system sys = {rhs_rotation, 2, &p};
        double y[2] = {1.0, 0.0};
        ps_error err;

        assert_non_null(s);
        assert_int_equal(ps_stepper_apply(s, &sys, 0, 10, y, NULL, &err),
                         PS_OK);
        p.watch = 6;
        p.t_max = -INFINITY;
        assert_int_equal(ps_stepper_apply(s, &sys, 10, 10, y, NULL, &err),
                         PS_OK);
        if (!(p.t_max >= 10 && p.t_max < 12))
            fail_msg("%s: the first trial step reached t = %g",
                     adaptive_types(i)->name, p.t_max);
        ps_stepper_free(&s);
    }
}

static int rhs_held_rate(double t, const double y[], double dydt[],
                         void *params)
{
    dydt[0] = *(const double *)params;
    return 0;
}

/* The simulator holds STEP and PULSE over each outer step, so the rate can
   jump between outer steps.  A method that reused the last derivative or
   history across the jump would miss it; each must integrate a piecewise
   constant rate exactly. */
static void test_adaptive_methods_follow_a_rate_that_jumps_between_steps(void **state)
{
    ps_integ_options o = tolerances(1e-8);

    for (size_t i = 0; adaptive_types(i); i++) {
        ps_stepper *s = ps_stepper_new(adaptive_types(i), 1, &o);
        double rate = 0, y[1] = {0};
        ps_system sys = {rhs_held_rate, 1, &rate};
        ps_error err;

        assert_int_equal(ps_stepper_apply(s, &sys, 0, 1, y, NULL, &err), PS_OK);
        rate = 1;
        assert_int_equal(ps_stepper_apply(s, &sys, 1, 1, y, NULL, &err), PS_OK);
        rate = -3;
        assert_int_equal(ps_stepper_apply(s, &sys, 2, 1, y, NULL, &err), PS_OK);
        if (fabs(y[0] - (-2.0)) > 1e-12)
            fail_msg("%s: y = %.17g, expected -2", adaptive_types(i)->name,
                     y[0]);
        ps_stepper_free(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rk8pd_reaches_1e9_on_logistic_growth),
        cmocka_unit_test(test_rk8pd_reaches_1e9_on_exponential_decay),
        cmocka_unit_test(test_rkf45_meets_a_looser_bound_at_default_tolerances),
        cmocka_unit_test(test_msbdf_solves_a_stiff_problem_in_few_rhs_calls),
        cmocka_unit_test(test_msbdf_solves_robertson_kinetics),
        cmocka_unit_test(test_adaptive_methods_retry_smaller_steps_when_the_rhs_rejects),
        cmocka_unit_test(test_adaptive_methods_fail_at_a_blow_up_with_y_restored),
        cmocka_unit_test(test_adaptive_methods_stop_below_h_min),
        cmocka_unit_test(test_adaptive_methods_stop_after_max_inner_steps),
        cmocka_unit_test(test_adaptive_methods_carry_the_inner_step_size),
        cmocka_unit_test(test_adaptive_methods_follow_a_rate_that_jumps_between_steps),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
