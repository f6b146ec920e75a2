/*
 * Lever axes, ranges, grids and target choices of plansim sweep and solve
 * (study/sweep/lever_grid.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim_study/sweep.h"

static void test_grid_parse_axis_reads_name_range_and_steps(void **state)
{
    grid_axis a;
    char msg[256];
    assert_int_equal(
        grid_parse_axis(" fai growth = 0.10:0.25:7", &a, msg, sizeof msg), 0);
    assert_string_equal(a.name, "fai growth");
    assert_true(a.from == 0.10 && a.to == 0.25);
    assert_int_equal(a.steps, 7);
    free(a.name);
    /* Chinese names, negative and descending values, exponents. */
    assert_int_equal(
        grid_parse_axis("投资增速=1e-1:-0.5:2", &a, msg, sizeof msg), 0);
    assert_string_equal(a.name, "投资增速");
    assert_true(a.from == 0.1 && a.to == -0.5);
    free(a.name);
}

static void test_grid_parse_axis_refuses_malformed_text(void **state)
{
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"fai growth", "expected NAME=FROM:TO:STEPS"},
        {"fai growth=0.1:0.2", "expected NAME=FROM:TO:STEPS"},
        {"fai growth=0.1:0.2:3:4", "expected NAME=FROM:TO:STEPS"},
        {"=0.1:0.2:3", "no lever name"},
        {"  =0.1:0.2:3", "no lever name"},
        {"x=a:0.2:3", "FROM 'a' is not a number"},
        {"x=0.1::3", "TO '' is not a number"},
        {"x=0.1:0.2:three", "STEPS 'three' is not a whole number"},
        {"x=0.1:0.2:-3", "STEPS '-3' is not a whole number"},
        {"x=0.1:0.2:2.5", "STEPS '2.5' is not a whole number"},
        {"x=0.1:0.2:1", "STEPS must be at least 2"},
        {"x=0.1:0.2:0", "STEPS must be at least 2"},
        {"x=0.1:0.2:100001", "STEPS must be at most"},
        {"x=0.2:0.2:3", "FROM and TO are the same value"},
        {"x=inf:0.2:3", "FROM 'inf' is not a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        grid_axis a = {NULL, 0, 0, 0};
        char msg[256] = "";
        assert_int_equal(grid_parse_axis(bad[i].text, &a, msg, sizeof msg), -1);
        if (!strstr(msg, bad[i].says))
            fail_msg("'%s': message '%s' does not say '%s'", bad[i].text, msg,
                     bad[i].says);
        assert_null(a.name);
    }
    /* The message buffer may be left out. */
    grid_axis a = {NULL, 0, 0, 0};
    assert_int_equal(grid_parse_axis("x", &a, NULL, 0), -1);
}

static void test_grid_parse_range_needs_a_below_b(void **state)
{
    double a = 0, b = 0;
    char msg[256];
    assert_int_equal(grid_parse_range("0.05:0.40", &a, &b, msg, sizeof msg), 0);
    assert_true(a == 0.05 && b == 0.40);
    assert_int_equal(grid_parse_range("-1:-0.5", &a, &b, msg, sizeof msg), 0);
    assert_true(a == -1 && b == -0.5);
    assert_int_equal(grid_parse_range("0.4:0.05", &a, &b, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "A must be below B"));
    assert_int_equal(grid_parse_range("1:1", &a, &b, msg, sizeof msg), -1);
    assert_int_equal(grid_parse_range("0.4", &a, &b, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "not a range A:B"));
    assert_int_equal(grid_parse_range("0:1:2", &a, &b, msg, sizeof msg), -1);
    assert_int_equal(grid_parse_range("x:1", &a, &b, msg, sizeof msg), -1);
    assert_true(a == -1 && b == -0.5); /* untouched by failures */
}

static void test_grid_axis_value_includes_both_ends_as_written(void **state)
{
    grid_axis a = {NULL, 0.1, 0.4, 7};
    const double want[] = {0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4};
    for (size_t i = 0; i < 7; i++)
        assert_true(grid_axis_value(&a, i) == want[i]);
    grid_axis down = {NULL, 1, -1, 5};
    assert_true(grid_axis_value(&down, 0) == 1);
    assert_true(grid_axis_value(&down, 2) == 0);
    assert_true(grid_axis_value(&down, 4) == -1);
    grid_axis tiny = {NULL, 0, 1e-20, 3};
    assert_true(grid_axis_value(&tiny, 1) == 5e-21);
}

static void test_grid_point_varies_the_last_axis_fastest(void **state)
{
    grid_axis axes[3] = {{NULL, 0, 1, 2}, {NULL, 10, 30, 3}, {NULL, 5, 6, 2}};
    assert_int_equal(grid_count(axes, 3), 12);
    double v[3];
    grid_point(axes, 3, 0, v);
    assert_true(v[0] == 0 && v[1] == 10 && v[2] == 5);
    grid_point(axes, 3, 1, v);
    assert_true(v[0] == 0 && v[1] == 10 && v[2] == 6);
    grid_point(axes, 3, 2, v);
    assert_true(v[0] == 0 && v[1] == 20 && v[2] == 5);
    grid_point(axes, 3, 6, v);
    assert_true(v[0] == 1 && v[1] == 10 && v[2] == 5);
    grid_point(axes, 3, 11, v);
    assert_true(v[0] == 1 && v[1] == 30 && v[2] == 6);
}

static void test_grid_count_refuses_too_many_points(void **state)
{
    grid_axis big[3] = {
        {NULL, 0, 1, 1000}, {NULL, 0, 1, 1000}, {NULL, 0, 1, 2}};
    assert_int_equal(grid_count(big, 2), 1000000);
    assert_int_equal(grid_count(big, 3), 0);
    grid_axis huge[2] = {{NULL, 0, 1, SIZE_MAX / 2}, {NULL, 0, 1, 4}};
    assert_int_equal(grid_count(huge, 2), 0);
}

static ps_scenario *parse(const char *yaml)
{
    ps_scenario *sc = NULL;
    ps_error err;
    if (ps_scenario_parse(yaml, strlen(yaml), "targets.yaml", &sc, &err) !=
        PS_OK)
        fail_msg("%s", err.message);
    return sc;
}

static void test_grid_select_targets_takes_all_or_the_named(void **state)
{
    ps_scenario *sc =
        parse("model: m.mdl\n"
              "targets:\n"
              "  - {name: gdp_700, variable: GDP, year: 2030, at least: 700}\n"
              "  - {name: 城镇化, variable: u, year: 2030, at least: 0.7}\n"
              "  - {name: cap, variable: GDP, year: 2030, at most: 900}\n");
    size_t *idx = NULL, n = 0;
    ps_error err;
    assert_int_equal(grid_select_targets(sc, NULL, 0, &idx, &n, &err), PS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[2], 2);
    free(idx);
    const char *names[] = {"cap", "城镇化"};
    assert_int_equal(grid_select_targets(sc, names, 2, &idx, &n, &err), PS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 1);
    free(idx);
    const char *unknown[] = {"gdp_800"};
    assert_int_equal(grid_select_targets(sc, unknown, 1, &idx, &n, &err),
                     PS_ERR_USAGE);
    assert_null(idx);
    assert_non_null(strstr(err.message, "no target 'gdp_800'"));
    assert_non_null(strstr(err.message, "gdp_700, 城镇化, cap"));
    const char *twice[] = {"cap", "cap"};
    assert_int_equal(grid_select_targets(sc, twice, 2, &idx, &n, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "twice"));
    ps_scenario_free(&sc);
}

static void test_grid_select_targets_needs_targets(void **state)
{
    ps_scenario *sc = parse("model: m.mdl\n");
    size_t *idx = NULL, n = 0;
    ps_error err;
    assert_int_equal(grid_select_targets(sc, NULL, 0, &idx, &n, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "no targets"));
    ps_scenario_free(&sc);
}

static void test_grid_select_targets_suggests_the_nearest(void **state)
{
    ps_scenario *sc =
        parse("model: m.mdl\n"
              "targets:\n"
              "  - {name: gdp_700, variable: GDP, year: 2030, at least: 700}\n"
              "  - {name: 地区生产总值, variable: GDP, year: 2030, "
              "at least: 700}\n"
              "  - {name: 城镇化, variable: u, year: 2030, at least: 0.7}\n");
    size_t *idx = NULL, n = 0;
    ps_error err;
    /* one wrong Chinese character, as one wrong letter */
    const char *zh[] = {"地区生产总直"};
    assert_int_equal(grid_select_targets(sc, zh, 1, &idx, &n, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "no target '地区生产总直'"));
    assert_non_null(strstr(err.message, "; did you mean '地区生产总值'?"));
    const char *short_zh[] = {"城镇花"};
    assert_int_equal(grid_select_targets(sc, short_zh, 1, &idx, &n, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "; did you mean '城镇化'?"));
    const char *ascii[] = {"gdp_800"};
    assert_int_equal(grid_select_targets(sc, ascii, 1, &idx, &n, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "; did you mean 'gdp_700'?"));
    /* nothing near: no suggestion */
    const char *far[] = {"人口"};
    assert_int_equal(grid_select_targets(sc, far, 1, &idx, &n, &err),
                     PS_ERR_USAGE);
    assert_null(strstr(err.message, "did you mean"));
    assert_null(idx);
    ps_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_parse_axis_reads_name_range_and_steps),
        cmocka_unit_test(test_grid_parse_axis_refuses_malformed_text),
        cmocka_unit_test(test_grid_parse_range_needs_a_below_b),
        cmocka_unit_test(test_grid_axis_value_includes_both_ends_as_written),
        cmocka_unit_test(test_grid_point_varies_the_last_axis_fastest),
        cmocka_unit_test(test_grid_count_refuses_too_many_points),
        cmocka_unit_test(test_grid_select_targets_takes_all_or_the_named),
        cmocka_unit_test(test_grid_select_targets_needs_targets),
        cmocka_unit_test(test_grid_select_targets_suggests_the_nearest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
