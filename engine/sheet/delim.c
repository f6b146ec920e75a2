/*
 * .csv and .tab books: one sheet, split into fields by the engine's
 * tokenizer (plansim/csv.h).  A field that is a decimal number, spaces
 * around it aside, is a number; any other non-empty field is text.
 */
#include <stdlib.h>
#include <string.h>

#include "plansim/csv.h"
#include "plansim/file.h"
#include "plansim/number.h"
#include "sheet_impl.h"

/* The file's name without its folder and extension: the sheet's name. */
static void base_name(const char *path, const char **s, size_t *n)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    *s = base;
    *n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
}

static int field_number(const char *s, size_t n, double *v)
{
    while (n > 0 && *s == ' ')
        s++, n--;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    return ps_parse_decimal(s, n, v);
}

static ps_status read_rows(book_load *ld, const char *text, size_t len,
                           char sep)
{
    ps_csv_reader rd;
    ps_csv_row row = {0};
    ps_status st;
    size_t r = 0;
    ps_csv_reader_init(&rd, text, len, sep, ld->path);
    while ((st = ps_csv_read_row(&rd, &row, ld->err)) == PS_OK && row.n > 0) {
        for (size_t c = 0; c < row.n && st == PS_OK; c++) {
            const ps_csv_field *f = &row.fields[c];
            const char *s = ps_csv_field_text(&row, c);
            double v;
            if (f->len == 0)
                continue;
            if (r >= PS_SHEET_MAX_ROWS || c >= PS_SHEET_MAX_COLS) {
                st = ps_error_set(
                    ld->err, PS_ERR_DATA, ld->path, f->line, f->column,
                    "cell past XFD1048576 (row %zu, column %zu)", r + 1, c + 1);
            } else if (field_number(s, f->len, &v) == 0) {
                st = load_number(ld, 0, r, c, v);
            } else {
                st = load_string(ld, 0, r, c, s, f->len);
            }
        }
        if (st != PS_OK)
            break;
        r++;
    }
    ps_csv_row_free(&row);
    return st;
}

ps_status sheet_read_delimited(book_load *ld, char sep)
{
    char *text;
    size_t len;
    ps_status st = ps_file_read_input(ld->path, &text, &len, ld->err);
    if (st == PS_OK && (st = ps_text_check(ld->path, text, len, ld->err)))
        free(text);
    if (st != PS_OK)
        return st;
    const char *name;
    size_t name_len, sheet;
    base_name(ld->path, &name, &name_len);
    ld->b->any_name = 1;
    st = load_sheet(ld, name, name_len, &sheet);
    if (st == PS_OK)
        st = read_rows(ld, text, len, sep);
    free(text);
    return st;
}
