/*
 * "Did you mean": edit distance counted in characters, so that one wrong
 * Chinese character is one edit as one wrong letter is, and the one rule
 * that decides when the nearest name is offered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/suggest.h"

static void test_distance_counts_edits(void **state)
{
    (void)state;
    assert_int_equal(ps_edit_distance("", ""), 0);
    assert_int_equal(ps_edit_distance("gdp", "gdp"), 0);
    assert_int_equal(ps_edit_distance("", "abc"), 3);
    assert_int_equal(ps_edit_distance("abc", ""), 3);
    assert_int_equal(ps_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(ps_edit_distance("lamda", "lambda"), 1);
    assert_int_equal(ps_edit_distance("at leats", "at least"), 2);
    assert_int_equal(ps_edit_distance("ab", "ba"), 2); /* no transposition */
}

static void test_distance_counts_chinese_characters_not_bytes(void **state)
{
    (void)state;
    /* one wrong character, whatever its bytes */
    assert_int_equal(ps_edit_distance("地区生产总值", "地区生产总直"), 1);
    assert_int_equal(ps_edit_distance("政策", "政册"), 1);
    assert_int_equal(ps_edit_distance("城镇化率", "城镇率"), 1);
    assert_int_equal(ps_edit_distance("城镇化率", "城镇化率目标"), 2);
    assert_int_equal(ps_edit_distance("GDP增速", "GDP增长"), 1);
    assert_int_equal(ps_edit_distance("人口", "口人"), 2);
    /* a four-byte character is one too */
    assert_int_equal(ps_edit_distance("𠀋江", "黔江"), 1);
    /* an invalid byte is one character of its own */
    assert_int_equal(ps_edit_distance("a\xff", "ab"), 1);
    assert_int_equal(ps_edit_distance("中\x80", "中"), 1);
}

static void test_limit_grows_with_length_in_characters(void **state)
{
    (void)state;
    assert_int_equal(ps_suggest_limit(""), 0);
    assert_int_equal(ps_suggest_limit("g"), 0);
    assert_int_equal(ps_suggest_limit("政"), 0);
    assert_int_equal(ps_suggest_limit("rk"), 1);
    assert_int_equal(ps_suggest_limit("政策"), 1); /* 6 bytes, 2 characters */
    assert_int_equal(ps_suggest_limit("lambda"), 2);
    assert_int_equal(ps_suggest_limit("地区生产总值"), 2);
    assert_int_equal(ps_suggest_limit("depreciation rate"), 5);
}

static void test_nearest_offers_only_likely_misspellings(void **state)
{
    (void)state;
    const char *names[] = {"政策",         "趋势", "产出",
                           "地区生产总值", "rk4",  "euler"};
    const size_t n = sizeof names / sizeof names[0];
    assert_string_equal(ps_nearest("政册", names, n), "政策");
    assert_string_equal(ps_nearest("地区生产总直", names, n), "地区生产总值");
    assert_string_equal(ps_nearest("地区生产值", names, n), "地区生产总值");
    assert_string_equal(ps_nearest("rk-4", names, n), "rk4");
    assert_string_equal(ps_nearest("eular", names, n), "euler");
    /* two of two characters wrong is another name, not a slip */
    assert_null(ps_nearest("人口", names, n));
    assert_null(ps_nearest("x", names, n));
    assert_null(ps_nearest("rk45", names, 0));
    /* the first of equally near names */
    const char *twins[] = {"ab1", "ab2"};
    assert_string_equal(ps_nearest("ab3", twins, 2), "ab1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance_counts_edits),
        cmocka_unit_test(test_distance_counts_chinese_characters_not_bytes),
        cmocka_unit_test(test_limit_grows_with_length_in_characters),
        cmocka_unit_test(test_nearest_offers_only_likely_misspellings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
