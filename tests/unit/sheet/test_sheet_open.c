/*
 * Opening books: what is refused and how (a missing file is 66, never a
 * crash; a directory or a FIFO is refused without blocking; unknown
 * extensions and files that are not what their name says are 65), and
 * A1 cell references.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sheet_test.h"

static void test_open_missing_file_is_noinput(void **state)
{
    (void)state;
    ps_error err;
    const char *paths[] = {"fixtures/absent.xlsx", "fixtures/absent.xls",
                           "fixtures/absent.csv", "no/such/dir/absent.tab"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        open_fails(paths[i], PS_ERR_NOINPUT, "cannot open", &err);
        assert_int_equal(ps_status_exit_code(err.status), 66);
    }
    ps_book *b = (ps_book *)1;
    assert_int_equal(ps_book_open("", &b, &err), PS_ERR_NOINPUT);
    assert_null(b);
    assert_int_equal(ps_book_open(NULL, &b, &err), PS_ERR_NOINPUT);
    assert_int_equal(ps_book_open("fixtures/absent.csv", &b, NULL),
                     PS_ERR_NOINPUT);
}

static void test_open_directory_is_refused(void **state)
{
    (void)state;
    char path[4096];
    scratch_path(path, "folder.xlsx");
    mkdir(path, 0700);
    ps_error err;
    open_fails(path, PS_ERR_NOINPUT, "a directory", &err);
    scratch_path(path, "folder.csv");
    mkdir(path, 0700);
    open_fails(path, PS_ERR_NOINPUT, "a directory", &err);
}

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "blocked on a FIFO\n";
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(2);
    _exit(1);
}

static void test_open_fifo_is_refused_without_blocking(void **state)
{
    (void)state;
    /* A FIFO without a writer blocks a plain open(): fail loudly instead
       of hanging if the reader ever does that. */
    signal(SIGALRM, on_alarm);
    alarm(20);
    const char *names[] = {"fifo.xlsx", "fifo.xls", "fifo.csv", "fifo.tab"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[4096];
        scratch_path(path, names[i]);
        unlink(path);
        assert_int_equal(mkfifo(path, 0600), 0);
        ps_error err;
        open_fails(path, PS_ERR_NOINPUT, "a FIFO", &err);
        unlink(path);
    }
    alarm(0);
}

static void test_open_device_is_refused(void **state)
{
    (void)state;
    /* /dev/zero would never end: it must not be read at all */
    char path[4096];
    scratch_path(path, "zero.csv");
    unlink(path);
    if (symlink("/dev/zero", path) != 0)
        skip();
    ps_error err;
    open_fails(path, PS_ERR_NOINPUT, "a device", &err);
    unlink(path);
}

static void test_open_unknown_extension_is_refused(void **state)
{
    (void)state;
    ps_error err;
    /* refused by name, before the file is looked at */
    open_fails("fixtures/book.ods", PS_ERR_DATA, "unknown spreadsheet type",
               &err);
    assert_non_null(strstr(err.message, "'.ods'"));
    open_fails("fixtures/book", PS_ERR_DATA, "no file extension", &err);
    open_fails("fixtures.d/book", PS_ERR_DATA, "no file extension", &err);
    open_fails("fixtures/book.xlsx.bak", PS_ERR_DATA,
               "unknown spreadsheet type", &err);
}

static void test_open_file_that_is_not_its_type(void **state)
{
    (void)state;
    ps_error err;
    open_fails("fixtures/not_a_workbook.xls", PS_ERR_DATA, "not an .xls", &err);
    char path[4096];
    copy_file("fixtures/book.xlsx", scratch_path(path, "zip.xls"), (size_t)-1);
    open_fails(path, PS_ERR_DATA, "name it .xlsx", &err);
}

static void test_cell_ref_parse(void **state)
{
    (void)state;
    size_t row = 99, col = 99;
    assert_int_equal(ps_cell_ref_parse("B12", &row, &col), 0);
    assert_int_equal(row, 11);
    assert_int_equal(col, 1);
    assert_int_equal(ps_cell_ref_parse("$B$12", &row, &col), 0);
    assert_int_equal(row, 11);
    assert_int_equal(col, 1);
    assert_int_equal(ps_cell_ref_parse("a1", &row, &col), 0);
    assert_int_equal(row, 0);
    assert_int_equal(col, 0);
    assert_int_equal(ps_cell_ref_parse("$Z9", &row, &col), 0);
    assert_int_equal(col, 25);
    assert_int_equal(ps_cell_ref_parse("AA1", &row, &col), 0);
    assert_int_equal(col, 26);
    assert_int_equal(ps_cell_ref_parse("az$43", &row, &col), 0);
    assert_int_equal(row, 42);
    assert_int_equal(col, 51);
    assert_int_equal(ps_cell_ref_parse("XFD1048576", &row, &col), 0);
    assert_int_equal(row, 1048575);
    assert_int_equal(col, 16383);
    row = col = 7;
    const char *bad[] = {"",          "B",     "12",    "B0",        "XFE1",
                         "A1048577",  "AAAA1", "B12 ",  " B12",      "B-1",
                         "$$B1",      "B$$1",  "B1:C2", "Sheet1!B1", "B1.5",
                         "A99999999", "B12x",  "$"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ps_cell_ref_parse(bad[i], &row, &col) != -1)
            fail_msg("'%s' parsed as a cell reference", bad[i]);
    assert_int_equal(ps_cell_ref_parse(NULL, &row, &col), -1);
    assert_int_equal(row, 7); /* outputs untouched on failure */
    assert_int_equal(col, 7);
}

static void test_null_book_is_empty(void **state)
{
    (void)state;
    assert_int_equal(ps_book_sheet_count(NULL), 0);
    assert_null(ps_book_sheet_name(NULL, 0));
    assert_int_equal(ps_book_sheet_find(NULL, "x"), (size_t)-1);
    assert_int_equal(ps_book_rows(NULL, 0), 0);
    assert_int_equal(ps_book_cols(NULL, 0), 0);
    assert_int_equal(ps_book_cell(NULL, 0, 0, 0).kind, PS_CELL_EMPTY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_missing_file_is_noinput),
        cmocka_unit_test(test_open_directory_is_refused),
        cmocka_unit_test(test_open_fifo_is_refused_without_blocking),
        cmocka_unit_test(test_open_device_is_refused),
        cmocka_unit_test(test_open_unknown_extension_is_refused),
        cmocka_unit_test(test_open_file_that_is_not_its_type),
        cmocka_unit_test(test_cell_ref_parse),
        cmocka_unit_test(test_null_book_is_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
