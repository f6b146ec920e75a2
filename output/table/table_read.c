/*
 * Reading a delimited table into a series.
 *
 * The reader walks the text once, one row at a time.  A row is a list of
 * cells kept in one reusable buffer; quoted cells may hold separators,
 * doubled quotes and line ends.  LF, CRLF and a lone CR all end a line
 * (Vensim writes all three), and every cell remembers where it started so
 * errors point at it.
 */
#include "plansim_output/table.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct cell {
    size_t off; /* start of the text in row.buf (NUL-terminated) */
    size_t len;
    int quoted;
    int line;
    int column;
} cell;

typedef struct row {
    char *buf;
    size_t blen, bcap;
    cell *cells;
    size_t n, cap;
} row;

typedef struct cursor {
    const char *p, *end;
    const char *line_start;
    int line;
    char sep;
    const char *path;
} cursor;

/* 1-based column of p on the current line, counted in UTF-8 characters. */
static int column_of(const cursor *c, const char *p)
{
    int col = 1;
    for (const char *q = c->line_start; q < p; q++)
        if (((unsigned char)*q & 0xC0) != 0x80)
            col++;
    return col;
}

static int buf_put(row *r, char ch)
{
    if (r->blen == r->bcap) {
        size_t cap = r->bcap ? 2 * r->bcap : 256;
        char *b = realloc(r->buf, cap);
        if (!b)
            return -1;
        r->buf = b;
        r->bcap = cap;
    }
    r->buf[r->blen++] = ch;
    return 0;
}

static cell *cell_push(row *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        cell *c = realloc(r->cells, cap * sizeof *c);
        if (!c)
            return NULL;
        r->cells = c;
        r->cap = cap;
    }
    return &r->cells[r->n++];
}

/* If p is at a line end, steps over it (CRLF counts once) and starts a new
   line; returns non-zero when it did. */
static int skip_line_end(cursor *c)
{
    if (c->p >= c->end || (*c->p != '\r' && *c->p != '\n'))
        return 0;
    if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
        c->p++;
    c->p++;
    c->line++;
    c->line_start = c->p;
    return 1;
}

static ps_status no_memory(const cursor *c, ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, c->path, 0, 0, "out of memory");
}

/* Reads a quoted cell's text (the cursor is on the opening quote). */
static ps_status read_quoted(cursor *c, row *r, const cell *cl, ps_error *err)
{
    c->p++;
    for (;;) {
        if (c->p >= c->end)
            return ps_error_set(err, PS_ERR_DATA, c->path, cl->line, cl->column,
                                "unterminated quoted cell");
        char ch = *c->p;
        if (ch == '"') {
            if (c->p + 1 < c->end && c->p[1] == '"') {
                /* a doubled quote stands for one quote */
                if (buf_put(r, '"') != 0)
                    return no_memory(c, err);
                c->p += 2;
                continue;
            }
            c->p++;
            break;
        }
        if (ch == '\r' || ch == '\n') {
            /* a line end inside quotes belongs to the cell */
            const char *from = c->p;
            skip_line_end(c);
            for (; from < c->p; from++)
                if (buf_put(r, *from) != 0)
                    return no_memory(c, err);
            continue;
        }
        if (buf_put(r, ch) != 0)
            return no_memory(c, err);
        c->p++;
    }
    if (c->p < c->end && *c->p != c->sep && *c->p != '\r' && *c->p != '\n')
        return ps_error_set(err, PS_ERR_DATA, c->path, c->line,
                            column_of(c, c->p),
                            "unexpected text after a closing quote");
    return PS_OK;
}

/*
 * Reads the next row into r.  Returns PS_OK with r->n > 0, or PS_OK with
 * r->n == 0 at the end of the text.
 */
static ps_status read_row(cursor *c, row *r, ps_error *err)
{
    r->n = 0;
    r->blen = 0;
    if (c->p >= c->end)
        return PS_OK;
    for (;;) {
        cell *cl = cell_push(r);
        if (!cl)
            return no_memory(c, err);
        cl->off = r->blen;
        cl->line = c->line;
        cl->column = column_of(c, c->p);
        cl->quoted = c->p < c->end && *c->p == '"';
        if (cl->quoted) {
            ps_status st = read_quoted(c, r, cl, err);
            if (st != PS_OK)
                return st;
        } else {
            while (c->p < c->end && *c->p != c->sep && *c->p != '\r' &&
                   *c->p != '\n') {
                if (buf_put(r, *c->p) != 0)
                    return no_memory(c, err);
                c->p++;
            }
        }
        cl->len = r->blen - cl->off;
        if (buf_put(r, '\0') != 0)
            return no_memory(c, err);
        if (c->p < c->end && *c->p == c->sep) {
            c->p++;
            continue;
        }
        skip_line_end(c);
        return PS_OK;
    }
}

static const char *cell_text(const row *r, size_t i)
{
    return r->buf + r->cells[i].off;
}

/* A row of empty cells only: a blank line, or separators alone. */
static int row_is_blank(const row *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->cells[i].len > 0 || r->cells[i].quoted)
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
static ps_status start_series(const cursor *c, row *hdr, ps_series **out,
                              ps_error *err)
{
    size_t n = hdr->n;
    while (n > 1 && hdr->cells[n - 1].len == 0 && !hdr->cells[n - 1].quoted)
        n--;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names)
        return no_memory(c, err);
    for (size_t i = 1; i < n; i++) {
        if (hdr->cells[i].len == 0) {
            free(names);
            return ps_error_set(err, PS_ERR_DATA, c->path, hdr->cells[i].line,
                                hdr->cells[i].column, "empty column name");
        }
        names[i - 1] = cell_text(hdr, i);
    }
    *out = ps_series_new(n - 1, names);
    free(names);
    return *out ? PS_OK : no_memory(c, err);
}

/* Appends one data row to s, and what res needs for its cells'
   resolutions (when res is not NULL). */
static ps_status add_row(const cursor *c, const row *r, ps_series *s,
                         ps_series *res, int *max_decimals, double *values,
                         ps_error *err)
{
    const cell *c0 = &r->cells[0];
    double t;
    if (c0->len == 0)
        return ps_error_set(err, PS_ERR_DATA, c->path, c0->line, c0->column,
                            "missing time value");
    if (cell_number(r, 0, &t) != 0 || isnan(t))
        return ps_error_set(err, PS_ERR_DATA, c->path, c0->line, c0->column,
                            "invalid time value '%s'", cell_text(r, 0));
    for (size_t j = 0; j < s->ncols; j++)
        values[j] = NAN;
    for (size_t i = 1; i < r->n; i++) {
        const cell *ci = &r->cells[i];
        if (i - 1 >= s->ncols) {
            if (ci->len == 0)
                continue; /* trailing separators */
            return ps_error_set(err, PS_ERR_DATA, c->path, ci->line, ci->column,
                                "more cells than the header's %zu columns",
                                s->ncols + 1);
        }
        if (cell_number(r, i, &values[i - 1]) != 0)
            return ps_error_set(err, PS_ERR_DATA, c->path, ci->line, ci->column,
                                "invalid number '%s'", cell_text(r, i));
    }
    if (ps_series_append(s, t, values) != 0)
        return no_memory(c, err);
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
        return no_memory(c, err);
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
    cursor c = {text, text + len, text, 1, sep, path};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        c.p += 3; /* UTF-8 byte order mark */
        c.line_start = c.p;
    }
    row r = {0};
    ps_series *s = NULL;
    double *values = NULL;
    ps_status st;

    do {
        st = read_row(&c, &r, err);
    } while (st == PS_OK && r.n > 0 && row_is_blank(&r));
    if (st != PS_OK)
        goto done;
    if (r.n == 0) {
        st = ps_error_set(err, PS_ERR_DATA, path, c.line, 0,
                          "empty table: no header row");
        goto done;
    }
    st = start_series(&c, &r, &s, err);
    if (st != PS_OK)
        goto done;
    if (resolution) {
        res = ps_series_new(s->ncols, (const char *const *)s->names);
        if (!res) {
            st = no_memory(&c, err);
            goto done;
        }
    }
    values = malloc((s->ncols ? s->ncols : 1) * sizeof *values);
    if (!values) {
        st = no_memory(&c, err);
        goto done;
    }
    for (;;) {
        st = read_row(&c, &r, err);
        if (st != PS_OK || r.n == 0)
            break;
        if (row_is_blank(&r))
            continue;
        st = add_row(&c, &r, s, res, &max_decimals, values, err);
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
    free(r.buf);
    free(r.cells);
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

/* Reads a whole stream into a NUL-terminated buffer. */
static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *b = realloc(buf, 2 * cap);
        if (!b) {
            free(buf);
            return NULL;
        }
        buf = b;
        cap *= 2;
    }
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
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
    FILE *f = fopen(path, "rb");
    if (!f)
        return ps_error_set(err, PS_ERR_NOINPUT, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    size_t len;
    char *text = slurp(f, &len);
    int failed = ferror(f);
    fclose(f);
    if (!text)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    if (failed) {
        free(text);
        return ps_error_set(err, PS_ERR_IO, path, 0, 0, "cannot read");
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
