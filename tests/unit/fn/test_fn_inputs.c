/*
 * STEP, PULSE, PULSE TRAIN and RAMP: Vensim's half-step ("time plus")
 * tolerance, widths at and below TIME STEP, open and closed ends.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/fn.h"

static void test_step_is_0_before_and_height_from_the_step_time(void **state)
{
    (void)state;
    const double dt = 0.25;
    assert_true(ps_fn_step(5.0, 2.0, 1.75, dt) == 0.0);
    assert_true(ps_fn_step(5.0, 2.0, 2.0, dt) == 5.0);
    assert_true(ps_fn_step(5.0, 2.0, 9.0, dt) == 5.0);
    assert_true(ps_fn_step(-3.0, 0.0, 0.0, dt) == -3.0);
}

static void test_step_tolerates_half_a_step_of_rounding(void **state)
{
    (void)state;
    /* A time a hair below the step time still steps; one half step below
       does not (time plus would equal the step time, not exceed it). */
    const double dt = 1.0;
    assert_true(ps_fn_step(1.0, 3.0, 3.0 - 1e-12, dt) == 1.0);
    assert_true(ps_fn_step(1.0, 3.0, 2.5, dt) == 0.0);
    assert_true(ps_fn_step(1.0, 3.0, 2.5 + 1e-9, dt) == 1.0);
}

static void test_step_meets_its_time_on_a_float_grid_of_0_1(void **state)
{
    (void)state;
    /* Times by repeated addition of 0.1 drift both above (0.1*3 ->
       0.30000000000000004) and below (0.1*10 -> 0.9999999999999999) the
       decimal step times; the step must land on step k0 every time. */
    const double dt = 0.1;
    for (int k0 = 0; k0 <= 60; k0++) {
        double step_time = k0 / 10.0, time = 0.0;
        for (int k = 0; k <= 80; k++, time += dt)
            assert_true(ps_fn_step(1.0, step_time, time, dt) ==
                        (k >= k0 ? 1.0 : 0.0));
    }
}

static void test_step_propagates_nan(void **state)
{
    (void)state;
    assert_true(isnan(ps_fn_step(1.0, NAN, 1.0, 0.5)));
    assert_true(isnan(ps_fn_step(1.0, 1.0, NAN, 0.5)));
}

static void test_pulse_lasts_width_from_start(void **state)
{
    (void)state;
    const double dt = 1.0; /* PULSE(3, 2) */
    assert_true(ps_fn_pulse(3.0, 2.0, 2.0, dt) == 0.0);
    assert_true(ps_fn_pulse(3.0, 2.0, 3.0, dt) == 1.0);
    assert_true(ps_fn_pulse(3.0, 2.0, 4.0, dt) == 1.0);
    assert_true(ps_fn_pulse(3.0, 2.0, 5.0, dt) == 0.0);
}

static void test_pulse_of_width_0_lasts_one_time_step(void **state)
{
    (void)state;
    const double dt = 0.125;
    assert_true(ps_fn_pulse(1.0, 0.0, 1.0 - dt, dt) == 0.0);
    assert_true(ps_fn_pulse(1.0, 0.0, 1.0, dt) == 1.0);
    assert_true(ps_fn_pulse(1.0, 0.0, 1.0 + dt, dt) == 0.0);
}

static void test_pulse_narrower_than_half_a_step_never_fires(void **state)
{
    (void)state;
    /* Vensim's formula: time plus must fall inside (start, start+width). */
    const double dt = 1.0;
    for (double t = 0.0; t <= 5.0; t += dt) {
        assert_true(ps_fn_pulse(2.0, 0.4, t, dt) == 0.0);
        assert_true(ps_fn_pulse(2.0, -1.0, t, dt) == 0.0);
    }
    /* A width over half a step fires for one step. */
    assert_true(ps_fn_pulse(2.0, 0.6, 2.0, dt) == 1.0);
    assert_true(ps_fn_pulse(2.0, 0.6, 3.0, dt) == 0.0);
}

static void test_pulse_propagates_nan(void **state)
{
    (void)state;
    assert_true(isnan(ps_fn_pulse(NAN, 1.0, 1.0, 0.5)));
    assert_true(isnan(ps_fn_pulse(1.0, NAN, 1.0, 0.5)));
}

static void test_pulse_train_repeats_until_its_end(void **state)
{
    (void)state;
    /* PULSE TRAIN(7, 1, 2, 12) at TIME STEP 0.0625: on over [7,8), [9,10),
       [11,12). */
    const double dt = 0.0625;
    const double on[] = {7.0, 7.9375, 9.0, 9.5, 11.0, 11.9375};
    const double off[] = {6.9375, 8.0, 8.5, 10.0, 12.0, 13.0, 13.5};
    for (size_t i = 0; i < sizeof on / sizeof on[0]; i++)
        assert_true(ps_fn_pulse_train(7, 1, 2, 12, on[i], dt) == 1.0);
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        assert_true(ps_fn_pulse_train(7, 1, 2, 12, off[i], dt) == 0.0);
}

static void test_pulse_train_end_is_exclusive(void **state)
{
    (void)state;
    /* The pulse due at time 4 coincides with the end: it is cut. */
    const double dt = 0.5;
    assert_true(ps_fn_pulse_train(0, 1, 2, 4, 2.0, dt) == 1.0);
    assert_true(ps_fn_pulse_train(0, 1, 2, 4, 4.0, dt) == 0.0);
    assert_true(ps_fn_pulse_train(0, 3, 4, 2, 1.5, dt) == 1.0);
    assert_true(ps_fn_pulse_train(0, 3, 4, 2, 2.0, dt) == 0.0);
}

static void test_pulse_train_narrow_widths_last_one_step(void **state)
{
    (void)state;
    const double dt = 0.25;
    for (double w = 0.0; w <= dt; w += dt / 4) {
        assert_true(ps_fn_pulse_train(1, w, 1, 10, 2.0 - dt, dt) == 0.0);
        assert_true(ps_fn_pulse_train(1, w, 1, 10, 2.0, dt) == 1.0);
        assert_true(ps_fn_pulse_train(1, w, 1, 10, 2.0 + dt, dt) == 0.0);
    }
}

static void test_pulse_train_with_tbetween_below_width_stays_on(void **state)
{
    (void)state;
    const double dt = 0.5;
    for (double t = 2.0; t < 6.0; t += dt)
        assert_true(ps_fn_pulse_train(2, 3, 1, 6, t, dt) == 1.0);
    assert_true(ps_fn_pulse_train(2, 3, 1, 6, 1.5, dt) == 0.0);
    assert_true(ps_fn_pulse_train(2, 3, 1, 6, 6.0, dt) == 0.0);
}

static void test_pulse_train_without_repeat_is_a_single_pulse(void **state)
{
    (void)state;
    const double dt = 1.0;
    assert_true(ps_fn_pulse_train(2, 2, 0, 100, 3.0, dt) == 1.0);
    assert_true(ps_fn_pulse_train(2, 2, 0, 100, 4.0, dt) == 0.0);
    assert_true(ps_fn_pulse_train(2, 2, -1, 100, 50.0, dt) == 0.0);
}

static void test_pulse_train_propagates_nan(void **state)
{
    (void)state;
    assert_true(isnan(ps_fn_pulse_train(1, 1, NAN, 5, 1.0, 0.5)));
    assert_true(isnan(ps_fn_pulse_train(1, 1, 2, NAN, 1.0, 0.5)));
}

static void test_ramp_rises_between_start_and_end_then_holds(void **state)
{
    (void)state;
    const double dt = 0.0625; /* RAMP(1, 14, 17) */
    assert_true(ps_fn_ramp(1, 14, 17, 13.0, dt) == 0.0);
    assert_true(ps_fn_ramp(1, 14, 17, 14.0, dt) == 0.0);
    assert_true(ps_fn_ramp(1, 14, 17, 14.0625, dt) == 0.0625);
    assert_true(ps_fn_ramp(1, 14, 17, 15.5, dt) == 1.5);
    assert_true(ps_fn_ramp(1, 14, 17, 17.0, dt) == 3.0);
    assert_true(ps_fn_ramp(1, 14, 17, 25.0, dt) == 3.0);
    assert_true(ps_fn_ramp(-2, 0, 1, 0.5, dt) == -1.0);
}

static void test_ramp_without_end_rises_forever(void **state)
{
    (void)state;
    assert_true(ps_fn_ramp(2, 1, INFINITY, 1001.0, 1.0) == 2000.0);
}

static void test_ramp_with_end_before_start_follows_vensims_formula(
    void **state)
{
    (void)state;
    /* IF Time > start: IF Time < end ... ELSE slope*(end - start). */
    assert_true(ps_fn_ramp(1, 5, 3, 4.0, 1.0) == 0.0);
    assert_true(ps_fn_ramp(1, 5, 3, 6.0, 1.0) == -2.0);
}

static void test_ramp_propagates_nan(void **state)
{
    (void)state;
    assert_true(isnan(ps_fn_ramp(1, NAN, 5, 1.0, 1.0)));
    assert_true(isnan(ps_fn_ramp(1, 0, NAN, 1.0, 1.0)));
    assert_true(isnan(ps_fn_ramp(1, 0, 5, NAN, 1.0)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_is_0_before_and_height_from_the_step_time),
        cmocka_unit_test(test_step_tolerates_half_a_step_of_rounding),
        cmocka_unit_test(test_step_meets_its_time_on_a_float_grid_of_0_1),
        cmocka_unit_test(test_step_propagates_nan),
        cmocka_unit_test(test_pulse_lasts_width_from_start),
        cmocka_unit_test(test_pulse_of_width_0_lasts_one_time_step),
        cmocka_unit_test(test_pulse_narrower_than_half_a_step_never_fires),
        cmocka_unit_test(test_pulse_propagates_nan),
        cmocka_unit_test(test_pulse_train_repeats_until_its_end),
        cmocka_unit_test(test_pulse_train_end_is_exclusive),
        cmocka_unit_test(test_pulse_train_narrow_widths_last_one_step),
        cmocka_unit_test(test_pulse_train_with_tbetween_below_width_stays_on),
        cmocka_unit_test(test_pulse_train_without_repeat_is_a_single_pulse),
        cmocka_unit_test(test_pulse_train_propagates_nan),
        cmocka_unit_test(test_ramp_rises_between_start_and_end_then_holds),
        cmocka_unit_test(test_ramp_without_end_rises_forever),
        cmocka_unit_test(
            test_ramp_with_end_before_start_follows_vensims_formula),
        cmocka_unit_test(test_ramp_propagates_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
