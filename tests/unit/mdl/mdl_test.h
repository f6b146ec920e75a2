/*
 * Helpers shared by the .mdl reader tests (include after cmocka.h):
 * parse text expecting success or a located error, print a tree as text,
 * and evaluate a tree of numbers.
 */
#ifndef PLANSIM_MDL_TEST_H
#define PLANSIM_MDL_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plansim/mdl.h"

/* Parses `text` (named "test.mdl"), failing the test with the reader's
   message when it does not succeed. */
static inline ps_model *parse_ok(const char *text)
{
    ps_model *m = NULL;
    ps_error err;
    ps_status st = ps_mdl_parse(text, strlen(text), "test.mdl", &m, &err);
    if (st != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the model to parse");
    }
    assert_non_null(m);
    return m;
}

/* Parses `text` expecting `status` at line:column with `fragment` in the
   message; returns nothing, fails the test otherwise. */
static inline void assert_parse_error(const char *text, ps_status status,
                                      int line, int column,
                                      const char *fragment)
{
    ps_model *m = (ps_model *)1;
    ps_error err;
    ps_status st = ps_mdl_parse(text, strlen(text), "test.mdl", &m, &err);
    if (st != status || err.line != line || err.column != column ||
        (fragment && !strstr(err.message, fragment))) {
        ps_error_print(stderr, &err);
        fail_msg("expected %s at %d:%d containing \"%s\", got %s at %d:%d",
                 ps_status_name(status), line, column,
                 fragment ? fragment : "", ps_status_name(st), err.line,
                 err.column);
    }
    assert_null(m);
    assert_int_equal(err.status, status);
    assert_string_equal(err.file, "test.mdl");
}

/* Appends the fully parenthesised text of `e` to buf[0..size). */
static inline void expr_text(const ps_expr *e, char *buf, size_t size)
{
    size_t n = strlen(buf);
    char *o = buf + n;
    size_t room = size - n;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        snprintf(o, room, "%.17g", e->u.number);
        break;
    case PS_EXPR_REF:
        snprintf(o, room, "%s", e->u.ref.key);
        break;
    case PS_EXPR_STRING:
        snprintf(o, room, "'%s'", e->u.string);
        break;
    case PS_EXPR_CALL:
        snprintf(o, room, "%s(", e->u.call.key);
        for (size_t i = 0; i < e->u.call.argc; i++) {
            if (i > 0)
                strncat(buf, ",", size - strlen(buf) - 1);
            expr_text(e->u.call.argv[i], buf, size);
        }
        strncat(buf, ")", size - strlen(buf) - 1);
        break;
    case PS_EXPR_UNARY:
        snprintf(o, room, "(%s", ps_op_text(e->u.unary.op));
        expr_text(e->u.unary.arg, buf, size);
        strncat(buf, ")", size - strlen(buf) - 1);
        break;
    case PS_EXPR_BINARY:
        snprintf(o, room, "(");
        expr_text(e->u.binary.lhs, buf, size);
        strncat(buf, ps_op_text(e->u.binary.op), size - strlen(buf) - 1);
        expr_text(e->u.binary.rhs, buf, size);
        strncat(buf, ")", size - strlen(buf) - 1);
        break;
    case PS_EXPR_TABLE:
        snprintf(o, room, "table[%zu]", e->u.table->n);
        break;
    }
}

/* Evaluates a tree of numbers and operators (logical results are 0/1). */
static inline double eval(const ps_expr *e)
{
    double a, b;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        return e->u.number;
    case PS_EXPR_UNARY:
        a = eval(e->u.unary.arg);
        return e->u.unary.op == PS_OP_NEG   ? -a
               : e->u.unary.op == PS_OP_NOT ? (a == 0)
                                            : a;
    case PS_EXPR_BINARY:
        a = eval(e->u.binary.lhs);
        b = eval(e->u.binary.rhs);
        switch (e->u.binary.op) {
        case PS_OP_ADD: return a + b;
        case PS_OP_SUB: return a - b;
        case PS_OP_MUL: return a * b;
        case PS_OP_DIV: return a / b;
        case PS_OP_POW: return pow(a, b);
        case PS_OP_LT: return a < b;
        case PS_OP_LE: return a <= b;
        case PS_OP_GT: return a > b;
        case PS_OP_GE: return a >= b;
        case PS_OP_EQ: return a == b;
        case PS_OP_NE: return a != b;
        case PS_OP_AND: return a != 0 && b != 0;
        case PS_OP_OR: return a != 0 || b != 0;
        default: break;
        }
        break;
    default:
        break;
    }
    fail_msg("cannot evaluate this node");
    return NAN;
}

#endif
