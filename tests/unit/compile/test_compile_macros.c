/*
 * Macros: each call has its own copy of the macro's variables and stocks,
 * macros call macros, a macro may be defined after its use, and a call
 * inside an array equation gets one copy per element.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "model_fixture.h"

#define ACCUM                                                                \
    ":MACRO: ACCUM(input, start)\n"                                          \
    "ACCUM = INTEG(input, start) ~~|\n"                                      \
    ":END OF MACRO:\n"

static void test_each_call_has_its_own_stock(void **state)
{
    (void)state;
    ps_series *s = run_text(ACCUM "a = ACCUM(1, 0) ~ ~ |\n"
                                  "b = ACCUM(rate, 10) ~ ~ |\n"
                                  "rate = 2 ~ ~ |\n" CONTROL(2, 1),
                            NULL);
    assert_float_equal(value_at(s, "a", 2), 2, 0);
    assert_float_equal(value_at(s, "b", 2), 14, 0);
    ps_series_free(&s);
}

static void test_macros_calling_macros_defined_after_use(void **state)
{
    (void)state;
    ps_series *s = run_text("y = QUAD(x) ~ ~ |\nx = 3 ~ ~ |\n"
                            ":MACRO: QUAD(v)\n"
                            "QUAD = DOUBLE(DOUBLE(v)) ~~|\n"
                            ":END OF MACRO:\n"
                            ":MACRO: DOUBLE(v)\n"
                            "DOUBLE = two * v ~~|\n"
                            "two = 2 ~~|\n"
                            ":END OF MACRO:\n" CONTROL(1, 1),
                            NULL);
    assert_float_equal(value_at(s, "y", 0), 12, 0);
    ps_series_free(&s);
}

static void test_macro_in_an_array_equation(void **state)
{
    (void)state;
    ps_series *s = run_text(ACCUM "d: d1, d2 ~ ~ |\n"
                                  "rate[d] = 1, 3 ~ ~ |\n"
                                  "total[d] = ACCUM(rate[d], 0) ~ ~ |\n"
                                  CONTROL(2, 1),
                            NULL);
    assert_float_equal(value_at(s, "total[d1]", 2), 2, 0);
    assert_float_equal(value_at(s, "total[d2]", 2), 6, 0);
    ps_series_free(&s);
}

static void test_macro_errors(void **state)
{
    (void)state;
    ps_error err;
    assert_int_equal(compile_error(ACCUM "a = ACCUM(1) ~ ~ |\n" CONTROL(1, 1),
                                   &err),
                     PS_ERR_SEMANTIC);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.message, "takes 2 arguments, not 1"));
    assert_int_equal(compile_error(":MACRO: LOOP(v)\nLOOP = LOOP(v) ~~|\n"
                                   ":END OF MACRO:\na = LOOP(1) ~ ~ |\n"
                                   CONTROL(1, 1),
                                   &err),
                     PS_ERR_SEMANTIC);
    assert_non_null(strstr(err.message, "macro LOOP calls itself"));
    assert_int_equal(compile_error(":MACRO: M(v)\nother = v ~~|\n"
                                   ":END OF MACRO:\na = M(1) ~ ~ |\n"
                                   CONTROL(1, 1),
                                   &err),
                     PS_ERR_SEMANTIC);
    assert_non_null(strstr(err.message, "never defines 'M'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_call_has_its_own_stock),
        cmocka_unit_test(test_macros_calling_macros_defined_after_use),
        cmocka_unit_test(test_macro_in_an_array_equation),
        cmocka_unit_test(test_macro_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
