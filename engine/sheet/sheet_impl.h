/*
 * ps_sheet's private contracts: how a book is stored, and the calls the
 * format readers (xlsx.c, xls.c, delim.c) use to fill one.
 *
 * A sheet keeps only its non-empty cells, sorted by (row, column), each in
 * 16 bytes: the position and kind packed in one key, then the number or
 * the offset of the text in the book's string pool.  Dense and sparse
 * sheets cost the same per cell, and a lookup is a binary search.
 */
#ifndef PS_SHEET_IMPL_H
#define PS_SHEET_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/sheet.h"

/* key = kind << 62 | row << 14 | col (col < 2^14, row < 2^20). */
#define CELL_COL_BITS 14
#define CELL_KIND_SHIFT 62
#define CELL_POS_MASK ((UINT64_C(1) << CELL_KIND_SHIFT) - 1)

typedef struct book_cell {
    uint64_t key;
    union {
        double number;
        uint64_t text; /* offset in ps_book.pool */
    } v;
} book_cell;

typedef struct book_sheet {
    char *name;
    book_cell *cells; /* ncells, sorted by position once loaded */
    size_t ncells, cap;
    size_t nrows, ncols; /* used area from A1 */
} book_sheet;

/* A defined name that stands for one rectangle. */
typedef struct book_name {
    char *name;
    size_t scope; /* sheet of a sheet-level name; SIZE_MAX: the workbook */
    size_t sheet, row, col, nrows, ncols;
} book_name;

struct ps_book {
    int any_name; /* .csv/.tab: the one sheet answers to any name */
    book_sheet *sheets;
    size_t nsheets, sheets_cap;
    char *pool; /* NUL-terminated texts */
    size_t pool_len, pool_cap;
    book_name *names;
    size_t nnames, names_cap;
};

/* What a reader fills, and where its errors go. */
typedef struct book_load {
    ps_book *b;
    const char *path;
    ps_error *err;
} book_load;

/* An offset in the pool that stands for the empty text (nothing stored). */
#define POOL_EMPTY UINT64_MAX

/* Fails the load: sets the error (located at the file, no line) and
   returns `status`. */
ps_status load_fail(book_load *ld, ps_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies s[0..n) into the pool; *off gets its offset, or POOL_EMPTY when
   n is 0.  PS_ERR_NOMEM on failure. */
ps_status load_text(book_load *ld, const char *s, size_t n, uint64_t *off);

/* Adds a sheet named s[0..n) (copied); *index gets its index. */
ps_status load_sheet(book_load *ld, const char *s, size_t n, size_t *index);

/* Stores a number, or a text already in the pool (POOL_EMPTY: nothing is
   stored), at 0-based (row, col) of sheet `sheet`.  PS_ERR_DATA past
   A1:XFD1048576 or past PS_SHEET_MAX_CELLS cells in the sheet; the message
   names the sheet and the cell. */
ps_status load_number(book_load *ld, size_t sheet, size_t row, size_t col,
                      double v);
ps_status load_pooled(book_load *ld, size_t sheet, size_t row, size_t col,
                      uint64_t off);

/* As load_pooled() for text s[0..n), copied into the pool first. */
ps_status load_string(book_load *ld, size_t sheet, size_t row, size_t col,
                      const char *s, size_t n);

/* Ends the load of every sheet: sorts cells into position order (PS_ERR_DATA
   when a cell was given twice) and measures the used areas. */
ps_status load_finish(book_load *ld);

/* Records the defined name `name` with its formula text `ref` (e.g.
   "Sheet1!$A$2:$A$20" or "'My data'!B3"), at `scope` (SIZE_MAX for the
   workbook).  Sheets must already be loaded.  A formula that is not one
   cell or rectangle on one sheet of the book is skipped (PS_OK). */
ps_status load_defined_name(book_load *ld, const char *name, size_t scope,
                            const char *ref);

/* Makes room for one more item in *items (count n, capacity *cap, each
   item size bytes), doubling the capacity.  Returns 0, or -1 when memory
   runs out (*items is then unchanged). */
int sheet_grow(void **items, size_t n, size_t *cap, size_t size);

/* Case-insensitive comparison of ASCII letters, exact for other bytes;
   returns non-zero when a and b are equal that way. */
int sheet_ascii_equal(const char *a, size_t na, const char *b, size_t nb);

/* Parses one cell reference at s[0..n) (as ps_cell_ref_parse()). */
int sheet_ref_parse(const char *s, size_t n, size_t *row, size_t *col);

/* Writes 0-based (row, col) as a reference ("B3") into buf[SHEET_REF_MAX]
   and returns buf. */
#define SHEET_REF_MAX 32
const char *sheet_ref_format(size_t row, size_t col, char *buf);

/*
 * The Excel serial number of an ISO 8601 date or time written as
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DDTHH:MM:SS[.fff][Z]" or
 * "HH:MM:SS" (a time alone is a fraction of a day).  Days count from
 * 1899-12-30 (the 1900 date system, right from March 1900 on, as Excel's
 * serials are) or, when date1904 is set, from 1904-01-01.  Returns 0, or
 * -1 for any other text.
 */
int sheet_date_serial(const char *s, size_t n, int date1904, double *out);

/* The format readers: fill ld->b from the file at ld->path. */
ps_status sheet_read_xlsx(book_load *ld);
ps_status sheet_read_xls(book_load *ld);
ps_status sheet_read_delimited(book_load *ld, char sep);

#endif
