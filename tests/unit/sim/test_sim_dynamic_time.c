/*
 * Time settings given as equations: INITIAL TIME from other constants,
 * TIME STEP from INITIAL TIME, and FINAL TIME, TIME STEP and SAVEPER that
 * change during the run, read at every step as Vensim does (the cases
 * control_vars and dynamic_final_time of SDXorg/test-models).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "model_fixture.h"

static void test_settings_computed_from_each_other(void **state)
{
    (void)state;
    ps_series *s = run_text("start = 2 ~ ~ |\nlength = 3 ~ ~ |\n"
                            "x = INTEG(1, 0) ~ ~ |\n"
                            "INITIAL TIME = start ~ ~ |\n"
                            "FINAL TIME = INITIAL TIME + length ~ ~ |\n"
                            "TIME STEP = INITIAL TIME / 4 ~ ~ |\n"
                            "SAVEPER = TIME STEP * 2 ~ ~ |\n",
                            NULL);
    assert_int_equal(s->nrows, 4); /* 2, 3, 4, 5 */
    assert_float_equal(s->time[3], 5, 1e-12);
    assert_float_equal(value_at(s, "x", 5), 3, 1e-12);
    ps_series_free(&s);
}

static void test_settings_that_change_during_the_run(void **state)
{
    (void)state;
    ps_series *s = run_text(
        "x = INTEG(1, 0) ~ ~ |\n"
        "INITIAL TIME = IF THEN ELSE(Time < 3, 0, 0.2) ~ ~ |\n"
        "FINAL TIME = IF THEN ELSE(Time < 5, 10, 20) ~ ~ |\n"
        "TIME STEP = IF THEN ELSE(Time < 4, 1, 0.5) ~ ~ |\n"
        "SAVEPER = IF THEN ELSE(Time < 10, TIME STEP, 5) ~ ~ |\n",
        NULL);
    /* 0, 1, 2, 3 a step apart, then half steps from 4 to 9.5, then every
       5 from 10 to the final time of 20 */
    const double times[] = {0, 1, 2, 3, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8,
                            8.5, 9, 9.5, 10, 15, 20};
    size_t n = sizeof times / sizeof times[0];
    assert_int_equal(s->nrows, n);
    for (size_t i = 0; i < n; i++)
        assert_float_equal(s->time[i], times[i], 1e-12);
    assert_float_equal(value_at(s, "x", 20), 20, 1e-9);
    /* INITIAL TIME counts at the start only, but is shown as computed */
    assert_float_equal(value_at(s, "INITIAL TIME", 4), 0.2, 0);
    ps_series_free(&s);
}

static void test_final_time_reached_early(void **state)
{
    (void)state;
    ps_series *s = run_text(
        "signal = Time * 2 - 5 ~ ~ |\n"
        "INITIAL TIME = 0 ~ ~ |\n"
        "FINAL TIME = IF THEN ELSE(signal > 50, Time, 100) ~ ~ |\n"
        "TIME STEP = 1 ~ ~ |\n",
        NULL);
    assert_float_equal(s->time[s->nrows - 1], 28, 0);
    ps_series_free(&s);
}

static void test_a_step_that_stops_being_positive_is_an_error(void **state)
{
    (void)state;
    ps_program *p = compile_text("INITIAL TIME = 0 ~ ~ |\n"
                                 "FINAL TIME = 10 ~ ~ |\n"
                                 "TIME STEP = 2 - Time ~ ~ |\n");
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    ps_series *s = NULL;
    ps_error err;
    assert_int_equal(ps_simulate(p, &opts, &s, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "TIME STEP (0) and SAVEPER"));
    /* the row saved before the failure (time 0) is kept */
    assert_int_equal(s->nrows, 1);
    ps_series_free(&s);
    ps_program_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_settings_computed_from_each_other),
        cmocka_unit_test(test_settings_that_change_during_the_run),
        cmocka_unit_test(test_final_time_reached_early),
        cmocka_unit_test(test_a_step_that_stops_being_positive_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
