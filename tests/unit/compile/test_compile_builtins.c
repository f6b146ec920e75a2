/*
 * Every stateless builtin, compiled and run inside a model: the wiring from
 * Vensim spelling to the value the run produces.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "model_fixture.h"

/* Runs `eq` as the equation of x over t = 0..4 and returns x at time t. */
static double eval_at(const char *eq, double t)
{
    char text[2048];
    snprintf(text, sizeof text,
             "x = %s ~ ~ |\n"
             "tbl((0,0),(1,10),(2,15),(4,15)) ~ ~ |\n"
             "two = 2 ~ ~ |\n" CONTROL(4, 0.5),
             eq);
    ps_series *s = run_text(text, NULL);
    double v = value_at(s, "x", t);
    ps_series_free(&s);
    return v;
}

#define CHECK(eq, t, expected) assert_float_equal(eval_at(eq, t), expected, 1e-12)

static void test_arithmetic_and_precedence(void **state)
{
    CHECK("1 + 2 * 3", 0, 7);
    CHECK("(1 + 2) * 3", 0, 9);
    CHECK("2 ^ 3 ^ 2", 0, 512); /* right-associative */
    CHECK("10 / 4 - 1", 0, 1.5);
    CHECK("-two + 5", 0, 3);
    CHECK("Time * two", 3, 6);
}

static void test_comparisons_and_logic_are_zero_or_one(void **state)
{
    CHECK("two > 1", 0, 1);
    CHECK("two <= 1", 0, 0);
    CHECK("two = 2", 0, 1);
    CHECK("two <> 2", 0, 0);
    CHECK("(two > 1) :AND: (two < 3)", 0, 1);
    CHECK("(two > 5) :OR: (two < 1)", 0, 0);
    CHECK(":NOT: (two > 5)", 0, 1);
}

static void test_math_functions(void **state)
{
    CHECK("ABS(-3)", 0, 3);
    CHECK("MIN(two, 5)", 0, 2);
    CHECK("MAX(two, 5)", 0, 5);
    CHECK("EXP(1)", 0, exp(1));
    CHECK("LN(10)", 0, log(10));
    CHECK("LOG(8, two)", 0, 3);
    CHECK("SQRT(16)", 0, 4);
    CHECK("SIN(1) + COS(1) + TAN(1)", 0, sin(1) + cos(1) + tan(1));
    CHECK("ARCSIN(0.5) + ARCCOS(0.5) + ARCTAN(1)", 0,
          asin(0.5) + acos(0.5) + atan(1));
    CHECK("INTEGER(-2.7)", 0, -2);
    CHECK("MODULO(7, 3)", 0, 1);
    CHECK("QUANTUM(7.6, 2)", 0, 6);
    CHECK("POWER(two, 10)", 0, 1024);
    CHECK("XIDZ(1, 0, 42)", 0, 42);
    CHECK("ZIDZ(1, 0)", 0, 0);
    CHECK("ZIDZ(1, 4)", 0, 0.25);
    CHECK("GAME(two)", 0, 2);
}

static void test_if_then_else_runs_only_the_chosen_branch(void **state)
{
    CHECK("IF THEN ELSE(Time > 2, 1, 0)", 2, 0);
    CHECK("IF THEN ELSE(Time > 2, 1, 0)", 2.5, 1);
    /* The untaken branch divides by zero: it must not be evaluated. */
    CHECK("IF THEN ELSE(two > 0, 5, 1 / 0)", 0, 5);
    CHECK("IF THEN ELSE(two < 0, 1, IF THEN ELSE(two = 2, 7, 8))", 0, 7);
}

static void test_time_inputs(void **state)
{
    CHECK("STEP(10, 2)", 1.5, 0);
    CHECK("STEP(10, 2)", 2, 10);
    CHECK("RAMP(2, 1, 3)", 0.5, 0);
    CHECK("RAMP(2, 1, 3)", 2, 2);
    CHECK("RAMP(2, 1, 3)", 4, 4);
    CHECK("RAMP(2, 1)", 4, 6);
    CHECK("PULSE(1, 1)", 0.5, 0);
    CHECK("PULSE(1, 1)", 1, 1);
    CHECK("PULSE(1, 1)", 2, 0);
    CHECK("PULSE TRAIN(0, 0.5, 2, 4)", 2, 1);
    CHECK("PULSE TRAIN(0, 0.5, 2, 4)", 2.5, 0);
    /* the model's clock: now plus an offset, or INITIAL TIME (0) plus it */
    CHECK("GET TIME VALUE(0, 3, 0)", 2, 5);
    CHECK("GET TIME VALUE(1, 3, 0)", 2, 3);
    CHECK("GET TIME VALUE(0, -two, 0)", 4, 2);
}

static void test_lookups_and_with_lookup(void **state)
{
    CHECK("tbl(0.5)", 0, 5);
    CHECK("tbl(3)", 0, 15);
    CHECK("tbl(-1)", 0, 0);  /* held at the first point */
    CHECK("tbl(9)", 0, 15);  /* held at the last point  */
    CHECK("LOOKUP EXTRAPOLATE(tbl, 9)", 0, 15);
    CHECK("LOOKUP EXTRAPOLATE(tbl, -1)", 0, -10);
    CHECK("LOOKUP FORWARD(tbl, 0.5)", 0, 10);
    CHECK("LOOKUP BACKWARD(tbl, 0.5)", 0, 0);
    CHECK("LOOKUP INVERT(tbl, 5)", 0, 0.5);
    CHECK("WITH LOOKUP(Time, ((0,1),(4,9)))", 2, 5);
}

static void test_random_uniform_stays_in_range_and_is_reproducible(void **state)
{
    const char *text = "r = RANDOM UNIFORM(2, 3, 7) ~ ~ |\n" CONTROL(100, 1);
    ps_series *a = run_text(text, NULL);
    ps_series *b = run_text(text, NULL);
    size_t col = ps_series_find(a, "r");
    double first = ps_series_get(a, 0, col);
    int varies = 0;
    for (size_t i = 0; i < a->nrows; i++) {
        double v = ps_series_get(a, i, col);
        assert_true(v >= 2 && v <= 3);
        assert_true(v == ps_series_get(b, i, col));
        varies |= v != first;
    }
    assert_true(varies); /* a new draw every step */
    ps_series_free(&a);
    ps_series_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic_and_precedence),
        cmocka_unit_test(test_comparisons_and_logic_are_zero_or_one),
        cmocka_unit_test(test_math_functions),
        cmocka_unit_test(test_if_then_else_runs_only_the_chosen_branch),
        cmocka_unit_test(test_time_inputs),
        cmocka_unit_test(test_lookups_and_with_lookup),
        cmocka_unit_test(test_random_uniform_stays_in_range_and_is_reproducible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
