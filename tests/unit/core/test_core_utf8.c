/*
 * UTF-8 decoding, encoding and validation, counting and cutting by
 * characters, display widths, and Windows-1252 read as UTF-8: the names
 * of an old Vensim model come out as Vensim shows them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/utf8.h"

static void test_decodes_each_length_and_refuses_bad_forms(void **state)
{
    (void)state;
    unsigned cp;
    assert_int_equal(ps_utf8_next("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(ps_utf8_next("\xC3\xA9", 2, &cp), 2); /* é */
    assert_int_equal(cp, 0xE9);
    assert_int_equal(ps_utf8_next("\xE9\xBB\x94", 3, &cp), 3); /* 黔 */
    assert_int_equal(cp, 0x9ED4);
    assert_int_equal(ps_utf8_next("\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    /* a stray continuation, an overlong '/', a surrogate, a cut sequence */
    const char *bad[] = {"\x80", "\xC0\xAF", "\xED\xA0\x80", "\xE9\xBB"};
    const size_t len[] = {1, 2, 3, 2};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ps_utf8_next(bad[i], len[i], &cp), 1);
        assert_int_equal(cp, 0xFFFD);
        assert_false(ps_utf8_valid(bad[i], len[i]));
    }
    assert_int_equal(ps_utf8_next("", 0, &cp), 0);
    assert_true(
        ps_utf8_valid("黔江区 \xEF\xBF\xBD", strlen("黔江区 \xEF\xBF\xBD")));
    /* where the first invalid byte is: after 黔 (3 bytes) and '%' */
    assert_int_equal(ps_utf8_invalid_at("黔%\x92x", 6), 4);
    assert_int_equal(ps_utf8_invalid_at("黔江", 6), 6);
    assert_int_equal(ps_utf8_invalid_at("\xE9\xBB", 2), 0);
}

static void test_encodes_what_it_decodes(void **state)
{
    (void)state;
    const unsigned cps[] = {0x41,   0xE9,   0x7FF,   0x800,
                            0x9ED4, 0xFFFD, 0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        size_t n = ps_utf8_put(buf, cps[i]);
        unsigned back;
        assert_int_equal(ps_utf8_next(buf, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    char buf[4];
    unsigned back;
    /* not a scalar value: the replacement character */
    assert_int_equal(ps_utf8_put(buf, 0xD800), 3);
    ps_utf8_next(buf, 3, &back);
    assert_int_equal(back, 0xFFFD);
}

static void test_windows_1252_becomes_utf8(void **state)
{
    (void)state;
    /* "Café €5 – naïve", an undefined byte (0x81), and plain ASCII */
    const char in[] = "Caf\xE9 \x80"
                      "5 \x96 na\xEFve \x81!";
    size_t len;
    char *out = ps_cp1252_to_utf8(in, sizeof in - 1, &len);
    assert_non_null(out);
    assert_string_equal(out, "Café €5 – naïve \xEF\xBF\xBD!");
    assert_int_equal(len, strlen(out));
    assert_true(ps_utf8_valid(out, len));
    free(out);
}

static void test_width_counts_wide_characters_twice(void **state)
{
    (void)state;
    assert_int_equal(ps_utf8_width(""), 0);
    assert_int_equal(ps_utf8_width(NULL), 0);
    assert_int_equal(ps_utf8_width("GDP"), 3);
    assert_int_equal(ps_utf8_width("地区生产总值"), 12);
    assert_int_equal(ps_utf8_width("黔江区 GDP"), 10);
    /* East Asian "ambiguous" characters are narrow in UTF-8 text */
    assert_int_equal(ps_utf8_width("≥ 700亿元"), 9);
    assert_int_equal(ps_utf8_width("GDP·增速—5%"), 11);
    /* fullwidth forms and CJK punctuation are wide */
    assert_int_equal(ps_utf8_width("（全角）"), 8);
    assert_int_equal(ps_utf8_width("１０％"), 6);
    assert_int_equal(ps_utf8_width("。、「」"), 8);
    /* Hangul, kana, CJK Extension B, an emoji */
    assert_int_equal(ps_utf8_width("한국"), 4);
    assert_int_equal(ps_utf8_width("カナ"), 4);
    assert_int_equal(ps_utf8_width("𠀋"), 2);
    assert_int_equal(ps_utf8_width("😀"), 2);
}

static void test_width_of_marks_controls_and_invalid_bytes(void **state)
{
    (void)state;
    /* combining marks add nothing: e + U+0301, a + U+0308 + U+0323 */
    assert_int_equal(ps_utf8_width("e\xcc\x81"), 1);
    assert_int_equal(ps_utf8_width("a\xcc\x88\xcc\xa3"), 1);
    assert_int_equal(ps_utf8_width("caf\xc3\xa9"), 4); /* precomposed é */
    /* zero-width space and joiner, a variation selector */
    assert_int_equal(ps_utf8_width("a\xe2\x80\x8b"
                                   "b\xe2\x80\x8d"),
                     2);
    assert_int_equal(ps_utf8_width("\xe2\x9c\x93\xef\xb8\x8e"), 1);
    /* control characters take no column: a tab in a cell does not turn
       the whole width negative as u8_width would */
    assert_int_equal(ps_utf8_width("a\tb\n"), 2);
    assert_int_equal(ps_utf8_width("\x1b"), 0);
    /* each invalid byte is one U+FFFD, one column */
    assert_int_equal(ps_utf8_width("a\xff"
                                   "b"),
                     3);
    assert_int_equal(ps_utf8_width("\xe4\xb8"), 2);     /* cut sequence */
    assert_int_equal(ps_utf8_width("\xc0\xaf"), 2);     /* overlong '/' */
    assert_int_equal(ps_utf8_width("\xed\xa0\x80"), 3); /* surrogate */
    assert_int_equal(ps_utf8_width("\xe4\xb8\xad\x80"), 3);
    /* a length, not a NUL, ends the text of ps_utf8_nwidth */
    assert_int_equal(ps_utf8_nwidth("中文字", 6), 4);
    assert_int_equal(ps_utf8_nwidth("中文字", 4), 3); /* 中 + a cut byte */
}

static void test_code_point_widths(void **state)
{
    (void)state;
    assert_int_equal(ps_uc_width('A'), 1);
    assert_int_equal(ps_uc_width(0x4E2D), 2);  /* 中 */
    assert_int_equal(ps_uc_width(0xFF05), 2);  /* ％ */
    assert_int_equal(ps_uc_width(0x0301), 0);  /* combining acute */
    assert_int_equal(ps_uc_width(0x200B), 0);  /* zero-width space */
    assert_int_equal(ps_uc_width('\t'), 0);    /* control */
    assert_int_equal(ps_uc_width(0xFFFD), 1);  /* replacement */
    assert_int_equal(ps_uc_width(0x2265), 1);  /* ≥, ambiguous */
    assert_int_equal(ps_uc_width(0x20000), 2); /* CJK Extension B */
}

static void test_counts_and_cuts_by_characters(void **state)
{
    (void)state;
    const char *s = "GDP增速";
    size_t n = strlen(s); /* 3 + 2 * 3 bytes */
    assert_int_equal(ps_utf8_count(s, n), 5);
    assert_int_equal(ps_utf8_count("", 0), 0);
    assert_int_equal(ps_utf8_count("a\x80\xff"
                                   "b",
                                   4),
                     4);
    assert_int_equal(ps_utf8_count("\xe5\xa2\x9e", 2), 2); /* cut: 2 bytes */
    /* cuts never split 增 (bytes 3..5) */
    assert_int_equal(ps_utf8_cut(s, n, 100), n);
    assert_int_equal(ps_utf8_cut(s, n, n), n);
    assert_int_equal(ps_utf8_cut(s, n, 3), 3);
    assert_int_equal(ps_utf8_cut(s, n, 4), 3);
    assert_int_equal(ps_utf8_cut(s, n, 5), 3);
    assert_int_equal(ps_utf8_cut(s, n, 6), 6);
    assert_int_equal(ps_utf8_cut(s, n, 8), 6);
    assert_int_equal(ps_utf8_cut(s, n, 0), 0);
    /* an invalid byte is a character of its own */
    assert_int_equal(ps_utf8_cut("a\xff\xfe", 3, 2), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decodes_each_length_and_refuses_bad_forms),
        cmocka_unit_test(test_encodes_what_it_decodes),
        cmocka_unit_test(test_windows_1252_becomes_utf8),
        cmocka_unit_test(test_width_counts_wide_characters_twice),
        cmocka_unit_test(test_width_of_marks_controls_and_invalid_bytes),
        cmocka_unit_test(test_code_point_widths),
        cmocka_unit_test(test_counts_and_cuts_by_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
