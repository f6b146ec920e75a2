/*
 * External data: Vensim's GET DIRECT and GET XLS functions read at compile
 * time from files named relative to the model (.xlsx, .xls, .csv, .tab;
 * plansim/sheet.h reads them).
 *
 *   GET DIRECT CONSTANTS(file, sheet, cell)      constants: a scalar from
 *       `cell`; an array across the row from it, one row per element of
 *       the ranges before the last (a '*' after the cell reads down the
 *       column instead);
 *   GET DIRECT DATA(file, sheet, time, cell)     data series, and
 *   GET DIRECT LOOKUPS(file, sheet, x, cell)     lookup tables: `time`
 *       (or `x`) is a row number ("1": the series run across, one row per
 *       element from `cell` down), a column ("A": the series run down, one
 *       column per element from `cell` across), or a defined name of the
 *       workbook; points with an empty or non-numeric cell are left out;
 *   GET DIRECT SUBSCRIPT(file, sheet, first, last, prefix)
 *       the elements of a range: the cells from `first` to `last`, each
 *       after `prefix`.
 * A cell may also be a defined name (its top-left cell).  For .csv/.tab
 * files the sheet argument is Vensim's separator and is not used.  Each
 * file is read once per compilation.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"
#include "plansim/names.h"
#include "plansim/sheet.h"

#define NONE ((size_t)-1)

int ext_is_call(const ps_expr *e, const char *what)
{
    if (!e || e->kind != PS_EXPR_CALL)
        return 0;
    const char *k = e->u.call.key;
    if (!strncmp(k, "get_direct_", 11))
        return !strcmp(k + 11, what);
    if (!strncmp(k, "get_xls_", 8))
        return !strcmp(k + 8, what);
    return 0;
}

static ps_status fail(const eqn_set *set, ps_error *err, ps_status st,
                      ps_loc loc, const char *fmt, const char *a,
                      const char *b)
{
    return ps_error_set(err, st, set->path, loc.line, loc.column, fmt, a, b);
}

/* The text of argument i of `call`, which must be a quoted text. */
static ps_status text_arg(const eqn_set *set, const ps_expr *call, size_t i,
                          const char **out, ps_error *err)
{
    if (i >= call->u.call.argc)
        return fail(set, err, PS_ERR_SEMANTIC, call->loc,
                    "%s takes more arguments%s", call->u.call.name, "");
    const ps_expr *a = call->u.call.argv[i];
    if (a->kind != PS_EXPR_STRING)
        return fail(set, err, PS_ERR_SEMANTIC, a->loc,
                    "the arguments of %s are quoted texts ('...')%s",
                    call->u.call.name, "");
    *out = a->u.string;
    return PS_OK;
}

/* The book of the file at `path`, opened once and kept; a failure is
   reported at `loc` under `what`. */
static ps_status book_at(eqn_set *set, const char *path, ps_loc loc,
                         const char *what, ps_book **out, ps_error *err)
{
    for (size_t i = 0; i < set->nbooks; i++)
        if (!strcmp(set->books[i].path, path)) {
            *out = set->books[i].book;
            return PS_OK;
        }
    ps_book *b = NULL;
    ps_error why;
    ps_status st = ps_book_open(path, &b, &why);
    if (st != PS_OK)
        return ps_error_set(err, st, set->path, loc.line, loc.column,
                            "%s: %s%s%s", what, why.file[0] ? why.file : "",
                            why.file[0] ? ": " : "", why.message);
    book_entry *v = realloc(set->books, (set->nbooks + 1) * sizeof *v);
    char *copy = strdup(path);
    if (!v || !copy) {
        if (v)
            set->books = v;
        free(copy);
        ps_book_free(&b);
        return ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                            "out of memory");
    }
    set->books = v;
    set->books[set->nbooks++] = (book_entry){copy, b};
    *out = b;
    return PS_OK;
}

/* The book of the file named by argument 0, opened once and kept. */
static ps_status book_of(eqn_set *set, const ps_expr *call, ps_book **out,
                         ps_error *err)
{
    const char *name = NULL;
    ps_status st = text_arg(set, call, 0, &name, err);
    if (st != PS_OK)
        return st;
    /* relative to the model file's folder */
    const char *slash = strrchr(set->path, '/');
    size_t dir = name[0] != '/' && slash ? (size_t)(slash - set->path) + 1 : 0;
    size_t len = dir + strlen(name) + 1;
    char *path = malloc(len);
    if (!path)
        return ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                            "out of memory");
    snprintf(path, len, "%.*s%s", (int)dir, set->path, name);
    st = book_at(set, path, call->loc, call->u.call.name, out, err);
    free(path);
    return st;
}

void ext_close(eqn_set *set)
{
    for (size_t i = 0; i < set->nbooks; i++) {
        free(set->books[i].path);
        ps_book_free(&set->books[i].book);
    }
    free(set->books);
    set->books = NULL;
    set->nbooks = 0;
}

/* The sheet named by argument 1 (any for a .csv/.tab file). */
static ps_status sheet_of(const eqn_set *set, const ps_expr *call,
                          const ps_book *b, size_t *sheet, ps_error *err)
{
    const char *name = NULL;
    ps_status st = text_arg(set, call, 1, &name, err);
    if (st != PS_OK)
        return st;
    *sheet = ps_book_sheet_find(b, name);
    if (*sheet == NONE)
        return fail(set, err, PS_ERR_DATA, call->u.call.argv[1]->loc,
                    "%s: the file has no sheet '%s'", call->u.call.name, name);
    return PS_OK;
}

/* A cell given as "B2" (or "B2*": *transposed set) or a defined name (its
   top-left cell). */
static ps_status cell_of(const eqn_set *set, const ps_expr *call, size_t i,
                         const ps_book *b, size_t *sheet, size_t *row,
                         size_t *col, int *transposed, ps_error *err)
{
    const char *text = NULL;
    ps_status st = text_arg(set, call, i, &text, err);
    if (st != PS_OK)
        return st;
    char ref[64];
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    int star = n > 0 && text[n - 1] == '*';
    if (transposed)
        *transposed = star;
    if (star)
        n--;
    snprintf(ref, sizeof ref, "%.*s", (int)(n < 63 ? n : 63), text);
    if (ps_cell_ref_parse(ref, row, col) == 0)
        return PS_OK;
    if (ps_book_defined_name(b, ref, sheet, row, col, NULL, NULL) == 0)
        return PS_OK;
    return fail(set, err, PS_ERR_DATA, call->u.call.argv[i]->loc,
                "%s: '%s' is neither a cell such as B2 nor a name defined in "
                "the workbook",
                call->u.call.name, text);
}

ps_status ext_constants(eqn_set *set, const ps_expr *call, const eqn *q,
                        double *out, ps_error *err)
{
    ps_book *b;
    size_t sheet, row, col;
    int transposed;
    ps_status st = book_of(set, call, &b, err);
    if (st == PS_OK)
        st = sheet_of(set, call, b, &sheet, err);
    if (st == PS_OK)
        st = cell_of(set, call, 2, b, &sheet, &row, &col, &transposed, err);
    if (st != PS_OK)
        return st;
    /* the last range of the left-hand side runs across */
    const box *lhs = &q->it;
    size_t across = 1;
    if (lhs->ndims > 0 && lhs->bind[lhs->ndims - 1] != NONE)
        across = set->dims[lhs->bind[lhs->ndims - 1]].n;
    for (size_t i = 0; i < lhs->n; i++) {
        size_t r = i / across, c = i % across;
        if (transposed) {
            size_t t = r;
            r = c;
            c = t;
        }
        ps_cell cell = ps_book_cell(b, sheet, row + r, col + c);
        if (cell.kind != PS_CELL_NUMBER) {
            char where[32];
            snprintf(where, sizeof where, "row %zu, column %zu", row + r + 1,
                     col + c + 1);
            return fail(set, err, PS_ERR_DATA, call->loc,
                        "%s: no number at %s of the sheet", call->u.call.name,
                        where);
        }
        out[i] = cell.number;
    }
    return PS_OK;
}

/* Where the series' x values (times) are: along row `row` from column
   `col` on (across), or down column `col` from `row` on. */
typedef struct axis {
    int across;
    size_t row, col, n;
} axis;

static ps_status axis_of(const eqn_set *set, const ps_expr *call,
                         const ps_book *b, size_t sheet, size_t first_row,
                         size_t first_col, axis *ax, ps_error *err)
{
    const char *text = NULL;
    ps_status st = text_arg(set, call, 2, &text, err);
    if (st != PS_OK)
        return st;
    size_t n = strlen(text), digits = 0, letters = 0;
    for (size_t i = 0; i < n; i++) {
        digits += isdigit((unsigned char)text[i]) != 0;
        letters += isalpha((unsigned char)text[i]) != 0;
    }
    if (n > 0 && digits == n && n < 8) {
        ax->across = 1;
        ax->row = (size_t)strtoul(text, NULL, 10) - 1;
        ax->col = first_col;
        ax->n = ps_book_cols(b, sheet) > first_col
                    ? ps_book_cols(b, sheet) - first_col : 0;
        return PS_OK;
    }
    if (n > 0 && letters == n && n <= 3) {
        char ref[8];
        size_t r, c;
        snprintf(ref, sizeof ref, "%s1", text);
        if (ps_cell_ref_parse(ref, &r, &c) == 0) {
            ax->across = 0;
            ax->col = c;
            ax->row = first_row;
            ax->n = ps_book_rows(b, sheet) > first_row
                        ? ps_book_rows(b, sheet) - first_row : 0;
            return PS_OK;
        }
    }
    size_t s, r, c, nr, nc;
    if (ps_book_defined_name(b, text, &s, &r, &c, &nr, &nc) == 0 &&
        (nr == 1 || nc == 1)) {
        ax->across = nr == 1 && nc > 1;
        ax->row = r;
        ax->col = c;
        ax->n = ax->across ? nc : nr;
        return PS_OK;
    }
    return fail(set, err, PS_ERR_DATA, call->u.call.argv[2]->loc,
                "%s: '%s' is neither a row number, a column letter nor a "
                "one-row or one-column name of the workbook",
                call->u.call.name, text);
}

ps_status ext_tables(eqn_set *set, const ps_expr *call, size_t n,
                     ps_table **out, ps_error *err)
{
    ps_book *b;
    size_t sheet = 0, row = 0, col = 0;
    axis ax = {0, 0, 0, 0};
    ps_status st = book_of(set, call, &b, err);
    if (st == PS_OK)
        st = sheet_of(set, call, b, &sheet, err);
    if (st == PS_OK)
        st = cell_of(set, call, 3, b, &sheet, &row, &col, NULL, err);
    if (st == PS_OK)
        st = axis_of(set, call, b, sheet, row, col, &ax, err);
    if (st != PS_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        ps_table *t = ps_table_new();
        if (!t)
            return ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                                "out of memory");
        out[i] = t;
        for (size_t k = 0; k < ax.n; k++) {
            ps_cell x = ax.across ? ps_book_cell(b, sheet, ax.row, ax.col + k)
                                  : ps_book_cell(b, sheet, ax.row + k, ax.col);
            ps_cell y = ax.across
                            ? ps_book_cell(b, sheet, row + i, ax.col + k)
                            : ps_book_cell(b, sheet, ax.row + k, col + i);
            if (x.kind != PS_CELL_NUMBER || y.kind != PS_CELL_NUMBER)
                continue; /* a missing value */
            if (t->n > 0 && x.number < t->x[t->n - 1])
                return fail(set, err, PS_ERR_DATA, call->loc,
                            "%s: the %s values must not decrease",
                            call->u.call.name, "time or x");
            if (ps_table_push(t, x.number, y.number) != 0)
                return ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                                    "out of memory");
        }
        if (t->n == 0)
            return fail(set, err, PS_ERR_DATA, call->loc,
                        "%s: series %s of the file holds no number",
                        call->u.call.name, i == 0 ? "1" : "after the first");
    }
    return PS_OK;
}

ps_status ext_subscript(eqn_set *set, const ps_expr *call,
                        ps_subscripts *out, ps_error *err)
{
    ps_book *b;
    size_t sheet, r0, c0, r1, c1;
    const char *prefix = NULL;
    ps_status st = book_of(set, call, &b, err);
    if (st == PS_OK)
        st = sheet_of(set, call, b, &sheet, err);
    if (st == PS_OK)
        st = cell_of(set, call, 2, b, &sheet, &r0, &c0, NULL, err);
    if (st == PS_OK)
        st = cell_of(set, call, 3, b, &sheet, &r1, &c1, NULL, err);
    if (st == PS_OK)
        st = text_arg(set, call, 4, &prefix, err);
    if (st != PS_OK)
        return st;
    for (size_t r = r0; r <= r1; r++)
        for (size_t c = c0; c <= c1; c++) {
            ps_cell cell = ps_book_cell(b, sheet, r, c);
            char num[64], name[512];
            const char *text = cell.text;
            if (cell.kind == PS_CELL_NUMBER) {
                snprintf(num, sizeof num, "%.15g", cell.number);
                text = num;
            } else if (cell.kind == PS_CELL_EMPTY) {
                continue;
            }
            snprintf(name, sizeof name, "%s%s", prefix, text);
            if (ps_subscripts_push(out, name, strlen(name), call->loc, 0) != 0)
                return ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                                    "out of memory");
        }
    if (out->n == 0)
        return fail(set, err, PS_ERR_DATA, call->loc,
                    "%s: the cells hold no element name%s", call->u.call.name,
                    "");
    return PS_OK;
}

/* The key of a column or element name "Var[a, b]" with the blanks around
   its brackets and commas dropped (malloc'd; NULL on no memory). */
static char *series_key(const char *name)
{
    char *k = ps_name_key(name, strlen(name));
    if (!k)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; k[i]; i++) {
        int next_sep = k[i + 1] == '[' || k[i + 1] == ',' || k[i + 1] == ']';
        int prev_sep = o > 0 && (k[o - 1] == '[' || k[o - 1] == ',');
        if (k[i] == '_' && (next_sep || prev_sep))
            continue;
        k[o++] = k[i];
    }
    k[o] = '\0';
    return k;
}

/* The column of sheet 0 whose header (row 0) names `key`, or NONE. */
static size_t find_column(const ps_book *b, const char *key)
{
    for (size_t c = 1; c < ps_book_cols(b, 0); c++) {
        ps_cell h = ps_book_cell(b, 0, 0, c);
        if (h.kind != PS_CELL_TEXT)
            continue;
        char *k = series_key(h.text);
        int same = k && strcmp(k, key) == 0;
        free(k);
        if (same)
            return c;
    }
    return NONE;
}

ps_status ext_dataset(eqn_set *set, const cvar *v, const eqn *q,
                      ps_table **out, ps_error *err)
{
    const ps_model *m = set->model;
    for (size_t i = 0; i < q->it.n; i++) {
        char *name = subs_element_name(set, v, q->it.flat[i]);
        char *key = name ? series_key(name) : NULL;
        ps_status st = key ? PS_OK
                           : ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                                          "out of memory");
        size_t col = NONE;
        ps_book *b = NULL;
        for (size_t d = 0; st == PS_OK && col == NONE && d < m->ndatasets;
             d++) {
            st = book_at(set, m->datasets[d], q->loc, "dataset", &b, err);
            if (st == PS_OK)
                col = find_column(b, key);
        }
        if (st == PS_OK && col == NONE)
            st = ps_error_set(err, PS_ERR_DATA, set->path, q->loc.line,
                              q->loc.column,
                              "no dataset gives the values of %s (a data "
                              "variable without an equation reads them from "
                              "a dataset: plansim simulate --data FILE)",
                              name);
        if (st == PS_OK && !(out[i] = ps_table_new()))
            st = ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                              "out of memory");
        for (size_t r = 1; st == PS_OK && r < ps_book_rows(b, 0); r++) {
            ps_cell t = ps_book_cell(b, 0, r, 0), y = ps_book_cell(b, 0, r, col);
            if (t.kind != PS_CELL_NUMBER || y.kind != PS_CELL_NUMBER)
                continue; /* a missing value */
            if (out[i]->n > 0 && t.number < out[i]->x[out[i]->n - 1])
                st = ps_error_set(err, PS_ERR_DATA, m->datasets[0], (int)r + 1,
                                  1, "the times of a dataset must not "
                                     "decrease");
            else if (ps_table_push(out[i], t.number, y.number) != 0)
                st = ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                                  "out of memory");
        }
        if (st == PS_OK && out[i]->n == 0)
            st = ps_error_set(err, PS_ERR_DATA, set->path, q->loc.line,
                              q->loc.column,
                              "the dataset column of %s holds no number", name);
        free(name);
        free(key);
        if (st != PS_OK)
            return st;
    }
    return PS_OK;
}
