/*
 * Dataset names for model variables: netCDF and Python friendly, unique,
 * Chinese kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "h5_impl.h"

static void check(size_t n, const char *const *in, const char *const *want)
{
    char **got = h5_dataset_names(n, in);
    assert_non_null(got);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(got[i], want[i]);
    h5_free_strings(got, n);
}

static void test_dataset_names_replace_spaces_and_keep_case(void **state)
{
    const char *in[] = {"GDP", "Capital Output Ratio", "total  factor"};
    const char *want[] = {"GDP", "Capital_Output_Ratio", "total_factor"};
    check(3, in, want);
}

static void test_dataset_names_keep_chinese(void **state)
{
    const char *in[] = {"地区生产总值", "人口 增长率", "GDP（亿元）"};
    const char *want[] = {"地区生产总值", "人口_增长率", "GDP（亿元）"};
    check(3, in, want);
}

static void test_dataset_names_replace_slashes_and_punctuation(void **state)
{
    const char *in[] = {"a/b ratio", "\"$ euro\"", "x.y-z", "growth (%)"};
    const char *want[] = {"a_b_ratio", "euro", "x_y_z", "growth"};
    check(4, in, want);
}

static void test_dataset_names_prefix_digits_and_empty(void **state)
{
    const char *in[] = {"2nd stage", "", "%"};
    const char *want[] = {"v_2nd_stage", "v", "v_2"};
    check(3, in, want);
}

static void test_dataset_names_make_collisions_unique(void **state)
{
    const char *in[] = {"Capital Stock", "Capital_Stock", "Capital  Stock",
                        "Capital_Stock_2"};
    const char *want[] = {"Capital_Stock", "Capital_Stock_2", "Capital_Stock_3",
                          "Capital_Stock_2_2"};
    check(4, in, want);
}

static void test_dataset_names_avoid_the_layout_names(void **state)
{
    const char *in[] = {"time", "run", "summary", "param value", "Time"};
    const char *want[] = {"time_2", "run_2", "summary_2", "param_value_2",
                          "Time"};
    check(5, in, want);
}

static void test_dataset_names_replace_invalid_utf8(void **state)
{
    const char *in[] = {"a\xff"
                        "b",
                        "\xe4\xba"};
    const char *want[] = {"a_b", "v"};
    check(2, in, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dataset_names_replace_spaces_and_keep_case),
        cmocka_unit_test(test_dataset_names_keep_chinese),
        cmocka_unit_test(test_dataset_names_replace_slashes_and_punctuation),
        cmocka_unit_test(test_dataset_names_prefix_digits_and_empty),
        cmocka_unit_test(test_dataset_names_make_collisions_unique),
        cmocka_unit_test(test_dataset_names_avoid_the_layout_names),
        cmocka_unit_test(test_dataset_names_replace_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
