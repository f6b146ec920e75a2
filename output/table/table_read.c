/*
 * Reading a delimited table into a series.
 *
 * The text is split into rows of cells by the engine's tokenizer
 * (plansim/csv.h: quoting, LF, CRLF and lone CR line ends, which Vensim
 * all writes, and the byte order mark); every cell remembers where it
 * started so errors point at it.  This file gives the cells their
 * meaning: a header of names, then a time and the values of each row.
 */
#include "plansim/file.h"
#include "plansim/utf8.h"
#include "plansim_output/table.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/csv.h"

/* A row of the table and one of its cells, as the tokenizer gives them. */
typedef ps_csv_field cell;
typedef ps_csv_row row;

static ps_status no_memory(const char *path, ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
}

static const char *cell_text(const row *r, size_t i)
{
    return ps_csv_field_text(r, i);
}

/* A row of empty cells only: a blank line, or separators alone. */
static int row_is_blank(const row *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->fields[i].len > 0 || r->fields[i].quoted)
            return 0;
    return 1;
}

/* Parses a cell as a number; an empty cell is NaN.  Returns 0 or -1. */
static int cell_number(const row *r, size_t i, double *v)
{
    const char *s = cell_text(r, i);
    while (*s == ' ')
        s++;
    if (*s == '\0') {
        *v = NAN;
        return 0;
    }
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    while (*end == ' ')
        end++;
    return end == s || *end != '\0' ? -1 : 0;
}

/* How a cell was written: its significant digits, its decimals, and its
   exponent (0 without one).  A cell with no digits gives digits = 0. */
typedef struct written {
    int digits, decimals, has_exponent;
    long exponent;
} written;

static written cell_written(const char *s)
{
    written w = {0, 0, 0, 0};
    int after_point = 0, leading = 1;
    while (*s == ' ' || *s == '+' || *s == '-')
        s++;
    for (; *s; s++) {
        if (*s == '.') {
            after_point = 1;
        } else if (*s >= '0' && *s <= '9') {
            if (*s != '0' || !leading) {
                leading = 0;
                w.digits++;
            }
            w.decimals += after_point;
        } else if (*s == 'e' || *s == 'E') {
            w.has_exponent = 1;
            w.exponent = strtol(s + 1, NULL, 10);
            break;
        } else {
            break;
        }
    }
    return w;
}

/*
 * The precision of a cell: half a unit in the last decimal place the file
 * ever writes.  A writer that never prints more than D decimals (Vensim's
 * trend case prints 0.03214, 1.15451, -0.00053: always 5) rounds every
 * value to D places, so each stands for anything within 0.5e-D of it.
 * A file that writes no decimals at all is taken as exact: whole numbers
 * are more often exact values than rounded ones.  Cells in exponent
 * notation carry their own last digit; cells written with 15 or more
 * significant digits are exact (0), as are empty ones.
 */
static double cell_resolution(written w, int file_decimals)
{
    if (w.digits == 0 || w.digits >= 15)
        return 0;
    if (w.has_exponent)
        return 0.5 * pow(10.0, (double)(w.exponent - w.decimals));
    return file_decimals > 0 ? 0.5 * pow(10.0, -(double)file_decimals) : 0;
}

/* Builds the series from the header row: every cell but the first, with
   trailing empty cells (a trailing separator) left out. */
static ps_status start_series(const char *path, row *hdr, ps_series **out,
                              ps_error *err)
{
    size_t n = hdr->n;
    while (n > 1 && hdr->fields[n - 1].len == 0 && !hdr->fields[n - 1].quoted)
        n--;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names)
        return no_memory(path, err);
    for (size_t i = 1; i < n; i++) {
        if (hdr->fields[i].len == 0) {
            free(names);
            return ps_error_set(err, PS_ERR_DATA, path, hdr->fields[i].line,
                                hdr->fields[i].column, "empty column name");
        }
        names[i - 1] = cell_text(hdr, i);
    }
    *out = ps_series_new(n - 1, names);
    free(names);
    return *out ? PS_OK : no_memory(path, err);
}

/* Appends one data row to s, and what res needs for its cells'
   resolutions (when res is not NULL). */
static ps_status add_row(const char *path, const row *r, ps_series *s,
                         ps_series *res, int *max_decimals, double *values,
                         ps_error *err)
{
    const cell *c0 = &r->fields[0];
    double t;
    if (c0->len == 0)
        return ps_error_set(err, PS_ERR_DATA, path, c0->line, c0->column,
                            "missing time value");
    if (cell_number(r, 0, &t) != 0 || isnan(t))
        return ps_error_set(err, PS_ERR_DATA, path, c0->line, c0->column,
                            "invalid time value '%s'", cell_text(r, 0));
    for (size_t j = 0; j < s->ncols; j++)
        values[j] = NAN;
    for (size_t i = 1; i < r->n; i++) {
        const cell *ci = &r->fields[i];
        if (i - 1 >= s->ncols) {
            if (ci->len == 0)
                continue; /* trailing separators */
            return ps_error_set(err, PS_ERR_DATA, path, ci->line, ci->column,
                                "more cells than the header's %zu columns",
                                s->ncols + 1);
        }
        if (cell_number(r, i, &values[i - 1]) != 0)
            return ps_error_set(err, PS_ERR_DATA, path, ci->line, ci->column,
                                "invalid number '%s'", cell_text(r, i));
    }
    if (ps_series_append(s, t, values) != 0)
        return no_memory(path, err);
    if (!res)
        return PS_OK;
    /* Store each cell's decimals (as -1 - decimals) or, for cells in
       exponent notation or empty ones, their final resolution; the
       decimals become a resolution once the whole file has been seen. */
    for (size_t j = 0; j < s->ncols; j++) {
        written w = j + 1 < r->n ? cell_written(cell_text(r, j + 1))
                                 : (written){0, 0, 0, 0};
        if (w.digits == 0 || w.digits >= 15 || w.has_exponent) {
            values[j] = cell_resolution(w, 0);
        } else {
            values[j] = -1.0 - w.decimals;
            if (w.decimals > *max_decimals)
                *max_decimals = w.decimals;
        }
    }
    if (ps_series_append(res, t, values) != 0)
        return no_memory(path, err);
    return PS_OK;
}

ps_status ps_table_parse(const char *text, size_t len, char sep,
                         const char *path, ps_series **out, ps_error *err)
{
    return ps_table_parse_resolution(text, len, sep, path, out, NULL, err);
}

ps_status ps_table_parse_resolution(const char *text, size_t len, char sep,
                                    const char *path, ps_series **out,
                                    ps_series **resolution, ps_error *err)
{
    *out = NULL;
    if (resolution)
        *resolution = NULL;
    ps_series *res = NULL;
    int max_decimals = 0;
    ps_csv_reader c;
    ps_csv_reader_init(&c, text, len, sep, path);
    row r = {0};
    ps_series *s = NULL;
    double *values = NULL;
    ps_status st;

    do {
        st = ps_csv_read_row(&c, &r, err);
    } while (st == PS_OK && r.n > 0 && row_is_blank(&r));
    if (st != PS_OK)
        goto done;
    if (r.n == 0) {
        st = ps_error_set(err, PS_ERR_DATA, path, c.line, 0,
                          "empty table: no header row");
        goto done;
    }
    st = start_series(path, &r, &s, err);
    if (st != PS_OK)
        goto done;
    if (resolution) {
        res = ps_series_new(s->ncols, (const char *const *)s->names);
        if (!res) {
            st = no_memory(path, err);
            goto done;
        }
    }
    values = malloc((s->ncols ? s->ncols : 1) * sizeof *values);
    if (!values) {
        st = no_memory(path, err);
        goto done;
    }
    for (;;) {
        st = ps_csv_read_row(&c, &r, err);
        if (st != PS_OK || r.n == 0)
            break;
        if (row_is_blank(&r))
            continue;
        st = add_row(path, &r, s, res, &max_decimals, values, err);
        if (st != PS_OK)
            break;
    }
    if (st == PS_OK && res)
        for (size_t i = 0; i < res->nrows * res->ncols; i++)
            if (res->values[i] < 0) /* decimals, see add_row */
                res->values[i] = cell_resolution((written){1, 0, 0, 0},
                                                 max_decimals);
done:
    free(values);
    ps_csv_row_free(&r);
    if (st != PS_OK) {
        ps_series_free(&s);
        ps_series_free(&res);
    }
    *out = s;
    if (resolution)
        *resolution = res;
    else
        ps_series_free(&res);
    return st;
}


/* Separator of a file whose extension says nothing: a tab when the first
   line holds one, else a comma. */
static char sniff_separator(const char *text, size_t len)
{
    for (size_t i = 0; i < len && text[i] != '\n' && text[i] != '\r'; i++)
        if (text[i] == '\t')
            return '\t';
    return ',';
}

ps_status ps_table_read_file(const char *path, ps_series **out, ps_error *err)
{
    return ps_table_read_file_resolution(path, out, NULL, err);
}

ps_status ps_table_read_file_resolution(const char *path, ps_series **out,
                                        ps_series **resolution, ps_error *err)
{
    *out = NULL;
    if (resolution)
        *resolution = NULL;
    size_t len;
    char *text;
    ps_status rd = ps_file_read_input(path, &text, &len, err);
    if (rd != PS_OK)
        return rd;
    /* Vensim wrote older outputs in the Windows code page: names of such
       a file read as Vensim shows them */
    if (!ps_utf8_valid(text, len)) {
        char *utf8 = ps_cp1252_to_utf8(text, len, &len);
        free(text);
        if (!utf8)
            return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0,
                                "out of memory");
        text = utf8;
    }
    if ((rd = ps_text_check(path, text, len, err)) != PS_OK) {
        free(text);
        return rd;
    }
    ps_table_format fmt;
    char sep = ps_table_format_from_path(path, &fmt) == 0
                   ? ps_table_separator(fmt)
                   : sniff_separator(text, len);
    ps_status st =
        ps_table_parse_resolution(text, len, sep, path, out, resolution, err);
    free(text);
    return st;
}
