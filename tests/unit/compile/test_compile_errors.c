/*
 * Compile errors name the file, line and column of the fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "model_fixture.h"

static void expect_error(const char *text, ps_status status, int line,
                         int column, const char *words)
{
    ps_error err;
    ps_status st = compile_error(text, &err);
    assert_int_equal(st, status);
    assert_string_equal(err.file, "inline.mdl");
    assert_int_equal(err.line, line);
    if (column)
        assert_int_equal(err.column, column);
    if (!strstr(err.message, words))
        fail_msg("message '%s' lacks '%s'", err.message, words);
}

static void test_unknown_variable_is_located(void **state)
{
    expect_error("a = 1 ~ ~ |\nb = a + missing thing ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 2, 9, "missing thing");
}

static void test_unknown_function_is_located(void **state)
{
    expect_error("a = FROB(1) ~ ~ |\n" CONTROL(1, 1), PS_ERR_SEMANTIC, 1, 5,
                 "FROB");
}

static void test_wrong_argument_count_is_located(void **state)
{
    expect_error("a = 1 ~ ~ |\nb = MAX(a) ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 2, 5, "MAX takes 2 arguments, not 1");
    expect_error("b = SMOOTH(1, 2, 3, 4) ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 1, 5, "SMOOTH");
}

static void test_unsupported_function_is_refused(void **state)
{
    expect_error("a = 1 ~ ~ |\nb = DELAY MATERIAL(a, 1, 0, 0) ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_UNSUPPORTED, 2, 5, "DELAY MATERIAL");
}

static void test_calendar_time_values_are_refused_where_written(void **state)
{
    expect_error("b = GET TIME VALUE(0, 1, 3) ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_UNSUPPORTED, 1, 26, "measure 3");
    expect_error("b = GET TIME VALUE(2, 0, 0) ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_UNSUPPORTED, 1, 20, "relative to 2");
}

static void test_lookup_used_as_value_is_refused(void **state)
{
    expect_error("t((0,0),(1,1)) ~ ~ |\nb = t + 1 ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 2, 5, "without an argument");
}

static void test_variable_called_like_a_function_is_refused(void **state)
{
    expect_error("a = 1 ~ ~ |\nb = a(2) ~ ~ |\n" CONTROL(1, 1), PS_ERR_SEMANTIC,
                 2, 5, "not a function");
}

static void test_missing_control_variables_are_reported(void **state)
{
    expect_error("a = 1 ~ ~ |\nINITIAL TIME = 0 ~ ~ |\nTIME STEP = 1 ~ ~ |\n",
                 PS_ERR_SEMANTIC, 0, 0, "FINAL TIME");
}

static void test_subscripted_time_settings_are_refused(void **state)
{
    expect_error("d: a, b ~ ~ |\nINITIAL TIME = 0 ~ ~ |\n"
                 "FINAL TIME[d] = 10 ~ ~ |\nTIME STEP = 1 ~ ~ |\n",
                 PS_ERR_SEMANTIC, 3, 1,
                 "FINAL TIME must be a scalar auxiliary");
}

static void test_delay_order_unknown_at_start_is_refused(void **state)
{
    expect_error("s = INTEG(1, 1) ~ ~ |\n"
                 "x = DELAY N(1, 2, 0, RANDOM UNIFORM(1, 3, 0)) ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 2, 22, "known at the start");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_variable_is_located),
        cmocka_unit_test(test_unknown_function_is_located),
        cmocka_unit_test(test_wrong_argument_count_is_located),
        cmocka_unit_test(test_unsupported_function_is_refused),
        cmocka_unit_test(test_calendar_time_values_are_refused_where_written),
        cmocka_unit_test(test_lookup_used_as_value_is_refused),
        cmocka_unit_test(test_variable_called_like_a_function_is_refused),
        cmocka_unit_test(test_missing_control_variables_are_reported),
        cmocka_unit_test(test_subscripted_time_settings_are_refused),
        cmocka_unit_test(test_delay_order_unknown_at_start_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
