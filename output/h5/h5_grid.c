/*
 * Aligned text and Markdown tables, measured in display columns.
 */
#include "h5_grid.h"

#include <stdlib.h>
#include <string.h>

#include "plansim/utf8.h"

void h5_grid_init(h5_grid *g, size_t ncol, const char *align)
{
    memset(g, 0, sizeof *g);
    g->ncol = ncol;
    g->align = align;
}

void h5_grid_row(h5_grid *g, const char *const *cells)
{
    if (g->oom)
        return;
    if (g->nrow == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;
        char **c = realloc(g->cells, cap * g->ncol * sizeof *c);
        if (!c) {
            g->oom = 1;
            return;
        }
        g->cells = c;
        g->cap = cap;
    }
    char **row = g->cells + g->nrow * g->ncol;
    for (size_t j = 0; j < g->ncol; j++) {
        row[j] = strdup(cells[j] ? cells[j] : "");
        if (!row[j])
            g->oom = 1;
    }
    g->nrow++;
}

void h5_grid_free(h5_grid *g)
{
    for (size_t i = 0; i < g->nrow * g->ncol; i++)
        free(g->cells[i]);
    free(g->cells);
    memset(g, 0, sizeof *g);
}

static void pad(FILE *out, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        fputc(c, out);
}

/* Widest cell of each column, in display columns; a new array. */
static size_t *widths(const h5_grid *g, int md)
{
    size_t *w = calloc(g->ncol ? g->ncol : 1, sizeof *w);
    if (!w)
        return NULL;
    for (size_t i = 0; i < g->nrow; i++)
        for (size_t j = 0; j < g->ncol; j++) {
            const char *c = g->cells[i * g->ncol + j];
            size_t cw = ps_utf8_width(c);
            if (md) /* each '|' gains a backslash */
                for (const char *p = c; *p; p++)
                    cw += *p == '|';
            if (cw > w[j])
                w[j] = cw;
        }
    if (md)
        for (size_t j = 0; j < g->ncol; j++)
            if (w[j] < 3)
                w[j] = 3; /* "---" */
    return w;
}

static void cell(FILE *out, const char *c, size_t width, char align, int md)
{
    size_t cw = ps_utf8_width(c);
    if (md)
        for (const char *p = c; *p; p++)
            cw += *p == '|';
    if (align == 'r')
        pad(out, width - cw, ' ');
    for (const char *p = c; *p; p++) {
        if (md && *p == '|')
            fputc('\\', out);
        fputc(*p, out);
    }
    if (align != 'r')
        pad(out, width - cw, ' ');
}

void h5_grid_print_text(FILE *out, const h5_grid *g)
{
    if (g->oom) /* some cells are missing: the caller reports it */
        return;
    size_t *w = widths(g, 0);
    if (!w)
        return;
    for (size_t i = 0; i < g->nrow; i++) {
        for (size_t j = 0; j < g->ncol; j++) {
            const char *c = g->cells[i * g->ncol + j];
            int last = j + 1 == g->ncol;
            if (j)
                fputs("  ", out);
            /* No trailing blanks on the last (left-aligned) column. */
            if (last && g->align[j] != 'r')
                fputs(c, out);
            else
                cell(out, c, w[j], g->align[j], 0);
        }
        fputc('\n', out);
        if (i == 0) {
            for (size_t j = 0; j < g->ncol; j++) {
                if (j)
                    fputs("  ", out);
                pad(out, w[j], '-');
            }
            fputc('\n', out);
        }
    }
    free(w);
}

void h5_grid_print_md(FILE *out, const h5_grid *g)
{
    if (g->oom) /* some cells are missing: the caller reports it */
        return;
    size_t *w = widths(g, 1);
    if (!w)
        return;
    for (size_t i = 0; i < g->nrow; i++) {
        fputc('|', out);
        for (size_t j = 0; j < g->ncol; j++) {
            fputc(' ', out);
            cell(out, g->cells[i * g->ncol + j], w[j], g->align[j], 1);
            fputs(" |", out);
        }
        fputc('\n', out);
        if (i == 0) {
            fputc('|', out);
            for (size_t j = 0; j < g->ncol; j++) {
                fputc(' ', out);
                if (g->align[j] == 'r') {
                    pad(out, w[j] - 1, '-');
                    fputc(':', out);
                } else {
                    pad(out, w[j], '-');
                }
                fputs(" |", out);
            }
            fputc('\n', out);
        }
    }
    free(w);
}
