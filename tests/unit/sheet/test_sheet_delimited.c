/*
 * .csv and .tab books: one sheet named after the file, fields that are
 * decimal numbers as numbers (in any locale), other fields as text, empty
 * fields empty; quoting, CRLF and lone CR line ends, a byte order mark;
 * errors located at the field.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sheet_test.h"

/* fixtures/book.csv, byte for byte (CRLF, a BOM):
 *   time,value,label
 *   2020,1.5,"alpha, ""beta"""
 *   2021,,plain text
 *   "2022", 7 ,"line one<CRLF>line two"
 *   2023,1e-3,42abc
 *   <blank>
 *   ,,last
 */
static void check_book_csv(const ps_book *b)
{
    assert_int_equal(ps_book_sheet_count(b), 1);
    assert_string_equal(ps_book_sheet_name(b, 0), "book");
    assert_int_equal(ps_book_rows(b, 0), 7);
    assert_int_equal(ps_book_cols(b, 0), 3);
    assert_text_at(b, 0, "A1", "time"); /* the BOM is not part of it */
    assert_text_at(b, 0, "B1", "value");
    assert_text_at(b, 0, "C1", "label");
    assert_number_at(b, 0, "A2", 2020);
    assert_number_at(b, 0, "B2", 1.5);
    assert_text_at(b, 0, "C2", "alpha, \"beta\"");
    assert_number_at(b, 0, "A3", 2021);
    assert_empty_at(b, 0, "B3");
    assert_text_at(b, 0, "C3", "plain text");
    assert_number_at(b, 0, "A4", 2022); /* quoted, still a number */
    assert_number_at(b, 0, "B4", 7);    /* spaces around it */
    assert_text_at(b, 0, "C4", "line one\r\nline two");
    assert_number_at(b, 0, "A5", 2023);
    assert_number_at(b, 0, "B5", 1e-3);
    assert_text_at(b, 0, "C5", "42abc");
    assert_empty_at(b, 0, "A6"); /* the blank line */
    assert_empty_at(b, 0, "A7");
    assert_empty_at(b, 0, "B7");
    assert_text_at(b, 0, "C7", "last");
    assert_empty_at(b, 0, "D1");
    assert_empty_at(b, 0, "A8");
}

static void test_csv_cells(void **state)
{
    (void)state;
    ps_book *b = open_ok("fixtures/book.csv");
    check_book_csv(b);
    ps_book_free(&b);
}

static void test_csv_sheet_answers_to_any_name(void **state)
{
    (void)state;
    ps_book *b = open_ok("fixtures/book.csv");
    assert_int_equal(ps_book_sheet_find(b, "book"), 0);
    assert_int_equal(ps_book_sheet_find(b, "Sheet1"), 0);
    assert_int_equal(ps_book_sheet_find(b, ""), 0);
    assert_int_equal(ps_book_sheet_find(b, NULL), (size_t)-1);
    assert_int_equal(
        ps_book_defined_name(b, "time", NULL, NULL, NULL, NULL, NULL), -1);
    ps_book_free(&b);
}

/* fixtures/book.tab: LF and one lone CR, a tab inside quotes:
 *   time A B / 0 1 2 / 1 3.5 n/a (CR) / 2 <empty> -4 / 3 1,5 "q<TAB>t" */
static void test_tab_cells(void **state)
{
    (void)state;
    ps_book *b = open_ok("fixtures/book.tab");
    assert_int_equal(ps_book_rows(b, 0), 5);
    assert_int_equal(ps_book_cols(b, 0), 3);
    assert_text_at(b, 0, "B1", "A");
    assert_number_at(b, 0, "A2", 0);
    assert_number_at(b, 0, "C2", 2);
    assert_number_at(b, 0, "B3", 3.5);
    assert_text_at(b, 0, "C3", "n/a");
    assert_number_at(b, 0, "A4", 2);
    assert_empty_at(b, 0, "B4");
    assert_number_at(b, 0, "C4", -4);
    assert_text_at(b, 0, "B5", "1,5"); /* a comma is no decimal point */
    assert_text_at(b, 0, "C5", "q\tt");
    ps_book_free(&b);
}

static void test_txt_is_tab_separated(void **state)
{
    (void)state;
    char path[4096];
    copy_file("fixtures/book.tab", scratch_path(path, "Book Copy.TXT"),
              (size_t)-1);
    ps_book *b = open_ok(path);
    assert_string_equal(ps_book_sheet_name(b, 0), "Book Copy");
    assert_number_at(b, 0, "B3", 3.5);
    assert_text_at(b, 0, "C5", "q\tt");
    ps_book_free(&b);
}

static void test_numbers_do_not_follow_the_locale(void **state)
{
    (void)state;
    /* Where a locale with a decimal comma is installed, "1.5" must still
       read as 1.5 and "1,5" as text. */
    const char *names[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE.utf8"};
    const char *set = NULL;
    for (size_t i = 0; i < 3 && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    if (!set)
        fprintf(stderr, "note: no decimal-comma locale installed; reading "
                        "in the C locale only\n");
    ps_book *b = open_ok("fixtures/book.tab");
    assert_number_at(b, 0, "B3", 3.5);
    assert_text_at(b, 0, "B5", "1,5");
    ps_book_free(&b);
    setlocale(LC_NUMERIC, "C");
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_csv_errors_point_at_the_field(void **state)
{
    (void)state;
    char path[4096];
    ps_error err;
    write_text(scratch_path(path, "unterminated.csv"),
               "a,b\r\n1,\"never closed\n");
    open_fails(path, PS_ERR_DATA, "unterminated quoted cell", &err);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    write_text(scratch_path(path, "after_quote.csv"), "\"x\"y,2\n");
    open_fails(path, PS_ERR_DATA, "after a closing quote", &err);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4);
}

static void test_csv_empty_file_is_an_empty_sheet(void **state)
{
    (void)state;
    char path[4096];
    write_text(scratch_path(path, "empty.csv"), "");
    ps_book *b = open_ok(path);
    assert_int_equal(ps_book_sheet_count(b), 1);
    assert_int_equal(ps_book_rows(b, 0), 0);
    assert_int_equal(ps_book_cols(b, 0), 0);
    assert_empty_at(b, 0, "A1");
    ps_book_free(&b);
    /* fields that are only separators or empty quotes are empty cells */
    write_text(scratch_path(path, "blank.csv"), ",,\n\"\",\"\"\n");
    b = open_ok(path);
    assert_int_equal(ps_book_rows(b, 0), 0);
    ps_book_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_cells),
        cmocka_unit_test(test_csv_sheet_answers_to_any_name),
        cmocka_unit_test(test_tab_cells),
        cmocka_unit_test(test_txt_is_tab_separated),
        cmocka_unit_test(test_numbers_do_not_follow_the_locale),
        cmocka_unit_test(test_csv_errors_point_at_the_field),
        cmocka_unit_test(test_csv_empty_file_is_an_empty_sheet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
