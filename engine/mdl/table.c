/*
 * Lookup tables in .mdl text: the body of a lookup definition
 * "name( ... )" and the second argument of WITH LOOKUP.  Points are
 * literal numbers with an optional sign ("(+ 19.7556,-  0.0710901)"); the
 * optional [(xmin,ymin)-(xmax,ymax)] range may carry reference points,
 * which only Vensim's graph editor uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_impl.h"
#include "plansim/names.h"

/* A number with an optional sign (blanks allowed after it: "- 1"). */
static ps_status signed_number(mdl_parser *p, const char *what, double *v)
{
    double sign = 1;
    if (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS) {
        sign = p->tok.kind == T_MINUS ? -1 : 1;
        ps_status st = mdl_next(p);
        if (st != PS_OK)
            return st;
    }
    if (p->tok.kind != T_NUMBER)
        return mdl_expected(p, what);
    *v = sign * p->tok.number;
    return mdl_next(p);
}

/* "(x, y)" */
static ps_status parse_point(mdl_parser *p, double *x, double *y)
{
    ps_loc open = p->tok.loc;
    char what[96];
    ps_status st;
    if (p->tok.kind != T_LPAREN)
        return mdl_expected(p, "a lookup point '(x,y)'");
    if ((st = mdl_next(p)) != PS_OK ||
        (st = signed_number(p, "the x value of a lookup point", x)) != PS_OK)
        return st;
    if (p->tok.kind != T_COMMA) {
        snprintf(what, sizeof what,
                 "',' between x and y in the lookup point opened at %d:%d",
                 open.line, open.column);
        return mdl_expected(p, what);
    }
    if ((st = mdl_next(p)) != PS_OK ||
        (st = signed_number(p, "the y value of a lookup point", y)) != PS_OK)
        return st;
    if (p->tok.kind != T_RPAREN) {
        snprintf(what, sizeof what,
                 "')' to close the lookup point opened at %d:%d", open.line,
                 open.column);
        return mdl_expected(p, what);
    }
    return mdl_next(p);
}

/* "[(xmin,ymin)-(xmax,ymax)(,(xref,yref))*]": the display range, with
   optional reference points that only the graph editor uses. */
static ps_status parse_range(mdl_parser *p, ps_table *t)
{
    ps_loc open = p->tok.loc;
    char what[96];
    ps_status st = mdl_next(p);
    if (st != PS_OK || (st = parse_point(p, &t->x_min, &t->y_min)) != PS_OK)
        return st;
    if (p->tok.kind != T_MINUS)
        return mdl_expected(p, "'-' between the corners of the range "
                               "[(xmin,ymin)-(xmax,ymax)]");
    if ((st = mdl_next(p)) != PS_OK ||
        (st = parse_point(p, &t->x_max, &t->y_max)) != PS_OK)
        return st;
    while (p->tok.kind == T_COMMA) {
        double rx, ry;
        if ((st = mdl_next(p)) != PS_OK ||
            (st = parse_point(p, &rx, &ry)) != PS_OK)
            return st;
    }
    if (p->tok.kind != T_RBRACKET) {
        snprintf(what, sizeof what, "']' to close the range opened at %d:%d",
                 open.line, open.column);
        return mdl_expected(p, what);
    }
    t->has_range = 1;
    return mdl_next(p);
}

/* Puts the points in order of x, keeping the written order of equal x
   values (a step): Vensim reads a table whose x values go back as the
   same points sorted. */
static void sort_points(ps_table *t)
{
    for (size_t i = 1; i < t->n; i++) {
        double x = t->x[i], y = t->y[i];
        size_t j = i;
        for (; j > 0 && t->x[j - 1] > x; j--) {
            t->x[j] = t->x[j - 1];
            t->y[j] = t->y[j - 1];
        }
        t->x[j] = x;
        t->y[j] = y;
    }
}

/* "(x1,y1), (x2,y2), ..." */
static ps_status parse_pairs(mdl_parser *p, ps_table *t, const char *owner)
{
    for (;;) {
        ps_loc at = p->tok.loc;
        double x, y;
        ps_status st = parse_point(p, &x, &y);
        (void)at;
        if (st != PS_OK)
            return st;
        if (ps_table_push(t, x, y) != 0)
            return mdl_nomem(p);
        if (p->tok.kind != T_COMMA)
            return PS_OK;
        if ((st = mdl_next(p)) != PS_OK)
            return st;
    }
}

/* "x1, x2, ..., xn, y1, y2, ..., yn": Vensim's second lookup form. */
static ps_status parse_lists(mdl_parser *p, ps_table *t, const char *owner)
{
    double *v = NULL;
    ps_loc *at = NULL;
    size_t n = 0, cap = 0;
    ps_status st = PS_OK;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            double *nv = realloc(v, cap * sizeof *v);
            if (nv)
                v = nv;
            ps_loc *na = nv ? realloc(at, cap * sizeof *at) : NULL;
            if (!na) {
                st = mdl_nomem(p);
                goto done;
            }
            at = na;
        }
        at[n] = p->tok.loc;
        if ((st = signed_number(p, "a number", &v[n])) != PS_OK)
            goto done;
        n++;
        if (p->tok.kind != T_COMMA)
            break;
        if ((st = mdl_next(p)) != PS_OK)
            goto done;
    }
    if (n % 2 != 0) {
        st = mdl_fail(p, PS_ERR_SYNTAX, p->tok.loc,
                      "the lookup table of '%s' lists %zu numbers: x values "
                      "then as many y values need an even count",
                      owner, n);
        goto done;
    }
    for (size_t i = 0; i < n / 2; i++) {
        if (ps_table_push(t, v[i], v[n / 2 + i]) != 0) {
            st = mdl_nomem(p);
            goto done;
        }
    }
done:
    free(v);
    free(at);
    return st;
}

ps_status mdl_parse_table(mdl_parser *p, const char *owner, ps_table **out)
{
    *out = NULL;
    ps_loc open = p->tok.loc;
    char what[160];
    ps_table *t = ps_table_new();
    if (!t)
        return mdl_nomem(p);
    t->loc = open;
    ps_status st = mdl_next(p);
    if (st == PS_OK && p->tok.kind == T_LBRACKET) {
        st = parse_range(p, t);
        if (st == PS_OK && p->tok.kind == T_COMMA)
            st = mdl_next(p);
    }
    if (st != PS_OK)
        goto fail;
    switch (p->tok.kind) {
    case T_LPAREN:
        st = parse_pairs(p, t, owner);
        break;
    case T_NUMBER:
    case T_PLUS:
    case T_MINUS:
        st = parse_lists(p, t, owner);
        break;
    default:
        if (p->tok.kind == T_NAME) {
            char *display = mdl_token_display(p, &p->tok);
            char *key = display ? ps_name_key(display, strlen(display)) : NULL;
            const char *why = key ? mdl_unsupported_function(key) : NULL;
            if (why)
                st = mdl_fail(p, PS_ERR_UNSUPPORTED, p->tok.loc, "%s: %s",
                              display, why);
            free(display);
            free(key);
            if (why)
                goto fail;
        }
        st = mdl_expected(p, "a lookup point '(x,y)'");
        break;
    }
    if (st != PS_OK)
        goto fail;
    if (p->tok.kind != T_RPAREN) {
        snprintf(what, sizeof what,
                 "',' or ')' to close the lookup table of '%s' opened at %d:%d",
                 owner, open.line, open.column);
        st = mdl_expected(p, what);
        goto fail;
    }
    if (t->n < 2) {
        st = mdl_fail(p, PS_ERR_SYNTAX, open,
                      "the lookup table of '%s' needs at least two points",
                      owner);
        goto fail;
    }
    if ((st = mdl_next(p)) != PS_OK)
        goto fail;
    sort_points(t);
    *out = t;
    return PS_OK;
fail:
    ps_table_free(t);
    return st;
}
