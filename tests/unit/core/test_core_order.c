/*
 * Small lookups and orders of ps_core: a keyword's index in a table
 * (ps_word_index) and values sorted with their origin (ps_keyed_sort:
 * ties by index, NaN last, so the order is total).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/names.h"
#include "plansim/order.h"

static void test_word_index_finds_exact_words(void **state)
{
    (void)state;
    static const char *const t[] = {"smc", "is", "optimize"};
    assert_int_equal(ps_word_index(t, 3, "smc"), 0);
    assert_int_equal(ps_word_index(t, 3, "optimize"), 2);
    assert_int_equal(ps_word_index(t, 3, "SMC"), -1);
    assert_int_equal(ps_word_index(t, 3, "is "), -1);
    assert_int_equal(ps_word_index(t, 3, NULL), -1);
    assert_int_equal(ps_word_index(t, 2, "optimize"), -1);
}

static void test_keyed_sort_is_total(void **state)
{
    (void)state;
    ps_keyed k[] = {{2, 0},         {NAN, 1}, {1, 2},  {2, 3},
                    {-INFINITY, 4}, {1, 5},   {NAN, 6}};
    ps_keyed_sort(k, 7);
    static const size_t want[] = {4, 2, 5, 0, 3, 1, 6};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(k[i].index, want[i]);
    ps_keyed_sort(k, 0); /* nothing to do, nothing read */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word_index_finds_exact_words),
        cmocka_unit_test(test_keyed_sort_is_total),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
