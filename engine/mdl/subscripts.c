/*
 * Subscripts in .mdl text: bracketed subscript lists, subscript range
 * definitions (elements, numeric ranges, mappings, GET DIRECT SUBSCRIPT)
 * and the constant lists that define subscripted constants ("1, 2; 3, 4"
 * and TABBED ARRAY).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_impl.h"
#include "plansim/grow.h"
#include "plansim/names.h"

/* Appends the current token (a name or a number) to `out` as an element
   or range name. */
static ps_status push_token(mdl_parser *p, ps_subscripts *out, int bang)
{
    char *text = mdl_join_lines(p->lx.text, p->tok.start, p->tok.end);
    int rc = text ? ps_subscripts_push(out, text, strlen(text), p->tok.loc,
                                       bang)
                  : -1;
    free(text);
    return rc == 0 ? PS_OK : mdl_nomem(p);
}

ps_status mdl_parse_subscripts(mdl_parser *p, ps_subscripts *out,
                               int allow_bang)
{
    ps_loc open = p->tok.loc;
    char what[128];
    ps_status st = mdl_next(p);
    for (;;) {
        if (st != PS_OK)
            return st;
        if (p->tok.kind != T_NAME && p->tok.kind != T_NUMBER)
            return mdl_expected(p, "a subscript (a range or element name)");
        mdl_token name = p->tok;
        if ((st = mdl_next(p)) != PS_OK)
            return st;
        int bang = p->tok.kind == T_BANG;
        if (bang && !allow_bang)
            return mdl_fail(p, PS_ERR_SYNTAX, p->tok.loc,
                            "'!' belongs in a vector function's argument, "
                            "not on the left-hand side");
        mdl_token after = p->tok;
        p->tok = name;
        st = push_token(p, out, bang);
        p->tok = after;
        if (st != PS_OK)
            return st;
        if (bang && (st = mdl_next(p)) != PS_OK)
            return st;
        if (p->tok.kind == T_RBRACKET)
            return mdl_next(p);
        if (p->tok.kind != T_COMMA) {
            snprintf(what, sizeof what,
                     "',' or ']' to close the subscripts opened at %d:%d",
                     open.line, open.column);
            return mdl_expected(p, what);
        }
        st = mdl_next(p);
    }
}

/* Splits an element name into a prefix and a trailing decimal number:
   "d12" -> ("d", 12, 2 digits).  Returns -1 when it has no digits. */
static int split_number(const char *s, size_t *prefix, long *num, int *width)
{
    size_t n = strlen(s), b = n;
    while (b > 0 && isdigit((unsigned char)s[b - 1]))
        b--;
    if (b == n || n - b > 9)
        return -1;
    *prefix = b;
    *num = strtol(s + b, NULL, 10);
    *width = (int)(n - b);
    return 0;
}

/* "(d1-d5)": the current token is '('.  Appends d1, d2, ..., d5. */
static ps_status numeric_range(mdl_parser *p, ps_dim *dim)
{
    ps_loc open = p->tok.loc;
    ps_subscripts ends = {0};
    ps_status st = mdl_next(p);
    for (int k = 0; k < 2 && st == PS_OK; k++) {
        if (p->tok.kind != T_NAME && p->tok.kind != T_NUMBER) {
            st = mdl_expected(p, "an element such as 'd1' in a numeric "
                                 "range (d1-d5)");
            break;
        }
        if ((st = push_token(p, &ends, 0)) != PS_OK ||
            (st = mdl_next(p)) != PS_OK)
            break;
        if (k == 0) {
            if (p->tok.kind != T_MINUS) {
                st = mdl_expected(p, "'-' in a numeric range (d1-d5)");
                break;
            }
            st = mdl_next(p);
        }
    }
    if (st == PS_OK && p->tok.kind != T_RPAREN)
        st = mdl_expected(p, "')' to close the numeric range");
    size_t pa = 0, pb = 0;
    long a = 0, b = -1;
    int wa = 1, wb = 1;
    if (st == PS_OK &&
        (split_number(ends.v[0].name, &pa, &a, &wa) != 0 ||
         split_number(ends.v[1].name, &pb, &b, &wb) != 0 || pa != pb ||
         strncmp(ends.v[0].name, ends.v[1].name, pa) != 0 || b < a ||
         b - a > 100000))
        st = mdl_fail(p, PS_ERR_SYNTAX, open,
                      "a numeric range runs between two names that differ "
                      "only by a rising number, such as (d1-d5); found "
                      "(%s-%s)",
                      ends.v[0].name, ends.v[1].name);
    for (long i = a; st == PS_OK && i <= b; i++) {
        char buf[512];
        int w = wa == wb ? wa : 1;
        snprintf(buf, sizeof buf, "%.*s%0*ld", (int)pa, ends.v[0].name, w, i);
        if (ps_subscripts_push(&dim->elems, buf, strlen(buf), open, 0) != 0)
            st = mdl_nomem(p);
    }
    ps_subscripts_clear(&ends);
    return st == PS_OK ? mdl_next(p) : st;
}

/* One mapping after "->": "Other" or "(Other: x, y, z)". */
static ps_status parse_mapping(mdl_parser *p, ps_dim *dim)
{
    ps_dim_map m;
    memset(&m, 0, sizeof m);
    m.loc = p->tok.loc;
    int explicit_list = p->tok.kind == T_LPAREN;
    ps_status st = explicit_list ? mdl_next(p) : PS_OK;
    if (st == PS_OK && p->tok.kind != T_NAME)
        st = mdl_expected(p, "the name of the range mapped to");
    if (st == PS_OK) {
        char *text = mdl_join_lines(p->lx.text, p->tok.start, p->tok.end);
        m.to = text ? ps_name_key(text, strlen(text)) : NULL;
        m.to_name = text ? ps_name_display(text, strlen(text)) : NULL;
        free(text);
        st = m.to && m.to_name ? mdl_next(p) : mdl_nomem(p);
    }
    if (st == PS_OK && explicit_list) {
        if (p->tok.kind != T_COLON)
            st = mdl_expected(p, "':' after the range mapped to");
        else
            st = mdl_next(p);
        while (st == PS_OK) {
            if (p->tok.kind != T_NAME && p->tok.kind != T_NUMBER) {
                st = mdl_expected(p, "an element of the range mapped to");
                break;
            }
            if ((st = push_token(p, &m.elems, 0)) != PS_OK ||
                (st = mdl_next(p)) != PS_OK)
                break;
            if (p->tok.kind == T_RPAREN) {
                st = mdl_next(p);
                break;
            }
            if (p->tok.kind != T_COMMA)
                st = mdl_expected(p, "',' or ')' in the mapping");
            else
                st = mdl_next(p);
        }
    }
    ps_dim_map *maps = st == PS_OK
                           ? realloc(dim->maps, (dim->nmaps + 1) * sizeof *maps)
                           : NULL;
    if (st == PS_OK && !maps)
        st = mdl_nomem(p);
    if (st != PS_OK) {
        free(m.to);
        free(m.to_name);
        ps_subscripts_clear(&m.elems);
        return st;
    }
    dim->maps = maps;
    dim->maps[dim->nmaps++] = m;
    return PS_OK;
}

ps_status mdl_parse_range(mdl_parser *p, ps_dim *dim)
{
    ps_status st = PS_OK;
    if (p->tok.kind == T_NAME) {
        /* GET DIRECT SUBSCRIPT(...) lists the elements in a data file */
        char *display = mdl_token_display(p, &p->tok);
        char *key = display ? ps_name_key(display, strlen(display)) : NULL;
        int is_get = key && (strcmp(key, "get_direct_subscript") == 0 ||
                             strcmp(key, "get_xls_subscript") == 0);
        free(display);
        free(key);
        if (is_get) {
            if ((st = mdl_parse_expr(p, &dim->get)) != PS_OK)
                return st;
            goto mappings;
        }
    }
    for (;;) {
        if (p->tok.kind == T_LPAREN)
            st = numeric_range(p, dim);
        else if (p->tok.kind == T_NAME || p->tok.kind == T_NUMBER) {
            if ((st = push_token(p, &dim->elems, 0)) == PS_OK)
                st = mdl_next(p);
        } else
            st = mdl_expected(p, "an element name");
        if (st != PS_OK)
            return st;
        if (p->tok.kind != T_COMMA)
            break;
        if ((st = mdl_next(p)) != PS_OK)
            return st;
    }
mappings:
    if (p->tok.kind != T_MINUS)
        return PS_OK;
    /* "->" arrives as '-' then '>' */
    if ((st = mdl_next(p)) != PS_OK)
        return st;
    if (p->tok.kind != T_GT)
        return mdl_expected(p, "'->' before a mapping");
    if ((st = mdl_next(p)) != PS_OK)
        return st;
    for (;;) {
        if ((st = parse_mapping(p, dim)) != PS_OK)
            return st;
        if (p->tok.kind != T_COMMA)
            return PS_OK;
        if ((st = mdl_next(p)) != PS_OK)
            return st;
    }
}

/* Appends one value (and where it starts) to v's constant list. */
static ps_status push_value(mdl_parser *p, ps_var *v, double x, ps_loc at)
{
    double *vals = ps_grow(v->values, v->nvalues, sizeof *vals);
    if (!vals)
        return mdl_nomem(p);
    v->values = vals;
    ps_loc *locs = ps_grow(v->value_locs, v->nvalues, sizeof *locs);
    if (!locs)
        return mdl_nomem(p);
    v->value_locs = locs;
    v->values[v->nvalues] = x;
    v->value_locs[v->nvalues++] = at;
    return PS_OK;
}

/* A number with an optional sign, as the current token(s). */
static ps_status signed_value(mdl_parser *p, double *x, ps_loc *at)
{
    double sign = 1;
    *at = p->tok.loc;
    if (p->tok.kind == T_MINUS || p->tok.kind == T_PLUS) {
        sign = p->tok.kind == T_MINUS ? -1 : 1;
        ps_status st = mdl_next(p);
        if (st != PS_OK)
            return st;
    }
    if (p->tok.kind == T_KEYWORD && mdl_tok_is_keyword(&p->lx, &p->tok, "NA")) {
        *x = PS_NA;
        return mdl_next(p);
    }
    if (p->tok.kind != T_NUMBER)
        return mdl_expected(p, "a number in the list of values");
    *x = sign * p->tok.number;
    return mdl_next(p);
}

ps_status mdl_parse_values(mdl_parser *p, double first, ps_loc at, ps_var *v)
{
    ps_status st = push_value(p, v, first, at);
    while (st == PS_OK &&
           (p->tok.kind == T_COMMA || p->tok.kind == T_SEMI)) {
        if ((st = mdl_next(p)) != PS_OK)
            break;
        /* a list may end with ';' before the units */
        if (p->tok.kind == T_TILDE || p->tok.kind == T_BAR)
            break;
        double x = 0;
        ps_loc xat;
        if ((st = signed_value(p, &x, &xat)) == PS_OK)
            st = push_value(p, v, x, xat);
    }
    return st;
}

ps_status mdl_parse_tabbed(mdl_parser *p, ps_var *v)
{
    ps_loc open = p->tok.loc;
    ps_status st = mdl_next(p);
    if (st != PS_OK)
        return st;
    if (p->tok.kind != T_LPAREN)
        return mdl_expected(p, "'(' after TABBED ARRAY");
    if ((st = mdl_next(p)) != PS_OK)
        return st;
    while (p->tok.kind != T_RPAREN) {
        double x = 0;
        ps_loc at;
        if ((st = signed_value(p, &x, &at)) != PS_OK ||
            (st = push_value(p, v, x, at)) != PS_OK)
            return st;
        if (p->tok.kind == T_COMMA || p->tok.kind == T_SEMI)
            if ((st = mdl_next(p)) != PS_OK)
                return st;
    }
    if (v->nvalues == 0)
        return mdl_fail(p, PS_ERR_SYNTAX, open, "TABBED ARRAY lists no value");
    return mdl_next(p);
}
