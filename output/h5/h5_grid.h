/*
 * Text grids for the summary printer: cells of UTF-8 text rendered as an
 * aligned plain-text table or a Markdown pipe table.  Alignment counts
 * display columns, so Chinese characters take two.
 */
#ifndef PS_H5_GRID_H
#define PS_H5_GRID_H

#include <stddef.h>
#include <stdio.h>

typedef struct h5_grid {
    size_t ncol, nrow, cap; /* row 0 is the header */
    char **cells;           /* [nrow][ncol], each a new string */
    const char *align;      /* per column: 'l' (text) or 'r' (numbers) */
    int oom;                /* a cell could not be allocated */
} h5_grid;

/* An empty grid of ncol columns aligned as in `align` (ncol letters). */
void h5_grid_init(h5_grid *g, size_t ncol, const char *align);

/* Appends a row of ncol cells (copied; NULL is ""). */
void h5_grid_row(h5_grid *g, const char *const *cells);

void h5_grid_free(h5_grid *g);

/* Columns separated by two spaces, the header underlined with dashes.
   A grid that ran out of memory (oom) prints nothing, as the Markdown
   form. */
void h5_grid_print_text(FILE *out, const h5_grid *g);

/* A Markdown pipe table ('|' in cells escaped), padded to line up. */
void h5_grid_print_md(FILE *out, const h5_grid *g);

/* A number for people: six significant digits without an exponent where
   that reads well (712.346, 1234568, 0.0123); "n/a" for NaN. */
void h5_fmt_value(char *buf, size_t size, double v);


#endif
