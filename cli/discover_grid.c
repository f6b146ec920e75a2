/*
 * plansim discover, text tables: rows of text cells printed as aligned
 * text (East Asian wide characters count two columns), Markdown or CSV.
 */
#include <stdlib.h>
#include <string.h>

#include "plansim/csv.h"
#include "plansim/utf8.h"

#include "discover_cli.h"

void disc_grid_row(disc_grid *g, const char *const *cells)
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
    for (size_t k = 0; k < g->ncol; k++) {
        char *s = strdup(cells[k] ? cells[k] : "");
        g->oom |= !s;
        g->cells[g->nrow * g->ncol + k] = s;
    }
    g->nrow++;
}

void disc_grid_init(disc_grid *g, size_t ncol, const char *align,
                    const char *const *head)
{
    memset(g, 0, sizeof *g);
    g->ncol = ncol;
    g->align = align;
    disc_grid_row(g, head);
}

void disc_grid_free(disc_grid *g)
{
    for (size_t i = 0; i < g->nrow * g->ncol; i++)
        free(g->cells[i]);
    free(g->cells);
    memset(g, 0, sizeof *g);
}

static const char *cell(const disc_grid *g, size_t row, size_t col)
{
    const char *s = g->cells[row * g->ncol + col];
    return s ? s : "";
}

void disc_pad(FILE *out, size_t n)
{
    while (n-- > 0)
        fputc(' ', out);
}

void disc_grid_print_text(FILE *out, const disc_grid *g, const char *indent)
{
    size_t *w = calloc(g->ncol, sizeof *w);
    if (!w)
        return;
    for (size_t r = 0; r < g->nrow; r++)
        for (size_t k = 0; k < g->ncol; k++) {
            size_t cw = ps_utf8_width(cell(g, r, k));
            w[k] = cw > w[k] ? cw : w[k];
        }
    for (size_t r = 0; r < g->nrow; r++) {
        fputs(indent, out);
        for (size_t k = 0; k < g->ncol; k++) {
            const char *s = cell(g, r, k);
            size_t fill = w[k] - ps_utf8_width(s);
            int last = k + 1 == g->ncol;
            if (k)
                fputs("  ", out);
            if (g->align[k] == 'r')
                disc_pad(out, fill);
            fputs(s, out);
            if (g->align[k] != 'r' && !last)
                disc_pad(out, fill);
        }
        fputc('\n', out);
        if (r == 0) {
            fputs(indent, out);
            for (size_t k = 0; k < g->ncol; k++) {
                fputs(k ? "  " : "", out);
                for (size_t i = 0; i < w[k]; i++)
                    fputc('-', out);
            }
            fputc('\n', out);
        }
    }
    free(w);
}

void disc_md_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("|\\`*_[]<", *s))
            fputc('\\', out);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
}

void disc_grid_print_md(FILE *out, const disc_grid *g)
{
    for (size_t r = 0; r < g->nrow; r++) {
        fputc('|', out);
        for (size_t k = 0; k < g->ncol; k++) {
            fputc(' ', out);
            disc_md_text(out, cell(g, r, k));
            fputs(" |", out);
        }
        fputc('\n', out);
        if (r == 0) {
            fputc('|', out);
            for (size_t k = 0; k < g->ncol; k++)
                fputs(g->align[k] == 'r' ? " ---: |" : " --- |", out);
            fputc('\n', out);
        }
    }
}

void disc_grid_print_csv(FILE *out, const disc_grid *g)
{
    for (size_t r = 0; r < g->nrow; r++) {
        for (size_t k = 0; k < g->ncol; k++) {
            if (k)
                fputc(',', out);
            ps_csv_write_field(out, cell(g, r, k), ',');
        }
        fputc('\n', out);
    }
}
