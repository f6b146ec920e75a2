/*
 * plansim output: delimited tables (CSV and tab-separated).
 *
 * A table file has a header row, "Time" then one column per variable under
 * its model name, and one row per saved time.  Writing quotes names the
 * RFC 4180 way when they need it and prints each number in the fewest
 * digits that read back to the same double.  Reading accepts what Vensim
 * and other tools write: LF, CRLF or CR-only line ends, a UTF-8 byte order
 * mark, quoted names ("""$ euro""" is the name "$ euro"), empty cells
 * (read as NaN) and trailing separators.
 */
#ifndef PLANSIM_OUTPUT_TABLE_H
#define PLANSIM_OUTPUT_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "plansim/series.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_table_format {
    PS_TABLE_CSV, /* comma-separated */
    PS_TABLE_TAB  /* tab-separated   */
} ps_table_format;

/* The separator character of a format: ',' or '\t'. */
char ps_table_separator(ps_table_format fmt);

/*
 * The format named by the extension of `path` (case-insensitive): ".csv"
 * or ".tab" (".tsv" is taken as tab-separated too).  Returns 0 and sets
 * *fmt, or -1 when the extension names neither.
 */
int ps_table_format_from_path(const char *path, ps_table_format *fmt);

/* Longest text ps_table_format_number() writes, with its terminating NUL. */
#define PS_TABLE_NUMBER_MAX 32

/*
 * Writes `v` into buf[PS_TABLE_NUMBER_MAX] in the shortest of %.15g, %.16g
 * and %.17g that reads back (strtod) to exactly `v`: 0.1 is "0.1", not
 * "0.10000000000000001".  NaN is written as the empty string (a missing
 * value), infinities as "inf" and "-inf".  Returns buf.
 */
char *ps_table_format_number(double v, char *buf);

/*
 * Writes `s` to `out` as a table: the header, then one row per saved time.
 * `path` names the destination in errors (may be NULL).  Fails with
 * PS_ERR_IO when a write fails; the stream is left open either way.
 */
ps_status ps_table_write(FILE *out, const ps_series *s, ps_table_format fmt,
                         const char *path, ps_error *err);

/*
 * Writes `s` to the file `path` atomically: the table goes to
 * "path.partial", which is flushed, synced and renamed over `path` only
 * when everything was written; on failure it is removed, so no half file
 * ever carries the final name.  PS_ERR_CANTCREAT when the file cannot be
 * created, PS_ERR_IO when writing fails.
 */
ps_status ps_table_write_file(const char *path, const ps_series *s,
                              ps_table_format fmt, ps_error *err);

/*
 * Parses text[0..len) as a table separated by `sep` (',' or '\t').  The
 * first row is the header: its first cell names the time column, the
 * others become the series' column names.  Rows are matched to the header
 * by position: missing or empty cells are NaN, extra empty cells are
 * ignored, and blank lines are skipped.  `path` names the source in errors
 * (may be NULL).  On success *out is a new series owned by the caller; on
 * failure *out is NULL and `err` (PS_ERR_DATA) gives the line and column.
 */
ps_status ps_table_parse(const char *text, size_t len, char sep,
                         const char *path, ps_series **out, ps_error *err);

/*
 * Reads the table file `path`.  The separator comes from the extension
 * (".tab"/".tsv": tab, ".csv": comma); for any other extension it is a tab
 * when the first line holds one, else a comma.  PS_ERR_NOINPUT when the
 * file cannot be opened, PS_ERR_IO when it cannot be read, and otherwise as
 * ps_table_parse().
 */
ps_status ps_table_read_file(const char *path, ps_series **out, ps_error *err);

/*
 * As ps_table_parse and ps_table_read_file, also giving the precision the
 * values were written with: *resolution (owned by the caller) has the same
 * shape, and each of its values is half a unit in the last decimal place
 * the file ever writes (5e-6 for a file whose cells never have more than 5
 * decimals; 0 when it writes none), half a unit in its own last digit
 * for a cell in exponent notation, and 0 for empty cells and cells written
 * with 15 or more significant digits.  Reference outputs rounded when written are
 * compared within that precision.
 */
ps_status ps_table_parse_resolution(const char *text, size_t len, char sep,
                                    const char *path, ps_series **out,
                                    ps_series **resolution, ps_error *err);
ps_status ps_table_read_file_resolution(const char *path, ps_series **out,
                                        ps_series **resolution,
                                        ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
