/*
 * plansim units: inferring the units of an expression tree.
 *
 * Units are built from the inside out.  Once a sub-expression disagrees
 * it is reported and becomes UNKNOWN, so one mistake yields one issue.
 */
#include "units_impl.h"

#include <math.h>
#include <string.h>

int ps__units_join(const ps__units *a, const ps__units *b, ps__units *out)
{
    if (a->kind == PS__UNITS_KNOWN && b->kind == PS__UNITS_KNOWN) {
        if (ps__units_equal(a, b)) {
            *out = *a;
            return 0;
        }
        *out = ps__units_unknown();
        return -1;
    }
    if (a->kind == PS__UNITS_KNOWN)
        *out = *a;
    else if (b->kind == PS__UNITS_KNOWN)
        *out = *b;
    else if (a->kind == PS__UNITS_UNKNOWN || b->kind == PS__UNITS_UNKNOWN)
        *out = ps__units_unknown();
    else
        *out = ps__units_any();
    return 0;
}

const char *ps__units_show(const ps__units_checker *c, const ps__units *u,
                           char *buf)
{
    return ps__units_format(c->table, u, buf, PS__UNITS_TEXT);
}

int ps__units_const_value(const ps_expr *e, double *value)
{
    double a, b;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        *value = e->u.number;
        return 0;
    case PS_EXPR_UNARY:
        if (e->u.unary.op == PS_OP_NOT ||
            ps__units_const_value(e->u.unary.arg, &a) != 0)
            return -1;
        *value = e->u.unary.op == PS_OP_NEG ? -a : a;
        return 0;
    case PS_EXPR_BINARY:
        if (ps__units_const_value(e->u.binary.lhs, &a) != 0 ||
            ps__units_const_value(e->u.binary.rhs, &b) != 0)
            return -1;
        switch (e->u.binary.op) {
        case PS_OP_ADD: *value = a + b; break;
        case PS_OP_SUB: *value = a - b; break;
        case PS_OP_MUL: *value = a * b; break;
        case PS_OP_DIV: *value = a / b; break;
        case PS_OP_POW: *value = pow(a, b); break;
        default: return -1;
        }
        return isfinite(*value) ? 0 : -1;
    default:
        return -1;
    }
}

/* Reports two operands of `op` that differ.  Kept out of the recursive
   functions so that their frames stay small on deep trees. */
__attribute__((noinline)) static void
report_operands(ps__units_checker *c, ps_loc loc, ps_op op,
                const ps__units *a, const ps__units *b)
{
    char sa[PS__UNITS_TEXT], sb[PS__UNITS_TEXT];
    ps__units_issue(c, loc, "operands of '%s' differ: %s vs %s",
                    ps_op_text(op), ps__units_show(c, a, sa),
                    ps__units_show(c, b, sb));
}

__attribute__((noinline)) static void
report_exponent(ps__units_checker *c, ps_loc loc, const ps__units *exp)
{
    char ex[PS__UNITS_TEXT];
    ps__units_issue(c, loc, "exponent is %s, expected Dmnl",
                    ps__units_show(c, exp, ex));
}

/* a^b: b must be dimensionless; a constant b scales a's exponents. */
static ps__units infer_pow(ps__units_checker *c, const ps_expr *e)
{
    ps__units base = ps__units_infer(c, e->u.binary.lhs);
    ps__units exp = ps__units_infer(c, e->u.binary.rhs);
    if (exp.kind == PS__UNITS_KNOWN && !ps__units_is_dmnl(&exp)) {
        report_exponent(c, e->u.binary.rhs->loc, &exp);
        return ps__units_unknown();
    }
    double p;
    if (ps__units_const_value(e->u.binary.rhs, &p) == 0)
        return ps__units_pow(&base, p);
    /* A variable exponent (Cobb-Douglas' K^alpha) leaves only a
       dimensionless base with known units. */
    if (base.kind == PS__UNITS_KNOWN && !ps__units_is_dmnl(&base))
        return ps__units_unknown();
    return base;
}

static ps__units infer_binary(ps__units_checker *c, const ps_expr *e)
{
    ps_op op = e->u.binary.op;
    if (op == PS_OP_POW)
        return infer_pow(c, e);
    ps__units a = ps__units_infer(c, e->u.binary.lhs);
    ps__units b = ps__units_infer(c, e->u.binary.rhs);
    ps__units out;
    switch (op) {
    case PS_OP_MUL:
        return ps__units_mul(&a, &b);
    case PS_OP_DIV:
        return ps__units_div(&a, &b);
    case PS_OP_ADD:
    case PS_OP_SUB:
    case PS_OP_LT:
    case PS_OP_LE:
    case PS_OP_GT:
    case PS_OP_GE:
    case PS_OP_EQ:
    case PS_OP_NE:
        if (ps__units_join(&a, &b, &out) != 0)
            report_operands(c, e->loc, op, &a, &b);
        /* A comparison yields a condition, whatever it compares. */
        return op == PS_OP_ADD || op == PS_OP_SUB ? out : ps__units_dmnl();
    default: /* :AND:, :OR: take conditions and give one */
        return ps__units_dmnl();
    }
}

/* The units a reference stands for: the variable's units field. */
static ps__units infer_ref(ps__units_checker *c, const ps_expr *e)
{
    const ps_var *v = ps_model_find_key(c->model, e->u.ref.key);
    if (v)
        return c->declared[v - c->model->vars];
    /* Time is built in, unless the model defines a variable of that name. */
    if (strcmp(e->u.ref.key, "time") == 0)
        return c->time;
    /* A range or an element used as a number is a position: Dmnl. */
    for (size_t i = 0; i < c->model->ndims; i++) {
        const ps_dim *d = &c->model->dims[i];
        if (strcmp(d->key, e->u.ref.key) == 0)
            return ps__units_dmnl();
        for (size_t k = 0; k < d->elems.n; k++)
            if (strcmp(d->elems.v[k].key, e->u.ref.key) == 0)
                return ps__units_dmnl();
    }
    return ps__units_unknown(); /* undefined: the compiler reports it */
}

ps__units ps__units_infer(ps__units_checker *c, const ps_expr *e)
{
    if (!e)
        return ps__units_unknown();
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        return ps__units_any();
    case PS_EXPR_REF:
        return infer_ref(c, e);
    case PS_EXPR_CALL:
        return ps__units_infer_call(c, e);
    case PS_EXPR_UNARY: {
        ps__units u = ps__units_infer(c, e->u.unary.arg);
        return e->u.unary.op == PS_OP_NOT ? ps__units_dmnl() : u;
    }
    case PS_EXPR_BINARY:
        return infer_binary(c, e);
    case PS_EXPR_TABLE:
    default:
        /* A table literal's units are those of the variable it defines. */
        return ps__units_any();
    }
}
