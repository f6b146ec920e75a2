/*
 * The equation section of a Vensim model: one entry per variable,
 *
 *   name = expression ~ units ~ documentation |
 *
 * with '==' for unchangeable constants, "name(...)" for lookup tables,
 * INTEG for levels and ACTIVE INITIAL for auxiliaries with an initial
 * equation.  Group markers (****...) are skipped; the section ends at the
 * sketch marker "\\\---///" or at the end of the text.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_impl.h"
#include "plansim/mdl.h"
#include "plansim/names.h"

/* Frees what a variable under construction owns. */
static void var_discard(ps_var *v)
{
    ps_var_clear(v);
}

/* Moves the cursor to the next character of `stops` (left on it) and
   returns that character; [*b, *e) is the text passed over and *at the
   cursor where it began.  Returns 0 at the end of the text or at a line
   holding the sketch marker. */
static int raw_until(mdl_parser *p, const char *stops, size_t *b, size_t *e,
                     mdl_cursor *at)
{
    mdl_lexer *lx = &p->lx;
    *b = lx->cur.pos;
    *at = lx->cur;
    while (lx->cur.pos < lx->len) {
        char c = lx->text[lx->cur.pos];
        if (c != '\0' && strchr(stops, c)) {
            *e = lx->cur.pos;
            return (unsigned char)c;
        }
        int line_end = c == '\n' || c == '\r';
        mdl_lex_advance(lx);
        if (line_end && mdl_lex_at_sketch(lx))
            break;
    }
    *e = lx->cur.pos;
    return 0;
}

/* An equation that never reaches its closing '|'. */
static ps_status unterminated(mdl_parser *p, const ps_var *v)
{
    return mdl_fail(p, PS_ERR_SYNTAX, mdl_lex_loc(&p->lx),
                    "expected '|' to end the equation of '%s' started at "
                    "%d:%d, found %s",
                    v->name, v->loc.line, v->loc.column,
                    mdl_lex_at_sketch(&p->lx) ? "the sketch section"
                                              : "the end of the file");
}

/* The location of the first non-blank character of [b, e) starting at
   cursor `at`, or `at` itself when the field is blank. */
static ps_loc field_loc(const mdl_parser *p, mdl_cursor at, size_t e)
{
    mdl_lexer w = p->lx;
    w.cur = at;
    while (w.cur.pos < e) {
        char c = w.text[w.cur.pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\')
            return mdl_lex_loc(&w);
        mdl_lex_advance(&w);
    }
    ps_loc loc = {at.line, at.col};
    return loc;
}

/* The "~ units ~ documentation ~ flags |" tail, from the current '~' or
   '|' token.  Leaves the cursor after the '|'. */
static ps_status read_fields(mdl_parser *p, ps_var *v)
{
    size_t b, e;
    mdl_cursor at;
    if (p->tok.kind == T_BAR)
        return PS_OK;
    int stop = raw_until(p, "~|", &b, &e, &at);
    if (!stop)
        return unterminated(p, v);
    v->units_loc = field_loc(p, at, e);
    ps_status st = mdl_split_units(p, b, e, at, &v->units, &v->has_range,
                                   &v->range_min, &v->range_max);
    if (st != PS_OK)
        return st;
    mdl_lex_advance(&p->lx);
    if (stop == '|')
        return PS_OK;
    if (!(stop = raw_until(p, "~|", &b, &e, &at)))
        return unterminated(p, v);
    int no_memory;
    v->doc = mdl_doc_text(p->lx.text, b, e, &no_memory);
    if (no_memory)
        return mdl_nomem(p);
    mdl_lex_advance(&p->lx);
    /* Vensim may add flag fields such as "~ :SUPPLEMENTARY": skipped. */
    if (stop == '~') {
        if (!raw_until(p, "|", &b, &e, &at))
            return unterminated(p, v);
        mdl_lex_advance(&p->lx);
    }
    return PS_OK;
}

/* Non-zero for a call of INTEG or ACTIVE INITIAL, which Vensim allows only
   as a whole right-hand side. */
static int is_whole_only(const ps_expr *e)
{
    return e->kind == PS_EXPR_CALL &&
           (strcmp(e->u.call.key, "integ") == 0 ||
            strcmp(e->u.call.key, "active_initial") == 0);
}

/* Visitor that stops at the first INTEG / ACTIVE INITIAL (into *ctx). */
static int find_whole_only(const ps_expr *node, const char *key, void *ctx)
{
    (void)key;
    if (!is_whole_only(node))
        return 0;
    *(const ps_expr **)ctx = node;
    return 1;
}

/* Splits "INTEG(rate, init)" / "ACTIVE INITIAL(value, init)" when it is
   the whole right-hand side, and refuses either anywhere else.  Takes
   `rhs` over. */
static ps_status classify(mdl_parser *p, ps_var *v, ps_expr *rhs)
{
    if (is_whole_only(rhs)) {
        if (rhs->u.call.argc != 2) {
            ps_status st = mdl_fail(
                p, PS_ERR_SYNTAX, rhs->loc,
                "%s takes 2 arguments (%s, initial value), found %zu",
                rhs->u.call.name,
                strcmp(rhs->u.call.key, "integ") == 0 ? "rate" : "value",
                rhs->u.call.argc);
            ps_expr_free(rhs);
            return st;
        }
        v->kind = strcmp(rhs->u.call.key, "integ") == 0 ? PS_VAR_STOCK
                                                         : PS_VAR_AUX;
        v->expr = rhs->u.call.argv[0];
        v->init = rhs->u.call.argv[1];
        rhs->u.call.argc = 0; /* the arguments now belong to v */
        ps_expr_free(rhs);
    } else {
        v->kind = PS_VAR_AUX;
        v->expr = rhs;
    }
    const ps_expr *bad = NULL;
    if (ps_expr_visit_refs(v->expr, find_whole_only, &bad) ||
        ps_expr_visit_refs(v->init, find_whole_only, &bad))
        return mdl_fail(p, PS_ERR_SYNTAX, bad->loc,
                        "%s must be the whole right-hand side of an equation",
                        bad->u.call.name);
    return PS_OK;
}

/* What follows a variable name that the engine cannot run yet. */
static ps_status refuse_after_name(mdl_parser *p, const ps_var *v)
{
    (void)v;
    switch (p->tok.kind) {
    case T_KEYWORD:
        return mdl_refuse_keyword(p);
    default:
        return mdl_expected(p, "'=', '==', ':=' or '(' after the variable "
                               "name");
    }
}

/* ":EXCEPT: [a, b], [c, d]" after a left-hand side. */
static ps_status parse_excepts(mdl_parser *p, ps_var *v)
{
    ps_status st = mdl_next(p);
    for (;;) {
        if (st != PS_OK)
            return st;
        if (p->tok.kind != T_LBRACKET)
            return mdl_expected(p, "'[' to start a list of exceptions");
        ps_subscripts *x =
            realloc(v->excepts, (v->nexcepts + 1) * sizeof *x);
        if (!x)
            return mdl_nomem(p);
        v->excepts = x;
        memset(&x[v->nexcepts], 0, sizeof *x);
        v->nexcepts++;
        if ((st = mdl_parse_subscripts(p, &x[v->nexcepts - 1], 0)) != PS_OK)
            return st;
        if (p->tok.kind != T_COMMA)
            return PS_OK;
        st = mdl_next(p);
    }
}

/* A data keyword before ':=' (":INTERPOLATE:", ":RAW:"...), or -1. */
static int data_keyword(const mdl_parser *p)
{
    static const struct {
        const char *word;
        ps_data_mode mode;
    } modes[] = {{"INTERPOLATE", PS_DATA_INTERPOLATE},
                 {"RAW", PS_DATA_RAW},
                 {"HOLD BACKWARD", PS_DATA_HOLD_BACKWARD},
                 {"LOOK FORWARD", PS_DATA_LOOK_FORWARD}};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (mdl_tok_is_keyword(&p->lx, &p->tok, modes[i].word))
            return (int)modes[i].mode;
    return -1;
}

/* Non-zero when the current token is the name TABBED ARRAY. */
static int at_tabbed_array(mdl_parser *p)
{
    if (p->tok.kind != T_NAME)
        return 0;
    char *display = mdl_token_display(p, &p->tok);
    char *key = display ? ps_name_key(display, strlen(display)) : NULL;
    int yes = key && strcmp(key, "tabbed_array") == 0;
    free(display);
    free(key);
    return yes;
}

/* The right-hand side after '=' or '==': an expression, or a list of
   constants "1, 2; 3, 4", or TABBED ARRAY(...). */
static ps_status parse_rhs(mdl_parser *p, ps_var *v)
{
    ps_status st = mdl_next(p);
    if (st != PS_OK)
        return st;
    if (at_tabbed_array(p)) {
        v->kind = PS_VAR_AUX;
        return mdl_parse_tabbed(p, v);
    }
    ps_expr *rhs = NULL;
    if ((st = mdl_parse_expr(p, &rhs)) != PS_OK)
        return st;
    if (p->tok.kind == T_COMMA || p->tok.kind == T_SEMI) {
        /* a list: the expression read so far must be one number */
        const ps_expr *n = rhs;
        double sign = 1;
        while (n->kind == PS_EXPR_UNARY &&
               (n->u.unary.op == PS_OP_NEG || n->u.unary.op == PS_OP_POS)) {
            sign *= n->u.unary.op == PS_OP_NEG ? -1 : 1;
            n = n->u.unary.arg;
        }
        if (n->kind != PS_EXPR_NUMBER) {
            ps_expr_free(rhs);
            return mdl_expected(p, "an operator, '~' or '|'");
        }
        double first = sign * n->u.number;
        ps_loc at = rhs->loc;
        ps_expr_free(rhs);
        v->kind = PS_VAR_AUX;
        return mdl_parse_values(p, first, at, v);
    }
    return classify(p, v, rhs);
}

static ps_status skip_group(mdl_parser *p);

/* The body of a lookup definition from its '(': a table, or a call of
   GET XLS LOOKUPS / GET DIRECT LOOKUPS that reads the table from a file
   (kept as v->expr for the compiler). */
static ps_status lookup_body(mdl_parser *p, ps_var *v)
{
    mdl_lexer at_open = p->lx;
    mdl_token open = p->tok;
    ps_status st = mdl_next(p);
    if (st != PS_OK)
        return st;
    char *display = p->tok.kind == T_NAME ? mdl_token_display(p, &p->tok)
                                          : NULL;
    char *key = display ? ps_name_key(display, strlen(display)) : NULL;
    int from_file = key && (strcmp(key, "get_xls_lookups") == 0 ||
                            strcmp(key, "get_direct_lookups") == 0);
    free(display);
    free(key);
    if (!from_file) {
        p->lx = at_open;
        p->tok = open;
        return mdl_parse_table(p, v->name, &v->table);
    }
    if ((st = mdl_parse_expr(p, &v->expr)) != PS_OK)
        return st;
    if (p->tok.kind != T_RPAREN)
        return mdl_expected(p, "')' after the lookups read from a file");
    return mdl_next(p);
}

/* "Dim: a, b, c ~ ~ |" or "Dim <-> Other ~ ~ |", from the ':' or '<->'
   after the range's name (already in v's name). */
static ps_status parse_range_entry(mdl_parser *p, ps_model *m, ps_var *v)
{
    ps_dim dim;
    memset(&dim, 0, sizeof dim);
    dim.name = v->name;
    dim.key = v->key;
    dim.loc = v->loc;
    v->name = v->key = NULL;
    int equivalence = p->tok.kind == T_EQUIV;
    ps_status st = mdl_next(p);
    if (st == PS_OK && equivalence) {
        if (p->tok.kind != T_NAME)
            st = mdl_expected(p, "the name of the equivalent range");
        else {
            char *text = mdl_join_lines(p->lx.text, p->tok.start, p->tok.end);
            dim.equiv = text ? ps_name_key(text, strlen(text)) : NULL;
            free(text);
            st = dim.equiv ? mdl_next(p) : mdl_nomem(p);
        }
    } else if (st == PS_OK) {
        st = mdl_parse_range(p, &dim);
    }
    if (st == PS_OK && p->tok.kind != T_TILDE && p->tok.kind != T_BAR)
        st = mdl_expected(p, "',', '->', '~' or '|' in the range definition");
    /* the units and comment fields of a range are not kept */
    if (st == PS_OK)
        st = read_fields(p, v);
    if (st != PS_OK) {
        ps_dim_clear(&dim);
        return st;
    }
    return ps_model_add_dim(m, &dim, p->err);
}

/* One entry, from its name (the current token) to its '|'. */
static ps_status parse_equation(mdl_parser *p, ps_model *m)
{
    ps_var v;
    memset(&v, 0, sizeof v);
    v.next_def = (size_t)-1;
    v.range_min = -INFINITY;
    v.range_max = INFINITY;
    v.loc = p->tok.loc;
    char *text = mdl_join_lines(p->lx.text, p->tok.start, p->tok.end);
    if (text) {
        v.name = ps_name_display(text, strlen(text));
        v.key = ps_name_key(text, strlen(text));
    }
    free(text);
    ps_status st;
    if (!v.name || !v.key) {
        st = mdl_nomem(p);
        goto fail;
    }
    if ((st = mdl_next(p)) != PS_OK)
        goto fail;
    if (p->tok.kind == T_COLON || p->tok.kind == T_EQUIV) {
        st = parse_range_entry(p, m, &v);
        var_discard(&v);
        return st;
    }
    if (p->tok.kind == T_LBRACKET &&
        (st = mdl_parse_subscripts(p, &v.subs, 0)) != PS_OK)
        goto fail;
    if (mdl_tok_is_keyword(&p->lx, &p->tok, "EXCEPT") &&
        (st = parse_excepts(p, &v)) != PS_OK)
        goto fail;
    if (mdl_tok_is_keyword(&p->lx, &p->tok, "THE CONDITION") ||
        mdl_tok_is_keyword(&p->lx, &p->tok, "TEST INPUT")) {
        /* a reality check: a statement about the model that Vensim
           checks in its reality-check mode only; a run ignores it */
        var_discard(&v);
        return skip_group(p);
    }
    int mode = p->tok.kind == T_KEYWORD ? data_keyword(p) : -1;
    if (mode >= 0) {
        v.data_mode = (ps_data_mode)mode;
        if ((st = mdl_next(p)) != PS_OK)
            goto fail;
        if (p->tok.kind != T_COLONEQ && p->tok.kind != T_TILDE &&
            p->tok.kind != T_BAR) {
            st = mdl_expected(p, "':=', '~' or '|' after the data keyword");
            goto fail;
        }
    }
    if (p->tok.kind == T_LPAREN) {
        v.kind = PS_VAR_LOOKUP;
        if ((st = lookup_body(p, &v)) != PS_OK)
            goto fail;
        if (p->tok.kind != T_TILDE && p->tok.kind != T_BAR) {
            st = mdl_expected(p, "'~' or '|' after the lookup table");
            goto fail;
        }
    } else if (p->tok.kind == T_EQ || p->tok.kind == T_EQEQ ||
               p->tok.kind == T_COLONEQ) {
        v.unchangeable = p->tok.kind == T_EQEQ;
        v.is_data = p->tok.kind == T_COLONEQ;
        if ((st = parse_rhs(p, &v)) != PS_OK)
            goto fail;
        if (p->tok.kind == T_KEYWORD) {
            st = mdl_refuse_keyword(p);
            goto fail;
        }
        if (p->tok.kind != T_TILDE && p->tok.kind != T_BAR) {
            st = mdl_expected(p, "an operator, '~' or '|'");
            goto fail;
        }
    } else if (p->tok.kind == T_TILDE || p->tok.kind == T_BAR) {
        /* a data variable with no equation: its values come from a
           dataset given with the model (plansim simulate --data) */
        v.kind = PS_VAR_AUX;
        v.is_data = 1;
    } else {
        st = refuse_after_name(p, &v);
        goto fail;
    }
    if ((st = read_fields(p, &v)) != PS_OK)
        goto fail;
    return ps_model_add(m, &v, p->err);
fail:
    var_discard(&v);
    return st;
}

/* A group marker "****...\n.name\n****...~ comment |" (or another entry
   a run does not use): skipped to its '|'. */
static ps_status skip_group(mdl_parser *p)
{
    size_t b, e;
    mdl_cursor at;
    if (!raw_until(p, "|", &b, &e, &at))
        return mdl_fail(p, PS_ERR_SYNTAX, p->tok.loc,
                        "expected '|' to end the %s started here",
                        p->tok.kind == T_KEYWORD ? "reality check"
                                                 : "group marker");
    mdl_lex_advance(&p->lx);
    return PS_OK;
}

static ps_status parse_section(mdl_parser *p, ps_model *m,
                               const ps_loc *macro_at);

/* ":MACRO: NAME(a, b [: out]) equations :END OF MACRO:", from the
   :MACRO: keyword. */
static ps_status parse_macro(mdl_parser *p, ps_model *m)
{
    ps_macro mac;
    memset(&mac, 0, sizeof mac);
    ps_loc opened = p->tok.loc;
    ps_status st = mdl_next(p);
    if (st == PS_OK && p->tok.kind != T_NAME)
        st = mdl_expected(p, "the name of the macro");
    if (st == PS_OK) {
        mac.loc = p->tok.loc;
        char *text = mdl_join_lines(p->lx.text, p->tok.start, p->tok.end);
        mac.name = text ? ps_name_display(text, strlen(text)) : NULL;
        mac.key = text ? ps_name_key(text, strlen(text)) : NULL;
        free(text);
        st = mac.name && mac.key ? mdl_next(p) : mdl_nomem(p);
    }
    if (st == PS_OK && p->tok.kind != T_LPAREN)
        st = mdl_expected(p, "'(' to open the macro's parameters");
    ps_subscripts *list = &mac.params;
    while (st == PS_OK) {
        if ((st = mdl_next(p)) != PS_OK)
            break;
        if (p->tok.kind != T_NAME) {
            st = mdl_expected(p, "a parameter name");
            break;
        }
        char *text = mdl_join_lines(p->lx.text, p->tok.start, p->tok.end);
        if (!text || ps_subscripts_push(list, text, strlen(text), p->tok.loc,
                                        0) != 0)
            st = mdl_nomem(p);
        free(text);
        if (st != PS_OK || (st = mdl_next(p)) != PS_OK)
            break;
        if (p->tok.kind == T_COLON && list == &mac.params) {
            list = &mac.outputs;
            continue;
        }
        if (p->tok.kind == T_RPAREN)
            break;
        if (p->tok.kind != T_COMMA)
            st = mdl_expected(p, "',' or ')' in the macro's parameters");
    }
    if (st == PS_OK && !(mac.body = ps_model_new(m->path)))
        st = mdl_nomem(p);
    if (st == PS_OK)
        st = parse_section(p, mac.body, &opened);
    if (st != PS_OK) {
        ps_macro_clear(&mac);
        return st;
    }
    return ps_model_add_macro(m, &mac, p->err);
}

/* The equations of the model, or of the body of the macro opened at
   *macro_at (which ends at :END OF MACRO:). */
static ps_status parse_section(mdl_parser *p, ps_model *m,
                               const ps_loc *macro_at)
{
    int in_macro = macro_at != NULL;
    for (;;) {
        ps_status st = mdl_lex_skip_blank(&p->lx, p->err);
        if (st != PS_OK)
            return st;
        if (mdl_lex_at_sketch(&p->lx) && !in_macro)
            return st;
        if ((st = mdl_next(p)) != PS_OK)
            return st;
        switch (p->tok.kind) {
        case T_EOF:
            if (in_macro)
                return mdl_fail(p, PS_ERR_SYNTAX, *macro_at,
                                "macro opened here has no :END OF MACRO:");
            return PS_OK;
        case T_STAR:
            st = skip_group(p);
            break;
        case T_KEYWORD:
            if (mdl_tok_is_keyword(&p->lx, &p->tok, "MACRO") && !in_macro)
                st = parse_macro(p, m);
            else if (mdl_tok_is_keyword(&p->lx, &p->tok, "END OF MACRO") &&
                     in_macro)
                return PS_OK;
            else
                st = mdl_refuse_keyword(p);
            break;
        case T_NAME:
            st = parse_equation(p, m);
            break;
        default:
            st = mdl_expected(p, "a variable name");
            break;
        }
        if (st != PS_OK)
            return st;
    }
}

ps_status ps_mdl_parse(const char *text, size_t len, const char *path,
                       ps_model **out, ps_error *err)
{
    ps_error_clear(err);
    if (out)
        *out = NULL;
    if (!out || (!text && len > 0))
        return ps_error_set(err, PS_ERR_INTERNAL, path, 0, 0,
                            "ps_mdl_parse called without text or result");
    ps_model *m = ps_model_new(path);
    if (!m)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0,
                            "out of memory while reading the model");
    mdl_parser p;
    memset(&p, 0, sizeof p);
    mdl_lex_init(&p.lx, text, len, path);
    p.err = err;
    ps_status st = parse_section(&p, m, NULL);
    if (st != PS_OK) {
        ps_model_free(&m);
        return st;
    }
    *out = m;
    return PS_OK;
}
