/*
 * plansim discover, text tables: rows of text cells printed as aligned
 * text (East Asian wide characters count two columns), Markdown or CSV.
 */
#include <stdlib.h>
#include <string.h>

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

size_t disc_text_width(const char *s)
{
    static const unsigned wide[][2] = {
        {0x1100, 0x115F}, {0x2E80, 0x303E},   {0x3041, 0x33FF},
        {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
        {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},   {0xFE30, 0xFE6F},
        {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},   {0x20000, 0x3FFFD},
    };
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        unsigned cp = *p++;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        if (more)
            cp &= 0x3Fu >> more;
        for (; more > 0 && (*p & 0xC0) == 0x80; more--)
            cp = (cp << 6) | (*p++ & 0x3Fu);
        int two = 0;
        for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
            two |= cp >= wide[i][0] && cp <= wide[i][1];
        w += two ? 2 : 1;
    }
    return w;
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
            size_t cw = disc_text_width(cell(g, r, k));
            w[k] = cw > w[k] ? cw : w[k];
        }
    for (size_t r = 0; r < g->nrow; r++) {
        fputs(indent, out);
        for (size_t k = 0; k < g->ncol; k++) {
            const char *s = cell(g, r, k);
            size_t fill = w[k] - disc_text_width(s);
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

void disc_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void disc_grid_print_csv(FILE *out, const disc_grid *g)
{
    for (size_t r = 0; r < g->nrow; r++) {
        for (size_t k = 0; k < g->ncol; k++) {
            if (k)
                fputc(',', out);
            disc_csv_field(out, cell(g, r, k));
        }
        fputc('\n', out);
    }
}
