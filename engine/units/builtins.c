/*
 * plansim units: what each builtin function asks of its arguments and
 * what units it gives (Vensim's rules, see units.h).
 */
#include "units_impl.h"

#include <string.h>

typedef enum result_rule {
    R_SAME,     /* the agreed units of the 'S' arguments                  */
    R_DMNL,     /* dimensionless                                          */
    R_RAMP,     /* slope * time                                           */
    R_PER_TIME, /* 1/time (TREND)                                         */
    R_SQRT,     /* argument^(1/2)                                         */
    R_POWER,    /* POWER(a, b) = a^b                                      */
    R_QUOTIENT, /* XIDZ(a, b, x), ZIDZ(a, b): a/b (x must agree)          */
    R_LOOKUP,   /* the lookup variable's units (first argument)           */
    R_UNKNOWN,  /* nothing to say (LOOKUP INVERT gives the table's x)     */
    R_ANY,      /* WITH LOOKUP: whatever the variable defines             */
    R_INTEG     /* INTEG(rate, initial): initial's units; rate per time   */
} result_rule;

/*
 * One builtin, by canonical key.  `args` gives each argument's role;
 * arguments beyond it are checked inside only ('X'):
 *   S  joins the group whose agreed units are R_SAME's result
 *   D  must be dimensionless
 *   T  must be in the time unit
 *   P  must be per time unit (1/time)
 *   L  names a lookup variable (not an expression)
 *   Y  must have the units of the 'L' lookup (its output)
 *   C  a condition; X  anything (both still checked inside)
 */
typedef struct builtin {
    const char *key;
    const char *args;
    result_rule result;
} builtin;

static const builtin builtins[] = {
    {"abs", "S", R_SAME},
    {"active_initial", "SS", R_SAME},
    {"allocate_available", "SXS", R_SAME},
    {"allocate_by_priority", "SXDXS", R_SAME},
    {"arccos", "D", R_DMNL},
    {"arcsin", "D", R_DMNL},
    {"arctan", "D", R_DMNL},
    {"cos", "D", R_DMNL},
    {"cosh", "D", R_DMNL},
    {"delay1", "ST", R_SAME},
    {"delay1i", "STS", R_SAME},
    {"delay3", "ST", R_SAME},
    {"delay3i", "STS", R_SAME},
    {"delay_fixed", "STS", R_SAME},
    {"delay_n", "STSD", R_SAME},
    {"elmcount", "X", R_DMNL},
    {"exp", "D", R_DMNL},
    {"forecast", "STT", R_SAME},
    {"game", "S", R_SAME},
    {"gamma_ln", "D", R_DMNL},
    {"get_time_value", "DSD", R_SAME},
    {"if_then_else", "CSS", R_SAME},
    {"initial", "S", R_SAME},
    {"integ", "XX", R_INTEG},
    {"integer", "S", R_SAME},
    {"invert_matrix", "XD", R_UNKNOWN},
    {"ln", "D", R_DMNL},
    {"log", "DD", R_DMNL},
    {"lookup_backward", "LX", R_LOOKUP},
    {"lookup_extrapolate", "LX", R_LOOKUP},
    {"lookup_forward", "LX", R_LOOKUP},
    {"lookup_invert", "LY", R_UNKNOWN},
    {"max", "SS", R_SAME},
    {"min", "SS", R_SAME},
    {"modulo", "SS", R_SAME},
    {"power", "XD", R_POWER},
    {"prod", "X", R_UNKNOWN},
    {"pulse", "TT", R_DMNL},
    {"pulse_train", "TTTT", R_DMNL},
    {"quantum", "SS", R_SAME},
    {"ramp", "STT", R_RAMP},
    {"random_0_1", "", R_DMNL},
    {"random_exponential", "SSSSX", R_SAME},
    {"random_normal", "SSSSX", R_SAME},
    {"random_triangular", "SSSSSX", R_SAME},
    {"random_uniform", "SSX", R_SAME},
    {"sample_if_true", "CSS", R_SAME},
    {"sin", "D", R_DMNL},
    {"sinh", "D", R_DMNL},
    {"smooth", "ST", R_SAME},
    {"smooth3", "ST", R_SAME},
    {"smooth3i", "STS", R_SAME},
    {"smooth_n", "STSD", R_SAME},
    {"smoothi", "STS", R_SAME},
    {"sqrt", "X", R_SQRT},
    {"step", "ST", R_SAME},
    {"sum", "S", R_SAME},
    {"tan", "D", R_DMNL},
    {"tanh", "D", R_DMNL},
    {"trend", "XTP", R_PER_TIME},
    {"vector_elm_map", "SD", R_SAME},
    {"vector_rank", "XD", R_DMNL},
    {"vector_reorder", "SD", R_SAME},
    {"vector_select", "DSSDD", R_SAME},
    {"vector_sort_order", "XD", R_DMNL},
    {"vmax", "S", R_SAME},
    {"vmin", "S", R_SAME},
    {"with_lookup", "XX", R_ANY},
    {"xidz", "XXX", R_QUOTIENT},
    {"zidz", "XX", R_QUOTIENT},
};

static const builtin *find_builtin(const char *key)
{
    size_t n = sizeof builtins / sizeof builtins[0];
    for (size_t i = 0; i < n; i++)
        if (strcmp(builtins[i].key, key) == 0)
            return &builtins[i];
    return NULL;
}

/* The lookup variable `e` names, or NULL. */
static const ps_var *lookup_named(const ps__units_checker *c,
                                  const ps_expr *e)
{
    if (e->kind != PS_EXPR_REF)
        return NULL;
    const ps_var *v = ps_model_find_key(c->model, e->u.ref.key);
    return v && v->kind == PS_VAR_LOOKUP ? v : NULL;
}

static const ps__units *declared(const ps__units_checker *c, const ps_var *v)
{
    return &c->declared[v - c->model->vars];
}

/* Reports argument i of `call` when u and `want` are both KNOWN and
   differ; `note` explains `want` (may be ""). */
__attribute__((noinline)) static void
expect(ps__units_checker *c, const ps_expr *call, size_t i,
       const ps__units *u, const ps__units *want, const char *note)
{
    if (u->kind != PS__UNITS_KNOWN || want->kind != PS__UNITS_KNOWN ||
        ps__units_equal(u, want))
        return;
    char su[PS__UNITS_TEXT], sw[PS__UNITS_TEXT];
    ps__units_issue(c, call->u.call.argv[i]->loc,
                    "argument %zu of %s is %s, expected %s%s", i + 1,
                    call->u.call.name, ps__units_show(c, u, su),
                    ps__units_show(c, want, sw), note);
}

/* Reports an 'S' argument that disagrees with the ones before it. */
__attribute__((noinline)) static void
report_group(ps__units_checker *c, const ps_expr *call, const ps_expr *arg,
             const ps__units *group, const ps__units *u)
{
    char sg[PS__UNITS_TEXT], su[PS__UNITS_TEXT];
    int branches = strcmp(call->u.call.key, "if_then_else") == 0;
    ps__units_issue(c, arg->loc, "%s of %s differ: %s vs %s",
                    branches ? "branches" : "arguments", call->u.call.name,
                    ps__units_show(c, group, sg), ps__units_show(c, u, su));
}

/* The units of a call of a lookup variable: its output units.  The
   argument is not compared with anything: tables carry no x units. */
static ps__units call_lookup(ps__units_checker *c, const ps_expr *e,
                             const ps_var *v)
{
    for (size_t i = 0; i < e->u.call.argc; i++)
        ps__units_infer(c, e->u.call.argv[i]);
    return *declared(c, v);
}

/* The result of a builtin once its arguments are checked. */
static ps__units result_of(ps__units_checker *c, const ps_expr *e,
                           const builtin *b, const ps__units *group,
                           const ps__units *arg, const ps_var *table)
{
    size_t argc = e->u.call.argc;
    ps__units dmnl = ps__units_dmnl(), out;
    double p;
    switch (b->result) {
    case R_SAME:
        return *group;
    case R_DMNL:
        return dmnl;
    case R_RAMP:
        /* A bare-number slope says nothing about the result. */
        if (group->kind == PS__UNITS_ANY)
            return *group;
        return ps__units_mul(group, &c->time);
    case R_PER_TIME:
        return ps__units_div(&dmnl, &c->time);
    case R_SQRT:
        return argc >= 1 ? ps__units_pow(&arg[0], 0.5) : ps__units_unknown();
    case R_POWER:
        if (argc < 2)
            return ps__units_unknown();
        if (ps__units_const_value(e->u.call.argv[1], &p) == 0)
            return ps__units_pow(&arg[0], p);
        if (arg[0].kind == PS__UNITS_KNOWN && !ps__units_is_dmnl(&arg[0]))
            return ps__units_unknown();
        return arg[0];
    case R_QUOTIENT:
        if (argc < 2)
            return ps__units_unknown();
        out = ps__units_div(&arg[0], &arg[1]);
        if (argc >= 3) {
            expect(c, e, 2, &arg[2], &out, " (first argument / second)");
            ps__units joined;
            ps__units_join(&out, &arg[2], &joined);
            out = joined;
        }
        return out;
    case R_LOOKUP:
        return table ? *declared(c, table) : ps__units_unknown();
    case R_ANY:
        return ps__units_any();
    case R_INTEG:
        if (argc < 2)
            return ps__units_unknown();
        out = ps__units_div(&arg[1], &c->time);
        expect(c, e, 0, &arg[0], &out, " (initial value per time unit)");
        return arg[1];
    case R_UNKNOWN:
    default:
        return ps__units_unknown();
    }
}

ps__units ps__units_infer_call(ps__units_checker *c, const ps_expr *e)
{
    const ps_var *v = ps_model_find_key(c->model, e->u.call.key);
    if (v && v->kind == PS_VAR_LOOKUP)
        return call_lookup(c, e, v);
    const builtin *b = find_builtin(e->u.call.key);
    if (!b) {
        for (size_t i = 0; i < e->u.call.argc; i++)
            ps__units_infer(c, e->u.call.argv[i]);
        return ps__units_unknown();
    }

    size_t nroles = strlen(b->args);
    ps__units arg[3] = {ps__units_unknown(), ps__units_unknown(),
                        ps__units_unknown()};
    ps__units group = ps__units_any();
    int group_failed = 0;
    const ps_var *table = NULL;
    ps__units dmnl = ps__units_dmnl(), per_time;
    per_time = ps__units_div(&dmnl, &c->time);

    for (size_t i = 0; i < e->u.call.argc; i++) {
        const ps_expr *a = e->u.call.argv[i];
        char role = i < nroles ? b->args[i] : 'X';
        if (role == 'L' && (table = lookup_named(c, a)) != NULL)
            continue;
        ps__units u = ps__units_infer(c, a);
        if (i < 3)
            arg[i] = u;
        switch (role) {
        case 'S': {
            ps__units joined;
            if (group_failed)
                break;
            if (ps__units_join(&group, &u, &joined) != 0) {
                report_group(c, e, a, &group, &u);
                group_failed = 1;
            }
            group = joined;
            break;
        }
        case 'D':
            expect(c, e, i, &u, &dmnl, "");
            break;
        case 'T':
            expect(c, e, i, &u, &c->time, " (the time unit)");
            break;
        case 'P':
            expect(c, e, i, &u, &per_time, " (per time unit)");
            break;
        case 'Y':
            if (table)
                expect(c, e, i, &u, declared(c, table),
                       " (the lookup's output units)");
            break;
        default: /* C, X, and an L that names no lookup */
            break;
        }
    }
    return result_of(c, e, b, &group, arg, table);
}
