/*
 * The free-text fields after an equation: units (with an optional
 * [min,max] or [min,max,step] range) and documentation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_impl.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* A malloc'd copy of s with surrounding blanks trimmed; NULL when nothing
   is left (*nomem set when memory ran out instead). */
static char *trimmed_or_null(const char *s, int *nomem)
{
    size_t b = 0, e = strlen(s);
    while (b < e && is_blank(s[b]))
        b++;
    while (e > b && is_blank(s[e - 1]))
        e--;
    if (b == e)
        return NULL;
    char *out = malloc(e - b + 1);
    if (!out) {
        *nomem = 1;
        return NULL;
    }
    memcpy(out, s + b, e - b);
    out[e - b] = '\0';
    return out;
}

/* The cursor at byte `target`, walking from `from`. */
static ps_loc loc_of(const mdl_parser *p, mdl_cursor from, size_t target)
{
    mdl_lexer w = p->lx;
    w.cur = from;
    while (w.cur.pos < target)
        mdl_lex_advance(&w);
    return mdl_lex_loc(&w);
}

/* One bound of a range, text[b..e) trimmed: '?' (and Vensim's nan) leave
   the end open, which is `open_value`. */
static ps_status range_bound(mdl_parser *p, mdl_cursor from, size_t b,
                             size_t e, double open_value, const char *what,
                             double *out)
{
    const char *t = p->lx.text;
    while (b < e && is_blank(t[b]))
        b++;
    while (e > b && is_blank(t[e - 1]))
        e--;
    if (e - b == 1 && t[b] == '?') {
        *out = open_value;
        return PS_OK;
    }
    double v;
    if (b == e)
        return mdl_fail(p, PS_ERR_SYNTAX, loc_of(p, from, b),
                        "expected a number or '?' for the %s of the units "
                        "range",
                        what);
    if (mdl_parse_double(t + b, e - b, &v) != 0)
        return mdl_fail(p, PS_ERR_SYNTAX, loc_of(p, from, b),
                        "expected a number or '?' for the %s of the units "
                        "range, found '%.*s'",
                        what, (int)(e - b), t + b);
    *out = isnan(v) ? open_value : v;
    return PS_OK;
}

/* Parses the range text[open..close] ("[min,max]" or "[min,max,step]"). */
static ps_status parse_range(mdl_parser *p, mdl_cursor from, size_t open,
                             size_t close, double *min, double *max)
{
    const char *t = p->lx.text;
    size_t comma[3], ncomma = 0;
    for (size_t i = open + 1; i < close; i++) {
        if (t[i] != ',')
            continue;
        if (ncomma == 2)
            return mdl_fail(p, PS_ERR_SYNTAX, loc_of(p, from, i),
                            "a units range is [min,max] or [min,max,step]: "
                            "unexpected ','");
        comma[ncomma++] = i;
    }
    if (ncomma == 0)
        return mdl_fail(p, PS_ERR_SYNTAX, loc_of(p, from, close),
                        "a units range is [min,max] or [min,max,step]: "
                        "expected ','");
    comma[ncomma] = close;
    double step;
    ps_status st = range_bound(p, from, open + 1, comma[0], -INFINITY,
                               "minimum", min);
    if (st == PS_OK)
        st = range_bound(p, from, comma[0] + 1, comma[1], INFINITY, "maximum",
                         max);
    if (st == PS_OK && ncomma == 2)
        st = range_bound(p, from, comma[1] + 1, comma[2], NAN, "step", &step);
    return st;
}

ps_status mdl_split_units(mdl_parser *p, size_t start, size_t end,
                          mdl_cursor at, char **units, int *has_range,
                          double *min, double *max)
{
    const char *t = p->lx.text;
    *units = NULL;
    *has_range = 0;
    *min = -INFINITY;
    *max = INFINITY;
    size_t e = end;
    while (e > start && (is_blank(t[e - 1]) || t[e - 1] == '\\'))
        e--;
    size_t text_end = e;
    if (e > start && t[e - 1] == ']') {
        size_t b = e - 1;
        while (b > start && t[b - 1] != '[')
            b--;
        if (b > start) {
            ps_status st = parse_range(p, at, b - 1, e - 1, min, max);
            if (st != PS_OK)
                return st;
            *has_range = 1;
            text_end = b - 1;
        }
    }
    char *joined = mdl_join_lines(t, start, text_end);
    int nomem = joined == NULL;
    if (joined)
        *units = trimmed_or_null(joined, &nomem);
    free(joined);
    return nomem ? mdl_nomem(p) : PS_OK;
}

char *mdl_doc_text(const char *text, size_t start, size_t end, int *nomem)
{
    *nomem = 0;
    char *joined = mdl_join_lines(text, start, end);
    if (!joined) {
        *nomem = 1;
        return NULL;
    }
    /* Each line loses its indentation and trailing blanks; line ends
       become '\n'. */
    size_t o = 0;
    const char *s = joined;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        const char *eol = s;
        while (*eol && *eol != '\n' && *eol != '\r')
            eol++;
        const char *e = eol;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        memmove(joined + o, s, (size_t)(e - s));
        o += (size_t)(e - s);
        if (!*eol)
            break;
        /* Step over the line end before writing: '\n' may land on it. */
        s = eol + (eol[0] == '\r' && eol[1] == '\n' ? 2 : 1);
        joined[o++] = '\n';
    }
    joined[o] = '\0';
    char *doc = trimmed_or_null(joined, nomem);
    free(joined);
    return doc;
}
