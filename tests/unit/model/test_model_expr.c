/*
 * Expression trees: constructors, ownership on failure, deep copies and
 * tables.  Run under the Sanitize build to catch leaks and double frees.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/expr.h"

static ps_loc at(int line, int column)
{
    ps_loc loc = {line, column};
    return loc;
}

/* (a + 2) * DELAY N(b, 3) */
static ps_expr *sample_tree(void)
{
    ps_expr *argv[2] = {ps_expr_ref("b", 1, at(1, 20)),
                        ps_expr_number(3, at(1, 23))};
    ps_expr *sum = ps_expr_binary(PS_OP_ADD, ps_expr_ref("a", 1, at(1, 2)),
                                  ps_expr_number(2, at(1, 6)), at(1, 2));
    ps_expr *call = ps_expr_call("DELAY N", 7, argv, 2, at(1, 12));
    return ps_expr_binary(PS_OP_MUL, sum, call, at(1, 1));
}

static void test_ps_expr_ref_keeps_display_name_and_key(void **state)
{
    (void)state;
    ps_expr *e = ps_expr_ref("Teacup  Temperature", 19, at(3, 7));
    assert_non_null(e);
    assert_int_equal(e->kind, PS_EXPR_REF);
    assert_string_equal(e->u.ref.name, "Teacup Temperature");
    assert_string_equal(e->u.ref.key, "teacup_temperature");
    assert_int_equal(e->loc.line, 3);
    assert_int_equal(e->loc.column, 7);
    ps_expr_free(e);
}

static void test_ps_expr_ref_takes_only_len_bytes(void **state)
{
    (void)state;
    ps_expr *e = ps_expr_ref("Room Temperature - x", 16, at(1, 1));
    assert_non_null(e);
    assert_string_equal(e->u.ref.key, "room_temperature");
    ps_expr_free(e);
}

static void test_ps_expr_ref_strips_quotes_of_quoted_names(void **state)
{
    (void)state;
    ps_expr *e = ps_expr_ref("\"$ euro\"", 8, at(1, 1));
    assert_non_null(e);
    assert_string_equal(e->u.ref.name, "$ euro");
    assert_string_equal(e->u.ref.key, "$_euro");
    ps_expr_free(e);
}

static void test_ps_expr_call_keys_multi_word_function_names(void **state)
{
    (void)state;
    ps_expr *argv[3] = {ps_expr_ref("c", 1, at(1, 14)),
                        ps_expr_number(1, at(1, 17)),
                        ps_expr_number(0, at(1, 20))};
    ps_expr *e = ps_expr_call("IF THEN ELSE", 12, argv, 3, at(1, 1));
    assert_non_null(e);
    assert_int_equal(e->kind, PS_EXPR_CALL);
    assert_string_equal(e->u.call.name, "IF THEN ELSE");
    assert_string_equal(e->u.call.key, "if_then_else");
    assert_int_equal(e->u.call.argc, 3);
    /* The node copied the array: the caller's array can go away. */
    assert_ptr_not_equal(e->u.call.argv, argv);
    assert_ptr_equal(e->u.call.argv[0], argv[0]);
    ps_expr_free(e);
}

static void test_ps_expr_call_accepts_no_arguments(void **state)
{
    (void)state;
    ps_expr *e = ps_expr_call("RANDOM 0 1", 10, NULL, 0, at(1, 1));
    assert_non_null(e);
    assert_int_equal(e->u.call.argc, 0);
    assert_null(e->u.call.argv);
    assert_string_equal(e->u.call.key, "random_0_1");
    ps_expr_free(e);
}

static void test_ps_expr_call_frees_arguments_when_one_is_missing(void **state)
{
    (void)state;
    /* A NULL argument (a failed sub-parse) must not leak its siblings; the
       Sanitize build reports a leak here if the constructor forgets. */
    ps_expr *argv[2] = {ps_expr_ref("x", 1, at(1, 1)), NULL};
    assert_null(ps_expr_call("MAX", 3, argv, 2, at(1, 1)));
}

static void test_ps_expr_call_frees_arguments_without_a_name(void **state)
{
    (void)state;
    ps_expr *argv[1] = {ps_expr_number(1, at(1, 1))};
    assert_null(ps_expr_call(NULL, 0, argv, 1, at(1, 1)));
}

static void test_ps_expr_binary_frees_lhs_when_rhs_is_null(void **state)
{
    (void)state;
    assert_null(ps_expr_binary(PS_OP_ADD, ps_expr_number(1, at(1, 1)), NULL,
                               at(1, 1)));
    assert_null(ps_expr_binary(PS_OP_ADD, NULL, ps_expr_number(1, at(1, 1)),
                               at(1, 1)));
}

static void test_ps_expr_unary_and_table_return_null_for_null(void **state)
{
    (void)state;
    assert_null(ps_expr_unary(PS_OP_NEG, NULL, at(1, 1)));
    assert_null(ps_expr_table(NULL, at(1, 1)));
    assert_null(ps_expr_ref(NULL, 0, at(1, 1)));
}

static void test_ps_expr_free_accepts_null(void **state)
{
    (void)state;
    ps_expr_free(NULL);
    ps_table_free(NULL);
}

static void test_ps_expr_clone_copies_every_node(void **state)
{
    (void)state;
    ps_expr *e = sample_tree();
    assert_non_null(e);
    ps_expr *c = ps_expr_clone(e);
    assert_non_null(c);
    assert_ptr_not_equal(c, e);
    assert_int_equal(c->kind, PS_EXPR_BINARY);
    assert_int_equal(c->u.binary.op, PS_OP_MUL);
    const ps_expr *sum = c->u.binary.lhs, *call = c->u.binary.rhs;
    assert_ptr_not_equal(sum, e->u.binary.lhs);
    assert_int_equal(sum->u.binary.op, PS_OP_ADD);
    assert_string_equal(sum->u.binary.lhs->u.ref.key, "a");
    assert_ptr_not_equal(sum->u.binary.lhs->u.ref.key,
                         e->u.binary.lhs->u.binary.lhs->u.ref.key);
    assert_true(sum->u.binary.rhs->u.number == 2);
    assert_string_equal(call->u.call.key, "delay_n");
    assert_string_equal(call->u.call.name, "DELAY N");
    assert_int_equal(call->u.call.argc, 2);
    assert_string_equal(call->u.call.argv[0]->u.ref.name, "b");
    assert_int_equal(call->u.call.argv[1]->loc.column, 23);
    /* Freeing the original leaves the copy intact. */
    ps_expr_free(e);
    assert_string_equal(c->u.binary.rhs->u.call.argv[0]->u.ref.key, "b");
    ps_expr_free(c);
}

static void test_ps_expr_clone_copies_tables(void **state)
{
    (void)state;
    ps_table *t = ps_table_new();
    assert_non_null(t);
    assert_int_equal(ps_table_push(t, 0, 1), 0);
    assert_int_equal(ps_table_push(t, 5, -2), 0);
    t->has_range = 1;
    t->x_max = 10;
    ps_expr *e = ps_expr_table(t, at(2, 3));
    assert_non_null(e);
    ps_expr *c = ps_expr_clone(e);
    ps_expr_free(e);
    assert_non_null(c);
    assert_int_equal(c->kind, PS_EXPR_TABLE);
    assert_int_equal(c->u.table->n, 2);
    assert_true(c->u.table->x[1] == 5 && c->u.table->y[1] == -2);
    assert_int_equal(c->u.table->has_range, 1);
    assert_true(c->u.table->x_max == 10);
    assert_int_equal(c->loc.line, 2);
    ps_expr_free(c);
}

static void test_ps_expr_clone_of_null_is_null(void **state)
{
    (void)state;
    assert_null(ps_expr_clone(NULL));
    assert_null(ps_table_clone(NULL));
}

static void test_ps_expr_free_handles_long_left_chains(void **state)
{
    (void)state;
    /* a + a + ... (left-deep, as a long sum parses): freed without deep
       recursion. */
    ps_expr *e = ps_expr_ref("a", 1, at(1, 1));
    for (int i = 0; i < 200000 && e; i++)
        e = ps_expr_binary(PS_OP_ADD, e, ps_expr_ref("a", 1, at(1, 1)),
                           at(1, 1));
    assert_non_null(e);
    ps_expr_free(e);
}

static void test_ps_table_push_grows_and_keeps_order(void **state)
{
    (void)state;
    ps_table *t = ps_table_new();
    assert_non_null(t);
    assert_int_equal(t->n, 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(ps_table_push(t, i, 2.0 * i), 0);
    assert_int_equal(t->n, 1000);
    for (int i = 0; i < 1000; i++)
        assert_true(t->x[i] == i && t->y[i] == 2.0 * i);
    ps_table *c = ps_table_clone(t);
    ps_table_free(t);
    assert_non_null(c);
    /* A copy can grow too. */
    assert_int_equal(ps_table_push(c, 1000, 0), 0);
    assert_int_equal(c->n, 1001);
    assert_true(c->x[999] == 999);
    ps_table_free(c);
}

static void test_ps_table_push_refuses_null(void **state)
{
    (void)state;
    assert_int_equal(ps_table_push(NULL, 1, 2), -1);
}

static void test_ps_op_text_spells_operators_as_vensim(void **state)
{
    (void)state;
    assert_string_equal(ps_op_text(PS_OP_NEG), "-");
    assert_string_equal(ps_op_text(PS_OP_POS), "+");
    assert_string_equal(ps_op_text(PS_OP_NOT), ":NOT:");
    assert_string_equal(ps_op_text(PS_OP_ADD), "+");
    assert_string_equal(ps_op_text(PS_OP_SUB), "-");
    assert_string_equal(ps_op_text(PS_OP_MUL), "*");
    assert_string_equal(ps_op_text(PS_OP_DIV), "/");
    assert_string_equal(ps_op_text(PS_OP_POW), "^");
    assert_string_equal(ps_op_text(PS_OP_LT), "<");
    assert_string_equal(ps_op_text(PS_OP_LE), "<=");
    assert_string_equal(ps_op_text(PS_OP_GT), ">");
    assert_string_equal(ps_op_text(PS_OP_GE), ">=");
    assert_string_equal(ps_op_text(PS_OP_EQ), "=");
    assert_string_equal(ps_op_text(PS_OP_NE), "<>");
    assert_string_equal(ps_op_text(PS_OP_AND), ":AND:");
    assert_string_equal(ps_op_text(PS_OP_OR), ":OR:");
}

static void test_ps_na_is_vensim_minus_two_to_the_109(void **state)
{
    (void)state;
    assert_true(PS_NA == -ldexp(1.0, 109));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ps_expr_ref_keeps_display_name_and_key),
        cmocka_unit_test(test_ps_expr_ref_takes_only_len_bytes),
        cmocka_unit_test(test_ps_expr_ref_strips_quotes_of_quoted_names),
        cmocka_unit_test(test_ps_expr_call_keys_multi_word_function_names),
        cmocka_unit_test(test_ps_expr_call_accepts_no_arguments),
        cmocka_unit_test(test_ps_expr_call_frees_arguments_when_one_is_missing),
        cmocka_unit_test(test_ps_expr_call_frees_arguments_without_a_name),
        cmocka_unit_test(test_ps_expr_binary_frees_lhs_when_rhs_is_null),
        cmocka_unit_test(test_ps_expr_unary_and_table_return_null_for_null),
        cmocka_unit_test(test_ps_expr_free_accepts_null),
        cmocka_unit_test(test_ps_expr_clone_copies_every_node),
        cmocka_unit_test(test_ps_expr_clone_copies_tables),
        cmocka_unit_test(test_ps_expr_clone_of_null_is_null),
        cmocka_unit_test(test_ps_expr_free_handles_long_left_chains),
        cmocka_unit_test(test_ps_table_push_grows_and_keeps_order),
        cmocka_unit_test(test_ps_table_push_refuses_null),
        cmocka_unit_test(test_ps_op_text_spells_operators_as_vensim),
        cmocka_unit_test(test_ps_na_is_vensim_minus_two_to_the_109),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
