/*
 * Deterministic simulation: analytic solutions, the measured order of
 * convergence of each fixed-step method, Vensim's hold of time inputs
 * under Runge-Kutta, SAVEPER, failures that name time and variable, and
 * overrides by name and by index.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "model_fixture.h"
#include "plansim/element.h"

static const char *decay_model =
    "k = 1 ~ 1/Year ~ |\n"
    "y = INTEG(-k * y, 1) ~ ~ |\n"
    "INITIAL TIME = 0 ~ Year ~ |\n"
    "FINAL TIME = 1 ~ Year ~ |\n"
    "TIME STEP = 0.1 ~ Year ~ |\n";

static const char *logistic_model =
    "r = 1.5 ~ 1/Year ~ |\n"
    "K = 10 ~ ~ |\n"
    "y = INTEG(r * y * (1 - y / K), 1) ~ ~ |\n"
    "INITIAL TIME = 0 ~ Year ~ |\n"
    "FINAL TIME = 2 ~ Year ~ |\n"
    "TIME STEP = 0.25 ~ Year ~ |\n";

static double logistic_exact(double t)
{
    return 10.0 / (1 + 9 * exp(-1.5 * t));
}

/* y at FINAL TIME for `model` run with `method` and TIME STEP dt. */
static double final_y(const char *model, const char *method, double dt,
                      double tol)
{
    ps_program *p = compile_text(model);
    ps_override set[] = {{"TIME STEP", dt}, {"SAVEPER", dt}};
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    opts.method = method;
    opts.overrides = set;
    opts.noverrides = 1;
    if (tol > 0)
        opts.integ.abs_tol = opts.integ.rel_tol = tol;
    ps_series *s = NULL;
    ps_error err;
    assert_int_equal(ps_simulate(p, &opts, &s, &err), PS_OK);
    double y = ps_series_get(s, s->nrows - 1, ps_series_find(s, "y"));
    ps_series_free(&s);
    ps_program_free(&p);
    return y;
}

static double measured_order(const char *model, const char *method,
                             double exact)
{
    double e1 = fabs(final_y(model, method, 0.1, 0) - exact);
    double e2 = fabs(final_y(model, method, 0.05, 0) - exact);
    return log2(e1 / e2);
}

static void test_euler_matches_its_recurrence(void **state)
{
    /* Euler on y' = -y gives y_n = (1 - dt)^n exactly. */
    assert_float_equal(final_y(decay_model, "euler", 0.1, 0), pow(0.9, 10),
                       1e-14);
}

static void test_euler_converges_with_order_one(void **state)
{
    double order = measured_order(decay_model, "euler", exp(-1));
    assert_true(order > 0.9 && order < 1.1);
}

static void test_rk4_converges_with_order_four(void **state)
{
    double order = measured_order(decay_model, "rk4", exp(-1));
    assert_true(order > 3.8 && order < 4.2);
    order = measured_order(logistic_model, "rk4", logistic_exact(2));
    assert_true(order > 3.7 && order < 4.3);
}

static void test_adaptive_methods_meet_tight_tolerances(void **state)
{
    double exact = logistic_exact(2);
    double y = final_y(logistic_model, "rk8pd", 0.25, 1e-12);
    assert_true(fabs(y - exact) / exact < 1e-9);
    y = final_y(logistic_model, "rkf45", 0.25, 1e-10);
    assert_true(fabs(y - exact) / exact < 1e-7);
    y = final_y(decay_model, "msbdf", 0.1, 1e-10);
    assert_true(fabs(y - exp(-1)) < 1e-6);
}

static void test_runge_kutta_holds_step_inputs_over_a_step(void **state)
{
    const char *model = "flow = STEP(1, 0.6) ~ ~ |\n"
                        "s = INTEG(flow, 0) ~ ~ |\n" CONTROL(2, 1);
    ps_series *e = run_text(model, "euler");
    ps_series *r = run_text(model, "rk4");
    ps_series *a = run_text(model, "rkf45");
    assert_float_equal(value_at(r, "s", 1), 0, 0);
    assert_float_equal(value_at(r, "s", 2), value_at(e, "s", 2), 1e-12);
    assert_float_equal(value_at(a, "s", 2), value_at(e, "s", 2), 1e-9);
    ps_series_free(&e);
    ps_series_free(&r);
    ps_series_free(&a);
}

static void test_output_is_saved_every_saveper(void **state)
{
    ps_series *s = run_text("x = Time ~ ~ |\n"
                            "INITIAL TIME = 2025 ~~|\nFINAL TIME = 2030 ~~|\n"
                            "TIME STEP = 0.25 ~~|\nSAVEPER = 1 ~~|\n",
                            NULL);
    assert_int_equal(s->nrows, 6);
    for (size_t r = 0; r < s->nrows; r++) {
        assert_float_equal(s->time[r], 2025 + (double)r, 0);
        assert_float_equal(value_at(s, "x", s->time[r]), s->time[r], 0);
    }
    assert_int_not_equal(ps_series_find(s, "TIME STEP"), (size_t)-1);
    ps_series_free(&s);
}

static void test_non_finite_auxiliary_names_time_and_variable(void **state)
{
    ps_program *p = compile_text("x = 1 / (3 - Time) ~ ~ |\n"
                                 "y = x * 2 ~ ~ |\n" CONTROL(5, 1));
    ps_series *s = NULL;
    ps_error err;
    assert_int_equal(ps_simulate(p, NULL, &s, &err), PS_ERR_NONFINITE);
    assert_true(err.has_time);
    assert_float_equal(err.time, 3, 0);
    assert_non_null(strstr(err.message, "'x'"));
    /* The rows before the failure are kept. */
    assert_non_null(s);
    assert_int_equal(s->nrows, 3);
    ps_series_free(&s);
    ps_program_free(&p);
}

static void test_non_finite_stock_names_the_stock(void **state)
{
    ps_program *p = compile_text("s = INTEG(1e308, 1e308) ~ ~ |\n" CONTROL(5, 1));
    ps_series *s = NULL;
    ps_error err;
    assert_int_equal(ps_simulate(p, NULL, &s, &err), PS_ERR_NONFINITE);
    assert_non_null(strstr(err.message, "'s'"));
    assert_float_equal(err.time, 1, 0);
    ps_series_free(&s);
    ps_program_free(&p);
}

static void test_unknown_method_and_override_are_usage_errors(void **state)
{
    ps_program *p = compile_text(decay_model);
    ps_series *s = NULL;
    ps_error err;
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    opts.method = "heun";
    assert_int_equal(ps_simulate(p, &opts, &s, &err), PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "heun"));
    ps_series_free(&s);
    ps_override set[] = {{"nonexistent", 1}};
    ps_sim_options_default(&opts);
    opts.overrides = set;
    opts.noverrides = 1;
    assert_int_equal(ps_simulate(p, &opts, &s, &err), PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "nonexistent"));
    ps_series_free(&s);
    ps_program_free(&p);
}

/* An override by index sets what the one by name sets, and applies after
   it; a variable the program lacks is a usage error. */
static void test_overrides_by_index_follow_those_by_name(void **state)
{
    (void)state;
    ps_program *p = compile_text(decay_model);
    size_t k = ps_program_find(p, "k");
    ps_override named[] = {{"k", 2}};
    ps_override_at at[] = {{k, PS_ALL_ELEMENTS, 3}};
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    opts.overrides = named;
    opts.noverrides = 1;
    opts.overrides_at = at;
    opts.noverrides_at = 1;
    ps_series *s = NULL;
    ps_error err;
    assert_int_equal(ps_simulate(p, &opts, &s, &err), PS_OK);
    size_t col = ps_series_find(s, "k");
    assert_float_equal(ps_series_get(s, 0, col), 3, 0);
    ps_series_free(&s);
    at[0].var = ps_program_var_count(p);
    assert_int_equal(ps_simulate(p, &opts, &s, &err), PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "do not exist"));
    ps_series_free(&s);
    ps_program_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_euler_matches_its_recurrence),
        cmocka_unit_test(test_euler_converges_with_order_one),
        cmocka_unit_test(test_rk4_converges_with_order_four),
        cmocka_unit_test(test_adaptive_methods_meet_tight_tolerances),
        cmocka_unit_test(test_runge_kutta_holds_step_inputs_over_a_step),
        cmocka_unit_test(test_output_is_saved_every_saveper),
        cmocka_unit_test(test_non_finite_auxiliary_names_time_and_variable),
        cmocka_unit_test(test_non_finite_stock_names_the_stock),
        cmocka_unit_test(test_unknown_method_and_override_are_usage_errors),
        cmocka_unit_test(test_overrides_by_index_follow_those_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
