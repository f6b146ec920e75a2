/*
 * Dependency ordering, algebraic loops and constant detection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "model_fixture.h"

static void test_equations_run_in_dependency_order_not_file_order(void **state)
{
    ps_series *s = run_text("d = c * 2 ~ ~ |\n"
                            "c = b + 1 ~ ~ |\n"
                            "b = a * Time ~ ~ |\n"
                            "a = 3 ~ ~ |\n" CONTROL(2, 1),
                            NULL);
    assert_float_equal(value_at(s, "d", 2), (3 * 2 + 1) * 2, 0);
    ps_series_free(&s);
}

static void test_loops_through_stocks_are_not_algebraic(void **state)
{
    ps_series *s = run_text("growth = pop * 0.5 ~ ~ |\n"
                            "pop = INTEG(growth, 1) ~ ~ |\n" CONTROL(3, 1), NULL);
    assert_float_equal(value_at(s, "pop", 3), 1.5 * 1.5 * 1.5, 1e-12);
    ps_series_free(&s);
}

static void test_algebraic_loop_names_every_member(void **state)
{
    ps_error err;
    ps_status st = compile_error("a = b + 1 ~ ~ |\n"
                                 "b = c * 2 ~ ~ |\n"
                                 "c = a - Time ~ ~ |\n"
                                 "d = 5 ~ ~ |\n" CONTROL(2, 1),
                                 &err);
    assert_int_equal(st, PS_ERR_CYCLE);
    assert_string_equal(err.file, "inline.mdl");
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "a -> b -> c -> a"));
    assert_null(strstr(err.message, "d"));
}

static void test_loop_among_initial_values_is_reported(void **state)
{
    ps_error err;
    ps_status st = compile_error("s = INTEG(1, t) ~ ~ |\n"
                                 "t = s * 2 ~ ~ |\n" CONTROL(2, 1),
                                 &err);
    assert_int_equal(st, PS_ERR_CYCLE);
    assert_non_null(strstr(err.message, "initial"));
    assert_non_null(strstr(err.message, "s"));
    assert_non_null(strstr(err.message, "t"));
}

static void test_smooth_breaks_a_loop_like_a_stock(void **state)
{
    ps_series *s = run_text("x = SMOOTHI(x * 0 + Time, 1, 0) ~ ~ |\n" CONTROL(3, 1),
                            NULL);
    assert_float_equal(value_at(s, "x", 0), 0, 0);
    ps_series_free(&s);
}

static void test_classes_of_variables(void **state)
{
    ps_program *p = compile_text("k = 3 ~ 1/Year ~ 增长率 |\n"
                                 "k2 = k * 2 ~ ~ |\n"
                                 "f = s * k ~ ~ |\n"
                                 "s = INTEG(f, 1) ~ person ~ |\n"
                                 "t((0,0),(1,1)) ~ ~ |\n"
                                 "g = t(Time) ~ ~ |\n"
                                 "h = INITIAL(s) ~ ~ |\n" CONTROL(2, 1));
    struct {
        const char *name;
        ps_var_class cls;
    } expect[] = {{"k", PS_CLASS_CONSTANT}, {"k2", PS_CLASS_CONSTANT},
                  {"f", PS_CLASS_AUX},      {"s", PS_CLASS_STOCK},
                  {"t", PS_CLASS_LOOKUP},   {"g", PS_CLASS_AUX},
                  {"h", PS_CLASS_CONSTANT}, {"TIME STEP", PS_CLASS_CONSTANT}};
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        size_t v = ps_program_find(p, expect[i].name);
        assert_int_not_equal(v, (size_t)-1);
        assert_int_equal(ps_program_var_class(p, v), expect[i].cls);
    }
    assert_string_equal(ps_program_var_units(p, ps_program_find(p, "s")),
                        "person");
    assert_string_equal(ps_var_class_name(PS_CLASS_AUX), "flow/auxiliary");
    assert_string_equal(ps_program_var_doc(p, ps_program_find(p, "k")),
                        "增长率");
    assert_null(ps_program_var_doc(p, ps_program_find(p, "k2")));
    assert_int_equal(ps_program_find(p, "no such"), (size_t)-1);
    assert_int_equal(ps_program_find(p, "Time_Step"),
                     ps_program_find(p, "time step"));
    ps_program_free(&p);
    assert_null(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equations_run_in_dependency_order_not_file_order),
        cmocka_unit_test(test_loops_through_stocks_are_not_algebraic),
        cmocka_unit_test(test_algebraic_loop_names_every_member),
        cmocka_unit_test(test_loop_among_initial_values_is_reported),
        cmocka_unit_test(test_smooth_breaks_a_loop_like_a_stock),
        cmocka_unit_test(test_classes_of_variables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
