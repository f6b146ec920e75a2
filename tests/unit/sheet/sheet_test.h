/*
 * Helpers shared by the ps_sheet tests (include after cmocka.h): open a
 * book expecting success or a given error, check cells, and make scratch
 * files under PLANSIM_TEST_TMPDIR.
 */
#ifndef PLANSIM_SHEET_TEST_H
#define PLANSIM_SHEET_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/sheet.h"

/* Opens `path`, failing the test with the reader's message otherwise. */
static inline ps_book *open_ok(const char *path)
{
    ps_book *b = NULL;
    ps_error err;
    ps_status st = ps_book_open(path, &b, &err);
    if (st != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected %s to open", path);
    }
    assert_non_null(b);
    return b;
}

/* Opens `path` expecting `status`, an error naming the file and holding
   `fragment` (when not NULL); *err gets the error. */
static inline void open_fails(const char *path, ps_status status,
                              const char *fragment, ps_error *err)
{
    ps_book *b = (ps_book *)1;
    ps_status st = ps_book_open(path, &b, err);
    if (st != status || (fragment && !strstr(err->message, fragment))) {
        ps_error_print(stderr, err);
        fail_msg("%s: expected %s with '%s', got %s", path,
                 ps_status_name(status), fragment ? fragment : "",
                 ps_status_name(st));
    }
    assert_null(b);
    assert_int_equal(err->status, status);
    assert_string_equal(err->file, path);
    assert_int_equal(ps_status_exit_code(st), ps_status_exit_code(status));
}

/* The cell at an A1 reference of a sheet. */
static inline ps_cell cell_at(const ps_book *b, size_t sheet, const char *ref)
{
    size_t row, col;
    if (ps_cell_ref_parse(ref, &row, &col) != 0)
        fail_msg("bad reference %s in the test", ref);
    return ps_book_cell(b, sheet, row, col);
}

static inline void assert_number_at(const ps_book *b, size_t sheet,
                                    const char *ref, double want)
{
    ps_cell c = cell_at(b, sheet, ref);
    if (c.kind != PS_CELL_NUMBER || c.number != want || c.text != NULL)
        fail_msg("%s: want the number %.17g, got kind %d (%.17g, %s)", ref,
                 want, (int)c.kind, c.number, c.text ? c.text : "NULL");
}

static inline void assert_text_at(const ps_book *b, size_t sheet,
                                  const char *ref, const char *want)
{
    ps_cell c = cell_at(b, sheet, ref);
    if (c.kind != PS_CELL_TEXT || !c.text || strcmp(c.text, want) != 0)
        fail_msg("%s: want the text '%s', got kind %d (%.17g, %s)", ref, want,
                 (int)c.kind, c.number, c.text ? c.text : "NULL");
}

static inline void assert_empty_at(const ps_book *b, size_t sheet,
                                   const char *ref)
{
    ps_cell c = cell_at(b, sheet, ref);
    if (c.kind != PS_CELL_EMPTY || c.text != NULL || c.number != 0)
        fail_msg("%s: want an empty cell, got kind %d", ref, (int)c.kind);
}

/* A scratch path: PLANSIM_TEST_TMPDIR (or .) / name, into buf[4096]. */
static inline const char *scratch_path(char *buf, const char *name)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    snprintf(buf, 4096, "%s/%s", base && *base ? base : ".", name);
    return buf;
}

/* Copies the first `limit` bytes of file `from` (all: (size_t)-1) to
   `to`. */
static inline void copy_file(const char *from, const char *to, size_t limit)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t n;
    while (limit > 0 &&
           (n = fread(buf, 1, limit < sizeof buf ? limit : sizeof buf, in)) >
               0) {
        assert_int_equal(fwrite(buf, 1, n, out), n);
        limit -= n;
    }
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

#endif
