/*
 * The delimited-text tokenizer: quoting (separators, line ends and doubled
 * quotes inside quotes), LF, CRLF and lone CR line ends, the byte order
 * mark, positions in UTF-8 characters, and located errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/csv.h"

/* Reads every record of `text`, joining the fields of a record with '|'
   and records with '/' into out[cap]. */
static ps_status tokenize(const char *text, char sep, char *out, size_t cap,
                          ps_error *err)
{
    ps_csv_reader rd;
    ps_csv_row row = {0};
    ps_status st;
    size_t o = 0;
    out[0] = '\0';
    ps_csv_reader_init(&rd, text, strlen(text), sep, "t.csv");
    while ((st = ps_csv_read_row(&rd, &row, err)) == PS_OK && row.n > 0) {
        if (o > 0)
            o += (size_t)snprintf(out + o, cap - o, "/");
        for (size_t i = 0; i < row.n; i++)
            o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? "|" : "",
                                  ps_csv_field_text(&row, i));
    }
    ps_csv_row_free(&row);
    assert_null(row.buf);
    return st;
}

static void expect_fields(const char *text, char sep, const char *want)
{
    char got[512];
    ps_error err;
    assert_int_equal(tokenize(text, sep, got, sizeof got, &err), PS_OK);
    assert_string_equal(got, want);
}

static void test_csv_plain_fields_and_line_ends(void **state)
{
    (void)state;
    expect_fields("a,b\nc,d\n", ',', "a|b/c|d");
    expect_fields("a,b\r\nc,d\r\n", ',', "a|b/c|d");
    expect_fields("a,b\rc,d", ',', "a|b/c|d"); /* lone CR, no final end */
    expect_fields("a\tb,c\n", '\t', "a|b,c");
    expect_fields("", ',', "");
    /* a blank line is one empty field; separators alone make empties */
    expect_fields("a\n\nb\n", ',', "a//b");
    expect_fields(",,\n", ',', "||");
}

static void test_csv_quoting(void **state)
{
    (void)state;
    expect_fields("\"a,b\",\"say \"\"hi\"\"\"\n", ',', "a,b|say \"hi\"");
    expect_fields("\"two\r\nlines\",x\n", ',', "two\r\nlines|x");
    expect_fields("\"\",\"\"\"\"\n", ',', "|\"");
    expect_fields("\"q\tt\"\tz\n", '\t', "q\tt|z");
    /* a quote inside an unquoted field is just a character */
    expect_fields("ab\"c,d\n", ',', "ab\"c|d");
}

static void test_csv_byte_order_mark_is_skipped(void **state)
{
    (void)state;
    expect_fields("\xEF\xBB\xBFtime,x\n", ',', "time|x");
    /* only at the very start */
    expect_fields("a,\xEF\xBB\xBF\n", ',', "a|\xEF\xBB\xBF");
}

static void test_csv_field_positions(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF"
                       "\xE5\x90\x8D,\"x\ny\",z\r\nlast";
    ps_csv_reader rd;
    ps_csv_row row = {0};
    ps_error err;
    ps_csv_reader_init(&rd, text, strlen(text), ',', NULL);
    assert_int_equal(ps_csv_read_row(&rd, &row, &err), PS_OK);
    assert_int_equal(row.n, 3);
    /* columns count UTF-8 characters: the name 名 is one */
    assert_int_equal(row.fields[0].line, 1);
    assert_int_equal(row.fields[0].column, 1);
    assert_int_equal(row.fields[0].len, 3);
    assert_int_equal(row.fields[1].column, 3);
    assert_true(row.fields[1].quoted);
    assert_int_equal(row.fields[1].len, 3);
    /* z starts on line 2, after the line end inside the quotes */
    assert_int_equal(row.fields[2].line, 2);
    assert_int_equal(row.fields[2].column, 4);
    assert_false(row.fields[2].quoted);
    assert_int_equal(ps_csv_read_row(&rd, &row, &err), PS_OK);
    assert_int_equal(row.n, 1);
    assert_int_equal(row.fields[0].line, 3);
    assert_string_equal(ps_csv_field_text(&row, 0), "last");
    assert_int_equal(ps_csv_read_row(&rd, &row, &err), PS_OK);
    assert_int_equal(row.n, 0);
    ps_csv_row_free(&row);
    ps_csv_row_free(NULL);
}

static void test_csv_errors(void **state)
{
    (void)state;
    char got[128];
    ps_error err;
    assert_int_equal(tokenize("a,b\n1,\"open\n", ',', got, sizeof got, &err),
                     PS_ERR_DATA);
    assert_string_equal(err.file, "t.csv");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.message, "unterminated quoted cell");
    assert_int_equal(tokenize("\"a\"b,c\n", ',', got, sizeof got, &err),
                     PS_ERR_DATA);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4);
    assert_string_equal(err.message, "unexpected text after a closing quote");
}

static void test_csv_long_line(void **state)
{
    (void)state;
    /* 20000 fields on one line: positions are counted in linear time */
    size_t n = 20000;
    char *text = malloc(2 * n + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++) {
        text[2 * i] = 'x';
        text[2 * i + 1] = i + 1 < n ? ',' : '\n';
    }
    text[2 * n] = '\0';
    ps_csv_reader rd;
    ps_csv_row row = {0};
    ps_error err;
    ps_csv_reader_init(&rd, text, 2 * n, ',', NULL);
    assert_int_equal(ps_csv_read_row(&rd, &row, &err), PS_OK);
    assert_int_equal(row.n, n);
    assert_int_equal(row.fields[n - 1].column, 2 * n - 1);
    ps_csv_row_free(&row);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_plain_fields_and_line_ends),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_byte_order_mark_is_skipped),
        cmocka_unit_test(test_csv_field_positions),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_csv_long_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
