/*
 * The workbooks of the SDXorg conformance cases (../shared/sdx-tests
 * beside the source tree): every .xls and .xlsx opens, and the cells the
 * cases' models read hold the values their expected outputs (output.tab)
 * show, checked independently (libfreexl's own dump for .xls, the
 * archives' XML for .xlsx).  Without the folder the tests skip (exit
 * code 77, CTest's SKIP_RETURN_CODE).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <sys/stat.h>

#include "sdx_cases.h"
#include "sheet_test.h"

static char sdx_dir[1024];

/* Opens case/file of the suite, or skips the test without the suite. */
static ps_book *open_case(const char *file)
{
    if (!sdx_dir[0]) {
        fprintf(stderr, "skipped: no sdx-tests folder beside the source "
                        "tree (set PLANSIM_SHARED_DIR to point at it)\n");
        skip();
    }
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", sdx_dir, file);
    return open_ok(path);
}

static void test_sdx_subscript_3d_arrays_xls(void **state)
{
    (void)state;
    ps_book *b = open_case("get_subscript_3d_arrays_xls/input.xls");
    assert_int_equal(ps_book_sheet_count(b), 1);
    assert_string_equal(ps_book_sheet_name(b, 0), "Sheet1");
    size_t s = ps_book_sheet_find(b, "sheet1");
    assert_int_equal(s, 0);
    assert_int_equal(ps_book_rows(b, s), 6);
    assert_int_equal(ps_book_cols(b, s), 6);
    assert_text_at(b, s, "C2", "Column 1");
    assert_text_at(b, s, "E2", "Column 2");
    assert_text_at(b, s, "B3", "Entry\\Depth");
    /* GET DIRECT SUBSCRIPT C3:D3 (depths under Column 1, again under
       Column 2) and B4:B6 */
    assert_number_at(b, s, "C3", 1);
    assert_number_at(b, s, "D3", 2);
    assert_number_at(b, s, "E3", 1);
    assert_number_at(b, s, "F3", 2);
    assert_number_at(b, s, "B4", 1);
    assert_number_at(b, s, "B6", 3);
    /* GET DIRECT CONSTANTS at C4 (Column1) and E4 (Column2): output.tab
       has [Entry1,Column1,Depth1..2] = 0.01 0.02, [Entry1,Column2,..] =
       0.02 0.05, [Entry2,Column1,..] = 0.03 0.04 */
    assert_number_at(b, s, "C4", 0.01);
    assert_number_at(b, s, "D4", 0.02);
    assert_number_at(b, s, "E4", 0.02);
    assert_number_at(b, s, "F4", 0.05);
    assert_number_at(b, s, "C5", 0.03);
    assert_number_at(b, s, "D5", 0.04);
    assert_number_at(b, s, "F6", 0.06);
    assert_empty_at(b, s, "A1");
    assert_empty_at(b, s, "D2");
    ps_book_free(&b);
}

static void test_sdx_lookups_subset_xls(void **state)
{
    (void)state;
    ps_book *b = open_case("get_lookups_subset/input.xls");
    size_t s = ps_book_sheet_find(b, "Sheet1");
    assert_int_equal(s, 0);
    assert_int_equal(ps_book_rows(b, s), 8);
    assert_int_equal(ps_book_cols(b, s), 9);
    /* GET XLS LOOKUPS(..., '4', 'C5'): times in row 4 from C */
    assert_text_at(b, s, "B4", "time");
    const double times[] = {0, 5, 10, 15, 20, 25, 30};
    const char *refs[] = {"C4", "D4", "E4", "F4", "G4", "H4", "I4"};
    for (size_t i = 0; i < 7; i++)
        assert_number_at(b, s, refs[i], times[i]);
    /* at time 0 output.tab has [A,Row1] 0, [A,Row2] 4, [B,Row1] -1,
       [B,Row2] 0; at 0.5 [A,Row1] is -0.2: 0 towards D5 = -2 */
    assert_number_at(b, s, "C5", 0);
    assert_number_at(b, s, "C6", 4);
    assert_number_at(b, s, "C7", -1);
    assert_number_at(b, s, "C8", 0);
    assert_number_at(b, s, "D5", -2);
    assert_text_at(b, s, "A5", "A");
    assert_text_at(b, s, "B8", "Row2");
    assert_empty_at(b, s, "A1");
    ps_book_free(&b);
}

static void test_sdx_vector_order_defined_names(void **state)
{
    (void)state;
    ps_book *b = open_case("vector_order/input.xlsx");
    assert_int_equal(ps_book_rows(b, 0), 43);
    assert_int_equal(ps_book_cols(b, 0), 52); /* A to AZ */
    size_t sheet, row, col, nrows, ncols;
    /* time_index is Sheet1!$B$1:$AZ$1, times 0 to 50 */
    assert_int_equal(ps_book_defined_name(b, "time_index", &sheet, &row, &col,
                                          &nrows, &ncols),
                     0);
    assert_int_equal(sheet, 0);
    assert_int_equal(row, 0);
    assert_int_equal(col, 1);
    assert_int_equal(nrows, 1);
    assert_int_equal(ncols, 51);
    for (size_t j = 0; j < ncols; j++) {
        ps_cell c = ps_book_cell(b, sheet, row, col + j);
        assert_int_equal(c.kind, PS_CELL_NUMBER);
        assert_true(c.number == (double)j);
    }
    /* revenue (sheet-level) is Sheet1!$B$2:$AZ$6 */
    assert_int_equal(
        ps_book_defined_name(b, "revenue", &sheet, &row, &col, &nrows, &ncols),
        0);
    assert_int_equal(row, 1);
    assert_int_equal(col, 1);
    assert_int_equal(nrows, 5);
    assert_int_equal(ncols, 51);
    assert_int_equal(
        ps_book_defined_name(b, "revenue_C_Y", NULL, &row, NULL, &nrows, NULL),
        0);
    assert_int_equal(row, 38);
    assert_int_equal(nrows, 5);
    assert_text_at(b, 0, "A2", "company1"); /* shared strings */
    assert_text_at(b, 0, "A7", "A");
    assert_number_at(b, 0, "B2", -25);
    assert_number_at(b, 0, "C2", 60);
    assert_number_at(b, 0, "AZ1", 50);
    assert_empty_at(b, 0, "A1");
    ps_book_free(&b);
}

static void test_sdx_partial_range_definitions(void **state)
{
    (void)state;
    ps_book *b = open_case("partial_range_definitions/inputs.xlsx");
    assert_int_equal(ps_book_rows(b, 0), 3);
    assert_int_equal(ps_book_cols(b, 0), 11);
    /* GET DIRECT CONSTANTS at B2 and D3: output.tab's partial
       constants[B] 0.390455 and [A] 0.993359, written in full in the
       sheet's XML */
    assert_number_at(b, 0, "B2", 0.39045540728014161);
    assert_number_at(b, 0, "D3", 0.99335945150638039);
    assert_number_at(b, 0, "A3", 0.42036250532873143);
    assert_number_at(b, 0, "K2", 1.2284000870288692E-2);
    assert_number_at(b, 0, "K1", 10);
    ps_book_free(&b);
}

static void test_sdx_missing_values_xlsx(void **state)
{
    (void)state;
    ps_book *b = open_case("get_with_missing_values_xlsx/input.xlsx");
    assert_string_equal(ps_book_sheet_name(b, 0), "Hoja1");
    assert_int_equal(ps_book_sheet_find(b, "hoja1"), 0);
    assert_int_equal(ps_book_rows(b, 0), 10);
    assert_int_equal(ps_book_cols(b, 0), 11);
    /* GET XLS DATA(..., '10', 'A9'): output.tab's hb3 is 10, then 11 */
    assert_number_at(b, 0, "A9", 10);
    assert_number_at(b, 0, "B9", 11);
    assert_number_at(b, 0, "I6", 78);
    assert_text_at(b, 0, "C10", "nonvalid");
    assert_empty_at(b, 0, "B5"); /* styled, no value */
    assert_empty_at(b, 0, "C8");
    assert_empty_at(b, 0, "A2");
    assert_empty_at(b, 0, "K9");
    ps_book_free(&b);
}

static void test_sdx_constants_subranges_xlsx(void **state)
{
    (void)state;
    ps_book *b = open_case("get_constants_subranges/inputs.xlsx");
    /* output.tab: constant[C..E] = 1 15 50, read from A1 across */
    assert_number_at(b, 0, "A1", 1);
    assert_number_at(b, 0, "B1", 15);
    assert_number_at(b, 0, "C1", 50);
    assert_int_equal(ps_book_rows(b, 0), 1);
    assert_int_equal(ps_book_cols(b, 0), 3);
    ps_book_free(&b);
}

static int has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcmp(name + n - k, suffix) == 0;
}

static void test_sdx_every_workbook_opens(void **state)
{
    (void)state;
    if (!sdx_dir[0])
        skip();
    DIR *top = opendir(sdx_dir);
    assert_non_null(top);
    struct dirent *d;
    size_t opened = 0;
    while ((d = readdir(top)) != NULL) {
        if (d->d_name[0] == '.')
            continue;
        char dir[2048];
        snprintf(dir, sizeof dir, "%s/%s", sdx_dir, d->d_name);
        DIR *sub = opendir(dir);
        if (!sub)
            continue;
        struct dirent *f;
        while ((f = readdir(sub)) != NULL) {
            if (!has_suffix(f->d_name, ".xls") &&
                !has_suffix(f->d_name, ".xlsx"))
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
            ps_book *b = open_ok(path);
            assert_true(ps_book_sheet_count(b) >= 1);
            assert_true(ps_book_rows(b, 0) > 0);
            ps_book_free(&b);
            opened++;
        }
        closedir(sub);
    }
    closedir(top);
    assert_true(opened >= 9);
}

int main(void)
{
    int found = sdx_cases_dir(sdx_dir, sizeof sdx_dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sdx_subscript_3d_arrays_xls),
        cmocka_unit_test(test_sdx_lookups_subset_xls),
        cmocka_unit_test(test_sdx_vector_order_defined_names),
        cmocka_unit_test(test_sdx_partial_range_definitions),
        cmocka_unit_test(test_sdx_missing_values_xlsx),
        cmocka_unit_test(test_sdx_constants_subranges_xlsx),
        cmocka_unit_test(test_sdx_every_workbook_opens),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed == 0 && !found ? SDX_SKIPPED : failed;
}
