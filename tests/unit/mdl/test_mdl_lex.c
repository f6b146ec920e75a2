/*
 * The .mdl lexer: token kinds and spans, names with blanks, line ends,
 * columns in characters, numbers, keywords and comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_impl.h"

/* Lexes all of `text` into toks (at most max), returning the count
   including the final T_EOF; fails the test on a lexer error. */
static int lex_all(const char *text, mdl_token *toks, int max)
{
    mdl_lexer lx;
    mdl_lex_init(&lx, text, strlen(text), "lex.mdl");
    int n = 0;
    do {
        ps_error err;
        assert_true(n < max);
        assert_int_equal(mdl_lex_next(&lx, &toks[n], &err), PS_OK);
    } while (toks[n++].kind != T_EOF);
    return n;
}

/* The text of a token. */
static int tok_is(const char *text, const mdl_token *t, const char *want)
{
    return t->end - t->start == strlen(want) &&
           memcmp(text + t->start, want, strlen(want)) == 0;
}

static void assert_loc(const mdl_token *t, int line, int column)
{
    assert_int_equal(t->loc.line, line);
    assert_int_equal(t->loc.column, column);
}

static void test_lex_names_keep_inner_blanks_but_not_trailing(void **state)
{
    (void)state;
    const char *text = "Teacup  Temperature = INTEG (Heat Loss to Room , 1)";
    mdl_token t[16];
    int n = lex_all(text, t, 16);
    assert_int_equal(n, 9);
    assert_int_equal(t[0].kind, T_NAME);
    assert_true(tok_is(text, &t[0], "Teacup  Temperature"));
    assert_int_equal(t[1].kind, T_EQ);
    assert_loc(&t[1], 1, 21);
    assert_true(tok_is(text, &t[2], "INTEG"));
    assert_int_equal(t[3].kind, T_LPAREN);
    assert_true(tok_is(text, &t[4], "Heat Loss to Room"));
    assert_int_equal(t[5].kind, T_COMMA);
    assert_int_equal(t[6].kind, T_NUMBER);
    assert_int_equal(t[7].kind, T_RPAREN);
    assert_int_equal(t[8].kind, T_EOF);
}

static void test_lex_names_hold_digits_dollars_and_apostrophes(void **state)
{
    (void)state;
    const char *text = "Bob's $ rate 2nd_try*x1";
    mdl_token t[8];
    int n = lex_all(text, t, 8);
    assert_int_equal(n, 4);
    assert_true(tok_is(text, &t[0], "Bob's $ rate 2nd_try"));
    assert_int_equal(t[1].kind, T_STAR);
    assert_true(tok_is(text, &t[2], "x1"));
}

static void test_lex_underscores_alone_are_not_a_name(void **state)
{
    (void)state;
    const char *text = "__ + _x";
    mdl_token t[5];
    assert_int_equal(lex_all(text, t, 5), 4);
    assert_int_equal(t[0].kind, T_BAD);
    assert_true(tok_is(text, &t[0], "__"));
    assert_int_equal(t[2].kind, T_NAME);
    assert_true(tok_is(text, &t[2], "_x"));
}

static void test_lex_names_stop_at_a_plain_line_end(void **state)
{
    (void)state;
    /* Vensim names cannot hold an explicit line break. */
    const char *text = "alpha\nbeta";
    mdl_token t[4];
    assert_int_equal(lex_all(text, t, 4), 3);
    assert_true(tok_is(text, &t[0], "alpha"));
    assert_true(tok_is(text, &t[1], "beta"));
    assert_loc(&t[1], 2, 1);
}

static void test_lex_names_continue_over_a_backslash_line_end(void **state)
{
    (void)state;
    const char *text = "long name\\\n\t\tcontinued = 1";
    mdl_token t[6];
    assert_int_equal(lex_all(text, t, 6), 4);
    assert_int_equal(t[0].kind, T_NAME);
    assert_int_equal(t[0].continued, 1);
    assert_true(tok_is(text, &t[0], "long name\\\n\t\tcontinued"));
    assert_loc(&t[1], 2, 13);
    char *joined = mdl_join_lines(text, t[0].start, t[0].end);
    assert_string_equal(joined, "long name continued");
    free(joined);
}

static void test_lex_columns_count_characters_and_tabs_as_one(void **state)
{
    (void)state;
    const char *text = "地区生产总值 = 431.1\n\t总人口\t= 2";
    mdl_token t[8];
    assert_int_equal(lex_all(text, t, 8), 7);
    assert_true(tok_is(text, &t[0], "地区生产总值"));
    assert_loc(&t[1], 1, 8);
    assert_loc(&t[2], 1, 10);
    assert_true(tok_is(text, &t[3], "总人口"));
    assert_loc(&t[3], 2, 2);
    assert_loc(&t[4], 2, 6);
    assert_loc(&t[5], 2, 8);
}

static void test_lex_counts_lf_crlf_and_cr_line_ends(void **state)
{
    (void)state;
    const char *text = "a\nb\r\nc\rd\r\n\re";
    mdl_token t[8];
    assert_int_equal(lex_all(text, t, 8), 6);
    assert_loc(&t[0], 1, 1);
    assert_loc(&t[1], 2, 1);
    assert_loc(&t[2], 3, 1);
    assert_loc(&t[3], 4, 1);
    assert_loc(&t[4], 6, 1);
}

static void test_lex_quoted_names_hold_anything_on_one_line(void **state)
{
    (void)state;
    const char *text = "\"1995€/$\" + \"a \\\" b\"";
    mdl_token t[6];
    assert_int_equal(lex_all(text, t, 6), 4);
    assert_int_equal(t[0].kind, T_NAME);
    assert_true(tok_is(text, &t[0], "\"1995€/$\""));
    assert_loc(&t[1], 1, 11);
    assert_true(tok_is(text, &t[2], "\"a \\\" b\""));
}

static void test_lex_refuses_an_unclosed_quoted_name(void **state)
{
    (void)state;
    const char *text = "x = \t\"abc\n+ 1";
    mdl_lexer lx;
    mdl_token t;
    ps_error err;
    mdl_lex_init(&lx, text, strlen(text), "lex.mdl");
    assert_int_equal(mdl_lex_next(&lx, &t, &err), PS_OK);
    assert_int_equal(mdl_lex_next(&lx, &t, &err), PS_OK);
    assert_int_equal(mdl_lex_next(&lx, &t, &err), PS_ERR_SYNTAX);
    assert_string_equal(err.file, "lex.mdl");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 6);
}

static void test_lex_reads_every_number_form(void **state)
{
    (void)state;
    const char *text = "1 1.5 .5 5. 1e-3 2E+2 7e3 0.0710901";
    const double want[] = {1, 1.5, .5, 5., 1e-3, 2e2, 7e3, 0.0710901};
    mdl_token t[12];
    assert_int_equal(lex_all(text, t, 12), 9);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(t[i].kind, T_NUMBER);
        assert_true(t[i].number == want[i]);
    }
}

static void test_lex_leaves_a_bare_exponent_letter_to_the_name(void **state)
{
    (void)state;
    /* "2e" has no exponent digits: the number is 2 and "e" a name. */
    const char *text = "2e - 3";
    mdl_token t[6];
    assert_int_equal(lex_all(text, t, 6), 5);
    assert_true(t[0].number == 2);
    assert_int_equal(t[1].kind, T_NAME);
    assert_int_equal(t[2].kind, T_MINUS);
}

static void test_lex_refuses_a_number_out_of_range(void **state)
{
    (void)state;
    const char *text = "x = 1e999";
    mdl_lexer lx;
    mdl_token t;
    ps_error err;
    mdl_lex_init(&lx, text, strlen(text), NULL);
    assert_int_equal(mdl_lex_next(&lx, &t, &err), PS_OK);
    assert_int_equal(mdl_lex_next(&lx, &t, &err), PS_OK);
    assert_int_equal(mdl_lex_next(&lx, &t, &err), PS_ERR_SYNTAX);
    assert_int_equal(err.column, 5);
}

static void test_lex_operators(void **state)
{
    (void)state;
    const char *text = "< <= <> <-> > >= = == : := ^ / ; [ ] ~ |";
    const mdl_tok want[] = {T_LT,    T_LE,    T_NE,    T_EQUIV,    T_GT,
                            T_GE,    T_EQ,    T_EQEQ,  T_COLON,    T_COLONEQ,
                            T_CARET, T_SLASH, T_SEMI,  T_LBRACKET, T_RBRACKET,
                            T_TILDE, T_BAR,   T_EOF};
    mdl_token t[20];
    assert_int_equal(lex_all(text, t, 20), 18);
    for (int i = 0; i < 18; i++)
        assert_int_equal(t[i].kind, want[i]);
}

static void test_lex_keywords_ignore_case_and_blank_runs(void **state)
{
    (void)state;
    const char *text = "a :and: b :OR: :Not: :NA: :END OF  MACRO:";
    mdl_lexer lx;
    mdl_token t[10];
    int n = lex_all(text, t, 10);
    assert_int_equal(n, 8);
    mdl_lex_init(&lx, text, strlen(text), NULL);
    assert_true(mdl_tok_is_keyword(&lx, &t[1], "AND"));
    assert_false(mdl_tok_is_keyword(&lx, &t[1], "OR"));
    assert_true(mdl_tok_is_keyword(&lx, &t[3], "OR"));
    assert_true(mdl_tok_is_keyword(&lx, &t[4], "NOT"));
    assert_true(mdl_tok_is_keyword(&lx, &t[5], "NA"));
    assert_true(mdl_tok_is_keyword(&lx, &t[6], "END OF MACRO"));
    assert_false(mdl_tok_is_keyword(&lx, &t[0], "AND"));
}

static void test_lex_a_colon_list_is_not_a_keyword(void **state)
{
    (void)state;
    const char *text = "fruits: banana, apple";
    mdl_token t[8];
    assert_int_equal(lex_all(text, t, 8), 6);
    assert_int_equal(t[1].kind, T_COLON);
    assert_loc(&t[1], 1, 7);
}

static void test_lex_skips_comments(void **state)
{
    (void)state;
    const char *text = "{UTF-8}\nx {a note\nover lines} = 1";
    mdl_token t[6];
    assert_int_equal(lex_all(text, t, 6), 4);
    assert_true(tok_is(text, &t[0], "x"));
    assert_loc(&t[0], 2, 1);
    assert_loc(&t[1], 3, 13);
}

static void test_lex_refuses_an_unclosed_comment(void **state)
{
    (void)state;
    const char *text = "x = 1 \n  { never closed";
    mdl_lexer lx;
    mdl_token t;
    ps_error err;
    mdl_lex_init(&lx, text, strlen(text), NULL);
    for (int i = 0; i < 3; i++)
        assert_int_equal(mdl_lex_next(&lx, &t, &err), PS_OK);
    assert_int_equal(mdl_lex_next(&lx, &t, &err), PS_ERR_SYNTAX);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
}

static void test_lex_returns_stray_characters_as_bad_tokens(void **state)
{
    (void)state;
    const char *text = "a % b";
    mdl_token t[5];
    assert_int_equal(lex_all(text, t, 5), 4);
    assert_int_equal(t[1].kind, T_BAD);
    assert_loc(&t[1], 1, 3);
}

static void test_lex_skips_a_byte_order_mark(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBFx";
    mdl_token t[2];
    assert_int_equal(lex_all(text, t, 2), 2);
    assert_true(tok_is(text, &t[0], "x"));
    assert_loc(&t[0], 1, 1);
}

static void test_lex_finds_the_sketch_marker(void **state)
{
    (void)state;
    const char *marks[] = {"\\\\\\---/// Sketch", "\\\\---///"};
    for (int i = 0; i < 2; i++) {
        mdl_lexer lx;
        mdl_lex_init(&lx, marks[i], strlen(marks[i]), NULL);
        assert_true(mdl_lex_at_sketch(&lx));
    }
    mdl_lexer lx;
    mdl_lex_init(&lx, "\\---///", 7, NULL);
    assert_false(mdl_lex_at_sketch(&lx));
}

static void test_mdl_parse_double_takes_only_decimal_numbers(void **state)
{
    (void)state;
    double v;
    assert_int_equal(mdl_parse_double("-459.67", 7, &v), 0);
    assert_true(v == -459.67);
    assert_int_equal(mdl_parse_double("+1e3", 4, &v), 0);
    assert_true(v == 1000);
    assert_int_equal(mdl_parse_double("INF", 3, &v), 0);
    assert_true(isinf(v) && v > 0);
    assert_int_equal(mdl_parse_double("-inf", 4, &v), 0);
    assert_true(isinf(v) && v < 0);
    assert_int_equal(mdl_parse_double("nan", 3, &v), 0);
    assert_true(isnan(v));
    assert_int_equal(mdl_parse_double("0x10", 4, &v), -1);
    assert_int_equal(mdl_parse_double("1.5x", 4, &v), -1);
    assert_int_equal(mdl_parse_double(".", 1, &v), -1);
    assert_int_equal(mdl_parse_double("1e", 2, &v), -1);
    assert_int_equal(mdl_parse_double("", 0, &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lex_names_keep_inner_blanks_but_not_trailing),
        cmocka_unit_test(test_lex_names_hold_digits_dollars_and_apostrophes),
        cmocka_unit_test(test_lex_underscores_alone_are_not_a_name),
        cmocka_unit_test(test_lex_names_stop_at_a_plain_line_end),
        cmocka_unit_test(test_lex_names_continue_over_a_backslash_line_end),
        cmocka_unit_test(test_lex_columns_count_characters_and_tabs_as_one),
        cmocka_unit_test(test_lex_counts_lf_crlf_and_cr_line_ends),
        cmocka_unit_test(test_lex_quoted_names_hold_anything_on_one_line),
        cmocka_unit_test(test_lex_refuses_an_unclosed_quoted_name),
        cmocka_unit_test(test_lex_reads_every_number_form),
        cmocka_unit_test(test_lex_leaves_a_bare_exponent_letter_to_the_name),
        cmocka_unit_test(test_lex_refuses_a_number_out_of_range),
        cmocka_unit_test(test_lex_operators),
        cmocka_unit_test(test_lex_keywords_ignore_case_and_blank_runs),
        cmocka_unit_test(test_lex_a_colon_list_is_not_a_keyword),
        cmocka_unit_test(test_lex_skips_comments),
        cmocka_unit_test(test_lex_refuses_an_unclosed_comment),
        cmocka_unit_test(test_lex_returns_stray_characters_as_bad_tokens),
        cmocka_unit_test(test_lex_skips_a_byte_order_mark),
        cmocka_unit_test(test_lex_finds_the_sketch_marker),
        cmocka_unit_test(test_mdl_parse_double_takes_only_decimal_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
