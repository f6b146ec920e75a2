/*
 * Aligned text and Markdown tables, measured in display columns.
 */
#include "h5_grid.h"

#include <stdlib.h>
#include <string.h>

/* Wide (two-column) code points: East Asian Wide and Fullwidth. */
static const unsigned wide[][2] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

/* Zero-width code points: combining marks, joiners, variation selectors. */
static const unsigned zero[][2] = {
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

static int in_table(unsigned cp, const unsigned (*t)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= t[i][0] && cp <= t[i][1])
            return 1;
    return 0;
}

/* Decodes one UTF-8 code point at s; *len gets its length (1 for an
   invalid byte, which decodes as itself). */
static unsigned decode(const unsigned char *s, size_t *len)
{
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (n <= 1) {
        *len = 1;
        return c;
    }
    unsigned cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *len = 1;
            return c;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *len = n;
    return cp;
}

size_t h5_display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        size_t len;
        unsigned cp = decode(p, &len);
        p += len;
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
            in_table(cp, zero, sizeof zero / sizeof zero[0]))
            continue;
        w += in_table(cp, wide, sizeof wide / sizeof wide[0]) ? 2 : 1;
    }
    return w;
}

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
            size_t cw = h5_display_width(c);
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
    size_t cw = h5_display_width(c);
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
