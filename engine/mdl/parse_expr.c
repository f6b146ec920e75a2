/*
 * Recursive-descent parser of Vensim expressions.
 *
 * Precedence, loosest first (checked against Vensim's own output in the
 * SDXorg test models "exponentiation" and "arithmetics"):
 *
 *   :OR:   :AND:   :NOT:   comparisons (not chained)   + -   * /
 *   unary - +   ^
 *
 * '^' binds tighter than a leading sign and is right-associative, and its
 * exponent may carry its own sign: -2^2 = -(2^2) = -4, 4^3^2 = 4^9 and
 * 2^-2^-3 = 2^(-(2^(-3))).  :NOT: applies to a whole comparison
 * (":NOT: a > b" negates a > b), as Vensim allows logical operators only
 * on logical operands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_impl.h"
#include "plansim/names.h"

typedef ps_status (*parse_fn)(mdl_parser *p, ps_expr **out, int *depth);

static ps_status parse_or(mdl_parser *p, ps_expr **out, int *depth);
static ps_status parse_unary(mdl_parser *p, ps_expr **out, int *depth);

/* Guards recursion: parentheses, signs and powers nest at most
   MDL_MAX_NESTING deep. */
static ps_status enter(mdl_parser *p)
{
    if (p->nesting >= MDL_MAX_NESTING)
        return mdl_fail(p, PS_ERR_UNSUPPORTED, p->tok.loc,
                        "expression nested more than %d levels deep",
                        MDL_MAX_NESTING);
    p->nesting++;
    return PS_OK;
}

static void leave(mdl_parser *p)
{
    p->nesting--;
}

/* Height of a new node over children of heights a and b, or a failure
   when the tree grows taller than the walkers' stack budget. */
static ps_status grow(mdl_parser *p, int a, int b, ps_loc at, int *depth)
{
    int d = 1 + (a > b ? a : b);
    if (d > MDL_MAX_DEPTH)
        return mdl_fail(p, PS_ERR_UNSUPPORTED, at,
                        "expression has more than %d levels of operations",
                        MDL_MAX_DEPTH);
    *depth = d;
    return PS_OK;
}

/* Replaces *lhs by (*lhs op rhs).  On failure both are freed and *lhs is
   NULL. */
static ps_status combine(mdl_parser *p, ps_op op, ps_expr **lhs, int *depth,
                         ps_expr *rhs, int rdepth, ps_loc oploc)
{
    ps_status st = grow(p, *depth, rdepth, oploc, depth);
    if (st != PS_OK) {
        ps_expr_free(*lhs);
        ps_expr_free(rhs);
        *lhs = NULL;
        return st;
    }
    *lhs = ps_expr_binary(op, *lhs, rhs, (*lhs)->loc);
    return *lhs ? PS_OK : mdl_nomem(p);
}

/* Arguments of a call whose '(' is the current token. */
typedef struct arg_list {
    ps_expr **v;
    size_t n, cap;
} arg_list;

static int args_push(arg_list *a, ps_expr *e)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 4;
        ps_expr **v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return -1;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = e;
    return 0;
}

static void args_free(arg_list *a)
{
    for (size_t i = 0; i < a->n; i++)
        ps_expr_free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* WITH LOOKUP(input, table): the second argument becomes a table node. */
static ps_status with_lookup_args(mdl_parser *p, const char *display,
                                  ps_loc open, arg_list *args, int *maxd)
{
    char what[160];
    ps_expr *input = NULL;
    int d = 0;
    ps_status st = parse_or(p, &input, &d);
    if (st != PS_OK)
        return st;
    if (args_push(args, input) != 0) {
        ps_expr_free(input);
        return mdl_nomem(p);
    }
    *maxd = d;
    if (p->tok.kind != T_COMMA) {
        snprintf(what, sizeof what,
                 "',' after the input of %s opened at %d:%d", display,
                 open.line, open.column);
        return mdl_expected(p, what);
    }
    if ((st = mdl_next(p)) != PS_OK)
        return st;
    if (p->tok.kind != T_LPAREN)
        return mdl_expected(p, "'(' to start the lookup table of WITH LOOKUP");
    ps_loc tloc = p->tok.loc;
    ps_table *t = NULL;
    if ((st = mdl_parse_table(p, display, &t)) != PS_OK)
        return st;
    ps_expr *te = ps_expr_table(t, tloc);
    if (!te || args_push(args, te) != 0) {
        ps_expr_free(te);
        return mdl_nomem(p);
    }
    return PS_OK;
}

/* The call of `name` whose '(' is the current token. */
static ps_status parse_call(mdl_parser *p, const mdl_token *name,
                            ps_expr **out, int *depth)
{
    char what[160];
    arg_list args = {0};
    int maxd = 0;
    ps_status st;
    char *text = mdl_join_lines(p->lx.text, name->start, name->end);
    char *display = text ? ps_name_display(text, strlen(text)) : NULL;
    char *key = text ? ps_name_key(text, strlen(text)) : NULL;
    if (!display || !key) {
        st = mdl_nomem(p);
        goto done;
    }
    const char *why = mdl_unsupported_function(key);
    if (why) {
        st = mdl_fail(p, PS_ERR_UNSUPPORTED, name->loc, "%s: %s", display,
                      why);
        goto done;
    }
    ps_loc open = p->tok.loc;
    if ((st = enter(p)) != PS_OK)
        goto done;
    st = mdl_next(p);
    if (st == PS_OK && strcmp(key, "with_lookup") == 0) {
        st = with_lookup_args(p, display, open, &args, &maxd);
    } else if (st == PS_OK && p->tok.kind != T_RPAREN) {
        for (;;) {
            ps_expr *arg = NULL;
            int d = 0;
            if ((st = parse_or(p, &arg, &d)) != PS_OK)
                break;
            if (args_push(&args, arg) != 0) {
                ps_expr_free(arg);
                st = mdl_nomem(p);
                break;
            }
            if (d > maxd)
                maxd = d;
            if (p->tok.kind != T_COMMA)
                break;
            if ((st = mdl_next(p)) != PS_OK)
                break;
        }
    }
    leave(p);
    if (st != PS_OK)
        goto done;
    if (p->tok.kind != T_RPAREN) {
        snprintf(what, sizeof what,
                 "',' or ')' to close the call of %s opened at %d:%d",
                 display, open.line, open.column);
        st = mdl_expected(p, what);
        goto done;
    }
    if ((st = grow(p, maxd, 0, name->loc, depth)) != PS_OK ||
        (st = mdl_next(p)) != PS_OK)
        goto done;
    *out = ps_expr_call(text, strlen(text), args.v, args.n, name->loc);
    /* The node took the arguments (or freed them on failure). */
    args.n = 0;
    if (!*out)
        st = mdl_nomem(p);
done:
    args_free(&args);
    free(text);
    free(display);
    free(key);
    return st;
}

/* A name in an expression: a reference, or a call when '(' follows; a
   reference may carry subscripts, and so may a lookup call
   ("lk[A](x)"). */
static ps_status parse_name_use(mdl_parser *p, ps_expr **out, int *depth)
{
    *out = NULL;
    mdl_token name = p->tok;
    ps_subscripts subs = {0};
    ps_status st = mdl_next(p);
    if (st == PS_OK && p->tok.kind == T_LBRACKET)
        st = mdl_parse_subscripts(p, &subs, 1);
    if (st != PS_OK) {
        ps_subscripts_clear(&subs);
        return st;
    }
    if (p->tok.kind == T_LPAREN) {
        st = parse_call(p, &name, out, depth);
        if (st == PS_OK)
            (*out)->u.call.subs = subs;
        else
            ps_subscripts_clear(&subs);
        return st;
    }
    char *text = mdl_join_lines(p->lx.text, name.start, name.end);
    *out = text ? ps_expr_ref(text, strlen(text), name.loc) : NULL;
    free(text);
    *depth = 1;
    if (!*out) {
        ps_subscripts_clear(&subs);
        return mdl_nomem(p);
    }
    (*out)->u.ref.subs = subs;
    return PS_OK;
}

static ps_status primary(mdl_parser *p, ps_expr **out, int *depth)
{
    char what[96];
    ps_status st;
    *depth = 1;
    switch (p->tok.kind) {
    case T_NUMBER:
        if (!(*out = ps_expr_number(p->tok.number, p->tok.loc)))
            return mdl_nomem(p);
        return mdl_next(p);
    case T_KEYWORD:
        if (mdl_tok_is_keyword(&p->lx, &p->tok, "NA")) {
            if (!(*out = ps_expr_number(PS_NA, p->tok.loc)))
                return mdl_nomem(p);
            return mdl_next(p);
        }
        if (mdl_tok_is_keyword(&p->lx, &p->tok, "AND") ||
            mdl_tok_is_keyword(&p->lx, &p->tok, "OR") ||
            mdl_tok_is_keyword(&p->lx, &p->tok, "NOT"))
            return mdl_expected(p, "an expression");
        return mdl_refuse_keyword(p);
    case T_LPAREN: {
        ps_loc open = p->tok.loc;
        if ((st = enter(p)) != PS_OK)
            return st;
        st = mdl_next(p);
        if (st == PS_OK)
            st = parse_or(p, out, depth);
        leave(p);
        if (st != PS_OK)
            return st;
        if (p->tok.kind != T_RPAREN) {
            snprintf(what, sizeof what,
                     "')' to close the parenthesis opened at %d:%d",
                     open.line, open.column);
            return mdl_expected(p, what);
        }
        return mdl_next(p);
    }
    case T_NAME:
        return parse_name_use(p, out, depth);
    case T_STRING:
        if (!(*out = ps_expr_string(p->lx.text + p->tok.start + 1,
                                    p->tok.end - p->tok.start - 2,
                                    p->tok.loc)))
            return mdl_nomem(p);
        return mdl_next(p);
    default:
        return mdl_expected(p, "an expression");
    }
}

/* A number, :NA:, name, call or parenthesis; *out is NULL on failure. */
static ps_status parse_primary(mdl_parser *p, ps_expr **out, int *depth)
{
    *out = NULL;
    ps_status st = primary(p, out, depth);
    if (st != PS_OK) {
        ps_expr_free(*out);
        *out = NULL;
    }
    return st;
}

/* primary ('^' unary)? — the exponent recurses, so '^' groups right. */
static ps_status parse_power(mdl_parser *p, ps_expr **out, int *depth)
{
    ps_status st = parse_primary(p, out, depth);
    if (st != PS_OK || p->tok.kind != T_CARET)
        return st;
    ps_loc oploc = p->tok.loc;
    ps_expr *rhs = NULL;
    int rd = 0;
    if ((st = enter(p)) == PS_OK) {
        st = mdl_next(p);
        if (st == PS_OK)
            st = parse_unary(p, &rhs, &rd);
        leave(p);
    }
    if (st != PS_OK) {
        ps_expr_free(*out);
        *out = NULL;
        return st;
    }
    return combine(p, PS_OP_POW, out, depth, rhs, rd, oploc);
}

static ps_status parse_unary(mdl_parser *p, ps_expr **out, int *depth)
{
    *out = NULL;
    if (p->tok.kind != T_MINUS && p->tok.kind != T_PLUS)
        return parse_power(p, out, depth);
    ps_op op = p->tok.kind == T_MINUS ? PS_OP_NEG : PS_OP_POS;
    ps_loc loc = p->tok.loc;
    ps_expr *arg = NULL;
    int d = 0;
    ps_status st = enter(p);
    if (st != PS_OK)
        return st;
    st = mdl_next(p);
    if (st == PS_OK)
        st = parse_unary(p, &arg, &d);
    leave(p);
    if (st == PS_OK && (st = grow(p, d, 0, loc, depth)) != PS_OK)
        ps_expr_free(arg);
    if (st != PS_OK)
        return st;
    *out = ps_expr_unary(op, arg, loc);
    return *out ? PS_OK : mdl_nomem(p);
}

/* The binary operator of the current token at a left-associative level,
   or -1. */
enum level { LEVEL_OR, LEVEL_AND, LEVEL_ADD, LEVEL_MUL };

static int level_op(const mdl_parser *p, enum level level)
{
    mdl_tok k = p->tok.kind;
    switch (level) {
    case LEVEL_OR:
        return mdl_tok_is_keyword(&p->lx, &p->tok, "OR") ? PS_OP_OR : -1;
    case LEVEL_AND:
        return mdl_tok_is_keyword(&p->lx, &p->tok, "AND") ? PS_OP_AND : -1;
    case LEVEL_ADD:
        return k == T_PLUS ? PS_OP_ADD : k == T_MINUS ? PS_OP_SUB : -1;
    case LEVEL_MUL:
        return k == T_STAR ? PS_OP_MUL : k == T_SLASH ? PS_OP_DIV : -1;
    }
    return -1;
}

/* operand (op operand)* grouped to the left. */
static ps_status parse_chain(mdl_parser *p, enum level level,
                             parse_fn operand, ps_expr **out, int *depth)
{
    ps_status st = operand(p, out, depth);
    int op;
    while (st == PS_OK && (op = level_op(p, level)) >= 0) {
        ps_loc oploc = p->tok.loc;
        ps_expr *rhs = NULL;
        int rd = 0;
        if ((st = mdl_next(p)) != PS_OK ||
            (st = operand(p, &rhs, &rd)) != PS_OK)
            break;
        st = combine(p, (ps_op)op, out, depth, rhs, rd, oploc);
    }
    if (st != PS_OK) {
        ps_expr_free(*out);
        *out = NULL;
    }
    return st;
}

static ps_status parse_mul(mdl_parser *p, ps_expr **out, int *depth)
{
    return parse_chain(p, LEVEL_MUL, parse_unary, out, depth);
}

static ps_status parse_add(mdl_parser *p, ps_expr **out, int *depth)
{
    return parse_chain(p, LEVEL_ADD, parse_mul, out, depth);
}

static int compare_op(mdl_tok k)
{
    switch (k) {
    case T_LT: return PS_OP_LT;
    case T_LE: return PS_OP_LE;
    case T_GT: return PS_OP_GT;
    case T_GE: return PS_OP_GE;
    case T_EQ: return PS_OP_EQ;
    case T_NE: return PS_OP_NE;
    default: return -1;
    }
}

/* add (cmp add)? — a second comparison needs parentheses, since Vensim
   gives "a < b < c" no meaning. */
static ps_status parse_compare(mdl_parser *p, ps_expr **out, int *depth)
{
    ps_status st = parse_add(p, out, depth);
    int op = compare_op(p->tok.kind);
    if (st != PS_OK || op < 0)
        return st;
    ps_loc oploc = p->tok.loc;
    ps_expr *rhs = NULL;
    int rd = 0;
    if ((st = mdl_next(p)) != PS_OK || (st = parse_add(p, &rhs, &rd)) != PS_OK ||
        (st = combine(p, (ps_op)op, out, depth, rhs, rd, oploc)) != PS_OK)
        goto fail;
    if (compare_op(p->tok.kind) >= 0) {
        st = mdl_fail(p, PS_ERR_SYNTAX, p->tok.loc,
                      "comparisons cannot be chained: add parentheses");
        goto fail;
    }
    return PS_OK;
fail:
    ps_expr_free(*out);
    *out = NULL;
    return st;
}

static ps_status parse_not(mdl_parser *p, ps_expr **out, int *depth)
{
    *out = NULL;
    if (!mdl_tok_is_keyword(&p->lx, &p->tok, "NOT"))
        return parse_compare(p, out, depth);
    ps_loc loc = p->tok.loc;
    ps_expr *arg = NULL;
    int d = 0;
    ps_status st = enter(p);
    if (st != PS_OK)
        return st;
    st = mdl_next(p);
    if (st == PS_OK)
        st = parse_not(p, &arg, &d);
    leave(p);
    if (st == PS_OK && (st = grow(p, d, 0, loc, depth)) != PS_OK)
        ps_expr_free(arg);
    if (st != PS_OK)
        return st;
    *out = ps_expr_unary(PS_OP_NOT, arg, loc);
    return *out ? PS_OK : mdl_nomem(p);
}

static ps_status parse_and(mdl_parser *p, ps_expr **out, int *depth)
{
    return parse_chain(p, LEVEL_AND, parse_not, out, depth);
}

static ps_status parse_or(mdl_parser *p, ps_expr **out, int *depth)
{
    return parse_chain(p, LEVEL_OR, parse_and, out, depth);
}

ps_status mdl_parse_expr(mdl_parser *p, ps_expr **out)
{
    int depth = 0;
    *out = NULL;
    ps_status st = parse_or(p, out, &depth);
    if (st != PS_OK) {
        ps_expr_free(*out);
        *out = NULL;
    }
    return st;
}
