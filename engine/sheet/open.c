/*
 * Opening a book: the reader is chosen by the file's extension.
 */
#include <stdlib.h>
#include <string.h>

#include "sheet_impl.h"

typedef enum book_format { F_XLSX, F_XLS, F_CSV, F_TAB, F_UNKNOWN } book_format;

/* The format named by the extension of `path`, case-insensitive. */
static book_format format_of(const char *path, const char **ext)
{
    static const struct {
        const char *ext;
        book_format format;
    } formats[] = {{".xlsx", F_XLSX}, {".xlsm", F_XLSX}, {".xls", F_XLS},
                   {".csv", F_CSV},   {".tab", F_TAB},   {".tsv", F_TAB},
                   {".txt", F_TAB}};
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    *ext = dot ? dot : "";
    if (!dot)
        return F_UNKNOWN;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (sheet_ascii_equal(dot, strlen(dot), formats[i].ext,
                              strlen(formats[i].ext)))
            return formats[i].format;
    return F_UNKNOWN;
}

ps_status ps_book_open(const char *path, ps_book **out, ps_error *err)
{
    *out = NULL;
    ps_error_clear(err);
    if (!path || !*path)
        return ps_error_set(err, PS_ERR_NOINPUT, NULL, 0, 0,
                            "no spreadsheet file named");
    const char *ext;
    book_format format = format_of(path, &ext);
    if (format == F_UNKNOWN)
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "%s%s%s (expected .xlsx, .xlsm, .xls, .csv, .tab, "
                            ".tsv or .txt)",
                            *ext ? "unknown spreadsheet type '"
                                 : "no file extension to tell the "
                                   "spreadsheet type",
                            ext, *ext ? "'" : "");
    ps_book *b = calloc(1, sizeof *b);
    if (!b)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    book_load ld = {b, path, err};
    ps_status st;
    switch (format) {
    case F_XLSX:
        st = sheet_read_xlsx(&ld);
        break;
    case F_XLS:
        st = sheet_read_xls(&ld);
        if (st == PS_OK)
            st = load_finish(&ld);
        break;
    default:
        st = sheet_read_delimited(&ld, format == F_CSV ? ',' : '\t');
        if (st == PS_OK)
            st = load_finish(&ld);
        break;
    }
    if (st != PS_OK) {
        ps_book_free(&b);
        return st;
    }
    *out = b;
    return PS_OK;
}
