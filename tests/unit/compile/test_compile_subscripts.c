/*
 * Subscripts, compiled and run: ranges and subranges, numeric ranges,
 * equivalences and mappings, element-by-element and mixed definitions,
 * :EXCEPT:, implicit up-dimensioning and transposition, constant lists,
 * subscripted stocks, lookups and smooths (each element its own state),
 * SUM/PROD/VMIN/VMAX, ELMCOUNT and ranges used as numbers; and the layout
 * the program gives an array (contiguous elements, one loop per
 * equation).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compile_impl.h"
#include "model_fixture.h"

#define RANGES                                                               \
    "region: north, south, east ~ ~ |\n"                                     \
    "coast: south, east ~ ~ |\n"                                             \
    "chain: (c1-c4) ~ ~ |\n"

static void test_constant_lists_and_array_equations(void **state)
{
    (void)state;
    const char *text = RANGES
        "base[region] = 1, 2, 4 ~ ~ |\n"
        "twice[region] = 2 * base[region] + Time ~ ~ |\n"
        "grid[region, chain] = 1, 2, 3, 4; 5, 6, 7, 8; 9, 10, 11, 12; ~ ~ |\n"
        "total = SUM(base[region!]) ~ ~ |\n"
        "product = PROD(base[region!]) ~ ~ |\n"
        "smallest = VMIN(grid[region!, chain!]) ~ ~ |\n"
        "largest per region[region] = VMAX(grid[region, chain!]) ~ ~ |\n"
        "count = ELMCOUNT(chain) ~ ~ |\n" CONTROL(2, 1);
    ps_series *s = run_text(text, NULL);
    assert_float_equal(value_at(s, "twice[north]", 0), 2, 0);
    assert_float_equal(value_at(s, "twice[east]", 2), 10, 0);
    assert_float_equal(value_at(s, "grid[south,c3]", 0), 7, 0);
    assert_float_equal(value_at(s, "total", 0), 7, 0);
    assert_float_equal(value_at(s, "product", 0), 8, 0);
    assert_float_equal(value_at(s, "smallest", 0), 1, 0);
    assert_float_equal(value_at(s, "largest per region[east]", 0), 12, 0);
    assert_float_equal(value_at(s, "count", 0), 4, 0);
    ps_series_free(&s);
}

static void test_element_wise_and_subrange_definitions(void **state)
{
    (void)state;
    const char *text = RANGES
        "x[north] = 10 ~ ~ |\n"
        "x[coast] = 20 + Time ~ ~ |\n"
        "y[region] = x[region] * 2 ~ ~ |\n"
        "on coast[coast] = x[coast] ~ ~ |\n"
        "cumulative[c1] = 1 ~ ~ |\n"
        "cumulative[c2] = cumulative[c1] + 1 ~ ~ |\n"
        "cumulative[c3] = cumulative[c2] * 3 ~ ~ |\n"
        "cumulative[c4] = cumulative[c3] + cumulative[c1] ~ ~ |\n"
        CONTROL(1, 1);
    ps_series *s = run_text(text, NULL);
    assert_float_equal(value_at(s, "y[north]", 0), 20, 0);
    assert_float_equal(value_at(s, "y[east]", 1), 42, 0);
    assert_float_equal(value_at(s, "on coast[south]", 1), 21, 0);
    /* elements defined one by one are ordered one by one */
    assert_float_equal(value_at(s, "cumulative[c4]", 0), 7, 0);
    /* a variable over a subrange has only its elements */
    assert_int_equal(ps_series_find(s, "on coast[north]"), (size_t)-1);
    ps_series_free(&s);
}

static void test_except_numeric_ranges_and_updimensioning(void **state)
{
    (void)state;
    const char *text = RANGES
        "z[region, chain] :EXCEPT: [north, c2], [coast, c4] = 1 ~ ~ |\n"
        "z[north, c2] = 2 ~ ~ |\n"
        "z[coast, c4] = 3 ~ ~ |\n"
        "row[chain] = 1, 2, 3, 4 ~ ~ |\n"
        "up[region, chain] = row[chain] ~ ~ |\n"
        "t[chain, region] = z[region, chain] ~ ~ |\n" CONTROL(1, 1);
    ps_series *s = run_text(text, NULL);
    assert_float_equal(value_at(s, "z[north,c1]", 0), 1, 0);
    assert_float_equal(value_at(s, "z[north,c2]", 0), 2, 0);
    assert_float_equal(value_at(s, "z[east,c4]", 0), 3, 0);
    assert_float_equal(value_at(s, "z[north,c4]", 0), 1, 0);
    assert_float_equal(value_at(s, "up[south,c3]", 0), 3, 0);
    assert_float_equal(value_at(s, "t[c4,south]", 0), 3, 0);
    assert_float_equal(value_at(s, "t[c2,north]", 0), 2, 0);
    ps_series_free(&s);
}

static void test_mappings_and_equivalences(void **state)
{
    (void)state;
    const char *text =
        "product: bread, cake ~ ~ |\n"
        "skill: baker, pastry cook -> product ~ ~ |\n"
        "line: l1, l2 -> (product: cake, bread) ~ ~ |\n"
        "item <-> product ~ ~ |\n"
        "workers[skill] = 5, 10 ~ ~ |\n"
        "output[product] = workers[skill] * 2 ~ ~ |\n"
        "per line[line] = output[product] ~ ~ |\n"
        "same[item] = output[item] + 1 ~ ~ |\n" CONTROL(1, 1);
    ps_series *s = run_text(text, NULL);
    assert_float_equal(value_at(s, "output[bread]", 0), 10, 0);
    assert_float_equal(value_at(s, "output[cake]", 0), 20, 0);
    /* l1 maps to cake, l2 to bread */
    assert_float_equal(value_at(s, "per line[l1]", 0), 20, 0);
    assert_float_equal(value_at(s, "per line[l2]", 0), 10, 0);
    assert_float_equal(value_at(s, "same[cake]", 0), 21, 0);
    ps_series_free(&s);
}

static void test_subscripted_stocks_lookups_and_smooths(void **state)
{
    (void)state;
    const char *text = RANGES
        "stock[region] = INTEG(inflow[region], start[region]) ~ ~ |\n"
        "start[region] = 0, 10, 20 ~ ~ |\n"
        "inflow[region] = 1, 2, 3 ~ ~ |\n"
        "curve[north]((0,0),(10,10)) ~ ~ |\n"
        "curve[south]((0,0),(10,20)) ~ ~ |\n"
        "curve[east]((0,0),(10,30)) ~ ~ |\n"
        "looked[region] = curve[region](Time) ~ ~ |\n"
        "smoothed[region] = SMOOTH(stock[region], 2) ~ ~ |\n"
        "scalar smooth = SMOOTH(stock[east], 2) ~ ~ |\n"
        "delayed[region] = DELAY FIXED(inflow[region] * Time, 1, -1) ~ ~ |\n"
        CONTROL(4, 0.5);
    ps_series *s = run_text(text, NULL);
    assert_float_equal(value_at(s, "stock[south]", 4), 18, 1e-12);
    assert_float_equal(value_at(s, "looked[east]", 4), 12, 1e-12);
    /* each element has a smooth of its own, equal to a scalar one */
    assert_float_equal(value_at(s, "smoothed[east]", 4),
                       value_at(s, "scalar smooth", 4), 0);
    assert_true(value_at(s, "smoothed[north]", 4) <
                value_at(s, "smoothed[south]", 4));
    /* and a pipeline of its own: value from one time unit earlier */
    assert_float_equal(value_at(s, "delayed[east]", 0.5), -1, 0);
    assert_float_equal(value_at(s, "delayed[east]", 3), 6, 0);
    assert_float_equal(value_at(s, "delayed[north]", 3), 2, 0);
    ps_series_free(&s);
}

static void test_ranges_and_elements_as_numbers(void **state)
{
    (void)state;
    const char *text = RANGES
        "position[region] = region ~ ~ |\n"
        "on coast[coast] = coast ~ ~ |\n"
        "is south[region] = IF THEN ELSE(region = south, 1, 0) ~ ~ |\n"
        CONTROL(1, 1);
    ps_series *s = run_text(text, NULL);
    assert_float_equal(value_at(s, "position[east]", 0), 3, 0);
    /* a subrange counts in the range it is part of */
    assert_float_equal(value_at(s, "on coast[south]", 0), 2, 0);
    assert_float_equal(value_at(s, "is south[south]", 0), 1, 0);
    assert_float_equal(value_at(s, "is south[east]", 0), 0, 0);
    ps_series_free(&s);
}

static void test_program_layout_of_arrays(void **state)
{
    (void)state;
    ps_program *p = compile_text(RANGES
                                 "grid[region, chain] = Time ~ ~ |\n"
                                 "x = 1 ~ ~ |\n" CONTROL(1, 1));
    size_t g = ps_program_find(p, "grid");
    assert_int_equal(ps_program_var_size(p, g), 12);
    assert_int_equal(ps_program_var_ndims(p, g), 2);
    size_t d0 = ps_program_var_dim(p, g, 0), d1 = ps_program_var_dim(p, g, 1);
    assert_string_equal(ps_program_dim_name(p, d0), "region");
    assert_int_equal(ps_program_dim_size(p, d1), 4);
    assert_string_equal(ps_program_dim_element(p, d1, 3), "c4");
    char *name = ps_program_element_name(p, g, 5);
    assert_string_equal(name, "grid[south,c2]");
    free(name);
    size_t x = ps_program_find(p, "x");
    assert_int_equal(ps_program_var_size(p, x), 1);
    name = ps_program_element_name(p, x, 0);
    assert_string_equal(name, "x");
    free(name);
    ps_program_free(&p);
}

static void test_partly_defined_variables_run_over_their_elements(void **state)
{
    (void)state;
    ps_program *p = compile_text(RANGES
                                 "part[north] = 1 ~ ~ |\n"
                                 "part[east] = 2 ~ ~ |\n" CONTROL(1, 1));
    size_t v = ps_program_find(p, "part");
    assert_int_equal(ps_program_var_size(p, v), 2);
    char *name = ps_program_element_name(p, v, 1);
    assert_string_equal(name, "part[east]");
    free(name);
    ps_program_free(&p);
}

/* Fails unless compiling `text` gives `status` at line:col with `part`
   in the message. */
static void expect_error(const char *text, ps_status status, int line,
                         int col, const char *part)
{
    ps_error err;
    ps_status st = compile_error(text, &err);
    if (st != status || err.line != line || err.column != col ||
        !strstr(err.message, part)) {
        ps_error_print(stderr, &err);
        fail_msg("expected %s at %d:%d containing \"%s\"",
                 ps_status_name(status), line, col, part);
    }
}

static void test_subscript_errors_are_located(void **state)
{
    (void)state;
    expect_error(RANGES "x[west] = 1 ~ ~ |\n" CONTROL(1, 1), PS_ERR_SEMANTIC,
                 4, 3, "unknown subscript 'west'");
    expect_error(RANGES "x[region] = 1, 2 ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 4, 13, "lists 2 values for 3 elements");
    expect_error(RANGES "x[region] = 1 ~ ~ |\nx[north] = 2 ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 5, 1, "x[north] is defined twice");
    expect_error(RANGES "x[region, chain] = 1 ~ ~ |\n"
                        "x[north, c1] = 2 ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 5, 1, "defined twice");
    expect_error(RANGES "x[north, c1] = 1 ~ ~ |\nx[south, c2] = 1 ~ ~ |\n"
                 CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 4, 1, "x[north,c2] is not defined");
    expect_error(RANGES "x[region] = 1 ~ ~ |\ny = x ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 5, 5, "'x' needs 1 subscript, not 0");
    expect_error(RANGES "x[region] = 1 ~ ~ |\ny[chain] = x[region] ~ ~ |\n"
                 CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 5, 14,
                 "range 'region' is not on the left-hand side");
    expect_error(RANGES "x[region] = 1 ~ ~ |\ny = x[region!] ~ ~ |\n"
                 CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 5, 7, "only meaningful inside SUM");
    expect_error(RANGES "x[coast] = 1 ~ ~ |\ny[region] = x[region] ~ ~ |\n"
                 CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 5, 15, "'x' has no element 'north'");
    expect_error("a: x, y -> b ~ ~ |\nb: p, q, r ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 1, 12, "cannot be mapped to 'b'");
    expect_error("a: x, y, x ~ ~ |\n" CONTROL(1, 1), PS_ERR_SEMANTIC, 1, 10,
                 "element 'x' is listed twice");
    expect_error(RANGES "x[north] = 1 ~ ~ |\n"
                        "x[coast] = INTEG(1, 0) ~ ~ |\n" CONTROL(1, 1),
                 PS_ERR_SEMANTIC, 5, 1,
                 "makes 'x' a stock, but its equation at 4:1 makes it an "
                 "auxiliary");
}

static void test_array_equations_compile_to_one_loop(void **state)
{
    (void)state;
    /* 2,000 elements: the compiled code does not grow with the count */
    char *text = malloc(1 << 16);
    assert_non_null(text);
    snprintf(text, 1 << 16,
             "big: (e1-e2000) ~ ~ |\n"
             "a[big] = Time ~ ~ |\n"
             "b[big] = a[big] * 2 + 1 ~ ~ |\n" CONTROL(1, 1));
    ps_program *p = compile_text(text);
    /* a loop each: begin, load, (const, mul, const, add), store, next */
    assert_true(p->step_code.n < 16);
    assert_int_equal(ps_program_var_size(p, ps_program_find(p, "b")), 2000);
    ps_program_free(&p);
    ps_series *s = run_text(text, NULL);
    assert_float_equal(value_at(s, "b[e1999]", 1), 3, 0);
    ps_series_free(&s);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constant_lists_and_array_equations),
        cmocka_unit_test(test_element_wise_and_subrange_definitions),
        cmocka_unit_test(test_except_numeric_ranges_and_updimensioning),
        cmocka_unit_test(test_mappings_and_equivalences),
        cmocka_unit_test(test_subscripted_stocks_lookups_and_smooths),
        cmocka_unit_test(test_ranges_and_elements_as_numbers),
        cmocka_unit_test(test_program_layout_of_arrays),
        cmocka_unit_test(test_partly_defined_variables_run_over_their_elements),
        cmocka_unit_test(test_subscript_errors_are_located),
        cmocka_unit_test(test_array_equations_compile_to_one_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
