/*
 * Lookups: interpolation, ends held or extrapolated, forward/backward
 * steps, inversion, duplicate x, and bisection on long tables agreeing with
 * a plain scan.  Tables are built on the stack: ps_table is a plain struct.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/fn.h"

/* cmocka's assert_float_equal compares floats; these values are doubles. */
#define assert_near(a, b, tol)                                              \
    do {                                                                    \
        double a_ = (a), b_ = (b);                                          \
        if (!(fabs(a_ - b_) <= (tol)))                                      \
            fail_msg("%.17g != %.17g (tolerance %g)", a_, b_, (double)(tol)); \
    } while (0)

#define TABLE(xs, ys) \
    ((ps_table){.n = sizeof(xs) / sizeof((xs)[0]), .x = (xs), .y = (ys)})

/* The manual's example ((0,0),(1,2),(2,3)). */
static double ex_x[] = {0, 1, 2}, ex_y[] = {0, 2, 3};
/* The manual's LOOK((0,1),(1,1),(2,2)) of the special modes. */
static double look_x[] = {0, 1, 2}, look_y[] = {1, 1, 2};

static void test_lookup_interpolates_linearly(void **state)
{
    (void)state;
    ps_table t = TABLE(ex_x, ex_y);
    assert_near(ps_fn_lookup(&t, 0.67), 1.34, 1e-12);
    assert_true(ps_fn_lookup(&t, 1.0) == 2.0);
    assert_near(ps_fn_lookup(&t, 1.7), 2.7, 1e-12);
    assert_true(ps_fn_lookup(&t, 0.0) == 0.0);
    assert_true(ps_fn_lookup(&t, 2.0) == 3.0);
}

static void test_lookup_holds_the_end_values_outside_the_range(void **state)
{
    (void)state;
    ps_table t = TABLE(ex_x, ex_y);
    assert_true(ps_fn_lookup(&t, -1.0) == 0.0);
    assert_true(ps_fn_lookup(&t, -INFINITY) == 0.0);
    assert_true(ps_fn_lookup(&t, 5.0) == 3.0);
    assert_true(ps_fn_lookup(&t, INFINITY) == 3.0);
}

static void test_lookup_at_a_duplicate_x_takes_the_first_point(void **state)
{
    (void)state;
    double x[] = {0, 1, 1, 2}, y[] = {0, 0, 5, 5};
    ps_table t = TABLE(x, y);
    assert_true(ps_fn_lookup(&t, 1.0) == 0.0);
    assert_true(ps_fn_lookup(&t, 0.5) == 0.0);
    assert_true(ps_fn_lookup(&t, 1.5) == 5.0);
    assert_true(ps_fn_lookup(&t, 1.0 + 1e-12) == 5.0);
}

static void test_lookup_of_an_empty_or_missing_table_is_nan(void **state)
{
    (void)state;
    ps_table empty = {0};
    assert_true(isnan(ps_fn_lookup(&empty, 1.0)));
    assert_true(isnan(ps_fn_lookup_extrapolate(&empty, 1.0)));
    assert_true(isnan(ps_fn_lookup_forward(&empty, 1.0)));
    assert_true(isnan(ps_fn_lookup_backward(&empty, 1.0)));
    assert_true(isnan(ps_fn_lookup_invert(&empty, 1.0)));
    assert_true(isnan(ps_fn_lookup(NULL, 1.0)));
    assert_true(isnan(ps_fn_lookup_invert(NULL, 1.0)));
}

static void test_lookup_of_nan_input_is_nan(void **state)
{
    (void)state;
    ps_table t = TABLE(ex_x, ex_y);
    assert_true(isnan(ps_fn_lookup(&t, NAN)));
    assert_true(isnan(ps_fn_lookup_extrapolate(&t, NAN)));
    assert_true(isnan(ps_fn_lookup_forward(&t, NAN)));
    assert_true(isnan(ps_fn_lookup_backward(&t, NAN)));
    assert_true(isnan(ps_fn_lookup_invert(&t, NAN)));
}

static void test_lookup_of_a_single_point_is_constant(void **state)
{
    (void)state;
    double x[] = {4}, y[] = {9};
    ps_table t = TABLE(x, y);
    for (double v = -10.0; v <= 10.0; v += 2.5) {
        assert_true(ps_fn_lookup(&t, v) == 9.0);
        assert_true(ps_fn_lookup_extrapolate(&t, v) == 9.0);
        assert_true(ps_fn_lookup_forward(&t, v) == 9.0);
        assert_true(ps_fn_lookup_backward(&t, v) == 9.0);
    }
    assert_true(ps_fn_lookup_invert(&t, 100.0) == 4.0);
}

static void test_lookup_extrapolate_matches_the_manual_example(void **state)
{
    (void)state;
    ps_table t = TABLE(look_x, look_y);
    assert_true(ps_fn_lookup_extrapolate(&t, -1.0) == 1.0);
    assert_true(ps_fn_lookup_extrapolate(&t, 1.5) == 1.5);
    assert_true(ps_fn_lookup_extrapolate(&t, 2.5) == 2.5);
}

static void test_lookup_extrapolate_continues_both_end_slopes(void **state)
{
    (void)state;
    ps_table t = TABLE(ex_x, ex_y); /* slopes 2 then 1 */
    assert_true(ps_fn_lookup_extrapolate(&t, -1.5) == -3.0);
    assert_true(ps_fn_lookup_extrapolate(&t, 4.0) == 5.0);
    assert_true(ps_fn_lookup_extrapolate(&t, 0.5) == 1.0);
}

static void test_lookup_extrapolate_holds_a_zero_width_end(void **state)
{
    (void)state;
    double x[] = {0, 0, 1, 2, 2}, y[] = {7, 1, 2, 4, 9};
    ps_table t = TABLE(x, y);
    assert_true(ps_fn_lookup_extrapolate(&t, -1.0) == 7.0);
    assert_true(ps_fn_lookup_extrapolate(&t, 3.0) == 9.0);
}

static void test_lookup_forward_takes_the_next_point(void **state)
{
    (void)state;
    ps_table t = TABLE(look_x, look_y);
    assert_true(ps_fn_lookup_forward(&t, -1.0) == 1.0);
    assert_true(ps_fn_lookup_forward(&t, 1.5) == 2.0);
    assert_true(ps_fn_lookup_forward(&t, 2.5) == 2.0);
    ps_table e = TABLE(ex_x, ex_y);
    assert_true(ps_fn_lookup_forward(&e, 0.1) == 2.0);
    assert_true(ps_fn_lookup_forward(&e, 1.0) == 2.0);
}

static void test_lookup_backward_holds_the_previous_point(void **state)
{
    (void)state;
    ps_table t = TABLE(look_x, look_y);
    assert_true(ps_fn_lookup_backward(&t, -1.0) == 1.0);
    assert_true(ps_fn_lookup_backward(&t, 1.5) == 1.0);
    assert_true(ps_fn_lookup_backward(&t, 2.5) == 2.0);
    ps_table e = TABLE(ex_x, ex_y);
    assert_true(ps_fn_lookup_backward(&e, 0.9) == 0.0);
    assert_true(ps_fn_lookup_backward(&e, 1.0) == 2.0);
    assert_true(ps_fn_lookup_backward(&e, 1.9) == 2.0);
}

static void test_lookup_invert_finds_x_on_a_rising_table(void **state)
{
    (void)state;
    ps_table t = TABLE(ex_x, ex_y);
    assert_true(ps_fn_lookup_invert(&t, 2.0) == 1.0);
    assert_true(ps_fn_lookup_invert(&t, 2.5) == 1.5);
    assert_true(ps_fn_lookup_invert(&t, 1.0) == 0.5);
    for (double x = 0.0; x <= 2.0; x += 0.125)
        assert_near(ps_fn_lookup_invert(&t, ps_fn_lookup(&t, x)), x,
                           1e-12);
}

static void test_lookup_invert_finds_x_on_a_falling_table(void **state)
{
    (void)state;
    double x[] = {0, 5}, y[] = {10, 0};
    ps_table t = TABLE(x, y);
    assert_true(ps_fn_lookup_invert(&t, 5.0) == 2.5);
    assert_true(ps_fn_lookup_invert(&t, 10.0) == 0.0);
}

static void test_lookup_invert_holds_the_ends_out_of_range(void **state)
{
    (void)state;
    ps_table t = TABLE(ex_x, ex_y);
    assert_true(ps_fn_lookup_invert(&t, -1.0) == 0.0);
    assert_true(ps_fn_lookup_invert(&t, 10.0) == 2.0);
    double fx[] = {0, 5}, fy[] = {10, 0};
    ps_table f = TABLE(fx, fy);
    assert_true(ps_fn_lookup_invert(&f, 20.0) == 0.0);
    assert_true(ps_fn_lookup_invert(&f, -5.0) == 5.0);
}

static void test_lookup_invert_takes_the_first_crossing(void **state)
{
    (void)state;
    double x[] = {0, 1, 2}, y[] = {0, 1, 0};
    ps_table t = TABLE(x, y);
    assert_true(ps_fn_lookup_invert(&t, 0.5) == 0.5);
    assert_true(ps_fn_lookup_invert(&t, 0.0) == 0.0);
    double fx[] = {0, 1, 2, 3}, fy[] = {0, 1, 1, 2};
    ps_table flat = TABLE(fx, fy);
    assert_true(ps_fn_lookup_invert(&flat, 1.0) == 1.0);
    assert_true(ps_fn_lookup_invert(&flat, 1.5) == 2.5);
}

/* What every lookup mode must give, by a plain scan of all points. */
static double scan_lookup(const ps_table *t, double v, int mode)
{
    size_t i = 0;
    while (i < t->n && t->x[i] < v)
        i++;
    if (i == t->n)
        return t->y[t->n - 1];
    if (i == 0 || t->x[i] == v)
        return t->y[i];
    if (mode > 0)
        return t->y[i];
    if (mode < 0)
        return t->y[i - 1];
    return t->y[i - 1] + (t->y[i] - t->y[i - 1]) * (v - t->x[i - 1]) /
                             (t->x[i] - t->x[i - 1]);
}

static void test_long_tables_bisect_to_the_same_answers(void **state)
{
    (void)state;
    /* 101 points with a few duplicate x, well past the scan threshold. */
    enum { N = 101 };
    double x[N], y[N];
    for (int i = 0; i < N; i++) {
        x[i] = (i == 40 || i == 77) ? (i - 1) * 0.5 : i * 0.5;
        y[i] = sin(i * 0.37) * 10.0;
    }
    ps_table t = {.n = N, .x = x, .y = y};
    for (double v = -2.0; v <= 53.0; v += 0.0625) {
        assert_true(ps_fn_lookup(&t, v) == scan_lookup(&t, v, 0));
        assert_true(ps_fn_lookup_forward(&t, v) == scan_lookup(&t, v, 1));
        assert_true(ps_fn_lookup_backward(&t, v) == scan_lookup(&t, v, -1));
    }
    /* Exactly at each point, including the duplicates. */
    for (int i = 0; i < N; i++)
        assert_true(ps_fn_lookup(&t, x[i]) == scan_lookup(&t, x[i], 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_interpolates_linearly),
        cmocka_unit_test(test_lookup_holds_the_end_values_outside_the_range),
        cmocka_unit_test(test_lookup_at_a_duplicate_x_takes_the_first_point),
        cmocka_unit_test(test_lookup_of_an_empty_or_missing_table_is_nan),
        cmocka_unit_test(test_lookup_of_nan_input_is_nan),
        cmocka_unit_test(test_lookup_of_a_single_point_is_constant),
        cmocka_unit_test(test_lookup_extrapolate_matches_the_manual_example),
        cmocka_unit_test(test_lookup_extrapolate_continues_both_end_slopes),
        cmocka_unit_test(test_lookup_extrapolate_holds_a_zero_width_end),
        cmocka_unit_test(test_lookup_forward_takes_the_next_point),
        cmocka_unit_test(test_lookup_backward_holds_the_previous_point),
        cmocka_unit_test(test_lookup_invert_finds_x_on_a_rising_table),
        cmocka_unit_test(test_lookup_invert_finds_x_on_a_falling_table),
        cmocka_unit_test(test_lookup_invert_holds_the_ends_out_of_range),
        cmocka_unit_test(test_lookup_invert_takes_the_first_crossing),
        cmocka_unit_test(test_long_tables_bisect_to_the_same_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
