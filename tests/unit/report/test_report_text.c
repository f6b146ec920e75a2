/*
 * Text for the report files: XML escaping (labels with < & > " '),
 * invalid UTF-8 and control characters kept out of the SVG, CSV quoting,
 * Markdown escaping, display widths of Chinese, numbers for people.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report_impl.h"

/* What `fn` writes for `s`, as a new string. */
static char *capture(void (*fn)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    fn(out, s);
    fclose(out);
    return buf;
}

static void expect(void (*fn)(FILE *, const char *), const char *in,
                   const char *want)
{
    char *got = capture(fn, in);
    assert_string_equal(got, want);
    free(got);
}

static void test_xml_escapes_markup_characters(void **state)
{
    expect(rp_xml, "a<b & \"c\" > 'd'",
           "a&lt;b &amp; &quot;c&quot; &gt; &apos;d&apos;");
    expect(rp_xml, "&amp;", "&amp;amp;");
    expect(rp_xml, NULL, "");
}

static void test_xml_keeps_chinese_and_symbols(void **state)
{
    expect(rp_xml, "地区生产总值 ≥ 700亿元（预期性）",
           "地区生产总值 ≥ 700亿元（预期性）");
    expect(rp_xml, "𠀋 emoji 😀", "𠀋 emoji 😀");
}

static void test_xml_replaces_what_xml_forbids(void **state)
{
    /* Control characters become spaces; tab and line ends stay. */
    expect(rp_xml, "a\x01" "b\x1f" "c\td\n", "a b c\td\n");
    /* Invalid UTF-8 (a stray continuation byte, a truncated sequence, an
       overlong form, a surrogate) becomes U+FFFD, one per byte. */
    expect(rp_xml, "x\x80y", "x\xEF\xBF\xBDy");
    expect(rp_xml, "\xE5\x9C", "\xEF\xBF\xBD\xEF\xBF\xBD");
    expect(rp_xml, "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");
    expect(rp_xml, "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* U+FFFE is not an XML character. */
    expect(rp_xml, "\xEF\xBF\xBE", " ");
}

static void test_csv_quotes_fields_that_need_it(void **state)
{
    expect(rp_csv, "plain 中文", "plain 中文");
    expect(rp_csv, "a,b", "\"a,b\"");
    expect(rp_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
    expect(rp_csv, "two\nlines", "\"two\nlines\"");
    expect(rp_csv, "cr\r", "\"cr\r\"");
    expect(rp_csv, "", "");
    expect(rp_csv, NULL, "");
}

static void csv_num(FILE *out, const char *s)
{
    rp_csv_num(out, strtod(s, NULL));
}

static void test_csv_numbers_read_back_exactly(void **state)
{
    expect(csv_num, "0.1", "0.1");
    expect(csv_num, "700", "700");
    expect(csv_num, "0.30000000000000004", "0.30000000000000004");
    expect(csv_num, "nan", "");
}

static void test_md_escapes_what_markdown_would_interpret(void **state)
{
    char *s = rp_md("a|b *c* [d](e) <f> `g` \\h -> x");
    assert_string_equal(s,
                        "a\\|b \\*c\\* \\[d\\](e) \\<f> \\`g\\` \\\\h -> x");
    free(s);
    /* A quote or a heading cannot start. */
    s = rp_md("> quoted");
    assert_string_equal(s, "\\> quoted");
    free(s);
    s = rp_md("# title");
    assert_string_equal(s, "\\# title");
    free(s);
    s = rp_md("line\nbreak\ttab\r");
    assert_string_equal(s, "line break tab");
    free(s);
    /* Lines of Chinese join as Chinese text does; a line end beside
       other text is a space; the end of a block (|) leaves nothing. */
    s = rp_md("专栏3制造业重点项目\n按期开工。\r\n价格 unchanged.\n");
    assert_string_equal(s, "专栏3制造业重点项目按期开工。价格 unchanged.");
    free(s);
    s = rp_md("按期开工\nMore bonds,\nland.\n\n");
    assert_string_equal(s, "按期开工 More bonds, land.");
    free(s);
    s = rp_md(NULL);
    assert_string_equal(s, "");
    free(s);
}

static void test_width_counts_chinese_twice(void **state)
{
    assert_int_equal(rp_width("GDP"), 3);
    assert_int_equal(rp_width("地区生产总值"), 12);
    assert_int_equal(rp_width("（5%–95%）"), 2 + 6 + 2);
    assert_int_equal(rp_width("\x80"), 1);
    assert_true(rp_text_em("地区") > rp_text_em("ab"));
}

static void test_fit_text_cuts_long_labels_between_characters(void **state)
{
    char buf[64];
    assert_string_equal(rp_fit_text("GDP", 10, buf, sizeof buf), "GDP");
    /* Ten wide characters in at most 6 em: five and the ellipsis. */
    rp_fit_text("一二三四五六七八九十", 6, buf, sizeof buf);
    assert_string_equal(buf, "一二三四五…");
    assert_true(rp_text_em(buf) <= 6);
    /* A buffer too small for the text cuts it too, never mid-character. */
    char small[10];
    rp_fit_text("一二三四五六", 100, small, sizeof small);
    assert_string_equal(small, "一二…");
}

static void test_numbers_line_up_at_four_significant_digits(void **state)
{
    const double gdp[3] = {563.54, 690.2, 846.998};
    int d = rp_decimals(gdp, 3);
    assert_int_equal(d, 1);
    char buf[RP_NUM_MAX];
    assert_string_equal(rp_num(846.998, d, buf), "847.0");
    assert_string_equal(rp_num(563.54, d, buf), "563.5");
    const double rate[2] = {0.0551, 0.1446};
    assert_int_equal(rp_decimals(rate, 2), 4);
    const double big[1] = {123456.7};
    assert_int_equal(rp_decimals(big, 1), 0);
    const double none[2] = {NAN, NAN};
    assert_int_equal(rp_decimals(none, 2), 0);
    const double tiny[1] = {3e-6};
    assert_int_equal(rp_decimals(tiny, 1), -1);
    assert_string_equal(rp_num(3.14159e-6, -1, buf), "3.142e-06");
    assert_string_equal(rp_num(NAN, 2, buf), "n/a");
    /* A negative value that rounds to zero loses its sign. */
    assert_string_equal(rp_num(-0.0001, 2, buf), "0.00");
}

static void test_percentages_and_rules_read_as_written(void **state)
{
    char buf[RP_NUM_MAX], rule[64];
    assert_string_equal(rp_pct(0.4785, buf), "47.9%");
    assert_string_equal(rp_pct(1, buf), "100.0%");
    assert_string_equal(rp_pct(NAN, buf), "n/a");
    ps_h5_target_summary t = {.compare = PS_SC_AT_LEAST, .lo = 700, .hi = NAN};
    rp_rule(rule, sizeof rule, &t);
    assert_string_equal(rule, "≥ 700");
    t.compare = PS_SC_AT_MOST;
    t.hi = 0.055;
    rp_rule(rule, sizeof rule, &t);
    assert_string_equal(rule, "≤ 0.055");
    t.compare = PS_SC_BETWEEN;
    t.lo = 0.7;
    t.hi = 0.74;
    rp_rule(rule, sizeof rule, &t);
    assert_string_equal(rule, "0.7 – 0.74");
    assert_string_equal(rp_kind_zh(1), "约束性");
    assert_string_equal(rp_kind_zh(0), "预期性");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_escapes_markup_characters),
        cmocka_unit_test(test_xml_keeps_chinese_and_symbols),
        cmocka_unit_test(test_xml_replaces_what_xml_forbids),
        cmocka_unit_test(test_csv_quotes_fields_that_need_it),
        cmocka_unit_test(test_csv_numbers_read_back_exactly),
        cmocka_unit_test(test_md_escapes_what_markdown_would_interpret),
        cmocka_unit_test(test_width_counts_chinese_twice),
        cmocka_unit_test(test_fit_text_cuts_long_labels_between_characters),
        cmocka_unit_test(test_numbers_line_up_at_four_significant_digits),
        cmocka_unit_test(test_percentages_and_rules_read_as_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
