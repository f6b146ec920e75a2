/*
 * Equations of the .mdl reader: variable kinds, names, units and ranges,
 * documentation, lookups, groups, line ends and the sketch marker.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "mdl_test.h"

static const char *teacup =
    "{UTF-8}\n"
    "Characteristic Time=\n"
    "\t10\n"
    "\t~\tMinutes [0,?]\n"
    "\t~\tHow long will it take the teacup to cool 1/e of the way to \\\n"
    "\t\tequilibrium?\n"
    "\t|\n"
    "\n"
    "Heat Loss to Room=\n"
    "\t(Teacup Temperature - Room Temperature) / Characteristic Time\n"
    "\t~\tDegrees Fahrenheit/Minute\n"
    "\t~\tThis is the rate at which heat flows from the cup into the room.\n"
    "\t|\n"
    "\n"
    "Room Temperature=\n"
    "\t70\n"
    "\t~\tDegrees Fahrenheit [-459.67,?]\n"
    "\t~\tPut in a check.\n"
    "\t|\n"
    "\n"
    "Teacup Temperature= INTEG (\n"
    "\t-Heat Loss to Room,\n"
    "\t\t180)\n"
    "\t~\tDegrees Fahrenheit [32,212]\n"
    "\t~\tThe model is only valid for the liquid phase of tea.\n"
    "\t\tOf course, this refers to standard sea-level conditions...\n"
    "\t|\n"
    "\n"
    "********************************************************\n"
    "\t.Control\n"
    "********************************************************~\n"
    "\t\tSimulation Control Parameters\n"
    "\t|\n"
    "\n"
    "FINAL TIME  = 30\n"
    "\t~\tMinute\n"
    "\t~\tThe final time for the simulation.\n"
    "\t|\n"
    "\n"
    "INITIAL TIME  = 0\n"
    "\t~\tMinute\n"
    "\t~\tThe initial time for the simulation.\n"
    "\t|\n"
    "\n"
    "SAVEPER  = \n"
    "        TIME STEP\n"
    "\t~\tMinute [0,?]\n"
    "\t~\tThe frequency with which output is stored.\n"
    "\t|\n"
    "\n"
    "TIME STEP  = 0.125\n"
    "\t~\tMinute [0,?]\n"
    "\t~\tThe time step for the simulation.\n"
    "\t|\n"
    "\n"
    "\\\\\\---/// Sketch information - do not modify anything except names\n"
    "V300  Do not put anything below this section - it will be ignored\n"
    "*View 1\n"
    "$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1\n"
    "10,1,Teacup Temperature,307,224,40,20,3,3,0,0,0,0,0,0\n";

/* `text` with every "\n" replaced by `eol`; the caller frees it. */
static char *with_line_ends(const char *text, const char *eol)
{
    size_t n = 0;
    for (const char *s = text; *s; s++)
        n += *s == '\n' ? strlen(eol) : 1;
    char *out = malloc(n + 1), *o = out;
    for (const char *s = text; *s; s++) {
        if (*s == '\n') {
            memcpy(o, eol, strlen(eol));
            o += strlen(eol);
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

static void assert_teacup(const ps_model *m)
{
    assert_string_equal(m->path, "test.mdl");
    assert_int_equal(m->nvars, 8);
    const char *names[] = {"Characteristic Time", "Heat Loss to Room",
                           "Room Temperature",    "Teacup Temperature",
                           "FINAL TIME",          "INITIAL TIME",
                           "SAVEPER",             "TIME STEP"};
    const int lines[] = {2, 9, 15, 21, 35, 40, 45, 51};
    for (int i = 0; i < 8; i++) {
        assert_string_equal(m->vars[i].name, names[i]);
        assert_int_equal(m->vars[i].loc.line, lines[i]);
        assert_int_equal(m->vars[i].loc.column, 1);
    }
    const ps_var *tt = ps_model_find(m, "teacup temperature");
    assert_non_null(tt);
    assert_int_equal(tt->kind, PS_VAR_STOCK);
    char got[256] = "";
    expr_text(tt->expr, got, sizeof got);
    assert_string_equal(got, "(-heat_loss_to_room)");
    assert_true(tt->init->u.number == 180);
    assert_int_equal(tt->init->loc.line, 23);
    assert_int_equal(tt->init->loc.column, 3);
    assert_string_equal(tt->units, "Degrees Fahrenheit");
    assert_int_equal(tt->units_loc.line, 24);
    assert_int_equal(tt->units_loc.column, 4);
    assert_int_equal(tt->has_range, 1);
    assert_true(tt->range_min == 32 && tt->range_max == 212);
    assert_string_equal(tt->doc,
                        "The model is only valid for the liquid phase of tea."
                        "\nOf course, this refers to standard sea-level "
                        "conditions...");
    const ps_var *ct = &m->vars[0];
    assert_int_equal(ct->kind, PS_VAR_AUX);
    assert_string_equal(ct->units, "Minutes");
    assert_true(ct->range_min == 0 && isinf(ct->range_max) &&
                ct->range_max > 0);
    assert_string_equal(ct->doc, "How long will it take the teacup to cool "
                                 "1/e of the way to equilibrium?");
    got[0] = '\0';
    expr_text(m->vars[1].expr, got, sizeof got);
    assert_string_equal(
        got, "((teacup_temperature-room_temperature)/characteristic_time)");
    assert_int_equal(m->vars[1].has_range, 0);
    assert_true(isinf(m->vars[1].range_min) && m->vars[1].range_min < 0);
    const ps_var *saveper = ps_model_find(m, "SAVEPER");
    assert_string_equal(saveper->expr->u.ref.key, "time_step");
    assert_int_equal(saveper->expr->loc.line, 46);
    assert_int_equal(saveper->expr->loc.column, 9);
}

static void test_parse_reads_the_teacup_model(void **state)
{
    (void)state;
    ps_model *m = parse_ok(teacup);
    assert_teacup(m);
    ps_model_free(&m);
}

static void test_parse_reads_crlf_and_cr_line_ends_alike(void **state)
{
    (void)state;
    const char *eols[] = {"\r\n", "\r"};
    for (int i = 0; i < 2; i++) {
        char *text = with_line_ends(teacup, eols[i]);
        ps_model *m = parse_ok(text);
        assert_teacup(m);
        ps_model_free(&m);
        free(text);
    }
}

static void test_parse_reads_chinese_names_units_and_docs(void **state)
{
    (void)state;
    ps_model *m = parse_ok("地区生产总值 = 431.1 ~ 亿元 ~ GDP |\n"
                           "地区生产总值 增速 = 地区生产总值 * 0.06 ~ 亿元/年 ~~|");
    assert_int_equal(m->nvars, 2);
    const ps_var *gdp = &m->vars[0];
    assert_string_equal(gdp->name, "地区生产总值");
    assert_string_equal(gdp->key, "地区生产总值");
    assert_true(gdp->expr->u.number == 431.1);
    assert_string_equal(gdp->units, "亿元");
    assert_int_equal(gdp->units_loc.column, 18);
    assert_string_equal(gdp->doc, "GDP");
    const ps_var *growth = ps_model_find(m, "地区生产总值_增速");
    assert_non_null(growth);
    assert_string_equal(growth->name, "地区生产总值 增速");
    assert_string_equal(growth->expr->u.binary.lhs->u.ref.key,
                        "地区生产总值");
    assert_int_equal(growth->expr->loc.column, 13);
    assert_string_equal(growth->units, "亿元/年");
    assert_null(growth->doc);
    ps_model_free(&m);
}

static void test_parse_reads_quoted_names(void **state)
{
    (void)state;
    ps_model *m = parse_ok("\"$ euro\"=\n\t0.8\n\t~\t\n\t~\t\t|\n"
                           "\"1995€/$\"= 1.1 ~~|\n"
                           "\"€/$\" = \"1995€/$\" * \"$ euro\" ~~|\n"
                           "\"Room Temperature\" = 70 ~~|\n"
                           "y = Room Temperature ~~|");
    assert_int_equal(m->nvars, 5);
    assert_string_equal(m->vars[0].name, "$ euro");
    assert_string_equal(m->vars[0].key, "$_euro");
    assert_string_equal(m->vars[1].key, "1995€/$");
    char got[128] = "";
    expr_text(m->vars[2].expr, got, sizeof got);
    assert_string_equal(got, "(1995€/$*$_euro)");
    /* A quoted name and its unquoted spelling are one variable. */
    assert_string_equal(m->vars[4].expr->u.ref.key, m->vars[3].key);
    ps_model_free(&m);
}

static void test_parse_reads_integ_as_a_stock(void **state)
{
    (void)state;
    ps_model *m = parse_ok("Stock= INTEG (\n\tinflow - outflow,\n\t\t-10)\n~~|");
    const ps_var *v = &m->vars[0];
    assert_int_equal(v->kind, PS_VAR_STOCK);
    char got[128] = "";
    expr_text(v->expr, got, sizeof got);
    assert_string_equal(got, "(inflow-outflow)");
    got[0] = '\0';
    expr_text(v->init, got, sizeof got);
    assert_string_equal(got, "(-10)");
    assert_null(v->table);
    assert_null(v->units);
    assert_null(v->doc);
    ps_model_free(&m);
}

static void test_parse_reads_active_initial_as_an_aux_with_init(void **state)
{
    (void)state;
    ps_model *m = parse_ok("v= ACTIVE INITIAL (\n\tsmooth v+Time*SIN(Time),\n"
                           "\t\t 1)\n\t~\t\t|\n");
    const ps_var *v = &m->vars[0];
    assert_int_equal(v->kind, PS_VAR_AUX);
    char got[128] = "";
    expr_text(v->expr, got, sizeof got);
    assert_string_equal(got, "(smooth_v+(time*sin(time)))");
    assert_true(v->init->u.number == 1);
    ps_model_free(&m);
}

static void test_parse_marks_unchangeable_constants(void **state)
{
    (void)state;
    ps_model *m = parse_ok("regular constant= 5 ~~|\n"
                           "unchangeable constant==\n\t7\n\t~\t\t|\n");
    assert_int_equal(m->vars[0].unchangeable, 0);
    assert_int_equal(m->vars[1].unchangeable, 1);
    assert_true(m->vars[1].expr->u.number == 7);
    ps_model_free(&m);
}

static void test_parse_reads_lookups_with_a_range(void **state)
{
    (void)state;
    ps_model *m = parse_ok(
        "lookup function table(\n"
        "\t[(0,-1)-(45,1)],(0,0),(5,0),(10,1),(15,1),(20,0),(25,0),(30,-1)"
        ",(35,-1),(40,0),(45,0\\\n\t\t))\n\t~\t\t|\n"
        "y = lookup function table(Time) ~~|");
    const ps_var *v = &m->vars[0];
    assert_int_equal(v->kind, PS_VAR_LOOKUP);
    assert_null(v->expr);
    assert_null(v->init);
    const ps_table *t = v->table;
    assert_non_null(t);
    assert_int_equal(t->n, 10);
    assert_int_equal(t->has_range, 1);
    assert_true(t->x_min == 0 && t->y_min == -1 && t->x_max == 45 &&
                t->y_max == 1);
    assert_true(t->x[9] == 45 && t->y[6] == -1);
    assert_int_equal(t->loc.line, 1);
    assert_int_equal(t->loc.column, 22);
    char got[64] = "";
    expr_text(m->vars[1].expr, got, sizeof got);
    assert_string_equal(got, "lookup_function_table(time)");
    ps_model_free(&m);
}

static void test_parse_reads_lookups_without_a_range(void **state)
{
    (void)state;
    ps_model *m = parse_ok("tbl(\n\t(0,1),(1.25,1),(1.5,0.98)\\\n\t\t,(2,0.75))"
                           "\n\t~\t\n\t~\tThis lookup has a line break before the "
                           "comma.\n\t|\n");
    const ps_table *t = m->vars[0].table;
    assert_int_equal(t->n, 4);
    assert_int_equal(t->has_range, 0);
    assert_true(t->x[3] == 2 && t->y[3] == 0.75);
    assert_string_equal(m->vars[0].doc,
                        "This lookup has a line break before the comma.");
    ps_model_free(&m);
}

static void test_parse_reads_lookup_range_reference_points(void **state)
{
    (void)state;
    ps_model *m = parse_ok(
        "tbl([(0,0)-(4,2),(1,1),(2,1.5)],(0,0),(1,1),(4,1.8)) ~~|");
    const ps_table *t = m->vars[0].table;
    assert_int_equal(t->n, 3);
    assert_true(t->x_max == 4 && t->y_max == 2);
    ps_model_free(&m);
}

static void test_parse_reads_lookups_as_x_then_y_lists(void **state)
{
    (void)state;
    /* Vensim's second lookup form: x values followed by y values. */
    ps_model *m = parse_ok("a( 0, 1, 2, 10, 20, -5) ~~|\n"
                           "b([(0,0)-(2,2)], 0, 2, 1, -1) ~~|");
    const ps_table *a = m->vars[0].table;
    assert_int_equal(a->n, 3);
    assert_true(a->x[0] == 0 && a->x[1] == 1 && a->x[2] == 2);
    assert_true(a->y[0] == 10 && a->y[1] == 20 && a->y[2] == -5);
    const ps_table *b = m->vars[1].table;
    assert_int_equal(b->n, 2);
    assert_int_equal(b->has_range, 1);
    assert_true(b->x[1] == 2 && b->y[1] == -1);
    ps_model_free(&m);
}

static void test_parse_splits_units_ranges(void **state)
{
    (void)state;
    ps_model *m = parse_ok("a = 1 ~ Widgets/Month [-10,10,1] ~|\n"
                           "b = 1 ~ [?,3] ~|\n"
                           "c = 1 ~ Minutes [0.0, inf] ~|\n"
                           "d = 1 ~ Minute [nan, nan] ~|\n"
                           "e = 1 ~ Degrees [ -459.67 , ? ] ~|\n"
                           "f = 1 ~ Dollars ~|\n"
                           "g = 1 ~ [0,?,0.5] ~|\n");
    const ps_var *v = m->vars;
    assert_string_equal(v[0].units, "Widgets/Month");
    assert_int_equal(v[0].has_range, 1);
    assert_true(v[0].range_min == -10 && v[0].range_max == 10);
    assert_null(v[1].units);
    assert_int_equal(v[1].units_loc.column, 9);
    assert_true(isinf(v[1].range_min) && v[1].range_min < 0);
    assert_true(v[1].range_max == 3);
    assert_string_equal(v[2].units, "Minutes");
    assert_true(v[2].range_min == 0 && isinf(v[2].range_max));
    assert_int_equal(v[3].has_range, 1);
    assert_true(isinf(v[3].range_min) && isinf(v[3].range_max));
    assert_string_equal(v[4].units, "Degrees");
    assert_true(v[4].range_min == -459.67 && isinf(v[4].range_max));
    assert_string_equal(v[5].units, "Dollars");
    assert_int_equal(v[5].has_range, 0);
    assert_int_equal(v[6].has_range, 1);
    assert_true(v[6].range_min == 0);
    ps_model_free(&m);
}

static void test_parse_accepts_missing_fields(void **state)
{
    (void)state;
    ps_model *m = parse_ok("a = 1 |\nb = 2 ~ kg |\nc = 3 ~~|\n"
                           "d = 4 ~ ~ doc ~ :SUPPLEMENTARY |");
    assert_int_equal(m->nvars, 4);
    assert_null(m->vars[0].units);
    assert_int_equal(m->vars[0].units_loc.line, 0);
    assert_string_equal(m->vars[1].units, "kg");
    assert_null(m->vars[1].doc);
    assert_null(m->vars[2].units);
    assert_null(m->vars[2].doc);
    assert_string_equal(m->vars[3].doc, "doc");
    ps_model_free(&m);
}

static void test_parse_keeps_quotes_and_odd_text_in_docs(void **state)
{
    (void)state;
    ps_model *m = parse_ok("x = 1 ~ F ~ \"The room\" temperature\" can't "
                           "[go] below {zero}. |");
    assert_string_equal(m->vars[0].doc, "\"The room\" temperature\" can't "
                                        "[go] below {zero}.");
    ps_model_free(&m);
}

static void test_parse_continues_names_over_line_breaks(void **state)
{
    (void)state;
    ps_model *m = parse_ok(
        "Absurdly long stock name\\\n\t\t= INTEG (\n"
        "\tFlow descriptor that is\\\n\t\tawkward\\\n\t\t,\n\t\t0)\n\t~\t\t|\n"
        "Flow descriptor that is awkward = 1 ~~|\n");
    assert_string_equal(m->vars[0].name, "Absurdly long stock name");
    char got[128] = "";
    expr_text(m->vars[0].expr, got, sizeof got);
    assert_string_equal(got, "flow_descriptor_that_is_awkward");
    assert_string_equal(m->vars[0].expr->u.ref.name,
                        "Flow descriptor that is awkward");
    ps_model_free(&m);
}

static void test_parse_skips_groups_and_comments(void **state)
{
    (void)state;
    ps_model *m = parse_ok("{UTF-8}\n"
                           "*****\n\t.Economy\n*****~\n\t\tThe economy.\n\t|\n"
                           "x {a comment} = 1 {another} ~~|\n"
                           "********************************************\n"
                           "\t.Control\n"
                           "********************************************~\n"
                           "\t\tSimulation Control Parameters\n\t|\n"
                           "FINAL TIME = 10 ~ Year ~|\n");
    assert_int_equal(m->nvars, 2);
    assert_string_equal(m->vars[0].key, "x");
    assert_string_equal(m->vars[1].key, "final_time");
    ps_model_free(&m);
}

static void test_parse_stops_at_the_sketch_marker(void **state)
{
    (void)state;
    ps_model *m = parse_ok("x = 1 ~~|\n\\\\---/// Sketch\nnot = an | equation");
    assert_int_equal(m->nvars, 1);
    ps_model_free(&m);
}

static void test_parse_accepts_an_empty_section(void **state)
{
    (void)state;
    ps_model *m = parse_ok("{UTF-8}\n\n\\\\\\---///\n");
    assert_int_equal(m->nvars, 0);
    ps_model_free(&m);
    m = parse_ok("");
    assert_int_equal(m->nvars, 0);
    ps_model_free(&m);
}

static void test_parse_counts_columns_after_chinese_and_tabs(void **state)
{
    (void)state;
    ps_model *m = parse_ok("\t人口 =\t\t增长 * 2 ~~|");
    assert_int_equal(m->vars[0].loc.column, 2);
    const ps_expr *e = m->vars[0].expr;
    assert_int_equal(e->u.binary.lhs->loc.column, 8);
    assert_int_equal(e->u.binary.rhs->loc.column, 13);
    ps_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_reads_the_teacup_model),
        cmocka_unit_test(test_parse_reads_crlf_and_cr_line_ends_alike),
        cmocka_unit_test(test_parse_reads_chinese_names_units_and_docs),
        cmocka_unit_test(test_parse_reads_quoted_names),
        cmocka_unit_test(test_parse_reads_integ_as_a_stock),
        cmocka_unit_test(test_parse_reads_active_initial_as_an_aux_with_init),
        cmocka_unit_test(test_parse_marks_unchangeable_constants),
        cmocka_unit_test(test_parse_reads_lookups_with_a_range),
        cmocka_unit_test(test_parse_reads_lookups_without_a_range),
        cmocka_unit_test(test_parse_reads_lookup_range_reference_points),
        cmocka_unit_test(test_parse_reads_lookups_as_x_then_y_lists),
        cmocka_unit_test(test_parse_splits_units_ranges),
        cmocka_unit_test(test_parse_accepts_missing_fields),
        cmocka_unit_test(test_parse_keeps_quotes_and_odd_text_in_docs),
        cmocka_unit_test(test_parse_continues_names_over_line_breaks),
        cmocka_unit_test(test_parse_skips_groups_and_comments),
        cmocka_unit_test(test_parse_stops_at_the_sketch_marker),
        cmocka_unit_test(test_parse_accepts_an_empty_section),
        cmocka_unit_test(test_parse_counts_columns_after_chinese_and_tabs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
