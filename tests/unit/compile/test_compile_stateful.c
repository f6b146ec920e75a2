/*
 * Stateful builtins expanded into hidden stocks and state: each checked
 * against the recurrence Euler integration gives, or against an invariant
 * (conservation of material in delays).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "model_fixture.h"

static void test_smooth_follows_first_order_recurrence(void **state)
{
    ps_series *s = run_text("x = SMOOTHI(10, 2, 0) ~ ~ |\n"
                            "y = SMOOTH(input, 2) ~ ~ |\n"
                            "input = 4 + STEP(6, 1) ~ ~ |\n" CONTROL(5, 0.5),
                            NULL);
    for (int k = 0; k <= 10; k++)
        assert_float_equal(value_at(s, "x", 0.5 * k),
                           10 * (1 - pow(0.75, k)), 1e-12);
    /* SMOOTH starts at its input and stays until the step. */
    assert_float_equal(value_at(s, "y", 1), 4, 1e-12);
    assert_float_equal(value_at(s, "y", 1.5), 4 + 6 * 0.25, 1e-12);
    ps_series_free(&s);
}

static void test_smooth3_equals_smooth_n_of_order_three(void **state)
{
    ps_series *s = run_text(
        "input = 1 + RAMP(1, 1, 4) ~ ~ |\n"
        "a = SMOOTH3(input, 3) ~ ~ |\n"
        "b = SMOOTH N(input, 3, input, 3) ~ ~ |\n"
        "c = SMOOTH3I(input, 3, 5) ~ ~ |\n" CONTROL(10, 0.25),
        NULL);
    for (int k = 0; k <= 40; k++) {
        double t = 0.25 * k;
        assert_float_equal(value_at(s, "a", t), value_at(s, "b", t), 1e-12);
    }
    assert_float_equal(value_at(s, "c", 0), 5, 1e-12);
    ps_series_free(&s);
}

static void test_delay1_output_and_initial_value(void **state)
{
    ps_series *s = run_text("x = DELAY1I(10, 2, 0) ~ ~ |\n"
                            "y = DELAY1(7, 2) ~ ~ |\n" CONTROL(5, 0.5),
                            NULL);
    for (int k = 0; k <= 10; k++) {
        assert_float_equal(value_at(s, "x", 0.5 * k),
                           10 * (1 - pow(0.75, k)), 1e-12);
        assert_float_equal(value_at(s, "y", 0.5 * k), 7, 1e-12);
    }
    ps_series_free(&s);
}

static void test_delays_conserve_material(void **state)
{
    ps_series *s = run_text(
        "inflow = PULSE(1, 2) * 10 ~ ~ |\n"
        "out1 = DELAY1(inflow, 3) ~ ~ |\n"
        "out3 = DELAY3(inflow, 3) ~ ~ |\n"
        "outn = DELAY N(inflow, 3, 0, 5) ~ ~ |\n"
        "sent = INTEG(inflow, 0) ~ ~ |\n"
        "got1 = INTEG(out1, 0) ~ ~ |\n"
        "got3 = INTEG(out3, 0) ~ ~ |\n"
        "gotn = INTEG(outn, 0) ~ ~ |\n" CONTROL(100, 0.125),
        NULL);
    double sent = value_at(s, "sent", 100);
    assert_float_equal(sent, 20, 1e-9);
    assert_float_equal(value_at(s, "got1", 100), sent, 1e-6);
    assert_float_equal(value_at(s, "got3", 100), sent, 1e-6);
    assert_float_equal(value_at(s, "gotn", 100), sent, 1e-6);
    /* A higher order delays the bulk of the material longer before it
       arrives: at t = 2 the first-order delay has passed on more. */
    assert_true(value_at(s, "got1", 3) > value_at(s, "got3", 3));
    assert_true(value_at(s, "got3", 3) > value_at(s, "gotn", 3));
    ps_series_free(&s);
}

static void test_delay3i_equals_delay_n_of_order_three(void **state)
{
    ps_series *s = run_text("input = 2 + STEP(3, 2) ~ ~ |\n"
                            "a = DELAY3I(input, 4, 1) ~ ~ |\n"
                            "b = DELAY N(input, 4, 1, 3) ~ ~ |\n" CONTROL(20, 0.5),
                            NULL);
    for (int k = 0; k <= 40; k++)
        assert_float_equal(value_at(s, "a", 0.5 * k), value_at(s, "b", 0.5 * k),
                           1e-12);
    assert_float_equal(value_at(s, "a", 0), 1, 1e-12);
    ps_series_free(&s);
}

static void test_delay_n_order_is_read_at_start(void **state)
{
    /* The order changes at t = 2, but Vensim fixes it at the start. */
    ps_series *s = run_text("input = STEP(1, 1) ~ ~ |\n"
                            "order = 2 + STEP(5, 2) ~ ~ |\n"
                            "a = DELAY N(input, 4, 0, order) ~ ~ |\n"
                            "b = DELAY N(input, 4, 0, 2) ~ ~ |\n" CONTROL(10, 0.5),
                            NULL);
    for (int k = 0; k <= 20; k++)
        assert_float_equal(value_at(s, "a", 0.5 * k), value_at(s, "b", 0.5 * k),
                           1e-12);
    ps_series_free(&s);
}

static void test_delay_n_output_uses_the_previous_steps_delay_time(void **state)
{
    /* PySD's reading of Vensim: when the delay time jumps from 4 to 6 at
       t = 2, the output at t = 2 still divides by the old delay time. */
    ps_series *s = run_text("x = DELAY N(0, 4 + STEP(2, 2), 1, 1) ~ ~ |\n" CONTROL(3, 1),
                            NULL);
    assert_float_equal(value_at(s, "x", 0), 1, 1e-15);
    assert_float_equal(value_at(s, "x", 1), 0.75, 1e-15);
    assert_float_equal(value_at(s, "x", 2), 2.25 / 4, 1e-15);
    assert_float_equal(value_at(s, "x", 3), 1.875 / 6, 1e-15);
    ps_series_free(&s);
}

static void test_delay_fixed_shifts_by_whole_steps(void **state)
{
    ps_series *s = run_text("x = DELAY FIXED(Time, 1.5, -1) ~ ~ |\n"
                            "z = DELAY FIXED(Time * 2, Time, 9) ~ ~ |\n" CONTROL(4, 0.5),
                            NULL);
    assert_float_equal(value_at(s, "x", 0), -1, 0);
    assert_float_equal(value_at(s, "x", 1), -1, 0);
    assert_float_equal(value_at(s, "x", 1.5), 0, 0);
    assert_float_equal(value_at(s, "x", 4), 2.5, 0);
    /* A delay time of 0 at the start still delays by one step. */
    assert_float_equal(value_at(s, "z", 0), 9, 0);
    assert_float_equal(value_at(s, "z", 0.5), 0, 0);
    assert_float_equal(value_at(s, "z", 4), 7, 0);
    ps_series_free(&s);
}

static void test_delay_fixed_holds_under_runge_kutta(void **state)
{
    ps_series *e = run_text("x = DELAY FIXED(Time, 1, 0) ~ ~ |\n"
                            "s = INTEG(x, 0) ~ ~ |\n" CONTROL(4, 0.5),
                            "euler");
    ps_series *r = run_text("x = DELAY FIXED(Time, 1, 0) ~ ~ |\n"
                            "s = INTEG(x, 0) ~ ~ |\n" CONTROL(4, 0.5),
                            "rk4");
    /* x is constant within each step, so RK4 integrates it exactly like
       Euler does. */
    assert_float_equal(value_at(e, "s", 4), value_at(r, "s", 4), 1e-12);
    ps_series_free(&e);
    ps_series_free(&r);
}

static void test_trend_of_exponential_growth_approaches_its_rate(void **state)
{
    ps_series *s = run_text("input = EXP(0.05 * Time) ~ ~ |\n"
                            "tr = TREND(input, 2, 0.05) ~ ~ |\n"
                            "fc = FORECAST(input, 2, 10) ~ ~ |\n" CONTROL(100, 0.0625),
                            NULL);
    /* TREND of e^(rt) with averaging time T tends to (e^(rT)-1)/T-ish; for
       small rT it is close to r. */
    assert_float_equal(value_at(s, "tr", 100), 0.05, 0.004);
    assert_float_equal(value_at(s, "tr", 0), 0.05, 1e-12);
    /* FORECAST extrapolates the trend over its horizon. */
    double in = value_at(s, "input", 100);
    assert_true(value_at(s, "fc", 100) > in * 1.4);
    ps_series_free(&s);
}

static void test_sample_if_true_holds_between_samples(void **state)
{
    ps_series *s = run_text(
        "x = SAMPLE IF TRUE(MODULO(Time, 2) = 0, Time, -5) ~ ~ |\n"
        "y = SAMPLE IF TRUE(Time > 100, Time, -5) ~ ~ |\n" CONTROL(4, 0.5),
        NULL);
    assert_float_equal(value_at(s, "x", 0), 0, 0);
    assert_float_equal(value_at(s, "x", 1.5), 0, 0);
    assert_float_equal(value_at(s, "x", 2), 2, 0);
    assert_float_equal(value_at(s, "x", 3.5), 2, 0);
    assert_float_equal(value_at(s, "y", 3.5), -5, 0);
    ps_series_free(&s);
}

static void test_initial_and_active_initial(void **state)
{
    ps_series *s = run_text("a = INITIAL(Time + 3) ~ ~ |\n"
                            "c = ACTIVE INITIAL(d + 1, 100) ~ ~ |\n"
                            "d = INTEG(0, c) ~ ~ |\n" CONTROL(4, 1),
                            NULL);
    assert_float_equal(value_at(s, "a", 0), 3, 0);
    assert_float_equal(value_at(s, "a", 4), 3, 0);
    assert_float_equal(value_at(s, "d", 4), 100, 0);
    assert_float_equal(value_at(s, "c", 0), 101, 0);
    ps_series_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smooth_follows_first_order_recurrence),
        cmocka_unit_test(test_smooth3_equals_smooth_n_of_order_three),
        cmocka_unit_test(test_delay1_output_and_initial_value),
        cmocka_unit_test(test_delays_conserve_material),
        cmocka_unit_test(test_delay3i_equals_delay_n_of_order_three),
        cmocka_unit_test(test_delay_n_order_is_read_at_start),
        cmocka_unit_test(test_delay_n_output_uses_the_previous_steps_delay_time),
        cmocka_unit_test(test_delay_fixed_shifts_by_whole_steps),
        cmocka_unit_test(test_delay_fixed_holds_under_runge_kutta),
        cmocka_unit_test(test_trend_of_exponential_growth_approaches_its_rate),
        cmocka_unit_test(test_sample_if_true_holds_between_samples),
        cmocka_unit_test(test_initial_and_active_initial),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
