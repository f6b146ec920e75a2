/*
 * plansim: delimited text (CSV and tab-separated): the tokenizer that
 * reads it, and the quoting of fields that every writer uses.
 *
 * One set of rules for either separator, the RFC 4180 ones plus what
 * Vensim and spreadsheets write: a field that starts with a double quote
 * runs to its closing quote and may hold separators, line ends and
 * doubled quotes (each standing for one quote); LF, CRLF and a lone CR all
 * end a record; a UTF-8 byte order mark at the very start is skipped.
 * Fields are returned as text: what they mean (numbers, names) is the
 * caller's business.  Every field remembers the line and column where it
 * starts, so errors can point at it.
 *
 *     ps_csv_reader rd;
 *     ps_csv_row row = {0};
 *     ps_csv_reader_init(&rd, text, len, ',', path);
 *     while ((st = ps_csv_read_row(&rd, &row, err)) == PS_OK && row.n > 0)
 *         ... ps_csv_field_text(&row, i), row.fields[i].line ...
 *     ps_csv_row_free(&row);
 */
#ifndef PLANSIM_CSV_H
#define PLANSIM_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One field of a record.  Its text is NUL-terminated in the row's
   buffer (quotes removed, doubled quotes made single). */
typedef struct ps_csv_field {
    size_t off; /* start of the text in ps_csv_row.buf */
    size_t len; /* bytes of text, without the NUL */
    int quoted; /* written between quotes ("" is an empty quoted field) */
    int line;   /* 1-based line of its first character */
    int column; /* 1-based column, counted in UTF-8 characters */
} ps_csv_field;

/* One record: n fields.  Start from {0}; the same row can be passed to
   every ps_csv_read_row() call (its memory is reused), and is released
   with ps_csv_row_free(). */
typedef struct ps_csv_row {
    char *buf;
    size_t blen, bcap;
    ps_csv_field *fields;
    size_t n, cap;
} ps_csv_row;

/* Where the tokenizer is in the text.  Borrows the text and the path,
   which must outlive it; holds no heap memory. */
typedef struct ps_csv_reader {
    const char *p, *end;
    const char *col_at; /* a position on the current line ... */
    int col;            /* ... and its 1-based column */
    int line;
    char sep;
    const char *path;
} ps_csv_reader;

/* Starts reading text[0..len) with separator `sep` (',' or '\t'); a UTF-8
   byte order mark at the start is skipped.  `path` names the source in
   errors (may be NULL). */
void ps_csv_reader_init(ps_csv_reader *rd, const char *text, size_t len,
                        char sep, const char *path);

/*
 * Reads the next record into `row`.  PS_OK with row->n >= 1 for a record
 * (a blank line is one empty field), PS_OK with row->n == 0 at the end of
 * the text.  PS_ERR_DATA, located at the field, for an unterminated quoted
 * field or text after a closing quote; PS_ERR_NOMEM when memory runs out.
 */
ps_status ps_csv_read_row(ps_csv_reader *rd, ps_csv_row *row, ps_error *err);

/* The text of field i of the last record read (valid until the next
   ps_csv_read_row() on the row). */
const char *ps_csv_field_text(const ps_csv_row *row, size_t i);

/* Frees the row's memory and resets it to {0}.  NULL is allowed. */
void ps_csv_row_free(ps_csv_row *row);

/* Non-zero when `text` must be quoted as a field of a file separated by
   `sep`: it holds the separator, a double quote, a CR or an LF (RFC 4180,
   section 2).  NULL is the empty field. */
int ps_csv_needs_quotes(const char *text, char sep);

/* Writes `text` to `out` as one field of a file separated by `sep` (',',
   or '\t' for tab-separated text): as it is when it needs no quotes,
   otherwise between double quotes with each quote inside doubled.  Text
   is written byte for byte (UTF-8 stays UTF-8); NULL is the empty field.
   The caller checks `out` for errors (ferror) when the file is done. */
void ps_csv_write_field(FILE *out, const char *text, char sep);

#ifdef __cplusplus
}
#endif
#endif
