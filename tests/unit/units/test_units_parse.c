/*
 * Reading and writing units text: round trips, normalisation, Vensim's
 * spellings of "dimensionless", synonyms, names with spaces and UTF-8,
 * and the errors of malformed text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "units_impl.h"

static int setup(void **state)
{
    ps__unit_table *t = ps__unit_table_new();
    if (!t || ps__unit_table_add_defaults(t) != PS_OK) {
        ps__unit_table_free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    ps__unit_table_free(*state);
    return 0;
}

/* Parses `text` (which must be readable) into *u. */
static void parse_ok(ps__unit_table *t, const char *text, ps__units *u)
{
    ps_error err;
    ps_error_clear(&err);
    ps_status st = ps__units_parse(t, text, strlen(text), u, &err);
    if (st != PS_OK)
        fail_msg("\"%s\": %s", text, err.message);
}

/* Asserts that `text` reads and prints back as `want`. */
static void assert_prints(ps__unit_table *t, const char *text,
                          const char *want)
{
    ps__units u;
    char buf[PS__UNITS_TEXT];
    parse_ok(t, text, &u);
    assert_string_equal(ps__units_format(t, &u, buf, sizeof buf), want);
}

/* Asserts that `text` is refused at character `column`, the message
   holding `words`. */
static void assert_refused(ps__unit_table *t, const char *text, int column,
                           const char *words)
{
    ps_error err;
    ps__units u = ps__units_dmnl();
    ps_error_clear(&err);
    assert_int_equal(ps__units_parse(t, text, strlen(text), &u, &err),
                     PS_ERR_SYNTAX);
    assert_int_equal(err.status, PS_ERR_SYNTAX);
    assert_int_equal(err.column, column);
    if (!strstr(err.message, words))
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, err.message,
                 words);
    assert_int_equal(u.kind, PS__UNITS_UNKNOWN);
}

static void assert_same_units(ps__unit_table *t, const char *a,
                              const char *b)
{
    ps__units ua, ub;
    parse_ok(t, a, &ua);
    parse_ok(t, b, &ub);
    if (!ps__units_equal(&ua, &ub))
        fail_msg("\"%s\" and \"%s\" should be the same units", a, b);
}

static void assert_different_units(ps__unit_table *t, const char *a,
                                   const char *b)
{
    ps__units ua, ub;
    parse_ok(t, a, &ua);
    parse_ok(t, b, &ub);
    if (ps__units_equal(&ua, &ub))
        fail_msg("\"%s\" and \"%s\" should differ", a, b);
}

static void test_parse_reads_simple_products_and_quotients(void **state)
{
    ps__unit_table *t = *state;
    assert_prints(t, "yuan/(person*Year)", "yuan/(person*Year)");
    assert_prints(t, "Widget", "Widget");
    assert_prints(t, "Widget/Year", "Widget/Year");
    assert_prints(t, "$/Year", "$/Year");
}

static void test_parse_writes_reciprocals_with_a_leading_one(void **state)
{
    ps__unit_table *t = *state;
    assert_prints(t, "1/Year", "1/Year");
    assert_prints(t, "Year^-1", "1/Year");
    assert_prints(t, "Year ^ (-1)", "1/Year");
    assert_prints(t, "1/(Year*Year)", "1/Year^2");
    assert_prints(t, "Dmnl/Year", "1/Year");
}

static void test_parse_normalises_order_powers_and_cancellation(void **state)
{
    ps__unit_table *t = *state;
    assert_prints(t, "Year*Person", "Person*Year");
    assert_prints(t, "Person*Person", "Person^2");
    assert_prints(t, "Person/Year/Year", "Person/Year^2");
    assert_prints(t, "Person/Person", "Dmnl");
    assert_prints(t, "(Person/Year)^2*Year", "Person^2/Year");
    assert_prints(t, "Person^0", "Dmnl");
    assert_prints(t, "  Person  /  Year  ", "Person/Year");
}

static void test_parse_reads_division_from_left_to_right(void **state)
{
    ps__unit_table *t = *state;
    /* a/b*c is (a/b)*c, as in arithmetic, not a/(b*c). */
    assert_prints(t, "yuan/person*Year", "Year*yuan/person");
}

static void test_parse_accepts_every_spelling_of_dimensionless(void **state)
{
    ps__unit_table *t = *state;
    const char *spellings[] = {"Dmnl", "dmnl", "DMNL", "dimensionless",
                               "Dimensionless", "1", "1.0", "(1)"};
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        ps__units u;
        parse_ok(t, spellings[i], &u);
        if (!ps__units_is_dmnl(&u))
            fail_msg("\"%s\" should be dimensionless", spellings[i]);
    }
}

static void test_parse_gives_unknown_for_empty_text(void **state)
{
    ps__unit_table *t = *state;
    char buf[PS__UNITS_TEXT];
    const char *blank[] = {"", "   ", "\t"};
    for (size_t i = 0; i < 3; i++) {
        ps__units u = ps__units_dmnl();
        parse_ok(t, blank[i], &u);
        assert_int_equal(u.kind, PS__UNITS_UNKNOWN);
        assert_string_equal(ps__units_format(t, &u, buf, sizeof buf),
                            "unknown");
    }
}

static void test_parse_compares_names_as_model_names(void **state)
{
    ps__unit_table *t = *state;
    assert_same_units(t, "widget", "Widget");
    assert_same_units(t, "million yuan", "Million_Yuan");
    assert_same_units(t, "million   yuan/Year", "million_yuan/year");
    /* The first spelling seen is the one shown. */
    assert_prints(t, "WIDGET", "widget");
}

static void test_parse_keeps_spaces_inside_names(void **state)
{
    ps__unit_table *t = *state;
    assert_prints(t, "million yuan/Year", "million yuan/Year");
    assert_prints(t, "Degrees Fahrenheit/Minute",
                  "Degrees Fahrenheit/Minute");
    assert_prints(t, "2020 yuan/person", "2020 yuan/person");
}

static void test_parse_reads_utf8_names(void **state)
{
    ps__unit_table *t = *state;
    assert_prints(t, "亿元/年", "亿元/年");
    assert_prints(t, "万人*亿元", "万人*亿元");
    assert_same_units(t, "亿元/万人", "亿元/(万人)");
    assert_different_units(t, "亿元", "万元");
}

static void test_parse_merges_vensim_default_synonyms_only(void **state)
{
    ps__unit_table *t = *state;
    assert_same_units(t, "Month", "Months");
    assert_same_units(t, "Years", "year");
    assert_same_units(t, "Person", "People");
    assert_same_units(t, "Persons/Minutes", "person/minute");
    assert_same_units(t, "$", "Dollars");
    /* Any other plural is a different unit, as in Vensim. */
    assert_different_units(t, "Widget", "Widgets");
    assert_different_units(t, "yuan", "yuans");
}

static void test_parse_shows_the_models_spelling_of_a_synonym(void **state)
{
    ps__unit_table *t = *state;
    assert_prints(t, "Person/Years", "Person/Years");
    /* Once used, a base keeps its first spelling. */
    assert_prints(t, "People/Year", "Person/Years");
}

static void test_add_synonyms_joins_a_models_own_group(void **state)
{
    ps__unit_table *t = *state;
    assert_int_equal(ps__unit_table_add_synonyms(t, "Gadget, Gadgets,Widget,"
                                                    " Widgets,,"),
                     PS_OK);
    assert_same_units(t, "Widgets", "gadget");
    assert_different_units(t, "Widget", "Box");
}

static void test_parse_refuses_a_missing_name(void **state)
{
    ps__unit_table *t = *state;
    assert_refused(t, "person//Year", 8, "expected a unit name, found '/'");
    assert_refused(t, "*Year", 1, "expected a unit name");
    assert_refused(t, "Person/", 8, "found end of text");
    assert_refused(t, "()", 2, "found ')'");
}

static void test_parse_refuses_unbalanced_parentheses(void **state)
{
    ps__unit_table *t = *state;
    assert_refused(t, "yuan/(person*Year", 6, "'(' is never closed");
    assert_refused(t, "person)", 7, "unexpected ')'");
}

static void test_parse_refuses_bad_exponents(void **state)
{
    ps__unit_table *t = *state;
    assert_refused(t, "Year^", 6, "integer exponent");
    assert_refused(t, "Year^x", 6, "integer exponent");
    assert_refused(t, "Year^0.5", 6, "must be integers");
    assert_refused(t, "Year^(-1", 9, "expected ')'");
    assert_refused(t, "Year^1000", 6, "too large");
}

static void test_parse_refuses_numbers_other_than_one(void **state)
{
    ps__unit_table *t = *state;
    assert_refused(t, "1000/Year", 1, "only number allowed");
    assert_refused(t, "Person/2", 8, "only number allowed");
}

static void test_parse_refuses_a_range_left_in_the_text(void **state)
{
    ps__unit_table *t = *state;
    assert_refused(t, "Widgets [0,100]", 9, "range");
}

static void test_parse_counts_error_columns_in_characters(void **state)
{
    ps__unit_table *t = *state;
    /* 亿元 is two characters (six bytes): the fault is at character 4. */
    assert_refused(t, "亿元//年", 4, "expected a unit name");
}

static void test_format_round_trips_through_parse(void **state)
{
    ps__unit_table *t = *state;
    const char *texts[] = {"Person",  "yuan/(person*Year)", "Year^-3*kg",
                           "1/Year",  "a*b*c/(d*e^2)",      "Dmnl",
                           "亿元/年", "million yuan*Month/People"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        ps__units u, back;
        char once[PS__UNITS_TEXT], twice[PS__UNITS_TEXT];
        parse_ok(t, texts[i], &u);
        ps__units_format(t, &u, once, sizeof once);
        parse_ok(t, once, &back);
        assert_true(ps__units_equal(&u, &back));
        assert_string_equal(ps__units_format(t, &back, twice, sizeof twice),
                            once);
    }
}

static void test_format_truncates_to_the_buffer(void **state)
{
    ps__unit_table *t = *state;
    ps__units u;
    char buf[8];
    parse_ok(t, "kilowatt*hour/Year", &u);
    ps__units_format(t, &u, buf, sizeof buf);
    assert_string_equal(buf, "hour*ki");
}

static void test_format_names_the_special_kinds(void **state)
{
    ps__unit_table *t = *state;
    char buf[PS__UNITS_TEXT];
    ps__units any = ps__units_any(), dmnl = ps__units_dmnl();
    assert_string_equal(ps__units_format(t, &any, buf, sizeof buf), "any");
    assert_string_equal(ps__units_format(t, &dmnl, buf, sizeof buf), "Dmnl");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_parse_reads_simple_products_and_quotients),
        T(test_parse_writes_reciprocals_with_a_leading_one),
        T(test_parse_normalises_order_powers_and_cancellation),
        T(test_parse_reads_division_from_left_to_right),
        T(test_parse_accepts_every_spelling_of_dimensionless),
        T(test_parse_gives_unknown_for_empty_text),
        T(test_parse_compares_names_as_model_names),
        T(test_parse_keeps_spaces_inside_names),
        T(test_parse_reads_utf8_names),
        T(test_parse_merges_vensim_default_synonyms_only),
        T(test_parse_shows_the_models_spelling_of_a_synonym),
        T(test_add_synonyms_joins_a_models_own_group),
        T(test_parse_refuses_a_missing_name),
        T(test_parse_refuses_unbalanced_parentheses),
        T(test_parse_refuses_bad_exponents),
        T(test_parse_refuses_numbers_other_than_one),
        T(test_parse_refuses_a_range_left_in_the_text),
        T(test_parse_counts_error_columns_in_characters),
        T(test_format_round_trips_through_parse),
        T(test_format_truncates_to_the_buffer),
        T(test_format_names_the_special_kinds),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
