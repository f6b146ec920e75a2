/*
 * plansim: spreadsheet-like input files, for Vensim's GET XLS and GET
 * DIRECT functions.
 *
 * A ps_book is a file read whole into memory, as sheets of cells: numbers
 * (dates are their serial numbers, as spreadsheets store them), text, or
 * empty.  The reader is chosen by the file's extension, case-insensitive:
 *   .xlsx, .xlsm  Office Open XML workbooks (libzip and libxml2), with
 *                 their defined names; formulas give their cached values;
 *   .xls          old binary Excel workbooks (libfreexl), no defined names;
 *   .csv          one sheet, comma-separated with RFC 4180 quoting;
 *   .tab, .tsv, .txt
 *                 one sheet, tab-separated (same quoting).
 * Rows and columns are 0-based here: cell "B3" is row 2, column 1.
 *
 * Inputs are bounded: the file must be a regular file (a FIFO or a device
 * is refused, never opened for reading) within the input limit (file.h:
 * ps_input_max_bytes()); a delimited file must be UTF-8 text without NUL;
 * no part of an .xlsx archive may unpack to more than
 * PS_SHEET_MAX_PART_BYTES; a sheet holds at most PS_SHEET_MAX_CELLS
 * non-empty cells, within PS_SHEET_MAX_ROWS x PS_SHEET_MAX_COLS (Excel's
 * A1:XFD1048576).  XML is parsed without network access, entity
 * substitution or DTDs (a part with a DOCTYPE is refused).
 *
 * A book is immutable once open: several threads may read the same book.
 */
#ifndef PLANSIM_SHEET_H
#define PLANSIM_SHEET_H

#include <stddef.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PS_SHEET_MAX_PART_BYTES ((size_t)256 << 20)
#define PS_SHEET_MAX_CELLS ((size_t)50000000)
#define PS_SHEET_MAX_ROWS ((size_t)1048576)
#define PS_SHEET_MAX_COLS ((size_t)16384)

typedef struct ps_book ps_book;

typedef enum ps_cell_kind {
    PS_CELL_EMPTY,
    PS_CELL_NUMBER,
    PS_CELL_TEXT
} ps_cell_kind;

/* A cell's value.  `number` is meaningful for PS_CELL_NUMBER (0 otherwise);
   `text` is a non-empty UTF-8 string for PS_CELL_TEXT (NULL otherwise),
   owned by the book and valid until it is freed. */
typedef struct ps_cell {
    ps_cell_kind kind;
    double number;
    const char *text;
} ps_cell;

/*
 * Reads the file `path` into a new book, chosen by its extension (see
 * above); *out is owned by the caller (ps_book_free()).  On failure *out
 * is NULL and `err` names the file: PS_ERR_NOINPUT when it cannot be
 * opened or is not a regular file; PS_ERR_DATA for an unknown extension, a
 * file too large, or a corrupt or unsupported content (the message names
 * the archive part, the XML line or the cell when known; for .csv/.tab the
 * error's line and column point at the field); PS_ERR_NOMEM.
 *
 * What each cell becomes: in .xlsx, numbers and booleans (1, 0) are
 * numbers, an ISO 8601 date cell (t="d") is its serial number; shared,
 * inline and formula strings and error values ("#N/A") are text.  In .xls,
 * dates and times are their serial numbers (whole days for cells
 * formatted as dates).  In .csv/.tab, a field that is a decimal number
 * (plansim/number.h, locale-independent, spaces around it allowed,
 * quoted or not) is a number, any other non-empty field is text.
 * Everywhere, text that spells a number stays text, and an empty text is
 * an empty cell.
 *
 * Reading .xlsx initialises libxml2 (xmlInitParser()); a program that
 * opens books from several threads should call xmlInitParser() once first.
 */
ps_status ps_book_open(const char *path, ps_book **out, ps_error *err);

/* Frees the book and everything it owns (cell texts, names), and sets the
   caller's pointer to NULL.  `book` may be NULL or point to NULL. */
void ps_book_free(ps_book **book);

/* Number of sheets: at least 1 for .xls/.xlsx, exactly 1 for .csv/.tab. */
size_t ps_book_sheet_count(const ps_book *b);

/* Name of sheet `sheet` (UTF-8, owned by the book); NULL when out of
   range.  A .csv/.tab book's one sheet is named after the file, without
   its folder and extension. */
const char *ps_book_sheet_name(const ps_book *b, size_t sheet);

/* Index of the sheet called `name`: an exact match first, then one that
   differs only in ASCII letter case; a .csv/.tab book's one sheet answers
   to any name.  (size_t)-1 when absent. */
size_t ps_book_sheet_find(const ps_book *b, const char *name);

/* The used area of a sheet, from A1: 1 + the last row (column) holding a
   non-empty cell; 0 for an empty sheet or a sheet out of range. */
size_t ps_book_rows(const ps_book *b, size_t sheet);
size_t ps_book_cols(const ps_book *b, size_t sheet);

/* The cell at 0-based (row, col) of `sheet`; PS_CELL_EMPTY outside the
   used area, for a blank cell or a sheet out of range. */
ps_cell ps_book_cell(const ps_book *b, size_t sheet, size_t row, size_t col);

/*
 * Parses a cell reference, "B12" or "$B$12" (each '$' optional, letters in
 * either case), into a 0-based row (11) and column (1).  Columns run from A
 * to XFD, rows from 1 to 1048576.  Returns 0, or -1 (outputs unchanged)
 * when `ref` is not exactly one such reference.
 */
int ps_cell_ref_parse(const char *ref, size_t *row, size_t *col);

/*
 * Looks up an Excel defined name (.xlsx only), e.g. time_index defined as
 * Sheet1!$A$2:$A$20: the sheet it points into and the rectangle (0-based
 * top-left row and column, and its size).  Names compare ignoring ASCII
 * case, as in Excel; a workbook-level name is preferred to a sheet-level
 * one, then sheets in order.  Only names that stand for one cell or one
 * rectangle on one sheet are known.  Returns 0 when found (any output
 * pointer may be NULL), -1 otherwise.
 */
int ps_book_defined_name(const ps_book *b, const char *name, size_t *sheet,
                         size_t *row, size_t *col, size_t *nrows,
                         size_t *ncols);

#ifdef __cplusplus
}
#endif
#endif
