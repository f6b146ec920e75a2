/*
 * A book in memory: building it (the load_* calls of sheet_impl.h) and
 * reading its sheets and cells.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sheet_impl.h"

ps_status load_fail(book_load *ld, ps_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_error_vset(ld->err, status, ld->path, 0, 0, fmt, ap);
    va_end(ap);
    return status;
}

static ps_status no_memory(book_load *ld)
{
    return load_fail(ld, PS_ERR_NOMEM, "out of memory");
}

int sheet_grow(void **items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? 2 * *cap : 8;
    if (ncap > SIZE_MAX / size)
        return -1;
    void *p = realloc(*items, ncap * size);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

ps_status load_text(book_load *ld, const char *s, size_t n, uint64_t *off)
{
    ps_book *b = ld->b;
    *off = POOL_EMPTY;
    if (n == 0)
        return PS_OK;
    if (b->pool_cap - b->pool_len < n + 1) {
        size_t cap = b->pool_cap ? b->pool_cap : 4096;
        while (cap - b->pool_len < n + 1)
            cap *= 2;
        char *p = realloc(b->pool, cap);
        if (!p)
            return no_memory(ld);
        b->pool = p;
        b->pool_cap = cap;
    }
    memcpy(b->pool + b->pool_len, s, n);
    b->pool[b->pool_len + n] = '\0';
    *off = b->pool_len;
    b->pool_len += n + 1;
    return PS_OK;
}

ps_status load_sheet(book_load *ld, const char *s, size_t n, size_t *index)
{
    ps_book *b = ld->b;
    if (sheet_grow((void **)&b->sheets, b->nsheets, &b->sheets_cap,
             sizeof *b->sheets) != 0)
        return no_memory(ld);
    char *name = malloc(n + 1);
    if (!name)
        return no_memory(ld);
    memcpy(name, s, n);
    name[n] = '\0';
    b->sheets[b->nsheets] = (book_sheet){.name = name};
    *index = b->nsheets++;
    return PS_OK;
}

static ps_status put(book_load *ld, size_t sheet, size_t row, size_t col,
                     book_cell cell, ps_cell_kind kind)
{
    book_sheet *s = &ld->b->sheets[sheet];
    char ref[SHEET_REF_MAX];
    if (row >= PS_SHEET_MAX_ROWS || col >= PS_SHEET_MAX_COLS)
        return load_fail(ld, PS_ERR_DATA,
                         "sheet '%s': cell at row %zu, column %zu is past "
                         "XFD1048576",
                         s->name, row + 1, col + 1);
    if (s->ncells >= PS_SHEET_MAX_CELLS)
        return load_fail(ld, PS_ERR_DATA,
                         "sheet '%s': more than %zu cells (at %s)", s->name,
                         PS_SHEET_MAX_CELLS, sheet_ref_format(row, col, ref));
    if (sheet_grow((void **)&s->cells, s->ncells, &s->cap, sizeof *s->cells) != 0)
        return no_memory(ld);
    cell.key = (uint64_t)kind << CELL_KIND_SHIFT |
               (uint64_t)row << CELL_COL_BITS | (uint64_t)col;
    s->cells[s->ncells++] = cell;
    return PS_OK;
}

ps_status load_number(book_load *ld, size_t sheet, size_t row, size_t col,
                      double v)
{
    book_cell c = {.v.number = v};
    return put(ld, sheet, row, col, c, PS_CELL_NUMBER);
}

ps_status load_pooled(book_load *ld, size_t sheet, size_t row, size_t col,
                      uint64_t off)
{
    if (off == POOL_EMPTY)
        return PS_OK;
    book_cell c = {.v.text = off};
    return put(ld, sheet, row, col, c, PS_CELL_TEXT);
}

ps_status load_string(book_load *ld, size_t sheet, size_t row, size_t col,
                      const char *s, size_t n)
{
    uint64_t off;
    ps_status st = load_text(ld, s, n, &off);
    return st != PS_OK ? st : load_pooled(ld, sheet, row, col, off);
}

static int cell_order(const void *pa, const void *pb)
{
    uint64_t a = ((const book_cell *)pa)->key & CELL_POS_MASK;
    uint64_t b = ((const book_cell *)pb)->key & CELL_POS_MASK;
    return (a > b) - (a < b);
}

ps_status load_finish(book_load *ld)
{
    for (size_t i = 0; i < ld->b->nsheets; i++) {
        book_sheet *s = &ld->b->sheets[i];
        int sorted = 1;
        for (size_t k = 1; k < s->ncells && sorted; k++)
            sorted = cell_order(&s->cells[k - 1], &s->cells[k]) < 0;
        if (!sorted)
            qsort(s->cells, s->ncells, sizeof *s->cells, cell_order);
        s->nrows = s->ncols = 0;
        for (size_t k = 0; k < s->ncells; k++) {
            uint64_t pos = s->cells[k].key & CELL_POS_MASK;
            size_t row = (size_t)(pos >> CELL_COL_BITS);
            size_t col = (size_t)(pos & ((1u << CELL_COL_BITS) - 1));
            if (k > 0 && cell_order(&s->cells[k - 1], &s->cells[k]) == 0) {
                char ref[SHEET_REF_MAX];
                return load_fail(ld, PS_ERR_DATA,
                                 "sheet '%s': cell %s is given twice", s->name,
                                 sheet_ref_format(row, col, ref));
            }
            if (row + 1 > s->nrows)
                s->nrows = row + 1;
            if (col + 1 > s->ncols)
                s->ncols = col + 1;
        }
        /* Give back what the growth by doubling left unused. */
        if (s->ncells > 0 && s->ncells < s->cap) {
            book_cell *c = realloc(s->cells, s->ncells * sizeof *c);
            if (c) {
                s->cells = c;
                s->cap = s->ncells;
            }
        }
    }
    return PS_OK;
}

int sheet_ascii_equal(const char *a, size_t na, const char *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

void ps_book_free(ps_book **book)
{
    if (!book || !*book)
        return;
    ps_book *b = *book;
    for (size_t i = 0; i < b->nsheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].cells);
    }
    free(b->sheets);
    for (size_t i = 0; i < b->nnames; i++)
        free(b->names[i].name);
    free(b->names);
    free(b->pool);
    free(b);
    *book = NULL;
}

size_t ps_book_sheet_count(const ps_book *b)
{
    return b ? b->nsheets : 0;
}

const char *ps_book_sheet_name(const ps_book *b, size_t sheet)
{
    return b && sheet < b->nsheets ? b->sheets[sheet].name : NULL;
}

size_t ps_book_sheet_find(const ps_book *b, const char *name)
{
    if (!b || !name)
        return (size_t)-1;
    if (b->any_name && b->nsheets == 1)
        return 0;
    for (size_t i = 0; i < b->nsheets; i++)
        if (strcmp(b->sheets[i].name, name) == 0)
            return i;
    size_t n = strlen(name);
    for (size_t i = 0; i < b->nsheets; i++)
        if (sheet_ascii_equal(b->sheets[i].name, strlen(b->sheets[i].name),
                              name, n))
            return i;
    return (size_t)-1;
}

size_t ps_book_rows(const ps_book *b, size_t sheet)
{
    return b && sheet < b->nsheets ? b->sheets[sheet].nrows : 0;
}

size_t ps_book_cols(const ps_book *b, size_t sheet)
{
    return b && sheet < b->nsheets ? b->sheets[sheet].ncols : 0;
}

ps_cell ps_book_cell(const ps_book *b, size_t sheet, size_t row, size_t col)
{
    ps_cell out = {PS_CELL_EMPTY, 0.0, NULL};
    if (!b || sheet >= b->nsheets)
        return out;
    const book_sheet *s = &b->sheets[sheet];
    if (row >= s->nrows || col >= s->ncols)
        return out;
    uint64_t want = (uint64_t)row << CELL_COL_BITS | (uint64_t)col;
    size_t lo = 0, hi = s->ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t pos = s->cells[mid].key & CELL_POS_MASK;
        if (pos == want) {
            const book_cell *c = &s->cells[mid];
            out.kind = (ps_cell_kind)(c->key >> CELL_KIND_SHIFT);
            if (out.kind == PS_CELL_NUMBER)
                out.number = c->v.number;
            else
                out.text = b->pool + c->v.text;
            return out;
        }
        if (pos < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    return out;
}
