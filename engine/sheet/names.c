/*
 * Defined names: a name and the rectangle its formula points at, such as
 * revenue -> Sheet1!$B$2:$AZ$6 or 'My data'!$C$3.  Other formulas
 * (constants, unions, whole columns, references into other workbooks,
 * #REF!) do not name one rectangle and are left out.
 */
#include <stdlib.h>
#include <string.h>

#include "sheet_impl.h"

/* The sheet name at the start of s[0..n) and the '!' after it: "Sheet1!"
   or "'My ''data'''!" (quotes doubled inside).  The name is unquoted into
   buf[cap]; returns the length consumed up to and with the '!', or 0. */
static size_t sheet_prefix(const char *s, size_t n, char *buf, size_t cap,
                           size_t *len)
{
    size_t i = 0, o = 0;
    if (n > 0 && s[0] == '\'') {
        for (i = 1; i < n; i++) {
            if (s[i] == '\'') {
                if (i + 1 < n && s[i + 1] == '\'')
                    i++;
                else
                    break;
            }
            if (o + 1 >= cap)
                return 0;
            buf[o++] = s[i];
        }
        if (i >= n || s[i] != '\'')
            return 0;
        i++;
    } else {
        for (; i < n && s[i] != '!'; i++) {
            if (o + 1 >= cap)
                return 0;
            buf[o++] = s[i];
        }
    }
    if (i >= n || s[i] != '!' || o == 0)
        return 0;
    buf[o] = '\0';
    *len = o;
    return i + 1;
}

/* Parses "Sheet!A1" or "Sheet!A1:B2" against the book's sheets. */
static int parse_area(const ps_book *b, const char *ref, book_name *out)
{
    const char *s = ref;
    size_t n = strlen(s);
    while (n > 0 && (*s == ' ' || *s == '='))
        s++, n--;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    char sheet[256];
    size_t sheet_len;
    size_t k = sheet_prefix(s, n, sheet, sizeof sheet, &sheet_len);
    if (k == 0)
        return -1;
    size_t index = ps_book_sheet_find(b, sheet);
    if (index == (size_t)-1)
        return -1;
    s += k;
    n -= k;
    const char *colon = memchr(s, ':', n);
    size_t r0, c0, r1, c1;
    if (!colon) {
        if (sheet_ref_parse(s, n, &r0, &c0) != 0)
            return -1;
        r1 = r0;
        c1 = c0;
    } else if (sheet_ref_parse(s, (size_t)(colon - s), &r0, &c0) != 0 ||
               sheet_ref_parse(colon + 1, n - (size_t)(colon - s) - 1, &r1,
                               &c1) != 0) {
        return -1;
    }
    out->sheet = index;
    out->row = r0 < r1 ? r0 : r1;
    out->col = c0 < c1 ? c0 : c1;
    out->nrows = (r0 < r1 ? r1 - r0 : r0 - r1) + 1;
    out->ncols = (c0 < c1 ? c1 - c0 : c0 - c1) + 1;
    return 0;
}

ps_status load_defined_name(book_load *ld, const char *name, size_t scope,
                            const char *ref)
{
    ps_book *b = ld->b;
    book_name nm = {.scope = scope};
    if (!name || !*name || !ref || parse_area(b, ref, &nm) != 0)
        return PS_OK;
    if (b->nnames == b->names_cap) {
        size_t cap = b->names_cap ? 2 * b->names_cap : 8;
        book_name *p = realloc(b->names, cap * sizeof *p);
        if (!p)
            return load_fail(ld, PS_ERR_NOMEM, "out of memory");
        b->names = p;
        b->names_cap = cap;
    }
    nm.name = strdup(name);
    if (!nm.name)
        return load_fail(ld, PS_ERR_NOMEM, "out of memory");
    b->names[b->nnames++] = nm;
    return PS_OK;
}

int ps_book_defined_name(const ps_book *b, const char *name, size_t *sheet,
                         size_t *row, size_t *col, size_t *nrows, size_t *ncols)
{
    if (!b || !name)
        return -1;
    size_t n = strlen(name);
    const book_name *best = NULL;
    for (size_t i = 0; i < b->nnames; i++) {
        const book_name *nm = &b->names[i];
        if (!sheet_ascii_equal(nm->name, strlen(nm->name), name, n))
            continue;
        /* the workbook's scope (SIZE_MAX) first, then sheets in order */
        if (!best || nm->scope + 1 < best->scope + 1)
            best = nm;
    }
    if (!best)
        return -1;
    if (sheet)
        *sheet = best->sheet;
    if (row)
        *row = best->row;
    if (col)
        *col = best->col;
    if (nrows)
        *nrows = best->nrows;
    if (ncols)
        *ncols = best->ncols;
    return 0;
}
