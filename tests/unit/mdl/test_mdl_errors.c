/*
 * Errors of the .mdl reader: malformed input (PS_ERR_SYNTAX), constructs
 * the engine cannot run yet (PS_ERR_UNSUPPORTED) and duplicate definitions
 * (PS_ERR_SEMANTIC), each at the exact line and column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "mdl_test.h"

/* ---- malformed input ---- */

static void test_unclosed_call_names_the_function_and_its_paren(void **state)
{
    (void)state;
    assert_parse_error("a = 1 ~~|\n"
                       "b = SMOOTH(a,\n"
                       "\t\tDELAY1(a, 3\n"
                       "\t~~|\n",
                       PS_ERR_SYNTAX, 4, 2,
                       "expected ',' or ')' to close the call of DELAY1 "
                       "opened at 3:9, found '~'");
}

static void test_missing_expression_is_reported_where_it_should_be(void **state)
{
    (void)state;
    assert_parse_error("x = ~~|", PS_ERR_SYNTAX, 1, 5,
                       "expected an expression, found '~'");
    assert_parse_error("x = 1 +\n\t~~|", PS_ERR_SYNTAX, 2, 2,
                       "expected an expression");
    assert_parse_error("x = MAX(, 2) ~~|", PS_ERR_SYNTAX, 1, 9,
                       "found ','");
}

static void test_unclosed_parenthesis_says_where_it_opened(void **state)
{
    (void)state;
    assert_parse_error("x = (a + b ~~|", PS_ERR_SYNTAX, 1, 12,
                       "expected ')' to close the parenthesis opened at 1:5");
}

static void test_stray_token_after_an_expression(void **state)
{
    (void)state;
    assert_parse_error("x = a + b) ~~|", PS_ERR_SYNTAX, 1, 10,
                       "expected an operator, '~' or '|', found ')'");
    assert_parse_error("x = a % b ~~|", PS_ERR_SYNTAX, 1, 7, "found '%'");
    assert_parse_error("x = 1, a ~~|", PS_ERR_SYNTAX, 1, 8,
                       "expected a number in the list of values, found 'a'");
    assert_parse_error("x = a, 2 ~~|", PS_ERR_SYNTAX, 1, 6, "found ','");
    assert_parse_error("x = 2 3 ~~|", PS_ERR_SYNTAX, 1, 7, "found '3'");
}

static void test_control_characters_are_named(void **state)
{
    (void)state;
    assert_parse_error("x = 1 \x01 ~~|", PS_ERR_SYNTAX, 1, 7,
                       "the control character U+0001");
}

static void test_missing_bar_at_the_end_of_the_file(void **state)
{
    (void)state;
    assert_parse_error("x = 1 ~ units ~ doc", PS_ERR_SYNTAX, 1, 20,
                       "expected '|' to end the equation of 'x' started at "
                       "1:1, found the end of the file");
    assert_parse_error("y = 2 ~~|\nx = 1", PS_ERR_SYNTAX, 2, 6,
                       "found the end of the file");
}

static void test_missing_bar_before_the_sketch(void **state)
{
    (void)state;
    assert_parse_error("x = 1 ~ kg ~\n\\\\\\---/// Sketch\n10,1,x|12||0\n",
                       PS_ERR_SYNTAX, 2, 1, "found the sketch section");
}

static void test_name_without_an_assignment(void **state)
{
    (void)state;
    assert_parse_error("x + 1 ~~|", PS_ERR_SYNTAX, 1, 3,
                       "expected '=', '==', ':=' or '(' after the variable "
                       "name, found '+'");
    assert_parse_error("5 = x ~~|", PS_ERR_SYNTAX, 1, 1,
                       "expected a variable name, found '5'");
    assert_parse_error("x = 1 ~~|\n__ = 2 ~~|", PS_ERR_SYNTAX, 2, 1,
                       "expected a variable name, found '__'");
}

static void test_chained_comparisons_need_parentheses(void **state)
{
    (void)state;
    assert_parse_error("x = IF THEN ELSE(a < b < c, 1, 0) ~~|", PS_ERR_SYNTAX,
                       1, 24, "comparisons cannot be chained");
}

static void test_unknown_keyword(void **state)
{
    (void)state;
    assert_parse_error("x = a :XOR: b ~~|", PS_ERR_SYNTAX, 1, 7,
                       "unknown keyword :XOR:");
    assert_parse_error("x = a * :NOT: b ~~|", PS_ERR_SYNTAX, 1, 9,
                       "expected an expression, found ':NOT:'");
}

static void test_unclosed_quote_and_comment(void **state)
{
    (void)state;
    assert_parse_error("x = \"abc\n ~~|", PS_ERR_SYNTAX, 1, 5,
                       "quoted name");
    assert_parse_error("x = 1 ~~|\n  {never closed\n", PS_ERR_SYNTAX, 2, 3,
                       "comment");
}

static void test_unclosed_lookup_table(void **state)
{
    (void)state;
    assert_parse_error("t((0,1),(1,2) ~~|", PS_ERR_SYNTAX, 1, 15,
                       "expected ',' or ')' to close the lookup table of 't' "
                       "opened at 1:2, found '~'");
    assert_parse_error("t((0,1),(1 2)) ~~|", PS_ERR_SYNTAX, 1, 12,
                       "expected ',' between x and y in the lookup point "
                       "opened at 1:9, found '2'");
    assert_parse_error("t((0,1),(1,x)) ~~|", PS_ERR_SYNTAX, 1, 12,
                       "expected the y value of a lookup point, found 'x'");
    assert_parse_error("t([(0,0)(1,1)],(0,1),(1,2)) ~~|", PS_ERR_SYNTAX, 1, 9,
                       "'-' between the corners");
    assert_parse_error("t((0,1),) ~~|", PS_ERR_SYNTAX, 1, 9,
                       "expected a lookup point '(x,y)', found ')'");
}

/* Vensim reads a table whose x values go back as its points sorted
   (SDXorg test-models "subscripted_lookups"). */
static void test_lookup_points_are_sorted_by_x(void **state)
{
    (void)state;
    ps_model *m = NULL;
    ps_error err;
    const char *text = "t((0,1),(5,2),(3,0),(3,4)) ~~|\nu(2, 0, 1, 5, 6, 7) ~~|";
    assert_int_equal(ps_mdl_parse(text, strlen(text), "t.mdl", &m, &err),
                     PS_OK);
    const ps_table *t = ps_model_find(m, "t")->table;
    const double tx[] = {0, 3, 3, 5}, ty[] = {1, 0, 4, 2};
    for (size_t i = 0; i < 4; i++) {
        assert_true(t->x[i] == tx[i]);
        assert_true(t->y[i] == ty[i]);
    }
    const ps_table *u = ps_model_find(m, "u")->table;
    const double ux[] = {0, 1, 2}, uy[] = {6, 7, 5};
    for (size_t i = 0; i < 3; i++) {
        assert_true(u->x[i] == ux[i]);
        assert_true(u->y[i] == uy[i]);
    }
    ps_model_free(&m);
}

static void test_lookup_lists_need_pairs_and_two_points(void **state)
{
    (void)state;
    assert_parse_error("t(0, 1, 2) ~~|", PS_ERR_SYNTAX, 1, 10,
                       "lists 3 numbers");
    assert_parse_error("t((0,1)) ~~|", PS_ERR_SYNTAX, 1, 2,
                       "needs at least two points");
    assert_parse_error("y = WITH LOOKUP(Time, 5) ~~|", PS_ERR_SYNTAX, 1, 23,
                       "expected '(' to start the lookup table");
}

static void test_integ_needs_two_arguments_and_the_whole_equation(void **state)
{
    (void)state;
    assert_parse_error("s = INTEG(r) ~~|", PS_ERR_SYNTAX, 1, 5,
                       "INTEG takes 2 arguments (rate, initial value), "
                       "found 1");
    assert_parse_error("s = 1 + INTEG(r, 0) ~~|", PS_ERR_SYNTAX, 1, 9,
                       "INTEG must be the whole right-hand side");
    assert_parse_error("s = INTEG(r, ACTIVE INITIAL(a, 1)) ~~|",
                       PS_ERR_SYNTAX, 1, 14, "ACTIVE INITIAL must be");
    assert_parse_error("s = ACTIVE INITIAL(a, b, c) ~~|", PS_ERR_SYNTAX, 1, 5,
                       "ACTIVE INITIAL takes 2 arguments (value, initial "
                       "value), found 3");
}

static void test_malformed_units_range(void **state)
{
    (void)state;
    assert_parse_error("x = 1 ~ m [0,abc] ~|", PS_ERR_SYNTAX, 1, 14,
                       "expected a number or '?' for the maximum of the "
                       "units range, found 'abc'");
    assert_parse_error("x = 1 ~ m [0] ~|", PS_ERR_SYNTAX, 1, 13,
                       "expected ','");
    assert_parse_error("x = 1 ~ m [0,1,2,3] ~|", PS_ERR_SYNTAX, 1, 17,
                       "unexpected ','");
    assert_parse_error("x = 1\n~ m\n\t[ , 5] ~|", PS_ERR_SYNTAX, 3, 4,
                       "for the minimum");
}

static void test_unclosed_group_marker(void **state)
{
    (void)state;
    assert_parse_error("x = 1 ~~|\n****\n.Control\n****~\n", PS_ERR_SYNTAX, 2,
                       1, "group marker");
}

static void test_nesting_is_bounded(void **state)
{
    (void)state;
    char text[1024] = "x = ";
    for (int i = 0; i < 300; i++)
        strcat(text, "(");
    strcat(text, "1 ~~|");
    assert_parse_error(text, PS_ERR_UNSUPPORTED, 1, 205, "nested");
}

/* ---- constructs refused, never misread ---- */

static void test_malformed_subscripts(void **state)
{
    (void)state;
    assert_parse_error("x[a = 1 ~~|", PS_ERR_SYNTAX, 1, 5,
                       "expected ',' or ']' to close the subscripts opened at "
                       "1:2, found '='");
    assert_parse_error("x[a!] = 1 ~~|", PS_ERR_SYNTAX, 1, 4,
                       "'!' belongs in a vector function's argument");
    assert_parse_error("y = x[] ~~|", PS_ERR_SYNTAX, 1, 7,
                       "expected a subscript (a range or element name), "
                       "found ']'");
    assert_parse_error("x[a] :EXCEPT: b = 1 ~~|", PS_ERR_SYNTAX, 1, 15,
                       "expected '[' to start a list of exceptions");
}

static void test_malformed_ranges(void **state)
{
    (void)state;
    assert_parse_error("x = 1 ~~|\nfruits:\n\t~\t\t|\n", PS_ERR_SYNTAX, 3, 2,
                       "expected an element name, found '~'");
    assert_parse_error("d: (a1-b3) ~~|", PS_ERR_SYNTAX, 1, 4,
                       "a numeric range runs between two names that differ "
                       "only by a rising number");
    assert_parse_error("d: a, b -> ~~|", PS_ERR_SYNTAX, 1, 12,
                       "expected the name of the range mapped to");
    assert_parse_error("a <-> ~~|", PS_ERR_SYNTAX, 1, 7,
                       "expected the name of the equivalent range");
    assert_parse_error("d: a, b ~~|\nd: c ~~|", PS_ERR_SEMANTIC, 2, 1,
                       "'d' is defined twice (first definition at 1:1)");
    assert_parse_error("d: a ~~|\nd = 1 ~~|", PS_ERR_SEMANTIC, 2, 1,
                       "'d' is already a subscript range");
}

static void test_malformed_macros(void **state)
{
    (void)state;
    assert_parse_error("x = 1 ~~|\n:MACRO: EXPRESSION MACRO(input, p)\n"
                       "EXPRESSION MACRO = input * p ~~|\n",
                       PS_ERR_SYNTAX, 2, 1,
                       "macro opened here has no :END OF MACRO:");
    assert_parse_error(":MACRO: M input ~~|\n:END OF MACRO:\n", PS_ERR_SYNTAX,
                       1, 17,
                       "expected '(' to open the macro's parameters, found "
                       "'~'");
    assert_parse_error(":MACRO: M(a; b)\nM = a ~~|\n:END OF MACRO:\n",
                       PS_ERR_SYNTAX, 1, 12,
                       "expected ',' or ')' in the macro's parameters");
    assert_parse_error("x = 1 ~~|\n:END OF MACRO:\n", PS_ERR_SYNTAX, 2, 1,
                       ":END OF MACRO: without a :MACRO: before it");
    assert_parse_error(":MACRO: M(a)\nM = a ~~|\n:END OF MACRO:\n"
                       ":MACRO: M(b)\nM = b ~~|\n:END OF MACRO:\n",
                       PS_ERR_SEMANTIC, 4, 9, "macro 'M' is defined twice");
}

static void test_data_equations_and_variables(void **state)
{
    (void)state;
    assert_parse_error("d :INTERPOLATE: = 1 ~~|", PS_ERR_SYNTAX, 1, 17,
                       "expected ':=', '~' or '|' after the data keyword, "
                       "found '='");
    /* data variables without an equation read a dataset when compiled */
    ps_model *m = NULL;
    ps_error err;
    const char *text = "d :HOLD BACKWARD: ~~|\ndata var\n\t~ units ~|\n"
                       "e := d * 2 ~~|\n";
    assert_int_equal(ps_mdl_parse(text, strlen(text), "t.mdl", &m, &err),
                     PS_OK);
    const ps_var *d = ps_model_find(m, "d");
    assert_true(d->is_data && !d->expr);
    assert_int_equal(d->data_mode, PS_DATA_HOLD_BACKWARD);
    const ps_var *dv = ps_model_find(m, "data var");
    assert_true(dv->is_data && !dv->expr);
    assert_int_equal(dv->data_mode, PS_DATA_INTERPOLATE);
    assert_true(ps_model_find(m, "e")->is_data);
    ps_model_free(&m);
}

static void test_unknown_data_functions_are_refused(void **state)
{
    (void)state;
    assert_parse_error("x = GET DATA AT TIME(y, 1) ~~|", PS_ERR_UNSUPPORTED, 1,
                       5, "GET DATA AT TIME");
    assert_parse_error("x = A FUNCTION OF(y, z) ~~|", PS_ERR_UNSUPPORTED, 1, 5,
                       "unfinished");
    assert_parse_error("x = TABBED ARRAY(1 2 x) ~~|", PS_ERR_SYNTAX, 1, 22,
                       "expected a number in the list of values");
}

/* Reality checks are statements a run does not use: read past, not
   kept; string constants are refused. */
static void test_reality_checks_are_skipped_and_strings_refused(void **state)
{
    (void)state;
    ps_model *m = NULL;
    ps_error err;
    const char *text = "check[d] :THE CONDITION: x > 1 :IMPLIES: y < 2 ~~|\n"
                       "input :TEST INPUT: x = RC_STEP(x, 0) ~~|\n"
                       "x = 1 ~~|\n";
    assert_int_equal(ps_mdl_parse(text, strlen(text), "t.mdl", &m, &err),
                     PS_OK);
    assert_int_equal(m->nvars, 1);
    assert_null(ps_model_find(m, "check"));
    ps_model_free(&m);
    assert_parse_error("check :THE CONDITION: x > 1 ~~", PS_ERR_SYNTAX, 1, 7,
                       "expected '|' to end the reality check");
    assert_parse_error("s :IS: 'abc' ~~|", PS_ERR_UNSUPPORTED, 1, 3,
                       "string constants (:IS:)");
}

/* ---- duplicates ---- */

static void test_duplicates_are_reported_at_the_second_definition(void **state)
{
    (void)state;
    assert_parse_error("Room Temperature = 1 ~~|\n\n  room_TEMPERATURE = 2 ~~|",
                       PS_ERR_SEMANTIC, 3, 3,
                       "'room_TEMPERATURE' is defined twice (first "
                       "definition at 1:1)");
    assert_parse_error("t(0, 1, 2, 3) ~~|\n t = 2 ~~|", PS_ERR_SEMANTIC, 2, 2,
                       "defined twice");
    assert_parse_error("\"x\" = 1 ~~|\nx = INTEG(1, 0) ~~|", PS_ERR_SEMANTIC,
                       2, 1, "defined twice");
}

static void test_parse_refuses_missing_arguments(void **state)
{
    (void)state;
    ps_error err;
    assert_int_equal(ps_mdl_parse("x = 1 ~~|", 9, "m.mdl", NULL, &err),
                     PS_ERR_INTERNAL);
    ps_model *m = (ps_model *)1;
    assert_int_equal(ps_mdl_parse(NULL, 3, "m.mdl", &m, &err),
                     PS_ERR_INTERNAL);
    assert_null(m);
    assert_int_equal(ps_mdl_parse(NULL, 0, "m.mdl", &m, NULL), PS_OK);
    assert_non_null(m);
    assert_int_equal(m->nvars, 0);
    ps_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unclosed_call_names_the_function_and_its_paren),
        cmocka_unit_test(test_missing_expression_is_reported_where_it_should_be),
        cmocka_unit_test(test_unclosed_parenthesis_says_where_it_opened),
        cmocka_unit_test(test_stray_token_after_an_expression),
        cmocka_unit_test(test_control_characters_are_named),
        cmocka_unit_test(test_missing_bar_at_the_end_of_the_file),
        cmocka_unit_test(test_missing_bar_before_the_sketch),
        cmocka_unit_test(test_name_without_an_assignment),
        cmocka_unit_test(test_chained_comparisons_need_parentheses),
        cmocka_unit_test(test_unknown_keyword),
        cmocka_unit_test(test_unclosed_quote_and_comment),
        cmocka_unit_test(test_unclosed_lookup_table),
        cmocka_unit_test(test_lookup_points_are_sorted_by_x),
        cmocka_unit_test(test_lookup_lists_need_pairs_and_two_points),
        cmocka_unit_test(test_integ_needs_two_arguments_and_the_whole_equation),
        cmocka_unit_test(test_malformed_units_range),
        cmocka_unit_test(test_unclosed_group_marker),
        cmocka_unit_test(test_nesting_is_bounded),
        cmocka_unit_test(test_malformed_subscripts),
        cmocka_unit_test(test_malformed_ranges),
        cmocka_unit_test(test_malformed_macros),
        cmocka_unit_test(test_data_equations_and_variables),
        cmocka_unit_test(test_unknown_data_functions_are_refused),
        cmocka_unit_test(test_reality_checks_are_skipped_and_strings_refused),
        cmocka_unit_test(test_duplicates_are_reported_at_the_second_definition),
        cmocka_unit_test(test_parse_refuses_missing_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
