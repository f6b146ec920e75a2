/*
 * Expressions of the .mdl reader: precedence and associativity (as tree
 * shapes and as values Vensim computes), calls, :NA:, WITH LOOKUP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "mdl_test.h"

/* The text of the tree of "x = <rhs> ~~|". */
static void assert_shape(const char *rhs, const char *want)
{
    char text[512], got[1024] = "";
    snprintf(text, sizeof text, "x = %s ~~|", rhs);
    ps_model *m = parse_ok(text);
    assert_int_equal(m->nvars, 1);
    expr_text(m->vars[0].expr, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("'%s' parsed as %s, expected %s", rhs, got, want);
    ps_model_free(&m);
}

/* The value of "x = <rhs> ~~|" (numbers only). */
static double value_of(const char *rhs)
{
    char text[512];
    snprintf(text, sizeof text, "x = %s ~~|", rhs);
    ps_model *m = parse_ok(text);
    double v = eval(m->vars[0].expr);
    ps_model_free(&m);
    return v;
}

static void test_minus_binds_looser_than_power(void **state)
{
    (void)state;
    /* Vensim's output for the "exponentiation" test model: -2^2 = -4. */
    assert_shape("-2^2", "(-(2^2))");
    assert_true(value_of("-2^2") == -4);
    assert_shape("-Time^cons2", "(-(time^cons2))");
    assert_shape("(-Time)^2", "((-time)^2)");
    assert_shape("+x^2", "(+(x^2))");
}

static void test_power_is_right_associative(void **state)
{
    (void)state;
    /* "arithmetics": cons4^cons3^cons2 = 262144 = 4^9. */
    assert_shape("a^b^c", "(a^(b^c))");
    assert_true(value_of("4^3^2") == 262144);
    assert_true(value_of("(4^3)^2") == 4096);
}

static void test_power_exponent_may_carry_a_sign(void **state)
{
    (void)state;
    /* "arithmetics": cons2^-cons2^-cons3 = 0.917004 = 2^(-(2^(-3))). */
    assert_shape("a^-b^-c", "(a^(-(b^(-c))))");
    assert_true(fabs(value_of("2^-2^-3") - 0.917004) < 1e-6);
    assert_true(value_of("2^-2") == 0.25);
}

static void test_products_bind_tighter_than_sums(void **state)
{
    (void)state;
    assert_shape("a+b*c", "(a+(b*c))");
    assert_shape("a*b+c", "((a*b)+c)");
    assert_shape("a-b-c", "((a-b)-c)");
    assert_shape("a/b/c", "((a/b)/c)");
    assert_shape("a/b*c", "((a/b)*c)");
    assert_shape("x^2*y", "((x^2)*y)");
    assert_true(value_of("10-4-3") == 3);
    assert_true(value_of("2*3+4*5") == 26);
    assert_true(value_of("12/3/2") == 2);
}

static void test_unary_minus_binds_tighter_than_products(void **state)
{
    (void)state;
    assert_shape("-a*b", "((-a)*b)");
    assert_shape("-a+b", "((-a)+b)");
    assert_shape("a*-b", "(a*(-b))");
    assert_shape("a - -b", "(a-(-b))");
    assert_shape("--a", "(-(-a))");
}

static void test_comparisons_bind_looser_than_arithmetic(void **state)
{
    (void)state;
    assert_shape("a+b<c*d", "((a+b)<(c*d))");
    assert_shape("a<=b", "(a<=b)");
    assert_shape("a>=b", "(a>=b)");
    assert_shape("a>b", "(a>b)");
    assert_shape("a=b", "(a=b)");
    assert_shape("a<>b", "(a<>b)");
    assert_true(value_of("1+1 = 2") == 1);
}

static void test_logic_operators_nest_or_and_not(void **state)
{
    (void)state;
    assert_shape("a :OR: b :AND: c", "(a:OR:(b:AND:c))");
    assert_shape("a :AND: b :OR: c", "((a:AND:b):OR:c)");
    assert_shape("a<b :AND: c>0", "((a<b):AND:(c>0))");
    assert_shape(":NOT: a :AND: b", "((:NOT:a):AND:b)");
    assert_shape(":NOT: a > b", "(:NOT:(a>b))");
    assert_shape(":not: :NOT: a", "(:NOT:(:NOT:a))");
    assert_true(value_of(":NOT: 1 > 2 :AND: 3 = 3") == 1);
}

static void test_parentheses_override_precedence(void **state)
{
    (void)state;
    assert_shape("(a+b)*c", "((a+b)*c)");
    assert_shape("((((a))))", "a");
    assert_true(value_of("(2+3)*(4-1)") == 15);
}

static void test_calls_take_any_number_of_arguments(void **state)
{
    (void)state;
    assert_shape("RANDOM 0 1()", "random_0_1()");
    assert_shape("ABS(x)", "abs(x)");
    assert_shape("IF THEN ELSE(Time > 5, 1, 0)",
                 "if_then_else((time>5),1,0)");
    assert_shape("DELAY N(input, delay time, init, order)",
                 "delay_n(input,delay_time,init,order)");
    assert_shape("if then else ( a , MAX(b, c), -d )",
                 "if_then_else(a,max(b,c),(-d))");
    assert_shape("lookup table(Time)", "lookup_table(time)");
}

static void test_function_names_ignore_case_and_underscores(void **state)
{
    (void)state;
    assert_shape("Delay_N(a, b, c, d)", "delay_n(a,b,c,d)");
    assert_shape("IF_THEN_ELSE(a, b, c)", "if_then_else(a,b,c)");
}

static void test_numbers_in_every_form(void **state)
{
    (void)state;
    assert_true(value_of("1e-3") == 1e-3);
    assert_true(value_of(".5") == 0.5);
    assert_true(value_of("5.") == 5);
    assert_true(value_of("2.5E+2") == 250);
}

static void test_na_is_vensims_large_negative_number(void **state)
{
    (void)state;
    ps_model *m = parse_ok("x = :NA: ~~|");
    assert_int_equal(m->vars[0].expr->kind, PS_EXPR_NUMBER);
    assert_true(m->vars[0].expr->u.number == PS_NA);
    ps_model_free(&m);
}

static void test_nodes_record_where_they_start(void **state)
{
    (void)state;
    /*                        1234567890123456789 */
    ps_model *m = parse_ok("x = a + MAX(b, -2)\n ~~|");
    const ps_expr *sum = m->vars[0].expr;
    assert_int_equal(sum->loc.column, 5);
    assert_int_equal(sum->u.binary.lhs->loc.column, 5);
    const ps_expr *call = sum->u.binary.rhs;
    assert_int_equal(call->loc.column, 9);
    assert_int_equal(call->u.call.argv[0]->loc.column, 13);
    assert_int_equal(call->u.call.argv[1]->loc.column, 16);
    assert_int_equal(call->u.call.argv[1]->u.unary.arg->loc.column, 17);
    ps_model_free(&m);
}

static void test_with_lookup_takes_a_table_argument(void **state)
{
    (void)state;
    ps_model *m = parse_ok(
        "y = WITH LOOKUP (Time, ([(0,-1)-(100,1)],(0,-1),(50,0.5),(100,1) ))"
        " ~~|");
    const ps_expr *e = m->vars[0].expr;
    assert_int_equal(e->kind, PS_EXPR_CALL);
    assert_string_equal(e->u.call.key, "with_lookup");
    assert_int_equal(e->u.call.argc, 2);
    assert_string_equal(e->u.call.argv[0]->u.ref.key, "time");
    const ps_expr *te = e->u.call.argv[1];
    assert_int_equal(te->kind, PS_EXPR_TABLE);
    assert_int_equal(te->loc.column, 24);
    const ps_table *t = te->u.table;
    assert_int_equal(t->n, 3);
    assert_int_equal(t->has_range, 1);
    assert_true(t->x_min == 0 && t->y_min == -1);
    assert_true(t->x_max == 100 && t->y_max == 1);
    assert_true(t->x[1] == 50 && t->y[1] == 0.5);
    assert_true(t->y[0] == -1);
    ps_model_free(&m);
}

static void test_with_lookup_reads_signed_points_with_spaces(void **state)
{
    (void)state;
    /* As in the "lookups_inline_spaces" test model. */
    ps_model *m = parse_ok("y = WITH LOOKUP (\n\tTime,\n\t\t((0,- 1) , "
                           "(  8.75764,-0.630332) , (+ 19.7556,-  0.0710901),"
                           "(33.6049,+ 0.001),(49.0835\\\n\t\t,- 0.118483)))"
                           " ~~|");
    const ps_table *t = m->vars[0].expr->u.call.argv[1]->u.table;
    assert_int_equal(t->n, 5);
    assert_int_equal(t->has_range, 0);
    assert_true(t->y[0] == -1);
    assert_true(t->x[2] == 19.7556 && t->y[2] == -0.0710901);
    assert_true(t->y[3] == 0.001);
    assert_true(t->x[4] == 49.0835 && t->y[4] == -0.118483);
    ps_model_free(&m);
}

static void test_long_sums_parse(void **state)
{
    (void)state;
    /* a sum of 1000 terms is a left-deep tree of height 1000. */
    size_t cap = 8 * 1000 + 32;
    char *text = malloc(cap);
    strcpy(text, "x = 1");
    for (int i = 1; i < 1000; i++)
        strcat(text, " + 1");
    strcat(text, " ~~|");
    ps_model *m = parse_ok(text);
    assert_true(eval(m->vars[0].expr) == 1000);
    ps_model_free(&m);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minus_binds_looser_than_power),
        cmocka_unit_test(test_power_is_right_associative),
        cmocka_unit_test(test_power_exponent_may_carry_a_sign),
        cmocka_unit_test(test_products_bind_tighter_than_sums),
        cmocka_unit_test(test_unary_minus_binds_tighter_than_products),
        cmocka_unit_test(test_comparisons_bind_looser_than_arithmetic),
        cmocka_unit_test(test_logic_operators_nest_or_and_not),
        cmocka_unit_test(test_parentheses_override_precedence),
        cmocka_unit_test(test_calls_take_any_number_of_arguments),
        cmocka_unit_test(test_function_names_ignore_case_and_underscores),
        cmocka_unit_test(test_numbers_in_every_form),
        cmocka_unit_test(test_na_is_vensims_large_negative_number),
        cmocka_unit_test(test_nodes_record_where_they_start),
        cmocka_unit_test(test_with_lookup_takes_a_table_argument),
        cmocka_unit_test(test_with_lookup_reads_signed_points_with_spaces),
        cmocka_unit_test(test_long_sums_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
