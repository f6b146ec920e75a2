/*
 * .xlsx books: fixtures/book.xlsx (written by fixtures/make_fixtures.py,
 * its values checked there with openpyxl) read cell by cell, its sheets
 * and defined names; and the archives the reader must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sheet_test.h"

#define BOOK "fixtures/book.xlsx"

static void test_xlsx_sheets_in_workbook_order(void **state)
{
    (void)state;
    ps_book *b = open_ok(BOOK);
    assert_int_equal(ps_book_sheet_count(b), 2);
    assert_string_equal(ps_book_sheet_name(b, 0), "Data");
    assert_string_equal(ps_book_sheet_name(b, 1), "Second sheet");
    assert_null(ps_book_sheet_name(b, 2));
    /* exact first, then ASCII case-insensitive */
    assert_int_equal(ps_book_sheet_find(b, "Data"), 0);
    assert_int_equal(ps_book_sheet_find(b, "second SHEET"), 1);
    assert_int_equal(ps_book_sheet_find(b, "Sheet1"), (size_t)-1);
    assert_int_equal(ps_book_sheet_find(b, "Second"), (size_t)-1);
    /* used areas from A1: Data reaches D7 and row 8, the second sheet
       C2 and B4 */
    assert_int_equal(ps_book_rows(b, 0), 8);
    assert_int_equal(ps_book_cols(b, 0), 4);
    assert_int_equal(ps_book_rows(b, 1), 4);
    assert_int_equal(ps_book_cols(b, 1), 3);
    assert_int_equal(ps_book_rows(b, 2), 0);
    assert_int_equal(ps_book_cols(b, 2), 0);
    ps_book_free(&b);
    assert_null(b);
    ps_book_free(&b); /* freeing twice through the pointer is harmless */
    ps_book_free(NULL);
}

static void test_xlsx_cells_of_every_kind(void **state)
{
    (void)state;
    ps_book *b = open_ok(BOOK);
    assert_text_at(b, 0, "A1", "time");  /* shared string */
    assert_text_at(b, 0, "B1", "value"); /* shared string */
    assert_text_at(b, 0, "C1", "note");  /* inline string */
    assert_number_at(b, 0, "A2", 2020);
    assert_number_at(b, 0, "B2", 1.5);
    /* rich text runs joined, the phonetic run left out */
    assert_text_at(b, 0, "C2", "rich text");
    assert_number_at(b, 0, "B3", 3); /* formula B2*2: its cached value */
    assert_empty_at(b, 0, "C3");     /* styled, no value */
    assert_number_at(b, 0, "A4", 2022);
    assert_number_at(b, 0, "B4", -0.025);
    assert_text_at(b, 0, "C4", "42"); /* a number written as text */
    assert_number_at(b, 0, "A5", 1);  /* TRUE */
    assert_text_at(b, 0, "B5", "#N/A");
    assert_text_at(b, 0, "C5", "ab"); /* a formula's text */
    /* 2020-01-01T12:00:00 is serial 43831.5 (1900 date system) */
    assert_number_at(b, 0, "A6", 43831.5);
    assert_text_at(b, 0, "B6", "xAy"); /* _x0041_ is 'A' */
    assert_number_at(b, 0, "D7", 7);
    /* a row and cells without r follow the previous ones */
    assert_number_at(b, 0, "A8", 8);
    assert_text_at(b, 0, "B8", "value");
    assert_empty_at(b, 0, "A7");
    assert_empty_at(b, 0, "D8");
    /* outside the used area, or of a sheet that does not exist */
    assert_empty_at(b, 0, "E1");
    assert_empty_at(b, 0, "A9");
    assert_empty_at(b, 0, "XFD1048576");
    assert_empty_at(b, 2, "A1");
    /* the second sheet, reached through an absolute part name */
    assert_number_at(b, 1, "B2", 10);
    assert_number_at(b, 1, "B3", 20);
    assert_number_at(b, 1, "B4", 30);
    assert_text_at(b, 1, "C2", "\xE5\x85\xB6\xE4\xBB\x96"); /* 其他 */
    assert_empty_at(b, 1, "A1");
    ps_book_free(&b);
}

static void test_xlsx_defined_names(void **state)
{
    (void)state;
    ps_book *b = open_ok(BOOK);
    size_t sheet, row, col, nrows, ncols;
    /* workbook-level: Data!$A$2:$A$4 */
    assert_int_equal(ps_book_defined_name(b, "time_index", &sheet, &row, &col,
                                          &nrows, &ncols),
                     0);
    assert_int_equal(sheet, 0);
    assert_int_equal(row, 1);
    assert_int_equal(col, 0);
    assert_int_equal(nrows, 3);
    assert_int_equal(ncols, 1);
    /* sheet-level, on a quoted sheet name, looked up in another case */
    assert_int_equal(
        ps_book_defined_name(b, "SERIES", &sheet, &row, &col, &nrows, &ncols),
        0);
    assert_int_equal(sheet, 1);
    assert_int_equal(row, 1);
    assert_int_equal(col, 1);
    assert_int_equal(nrows, 3);
    assert_int_equal(ncols, 1);
    /* the cells it names */
    for (size_t i = 0; i < nrows; i++) {
        ps_cell c = ps_book_cell(b, sheet, row + i, col);
        assert_int_equal(c.kind, PS_CELL_NUMBER);
        assert_true(c.number == 10.0 * (double)(i + 1));
    }
    /* one cell; outputs may be NULL */
    assert_int_equal(
        ps_book_defined_name(b, "single", NULL, &row, &col, &nrows, NULL), 0);
    assert_int_equal(row, 2);
    assert_int_equal(col, 1);
    assert_int_equal(nrows, 1);
    assert_int_equal(
        ps_book_defined_name(b, "single", NULL, NULL, NULL, NULL, NULL), 0);
    /* the workbook-level name wins over the sheet-level one */
    assert_int_equal(
        ps_book_defined_name(b, "dup", &sheet, &row, &col, NULL, NULL), 0);
    assert_int_equal(sheet, 1);
    assert_int_equal(row, 1);
    assert_int_equal(col, 1);
    /* Excel's own names are names too */
    assert_int_equal(ps_book_defined_name(b, "_xlnm.Print_Area", &sheet, &row,
                                          &col, &nrows, &ncols),
                     0);
    assert_int_equal(nrows, 5);
    assert_int_equal(ncols, 3);
    /* a constant and a union name no rectangle; unknown names */
    assert_int_equal(
        ps_book_defined_name(b, "constant", NULL, NULL, NULL, NULL, NULL), -1);
    assert_int_equal(
        ps_book_defined_name(b, "union", NULL, NULL, NULL, NULL, NULL), -1);
    assert_int_equal(
        ps_book_defined_name(b, "absent", NULL, NULL, NULL, NULL, NULL), -1);
    assert_int_equal(
        ps_book_defined_name(b, "time", NULL, NULL, NULL, NULL, NULL), -1);
    assert_int_equal(
        ps_book_defined_name(NULL, "time_index", NULL, NULL, NULL, NULL, NULL),
        -1);
    ps_book_free(&b);
}

static void test_xlsx_extension_is_case_insensitive(void **state)
{
    (void)state;
    char path[4096];
    copy_file(BOOK, scratch_path(path, "Copy.XLSX"), (size_t)-1);
    ps_book *b = open_ok(path);
    assert_int_equal(ps_book_sheet_count(b), 2);
    ps_book_free(&b);
    copy_file(BOOK, scratch_path(path, "copy.xlsm"), (size_t)-1);
    b = open_ok(path);
    assert_number_at(b, 0, "B3", 3);
    ps_book_free(&b);
}

static void test_xlsx_refuses_what_is_not_a_workbook(void **state)
{
    (void)state;
    ps_error err;
    open_fails("fixtures/not_a_workbook.xlsx", PS_ERR_DATA, "not a zip", &err);
    assert_int_equal(err.line, 0);
    /* an archive cut short */
    char path[4096];
    copy_file(BOOK, scratch_path(path, "truncated.xlsx"), 2000);
    open_fails(path, PS_ERR_DATA, NULL, &err);
    /* an empty file */
    copy_file(BOOK, scratch_path(path, "empty.xlsx"), 0);
    open_fails(path, PS_ERR_DATA, NULL, &err);
}

static void test_xlsx_refuses_broken_parts(void **state)
{
    (void)state;
    ps_error err;
    /* the message names the part and the line of the XML */
    open_fails("fixtures/bad_xml.xlsx", PS_ERR_DATA,
               "xl/worksheets/sheet1.xml, line 2:", &err);
    assert_non_null(strstr(err.message, "mismatch"));
    /* no DTD, no entities: refused, never expanded */
    open_fails("fixtures/doctype.xlsx", PS_ERR_DATA, "DOCTYPE", &err);
    open_fails("fixtures/missing_part.xlsx", PS_ERR_DATA,
               "xl/worksheets/other.xml is missing", &err);
    /* cells that do not hold what their type says, named */
    open_fails("fixtures/bad_shared_index.xlsx", PS_ERR_DATA,
               "sheet 'Data', cell B6: no shared string '5'", &err);
    open_fails("fixtures/bad_number.xlsx", PS_ERR_DATA,
               "cell B2: invalid number '1,5'", &err);
    /* a part that says it unpacks past the limit is not unpacked */
    open_fails("fixtures/huge_part.xlsx", PS_ERR_DATA, "unpacks to", &err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsx_sheets_in_workbook_order),
        cmocka_unit_test(test_xlsx_cells_of_every_kind),
        cmocka_unit_test(test_xlsx_defined_names),
        cmocka_unit_test(test_xlsx_extension_is_case_insensitive),
        cmocka_unit_test(test_xlsx_refuses_what_is_not_a_workbook),
        cmocka_unit_test(test_xlsx_refuses_broken_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
