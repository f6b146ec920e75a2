/*
 * Expression trees: constructors that own their arguments, deep copy, free,
 * lookup tables and operator spellings.
 */
#include "plansim/expr.h"

#include <stdlib.h>
#include <string.h>

#include "plansim/grow.h"
#include "plansim/names.h"

/* A zeroed node of `kind`, or NULL when memory runs out. */
static ps_expr *node_new(ps_expr_kind kind, ps_loc loc)
{
    ps_expr *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->kind = kind;
    e->loc = loc;
    return e;
}

/* Display form and canonical key of name[0..len); 0, or -1 on no memory
   (then nothing is allocated). */
static int name_pair(const char *name, size_t len, char **display, char **key)
{
    *display = ps_name_display(name, len);
    *key = ps_name_key(name, len);
    if (*display && *key)
        return 0;
    free(*display);
    free(*key);
    *display = *key = NULL;
    return -1;
}

ps_expr *ps_expr_number(double value, ps_loc loc)
{
    ps_expr *e = node_new(PS_EXPR_NUMBER, loc);
    if (e)
        e->u.number = value;
    return e;
}

ps_expr *ps_expr_ref(const char *name, size_t len, ps_loc loc)
{
    if (!name)
        return NULL;
    ps_expr *e = node_new(PS_EXPR_REF, loc);
    if (!e)
        return NULL;
    if (name_pair(name, len, &e->u.ref.name, &e->u.ref.key) != 0) {
        free(e);
        return NULL;
    }
    return e;
}

/* Frees argv[0..argc) (not the array). */
static void free_args(ps_expr **argv, size_t argc)
{
    for (size_t i = 0; argv && i < argc; i++)
        ps_expr_free(argv[i]);
}

ps_expr *ps_expr_call(const char *name, size_t len, ps_expr **argv,
                      size_t argc, ps_loc loc)
{
    ps_expr *e = NULL;
    if (!name || (argc > 0 && !argv))
        goto fail;
    for (size_t i = 0; i < argc; i++)
        if (!argv[i])
            goto fail;
    e = node_new(PS_EXPR_CALL, loc);
    if (!e)
        goto fail;
    if (name_pair(name, len, &e->u.call.name, &e->u.call.key) != 0)
        goto fail;
    if (argc > 0) {
        e->u.call.argv = malloc(argc * sizeof *e->u.call.argv);
        if (!e->u.call.argv)
            goto fail;
        memcpy(e->u.call.argv, argv, argc * sizeof *argv);
        e->u.call.argc = argc;
    }
    return e;
fail:
    free_args(argv, argc);
    if (e) {
        free(e->u.call.name);
        free(e->u.call.key);
        free(e);
    }
    return NULL;
}

ps_expr *ps_expr_unary(ps_op op, ps_expr *arg, ps_loc loc)
{
    ps_expr *e = arg ? node_new(PS_EXPR_UNARY, loc) : NULL;
    if (!e) {
        ps_expr_free(arg);
        return NULL;
    }
    e->u.unary.op = op;
    e->u.unary.arg = arg;
    return e;
}

ps_expr *ps_expr_binary(ps_op op, ps_expr *lhs, ps_expr *rhs, ps_loc loc)
{
    ps_expr *e = lhs && rhs ? node_new(PS_EXPR_BINARY, loc) : NULL;
    if (!e) {
        ps_expr_free(lhs);
        ps_expr_free(rhs);
        return NULL;
    }
    e->u.binary.op = op;
    e->u.binary.lhs = lhs;
    e->u.binary.rhs = rhs;
    return e;
}

ps_expr *ps_expr_table(ps_table *table, ps_loc loc)
{
    ps_expr *e = table ? node_new(PS_EXPR_TABLE, loc) : NULL;
    if (!e) {
        ps_table_free(table);
        return NULL;
    }
    e->u.table = table;
    return e;
}

int ps_subscripts_push(ps_subscripts *subs, const char *name, size_t len,
                       ps_loc loc, int bang)
{
    ps_subscript *v = ps_grow(subs->v, subs->n, sizeof *v);
    if (!v)
        return -1;
    subs->v = v;
    ps_subscript *s = &v[subs->n];
    if (name_pair(name, len, &s->name, &s->key) != 0)
        return -1;
    s->loc = loc;
    s->bang = bang;
    subs->n++;
    return 0;
}

int ps_subscripts_copy(ps_subscripts *to, const ps_subscripts *from)
{
    to->v = NULL;
    to->n = 0;
    for (size_t i = 0; from && i < from->n; i++) {
        const ps_subscript *s = &from->v[i];
        if (ps_subscripts_push(to, s->key, strlen(s->key), s->loc, s->bang)) {
            ps_subscripts_clear(to);
            return -1;
        }
        /* keep the display form as written */
        char *d = strdup(s->name);
        if (!d) {
            ps_subscripts_clear(to);
            return -1;
        }
        free(to->v[i].name);
        to->v[i].name = d;
    }
    return 0;
}

void ps_subscripts_clear(ps_subscripts *subs)
{
    if (!subs)
        return;
    for (size_t i = 0; i < subs->n; i++) {
        free(subs->v[i].name);
        free(subs->v[i].key);
    }
    free(subs->v);
    subs->v = NULL;
    subs->n = 0;
}

ps_subscripts *ps_expr_subs(ps_expr *e)
{
    if (e && e->kind == PS_EXPR_REF)
        return &e->u.ref.subs;
    if (e && e->kind == PS_EXPR_CALL)
        return &e->u.call.subs;
    return NULL;
}

const ps_subscripts *ps_expr_csubs(const ps_expr *e)
{
    return ps_expr_subs((ps_expr *)e);
}

ps_expr *ps_expr_string(const char *text, size_t len, ps_loc loc)
{
    ps_expr *e = node_new(PS_EXPR_STRING, loc);
    if (!e)
        return NULL;
    e->u.string = strndup(text, len);
    if (!e->u.string) {
        free(e);
        return NULL;
    }
    return e;
}

/* A copy of s (NULL for NULL); clears *ok when the copy fails. */
static char *dup_or_null(const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *ok = 0;
    return d;
}

ps_expr *ps_expr_clone(const ps_expr *e)
{
    if (!e)
        return NULL;
    ps_expr *c = node_new(e->kind, e->loc);
    if (!c)
        return NULL;
    int ok = 1;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        c->u.number = e->u.number;
        break;
    case PS_EXPR_REF:
        c->u.ref.name = dup_or_null(e->u.ref.name, &ok);
        c->u.ref.key = dup_or_null(e->u.ref.key, &ok);
        if (ok && ps_subscripts_copy(&c->u.ref.subs, &e->u.ref.subs))
            ok = 0;
        break;
    case PS_EXPR_CALL:
        c->u.call.name = dup_or_null(e->u.call.name, &ok);
        c->u.call.key = dup_or_null(e->u.call.key, &ok);
        if (ok && ps_subscripts_copy(&c->u.call.subs, &e->u.call.subs))
            ok = 0;
        if (ok && e->u.call.argc > 0) {
            c->u.call.argv = calloc(e->u.call.argc, sizeof *c->u.call.argv);
            if (!c->u.call.argv) {
                ok = 0;
                break;
            }
            /* argc is set first so a partial copy frees cleanly. */
            c->u.call.argc = e->u.call.argc;
            for (size_t i = 0; ok && i < e->u.call.argc; i++) {
                c->u.call.argv[i] = ps_expr_clone(e->u.call.argv[i]);
                ok = c->u.call.argv[i] != NULL;
            }
        }
        break;
    case PS_EXPR_UNARY:
        c->u.unary.op = e->u.unary.op;
        c->u.unary.arg = ps_expr_clone(e->u.unary.arg);
        ok = c->u.unary.arg != NULL;
        break;
    case PS_EXPR_BINARY:
        c->u.binary.op = e->u.binary.op;
        c->u.binary.lhs = ps_expr_clone(e->u.binary.lhs);
        c->u.binary.rhs = ps_expr_clone(e->u.binary.rhs);
        ok = c->u.binary.lhs && c->u.binary.rhs;
        break;
    case PS_EXPR_TABLE:
        c->u.table = ps_table_clone(e->u.table);
        ok = c->u.table != NULL;
        break;
    case PS_EXPR_STRING:
        c->u.string = dup_or_null(e->u.string, &ok);
        break;
    }
    if (!ok) {
        ps_expr_free(c);
        return NULL;
    }
    return c;
}

void ps_expr_free(ps_expr *e)
{
    /* Left operands are followed by the loop rather than by recursion, so
       long chains such as a+b+c+...+z free in constant stack. */
    while (e) {
        ps_expr *next = NULL;
        switch (e->kind) {
        case PS_EXPR_NUMBER:
            break;
        case PS_EXPR_REF:
            free(e->u.ref.name);
            free(e->u.ref.key);
            ps_subscripts_clear(&e->u.ref.subs);
            break;
        case PS_EXPR_CALL:
            free(e->u.call.name);
            free(e->u.call.key);
            free_args(e->u.call.argv, e->u.call.argc);
            free(e->u.call.argv);
            ps_subscripts_clear(&e->u.call.subs);
            break;
        case PS_EXPR_UNARY:
            next = e->u.unary.arg;
            break;
        case PS_EXPR_BINARY:
            ps_expr_free(e->u.binary.rhs);
            next = e->u.binary.lhs;
            break;
        case PS_EXPR_TABLE:
            ps_table_free(e->u.table);
            break;
        case PS_EXPR_STRING:
            free(e->u.string);
            break;
        }
        free(e);
        e = next;
    }
}

ps_table *ps_table_new(void)
{
    return calloc(1, sizeof(ps_table));
}

int ps_table_push(ps_table *t, double x, double y)
{
    if (!t)
        return -1;
    /* Grown one point at a time: tables are short, and keeping no hidden
       capacity lets callers build or copy a ps_table by hand. */
    size_t n = t->n;
    double *nx = realloc(t->x, (n + 1) * sizeof *nx);
    if (!nx)
        return -1;
    t->x = nx;
    double *ny = realloc(t->y, (n + 1) * sizeof *ny);
    if (!ny)
        return -1;
    t->y = ny;
    t->x[n] = x;
    t->y[n] = y;
    t->n = n + 1;
    return 0;
}

ps_table *ps_table_clone(const ps_table *t)
{
    if (!t)
        return NULL;
    ps_table *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    *c = *t;
    c->x = c->y = NULL;
    if (t->n > 0) {
        c->x = malloc(t->n * sizeof *c->x);
        c->y = malloc(t->n * sizeof *c->y);
        if (!c->x || !c->y) {
            ps_table_free(c);
            return NULL;
        }
        memcpy(c->x, t->x, t->n * sizeof *c->x);
        memcpy(c->y, t->y, t->n * sizeof *c->y);
    }
    return c;
}

void ps_table_free(ps_table *t)
{
    if (!t)
        return;
    free(t->x);
    free(t->y);
    free(t);
}

const char *ps_op_text(ps_op op)
{
    switch (op) {
    case PS_OP_NEG:
    case PS_OP_SUB:
        return "-";
    case PS_OP_POS:
    case PS_OP_ADD:
        return "+";
    case PS_OP_NOT:
        return ":NOT:";
    case PS_OP_MUL:
        return "*";
    case PS_OP_DIV:
        return "/";
    case PS_OP_POW:
        return "^";
    case PS_OP_LT:
        return "<";
    case PS_OP_LE:
        return "<=";
    case PS_OP_GT:
        return ">";
    case PS_OP_GE:
        return ">=";
    case PS_OP_EQ:
        return "=";
    case PS_OP_NE:
        return "<>";
    case PS_OP_AND:
        return ":AND:";
    case PS_OP_OR:
        return ":OR:";
    }
    return "?";
}
