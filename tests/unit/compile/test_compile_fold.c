/*
 * Constant folding and run constants: what cannot change during a run is
 * computed once (literal subexpressions when the model is compiled, those
 * reading constants at the end of start-up), with the values unfolded code
 * would give, overrides seen, and a value that is not finite still
 * reported at the step equation that uses it.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "compile_impl.h"
#include "model_fixture.h"
#include "plansim/instance.h"

/* How many instructions of block b have opcode op. */
static size_t count_op(const code_block *b, opcode op)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += b->code[i].op == (int32_t)op;
    return n;
}

static void test_literal_subexpressions_are_folded(void **state)
{
    (void)state;
    ps_program *p =
        compile_text("y = Time * (2 / 3 + EXP(0.5)) ~ ~ |\n" CONTROL(2, 1));
    assert_int_equal(count_op(&p->step_code, OP_DIV), 0);
    assert_int_equal(count_op(&p->step_code, OP_EXP), 0);
    assert_int_equal(count_op(&p->step_code, OP_MUL), 1);
    ps_program_free(&p);
    ps_series *s =
        run_text("y = Time * (2 / 3 + EXP(0.5)) ~ ~ |\n" CONTROL(2, 1), NULL);
    volatile double two = 2, three = 3, half = 0.5; /* computed at run time */
    double want = 2 * (two / three + exp(half));
    double got = value_at(s, "y", 2);
    assert_memory_equal(&got, &want, sizeof got);
    ps_series_free(&s);
}

static const char *run_constant_model = "a = 3 ~ ~ |\n"
                                        "b = 7 ~ ~ |\n"
                                        "y = Time * (a / b + LN(a)) ~ ~ |\n"
                                        "s = INTEG(y, 0) ~ ~ |\n" CONTROL(4, 1);

static void test_run_constants_are_computed_once(void **state)
{
    (void)state;
    ps_program *p = compile_text(run_constant_model);
    /* the step multiplies Time by one value read from a slot */
    assert_int_equal(count_op(&p->step_code, OP_DIV), 0);
    assert_int_equal(count_op(&p->step_code, OP_LN), 0);
    /* once for y's initial value, once for the step's run constant */
    assert_int_equal(count_op(&p->init_code, OP_LN), 2);
    ps_instance *inst = ps_instance_new(p);
    assert_int_equal(
        ps_instance_override(inst, ps_program_find(p, "a"), 5, NULL), PS_OK);
    assert_int_equal(ps_instance_init(inst, 0, 0, NULL), PS_OK);
    ps_instance_begin_step(inst, 0, 2);
    assert_int_equal(ps_instance_eval(inst, 2, NULL, NULL), 0);
    volatile double five = 5, seven = 7; /* computed at run time */
    double want = 2 * (five / seven + log(five));
    double got = ps_instance_value(inst, ps_program_find(p, "y"));
    assert_memory_equal(&got, &want, sizeof got);
    ps_instance_free(&inst);
    ps_program_free(&p);
}

static void
test_not_finite_run_constant_is_reported_at_its_equation(void **state)
{
    (void)state;
    /* LN(a) is -inf, computed at start-up where y does not use it */
    ps_program *p = compile_text(
        "a = 0 ~ ~ |\n"
        "y = IF THEN ELSE(Time > 0, LN(a), 1) ~ ~ |\n" CONTROL(4, 1));
    assert_int_equal(count_op(&p->step_code, OP_LN), 0);
    ps_instance *inst = ps_instance_new(p);
    assert_int_equal(ps_instance_init(inst, 0, 0, NULL), PS_OK);
    ps_instance_begin_step(inst, 0, 1);
    assert_int_equal(ps_instance_eval(inst, 1, NULL, NULL), -1);
    assert_string_equal(ps_instance_bad_var(inst), "y");
    ps_instance_free(&inst);
    ps_program_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_subexpressions_are_folded),
        cmocka_unit_test(test_run_constants_are_computed_once),
        cmocka_unit_test(
            test_not_finite_run_constant_is_reported_at_its_equation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
