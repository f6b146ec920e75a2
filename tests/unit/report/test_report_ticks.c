/*
 * Axis ticks on 1-2-5 steps: the step chosen for a range and a number of
 * intervals, the ticks enclosing the data, exact decimal ticks, empty and
 * reversed ranges, and the inputs refused.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "plansim_output/report.h"

/* a == b within eps, saying both when not. */
static void assert_near(double a, double b, double eps)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%.17g != %.17g (within %g)\n", a, b, eps);
        fail();
    }
}

static ps_report_ticks ticks(double lo, double hi, size_t most)
{
    ps_report_ticks t;
    assert_int_equal(ps_report_nice_ticks(lo, hi, most, &t), 0);
    return t;
}

/* Checks the step and the first and last tick. */
static void expect(double lo, double hi, size_t most, double step, double first,
                   double last)
{
    ps_report_ticks t = ticks(lo, hi, most);
    assert_near(t.step, step, 1e-12 * step);
    assert_near(ps_report_tick(&t, 0), first, 1e-9 * fabs(step));
    assert_near(ps_report_tick(&t, t.intervals), last,
                        1e-9 * fabs(step));
    assert_true(t.intervals <= most);
    /* The ticks enclose the data. */
    assert_true(ps_report_tick(&t, 0) <= fmin(lo, hi));
    assert_true(ps_report_tick(&t, t.intervals) >= fmax(lo, hi));
}

static void test_nice_ticks_choose_the_finest_step_that_fits(void **state)
{
    /* 0-9.3 in at most 10 steps: 1 (0.5 would need 19). */
    expect(0, 9.3, 10, 1, 0, 10);
    /* The fan chart of GDP: 431-847 in at most 6 steps: 100. */
    expect(431.1, 847.0, 6, 100, 400, 900);
    /* Same range, more room: 50. */
    expect(431.1, 847.0, 10, 50, 400, 850);
    /* 2 when 1 is too fine and 5 too coarse. */
    expect(0, 13, 8, 2, 0, 14);
}

static void test_nice_ticks_use_only_1_2_5_mantissas(void **state)
{
    for (double span = 0.0013; span < 2e6; span *= 1.37) {
        for (size_t most = 3; most <= 10; most++) {
            ps_report_ticks t = ticks(-0.3 * span, 0.7 * span, most);
            assert_true(t.mantissa == 1 || t.mantissa == 2 || t.mantissa == 5);
            double want = t.mantissa * pow(10.0, t.exponent);
            assert_near(t.step, want, 1e-12 * want);
            assert_true(t.intervals >= 1 && t.intervals <= most);
            /* Finest: the next finer 1-2-5 step would not fit. */
            static const int finer[6] = {0, 5, 1, 0, 0, 2};
            int m = finer[t.mantissa];
            int e = t.mantissa == 1 ? t.exponent - 1 : t.exponent;
            double f = m * pow(10.0, e);
            double n = ceil(0.7 * span / f - 1e-7) - floor(-0.3 * span / f + 1e-7);
            assert_true(n > (double)most);
        }
    }
}

static void test_nice_ticks_are_exact_decimals(void **state)
{
    ps_report_ticks t = ticks(0.04, 0.065, 6);
    assert_near(t.step, 0.005, 1e-15);
    assert_int_equal(t.decimals, 3);
    /* Computed as k / 1000, not k * 0.005: 0.045 is the nearest double. */
    for (size_t i = 0; i <= t.intervals; i++) {
        double v = ps_report_tick(&t, i);
        double k = round(v * 1000);
        assert_true(v == k / 1000);
    }
    assert_true(ps_report_tick(&t, 0) == 0.04);
    t = ticks(0, 0.3, 3);
    assert_true(ps_report_tick(&t, 3) == 0.3);
}

static void test_nice_ticks_handle_negative_and_reversed_ranges(void **state)
{
    expect(-7.5, 2.2, 5, 5, -10, 5);
    expect(2.2, -7.5, 5, 5, -10, 5);
    expect(-0.013, -0.002, 6, 0.002, -0.014, -0.002);
}

static void test_nice_ticks_widen_an_empty_range(void **state)
{
    /* A constant series still gets an axis around its value. */
    ps_report_ticks t = ticks(431.1, 431.1, 6);
    assert_true(ps_report_tick(&t, 0) < 431.1);
    assert_true(ps_report_tick(&t, t.intervals) > 431.1);
    assert_true(t.intervals >= 1);
    t = ticks(0, 0, 4);
    assert_true(ps_report_tick(&t, 0) <= -1);
    assert_true(ps_report_tick(&t, t.intervals) >= 1);
}

static void test_nice_ticks_keep_year_ticks_whole(void **state)
{
    ps_report_ticks t = ticks(2025, 2030, 5);
    assert_int_equal(t.decimals, 0);
    assert_int_equal(t.intervals, 5);
    assert_true(ps_report_tick(&t, 0) == 2025);
    t = ticks(2025, 2050, 10);
    assert_near(t.step, 5, 0);
    assert_true(ps_report_tick(&t, 0) == 2025);
}

static void test_nice_ticks_refuse_what_cannot_be_drawn(void **state)
{
    ps_report_ticks t;
    assert_int_equal(ps_report_nice_ticks(NAN, 1, 5, &t), -1);
    assert_int_equal(ps_report_nice_ticks(0, INFINITY, 5, &t), -1);
    assert_int_equal(ps_report_nice_ticks(0, 1, 0, &t), -1);
    assert_int_equal(ps_report_nice_ticks(-1e308, 1e308, 5, &t), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nice_ticks_choose_the_finest_step_that_fits),
        cmocka_unit_test(test_nice_ticks_use_only_1_2_5_mantissas),
        cmocka_unit_test(test_nice_ticks_are_exact_decimals),
        cmocka_unit_test(test_nice_ticks_handle_negative_and_reversed_ranges),
        cmocka_unit_test(test_nice_ticks_widen_an_empty_range),
        cmocka_unit_test(test_nice_ticks_keep_year_ticks_whole),
        cmocka_unit_test(test_nice_ticks_refuse_what_cannot_be_drawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
