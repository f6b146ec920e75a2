/*
 * The data file of `observed:`: a table read with the spreadsheet module
 * (.csv, .tab/.tsv/.txt, .xlsx, .xls), whose first row is the header and
 * whose first column holds the times (any header); every other column is
 * a series, and an empty cell is a missing value.
 *
 * Errors in the data are located at the cell: for delimited text, at its
 * line and column in the file (the book keeps no positions, so the text
 * is read again and each record's start remembered; a record is
 * tokenized again when one of its cells is needed); for a workbook, the
 * message names the sheet and the cell (Sheet1!C4).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plansim/csv.h"
#include "plansim/file.h"
#include "plansim/sheet.h"
#include "plansim/utf8.h"
#include "scenario_impl.h"

/* A data row with a time. */
typedef struct obs_row {
    double time;
    size_t row; /* the book's row */
} obs_row;

struct sc_obs_table {
    ps_book *book;
    size_t sheet;
    const char *path;       /* the scenario's copy of the data file's path */
    const char *sheet_name; /* the book's                                  */
    size_t nrows, ncols;    /* the sheet's used area                        */
    char **names;           /* ncols: each column's header, NULL if none    */
    obs_row *rows;          /* nrows_timed, in order of time                */
    size_t nrows_timed;
    /* delimited text: the text, and where each of its nrows records
       starts (byte offset and line); 0 separator for a workbook */
    char sep;
    char *text;
    size_t len;
    size_t *rec_off;
    int *rec_line;
    size_t nrec;    /* records indexed (nrows unless the file changed) */
    ps_csv_row tok; /* the record tokenized last ...                  */
    size_t tok_rec; /* ... and which one (SIZE_MAX: none)              */
};

void sc_obs_table_free(sc_obs_table *t)
{
    if (!t)
        return;
    ps_book_free(&t->book);
    for (size_t c = 0; t->names && c < t->ncols; c++)
        free(t->names[c]);
    free(t->names);
    free(t->rows);
    free(t->text);
    free(t->rec_off);
    free(t->rec_line);
    ps_csv_row_free(&t->tok);
    free(t);
}

/* ',' for .csv, a tab for .tab, .tsv and .txt, 0 for a workbook (the
   extensions ps_book_open reads as delimited text). */
static char separator_of(const char *path)
{
    static const char *const tab[] = {".tab", ".tsv", ".txt"};
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return 0;
    if (strcasecmp(dot, ".csv") == 0)
        return ',';
    for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
        if (strcasecmp(dot, tab[i]) == 0)
            return '\t';
    return 0;
}

/* "C4" for 0-based (row, col). */
static void cell_ref(size_t row, size_t col, char *buf, size_t size)
{
    char letters[8];
    size_t n = 0;
    for (size_t c = col + 1; c > 0 && n < sizeof letters; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    size_t o = 0;
    while (n > 0 && o + 1 < size)
        buf[o++] = letters[--n];
    snprintf(buf + o, size - o, "%zu", row + 1);
}

/* Characters of UTF-8 text s[0..n). */
static int chars_of(const char *s, size_t n)
{
    return (int)ps_utf8_count(s, n);
}

/* Where cell (row, col) of delimited text is: its line, column and
   length; loc.line 0 for a workbook or when the text has changed. */
static void locate(sc_obs_table *t, size_t row, size_t col, ps_sc_where *w)
{
    *w = (ps_sc_where){t->path, {0, 0}, 0};
    if (!t->sep || row >= t->nrec)
        return;
    if (t->tok_rec != row) {
        ps_csv_reader rd;
        ps_error ignored;
        size_t off = t->rec_off[row];
        /* the first record starts at the text's start, so that a byte
           order mark is skipped as when the book was read */
        ps_csv_reader_init(&rd, t->text + off, t->len - off, t->sep, t->path);
        t->tok_rec = SIZE_MAX;
        if (ps_csv_read_row(&rd, &t->tok, &ignored) != PS_OK)
            return;
        t->tok_rec = row;
    }
    if (col >= t->tok.n)
        return;
    const ps_csv_field *f = &t->tok.fields[col];
    w->loc.line = t->rec_line[row] + f->line - 1;
    w->loc.column = f->column;
    w->length = chars_of(ps_csv_field_text(&t->tok, col), f->len);
    if (w->length < 1)
        w->length = 1;
}

/* PS_ERR_DATA at cell (row, col) of the data file. */
static ps_status vcell_fail(sc_loader *ld, sc_obs_table *t, size_t row,
                            size_t col, const char *fmt, va_list ap)
{
    char msg[PS_ERROR_MESSAGE_MAX], ref[32];
    vsnprintf(msg, sizeof msg, fmt, ap);
    ps_sc_where w;
    locate(t, row, col, &w);
    if (w.loc.line > 0)
        return ps_error_set(ld->err, PS_ERR_DATA, t->path, w.loc.line,
                            w.loc.column, "%s", msg);
    cell_ref(row, col, ref, sizeof ref);
    if (t->sep)
        return ps_error_set(ld->err, PS_ERR_DATA, t->path, 0, 0, "cell %s: %s",
                            ref, msg);
    return ps_error_set(ld->err, PS_ERR_DATA, t->path, 0, 0, "%s!%s: %s",
                        t->sheet_name, ref, msg);
}

static ps_status cell_fail(sc_loader *ld, sc_obs_table *t, size_t row,
                           size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static ps_status cell_fail(sc_loader *ld, sc_obs_table *t, size_t row,
                           size_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_status st = vcell_fail(ld, t, row, col, fmt, ap);
    va_end(ap);
    return st;
}

/* "line 3" (delimited text) or "Sheet1!A3" (a workbook) for a cell, in
   messages that point at a second cell. */
static void cell_name(sc_obs_table *t, size_t row, size_t col, char *buf,
                      size_t size)
{
    ps_sc_where w;
    char ref[32];
    locate(t, row, col, &w);
    cell_ref(row, col, ref, sizeof ref);
    if (w.loc.line > 0)
        snprintf(buf, size, "line %d", w.loc.line);
    else if (t->sep)
        snprintf(buf, size, "cell %s", ref);
    else
        snprintf(buf, size, "%s!%s", t->sheet_name, ref);
}

/* Reads the text of a delimited file again and notes where each record
   starts. */
static ps_status index_records(sc_loader *ld, sc_obs_table *t)
{
    ps_status st = ps_file_read_input(t->path, &t->text, &t->len, ld->err);
    if (st != PS_OK)
        return st;
    t->rec_off = calloc(t->nrows + 1, sizeof *t->rec_off);
    t->rec_line = calloc(t->nrows + 1, sizeof *t->rec_line);
    if (!t->rec_off || !t->rec_line)
        return sc_nomem(ld);
    ps_csv_reader rd;
    ps_csv_row row = {0};
    ps_error ignored;
    ps_csv_reader_init(&rd, t->text, t->len, t->sep, t->path);
    for (size_t r = 0; r < t->nrows; r++) {
        t->rec_off[r] = r == 0 ? 0 : (size_t)(rd.p - t->text);
        t->rec_line[r] = rd.line;
        if (ps_csv_read_row(&rd, &row, &ignored) != PS_OK || row.n == 0)
            break;
        t->nrec = r + 1;
    }
    ps_csv_row_free(&row);
    return PS_OK;
}

/* Opens the book, reporting what cannot be read at `file:`. */
static ps_status open_book(sc_loader *ld, sc_obs_table *t, const ynode *file)
{
    ps_error e;
    ps_status st = ps_book_open(t->path, &t->book, &e);
    if (st == PS_OK)
        return PS_OK;
    if (st == PS_ERR_NOMEM)
        return sc_nomem(ld);
    /* an error with a position (a quote left open in a .csv) is the data
       file's own; others are about the file as `file:` names it */
    if (e.line > 0) {
        if (ld->err)
            *ld->err = e;
        return st;
    }
    return sc_fail_at(ld, &file->where, st, "cannot read '%s': %s", t->path,
                      e.message);
}

static ps_status choose_sheet(sc_loader *ld, sc_obs_table *t,
                              const ynode *sheet)
{
    t->sheet = 0;
    if (sheet && t->sep)
        return sc_fail(ld, sheet,
                       "'sheet:' chooses a sheet of an .xlsx or .xls "
                       "workbook; '%s' is delimited text and has none",
                       t->path);
    if (sheet) {
        t->sheet = ps_book_sheet_find(t->book, sheet->text);
        if (t->sheet == (size_t)-1) {
            size_t n = ps_book_sheet_count(t->book);
            const char **names = calloc(n + 1, sizeof *names);
            if (!names)
                return sc_nomem(ld);
            char list[400] = "", hint[160];
            size_t used = 0;
            for (size_t i = 0; i < n; i++) {
                names[i] = ps_book_sheet_name(t->book, i);
                if (used < sizeof list)
                    used += (size_t)snprintf(list + used, sizeof list - used,
                                             "%s%s", i ? ", " : "", names[i]);
            }
            sc_suggestion(sheet->text, names, n, hint, sizeof hint);
            free(names);
            return sc_fail(ld, sheet, "'%s' has no sheet '%s'%s (sheets: %s)",
                           t->path, sheet->text, hint, list);
        }
    }
    t->sheet_name = ps_book_sheet_name(t->book, t->sheet);
    t->nrows = ps_book_rows(t->book, t->sheet);
    t->ncols = ps_book_cols(t->book, t->sheet);
    return PS_OK;
}

/* The header row: each column's name (a number reads as it is written). */
static ps_status read_header(sc_loader *ld, sc_obs_table *t)
{
    t->names = calloc(t->ncols + 1, sizeof *t->names);
    if (!t->names)
        return sc_nomem(ld);
    for (size_t c = 0; c < t->ncols; c++) {
        ps_cell cell = ps_book_cell(t->book, t->sheet, 0, c);
        char num[40];
        const char *s = cell.text;
        if (cell.kind == PS_CELL_NUMBER) {
            snprintf(num, sizeof num, "%.15g", cell.number);
            s = num;
        }
        if (s && !(t->names[c] = strdup(s)))
            return sc_nomem(ld);
    }
    return PS_OK;
}

static int row_cmp(const void *a, const void *b)
{
    const obs_row *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* The times of the first column, sorted; a row without a time must be
   empty, and a time is given once. */
static ps_status read_times(sc_loader *ld, sc_obs_table *t)
{
    t->rows = calloc(t->nrows + 1, sizeof *t->rows);
    if (!t->rows)
        return sc_nomem(ld);
    for (size_t r = 1; r < t->nrows; r++) {
        ps_cell cell = ps_book_cell(t->book, t->sheet, r, 0);
        if (cell.kind == PS_CELL_TEXT)
            return cell_fail(ld, t, r, 0,
                             "the time '%s' is not a number (the first "
                             "column holds the times)",
                             cell.text);
        if (cell.kind == PS_CELL_NUMBER) {
            if (!isfinite(cell.number))
                return cell_fail(ld, t, r, 0, "the time is not finite");
            t->rows[t->nrows_timed++] = (obs_row){cell.number, r};
            continue;
        }
        for (size_t c = 1; c < t->ncols; c++)
            if (ps_book_cell(t->book, t->sheet, r, c).kind != PS_CELL_EMPTY)
                return cell_fail(ld, t, r, 0,
                                 "this row has values but no time (the "
                                 "first column holds the times)");
    }
    qsort(t->rows, t->nrows_timed, sizeof *t->rows, row_cmp);
    for (size_t k = 1; k < t->nrows_timed; k++)
        if (t->rows[k].time == t->rows[k - 1].time) {
            /* reported at the later row of the file */
            char other[64];
            cell_name(t, t->rows[k - 1].row, 0, other, sizeof other);
            return cell_fail(ld, t, t->rows[k].row, 0,
                             "the time %g is given twice (also at %s)",
                             t->rows[k].time, other);
        }
    return PS_OK;
}

ps_status sc_obs_table_open(sc_loader *ld, const ps_sc_observed *o,
                            const ynode *file, const ynode *sheet,
                            sc_obs_table **out)
{
    *out = NULL;
    sc_obs_table *t = calloc(1, sizeof *t);
    if (!t)
        return sc_nomem(ld);
    t->path = o->file;
    t->sep = separator_of(o->file);
    t->tok_rec = SIZE_MAX;
    ps_status st = open_book(ld, t, file);
    if (!st)
        st = choose_sheet(ld, t, sheet);
    if (!st && t->nrows == 0 && t->sep)
        st = sc_fail(ld, file, "the data file '%s' is empty", t->path);
    else if (!st && t->nrows == 0)
        st = sc_fail(ld, sheet ? sheet : file, "sheet '%s' of '%s' is empty",
                     t->sheet_name, t->path);
    if (!st && t->sep)
        st = index_records(ld, t);
    if (!st)
        st = read_header(ld, t);
    if (!st)
        st = read_times(ld, t);
    if (st) {
        sc_obs_table_free(t);
        return st;
    }
    *out = t;
    return PS_OK;
}

ps_status sc_obs_table_column(sc_loader *ld, const sc_obs_table *t,
                              const char *name, const ynode *at, size_t *col)
{
    size_t found = 0, first = 0, second = 0;
    /* the header as written, then as variable names compare */
    for (int pass = 0; pass < 2 && found == 0; pass++)
        for (size_t c = 1; c < t->ncols; c++) {
            const char *h = t->names[c];
            if (!h ||
                (pass == 0 ? strcmp(h, name) != 0 : !sc_names_same(h, name)))
                continue;
            if (found++ == 0)
                first = c;
            else if (found == 2)
                second = c;
        }
    char a[16], b[16];
    if (found > 1) {
        cell_ref(0, first, a, sizeof a);
        cell_ref(0, second, b, sizeof b);
        return sc_fail(ld, at,
                       "'%s' has %zu columns headed '%s' (%s and %s); "
                       "a column is named once",
                       t->path, found, name, a, b);
    }
    if (found == 1) {
        *col = first;
        return PS_OK;
    }
    if (t->ncols < 2)
        return sc_fail(ld, at,
                       "'%s' has no column '%s': it has no columns besides "
                       "the times",
                       t->path, name);
    const char **cands = calloc(t->ncols, sizeof *cands);
    if (!cands)
        return sc_nomem(ld);
    char list[320] = "", hint[160];
    size_t n = 0, used = 0;
    for (size_t c = 1; c < t->ncols; c++) {
        if (!t->names[c])
            continue;
        cands[n++] = t->names[c];
        if (used < sizeof list - 8)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     n > 1 ? ", " : "", t->names[c]);
        else if (used < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, ", ...");
    }
    sc_suggestion(name, cands, n, hint, sizeof hint);
    free(cands);
    return sc_fail(ld, at, "'%s' has no column '%s'%s (columns: %s)", t->path,
                   name, hint, list);
}

/* Allocates the arrays of a series of n observations. */
static int series_alloc(ps_sc_obs_series *s, size_t n)
{
    s->time = calloc(n + 1, sizeof *s->time);
    s->value = calloc(n + 1, sizeof *s->value);
    s->cell = calloc(n + 1, sizeof *s->cell);
    return s->time && s->value && s->cell ? 0 : -1;
}

ps_status sc_obs_table_read(sc_loader *ld, sc_obs_table *t, const size_t *cols,
                            ps_sc_obs_series *series, size_t n)
{
    /* sized by a first count, so that memory follows the data */
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;
        for (size_t k = 0; k < t->nrows_timed; k++)
            count +=
                ps_book_cell(t->book, t->sheet, t->rows[k].row, cols[i]).kind !=
                PS_CELL_EMPTY;
        if (series_alloc(&series[i], count))
            return sc_nomem(ld);
    }
    /* row by row, so that a record of delimited text is tokenized once */
    for (size_t k = 0; k < t->nrows_timed; k++) {
        size_t r = t->rows[k].row;
        for (size_t i = 0; i < n; i++) {
            ps_sc_obs_series *s = &series[i];
            ps_cell cell = ps_book_cell(t->book, t->sheet, r, cols[i]);
            if (cell.kind == PS_CELL_EMPTY)
                continue;
            if (cell.kind == PS_CELL_TEXT)
                return cell_fail(ld, t, r, cols[i],
                                 "'%s' in column '%s' is not a number (leave "
                                 "the cell empty for a missing value)",
                                 cell.text, t->names[cols[i]]);
            if (!isfinite(cell.number))
                return cell_fail(ld, t, r, cols[i],
                                 "the value in column '%s' is not finite",
                                 t->names[cols[i]]);
            s->time[s->n] = t->rows[k].time;
            s->value[s->n] = cell.number;
            locate(t, r, cols[i], &s->cell[s->n]);
            s->n++;
        }
    }
    return PS_OK;
}

ps_status sc_obs_table_fail(sc_loader *ld, sc_obs_table *t, size_t col,
                            const ps_sc_obs_series *s, size_t j,
                            const char *fmt, ...)
{
    /* the row of the observation's time (times are unique) */
    size_t lo = 0, hi = t->nrows_timed;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->rows[mid].time < s->time[j])
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t row = lo < t->nrows_timed ? t->rows[lo].row : 0;
    va_list ap;
    va_start(ap, fmt);
    ps_status st = vcell_fail(ld, t, row, col, fmt, ap);
    va_end(ap);
    return st;
}
