/*
 * Start-up evaluation of a tree, straight from the equations, for the few
 * values the compiler needs before any code exists: the order of DELAY N
 * and SMOOTH N, which fixes how many hidden stocks there are.
 */
#include <math.h>
#include <string.h>

#include "compile_impl.h"
#include "plansim/fn.h"

typedef struct ceval {
    const eqn_set *set;
    ps_error *err;
    int depth;
} ceval;

static ps_status eval(ceval *c, const ps_expr *e, double *out);

static ps_status unknown(ceval *c, const ps_expr *e, const char *what)
{
    return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path, e->loc.line,
                        e->loc.column,
                        "the order of a delay or smooth must be known at the "
                        "start of the run; %s is not",
                        what);
}

static ps_status eval_key(ceval *c, const ps_expr *at, const char *key,
                          double *out)
{
    size_t i = eqn_set_find(c->set, key);
    if (i == (size_t)-1)
        return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path,
                            at->loc.line, at->loc.column,
                            "unknown variable '%s'", at->u.ref.name);
    const eqn *q = &c->set->eqns[i];
    if (q->kind == EQN_LOOKUP)
        return unknown(c, at, "a lookup used as a value");
    const ps_expr *e = eqn_startup_expr(q);
    if (!e)
        return unknown(c, at, q->name);
    if (++c->depth > 200)
        return ps_error_set(c->err, PS_ERR_CYCLE, c->set->path, at->loc.line,
                            at->loc.column,
                            "initial values form a loop through '%s'", q->name);
    ps_status st = eval(c, e, out);
    c->depth--;
    return st;
}

static ps_status eval_call(ceval *c, const ps_expr *e, double *out)
{
    double a[6] = {0};
    size_t n = e->u.call.argc;
    const char *k = e->u.call.key;
    size_t target = eqn_set_find(c->set, k);
    if (target != (size_t)-1 && c->set->eqns[target].kind == EQN_LOOKUP) {
        ps_status st = eval(c, e->u.call.argv[0], &a[0]);
        if (st == PS_OK)
            *out = ps_fn_lookup(c->set->eqns[target].table, a[0]);
        return st;
    }
    if (!strcmp(k, "if_then_else") && n == 3) {
        ps_status st = eval(c, e->u.call.argv[0], &a[0]);
        if (st != PS_OK)
            return st;
        return eval(c, e->u.call.argv[a[0] != 0 ? 1 : 2], out);
    }
    if (n > 6)
        return unknown(c, e, e->u.call.name);
    for (size_t i = 0; i < n; i++) {
        ps_status st = eval(c, e->u.call.argv[i], &a[i]);
        if (st != PS_OK)
            return st;
    }
    double t = 0, dt = 1;
    if (eqn_set_find(c->set, "initial_time") != (size_t)-1)
        eval_key(c, e, "initial_time", &t);
    if (eqn_set_find(c->set, "time_step") != (size_t)-1)
        eval_key(c, e, "time_step", &dt);
    if (!strcmp(k, "abs")) *out = fabs(a[0]);
    else if (!strcmp(k, "min")) *out = ps_fn_min(a[0], a[1]);
    else if (!strcmp(k, "max")) *out = ps_fn_max(a[0], a[1]);
    else if (!strcmp(k, "integer")) *out = ps_fn_integer(a[0]);
    else if (!strcmp(k, "exp")) *out = exp(a[0]);
    else if (!strcmp(k, "ln")) *out = log(a[0]);
    else if (!strcmp(k, "sqrt")) *out = sqrt(a[0]);
    else if (!strcmp(k, "power")) *out = ps_fn_power(a[0], a[1]);
    else if (!strcmp(k, "modulo")) *out = ps_fn_modulo(a[0], a[1]);
    else if (!strcmp(k, "quantum")) *out = ps_fn_quantum(a[0], a[1]);
    else if (!strcmp(k, "xidz")) *out = ps_fn_xidz(a[0], a[1], a[2]);
    else if (!strcmp(k, "zidz")) *out = ps_fn_zidz(a[0], a[1]);
    else if (!strcmp(k, "game")) *out = a[0];
    else if (!strcmp(k, "step")) *out = ps_fn_step(a[0], a[1], t, dt);
    else if (!strcmp(k, "ramp"))
        *out = ps_fn_ramp(a[0], a[1], n > 2 ? a[2] : INFINITY, t, dt);
    else if (!strcmp(k, "pulse")) *out = ps_fn_pulse(a[0], a[1], t, dt);
    else
        return unknown(c, e, e->u.call.name);
    return PS_OK;
}

static ps_status eval(ceval *c, const ps_expr *e, double *out)
{
    double x, y;
    ps_status st;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        *out = e->u.number;
        return PS_OK;
    case PS_EXPR_REF:
        if (!strcmp(e->u.ref.key, "time")) {
            if (eqn_set_find(c->set, "initial_time") == (size_t)-1) {
                *out = 0;
                return PS_OK;
            }
            return eval_key(c, e, "initial_time", out);
        }
        return eval_key(c, e, e->u.ref.key, out);
    case PS_EXPR_UNARY:
        if ((st = eval(c, e->u.unary.arg, &x)) != PS_OK)
            return st;
        *out = e->u.unary.op == PS_OP_NEG ? -x
             : e->u.unary.op == PS_OP_NOT ? (x == 0)
                                          : x;
        return PS_OK;
    case PS_EXPR_BINARY:
        if ((st = eval(c, e->u.binary.lhs, &x)) != PS_OK ||
            (st = eval(c, e->u.binary.rhs, &y)) != PS_OK)
            return st;
        switch (e->u.binary.op) {
        case PS_OP_ADD: *out = x + y; break;
        case PS_OP_SUB: *out = x - y; break;
        case PS_OP_MUL: *out = x * y; break;
        case PS_OP_DIV: *out = x / y; break;
        case PS_OP_POW: *out = ps_fn_power(x, y); break;
        case PS_OP_LT: *out = x < y; break;
        case PS_OP_LE: *out = x <= y; break;
        case PS_OP_GT: *out = x > y; break;
        case PS_OP_GE: *out = x >= y; break;
        case PS_OP_EQ: *out = x == y; break;
        case PS_OP_NE: *out = x != y; break;
        case PS_OP_AND: *out = x != 0 && y != 0; break;
        case PS_OP_OR: *out = x != 0 || y != 0; break;
        default: return unknown(c, e, "this operator");
        }
        return PS_OK;
    case PS_EXPR_CALL:
        return eval_call(c, e, out);
    case PS_EXPR_TABLE:
        return unknown(c, e, "a lookup table");
    case PS_EXPR_STRING:
        return unknown(c, e, "a text");
    }
    return unknown(c, e, "this expression");
}

ps_status const_eval(const eqn_set *set, const ps_expr *e, double *out,
                     ps_error *err)
{
    ceval c = {set, err, 0};
    return eval(&c, e, out);
}
