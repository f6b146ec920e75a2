/*
 * The conformance rule: closeness as SDXorg/test-models judges it, the
 * ignored columns, and how series are matched by name and time.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "plansim_study/conform.h"

/* A series with the given names and nrows rows of (time, values...). */
static ps_series *series(size_t ncols, const char *const names[], size_t nrows,
                         const double *rows)
{
    ps_series *s = ps_series_new(ncols, names);
    assert_non_null(s);
    for (size_t r = 0; r < nrows; r++)
        assert_int_equal(ps_series_append(s, rows[r * (ncols + 1)],
                                          rows + r * (ncols + 1) + 1),
                         0);
    return s;
}

static void test_close_accepts_equal_values(void **state)
{
    assert_true(ps_conform_close(1.5, 1.5));
    assert_true(ps_conform_close(-7e300, -7e300));
    assert_true(ps_conform_close(INFINITY, INFINITY));
}

static void test_close_scales_with_the_larger_magnitude(void **state)
{
    assert_true(ps_conform_close(1, 1.0001));
    assert_true(ps_conform_close(1.0001, 1));
    assert_true(ps_conform_close(-100, -100.009));
    assert_false(ps_conform_close(1, 1.00011));
    assert_false(ps_conform_close(1.00011, 1));
    assert_false(ps_conform_close(1, -1));
}

static void test_close_accepts_both_near_zero(void **state)
{
    assert_true(ps_conform_close(0, 1e-6));
    assert_true(ps_conform_close(1e-6, -1e-6));
    assert_true(ps_conform_close(-4e-7, 9e-7));
    /* one side near zero is not enough */
    assert_false(ps_conform_close(0, 2e-6));
    assert_false(ps_conform_close(2e-6, 0));
}

static void test_close_rejects_nan_and_lone_infinities(void **state)
{
    assert_false(ps_conform_close(1, NAN));
    assert_false(ps_conform_close(NAN, NAN));
    assert_false(ps_conform_close(1e308, INFINITY));
    assert_false(ps_conform_close(INFINITY, -INFINITY));
}

static void test_ignored_knows_the_control_columns(void **state)
{
    assert_true(ps_conform_ignored("SAVEPER"));
    assert_true(ps_conform_ignored("INITIAL TIME"));
    assert_true(ps_conform_ignored("Final_Time"));
    assert_true(ps_conform_ignored("time step"));
    assert_false(ps_conform_ignored("TIME STEPS"));
    assert_false(ps_conform_ignored("Stock"));
}

static void test_compare_matches_names_as_vensim_does(void **state)
{
    const char *exp_names[] = {"teacup  TEMPERATURE", "room_temperature"};
    const char *sim_names[] = {"Room Temperature", "Teacup Temperature"};
    const double e[] = {0, 180, 70, 1, 178.6, 70};
    const double s[] = {0, 70, 180, 1, 70, 178.61};
    ps_series *exp = series(2, exp_names, 2, e);
    ps_series *sim = series(2, sim_names, 2, s);
    char msg[256] = "";
    assert_int_equal(ps_conform_compare(exp, NULL, sim, msg, sizeof msg), 0);
    ps_series_free(&exp);
    ps_series_free(&sim);
}

static void test_compare_fails_on_a_column_the_model_lacks(void **state)
{
    const char *exp_names[] = {"x", "y"};
    const char *sim_names[] = {"x"};
    const double e[] = {0, 1, 2};
    const double s[] = {0, 1};
    ps_series *exp = series(2, exp_names, 1, e);
    ps_series *sim = series(1, sim_names, 1, s);
    char msg[256];
    assert_int_equal(ps_conform_compare(exp, NULL, sim, msg, sizeof msg), 1);
    assert_string_equal(msg, "variable 'y' is not in the model");
    ps_series_free(&exp);
    ps_series_free(&sim);
}

static void test_compare_skips_ignored_columns_and_empty_cells(void **state)
{
    const char *exp_names[] = {"SAVEPER", "k", "x"};
    const char *sim_names[] = {"x", "k"};
    const double e[] = {0, 99, 5, 1, 1, 99, NAN, 2};
    const double s[] = {0, 1, 5, 1, 2, 6};
    ps_series *exp = series(3, exp_names, 2, e);
    ps_series *sim = series(2, sim_names, 2, s);
    char msg[256] = "";
    assert_int_equal(ps_conform_compare(exp, NULL, sim, msg, sizeof msg), 0);
    ps_series_free(&exp);
    ps_series_free(&sim);
}

static void test_compare_matches_rows_by_time(void **state)
{
    /* expected every second saved time, written with rounding noise */
    const char *names[] = {"x"};
    const double e[] = {0, 0, 0.5000000000001, 5, 1, 10};
    const double s[] = {0, 0, 0.25, 2.5, 0.5, 5, 0.75, 7.5, 1, 10};
    ps_series *exp = series(1, names, 3, e);
    ps_series *sim = series(1, names, 5, s);
    char msg[256] = "";
    assert_int_equal(ps_conform_compare(exp, NULL, sim, msg, sizeof msg), 0);
    ps_series_free(&exp);
    ps_series_free(&sim);
}

static void test_compare_fails_on_a_time_not_simulated(void **state)
{
    const char *names[] = {"x"};
    const double e[] = {0, 0, 0.3, 3, 2, 20};
    const double s[] = {0, 0, 0.25, 2.5, 0.5, 5};
    ps_series *exp = series(1, names, 3, e);
    ps_series *sim = series(1, names, 3, s);
    char msg[256];
    assert_int_equal(ps_conform_compare(exp, NULL, sim, msg, sizeof msg), 1);
    assert_string_equal(msg, "no simulated values at time 0.3");
    ps_series_free(&exp);
    ps_series_free(&sim);
}

static void test_compare_reports_the_first_mismatch_by_time(void **state)
{
    const char *names[] = {"a", "b"};
    const double e[] = {0, 1, 1, 1, 1, 1.5, 2, 9, 9};
    const double s[] = {0, 1, 1, 1, 1, 1.7, 2, 0, 0};
    ps_series *exp = series(2, names, 3, e);
    ps_series *sim = series(2, names, 3, s);
    char msg[256];
    assert_int_equal(ps_conform_compare(exp, NULL, sim, msg, sizeof msg), 1);
    assert_string_equal(msg, "variable 'b' at time 1: expected 1.5, got 1.7");
    ps_series_free(&exp);
    ps_series_free(&sim);
}

static void test_compare_reports_nan_as_a_mismatch(void **state)
{
    const char *names[] = {"x"};
    const double e[] = {3, 1};
    const double s[] = {3, NAN};
    ps_series *exp = series(1, names, 1, e);
    ps_series *sim = series(1, names, 1, s);
    char msg[256];
    assert_int_equal(ps_conform_compare(exp, NULL, sim, msg, sizeof msg), 1);
    assert_string_equal(msg, "variable 'x' at time 3: expected 1, got nan");
    ps_series_free(&exp);
    ps_series_free(&sim);
}

static void test_close_within_allows_the_reference_rounding(void **state)
{
    /* 0.03214 written to 5 decimals stands for [0.032135, 0.032145]. */
    assert_false(ps_conform_close(0.03214, 0.0321442));
    assert_true(ps_conform_close_within(0.03214, 0.0321442, 5e-6));
    assert_false(ps_conform_close_within(0.03214, 0.0321462, 5e-6));
    /* No resolution: the suite's rule alone. */
    assert_false(ps_conform_close_within(0.03214, 0.0321442, 0));
}

static void test_compare_uses_the_resolution_of_each_cell(void **state)
{
    const char *names[] = {"trend"};
    const double e[] = {6, 0.03214};
    const double r[] = {6, 5e-6};
    const double s[] = {6, 0.0321442};
    ps_series *exp = series(1, names, 1, e);
    ps_series *res = series(1, names, 1, r);
    ps_series *sim = series(1, names, 1, s);
    char msg[256];
    assert_int_equal(ps_conform_compare(exp, NULL, sim, msg, sizeof msg), 1);
    assert_int_equal(ps_conform_compare(exp, res, sim, msg, sizeof msg), 0);
    ps_series_free(&exp);
    ps_series_free(&res);
    ps_series_free(&sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_close_accepts_equal_values),
        cmocka_unit_test(test_close_scales_with_the_larger_magnitude),
        cmocka_unit_test(test_close_accepts_both_near_zero),
        cmocka_unit_test(test_close_rejects_nan_and_lone_infinities),
        cmocka_unit_test(test_ignored_knows_the_control_columns),
        cmocka_unit_test(test_compare_matches_names_as_vensim_does),
        cmocka_unit_test(test_compare_fails_on_a_column_the_model_lacks),
        cmocka_unit_test(test_compare_skips_ignored_columns_and_empty_cells),
        cmocka_unit_test(test_compare_matches_rows_by_time),
        cmocka_unit_test(test_compare_fails_on_a_time_not_simulated),
        cmocka_unit_test(test_compare_reports_the_first_mismatch_by_time),
        cmocka_unit_test(test_compare_reports_nan_as_a_mismatch),
        cmocka_unit_test(test_close_within_allows_the_reference_rounding),
        cmocka_unit_test(test_compare_uses_the_resolution_of_each_cell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
