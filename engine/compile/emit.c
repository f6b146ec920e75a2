/*
 * Code generation: an expression tree becomes stack code for vm.c.  Names
 * are bound to slots here, so nothing is looked up while a model runs.
 */
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"

typedef struct emitter {
    ps_program *p;
    code_block *b;
    const eqn_set *set;
    ps_error *err;
    size_t depth; /* current operand stack depth */
} emitter;

static ps_status nomem(emitter *m)
{
    return ps_error_set(m->err, PS_ERR_NOMEM, m->set->path, 0, 0,
                        "out of memory while compiling");
}

/* Appends one instruction; `effect` is its change of stack depth. */
static ps_status put(emitter *m, opcode op, int32_t a, int effect)
{
    code_block *b = m->b;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        insn *code = realloc(b->code, cap * sizeof *code);
        if (!code)
            return nomem(m);
        b->code = code;
        b->cap = cap;
    }
    b->code[b->n++] = (insn){op, a};
    m->depth = (size_t)((long)m->depth + effect);
    if (m->depth > b->max_stack)
        b->max_stack = m->depth;
    return PS_OK;
}

static ps_status put_const(emitter *m, double x)
{
    ps_program *p = m->p;
    if (p->nconsts == p->consts_cap) {
        size_t cap = p->consts_cap ? 2 * p->consts_cap : 64;
        double *c = realloc(p->consts, cap * sizeof *c);
        if (!c)
            return nomem(m);
        p->consts = c;
        p->consts_cap = cap;
    }
    p->consts[p->nconsts] = x;
    return put(m, OP_CONST, (int32_t)p->nconsts++, +1);
}

/* Adds a copy of table t to the program; its id in *id. */
static ps_status add_table(emitter *m, const ps_table *t, size_t *id)
{
    ps_program *p = m->p;
    ps_table **tables = realloc(p->tables, (p->ntables + 1) * sizeof *tables);
    if (!tables)
        return nomem(m);
    p->tables = tables;
    p->tables[p->ntables] = ps_table_clone(t);
    if (!p->tables[p->ntables])
        return nomem(m);
    *id = p->ntables++;
    return PS_OK;
}

static ps_status error_at(emitter *m, const ps_expr *e, ps_status st,
                          const char *fmt, const char *what)
{
    return ps_error_set(m->err, st, m->set->path, e->loc.line, e->loc.column,
                        fmt, what);
}

static ps_status emit(emitter *m, const ps_expr *e);

/* The table a lookup builtin's first argument names (a lookup variable or
   a table literal). */
static ps_status lookup_table_of(emitter *m, const ps_expr *arg, size_t *id)
{
    if (arg->kind == PS_EXPR_TABLE)
        return add_table(m, arg->u.table, id);
    const char *key = arg->kind == PS_EXPR_REF ? arg->u.ref.key : NULL;
    size_t i = key ? eqn_set_find(m->set, key) : (size_t)-1;
    if (i == (size_t)-1 || m->set->eqns[i].kind != EQN_LOOKUP)
        return error_at(m, arg, PS_ERR_SEMANTIC,
                        "%s: expected the name of a lookup", "argument");
    *id = m->set->eqns[i].table_id;
    return PS_OK;
}

static ps_status emit_call(emitter *m, const ps_expr *e)
{
    ps_status st;
    size_t argc = e->u.call.argc;
    ps_expr *const *argv = e->u.call.argv;
    size_t target = eqn_set_find(m->set, e->u.call.key);
    if (target != (size_t)-1 && m->set->eqns[target].kind == EQN_LOOKUP) {
        if ((st = emit(m, argv[0])) != PS_OK)
            return st;
        return put(m, OP_LOOKUP, (int32_t)m->set->eqns[target].table_id, 0);
    }
    const builtin *b = builtin_find(e->u.call.key);
    if (!b) /* lower.c reports unknown functions first */
        return error_at(m, e, PS_ERR_SEMANTIC, "unknown function '%s'",
                        e->u.call.name);
    switch (b->cls) {
    case BI_LAZY: { /* IF THEN ELSE(c, a, b): only the chosen branch runs */
        if ((st = emit(m, argv[0])) != PS_OK ||
            (st = put(m, OP_JUMPF, 0, -1)) != PS_OK)
            return st;
        size_t jumpf = m->b->n - 1;
        if ((st = emit(m, argv[1])) != PS_OK ||
            (st = put(m, OP_JUMP, 0, -1)) != PS_OK)
            return st;
        size_t jump = m->b->n - 1;
        m->b->code[jumpf].a = (int32_t)m->b->n;
        if ((st = emit(m, argv[2])) != PS_OK)
            return st;
        m->b->code[jump].a = (int32_t)m->b->n;
        return PS_OK;
    }
    case BI_LOOKUP: {
        size_t id = 0;
        if ((st = lookup_table_of(m, argv[b->op == OP_LOOKUP ? 1 : 0], &id)) !=
            PS_OK)
            return st;
        if ((st = emit(m, argv[b->op == OP_LOOKUP ? 0 : 1])) != PS_OK)
            return st;
        return put(m, (opcode)b->op, (int32_t)id, 0);
    }
    case BI_PURE:
    case BI_TIMED:
    case BI_RANDOM: {
        for (size_t i = 0; i < argc; i++)
            if ((st = emit(m, argv[i])) != PS_OK)
                return st;
        if (!strcmp(b->key, "game"))
            return PS_OK; /* GAME(x) is x outside gaming runs */
        opcode op = (opcode)b->op;
        if (op == OP_RAMP2 && argc == 3)
            op = OP_RAMP3;
        int32_t a = 0;
        if (b->cls == BI_RANDOM)
            a = (int32_t)m->p->nrandom++;
        return put(m, op, a, 1 - (int)argc);
    }
    case BI_STATEFUL:
    case BI_UNSUPPORTED:
        break;
    }
    return error_at(m, e, PS_ERR_UNSUPPORTED,
                    "%s must be the whole right-hand side of its equation",
                    b->name);
}

static const opcode binary_ops[] = {
    [PS_OP_ADD] = OP_ADD, [PS_OP_SUB] = OP_SUB, [PS_OP_MUL] = OP_MUL,
    [PS_OP_DIV] = OP_DIV, [PS_OP_POW] = OP_POW, [PS_OP_LT] = OP_LT,
    [PS_OP_LE] = OP_LE,   [PS_OP_GT] = OP_GT,   [PS_OP_GE] = OP_GE,
    [PS_OP_EQ] = OP_EQ,   [PS_OP_NE] = OP_NE,   [PS_OP_AND] = OP_AND,
    [PS_OP_OR] = OP_OR,
};

static ps_status emit(emitter *m, const ps_expr *e)
{
    ps_status st;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        return put_const(m, e->u.number);
    case PS_EXPR_REF: {
        if (!strcmp(e->u.ref.key, "time"))
            return put(m, OP_LOAD, SLOT_TIME, +1);
        size_t i = eqn_set_find(m->set, e->u.ref.key);
        if (i == (size_t)-1)
            return error_at(m, e, PS_ERR_SEMANTIC, "unknown variable '%s'",
                            e->u.ref.name);
        if (m->set->eqns[i].kind == EQN_LOOKUP)
            return error_at(m, e, PS_ERR_SEMANTIC,
                            "lookup '%s' is used without an argument",
                            e->u.ref.name);
        return put(m, OP_LOAD, (int32_t)m->set->eqns[i].slot, +1);
    }
    case PS_EXPR_UNARY:
        if ((st = emit(m, e->u.unary.arg)) != PS_OK)
            return st;
        if (e->u.unary.op == PS_OP_NEG)
            return put(m, OP_NEG, 0, 0);
        if (e->u.unary.op == PS_OP_NOT)
            return put(m, OP_NOT, 0, 0);
        return PS_OK;
    case PS_EXPR_BINARY:
        if ((st = emit(m, e->u.binary.lhs)) != PS_OK ||
            (st = emit(m, e->u.binary.rhs)) != PS_OK)
            return st;
        return put(m, binary_ops[e->u.binary.op], 0, -1);
    case PS_EXPR_CALL:
        return emit_call(m, e);
    case PS_EXPR_TABLE:
        return error_at(m, e, PS_ERR_SEMANTIC, "%s",
                        "a lookup table can only be the second argument of "
                        "WITH LOOKUP");
    }
    return PS_OK;
}

ps_status emit_equation(ps_program *p, code_block *b, const eqn_set *set,
                        const ps_expr *e, size_t slot, ps_error *err)
{
    emitter m = {p, b, set, err, 0};
    ps_status st = emit(&m, e);
    if (st == PS_OK)
        st = put(&m, OP_STORE, (int32_t)slot, -1);
    if (st == PS_OK && b->max_stack > VM_STACK_MAX)
        st = ps_error_set(err, PS_ERR_UNSUPPORTED, set->path, e->loc.line,
                          e->loc.column,
                          "expression nested too deeply (more than %d "
                          "operands pending)",
                          VM_STACK_MAX);
    return st;
}

ps_status emit_end(code_block *b, ps_error *err)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        insn *code = realloc(b->code, cap * sizeof *code);
        if (!code)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                                "out of memory while compiling");
        b->code = code;
        b->cap = cap;
    }
    b->code[b->n++] = (insn){OP_END, 0};
    return PS_OK;
}
