/*
 * The run-time life of an instance: overrides, start-up values, time
 * settings and the detection of values that stop being finite.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model_fixture.h"
#include "plansim/instance.h"

static const char *growth_model =
    "rate = 0.1 ~ 1/Year ~ |\n"
    "start = 100 ~ yuan ~ |\n"
    "double start = start * 2 ~ yuan ~ |\n"
    "gdp = INTEG(gdp * rate, double start) ~ yuan ~ |\n" CONTROL(5, 1);

static void test_override_reaches_everything_computed_from_it(void **state)
{
    ps_program *p = compile_text(growth_model);
    ps_instance *inst = ps_instance_new(p);
    assert_int_equal(ps_instance_override(inst, ps_program_find(p, "start"),
                                          50, NULL),
                     PS_OK);
    assert_int_equal(ps_instance_init(inst, 0, 0, NULL), PS_OK);
    assert_float_equal(ps_instance_value(inst, ps_program_find(p, "double start")),
                       100, 0);
    assert_int_equal(ps_instance_dim(inst), 1);
    assert_float_equal(ps_instance_stocks(inst)[0], 100, 0);
    ps_instance_clear_overrides(inst);
    assert_int_equal(ps_instance_init(inst, 0, 0, NULL), PS_OK);
    assert_float_equal(ps_instance_stocks(inst)[0], 200, 0);
    ps_instance_free(&inst);
    assert_null(inst);
    ps_program_free(&p);
}

/* A start-up reuses the values of the steps that cannot change since the
   last full one: run after run with new override values, new run numbers
   and a failure among them, every value is the one a fresh instance
   computes. */
static const char *reuse_model =
    "a = 2 ~ ~ |\n"
    "b = 3 ~ ~ |\n"
    "fixed = b * 4 + LN(b) ~ ~ |\n"
    "from a = a * fixed + 1 / a ~ ~ |\n"
    "drawn = INITIAL(RANDOM UNIFORM(0, 1, 0) + fixed) ~ ~ |\n"
    "late = INITIAL(STEP(1, 0.5) + from a) ~ ~ |\n"
    "stock = INTEG(from a - stock * (b + fixed) / 100, from a + drawn + "
    "late) ~ ~ |\n"
    "INITIAL TIME = 0 ~ Year ~ |\n"
    "FINAL TIME = horizon ~ Year ~ |\n"
    "horizon = 4 ~ Year ~ |\n"
    "TIME STEP = 0.5 ~ Year ~ |\n"
    "SAVEPER = TIME STEP ~ Year ~ |\n";

/* Initialises inst with a = av and horizon = h as run `run`; its values
   (every variable, then the stocks) in out. */
static ps_status init_with(ps_program *p, ps_instance *inst, double av,
                           double h, uint64_t run, double *out)
{
    assert_int_equal(
        ps_instance_override(inst, ps_program_find(p, "a"), av, NULL), PS_OK);
    assert_int_equal(
        ps_instance_override(inst, ps_program_find(p, "horizon"), h, NULL),
        PS_OK);
    ps_status st = ps_instance_init(inst, 5, run, NULL);
    if (st == PS_OK) {
        ps_instance_values(inst, out);
        memcpy(out + ps_program_var_count(p), ps_instance_stocks(inst),
               ps_instance_dim(inst) * sizeof *out);
    }
    return st;
}

static void test_start_up_reuse_gives_a_fresh_start_up_s_values(void **state)
{
    (void)state;
    ps_program *p = compile_text(reuse_model);
    size_t n = ps_program_var_count(p) + 1;
    double got[64], want[64];
    assert_true(n <= 64);
    ps_instance *reused = ps_instance_new(p);
    const double as[] = {2, 0.5, 0, -3, 7.25, 1e-3};
    for (size_t i = 0; i < sizeof as / sizeof *as; i++) {
        ps_instance *fresh = ps_instance_new(p);
        double h = 4 + (double)i;
        ps_status st = init_with(p, fresh, as[i], h, i, want);
        /* a = 0 divides by zero: the run fails on both */
        assert_int_equal(init_with(p, reused, as[i], h, i, got), st);
        if (st == PS_OK) {
            assert_memory_equal(got, want, n * sizeof *got);
            assert_true(ps_instance_time(reused)->final_time == h);
        }
        ps_instance_free(&fresh);
    }
    ps_instance_free(&reused);
    ps_program_free(&p);
}

static void test_only_constants_can_be_overridden(void **state)
{
    ps_program *p = compile_text(growth_model);
    ps_instance *inst = ps_instance_new(p);
    ps_error err;
    assert_int_equal(ps_instance_override(inst, ps_program_find(p, "gdp"), 1,
                                          &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "gdp"));
    ps_instance_free(&inst);
    ps_program_free(&p);
}

static void test_eval_gives_rates_and_stock_names(void **state)
{
    ps_program *p = compile_text(growth_model);
    ps_instance *inst = ps_instance_new(p);
    assert_int_equal(ps_instance_init(inst, 0, 0, NULL), PS_OK);
    const ps_time_settings *ts = ps_instance_time(inst);
    assert_float_equal(ts->final_time, 5, 0);
    assert_float_equal(ts->saveper, 1, 0);
    double y[1] = {300}, dydt[1];
    ps_instance_begin_step(inst, 0, 0);
    assert_int_equal(ps_instance_eval(inst, 0, y, dydt), 0);
    assert_float_equal(dydt[0], 30, 1e-12);
    assert_string_equal(ps_instance_stock_name(inst, 0), "gdp");
    ps_instance_free(&inst);
    ps_program_free(&p);
}

static void test_non_finite_initial_value_is_named(void **state)
{
    ps_program *p = compile_text("zero = 0 ~ ~ |\n"
                                 "bad = 1 / zero ~ ~ |\n" CONTROL(5, 1));
    ps_instance *inst = ps_instance_new(p);
    ps_error err;
    assert_int_equal(ps_instance_init(inst, 0, 0, &err), PS_ERR_NONFINITE);
    assert_non_null(strstr(err.message, "bad"));
    assert_true(err.has_time);
    ps_instance_free(&inst);
    ps_program_free(&p);
}

static void test_impossible_time_settings_are_refused(void **state)
{
    const char *texts[] = {
        "INITIAL TIME = 0 ~~|\nFINAL TIME = 5 ~~|\nTIME STEP = 0 ~~|\n",
        "INITIAL TIME = 10 ~~|\nFINAL TIME = 5 ~~|\nTIME STEP = 1 ~~|\n",
        "INITIAL TIME = 0 ~~|\nFINAL TIME = 5 ~~|\nTIME STEP = 1 ~~|\n"
        "SAVEPER = -1 ~~|\n",
        "INITIAL TIME = 0 ~~|\nFINAL TIME = 5 ~~|\nTIME STEP = 1e-300 ~~|\n",
        "INITIAL TIME = -1e308 ~~|\nFINAL TIME = 1e308 ~~|\n"
        "TIME STEP = 1 ~~|\n"};
    const char *words[] = {"TIME STEP", "FINAL TIME", "SAVEPER",
                           "would take 5e+300 steps; at most 100000000",
                           "would take inf steps"};
    /* each at the line of the setting that is wrong */
    const int lines[] = {3, 2, 4, 3, 3};
    for (int i = 0; i < 5; i++) {
        ps_program *p = compile_text(texts[i]);
        ps_instance *inst = ps_instance_new(p);
        ps_error err;
        assert_int_equal(ps_instance_init(inst, 0, 0, &err), PS_ERR_DATA);
        assert_non_null(strstr(err.message, words[i]));
        assert_int_equal(err.line, lines[i]);
        ps_instance_free(&inst);
        ps_program_free(&p);
    }
}

static void test_step_count_never_overflows(void **state)
{
    (void)state;
    uint64_t n = 0;
    ps_time_settings ok = {2025, 2030, 0.25, 1};
    assert_int_equal(ps_time_step_count(&ok, &n), 0);
    assert_int_equal(n, 20);
    ps_time_settings limit = {0, 1e8, 1, 1};
    assert_int_equal(ps_time_step_count(&limit, &n), 0);
    assert_int_equal(n, PS_MAX_STEPS);
    const ps_time_settings bad[] = {
        {0, 1e8 + 1, 1, 1}, {0, 1e12, 1e-9, 1},  {0, 5, 1e-300, 1},
        {0, 5, 0, 1},       {0, 5, -1, 1},       {5, 0, 1, 1},
        {0, NAN, 1, 1},     {0, INFINITY, 1, 1}, {-1e308, 1e308, 1, 1},
        {0, 5, NAN, 1},     {0, 5, 4.9e-324, 1}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ps_time_step_count(&bad[i], &n), -1);
        assert_int_equal(n, PS_MAX_STEPS + 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_override_reaches_everything_computed_from_it),
        cmocka_unit_test(test_start_up_reuse_gives_a_fresh_start_up_s_values),
        cmocka_unit_test(test_only_constants_can_be_overridden),
        cmocka_unit_test(test_eval_gives_rates_and_stock_names),
        cmocka_unit_test(test_non_finite_initial_value_is_named),
        cmocka_unit_test(test_impossible_time_settings_are_refused),
        cmocka_unit_test(test_step_count_never_overflows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
