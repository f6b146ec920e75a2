/*
 * The binomial upper tail behind the quasi-p-values, against values from
 * scipy.stats.binom.sf(h - 1, n, p), down to tails far below 1e-16.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/discover.h"

static void expect(size_t h, size_t n, double p, double want)
{
    double got = ps_binomial_upper_tail(h, n, p);
    if (!(fabs(got - want) <= 1e-12 * want))
        fail_msg("P(X >= %zu), B(%zu, %g): got %.17g, want %.17g", h, n, p,
                 got, want);
}

static void test_binomial_upper_tail_matches_reference_values(void **state)
{
    (void)state;
    expect(7, 10, 0.5, 0.171875);
    expect(60, 100, 0.4, 4.246638705729486e-05);
    expect(50, 100, 0.5, 0.5397946186935892);
    expect(3, 100, 0.05, 0.8817370188148796);
    expect(900, 1000, 0.5, 6.701717790006182e-162);
    expect(30, 40, 0.2, 1.0619949154763434e-13);
}

static void test_binomial_upper_tail_edges(void **state)
{
    (void)state;
    assert_true(ps_binomial_upper_tail(0, 10, 0.3) == 1.0);
    assert_true(ps_binomial_upper_tail(11, 10, 0.3) == 0.0);
    assert_true(ps_binomial_upper_tail(1, 10, 0.0) == 0.0);
    assert_true(ps_binomial_upper_tail(10, 10, 1.0) == 1.0);
    assert_true(ps_binomial_upper_tail(10, 10, 0.5) == ldexp(1.0, -10));
    assert_true(isnan(ps_binomial_upper_tail(1, 10, 1.5)));
    assert_true(isnan(ps_binomial_upper_tail(1, 10, NAN)));
    /* A tail below the smallest double is 0, not NaN. */
    assert_true(ps_binomial_upper_tail(100000, 100000, 0.01) == 0.0);
}

static void test_binomial_upper_tail_falls_with_h(void **state)
{
    (void)state;
    double prev = 1.0;
    for (size_t h = 0; h <= 200; h++) {
        double p = ps_binomial_upper_tail(h, 200, 0.37);
        assert_true(p <= prev && p >= 0.0);
        prev = p;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binomial_upper_tail_matches_reference_values),
        cmocka_unit_test(test_binomial_upper_tail_edges),
        cmocka_unit_test(test_binomial_upper_tail_falls_with_h),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
