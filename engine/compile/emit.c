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
    size_t depth;           /* current operand stack depth          */
    size_t node;            /* the equation being emitted           */
    const reduction *red;   /* the reduction in force, or NULL      */
    hoist *h;               /* step code: where run constants go    */
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

/* Room for n more program constants. */
static ps_status reserve_consts(emitter *m, size_t n)
{
    ps_program *p = m->p;
    while (p->nconsts + n > p->consts_cap) {
        size_t cap = p->consts_cap ? 2 * p->consts_cap : 64;
        double *c = realloc(p->consts, cap * sizeof *c);
        if (!c)
            return nomem(m);
        p->consts = c;
        p->consts_cap = cap;
    }
    return PS_OK;
}

static ps_status put_const(emitter *m, double x)
{
    ps_program *p = m->p;
    if (reserve_consts(m, 1) != PS_OK)
        return PS_ERR_NOMEM;
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

/* Appends n addresses to the program's address tables; their offset in
   *at. */
static ps_status put_atab(emitter *m, const size_t *addr, size_t n,
                          int32_t *at)
{
    ps_program *p = m->p;
    if (p->natab + n > p->atab_cap) {
        size_t cap = p->atab_cap ? p->atab_cap : 256;
        while (cap < p->natab + n)
            cap *= 2;
        int32_t *t = realloc(p->atab, cap * sizeof *t);
        if (!t)
            return nomem(m);
        p->atab = t;
        p->atab_cap = cap;
    }
    if (p->natab + n > INT32_MAX)
        return ps_error_set(m->err, PS_ERR_UNSUPPORTED, m->set->path, 0, 0,
                            "the model's arrays are too large");
    for (size_t i = 0; i < n; i++)
        p->atab[p->natab + i] = (int32_t)addr[i];
    *at = (int32_t)p->natab;
    p->natab += n;
    return PS_OK;
}

/* Emits the load (or store) of the addresses addr[0..n) over the
   iterations: one fixed slot, slot + lin, or an address table. */
static ps_status put_access(emitter *m, const size_t *addr, size_t n,
                            int store)
{
    int same = 1, run = 1;
    for (size_t i = 1; i < n; i++) {
        same &= addr[i] == addr[0];
        run &= addr[i] == addr[0] + i;
    }
    if (same && (n == 1 || !store))
        return put(m, store ? OP_STORE : OP_LOAD, (int32_t)addr[0],
                   store ? -1 : +1);
    if (run)
        return put(m, store ? OP_STORE_LIN : OP_LOAD_LIN, (int32_t)addr[0],
                   store ? -1 : +1);
    int32_t at;
    ps_status st = put_atab(m, addr, n, &at);
    if (st != PS_OK)
        return st;
    return put(m, store ? OP_STORE_TAB : OP_LOAD_TAB, at, store ? -1 : +1);
}

/* The elements of variable v that `e` reads at each iteration (and each
   reduced element): a new array of n * m entries (caller frees). */
static ps_status resolve(emitter *m, const cvar *v, const ps_expr *e,
                         size_t **out)
{
    const eqn *q = &m->set->eqns[m->node];
    size_t mm = m->red ? m->red->m : 1;
    *out = malloc((q->it.n * mm + 1) * sizeof **out);
    if (!*out)
        return nomem(m);
    ps_status st = subs_resolve(m->set, q, v, ps_expr_csubs(e), e->loc, m->red,
                                *out, m->err);
    if (st != PS_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

static ps_status error_at(emitter *m, const ps_expr *e, ps_status st,
                          const char *fmt, const char *what)
{
    return ps_error_set(m->err, st, m->set->path, e->loc.line, e->loc.column,
                        fmt, what);
}

static ps_status emit(emitter *m, const ps_expr *e);

/* The table of lookup variable v that `e` (a reference or call naming
   it) selects at each iteration: one table in *id, or, when it varies,
   the tables in an address table selected into the table register by an
   OP_SELECT_TABLE emitted later (*id = TABLE_FROM_REGISTER and *select
   set to the table's offset). */
static ps_status table_of_var(emitter *m, const cvar *v, const ps_expr *e,
                              int32_t *id, int32_t *select)
{
    if (m->red)
        return error_at(m, e, PS_ERR_UNSUPPORTED,
                        "lookup '%s' inside SUM, PROD, VMIN or VMAX is not "
                        "supported",
                        v->name);
    size_t *flat;
    ps_status st = resolve(m, v, e, &flat);
    if (st != PS_OK)
        return st;
    size_t n = m->set->eqns[m->node].it.n;
    int same = 1;
    for (size_t i = 0; i < n; i++) {
        flat[i] += v->table_id;
        same &= flat[i] == flat[0];
    }
    *select = -1;
    if (same)
        *id = (int32_t)flat[0];
    else {
        *id = TABLE_FROM_REGISTER;
        st = put_atab(m, flat, n, select);
    }
    free(flat);
    return st;
}

/* The table a lookup builtin's first argument names (a lookup variable or
   a table literal). */
static ps_status lookup_table_of(emitter *m, const ps_expr *arg, int32_t *id,
                                 int32_t *select)
{
    *select = -1;
    if (arg->kind == PS_EXPR_TABLE) {
        size_t t = 0;
        ps_status st = add_table(m, arg->u.table, &t);
        *id = (int32_t)t;
        return st;
    }
    const char *key = arg->kind == PS_EXPR_REF ? arg->u.ref.key : NULL;
    size_t i = key ? eqn_set_find(m->set, key) : (size_t)-1;
    if (i == (size_t)-1 || m->set->eqns[i].kind != EQN_LOOKUP)
        return error_at(m, arg, PS_ERR_SEMANTIC,
                        "%s: expected the name of a lookup", "argument");
    return table_of_var(m, &m->set->vars[m->set->eqns[i].var], arg, id,
                        select);
}

/* Emits a lookup opcode whose table is `id`, selecting it first when it
   varies over the iterations. */
static ps_status put_lookup(emitter *m, opcode op, int32_t id, int32_t select)
{
    if (id == TABLE_FROM_REGISTER) {
        ps_status st = put(m, OP_SELECT_TABLE, select, 0);
        if (st != PS_OK)
            return st;
    }
    return put(m, op, id, 0);
}

/* SUM, PROD, VMIN, VMAX(arg): a loop over the ranges written with '!'. */
static ps_status emit_reduce(emitter *m, const ps_expr *e, const builtin *b)
{
    if (m->red)
        return error_at(m, e, PS_ERR_UNSUPPORTED,
                        "%s inside another SUM, PROD, VMIN or VMAX is not "
                        "supported",
                        b->name);
    reduction red;
    ps_status st = subs_reduction(m->set, e->u.call.argv[0], &red, m->err);
    if (st != PS_OK)
        return st;
    if (red.ndims == 0)
        return error_at(m, e, PS_ERR_SEMANTIC,
                        "%s needs a range written with '!' in its argument, "
                        "such as SUM(x[d!])",
                        b->name);
    if (red.m > (1u << 28))
        return error_at(m, e, PS_ERR_UNSUPPORTED, "%s runs over too many "
                        "elements", b->name);
    if ((st = put(m, OP_RED_BEGIN, (int32_t)(red.m * 4 + (size_t)b->op), +1)) !=
        PS_OK)
        return st;
    size_t start = m->b->n;
    m->red = &red;
    st = emit(m, e->u.call.argv[0]);
    m->red = NULL;
    if (st != PS_OK)
        return st;
    return put(m, OP_RED_NEXT, (int32_t)(start * 4 + (size_t)b->op), -1);
}

/* A range used as a number: the position of the element each iteration
   binds. */
static ps_status emit_range_value(emitter *m, const ps_expr *e, size_t dim)
{
    const eqn *q = &m->set->eqns[m->node];
    ps_program *p = m->p;
    if (reserve_consts(m, q->it.n) != PS_OK)
        return PS_ERR_NOMEM;
    ps_status st = subs_range_values(m->set, q, dim, e->loc,
                                     p->consts + p->nconsts, m->err);
    if (st != PS_OK)
        return st;
    int32_t at = (int32_t)p->nconsts;
    p->nconsts += q->it.n;
    return put(m, q->it.n > 1 ? OP_CONST_LIN : OP_CONST, at, +1);
}

/* ------------------------------------------------------------ vectors */

/* The table of a vector function's argument `arg`: its last nv
   subscripts run over the whole vector (see subs_resolve_vector). */
static ps_status vector_arg(emitter *m, const ps_expr *arg, size_t nv,
                            size_t last_count, int32_t *tab, size_t *mm,
                            const cvar **var)
{
    size_t i = arg->kind == PS_EXPR_REF ? eqn_set_find(m->set, arg->u.ref.key)
                                        : (size_t)-1;
    if (i == (size_t)-1 || m->set->eqns[i].kind == EQN_LOOKUP)
        return error_at(m, arg, PS_ERR_SEMANTIC,
                        "%s: expected a subscripted variable",
                        "vector argument");
    const cvar *v = &m->set->vars[m->set->eqns[i].var];
    if (var)
        *var = v;
    size_t n = m->set->eqns[m->node].it.n;
    size_t *flat = malloc(n * VEC_MAX * sizeof *flat);
    if (!flat)
        return nomem(m);
    ps_status st = subs_resolve_vector(m->set, &m->set->eqns[m->node], v,
                                       &arg->u.ref.subs, arg->loc, nv,
                                       last_count, flat, mm, m->err);
    for (size_t k = 0; st == PS_OK && k < n * *mm; k++)
        flat[k] += v->slot;
    if (st == PS_OK)
        st = put_atab(m, flat, n * *mm, tab);
    free(flat);
    return st;
}

/* The two arrays of VECTOR SELECT, over the ranges written with '!' in
   either. */
static ps_status select_args(emitter *m, const ps_expr *sel,
                             const ps_expr *x, vec_op *op)
{
    reduction red, more;
    ps_status st = subs_reduction(m->set, sel, &red, m->err);
    if (st == PS_OK)
        st = subs_reduction(m->set, x, &more, m->err);
    for (size_t k = 0; st == PS_OK && k < more.ndims; k++) {
        int seen = 0;
        for (size_t q = 0; q < red.ndims; q++)
            seen |= red.dim[q] == more.dim[k];
        if (!seen && red.ndims < MAX_DIMS) {
            red.dim[red.ndims++] = more.dim[k];
            red.m *= m->set->dims[more.dim[k]].n;
        }
    }
    if (st != PS_OK)
        return st;
    if (red.m > VEC_MAX)
        return error_at(m, sel, PS_ERR_UNSUPPORTED,
                        "%s selects over too many elements", "VECTOR SELECT");
    const ps_expr *args[2] = {sel, x};
    m->red = &red;
    for (int a = 0; a < 2 && st == PS_OK; a++) {
        const ps_expr *e = args[a];
        size_t i = e->kind == PS_EXPR_REF ? eqn_set_find(m->set, e->u.ref.key)
                                          : (size_t)-1;
        if (i == (size_t)-1 || m->set->eqns[i].kind == EQN_LOOKUP) {
            st = error_at(m, e, PS_ERR_SEMANTIC,
                          "%s: expected a subscripted variable",
                          "VECTOR SELECT argument");
            break;
        }
        const cvar *v = &m->set->vars[m->set->eqns[i].var];
        size_t *flat;
        if ((st = resolve(m, v, e, &flat)) != PS_OK)
            break;
        size_t n = m->set->eqns[m->node].it.n * red.m;
        for (size_t k = 0; k < n; k++)
            flat[k] += v->slot;
        st = put_atab(m, flat, n, &op->tab[a]);
        free(flat);
    }
    m->red = NULL;
    op->m = red.m;
    return st;
}

/* VECTOR SELECT/SORT ORDER/RANK/REORDER/ELM MAP, INVERT MATRIX and the
   ALLOCATE functions: their vectors as address tables, their other
   arguments on the stack, and one OP_VECTOR. */
static ps_status emit_vector(emitter *m, const ps_expr *e, const builtin *b)
{
    if (m->red)
        return error_at(m, e, PS_ERR_UNSUPPORTED,
                        "%s inside SUM, PROD, VMIN or VMAX is not supported",
                        b->name);
    ps_expr *const *argv = e->u.call.argv;
    vec_op op;
    memset(&op, 0, sizeof op);
    op.kind = (vector_kind)b->op;
    op.tab[0] = op.tab[1] = op.pos = -1;
    size_t first_scalar = 1, m2 = 0, from_end = 1;
    const cvar *v = NULL;
    ps_status st = PS_OK;
    switch (op.kind) {
    case VEC_SORT_ORDER:
    case VEC_RANK:
    case VEC_REORDER:
        st = vector_arg(m, argv[0], 1, 0, &op.tab[0], &op.m, NULL);
        break;
    case VEC_INVERT:
        st = vector_arg(m, argv[0], 2, 0, &op.tab[0], &op.m, &v);
        if (st == PS_OK) {
            op.n = v->len[v->ndims - 1];
            if (op.n * op.n != op.m)
                st = error_at(m, argv[0], PS_ERR_SEMANTIC,
                              "%s: the matrix is not square", "INVERT MATRIX");
        }
        from_end = 2;
        break;
    case VEC_ALLOCATE_AVAILABLE:
        st = vector_arg(m, argv[0], 1, 0, &op.tab[0], &op.m, NULL);
        if (st == PS_OK)
            st = vector_arg(m, argv[1], 2, 4, &op.tab[1], &m2, NULL);
        if (st == PS_OK && m2 != 4 * op.m)
            st = error_at(m, argv[1], PS_ERR_SEMANTIC,
                          "%s: the priority profiles must hold 4 values per "
                          "request",
                          "ALLOCATE AVAILABLE");
        first_scalar = 2;
        break;
    case VEC_ALLOCATE_BY_PRIORITY:
        st = vector_arg(m, argv[0], 1, 0, &op.tab[0], &op.m, NULL);
        if (st == PS_OK)
            st = vector_arg(m, argv[1], 1, 0, &op.tab[1], &m2, NULL);
        if (st == PS_OK && m2 != op.m)
            st = error_at(m, argv[1], PS_ERR_SEMANTIC,
                          "%s: priorities and requests differ in length",
                          "ALLOCATE BY PRIORITY");
        first_scalar = 2;
        break;
    case VEC_SELECT:
        st = select_args(m, argv[0], argv[1], &op);
        first_scalar = 2;
        break;
    case VEC_ELM_MAP: {
        size_t i = argv[0]->kind == PS_EXPR_REF
                       ? eqn_set_find(m->set, argv[0]->u.ref.key)
                       : (size_t)-1;
        if (i == (size_t)-1 || m->set->eqns[i].kind == EQN_LOOKUP)
            return error_at(m, argv[0], PS_ERR_SEMANTIC,
                            "%s: expected a subscripted variable",
                            "VECTOR ELM MAP");
        v = &m->set->vars[m->set->eqns[i].var];
        size_t *flat;
        if ((st = resolve(m, v, argv[0], &flat)) != PS_OK)
            return st;
        size_t n = m->set->eqns[m->node].it.n;
        for (size_t k = 0; k < n; k++)
            flat[k] += v->slot;
        st = put_atab(m, flat, n, &op.tab[0]);
        free(flat);
        op.lo = v->slot;
        op.hi = v->slot + v->size;
        break;
    }
    }
    if (st != PS_OK)
        return st;
    if (op.kind != VEC_SELECT && op.kind != VEC_ELM_MAP &&
        op.kind != VEC_REORDER) {
        size_t n = m->set->eqns[m->node].it.n;
        size_t *pos = calloc(n + 1, sizeof *pos);
        size_t *col = calloc(n + 1, sizeof *col);
        if (!pos || !col) {
            free(pos);
            free(col);
            return nomem(m);
        }
        subs_lhs_positions(m->set, &m->set->eqns[m->node], from_end, pos);
        if (from_end == 2) { /* a matrix cell: row * n + column */
            subs_lhs_positions(m->set, &m->set->eqns[m->node], 1, col);
            for (size_t i = 0; i < n; i++)
                pos[i] = pos[i] * op.n + col[i];
        }
        st = put_atab(m, pos, n, &op.pos);
        free(pos);
        free(col);
        if (st != PS_OK)
            return st;
    }
    size_t argc = e->u.call.argc;
    for (size_t k = first_scalar; k < argc; k++)
        if ((st = emit(m, argv[k])) != PS_OK)
            return st;
    ps_program *p = m->p;
    vec_op *ops = realloc(p->vecops, (p->nvecops + 1) * sizeof *ops);
    if (!ops)
        return nomem(m);
    p->vecops = ops;
    p->vecops[p->nvecops] = op;
    return put(m, OP_VECTOR, (int32_t)p->nvecops++,
               1 - (int)(argc - first_scalar));
}

static ps_status emit_elmcount(emitter *m, const ps_expr *e)
{
    const ps_expr *a = e->u.call.argv[0];
    size_t d = a->kind == PS_EXPR_REF && a->u.ref.subs.n == 0
                   ? subs_dim_find(m->set, a->u.ref.key)
                   : (size_t)-1;
    if (d == (size_t)-1)
        return error_at(m, a, PS_ERR_SEMANTIC,
                        "%s: ELMCOUNT takes the name of a range", "argument");
    return put_const(m, (double)m->set->dims[d].n);
}

static ps_status emit_call(emitter *m, const ps_expr *e)
{
    ps_status st;
    size_t argc = e->u.call.argc;
    ps_expr *const *argv = e->u.call.argv;
    size_t target = eqn_set_find(m->set, e->u.call.key);
    if (target != (size_t)-1 && m->set->eqns[target].kind == EQN_LOOKUP) {
        int32_t id, select;
        if ((st = table_of_var(m, &m->set->vars[m->set->eqns[target].var], e,
                               &id, &select)) != PS_OK ||
            (st = emit(m, argv[0])) != PS_OK)
            return st;
        return put_lookup(m, OP_LOOKUP, id, select);
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
        int32_t id = 0, select = -1;
        if ((st = lookup_table_of(m, argv[b->op == OP_LOOKUP ? 1 : 0], &id,
                                  &select)) != PS_OK)
            return st;
        if ((st = emit(m, argv[b->op == OP_LOOKUP ? 0 : 1])) != PS_OK)
            return st;
        return put_lookup(m, (opcode)b->op, id, select);
    }
    case BI_REDUCE:
        return emit_reduce(m, e, b);
    case BI_VECTOR:
        return emit_vector(m, e, b);
    case BI_RANGE:
        return emit_elmcount(m, e);
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

/* Opcodes whose result depends on their operands only. */
static int pure_opcode(int32_t op)
{
    return op == OP_CONST || (op >= OP_NEG && op <= OP_XIDZ);
}

/*
 * Constant folding: when the code emitted for an expression from `start`
 * on reads only constants through pure operations (no slot, no time, no
 * draw, no lookup, no jump), runs it once now, on the interpreter itself,
 * and replaces it with its value.  The value is the one each run would
 * compute, bit for bit (the same operations in the same order), so
 * native code and the interpreter agree with unfolded code.
 */
static ps_status fold_constants(emitter *m, size_t start)
{
    code_block *b = m->b;
    size_t n = b->n - start;
    if (n < 2)
        return PS_OK; /* nothing to fold, or one constant already */
    for (size_t i = start; i < b->n; i++)
        if (!pure_opcode(b->code[i].op))
            return PS_OK;
    insn *code = malloc((n + 2) * sizeof *code);
    if (!code)
        return nomem(m);
    memcpy(code, b->code + start, n * sizeof *code);
    code[n] = (insn){OP_STORE, 0};
    code[n + 1] = (insn){OP_END, 0};
    code_block once = {.code = code, .n = n + 2, .cap = n + 2};
    vm_context ctx = {.dt = 1, .consts = m->p->consts};
    double value = 0;
    vm_run(&once, 0, &value, &ctx);
    free(code);
    b->n = start;
    m->depth--;
    return put_const(m, value);
}

/* Appends one instruction to block b (no stack accounting). */
static int append_insn(code_block *b, insn in)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        insn *code = realloc(b->code, cap * sizeof *code);
        if (!code)
            return -1;
        b->code = code;
        b->cap = cap;
    }
    b->code[b->n++] = in;
    return 0;
}

/* A new slot for a hoisted value, named after the equation it serves. */
static ps_status new_slot(emitter *m, size_t *slot)
{
    ps_program *p = m->p;
    char **names = realloc(p->slot_names, (p->nslots + 1) * sizeof *names);
    if (!names)
        return nomem(m);
    p->slot_names = names;
    const char *owner = m->set->eqns[m->node].name;
    size_t n = strlen(owner) + 32;
    names[p->nslots] = malloc(n);
    if (!names[p->nslots])
        return nomem(m);
    snprintf(names[p->nslots], n, "%s (run constant)", owner);
    *slot = p->nslots++;
    return PS_OK;
}

/*
 * Hoisting: when the code emitted from `start` on computes something from
 * constants and slots fixed for the whole run through pure operations,
 * moves it to m->h (run once at the end of start-up, into a new slot) and
 * leaves a load of that slot.  The value is computed by the same
 * operations on the same operands, so it is the same, bit for bit.
 */
static ps_status hoist_run_constant(emitter *m, size_t start)
{
    code_block *b = m->b;
    size_t loads = 0;
    if (!m->h || b->n - start < 2)
        return PS_OK;
    for (size_t i = start; i < b->n; i++) {
        insn in = b->code[i];
        if (in.op == OP_LOAD &&
            ((size_t)in.a >= m->h->nfixed || m->h->fixed[in.a]))
            loads++;
        else if (!pure_opcode(in.op))
            return PS_OK;
    }
    if (!loads)
        return PS_OK;
    size_t slot = 0;
    ps_status st = new_slot(m, &slot);
    if (st != PS_OK)
        return st;
    for (size_t i = start; i < b->n; i++)
        if (append_insn(&m->h->code, b->code[i]) != 0)
            return nomem(m);
    if (append_insn(&m->h->code, (insn){OP_STORE, (int32_t)slot}) != 0)
        return nomem(m);
    if (b->max_stack > m->h->code.max_stack)
        m->h->code.max_stack = b->max_stack;
    b->n = start;
    m->depth--;
    return put(m, OP_LOAD, (int32_t)slot, +1);
}

ps_status emit_append(code_block *dst, const code_block *src, ps_error *err)
{
    for (size_t i = 0; i < src->n; i++)
        if (append_insn(dst, src->code[i]) != 0)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                                "out of memory while compiling");
    if (src->max_stack > dst->max_stack)
        dst->max_stack = src->max_stack;
    return PS_OK;
}

static const opcode binary_ops[] = {
    [PS_OP_ADD] = OP_ADD, [PS_OP_SUB] = OP_SUB, [PS_OP_MUL] = OP_MUL,
    [PS_OP_DIV] = OP_DIV, [PS_OP_POW] = OP_POW, [PS_OP_LT] = OP_LT,
    [PS_OP_LE] = OP_LE,   [PS_OP_GT] = OP_GT,   [PS_OP_GE] = OP_GE,
    [PS_OP_EQ] = OP_EQ,   [PS_OP_NE] = OP_NE,   [PS_OP_AND] = OP_AND,
    [PS_OP_OR] = OP_OR,
};

static ps_status emit_tree(emitter *m, const ps_expr *e);

static ps_status emit(emitter *m, const ps_expr *e)
{
    size_t start = m->b->n;
    ps_status st = emit_tree(m, e);
    if (st == PS_OK && (e->kind == PS_EXPR_UNARY || e->kind == PS_EXPR_BINARY ||
                        e->kind == PS_EXPR_CALL))
        st = fold_constants(m, start);
    if (st == PS_OK && (e->kind == PS_EXPR_UNARY || e->kind == PS_EXPR_BINARY ||
                        e->kind == PS_EXPR_CALL))
        st = hoist_run_constant(m, start);
    return st;
}

static ps_status emit_tree(emitter *m, const ps_expr *e)
{
    ps_status st;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        return put_const(m, e->u.number);
    case PS_EXPR_REF: {
        if (!strcmp(e->u.ref.key, "time"))
            return put(m, OP_LOAD, SLOT_TIME, +1);
        size_t i = eqn_set_find(m->set, e->u.ref.key);
        size_t dim = subs_dim_find(m->set, e->u.ref.key);
        if (i == (size_t)-1 && dim != (size_t)-1 && e->u.ref.subs.n == 0 &&
            !m->red)
            return emit_range_value(m, e, dim);
        size_t elem = i == (size_t)-1 && dim == (size_t)-1
                          ? subs_elem_find(m->set, e->u.ref.key)
                          : (size_t)-1;
        if (elem != (size_t)-1 && e->u.ref.subs.n == 0) {
            /* an element used as a number: its position */
            cdim one = {.n = 1, .elem = &elem};
            size_t root = subs_root(m->set, &one);
            return put_const(m, (double)(subs_pos(&m->set->dims[root], elem) + 1));
        }
        if (i == (size_t)-1)
            return error_at(m, e, PS_ERR_SEMANTIC, "unknown variable '%s'",
                            e->u.ref.name);
        if (m->set->eqns[i].kind == EQN_LOOKUP)
            return error_at(m, e, PS_ERR_SEMANTIC,
                            "lookup '%s' is used without an argument",
                            e->u.ref.name);
        const cvar *v = &m->set->vars[m->set->eqns[i].var];
        size_t *flat;
        if ((st = resolve(m, v, e, &flat)) != PS_OK)
            return st;
        size_t n = m->set->eqns[m->node].it.n * (m->red ? m->red->m : 1);
        for (size_t k = 0; k < n; k++)
            flat[k] += v->slot;
        if (m->red) {
            int32_t at;
            st = put_atab(m, flat, n, &at);
            free(flat);
            return st != PS_OK ? st : put(m, OP_LOAD_RTAB, at, +1);
        }
        st = put_access(m, flat, n, 0);
        free(flat);
        return st;
    }
    case PS_EXPR_UNARY:
        if ((st = emit(m, e->u.unary.arg)) != PS_OK)
            return st;
        if (e->u.unary.op == PS_OP_NEG)
            return put(m, OP_NEG, 0, 0);
        if (e->u.unary.op == PS_OP_NOT)
            return put(m, OP_NOT, 0, 0);
        return PS_OK;
    case PS_EXPR_BINARY: {
        if ((st = emit(m, e->u.binary.lhs)) != PS_OK ||
            (st = emit(m, e->u.binary.rhs)) != PS_OK)
            return st;
        /* an element of an array read by + - * /: one instruction */
        static const opcode fused[] = {[PS_OP_ADD] = OP_ADD_LIN,
                                       [PS_OP_SUB] = OP_SUB_LIN,
                                       [PS_OP_MUL] = OP_MUL_LIN,
                                       [PS_OP_DIV] = OP_DIV_LIN};
        ps_op op = e->u.binary.op;
        insn *last = &m->b->code[m->b->n - 1];
        if (e->u.binary.rhs->kind == PS_EXPR_REF && last->op == OP_LOAD_LIN &&
            (op == PS_OP_ADD || op == PS_OP_SUB || op == PS_OP_MUL ||
             op == PS_OP_DIV)) {
            last->op = fused[op];
            m->depth--;
            return PS_OK;
        }
        return put(m, binary_ops[op], 0, -1);
    }
    case PS_EXPR_CALL:
        return emit_call(m, e);
    case PS_EXPR_TABLE:
        return error_at(m, e, PS_ERR_SEMANTIC, "%s",
                        "a lookup table can only be the second argument of "
                        "WITH LOOKUP");
    case PS_EXPR_STRING:
        return error_at(m, e, PS_ERR_SEMANTIC,
                        "text '%s' is not a value: only external data "
                        "functions take text arguments",
                        e->u.string);
    }
    return PS_OK;
}

/* The constant list of equation q as consecutive program constants. */
static ps_status emit_values(emitter *m, const eqn *q)
{
    ps_program *p = m->p;
    if (q->it.n == 1)
        return put_const(m, q->values[0]);
    if (reserve_consts(m, q->it.n) != PS_OK)
        return PS_ERR_NOMEM;
    memcpy(p->consts + p->nconsts, q->values, q->it.n * sizeof *q->values);
    int32_t at = (int32_t)p->nconsts;
    p->nconsts += q->it.n;
    return put(m, OP_CONST_LIN, at, +1);
}

ps_status emit_node(ps_program *p, code_block *b, const eqn_set *set,
                    size_t node, const ps_expr *e, size_t base, hoist *h,
                    ps_error *err)
{
    emitter m = {p, b, set, err, 0, node, NULL, h};
    const eqn *q = &set->eqns[node];
    size_t n = q->it.n;
    ps_status st = PS_OK;
    size_t start = 0;
    if (n > 1) {
        if (n > INT32_MAX)
            return ps_error_set(err, PS_ERR_UNSUPPORTED, set->path,
                                q->loc.line, q->loc.column,
                                "'%s' has too many elements", q->name);
        st = put(&m, OP_LOOP_BEGIN, (int32_t)n, 0);
        start = b->n;
    }
    if (st == PS_OK)
        st = e ? emit(&m, e) : emit_values(&m, q);
    if (st == PS_OK) {
        size_t *addr = calloc(n + 1, sizeof *addr);
        if (!addr)
            return nomem(&m);
        for (size_t i = 0; i < n; i++)
            addr[i] = base + q->it.flat[i];
        st = put_access(&m, addr, n, 1);
        free(addr);
    }
    /* a loop ends with its store: fused with the jump back */
    if (st == PS_OK && n > 1) {
        insn *last = &b->code[b->n - 1];
        if (last->op == OP_STORE_LIN)
            last->op = OP_STORE_LIN_NEXT;
        else if (last->op == OP_STORE_TAB)
            last->op = OP_STORE_TAB_NEXT;
        else
            st = put(&m, OP_LOOP_NEXT, (int32_t)start, 0);
    }
    if (st == PS_OK && b->max_stack > VM_STACK_MAX) {
        ps_loc at = e ? e->loc : q->loc;
        st = ps_error_set(err, PS_ERR_UNSUPPORTED, set->path, at.line,
                          at.column,
                          "expression nested too deeply (more than %d "
                          "operands pending)",
                          VM_STACK_MAX);
    }
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
