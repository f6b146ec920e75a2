/*
 * Reading delimited tables: separators, quoting, line ends, empty cells,
 * byte order marks, trailing separators, and errors with their position.
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

#include "plansim_output/table.h"

/* Parses a NUL-terminated text; asserts success and returns the series. */
static ps_series *parse_ok(const char *text, char sep)
{
    ps_series *s = NULL;
    ps_error err;
    ps_status st = ps_table_parse(text, strlen(text), sep, "t.tab", &s, &err);
    if (st != PS_OK)
        fail_msg("unexpected error: %s", err.message);
    assert_non_null(s);
    return s;
}

/* Parses a text expected to fail; returns the error. */
static ps_error parse_fails(const char *text, char sep)
{
    ps_series *s = (ps_series *)1;
    ps_error err;
    ps_status st = ps_table_parse(text, strlen(text), sep, "t.tab", &s, &err);
    assert_int_equal(st, PS_ERR_DATA);
    assert_int_equal(err.status, PS_ERR_DATA);
    assert_null(s);
    assert_string_equal(err.file, "t.tab");
    return err;
}

static void assert_small_decay_table(const ps_series *s)
{
    assert_int_equal(s->ncols, 2);
    assert_string_equal(s->names[0], "Stock");
    assert_string_equal(s->names[1], "rate");
    assert_int_equal(s->nrows, 3);
    assert_true(s->time[0] == 0.0 && s->time[1] == 0.5 && s->time[2] == 1.0);
    assert_true(ps_series_get(s, 0, 0) == 100.0);
    assert_true(ps_series_get(s, 1, 0) == 95.0);
    assert_true(ps_series_get(s, 2, 1) == -9.025);
}

static void test_parse_gives_the_precision_values_were_written_with(void **state)
{
    const char *text = "Time\ta\tb\tc\n"
                       "0\t0.03214\t1.5e3\t\n"
                       "1\t-12\t0.1234567890123456\t7.25E-2\n"
                       "2\t0.00053\t60\t1\n";
    ps_series *s = NULL, *res = NULL;
    ps_error err;
    assert_int_equal(ps_table_parse_resolution(text, strlen(text), '\t',
                                               "t.tab", &s, &res, &err),
                     PS_OK);
    assert_int_equal(res->nrows, 3);
    assert_int_equal(res->ncols, 3);
    /* The file never writes more than 5 decimals: every plain cell is
       known to half a unit in the 5th decimal, integers included. */
    assert_float_equal(ps_series_get(res, 0, 0), 5e-6, 1e-20);
    assert_float_equal(ps_series_get(res, 1, 0), 5e-6, 1e-20);
    assert_float_equal(ps_series_get(res, 2, 1), 5e-6, 1e-20);
    assert_float_equal(ps_series_get(res, 0, 1), 50, 1e-12);  /* 1.5e3 */
    assert_float_equal(ps_series_get(res, 0, 2), 0, 0);       /* empty */
    assert_float_equal(ps_series_get(res, 1, 1), 0, 0);       /* 16 digits */
    assert_float_equal(ps_series_get(res, 1, 2), 5e-5, 1e-20);
    assert_float_equal(ps_series_get(s, 1, 2), 0.0725, 0);
    ps_series_free(&s);
    ps_series_free(&res);

    /* A file of whole numbers only is exact. */
    text = "Time,x\n0,60\n1,59\n";
    assert_int_equal(ps_table_parse_resolution(text, strlen(text), ',',
                                               "t.csv", &s, &res, &err),
                     PS_OK);
    assert_float_equal(ps_series_get(res, 0, 0), 0, 0);
    ps_series_free(&s);
    ps_series_free(&res);
}

static void test_parse_reads_lf_line_ends(void **state)
{
    ps_series *s = parse_ok("Time\tStock\trate\n0\t100\t-10\n"
                            "0.5\t95\t-9.5\n1\t90.25\t-9.025\n",
                            '\t');
    assert_small_decay_table(s);
    ps_series_free(&s);
    assert_null(s);
}

static void test_parse_reads_crlf_line_ends(void **state)
{
    ps_series *s = parse_ok("Time\tStock\trate\r\n0\t100\t-10\r\n"
                            "0.5\t95\t-9.5\r\n1\t90.25\t-9.025\r\n",
                            '\t');
    assert_small_decay_table(s);
    ps_series_free(&s);
}

static void test_parse_reads_cr_only_line_ends(void **state)
{
    ps_series *s = parse_ok("Time,Stock,rate\r0,100,-10\r0.5,95,-9.5\r"
                            "1,90.25,-9.025",
                            ',');
    assert_small_decay_table(s);
    ps_series_free(&s);
}

static void test_parse_reads_mixed_line_ends_and_counts_lines(void **state)
{
    /* line 1 ends CR, line 2 CRLF, line 3 LF: the bad cell is on line 4 */
    ps_error err = parse_fails("Time,x\r0,1\r\n1,2\n2,oops\n", ',');
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 3);
    assert_non_null(strstr(err.message, "oops"));
}

static void test_parse_turns_empty_cells_into_nan(void **state)
{
    /* Vensim writes constants on the first row only */
    ps_series *s = parse_ok("Time\tk\tx\n0\t5\t1\n1\t\t2\n2\t\t3\n", '\t');
    assert_int_equal(s->nrows, 3);
    assert_true(ps_series_get(s, 0, 0) == 5.0);
    assert_true(isnan(ps_series_get(s, 1, 0)));
    assert_true(isnan(ps_series_get(s, 2, 0)));
    assert_true(ps_series_get(s, 2, 1) == 3.0);
    ps_series_free(&s);
}

static void test_parse_fills_missing_cells_at_row_end_with_nan(void **state)
{
    ps_series *s = parse_ok("Time,a,b,c\n0,1\n", ',');
    assert_int_equal(s->ncols, 3);
    assert_true(ps_series_get(s, 0, 0) == 1.0);
    assert_true(isnan(ps_series_get(s, 0, 1)));
    assert_true(isnan(ps_series_get(s, 0, 2)));
    ps_series_free(&s);
}

static void test_parse_ignores_trailing_separators(void **state)
{
    ps_series *s = parse_ok("Time\ta\tb\t\n0\t1\t2\t\n1\t3\t4\t\t\n", '\t');
    assert_int_equal(s->ncols, 2);
    assert_int_equal(s->nrows, 2);
    assert_true(ps_series_get(s, 1, 1) == 4.0);
    ps_series_free(&s);
}

static void test_parse_unquotes_doubled_quotes_in_names(void **state)
{
    /* Vensim's header for the variable written "$ euro" in the model */
    ps_series *s =
        parse_ok("Time\t\"\"\"$ euro\"\"\"\tFINAL TIME\n0\t0.8\t10\n", '\t');
    assert_int_equal(s->ncols, 2);
    assert_string_equal(s->names[0], "\"$ euro\"");
    assert_string_equal(s->names[1], "FINAL TIME");
    ps_series_free(&s);
}

static void
test_parse_keeps_separators_and_line_ends_inside_quotes(void **state)
{
    ps_series *s = parse_ok("Time,\"a,b\",\"two\r\nlines\"\n0,1,2\n", ',');
    assert_int_equal(s->ncols, 2);
    assert_string_equal(s->names[0], "a,b");
    assert_string_equal(s->names[1], "two\r\nlines");
    assert_int_equal(s->nrows, 1);
    ps_series_free(&s);
}

static void test_parse_skips_a_utf8_byte_order_mark(void **state)
{
    ps_series *s = parse_ok("\xEF\xBB\xBFTime,GDP \xE5\xA2\x9E\xE9\x95\xBF\n"
                            "2025,1.5\n",
                            ',');
    assert_int_equal(s->ncols, 1);
    assert_string_equal(s->names[0], "GDP \xE5\xA2\x9E\xE9\x95\xBF");
    assert_true(s->time[0] == 2025.0);
    ps_series_free(&s);
}

static void test_parse_skips_blank_lines(void **state)
{
    ps_series *s = parse_ok("\nTime,x\n\n0,1\n\n1,2\n\n", ',');
    assert_int_equal(s->nrows, 2);
    ps_series_free(&s);
}

static void test_parse_accepts_a_header_without_rows(void **state)
{
    ps_series *s = parse_ok("Time,x\n", ',');
    assert_int_equal(s->ncols, 1);
    assert_int_equal(s->nrows, 0);
    ps_series_free(&s);
}

static void test_parse_reads_numbers_of_every_form(void **state)
{
    ps_series *s =
        parse_ok("Time,a,b,c,d\n0.000,-1.5e-3,\"42\", 7 ,1E+300\n", ',');
    assert_true(ps_series_get(s, 0, 0) == -1.5e-3);
    assert_true(ps_series_get(s, 0, 1) == 42.0);
    assert_true(ps_series_get(s, 0, 2) == 7.0);
    assert_true(ps_series_get(s, 0, 3) == 1e300);
    ps_series_free(&s);
}

static void test_parse_fails_on_an_empty_text(void **state)
{
    ps_error err = parse_fails("", ',');
    assert_non_null(strstr(err.message, "header"));
    err = parse_fails("\r\n\r\n", ',');
    assert_non_null(strstr(err.message, "header"));
}

static void test_parse_fails_on_a_bad_number_with_its_position(void **state)
{
    ps_error err = parse_fails("Time\tx\ty\n0\t1\t2\n1\t3\t4x\n", '\t');
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 5);
    assert_string_equal(err.message, "invalid number '4x'");
}

static void test_parse_counts_columns_in_characters(void **state)
{
    /* each "\xC3\xA9" (é) is two bytes but one column */
    ps_error err = parse_fails("Time,\xC3\xA9\xC3\xA9,,b\n0,1,2,3\n", ',');
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 9);
}

static void test_parse_fails_on_a_missing_time(void **state)
{
    ps_error err = parse_fails("Time,x\n0,1\n,2\n", ',');
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 1);
    assert_string_equal(err.message, "missing time value");
}

static void test_parse_fails_on_extra_cells(void **state)
{
    ps_error err = parse_fails("Time,x\n0,1,2\n", ',');
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 5);
    assert_non_null(strstr(err.message, "more cells"));
}

static void test_parse_fails_on_an_unterminated_quote(void **state)
{
    ps_error err = parse_fails("Time,x\n0,1\n1,\"2\n3,4\n", ',');
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.message, "unterminated quoted cell");
}

static void test_parse_fails_on_text_after_a_closing_quote(void **state)
{
    ps_error err = parse_fails("Time,\"a\"b\n0,1\n", ',');
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 9);
}

static void test_parse_fails_on_an_empty_column_name(void **state)
{
    ps_error err = parse_fails("Time,a,,b\n0,1,2,3\n", ',');
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 8);
    assert_string_equal(err.message, "empty column name");
}

static void test_read_file_fails_with_noinput_on_a_missing_file(void **state)
{
    ps_series *s = (ps_series *)1;
    ps_error err;
    ps_status st = ps_table_read_file("no-such-dir/output.tab", &s, &err);
    assert_int_equal(st, PS_ERR_NOINPUT);
    assert_null(s);
    assert_string_equal(err.file, "no-such-dir/output.tab");
}

static void test_format_from_path_knows_csv_and_tab(void **state)
{
    ps_table_format f;
    assert_int_equal(ps_table_format_from_path("a/out.csv", &f), 0);
    assert_int_equal(f, PS_TABLE_CSV);
    assert_int_equal(ps_table_format_from_path("OUT.TAB", &f), 0);
    assert_int_equal(f, PS_TABLE_TAB);
    assert_int_equal(ps_table_format_from_path("x.tsv", &f), 0);
    assert_int_equal(f, PS_TABLE_TAB);
    assert_int_equal(ps_table_format_from_path("out.txt", &f), -1);
    assert_int_equal(ps_table_format_from_path("out", &f), -1);
    assert_int_equal(ps_table_format_from_path("dir.csv/out", &f), -1);
    assert_int_equal(ps_table_separator(PS_TABLE_CSV), ',');
    assert_int_equal(ps_table_separator(PS_TABLE_TAB), '\t');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_reads_lf_line_ends),
        cmocka_unit_test(test_parse_reads_crlf_line_ends),
        cmocka_unit_test(test_parse_reads_cr_only_line_ends),
        cmocka_unit_test(test_parse_reads_mixed_line_ends_and_counts_lines),
        cmocka_unit_test(test_parse_turns_empty_cells_into_nan),
        cmocka_unit_test(test_parse_fills_missing_cells_at_row_end_with_nan),
        cmocka_unit_test(test_parse_ignores_trailing_separators),
        cmocka_unit_test(test_parse_unquotes_doubled_quotes_in_names),
        cmocka_unit_test(
            test_parse_keeps_separators_and_line_ends_inside_quotes),
        cmocka_unit_test(test_parse_skips_a_utf8_byte_order_mark),
        cmocka_unit_test(test_parse_skips_blank_lines),
        cmocka_unit_test(test_parse_gives_the_precision_values_were_written_with),
        cmocka_unit_test(test_parse_accepts_a_header_without_rows),
        cmocka_unit_test(test_parse_reads_numbers_of_every_form),
        cmocka_unit_test(test_parse_fails_on_an_empty_text),
        cmocka_unit_test(test_parse_fails_on_a_bad_number_with_its_position),
        cmocka_unit_test(test_parse_counts_columns_in_characters),
        cmocka_unit_test(test_parse_fails_on_a_missing_time),
        cmocka_unit_test(test_parse_fails_on_extra_cells),
        cmocka_unit_test(test_parse_fails_on_an_unterminated_quote),
        cmocka_unit_test(test_parse_fails_on_text_after_a_closing_quote),
        cmocka_unit_test(test_parse_fails_on_an_empty_column_name),
        cmocka_unit_test(test_read_file_fails_with_noinput_on_a_missing_file),
        cmocka_unit_test(test_format_from_path_knows_csv_and_tab),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
