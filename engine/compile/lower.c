/*
 * Lowering: one equation per model variable, and the stateful builtins
 * (SMOOTH*, DELAY*, TREND, FORECAST, SAMPLE IF TRUE, INITIAL) expanded into
 * hidden equations, so that everything after this pass sees only stocks,
 * auxiliaries and a few kinds of held state.
 *
 * The expansions follow Vensim's definitions (and PySD's reading of them):
 *   SMOOTH(in, T)       S' = (in - S)/T, S0 = in;        value S
 *   SMOOTH3(in, T)      three SMOOTHs in cascade, each T/3; value S3
 *   SMOOTH N(in,T,i,n)  n stages of T/n
 *   DELAY1(in, T)       S' = in - S/T, S0 = i*T;         value S/T
 *   DELAY3              3 stages of T/3 (material conserved)
 *   DELAY N             n stages, each draining with the delay time of
 *                       an earlier step (see delay_n below); at most one
 *                       stage per whole TIME STEP of the delay time
 *   DELAY FIXED         a ring buffer of round(T0/dt) steps (T0 = T at
 *                       start; half a step rounds up)
 *   TREND(in, T, i0)    S' = (in - S)/T, S0 = in/(1 + i0*T);
 *                       value ZIDZ(in - S, T*ABS(S))
 *   FORECAST(in, T, h)  in * (1 + TREND(in, T, 0) * h)
 *   SAMPLE IF TRUE(c, in, i)  value = IF c THEN in ELSE held; held0 = i
 *   INITIAL(x)          x evaluated once at start-up
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"
#include "plansim/names.h"

/* ------------------------------------------------------- tree building */

static ps_expr *node(ps_expr_kind kind, ps_loc loc)
{
    ps_expr *e = calloc(1, sizeof *e);
    if (e) {
        e->kind = kind;
        e->loc = loc;
    }
    return e;
}

static ps_expr *num(double x, ps_loc loc)
{
    ps_expr *e = node(PS_EXPR_NUMBER, loc);
    if (e)
        e->u.number = x;
    return e;
}

/* A reference to equation `key`; the key is copied. */
static ps_expr *ref(const eqn_set *set, size_t i, ps_loc loc)
{
    ps_expr *e = node(PS_EXPR_REF, loc);
    if (!e)
        return NULL;
    e->u.ref.key = strdup(set->eqns[i].key);
    e->u.ref.name = strdup(set->eqns[i].name);
    if (!e->u.ref.key || !e->u.ref.name) {
        ps_expr_free(e);
        return NULL;
    }
    return e;
}

/* A binary node owning a and b (freed on failure). */
static ps_expr *bin(ps_op op, ps_expr *a, ps_expr *b, ps_loc loc)
{
    if (!a || !b) {
        ps_expr_free(a);
        ps_expr_free(b);
        return NULL;
    }
    ps_expr *e = node(PS_EXPR_BINARY, loc);
    if (!e) {
        ps_expr_free(a);
        ps_expr_free(b);
        return NULL;
    }
    e->u.binary.op = op;
    e->u.binary.lhs = a;
    e->u.binary.rhs = b;
    return e;
}

/* A call of builtin `key` owning its argc arguments (freed on failure). */
static ps_expr *call(const char *key, ps_expr **args, size_t argc,
                     ps_loc loc)
{
    int ok = 1;
    for (size_t i = 0; i < argc; i++)
        ok = ok && args[i];
    ps_expr *e = ok ? node(PS_EXPR_CALL, loc) : NULL;
    if (e) {
        e->u.call.key = strdup(key);
        e->u.call.name = strdup(builtin_find(key)->name);
        e->u.call.argv = calloc(argc, sizeof *e->u.call.argv);
        if (e->u.call.key && e->u.call.name && e->u.call.argv) {
            memcpy(e->u.call.argv, args, argc * sizeof *args);
            e->u.call.argc = argc;
            return e;
        }
        ps_expr_free(e); /* argc is 0: frees no argument */
    }
    for (size_t i = 0; i < argc; i++)
        ps_expr_free(args[i]);
    return NULL;
}

/* ------------------------------------------------------ hidden equations */

typedef struct lower_ctx {
    eqn_set *set;
    ps_error *err;
} lower_ctx;

static ps_status nomem(lower_ctx *c)
{
    return ps_error_set(c->err, PS_ERR_NOMEM, c->set->path, 0, 0,
                        "out of memory while compiling");
}

/* Adds a hidden equation owned by equation `owner`, named after it and
   `role`: a variable of its own with one element per iteration of the
   owner, computed in the owner's context.  Takes ownership of expr and
   init.  Returns its index or -1. */
static size_t add_hidden(lower_ctx *c, size_t owner, const char *role,
                         eqn_kind kind, ps_expr *expr, ps_expr *init,
                         ps_loc loc)
{
    eqn e = {0};
    cvar v = {0};
    char key[32], name[1024];
    size_t n = c->set->eqns[owner].it.n;
    snprintf(key, sizeof key, "%c%u", HIDDEN_KEY_MARK,
             c->set->hidden_counter++);
    snprintf(name, sizeof name, "%s (%s)", c->set->eqns[owner].name, role);
    e.key = strdup(key);
    e.name = strdup(name);
    e.kind = kind;
    e.expr = expr;
    e.init = init;
    e.loc = loc;
    e.model_var = -1;
    e.ctx = c->set->eqns[owner].ctx;
    e.next = (size_t)-1;
    e.macro_depth = c->set->eqns[owner].macro_depth;
    e.it.n = n;
    e.it.flat = malloc(n * sizeof *e.it.flat);
    v.key = strdup(key);
    v.name = strdup(name);
    v.model_var = -1;
    v.size = n;
    v.box_of = owner;
    v.first = c->set->n;
    v.node_of = malloc(n * sizeof *v.node_of);
    if (!e.key || !e.name || !e.it.flat || !v.key || !v.name || !v.node_of) {
        free(e.key);
        free(e.name);
        free(e.it.flat);
        free(v.key);
        free(v.name);
        free(v.node_of);
        ps_expr_free(expr);
        ps_expr_free(init);
        return (size_t)-1;
    }
    for (size_t i = 0; i < n; i++) {
        e.it.flat[i] = i;
        v.node_of[i] = c->set->n;
    }
    e.var = eqn_set_add_var(c->set, &v);
    if (e.var == (size_t)-1) {
        free(e.key);
        free(e.name);
        free(e.it.flat);
        ps_expr_free(expr);
        ps_expr_free(init);
        return (size_t)-1;
    }
    return eqn_set_add(c->set, &e);
}

/* Returns an expression that can be used several times for *arg: the
   argument itself when it is a number or a reference (a copy is made),
   otherwise a reference to a new hidden auxiliary holding it.  *arg is
   consumed (set to NULL).  NULL on no memory. */
static ps_expr *shareable(lower_ctx *c, size_t owner, const char *role,
                          ps_expr **arg)
{
    ps_expr *a = *arg;
    *arg = NULL;
    if (a->kind == PS_EXPR_NUMBER ||
        (a->kind == PS_EXPR_REF && a->u.ref.subs.n == 0))
        return a;
    ps_loc loc = a->loc;
    size_t h = add_hidden(c, owner, role, EQN_AUX, a, NULL, loc);
    if (h == (size_t)-1)
        return NULL;
    return ref(c->set, h, loc);
}

static ps_expr *clone(const ps_expr *e)
{
    return e ? ps_expr_clone(e) : NULL;
}

/* --------------------------------------------------------- expansions */

/* A chain of n first-order stages.  Smooth stages: S_i' = (prev - S_i)/D,
   start value init.  Delay stages: S_i' = prev_out - S_i/D, start init*D,
   where prev_out is the input or the previous stage's S/D.  Returns the
   chain's output expression. */
static ps_expr *stage_chain(lower_ctx *c, size_t owner, const char *fn,
                            int is_delay, ps_expr *in, ps_expr *d,
                            ps_expr *init, long n, ps_loc loc)
{
    ps_expr *prev = in; /* owned */
    ps_expr *out = NULL;
    for (long i = 0; i < n; i++) {
        char role[64];
        snprintf(role, sizeof role, "%s stage %ld", fn, i + 1);
        /* The stage's key is known only after it is added; add it with an
           empty rate first, then fill the rate in. */
        ps_expr *start = is_delay ? bin(PS_OP_MUL, clone(init), clone(d), loc)
                                  : clone(init);
        if (!start)
            goto fail;
        size_t s = add_hidden(c, owner, role, EQN_STOCK, NULL, start, loc);
        if (s == (size_t)-1)
            goto fail;
        ps_expr *rate;
        if (is_delay) {
            ps_expr *outflow = bin(PS_OP_DIV, ref(c->set, s, loc), clone(d), loc);
            rate = bin(PS_OP_SUB, prev, outflow, loc);
        } else {
            rate = bin(PS_OP_DIV,
                       bin(PS_OP_SUB, prev, ref(c->set, s, loc), loc),
                       clone(d), loc);
        }
        prev = NULL;
        if (!rate)
            goto fail;
        c->set->eqns[s].expr = rate;
        prev = is_delay ? bin(PS_OP_DIV, ref(c->set, s, loc), clone(d), loc)
                        : ref(c->set, s, loc);
        if (!prev)
            goto fail;
    }
    out = prev;
    prev = NULL;
fail:
    ps_expr_free(prev);
    ps_expr_free(d);
    ps_expr_free(init);
    return out;
}

/* Reads the order argument of SMOOTH N / DELAY N: known at start-up. */
static ps_status order_of(lower_ctx *c, const ps_expr *e, long *n)
{
    double v;
    ps_status st = const_eval(c->set, e, &v, c->err);
    if (st != PS_OK)
        return st;
    long r = lround(v);
    if (!isfinite(v) || r < 1 || r > 10000)
        return ps_error_set(c->err, PS_ERR_DATA, c->set->path, e->loc.line,
                            e->loc.column,
                            "the order of a delay or smooth must be between 1 "
                            "and 10000, not %g",
                            v);
    *n = r;
    return PS_OK;
}

static ps_status expand(lower_ctx *c, size_t owner, ps_expr **slot);

/* A reference to an equation holding `e`: e's own equation when it is a
   reference to one, else a new hidden auxiliary.  Consumes *e. */
static size_t equation_of(lower_ctx *c, size_t owner, const char *role,
                          ps_expr **e)
{
    ps_expr *x = shareable(c, owner, role, e);
    if (!x)
        return (size_t)-1;
    size_t i = x->kind == PS_EXPR_REF ? eqn_set_find(c->set, x->u.ref.key)
                                      : (size_t)-1;
    if (i != (size_t)-1) {
        ps_expr_free(x);
        return i;
    }
    return add_hidden(c, owner, role, EQN_AUX, x, NULL, x->loc);
}

/*
 * DELAY N(in, T, init, n) as PySD reads Vensim (its DelayN class, fitted to
 * Vensim's output): n stages of material S_i, S_i(0) = init*T/n; stage i
 * drains at n*S_i/T_i, where T_0 is the current delay time and T_i the
 * delay time i steps ago; the output is n*S_(n-1)/T_1, the delay time of
 * the previous step.  With a constant delay time this is DELAY3's cascade
 * with n stages.
 */
static ps_expr *delay_n(lower_ctx *c, size_t owner, ps_expr **a, long n,
                        ps_loc loc)
{
    ps_expr *in = shareable(c, owner, "input", &a[0]);
    ps_expr *init = in ? shareable(c, owner, "initial", &a[2]) : NULL;
    size_t t = init ? equation_of(c, owner, "delay time", &a[1]) : (size_t)-1;
    ps_expr *prev = NULL, *out = NULL;
    size_t *times = NULL;
    if (t == (size_t)-1)
        goto fail;
    /* times[0] is T now; times[i] is held from times[i-1] at each step's
       end (end_step updates later holds first). */
    long past = n > 1 ? n - 1 : 1; /* the output needs times[1] */
    times = malloc((size_t)(past + 1) * sizeof *times);
    if (!times)
        goto fail;
    times[0] = t;
    for (long i = 1; i <= past; i++) {
        times[i] = add_hidden(c, owner, "DELAY N past delay time", EQN_HELD,
                              NULL, ref(c->set, t, loc), loc);
        if (times[i] == (size_t)-1 || !c->set->eqns[times[i]].init)
            goto fail;
        c->set->eqns[times[i]].source = times[i - 1];
    }
    prev = in;
    in = NULL;
    for (long i = 0; i < n; i++) {
        char role[64];
        snprintf(role, sizeof role, "DELAY N stage %ld", i + 1);
        ps_expr *start = bin(PS_OP_DIV,
                             bin(PS_OP_MUL, clone(init), ref(c->set, t, loc), loc),
                             num((double)n, loc), loc);
        size_t s = start ? add_hidden(c, owner, role, EQN_STOCK, NULL, start, loc)
                         : (size_t)-1;
        if (s == (size_t)-1)
            goto fail;
        /* n * S_i / T_i */
        ps_expr *drain = bin(PS_OP_DIV,
                             bin(PS_OP_MUL, num((double)n, loc), ref(c->set, s, loc), loc),
                             ref(c->set, times[i], loc), loc);
        c->set->eqns[s].expr = bin(PS_OP_SUB, prev, drain ? ps_expr_clone(drain) : NULL, loc);
        prev = drain;
        if (!c->set->eqns[s].expr || !prev)
            goto fail;
        if (i == n - 1) {
            ps_expr_free(prev);
            prev = NULL;
            out = bin(PS_OP_DIV,
                      bin(PS_OP_MUL, num((double)n, loc), ref(c->set, s, loc), loc),
                      ref(c->set, times[1], loc), loc);
        }
    }
fail:
    free(times);
    ps_expr_free(in);
    ps_expr_free(init);
    ps_expr_free(prev);
    return out;
}

/* DELAY N's order as Vensim runs it: a delay shorter than `n` time steps
   has fewer stages (one per whole step of its delay time at the start,
   at least one), so that no stage drains faster than a step.  When the
   delay time is not known before the run, the order is kept. */
static long delay_n_order(lower_ctx *c, const ps_expr *delay_time, long n)
{
    double t, dt;
    ps_error ignored;
    size_t step = eqn_set_find(c->set, "time_step");
    if (step == (size_t)-1 ||
        const_eval(c->set, delay_time, &t, &ignored) != PS_OK ||
        const_eval(c->set, eqn_startup_expr(&c->set->eqns[step]), &dt,
                   &ignored) != PS_OK ||
        !(dt > 0) || !isfinite(t))
        return n;
    double steps = floor(t / dt + 1e-9);
    if (steps < 1)
        steps = 1;
    return steps < (double)n ? (long)steps : n;
}

/* Expands a call of a stateful builtin (arguments already expanded) and
   replaces *slot with the expression of its value. */
static ps_status expand_stateful(lower_ctx *c, size_t owner, ps_expr **slot,
                                 const builtin *b)
{
    ps_expr *e = *slot;
    ps_expr **a = e->u.call.argv;
    ps_loc loc = e->loc;
    const char *k = b->key;
    ps_expr *value = NULL;

    if (!strcmp(k, "integ") || !strcmp(k, "active_initial"))
        return ps_error_set(c->err, PS_ERR_UNSUPPORTED, c->set->path,
                            loc.line, loc.column,
                            "%s must be the whole right-hand side of its "
                            "equation",
                            b->name);

    if (!strcmp(k, "initial")) {
        size_t h = add_hidden(c, owner, "INITIAL", EQN_INITIAL, a[0], NULL,
                              loc);
        a[0] = NULL;
        if (h == (size_t)-1)
            return nomem(c);
        value = ref(c->set, h, loc);
    } else if (!strncmp(k, "smooth", 6) || !strncmp(k, "delay", 5)) {
        int is_delay = k[0] == 'd';
        if (!strcmp(k, "delay_fixed")) {
            ps_expr *in = shareable(c, owner, "DELAY FIXED input", &a[0]);
            if (!in)
                return nomem(c);
            size_t src = in->kind == PS_EXPR_REF
                             ? eqn_set_find(c->set, in->u.ref.key)
                             : (size_t)-1;
            if (src == (size_t)-1) {
                /* A number or TIME: hold it in an auxiliary of its own. */
                src = add_hidden(c, owner, "DELAY FIXED input", EQN_AUX, in,
                                 NULL, loc);
                in = NULL;
                if (src == (size_t)-1)
                    return nomem(c);
            }
            ps_expr_free(in);
            size_t dt = add_hidden(c, owner, "DELAY FIXED time", EQN_INITIAL,
                                   a[1], NULL, loc);
            a[1] = NULL;
            if (dt == (size_t)-1)
                return nomem(c);
            size_t out = add_hidden(c, owner, "DELAY FIXED", EQN_DELAY, NULL,
                                    a[2], loc);
            a[2] = NULL;
            if (out == (size_t)-1)
                return nomem(c);
            c->set->eqns[out].source = src;
            c->set->eqns[out].delay_time = dt;
            value = ref(c->set, out, loc);
        } else {
            long n = 1;
            int has_init = 0;
            const char *fn = b->name;
            if (!strcmp(k, "smooth") || !strcmp(k, "delay1"))
                n = 1;
            else if (!strcmp(k, "smoothi") || !strcmp(k, "delay1i"))
                n = 1, has_init = 1;
            else if (!strcmp(k, "smooth3") || !strcmp(k, "delay3"))
                n = 3;
            else if (!strcmp(k, "smooth3i") || !strcmp(k, "delay3i"))
                n = 3, has_init = 1;
            else { /* smooth_n, delay_n */
                ps_status st = order_of(c, a[3], &n);
                if (st != PS_OK)
                    return st;
                has_init = 1;
                if (is_delay) {
                    n = delay_n_order(c, a[1], n);
                    value = delay_n(c, owner, a, n, loc);
                    goto replace;
                }
            }
            ps_expr *in = shareable(c, owner, "input", &a[0]);
            if (!in)
                return nomem(c);
            ps_expr *init = has_init ? shareable(c, owner, "initial", &a[2])
                                     : clone(in);
            ps_expr *t = shareable(c, owner, "time", &a[1]);
            ps_expr *d = NULL;
            if (t && init) {
                if (n == 1) {
                    d = t;
                } else {
                    size_t h = add_hidden(c, owner, "stage time", EQN_AUX,
                                          bin(PS_OP_DIV, t, num((double)n, loc), loc),
                                          NULL, loc);
                    d = h == (size_t)-1 ? NULL : ref(c->set, h, loc);
                }
                t = NULL;
            }
            if (!d || !init) {
                ps_expr_free(in);
                ps_expr_free(init);
                ps_expr_free(t);
                ps_expr_free(d);
                return nomem(c);
            }
            value = stage_chain(c, owner, fn, is_delay, in, d, init, n, loc);
        }
    } else if (!strcmp(k, "trend") || !strcmp(k, "forecast")) {
        int is_trend = k[0] == 't';
        ps_expr *in = shareable(c, owner, "input", &a[0]);
        ps_expr *t = in ? shareable(c, owner, "average time", &a[1]) : NULL;
        if (!in || !t) {
            ps_expr_free(in);
            return nomem(c);
        }
        /* TREND's third argument is the initial trend; FORECAST's is the
           horizon, and its initial trend is 0. */
        ps_expr *start = is_trend
            ? bin(PS_OP_DIV, clone(in),
                  bin(PS_OP_ADD, num(1, loc),
                      bin(PS_OP_MUL, clone(a[2]), clone(t), loc), loc), loc)
            : clone(in);
        size_t s = start ? add_hidden(c, owner, is_trend ? "TREND average"
                                                         : "FORECAST average",
                                      EQN_STOCK, NULL, start, loc)
                         : (size_t)-1;
        if (s == (size_t)-1) {
            ps_expr_free(in);
            ps_expr_free(t);
            return nomem(c);
        }
        c->set->eqns[s].expr =
            bin(PS_OP_DIV, bin(PS_OP_SUB, clone(in), ref(c->set, s, loc), loc),
                clone(t), loc);
        ps_expr *zargs[2] = {
            bin(PS_OP_SUB, clone(in), ref(c->set, s, loc), loc),
            bin(PS_OP_MUL, clone(t),
                call("abs", (ps_expr *[]){ref(c->set, s, loc)}, 1, loc), loc)};
        ps_expr *trend = call("zidz", zargs, 2, loc);
        if (is_trend) {
            value = trend;
            ps_expr_free(in);
        } else {
            ps_expr *horizon = a[2];
            a[2] = NULL;
            value = bin(PS_OP_MUL, in,
                        bin(PS_OP_ADD, num(1, loc),
                            bin(PS_OP_MUL, trend, horizon, loc), loc),
                        loc);
        }
        ps_expr_free(t);
        if (!c->set->eqns[s].expr)
            return nomem(c);
    } else if (!strcmp(k, "sample_if_true")) {
        size_t held = add_hidden(c, owner, "SAMPLE IF TRUE held", EQN_HELD,
                                 NULL, a[2], loc);
        a[2] = NULL;
        if (held == (size_t)-1)
            return nomem(c);
        ps_expr *args[3] = {a[0], a[1], ref(c->set, held, loc)};
        a[0] = a[1] = NULL;
        size_t v = add_hidden(c, owner, "SAMPLE IF TRUE", EQN_AUX,
                              call("if_then_else", args, 3, loc), NULL, loc);
        if (v == (size_t)-1 || !c->set->eqns[v].expr)
            return nomem(c);
        c->set->eqns[held].source = v;
        value = ref(c->set, v, loc);
    } else {
        return ps_error_set(c->err, PS_ERR_INTERNAL, c->set->path, loc.line,
                            loc.column, "no expansion for %s", b->name);
    }
replace:
    if (!value)
        return nomem(c);
    ps_expr_free(e);
    *slot = value;
    return PS_OK;
}

/* ---------------------------------------------------------- macros */

/* One call's names: the macro's parameters and variables, and what each
   stands for in this copy. */
typedef struct macro_copy {
    const ps_macro *mac;
    ps_expr **args;   /* per parameter: the argument (shareable)  */
    size_t *eqn_of;   /* per body variable: its hidden equation   */
} macro_copy;

/* Renames the macro's names inside tree *slot for copy mc. */
static ps_status rename_macro(lower_ctx *c, const macro_copy *mc,
                              ps_expr **slot)
{
    ps_expr *e = *slot;
    const ps_model *body = mc->mac->body;
    ps_status st = PS_OK;
    switch (e->kind) {
    case PS_EXPR_REF:
        for (size_t i = 0; i < mc->mac->params.n; i++)
            if (!strcmp(e->u.ref.key, mc->mac->params.v[i].key)) {
                ps_expr *a = ps_expr_clone(mc->args[i]);
                if (!a)
                    return nomem(c);
                ps_expr_free(e);
                *slot = a;
                return PS_OK;
            }
        __attribute__((fallthrough)); /* not a parameter: a body variable */
    case PS_EXPR_CALL: {
        char **key = e->kind == PS_EXPR_REF ? &e->u.ref.key : &e->u.call.key;
        char **name = e->kind == PS_EXPR_REF ? &e->u.ref.name : &e->u.call.name;
        size_t v = ps_model_index(body, *key);
        /* a call names a body variable only when that is a lookup (a
           call of the macro itself stays a call) */
        if (v != (size_t)-1 && e->kind == PS_EXPR_CALL &&
            body->vars[v].kind != PS_VAR_LOOKUP)
            v = (size_t)-1;
        if (v != (size_t)-1) {
            const eqn *q = &c->set->eqns[mc->eqn_of[v]];
            char *k = strdup(q->key), *n = strdup(q->name);
            if (!k || !n) {
                free(k);
                free(n);
                return nomem(c);
            }
            free(*key);
            free(*name);
            *key = k;
            *name = n;
        }
        if (e->kind == PS_EXPR_CALL)
            for (size_t i = 0; i < e->u.call.argc && st == PS_OK; i++)
                st = rename_macro(c, mc, &e->u.call.argv[i]);
        return st;
    }
    case PS_EXPR_UNARY:
        return rename_macro(c, mc, &e->u.unary.arg);
    case PS_EXPR_BINARY:
        st = rename_macro(c, mc, &e->u.binary.lhs);
        return st != PS_OK ? st : rename_macro(c, mc, &e->u.binary.rhs);
    default:
        return PS_OK;
    }
}

/* A call of macro `mac`: a copy of its variables owned by `owner`, the
   arguments bound to its parameters; *slot becomes the copy's value. */
static ps_status expand_macro(lower_ctx *c, size_t owner, ps_expr **slot,
                              const ps_macro *mac)
{
    ps_expr *e = *slot;
    const ps_model *body = mac->body;
    if (e->u.call.argc != mac->params.n)
        return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path,
                            e->loc.line, e->loc.column,
                            "macro %s takes %zu argument%s, not %zu",
                            mac->name, mac->params.n,
                            mac->params.n == 1 ? "" : "s", e->u.call.argc);
    if (mac->outputs.n > 0)
        return ps_error_set(c->err, PS_ERR_UNSUPPORTED, c->set->path,
                            mac->loc.line, mac->loc.column,
                            "macro %s has several outputs, which are not "
                            "supported",
                            mac->name);
    size_t self = ps_model_index(body, mac->key);
    if (self == (size_t)-1)
        return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path,
                            mac->loc.line, mac->loc.column,
                            "macro %s never defines '%s', its value",
                            mac->name, mac->name);
    int depth = c->set->eqns[owner].macro_depth + 1;
    if (depth > 64)
        return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path,
                            e->loc.line, e->loc.column,
                            "macro %s calls itself (macros nest more than 64 "
                            "deep here)",
                            mac->name);
    macro_copy mc = {mac, calloc(mac->params.n + 1, sizeof *mc.args),
                     calloc(body->nvars + 1, sizeof *mc.eqn_of)};
    ps_status st = mc.args && mc.eqn_of ? PS_OK : nomem(c);
    for (size_t i = 0; i < mac->params.n && st == PS_OK; i++) {
        char role[160];
        snprintf(role, sizeof role, "%s argument %s", mac->name,
                 mac->params.v[i].name);
        mc.args[i] = shareable(c, owner, role, &e->u.call.argv[i]);
        if (!mc.args[i])
            st = nomem(c);
    }
    /* one hidden equation per variable of the body, then their trees */
    for (size_t v = 0; v < body->nvars && st == PS_OK; v++) {
        const ps_var *bv = &body->vars[v];
        char role[600];
        snprintf(role, sizeof role, "%s: %s", mac->name, bv->name);
        if (bv->subs.n > 0 || bv->values || bv->is_data) {
            st = ps_error_set(c->err, PS_ERR_UNSUPPORTED, c->set->path,
                              bv->loc.line, bv->loc.column,
                              "subscripts and data inside macros are not "
                              "supported");
            break;
        }
        eqn_kind kind = bv->kind == PS_VAR_STOCK    ? EQN_STOCK
                        : bv->kind == PS_VAR_LOOKUP ? EQN_LOOKUP
                                                    : EQN_AUX;
        mc.eqn_of[v] = add_hidden(c, owner, role, kind, NULL, NULL, bv->loc);
        if (mc.eqn_of[v] == (size_t)-1)
            st = nomem(c);
        else
            c->set->eqns[mc.eqn_of[v]].macro_depth = depth;
    }
    for (size_t v = 0; v < body->nvars && st == PS_OK; v++) {
        const ps_var *bv = &body->vars[v];
        ps_expr *trees[2] = {clone(bv->expr), clone(bv->init)};
        if ((bv->expr && !trees[0]) || (bv->init && !trees[1]))
            st = nomem(c);
        for (int t = 0; t < 2 && st == PS_OK; t++)
            if (trees[t])
                st = rename_macro(c, &mc, &trees[t]);
        eqn *q = &c->set->eqns[mc.eqn_of[v]];
        q->expr = trees[0];
        q->init = trees[1];
        if (st == PS_OK && bv->table && !(q->table = ps_table_clone(bv->table)))
            st = nomem(c);
    }
    ps_expr *value = st == PS_OK ? ref(c->set, mc.eqn_of[self], e->loc) : NULL;
    if (st == PS_OK && !value)
        st = nomem(c);
    for (size_t i = 0; mc.args && i < mac->params.n; i++)
        ps_expr_free(mc.args[i]);
    free(mc.args);
    free(mc.eqn_of);
    if (st != PS_OK)
        return st;
    ps_expr_free(e);
    *slot = value;
    return PS_OK;
}

/* A literal number, or NAN when e is anything else. */
static double literal_of(const ps_expr *e)
{
    if (e->kind == PS_EXPR_NUMBER)
        return e->u.number;
    if (e->kind == PS_EXPR_UNARY && e->u.unary.op == PS_OP_NEG &&
        e->u.unary.arg->kind == PS_EXPR_NUMBER)
        return -e->u.unary.arg->u.number;
    return NAN;
}

/* GET TIME VALUE(relativeto, offset, measure) runs on the model's clock
   only: relative to the current time (0) or to INITIAL TIME (1), in model
   time units (measure 0).  The calendar forms (relativeto 2, the computer's
   clock; measure 1..., years, months, days of a date) are refused where
   they are written; arguments that are not literal numbers give NaN at
   run time for those forms. */
static ps_status check_time_value(lower_ctx *c, const ps_expr *e)
{
    const ps_expr *rel = e->u.call.argv[0], *measure = e->u.call.argv[2];
    double r = literal_of(rel), m = literal_of(measure);
    if (!isnan(r) && r != 0 && r != 1)
        return ps_error_set(c->err, PS_ERR_UNSUPPORTED, c->set->path,
                            rel->loc.line, rel->loc.column,
                            "GET TIME VALUE relative to %g is not supported: "
                            "only 0 (the current time) and 1 (INITIAL "
                            "TIME) are; plansim keeps no calendar or clock",
                            r);
    if (!isnan(m) && m != 0)
        return ps_error_set(c->err, PS_ERR_UNSUPPORTED, c->set->path,
                            measure->loc.line, measure->loc.column,
                            "GET TIME VALUE in measure %g is not supported: "
                            "only measure 0 (model time units) is; plansim "
                            "keeps no calendar",
                            m);
    return PS_OK;
}

/* Expands every stateful call inside *slot, innermost first, and checks
   that each call names a known function with a valid number of
   arguments. */
static ps_status expand(lower_ctx *c, size_t owner, ps_expr **slot)
{
    ps_expr *e = *slot;
    ps_status st;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
    case PS_EXPR_REF:
    case PS_EXPR_TABLE:
    case PS_EXPR_STRING:
        return PS_OK;
    case PS_EXPR_UNARY:
        return expand(c, owner, &e->u.unary.arg);
    case PS_EXPR_BINARY:
        st = expand(c, owner, &e->u.binary.lhs);
        return st != PS_OK ? st : expand(c, owner, &e->u.binary.rhs);
    case PS_EXPR_CALL:
        break;
    }
    for (size_t i = 0; i < e->u.call.argc; i++)
        if ((st = expand(c, owner, &e->u.call.argv[i])) != PS_OK)
            return st;
    const ps_macro *mac = ps_model_find_macro(c->set->model, e->u.call.key);
    if (mac)
        return expand_macro(c, owner, slot, mac);
    size_t target = eqn_set_find(c->set, e->u.call.key);
    if (target != (size_t)-1 && c->set->eqns[target].kind == EQN_LOOKUP) {
        if (e->u.call.argc != 1)
            return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path,
                                e->loc.line, e->loc.column,
                                "lookup '%s' takes one argument, not %zu",
                                c->set->eqns[target].name, e->u.call.argc);
        return PS_OK;
    }
    const builtin *b = builtin_find(e->u.call.key);
    if (!b)
        return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path, e->loc.line,
                            e->loc.column,
                            target != (size_t)-1
                                ? "'%s' is a variable, not a function or lookup"
                                : "unknown function '%s'",
                            e->u.call.name);
    if (b->cls == BI_UNSUPPORTED)
        return ps_error_set(c->err, PS_ERR_UNSUPPORTED, c->set->path,
                            e->loc.line, e->loc.column,
                            "function %s is not supported", b->name);
    if ((int)e->u.call.argc < b->min_args || (int)e->u.call.argc > b->max_args) {
        char want[32];
        if (b->min_args == b->max_args)
            snprintf(want, sizeof want, "%d", b->min_args);
        else
            snprintf(want, sizeof want, "%d to %d", b->min_args, b->max_args);
        return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path, e->loc.line,
                            e->loc.column, "%s takes %s argument%s, not %zu",
                            b->name, want,
                            strcmp(want, "1") == 0 ? "" : "s", e->u.call.argc);
    }
    if (b->op == OP_GET_TIME_VALUE)
        return check_time_value(c, e);
    if (b->cls == BI_STATEFUL)
        return expand_stateful(c, owner, slot, b);
    return PS_OK;
}

/* ------------------------------------------------------------ the pass */

/* Does e read variable `key` (its own variable, for an equation)? */
static int reads_key(const ps_expr *e, const char *key)
{
    if (!e)
        return 0;
    switch (e->kind) {
    case PS_EXPR_REF:
        return strcmp(e->u.ref.key, key) == 0;
    case PS_EXPR_UNARY:
        return reads_key(e->u.unary.arg, key);
    case PS_EXPR_BINARY:
        return reads_key(e->u.binary.lhs, key) ||
               reads_key(e->u.binary.rhs, key);
    case PS_EXPR_CALL:
        for (size_t i = 0; i < e->u.call.argc; i++)
            if (reads_key(e->u.call.argv[i], key))
                return 1;
        return 0;
    default:
        return 0;
    }
}

/* Frees n tables and the array. */
static void free_tables(ps_table **t, size_t n)
{
    for (size_t i = 0; t && i < n; i++)
        ps_table_free(t[i]);
    free(t);
}

/* Equation e of definition `def` when it reads a file: GET ... CONSTANTS
   become its constant list, GET ... LOOKUPS its tables; GET ... DATA (a
   data equation) leaves its series in *data for data_equation. */
static ps_status read_external(lower_ctx *c, const ps_var *def, eqn *e,
                               ps_table ***data)
{
    const ps_expr *x = def->expr;
    size_t n = e->it.n;
    ps_status st = PS_OK;
    if (def->is_data && !x) { /* from a dataset */
        *data = calloc(n, sizeof **data);
        if (!*data)
            return nomem(c);
        st = ext_dataset(c->set, &c->set->vars[e->var], e, *data, c->err);
        if (st != PS_OK) {
            free_tables(*data, n);
            *data = NULL;
        }
        return st;
    }
    if (ext_is_call(x, "constants")) {
        free(e->values);
        e->values = malloc(n * sizeof *e->values);
        if (!e->values)
            return nomem(c);
        st = ext_constants(c->set, x, e, e->values, c->err);
    } else if (ext_is_call(x, "lookups")) {
        e->kind = EQN_LOOKUP;
        e->tables = calloc(n, sizeof *e->tables);
        if (!e->tables)
            return nomem(c);
        st = ext_tables(c->set, x, n, e->tables, c->err);
    } else if (ext_is_call(x, "data")) {
        if (!def->is_data)
            return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path,
                                x->loc.line, x->loc.column,
                                "%s defines a data variable: write "
                                "'%s := ...'",
                                x->u.call.name, def->name);
        *data = calloc(n, sizeof **data);
        if (!*data)
            return nomem(c);
        st = ext_tables(c->set, x, n, *data, c->err);
        if (st != PS_OK) {
            free_tables(*data, n);
            *data = NULL;
        }
    } else if (ext_is_call(x, "subscript")) {
        return ps_error_set(c->err, PS_ERR_SEMANTIC, c->set->path,
                            x->loc.line, x->loc.column,
                            "%s lists the elements of a range, not values",
                            x->u.call.name);
    } else {
        return PS_OK;
    }
    if (st == PS_OK && (e->values || e->tables || *data)) {
        ps_expr_free(e->expr);
        e->expr = NULL;
    }
    return st;
}

/* A data variable (equation `at`) whose series are `tables`: a hidden
   lookup holds them, and the variable reads it at the time of each step
   as its mode says (interpolated, held, the next point, or exact points
   only).  Takes the tables over. */
static ps_status data_equation(lower_ctx *c, size_t at, ps_data_mode mode,
                               ps_table **tables)
{
    ps_loc loc = c->set->eqns[at].loc;
    size_t h = add_hidden(c, at, "data", EQN_LOOKUP, NULL, NULL, loc);
    if (h == (size_t)-1) {
        free_tables(tables, c->set->eqns[at].it.n);
        return nomem(c);
    }
    c->set->eqns[h].tables = tables;
    ps_expr *time = ps_expr_ref("Time", 4, loc);
    ps_expr *value = NULL;
    if (mode == PS_DATA_INTERPOLATE) {
        const eqn *q = &c->set->eqns[h];
        ps_expr *args[1] = {time};
        value = time ? ps_expr_call(q->key, strlen(q->key), args, 1, loc)
                     : NULL;
        if (value) { /* keep the key as it is: hidden keys are not names */
            free(value->u.call.key);
            value->u.call.key = strdup(q->key);
            if (!value->u.call.key) {
                ps_expr_free(value);
                value = NULL;
            }
        }
    } else {
        const char *fn = mode == PS_DATA_HOLD_BACKWARD ? "lookup_backward"
                         : mode == PS_DATA_LOOK_FORWARD ? "lookup_forward"
                                                         : RAW_DATA_KEY;
        ps_expr *args[2] = {ref(c->set, h, loc), time};
        value = call(fn, args, 2, loc);
    }
    if (!value)
        return nomem(c);
    c->set->eqns[at].expr = value;
    return PS_OK;
}

/* One equation of model variable `var` over the iterations of `b` (taken
   over).  Returns PS_OK or a failure. */
static ps_status add_node(lower_ctx *c, const ps_var *def, int head,
                          size_t var, box *b, size_t *prev)
{
    eqn e = {0};
    e.key = strdup(def->key);
    e.name = strdup(def->name);
    e.loc = def->loc;
    e.model_var = head;
    e.var = var;
    e.it = *b;
    memset(b, 0, sizeof *b);
    e.ctx = c->set->n;
    e.next = (size_t)-1;
    int missing = !e.key || !e.name;
    switch (def->kind) {
    case PS_VAR_AUX:
        e.kind = EQN_AUX;
        e.expr = clone(def->expr);
        e.init = clone(def->init);
        if (def->values) {
            e.values = malloc(e.it.n * sizeof *e.values);
            missing |= !e.values;
        }
        break;
    case PS_VAR_STOCK:
        e.kind = EQN_STOCK;
        e.expr = clone(def->expr);
        e.init = clone(def->init);
        break;
    case PS_VAR_LOOKUP: /* a table, or a GET ... LOOKUPS call */
        e.kind = EQN_LOOKUP;
        e.table = def->table ? ps_table_clone(def->table) : NULL;
        e.expr = clone(def->expr);
        break;
    }
    missing |= (def->expr && !e.expr) || (def->init && !e.init) ||
               (def->table && !e.table);
    if (!missing && def->values) {
        if (def->nvalues != e.it.n) {
            ps_loc at = def->nvalues ? def->value_locs[0] : def->loc;
            ps_status st = ps_error_set(
                c->err, PS_ERR_SEMANTIC, c->set->path, at.line, at.column,
                "'%s' lists %zu values for %zu elements", def->name,
                def->nvalues, e.it.n);
            eqn_discard(&e);
            return st;
        }
        memcpy(e.values, def->values, e.it.n * sizeof *e.values);
    }
    ps_table **data = NULL;
    if (!missing) {
        ps_status st = read_external(c, def, &e, &data);
        if (st != PS_OK) {
            eqn_discard(&e);
            return st;
        }
    }
    cvar *v = &c->set->vars[var];
    for (size_t i = 0; !missing && i < e.it.n; i++)
        v->node_of[e.it.flat[i]] = c->set->n;
    size_t at = missing ? (size_t)-1 : eqn_set_add(c->set, &e);
    if (missing)
        eqn_discard(&e);
    if (at == (size_t)-1)
        return nomem(c);
    if (*prev != (size_t)-1)
        c->set->eqns[*prev].next = at;
    else
        v->first = at;
    *prev = at;
    return data ? data_equation(c, at, def->data_mode, data) : PS_OK;
}

/* Splits box b into one box per iteration (for an equation that reads
   other elements of its own variable, so each element is ordered on its
   own).  The n boxes go into out (caller frees each). */
static int split_box(const box *b, box *out)
{
    for (size_t i = 0; i < b->n; i++) {
        box *o = &out[i];
        memset(o, 0, sizeof *o);
        o->n = 1;
        o->ndims = b->ndims;
        memcpy(o->bind, b->bind, sizeof o->bind);
        o->tuple = malloc((b->ndims + 1) * sizeof *o->tuple);
        o->flat = malloc(sizeof *o->flat);
        if (!o->tuple || !o->flat)
            return -1;
        memcpy(o->tuple, b->tuple + i * b->ndims, b->ndims * sizeof *o->tuple);
        o->flat[0] = b->flat[i];
    }
    return 0;
}

/* The variable whose first equation is model->vars[head], with one
   equation per definition. */
static ps_status add_model_var(lower_ctx *c, int head)
{
    const ps_model *m = c->set->model;
    const ps_var *h = &m->vars[head];
    size_t ndefs = 0;
    for (size_t i = (size_t)head; i != (size_t)-1; i = m->vars[i].next_def)
        ndefs++;
    box *boxes = calloc(ndefs, sizeof *boxes);
    cvar v = {0};
    v.key = strdup(h->key);
    v.name = strdup(h->name);
    v.model_var = head;
    v.box_of = (size_t)-1;
    if (!boxes || !v.key || !v.name) {
        free(boxes);
        free(v.key);
        free(v.name);
        return nomem(c);
    }
    ps_status st = PS_OK;
    if (h->subs.n == 0) {
        v.size = 1;
        boxes[0].n = 1;
        boxes[0].flat = calloc(1, sizeof *boxes[0].flat);
        if (!boxes[0].flat)
            st = nomem(c);
    } else {
        st = subs_shape(c->set, (size_t)head, &v, boxes, ndefs, c->err);
    }
    if (st == PS_OK) {
        v.node_of = malloc(v.size * sizeof *v.node_of);
        if (!v.node_of)
            st = nomem(c);
    }
    size_t var = (size_t)-1;
    if (st == PS_OK) {
        var = eqn_set_add_var(c->set, &v);
        if (var == (size_t)-1)
            st = nomem(c);
    } else {
        free(v.key);
        free(v.name);
        free(v.node_of);
    }
    size_t prev = (size_t)-1, k = 0;
    for (size_t i = (size_t)head; i != (size_t)-1 && st == PS_OK;
         i = m->vars[i].next_def, k++) {
        const ps_var *def = &m->vars[i];
        int self = def->kind == PS_VAR_AUX && boxes[k].n > 1 &&
                   (reads_key(def->expr, def->key) ||
                    reads_key(def->init, def->key));
        if (!self) {
            st = add_node(c, def, head, var, &boxes[k], &prev);
            continue;
        }
        box *parts = calloc(boxes[k].n, sizeof *parts);
        if (!parts || split_box(&boxes[k], parts) != 0)
            st = nomem(c);
        for (size_t q = 0; parts && q < boxes[k].n; q++) {
            if (st == PS_OK)
                st = add_node(c, def, head, var, &parts[q], &prev);
            box_free(&parts[q]);
        }
        free(parts);
    }
    for (size_t i = 0; i < ndefs; i++)
        box_free(&boxes[i]);
    free(boxes);
    return st;
}

ps_status lower_model(const ps_model *model, eqn_set *set, ps_error *err)
{
    lower_ctx c = {set, err};
    set->model = model;
    set->path = model->path ? model->path : "";
    ps_status st0 = subs_build_dims(set, err);
    if (st0 != PS_OK)
        return st0;
    /* a variable's later equations are chained to its first one */
    unsigned char *later = calloc(model->nvars ? model->nvars : 1, 1);
    if (!later)
        return nomem(&c);
    for (size_t i = 0; i < model->nvars; i++)
        if (model->vars[i].next_def != (size_t)-1)
            later[model->vars[i].next_def] = 1;
    for (size_t i = 0; i < model->nvars; i++) {
        ps_status st = later[i] ? PS_OK : add_model_var(&c, (int)i);
        if (st != PS_OK) {
            free(later);
            return st;
        }
    }
    free(later);
    /* Hidden equations appended while expanding are expanded too: their
       trees hold only arguments that were expanded already. */
    for (size_t i = 0; i < set->n; i++) {
        ps_expr *trees[2] = {set->eqns[i].expr, set->eqns[i].init};
        set->eqns[i].expr = set->eqns[i].init = NULL;
        ps_status st = PS_OK;
        for (int t = 0; t < 2 && st == PS_OK; t++)
            if (trees[t])
                st = expand(&c, i, &trees[t]);
        set->eqns[i].expr = trees[0];
        set->eqns[i].init = trees[1];
        if (st != PS_OK)
            return st;
        if (set->eqns[i].kind == EQN_STOCK && !set->eqns[i].init)
            return ps_error_set(err, PS_ERR_SEMANTIC, set->path,
                                set->eqns[i].loc.line, set->eqns[i].loc.column,
                                "stock '%s' has no initial value",
                                set->eqns[i].name);
    }
    return PS_OK;
}
