/*
 * The delimited-text tokenizer: quoting (separators, line ends and doubled
 * quotes inside quotes), LF, CRLF and lone CR line ends, the byte order
 * mark, positions in UTF-8 characters, and located errors.  And the
 * quoting of fields for writing, read back by the tokenizer.
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

/* What ps_csv_write_field writes for `text`, NUL-terminated in out. */
static void written(const char *text, char sep, char *out, size_t cap)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ps_csv_write_field(f, text, sep);
    assert_int_equal(fclose(f), 0);
    assert_true(len < cap);
    memcpy(out, buf, len + 1);
    free(buf);
}

static void expect_written(const char *text, char sep, const char *want)
{
    char got[256];
    written(text, sep, got, sizeof got);
    assert_string_equal(got, want);
}

static void test_csv_write_quotes_only_what_needs_it(void **state)
{
    (void)state;
    expect_written("gdp_700", ',', "gdp_700");
    expect_written("地区生产总值 (亿元)", ',', "地区生产总值 (亿元)");
    expect_written("", ',', "");
    expect_written(NULL, ',', "");
    expect_written(" spaced ", ',', " spaced "); /* spaces are data */
    expect_written("a,b", ',', "\"a,b\"");
    expect_written("say \"hi\"", ',', "\"say \"\"hi\"\"\"");
    expect_written("\"", ',', "\"\"\"\"");
    expect_written("two\nlines", ',', "\"two\nlines\"");
    expect_written("cr\r", ',', "\"cr\r\"");
    expect_written("增速，万人", ',', "增速，万人"); /* fullwidth comma */
    /* the separator decides: a comma is plain in tab-separated text */
    expect_written("a,b", '\t', "a,b");
    expect_written("a\tb", '\t', "\"a\tb\"");
    expect_written("a\tb", ',', "a\tb");
    assert_false(ps_csv_needs_quotes("GDP[新材料,电子]", '\t'));
    assert_true(ps_csv_needs_quotes("GDP[新材料,电子]", ','));
    assert_false(ps_csv_needs_quotes(NULL, ','));
}

static void test_csv_written_fields_read_back_the_same(void **state)
{
    (void)state;
    const char *fields[] = {"plain",      "a,b",       "say \"hi\"",
                            "two\nlines", "crlf\r\nx", "中文,\"引号\"",
                            "",           "\"\""};
    const size_t n = sizeof fields / sizeof fields[0];
    const char seps[] = {',', '\t'};
    for (size_t k = 0; k < 2; k++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputc(seps[k], f);
            ps_csv_write_field(f, fields[i], seps[k]);
        }
        fputc('\n', f);
        assert_int_equal(fclose(f), 0);
        ps_csv_reader rd;
        ps_csv_row row = {0};
        ps_error err;
        ps_csv_reader_init(&rd, buf, len, seps[k], "t.csv");
        assert_int_equal(ps_csv_read_row(&rd, &row, &err), PS_OK);
        assert_int_equal(row.n, n);
        for (size_t i = 0; i < n; i++)
            assert_string_equal(ps_csv_field_text(&row, i), fields[i]);
        assert_int_equal(ps_csv_read_row(&rd, &row, &err), PS_OK);
        assert_int_equal(row.n, 0); /* one record, nothing after it */
        ps_csv_row_free(&row);
        free(buf);
    }
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
        cmocka_unit_test(test_csv_write_quotes_only_what_needs_it),
        cmocka_unit_test(test_csv_written_fields_read_back_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
