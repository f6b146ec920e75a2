/*
 * ps_units_check on models built by hand: which equations are clean,
 * which disagree, where each issue is placed and what it says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/model.h"
#include "plansim/units.h"

/* ---- building models ---------------------------------------------- */

static ps_loc at(int line, int column)
{
    return (ps_loc){line, column};
}

static ps_expr *num(double v)
{
    return ps_expr_number(v, at(0, 0));
}

static ps_expr *ref_at(const char *name, int line, int column)
{
    return ps_expr_ref(name, strlen(name), at(line, column));
}

static ps_expr *ref(const char *name)
{
    return ref_at(name, 0, 0);
}

/* lhs op rhs, placed where lhs starts (as the reader places it). */
static ps_expr *bin(ps_op op, ps_expr *lhs, ps_expr *rhs)
{
    ps_loc loc = lhs ? lhs->loc : at(0, 0);
    return ps_expr_binary(op, lhs, rhs, loc);
}

static ps_expr *call_at(int line, const char *name, size_t argc, ...)
{
    ps_expr *argv[8];
    va_list ap;
    va_start(ap, argc);
    for (size_t i = 0; i < argc; i++)
        argv[i] = va_arg(ap, ps_expr *);
    va_end(ap);
    return ps_expr_call(name, strlen(name), argv, argc, at(line, 5));
}

#define call(...) call_at(0, __VA_ARGS__)

static void add_var(ps_model *m, const char *name, ps_var_kind kind,
                    ps_expr *expr, ps_expr *init, const char *units, int line)
{
    ps_var v = {0};
    v.name = strdup(name);
    v.kind = kind;
    v.expr = expr;
    v.init = init;
    v.units = units ? strdup(units) : NULL;
    v.loc = at(line, 1);
    v.units_loc = at(line + 1, 2);
    if (kind == PS_VAR_LOOKUP) {
        v.table = ps_table_new();
        assert_non_null(v.table);
        assert_int_equal(ps_table_push(v.table, 0, 0), 0);
        assert_int_equal(ps_table_push(v.table, 1, 1), 0);
    }
    ps_error err;
    assert_int_equal(ps_model_add(m, &v, &err), PS_OK);
}

static void aux(ps_model *m, const char *name, ps_expr *expr,
                const char *units, int line)
{
    add_var(m, name, PS_VAR_AUX, expr, NULL, units, line);
}

/* The four control variables, in `unit`, from line 100 on. */
static void controls(ps_model *m, const char *unit)
{
    aux(m, "INITIAL TIME", num(0), unit, 100);
    aux(m, "FINAL TIME", num(10), unit, 104);
    aux(m, "TIME STEP", num(1), unit, 108);
    aux(m, "SAVEPER", ref("TIME STEP"), unit, 112);
}

/* ---- collecting issues -------------------------------------------- */

typedef struct seen {
    ps_loc loc;
    char file[64];
    char var[64];
    char message[512];
} seen;

typedef struct found {
    size_t n;
    seen issue[16];
} found;

static void collect(const ps_units_issue *issue, void *ctx)
{
    found *f = ctx;
    if (f->n == 16)
        return;
    seen *s = &f->issue[f->n++];
    s->loc = issue->loc;
    snprintf(s->file, sizeof s->file, "%s",
             issue->file ? issue->file : "(no file)");
    snprintf(s->var, sizeof s->var, "%s", issue->var);
    snprintf(s->message, sizeof s->message, "%s", issue->message);
}

/* Checks m (then frees it), returning what was found. */
static found check(ps_model *m)
{
    found f = {0};
    size_t count = 99;
    ps_error err;
    ps_error_clear(&err);
    assert_int_equal(ps_units_check(m, collect, &f, &count, &err), PS_OK);
    assert_int_equal(count, f.n);
    ps_model_free(&m);
    return f;
}

static void print_all(const found *f)
{
    for (size_t i = 0; i < f->n; i++)
        print_message("  %d:%d: %s: %s\n", f->issue[i].loc.line,
                      f->issue[i].loc.column, f->issue[i].var,
                      f->issue[i].message);
}

static void assert_clean(const found *f)
{
    if (f->n != 0) {
        print_all(f);
        fail_msg("expected no units issue, found %zu", f->n);
    }
}

/* Asserts exactly one issue, at `line`, whose message is `message`. */
static void assert_one(const found *f, int line, const char *message)
{
    if (f->n != 1) {
        print_all(f);
        fail_msg("expected one units issue, found %zu", f->n);
    }
    assert_string_equal(f->issue[0].message, message);
    assert_int_equal(f->issue[0].loc.line, line);
}

static ps_model *model(void)
{
    ps_model *m = ps_model_new("models/test.mdl");
    assert_non_null(m);
    return m;
}

/* ---- clean models --------------------------------------------------- */

static void test_check_finds_a_population_model_clean(void **state)
{
    (void)state;
    ps_model *m = model();
    add_var(m, "Population", PS_VAR_STOCK,
            bin(PS_OP_SUB, ref("births"), ref("deaths")), num(1000),
            "Person", 1);
    aux(m, "births", bin(PS_OP_MUL, ref("Population"), ref("birth rate")),
        "person/Year", 5);
    aux(m, "birth rate", num(0.03), "1/Year", 9);
    aux(m, "deaths",
        bin(PS_OP_DIV, ref("Population"), ref("average lifetime")),
        "People/Years", 13);
    aux(m, "average lifetime", num(70), "Year", 17);
    controls(m, "Year");
    found f = check(m);
    assert_clean(&f);
}

static void test_check_ignores_variables_without_units(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "u", num(2), NULL, 3);
    aux(m, "blank", num(2), "  ", 4);
    aux(m, "x", bin(PS_OP_MUL, ref("u"), ref("a")), "Year", 5);
    aux(m, "y", bin(PS_OP_ADD, ref("u"), ref("a")), "person", 7);
    aux(m, "z", bin(PS_OP_DIV, ref("blank"), ref("u")), "yuan", 9);
    aux(m, "w", ref("undefined name"), "yuan", 11);
    controls(m, "Year");
    found f = check(m);
    assert_clean(&f);
}

static void test_check_lets_numbers_take_any_units(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", bin(PS_OP_ADD, ref("a"), num(1)), "person", 3);
    aux(m, "c", bin(PS_OP_MUL, num(2), ref("a")), "person", 5);
    aux(m, "d", bin(PS_OP_DIV, num(1), ref("a")), "1/person", 7);
    aux(m, "e", ps_expr_unary(PS_OP_NEG, num(3), at(9, 3)), "yuan", 9);
    aux(m, "f", bin(PS_OP_MUL, num(2), num(3)), "yuan/Year", 11);
    controls(m, "Year");
    found f = check(m);
    assert_clean(&f);
}

/* ---- equations ------------------------------------------------------ */

static void test_check_reports_an_equation_at_its_variable(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "Population", num(10), "person", 1);
    aux(m, "births", ref_at("Population", 6, 9), "person/Year", 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 5, "left side is person/Year, right side is person");
    assert_int_equal(f.issue[0].loc.column, 1);
    assert_string_equal(f.issue[0].var, "births");
    assert_string_equal(f.issue[0].file, "models/test.mdl");
}

static void test_check_treats_numbers_as_dimensionless_in_products(
    void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "Population", num(10), "person", 1);
    aux(m, "births", bin(PS_OP_MUL, ref("Population"), num(0.02)),
        "person/Year", 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 5, "left side is person/Year, right side is person");
}

static void test_check_reports_a_sum_of_different_units(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", num(1), "Year", 3);
    /* Even without units of its own, x's equation adds unlike things. */
    aux(m, "x", bin(PS_OP_SUB, ref_at("a", 6, 4), ref("b")), NULL, 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 6, "operands of '-' differ: person vs Year");
    assert_int_equal(f.issue[0].loc.column, 4);
}

static void test_check_reports_one_issue_per_mistake(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", num(1), "Year", 3);
    /* (a + b) * a: the sum is wrong; the product and the equation are
       not reported again. */
    aux(m, "x",
        bin(PS_OP_MUL, bin(PS_OP_ADD, ref_at("a", 6, 2), ref("b")), ref("a")),
        "yuan", 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 6, "operands of '+' differ: person vs Year");
}

static void test_check_compares_comparisons_and_gives_dmnl(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "t", num(1), "Year", 3);
    aux(m, "flag", bin(PS_OP_GT, ref("a"), num(5)), "Dmnl", 5);
    aux(m, "wrong", bin(PS_OP_LE, ref_at("a", 8, 3), ref("t")), "Dmnl", 7);
    aux(m, "not dmnl",
        bin(PS_OP_AND, bin(PS_OP_GT, ref("a"), num(0)),
            ps_expr_unary(PS_OP_NOT, ref("flag"), at(10, 1))),
        "person", 9);
    controls(m, "Year");
    found f = check(m);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.issue[0].message,
                        "operands of '<=' differ: person vs Year");
    assert_int_equal(f.issue[0].loc.line, 8);
    assert_string_equal(f.issue[1].message,
                        "left side is person, right side is Dmnl");
}

static void test_check_sorts_the_issues_of_a_variable(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", num(1), "Year", 2);
    /* The rate (line 5) is checked before the initial value (line 4),
       yet the initial value's issue is reported first. */
    add_var(m, "S", PS_VAR_STOCK, ref_at("a", 5, 2),
            bin(PS_OP_ADD, ref_at("a", 4, 2), ref("b")), "person", 3);
    aux(m, "y", bin(PS_OP_ADD, ref_at("a", 7, 2), ref("b")), "yuan", 6);
    aux(m, "z", ref_at("a", 9, 2), "yuan", 8);
    controls(m, "Year");
    found f = check(m);
    if (f.n != 4)
        print_all(&f);
    assert_int_equal(f.n, 4);
    assert_int_equal(f.issue[0].loc.line, 4);
    assert_string_equal(f.issue[0].message,
                        "operands of '+' differ: person vs Year");
    assert_int_equal(f.issue[1].loc.line, 5);
    assert_string_equal(f.issue[1].message,
                        "rate is person, expected person/Year (stock units "
                        "per Year)");
    assert_int_equal(f.issue[2].loc.line, 7);
    assert_int_equal(f.issue[3].loc.line, 8);
    assert_string_equal(f.issue[3].message,
                        "left side is yuan, right side is person");
}

/* ---- stocks ---------------------------------------------------------- */

static void test_check_reports_a_rate_without_per_time(void **state)
{
    (void)state;
    ps_model *m = model();
    add_var(m, "Inventory", PS_VAR_STOCK, ref_at("production", 3, 5),
            num(100), "Widget", 2);
    aux(m, "production", num(10), "Widget", 6);
    controls(m, "Month");
    found f = check(m);
    assert_one(&f, 3,
               "rate is Widget, expected Widget/Month (stock units per "
               "Month)");
    assert_int_equal(f.issue[0].loc.column, 5);
    assert_string_equal(f.issue[0].var, "Inventory");
}

static void test_check_reports_a_stocks_initial_value(void **state)
{
    (void)state;
    ps_model *m = model();
    add_var(m, "Inventory", PS_VAR_STOCK, ref("production"),
            ref_at("start", 3, 20), "Widget", 2);
    aux(m, "production", num(10), "Widget/Months", 6);
    aux(m, "start", num(10), "Month", 8);
    controls(m, "Month");
    found f = check(m);
    assert_one(&f, 3, "initial value is Months, stock is Widget");
}

static void test_check_skips_rates_when_the_time_unit_is_unknown(
    void **state)
{
    (void)state;
    ps_model *m = model();
    add_var(m, "Inventory", PS_VAR_STOCK, ref("production"), num(0),
            "Widget", 2);
    aux(m, "production", num(10), "Widget", 6);
    aux(m, "slow", call("SMOOTH", 2, ref("production"), ref("production")),
        "Widget", 8);
    controls(m, NULL);
    found f = check(m);
    assert_clean(&f);
}

/* ---- time ------------------------------------------------------------ */

static void test_check_gives_time_the_time_unit(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "now", ref("Time"), "Years", 1);
    aux(m, "wrong", ref("Time"), "person", 3);
    controls(m, "Year");
    found f = check(m);
    /* Shown as first written in the model. */
    assert_one(&f, 3, "left side is person, right side is Years");
}

static void test_check_reports_control_variables_in_other_units(
    void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "INITIAL TIME", num(0), "Year", 1);
    aux(m, "FINAL TIME", num(10), "Month", 3);
    aux(m, "TIME STEP", num(1), "Years", 5);
    aux(m, "SAVEPER", ref("TIME STEP"), "Year", 7);
    found f = check(m);
    assert_one(&f, 4,
               "FINAL TIME is in Month, but the time unit is Year (from "
               "TIME STEP)");
}

/* ---- functions ------------------------------------------------------- */

static void test_check_wants_dimensionless_arguments_of_exp(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "ok", call("EXP", 1, bin(PS_OP_DIV, ref("a"), ref("a"))), "Dmnl",
        3);
    aux(m, "bad", call_at(6, "LN", 1, ref_at("a", 6, 8)), "Dmnl", 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 6, "argument 1 of LN is person, expected Dmnl");
    assert_int_equal(f.issue[0].loc.column, 8);
}

static void test_check_wants_the_time_unit_in_delays(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "Input", num(1), "Issues", 1);
    aux(m, "Smoothing Time", num(2), "Meetings", 3);
    aux(m, "lag", num(2), "Months", 5);
    aux(m, "Smoothed", call("SMOOTH", 2, ref("Input"), ref("lag")), "Issues",
        7);
    aux(m, "Delayed",
        call("DELAY N", 4, ref("Input"), ref("lag"), ref("Input"), num(3)),
        "Issues", 9);
    aux(m, "Wrong",
        call("SMOOTH", 2, ref("Input"), ref_at("Smoothing Time", 12, 20)),
        "Issues", 11);
    controls(m, "Month");
    found f = check(m);
    assert_one(&f, 12,
               "argument 2 of SMOOTH is Meetings, expected Months (the time "
               "unit)");
}

static void test_check_gives_trend_per_time_units(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "GDP", num(1), "亿元", 1);
    aux(m, "growth", call("TREND", 3, ref("GDP"), num(3), num(0)), "1/Year",
        3);
    aux(m, "wrong", call("TREND", 3, ref("GDP"), num(3), num(0)), "Dmnl", 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 5, "left side is Dmnl, right side is 1/Year");
}

static void test_check_gives_step_ramp_and_pulse_their_units(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "height", num(1), "person", 1);
    aux(m, "slope", num(1), "person/Year", 2);
    aux(m, "start", num(1), "Year", 3);
    aux(m, "s", call("STEP", 2, ref("height"), ref("start")), "person", 4);
    aux(m, "r", call("RAMP", 3, ref("slope"), ref("start"), num(9)),
        "person", 5);
    aux(m, "p",
        bin(PS_OP_MUL, ref("height"),
            call("PULSE", 2, ref("start"), num(1))),
        "person", 6);
    aux(m, "n", call("RAMP", 3, num(2), num(1), num(9)), "yuan", 7);
    aux(m, "bad", call("STEP", 2, ref("height"), ref_at("height", 9, 15)),
        "person", 8);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 9,
               "argument 2 of STEP is person, expected Year (the time "
               "unit)");
}

static void test_check_wants_if_branches_to_agree(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", num(1), "Year", 2);
    aux(m, "ok",
        call("IF THEN ELSE", 3, bin(PS_OP_GT, ref("a"), num(0)), ref("a"),
             num(0)),
        "person", 3);
    aux(m, "bad",
        call("IF THEN ELSE", 3, bin(PS_OP_GT, ref("a"), num(0)), ref("a"),
             ref_at("b", 6, 30)),
        "person", 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 6, "branches of IF THEN ELSE differ: person vs Year");
}

static void test_check_wants_min_arguments_to_agree(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", num(1), "Year", 2);
    aux(m, "ok", call("MAX", 2, ref("a"), num(0)), "person", 3);
    aux(m, "abs", call("ABS", 1, ref("a")), "person", 4);
    aux(m, "bad", call_at(5, "MIN", 2, ref("a"), ref_at("b", 5, 12)),
        "person", 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 5, "arguments of MIN differ: person vs Year");
}

static void test_check_divides_in_xidz_and_zidz(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", num(1), "Year", 2);
    aux(m, "z", call("ZIDZ", 2, ref("a"), ref("b")), "person/Year", 3);
    aux(m, "x", call("XIDZ", 3, ref("a"), ref("b"), num(0)), "person/Year",
        4);
    aux(m, "bad", call("XIDZ", 3, ref("a"), ref("b"), ref_at("a", 6, 20)),
        "person/Year", 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 6,
               "argument 3 of XIDZ is person, expected person/Year (first "
               "argument / second)");
}

static void test_check_raises_to_constant_powers(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "side", num(1), "m", 1);
    aux(m, "K", num(1), "yuan", 2);
    aux(m, "L", num(1), "person", 3);
    aux(m, "alpha", num(0.3), "Dmnl", 4);
    aux(m, "area", bin(PS_OP_POW, ref("side"), num(2)), "m^2", 5);
    aux(m, "per", bin(PS_OP_POW, ref("side"),
                      ps_expr_unary(PS_OP_NEG, num(1), at(0, 0))),
        "1/m", 6);
    aux(m, "root", call("SQRT", 1, ref("area")), "m", 7);
    aux(m, "cube", call("POWER", 2, ref("side"), num(3)), "m^3", 8);
    /* Cobb-Douglas: fractional powers of units are left unknown. */
    aux(m, "output",
        bin(PS_OP_MUL, bin(PS_OP_POW, ref("K"), ref("alpha")),
            bin(PS_OP_POW, ref("L"),
                bin(PS_OP_SUB, num(1), ref("alpha")))),
        "yuan", 9);
    aux(m, "half", bin(PS_OP_POW, ref("K"), num(0.5)), "person", 10);
    aux(m, "bad", bin(PS_OP_POW, ref("K"), ref_at("L", 12, 9)), "yuan", 11);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 12, "exponent is person, expected Dmnl");
}

static void test_check_gives_lookups_their_output_units(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "price", num(1), "yuan/Widget", 1);
    aux(m, "reference price", num(1), "yuan/Widget", 2);
    add_var(m, "demand f", PS_VAR_LOOKUP, NULL, NULL, "Dmnl", 3);
    add_var(m, "history", PS_VAR_LOOKUP, NULL, NULL, "亿元", 4);
    aux(m, "effect",
        call("demand f", 1, bin(PS_OP_DIV, ref("price"),
                                ref("reference price"))),
        "Dmnl", 5);
    /* The input is not checked: tables carry no x units. */
    aux(m, "GDP data", call("history", 1, ref("Time")), "亿元", 6);
    aux(m, "fwd", call("LOOKUP FORWARD", 2, ref("history"), ref("Time")),
        "亿元", 7);
    aux(m, "bad", call("demand f", 1, ref("price")), "yuan", 8);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 8, "left side is yuan, right side is Dmnl");
}

static void test_check_wants_lookup_invert_in_the_output_units(
    void **state)
{
    (void)state;
    ps_model *m = model();
    add_var(m, "history", PS_VAR_LOOKUP, NULL, NULL, "亿元", 1);
    aux(m, "GDP", num(1), "亿元", 2);
    aux(m, "people", num(1), "万人", 3);
    aux(m, "when", call("LOOKUP INVERT", 2, ref("history"), ref("GDP")),
        "Year", 4);
    aux(m, "bad",
        call("LOOKUP INVERT", 2, ref("history"), ref_at("people", 6, 30)),
        "Year", 5);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 6,
               "argument 2 of LOOKUP INVERT is 万人, expected 亿元 (the "
               "lookup's output units)");
}

static void test_check_wants_trends_initial_value_per_time(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "GDP", num(1), "亿元", 1);
    aux(m, "initial growth", num(0), "Dmnl", 2);
    aux(m, "growth",
        call("TREND", 3, ref("GDP"), num(3), ref_at("initial growth", 4, 25)),
        "1/Year", 3);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 4,
               "argument 3 of TREND is Dmnl, expected 1/Year (per time "
               "unit)");
}

static void test_check_lets_with_lookup_define_its_units(void **state)
{
    (void)state;
    ps_model *m = model();
    ps_table *t = ps_table_new();
    assert_non_null(t);
    assert_int_equal(ps_table_push(t, 0, 1), 0);
    aux(m, "effect",
        call("WITH LOOKUP", 2, ref("Time"), ps_expr_table(t, at(1, 20))),
        "person", 1);
    controls(m, "Year");
    found f = check(m);
    assert_clean(&f);
}

static void test_check_looks_inside_unknown_functions(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", num(1), "Year", 2);
    aux(m, "x",
        call("NPV", 2, bin(PS_OP_ADD, ref_at("a", 4, 9), ref("b")), num(0)),
        "yuan", 3);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 4, "operands of '+' differ: person vs Year");
}

static void test_check_compares_active_initial_values(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    add_var(m, "x", PS_VAR_AUX, ref("a"), ref_at("TIME STEP", 4, 12),
            "person", 3);
    controls(m, "Year");
    found f = check(m);
    assert_one(&f, 4, "initial value is Year, left side is person");
}

/* ---- the units field itself and the API ------------------------------ */

static void test_check_reports_unreadable_units_at_the_field(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person//Year", 1);
    aux(m, "b", ref("a"), "person", 5);
    controls(m, "Year");
    found f = check(m);
    /* units_loc is the line after the name here; a is then unknown. */
    assert_one(&f, 2,
               "cannot read units \"person//Year\": expected a unit name, "
               "found '/' (character 8)");
    assert_string_equal(f.issue[0].var, "a");
}

static void test_check_counts_issues_without_a_reporter(void **state)
{
    (void)state;
    ps_model *m = model();
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", ref("a"), "Year", 3);
    aux(m, "c", ref("a"), "yuan", 5);
    controls(m, "Year");
    size_t count = 0;
    assert_int_equal(ps_units_check(m, NULL, NULL, &count, NULL), PS_OK);
    assert_int_equal(count, 2);
    assert_int_equal(ps_units_check(m, NULL, NULL, NULL, NULL), PS_OK);
    ps_model_free(&m);
}

static void test_check_gives_no_file_for_a_model_without_a_path(
    void **state)
{
    (void)state;
    ps_model *m = ps_model_new(NULL);
    assert_non_null(m);
    aux(m, "a", num(1), "person", 1);
    aux(m, "b", ref("a"), "Year", 3);
    found f = check(m);
    assert_one(&f, 3, "left side is Year, right side is person");
    assert_string_equal(f.issue[0].file, "(no file)");
}

static void test_check_checks_an_empty_model(void **state)
{
    (void)state;
    found f = check(model());
    assert_clean(&f);
}

static void test_check_refuses_a_null_model(void **state)
{
    (void)state;
    size_t count = 7;
    ps_error err;
    assert_int_equal(ps_units_check(NULL, collect, NULL, &count, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(err.status, PS_ERR_INTERNAL);
    assert_int_equal(count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_finds_a_population_model_clean),
        cmocka_unit_test(test_check_ignores_variables_without_units),
        cmocka_unit_test(test_check_lets_numbers_take_any_units),
        cmocka_unit_test(test_check_reports_an_equation_at_its_variable),
        cmocka_unit_test(
            test_check_treats_numbers_as_dimensionless_in_products),
        cmocka_unit_test(test_check_reports_a_sum_of_different_units),
        cmocka_unit_test(test_check_reports_one_issue_per_mistake),
        cmocka_unit_test(test_check_compares_comparisons_and_gives_dmnl),
        cmocka_unit_test(test_check_sorts_the_issues_of_a_variable),
        cmocka_unit_test(test_check_reports_a_rate_without_per_time),
        cmocka_unit_test(test_check_reports_a_stocks_initial_value),
        cmocka_unit_test(
            test_check_skips_rates_when_the_time_unit_is_unknown),
        cmocka_unit_test(test_check_gives_time_the_time_unit),
        cmocka_unit_test(
            test_check_reports_control_variables_in_other_units),
        cmocka_unit_test(test_check_wants_dimensionless_arguments_of_exp),
        cmocka_unit_test(test_check_wants_the_time_unit_in_delays),
        cmocka_unit_test(test_check_gives_trend_per_time_units),
        cmocka_unit_test(test_check_gives_step_ramp_and_pulse_their_units),
        cmocka_unit_test(test_check_wants_if_branches_to_agree),
        cmocka_unit_test(test_check_wants_min_arguments_to_agree),
        cmocka_unit_test(test_check_divides_in_xidz_and_zidz),
        cmocka_unit_test(test_check_raises_to_constant_powers),
        cmocka_unit_test(test_check_gives_lookups_their_output_units),
        cmocka_unit_test(
            test_check_wants_lookup_invert_in_the_output_units),
        cmocka_unit_test(test_check_wants_trends_initial_value_per_time),
        cmocka_unit_test(test_check_lets_with_lookup_define_its_units),
        cmocka_unit_test(test_check_looks_inside_unknown_functions),
        cmocka_unit_test(test_check_compares_active_initial_values),
        cmocka_unit_test(test_check_reports_unreadable_units_at_the_field),
        cmocka_unit_test(test_check_counts_issues_without_a_reporter),
        cmocka_unit_test(
            test_check_gives_no_file_for_a_model_without_a_path),
        cmocka_unit_test(test_check_checks_an_empty_model),
        cmocka_unit_test(test_check_refuses_a_null_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
