/*
 * ps_units_check end to end: small .mdl texts read by ps_mdl_parse, with
 * known mismatches at known places, and clean models.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/mdl.h"
#include "plansim/units.h"

#define CONTROLS(unit)                                                      \
    "INITIAL TIME = 0\n\t~\t" unit "\n\t~\t|\n"                             \
    "FINAL TIME = 10\n\t~\t" unit "\n\t~\t|\n"                              \
    "TIME STEP = 1\n\t~\t" unit " [0,?]\n\t~\t|\n"                          \
    "SAVEPER = TIME STEP\n\t~\t" unit " [0,?]\n\t~\t|\n"                    \
    "\\\\\\---/// Sketch information - do not modify anything\n"

typedef struct seen {
    char line[600];
} seen;

typedef struct found {
    size_t n;
    seen issue[16];
} found;

/* Keeps each issue as `plansim check --units` prints it. */
static void collect(const ps_units_issue *issue, void *ctx)
{
    found *f = ctx;
    if (f->n < 16)
        snprintf(f->issue[f->n++].line, sizeof f->issue[0].line,
                 "%s:%d:%d: units: %s", issue->file, issue->loc.line,
                 issue->loc.column, issue->message);
}

static found check_text(const char *text)
{
    ps_model *m = NULL;
    ps_error err;
    ps_error_clear(&err);
    if (ps_mdl_parse(text, strlen(text), "model.mdl", &m, &err) != PS_OK)
        fail_msg("the model does not read: %d:%d: %s", err.line, err.column,
                 err.message);
    found f = {0};
    size_t count = 0;
    assert_int_equal(ps_units_check(m, collect, &f, &count, &err), PS_OK);
    assert_int_equal(count, f.n);
    ps_model_free(&m);
    return f;
}

static void assert_issues(const found *f, size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n && i < f->n; i++)
        assert_string_equal(f->issue[i].line, va_arg(ap, const char *));
    va_end(ap);
    if (f->n != n) {
        for (size_t i = 0; i < f->n; i++)
            print_message("  %s\n", f->issue[i].line);
        fail_msg("expected %zu issues, found %zu", n, f->n);
    }
}

static void test_mdl_population_model_is_clean(void **state)
{
    (void)state;
    found f = check_text("{UTF-8}\n"
                         "Population = INTEG(births - deaths, 1000)\n"
                         "\t~\tPerson\n\t~\t|\n"
                         "births = Population * birth rate\n"
                         "\t~\tPerson/Year\n\t~\t|\n"
                         "birth rate = 0.03\n"
                         "\t~\t1/Year [0,1]\n\t~\t|\n"
                         "deaths = Population / average lifetime\n"
                         "\t~\tPeople/Years\n\t~\t|\n"
                         "average lifetime = 70\n"
                         "\t~\tYears\n\t~\t|\n" CONTROLS("Year"));
    assert_issues(&f, 0);
}

static void test_mdl_reports_a_rate_without_per_time_at_its_line(
    void **state)
{
    (void)state;
    found f = check_text("Inventory = INTEG(\n"
                         "\tproduction - shipments,\n"
                         "\t\t100)\n"
                         "\t~\tWidgets\n\t~\t|\n"
                         "production = 10\n"
                         "\t~\tWidgets\n\t~\t|\n"
                         "shipments = 8\n"
                         "\t~\tWidgets\n\t~\t|\n" CONTROLS("Month"));
    assert_issues(&f, 1,
                  "model.mdl:2:2: units: rate is Widgets, expected "
                  "Widgets/Month (stock units per Month)");
}

static void test_mdl_teacup_is_clean_with_plural_minutes(void **state)
{
    (void)state;
    found f = check_text(
        "Characteristic Time = 10\n"
        "\t~\tMinutes [0,?]\n\t~\t|\n"
        "Heat Loss to Room = (Teacup Temperature - Room Temperature)"
        " / Characteristic Time\n"
        "\t~\tDegrees Fahrenheit/Minute\n\t~\t|\n"
        "Room Temperature = 70\n"
        "\t~\tDegrees Fahrenheit\n\t~\t|\n"
        "Teacup Temperature = INTEG(-Heat Loss to Room, 180)\n"
        "\t~\tDegrees Fahrenheit [32,212]\n\t~\t|\n" CONTROLS("Minute"));
    assert_issues(&f, 0);
}

static void test_mdl_reads_chinese_units(void **state)
{
    (void)state;
    found f = check_text("{UTF-8}\n"
                         "地区生产总值 = INTEG(增量, 500)\n"
                         "\t~\t亿元\n\t~\t|\n"
                         "增量 = 地区生产总值 * 增长率\n"
                         "\t~\t亿元/年\n\t~\t|\n"
                         "增长率 = 0.06\n"
                         "\t~\t1/年\n\t~\t|\n"
                         "人均产值 = 地区生产总值 / 常住人口\n"
                         "\t~\t亿元/万人\n\t~\t|\n"
                         "常住人口 = 120\n"
                         "\t~\t万人\n\t~\t|\n"
                         "错误 = 地区生产总值 + 常住人口\n"
                         "\t~\t亿元\n\t~\t|\n" CONTROLS("年"));
    assert_issues(&f, 1,
                  "model.mdl:17:6: units: operands of '+' differ: 亿元 vs "
                  "万人");
}

static void test_mdl_reports_a_delay_time_at_the_argument(void **state)
{
    (void)state;
    found f = check_text("Smoothed Input = SMOOTH(Input, Smoothing Time)\n"
                         "\t~\tIssues\n\t~\t|\n"
                         "Input = 4\n"
                         "\t~\tIssues\n\t~\t|\n"
                         "Smoothing Time = 2\n"
                         "\t~\tMeetings\n\t~\t|\n" CONTROLS("Minute"));
    assert_issues(&f, 1,
                  "model.mdl:1:32: units: argument 2 of SMOOTH is Meetings, "
                  "expected Minute (the time unit)");
}

static void test_mdl_reports_an_equation_at_the_variable(void **state)
{
    (void)state;
    found f = check_text("Population = 1000\n"
                         "\t~\tperson\n\t~\t|\n"
                         "\n"
                         "births =\n"
                         "\tPopulation * 0.02\n"
                         "\t~\tperson/Year\n\t~\t|\n" CONTROLS("Year"));
    assert_issues(&f, 1,
                  "model.mdl:5:1: units: left side is person/Year, right "
                  "side is person");
}

static void test_mdl_reports_unreadable_units_at_the_field(void **state)
{
    (void)state;
    found f = check_text("rate = 5\n"
                         "\t~\tperson//Year\n\t~\t|\n" CONTROLS("Year"));
    assert_int_equal(f.n, 1);
    if (!strstr(f.issue[0].line, "model.mdl:2:") ||
        !strstr(f.issue[0].line, "cannot read units \"person//Year\""))
        fail_msg("unexpected issue: %s", f.issue[0].line);
}

static void test_mdl_reports_control_variables_in_other_units(
    void **state)
{
    (void)state;
    found f = check_text("x = 1\n\t~\tDmnl\n\t~\t|\n"
                         "INITIAL TIME = 0\n\t~\tYear\n\t~\t|\n"
                         "FINAL TIME = 10\n\t~\tMonth\n\t~\t|\n"
                         "TIME STEP = 1\n\t~\tYear\n\t~\t|\n"
                         "SAVEPER = TIME STEP\n\t~\tYear\n\t~\t|\n");
    assert_int_equal(f.n, 1);
    if (!strstr(f.issue[0].line, "model.mdl:8:") ||
        !strstr(f.issue[0].line,
                "FINAL TIME is in Month, but the time unit is Year"))
        fail_msg("unexpected issue: %s", f.issue[0].line);
}

static void test_mdl_ignores_variables_without_units(void **state)
{
    (void)state;
    found f = check_text("a = b * c + 1\n\t~\t\n\t~\t|\n"
                         "b = 2\n\t~\t [0,?]\n\t~\t|\n"
                         "c = 3\n\t~\tyuan\n\t~\t|\n"
                         "d = a * c\n\t~\tperson\n\t~\t|\n" CONTROLS("Year"));
    assert_issues(&f, 0);
}

/* Subscripted equations: the units written on one equation of a
   variable hold for all of them; SUM keeps its argument's units; ranges
   and elements used as numbers are dimensionless. */
static void test_mdl_subscripted_equations(void **state)
{
    (void)state;
    found f = check_text("{UTF-8}\n"
                         "d: a, b ~ ~ |\n"
                         "x[a] = 1 ~~|\n"
                         "x[b] = 2\n\t~\tkg\n\t~\t|\n"
                         "total = SUM(x[d!])\n\t~\tg\n\t~\t|\n"
                         "position[d] = d + x[d] / x[d]\n\t~\tDmnl\n\t~\t|\n"
                         "ranked[d] = VECTOR RANK(x[d], 1)\n\t~\tDmnl\n\t~\t|\n"
                         CONTROLS("Month"));
    assert_issues(&f, 1,
                  "model.mdl:7:1: units: left side is g, right side is kg");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mdl_subscripted_equations),
        cmocka_unit_test(test_mdl_population_model_is_clean),
        cmocka_unit_test(test_mdl_reports_a_rate_without_per_time_at_its_line),
        cmocka_unit_test(test_mdl_teacup_is_clean_with_plural_minutes),
        cmocka_unit_test(test_mdl_reads_chinese_units),
        cmocka_unit_test(test_mdl_reports_a_delay_time_at_the_argument),
        cmocka_unit_test(test_mdl_reports_an_equation_at_the_variable),
        cmocka_unit_test(test_mdl_reports_unreadable_units_at_the_field),
        cmocka_unit_test(test_mdl_reports_control_variables_in_other_units),
        cmocka_unit_test(test_mdl_ignores_variables_without_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
