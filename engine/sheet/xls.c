/*
 * .xls books (BIFF 2 to 8 in an OLE2 container), through libfreexl.
 *
 * libfreexl opens files by name only.  The file is first opened and
 * checked through its descriptor (a regular file, bounded); libfreexl then
 * reads that same file through /proc/self/fd/N where Linux has it, so what
 * was checked is what is read, and the name otherwise.
 */
#include <freexl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "plansim/file.h"
#include "sheet_impl.h"

static const char *freexl_message(int rc)
{
    switch (rc) {
    case FREEXL_FILE_NOT_FOUND:
        return "file not found";
    case FREEXL_INSUFFICIENT_MEMORY:
        return "out of memory";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
        return "not an .xls workbook (no OLE2 compound file header)";
    case FREEXL_CRAFTED_FILE:
        return "the workbook is severely corrupted";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return "the file holds no workbook stream";
    case FREEXL_UNSUPPORTED_CHARSET:
        return "the workbook's character set is not supported";
    case FREEXL_INVALID_CHARACTER:
        return "the workbook holds text that cannot be converted to UTF-8";
    default:
        return "corrupt or unsupported .xls workbook";
    }
}

static ps_status fail_freexl(book_load *ld, int rc, const char *what)
{
    ps_status st = rc == FREEXL_INSUFFICIENT_MEMORY ? PS_ERR_NOMEM
                   : rc == FREEXL_FILE_NOT_FOUND    ? PS_ERR_NOINPUT
                                                    : PS_ERR_DATA;
    return load_fail(ld, st, "%s%s (libfreexl error %d)", what,
                     freexl_message(rc), rc);
}

/* Stores one cell as read by libfreexl. */
static ps_status put_cell(book_load *ld, size_t sheet, unsigned row,
                          unsigned short col, const FreeXL_CellValue *v,
                          int date1904)
{
    double serial;
    const char *text;
    switch (v->type) {
    case FREEXL_CELL_INT:
        return load_number(ld, sheet, row, col, v->value.int_value);
    case FREEXL_CELL_DOUBLE:
        return load_number(ld, sheet, row, col, v->value.double_value);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
        text = v->value.text_value ? v->value.text_value : "";
        return load_string(ld, sheet, row, col, text, strlen(text));
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        text = v->value.text_value ? v->value.text_value : "";
        if (sheet_date_serial(text, strlen(text), date1904, &serial) == 0)
            return load_number(ld, sheet, row, col, serial);
        return load_string(ld, sheet, row, col, text, strlen(text));
    default:
        return PS_OK; /* FREEXL_CELL_NULL */
    }
}

static ps_status read_sheet(book_load *ld, const void *h, unsigned short i,
                            int date1904)
{
    const char *name = NULL;
    size_t sheet;
    int rc = freexl_get_worksheet_name(h, i, &name);
    if (rc != FREEXL_OK)
        return fail_freexl(ld, rc, "cannot read a sheet's name: ");
    if (!name)
        name = "";
    ps_status st = load_sheet(ld, name, strlen(name), &sheet);
    if (st != PS_OK)
        return st;
    unsigned rows = 0;
    unsigned short cols = 0;
    rc = freexl_select_active_worksheet(h, i);
    if (rc == FREEXL_OK)
        rc = freexl_worksheet_dimensions(h, &rows, &cols);
    if (rc != FREEXL_OK)
        return fail_freexl(ld, rc, "cannot read a sheet's size: ");
    for (unsigned r = 0; r < rows; r++) {
        for (unsigned short c = 0; c < cols; c++) {
            FreeXL_CellValue v;
            rc = freexl_get_cell_value(h, r, c, &v);
            if (rc != FREEXL_OK)
                return fail_freexl(ld, rc, "cannot read a cell: ");
            st = put_cell(ld, sheet, r, c, &v, date1904);
            if (st != PS_OK)
                return st;
        }
    }
    return PS_OK;
}

static ps_status read_book(book_load *ld, const void *h)
{
    unsigned count = 0, datemode = 0, password = 0;
    int rc = freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count);
    if (rc == FREEXL_OK)
        rc = freexl_get_info(h, FREEXL_BIFF_DATEMODE, &datemode);
    if (rc == FREEXL_OK)
        rc = freexl_get_info(h, FREEXL_BIFF_PASSWORD, &password);
    if (rc != FREEXL_OK)
        return fail_freexl(ld, rc, "cannot read the workbook: ");
    if (password == FREEXL_BIFF_OBFUSCATED)
        return load_fail(ld, PS_ERR_DATA, "the workbook is password-protected");
    if (count == 0)
        return load_fail(ld, PS_ERR_DATA, "the workbook has no sheet");
    if (count > 65535)
        return load_fail(ld, PS_ERR_DATA, "too many sheets (%u)", count);
    for (unsigned i = 0; i < count; i++) {
        ps_status st = read_sheet(ld, h, (unsigned short)i,
                                  datemode == FREEXL_BIFF_DATEMODE_1904);
        if (st != PS_OK)
            return st;
    }
    return PS_OK;
}

ps_status sheet_read_xls(book_load *ld)
{
    int fd;
    ps_status st = ps_file_open_input(ld->path, &fd, NULL, ld->err);
    if (st != PS_OK)
        return st;
    unsigned char magic[8] = {0};
    ssize_t got = pread(fd, magic, sizeof magic, 0);
    if (got != (ssize_t)sizeof magic ||
        memcmp(magic, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) != 0) {
        close(fd);
        if (got >= 4 && memcmp(magic, "PK\x03\x04", 4) == 0)
            return load_fail(ld, PS_ERR_DATA,
                             "not an .xls workbook: it is a zip archive "
                             "(an .xlsx workbook?); name it .xlsx");
        return load_fail(ld, PS_ERR_DATA,
                         "not an .xls workbook (no OLE2 "
                         "compound file header)");
    }
    char same_file[64];
    snprintf(same_file, sizeof same_file, "/proc/self/fd/%d", fd);
    const char *name = access(same_file, R_OK) == 0 ? same_file : ld->path;
    const void *h = NULL;
    int rc = freexl_open(name, &h);
    close(fd);
    st = rc == FREEXL_OK ? read_book(ld, h)
                         : fail_freexl(ld, rc, "cannot open: ");
    freexl_close(h);
    return st;
}
