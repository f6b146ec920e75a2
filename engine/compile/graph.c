/*
 * Dependency ordering.  Two graphs are sorted: start-up (every equation,
 * stocks depending on their initial values) and each step (the auxiliaries
 * that change during a run; stocks, held values and constants are inputs).
 * A cycle in either is an algebraic loop, reported with its members.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"

/* -------------------------------------------------------- dependencies */

typedef struct dep_list {
    size_t *v;
    size_t n, cap;
} dep_list;

static int dep_push(dep_list *d, size_t x)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i] == x)
            return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 8;
        size_t *v = realloc(d->v, cap * sizeof *v);
        if (!v)
            return -1;
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n++] = x;
    return 0;
}

/* Does evaluating e read the time (TIME, STEP, RAMP, RANDOM...)? */
static int uses_time(const ps_expr *e)
{
    switch (e->kind) {
    case PS_EXPR_REF:
        return strcmp(e->u.ref.key, "time") == 0;
    case PS_EXPR_UNARY:
        return uses_time(e->u.unary.arg);
    case PS_EXPR_BINARY:
        return uses_time(e->u.binary.lhs) || uses_time(e->u.binary.rhs);
    case PS_EXPR_CALL: {
        const builtin *b = builtin_find(e->u.call.key);
        if (b && (b->cls == BI_TIMED || b->cls == BI_RANDOM))
            return 1;
        for (size_t i = 0; i < e->u.call.argc; i++)
            if (uses_time(e->u.call.argv[i]))
                return 1;
        return 0;
    }
    default:
        return 0;
    }
}

static int is_reducer(const char *key)
{
    return !strcmp(key, "sum") || !strcmp(key, "prod") ||
           !strcmp(key, "vmin") || !strcmp(key, "vmax");
}

/* Adds to d the equations computing the elements that reference `e`
   (inside equation `node`) reads.  A reference that does not resolve is
   left for the code generator to report. */
static int ref_deps(const eqn_set *set, size_t node, const ps_expr *e,
                    const reduction *red, dep_list *d)
{
    const eqn *q = &set->eqns[node];
    const cvar *v = eqn_set_var(set, e->u.ref.key);
    if (!v || set->eqns[v->first].kind == EQN_LOOKUP)
        return 0;
    if (v->size == 1)
        return dep_push(d, v->node_of[0]);
    size_t m = red ? red->m : 1;
    size_t *flat = malloc((q->it.n * m + 1) * sizeof *flat);
    if (!flat)
        return -1;
    ps_error ignored;
    int rc = 0;
    if (subs_resolve(set, q, v, &e->u.ref.subs, e->loc, red, flat,
                     &ignored) == PS_OK)
        for (size_t i = 0; rc == 0 && i < q->it.n * m; i++)
            rc = dep_push(d, v->node_of[flat[i]]);
    free(flat);
    return rc;
}

/* Adds to d the equations that e reads (lookup tables are not values). */
static int collect_refs(const eqn_set *set, size_t node, const ps_expr *e,
                        const reduction *red, dep_list *d)
{
    switch (e->kind) {
    case PS_EXPR_REF:
        return ref_deps(set, node, e, red, d);
    case PS_EXPR_UNARY:
        return collect_refs(set, node, e->u.unary.arg, red, d);
    case PS_EXPR_BINARY:
        return collect_refs(set, node, e->u.binary.lhs, red, d) ||
               collect_refs(set, node, e->u.binary.rhs, red, d);
    case PS_EXPR_CALL: {
        reduction inner;
        ps_error ignored;
        const reduction *r = red;
        const builtin *b = builtin_find(e->u.call.key);
        if (b && b->cls == BI_VECTOR) {
            /* a vector function reads whole vectors of its arguments:
               depend on every equation of the variables it names */
            for (size_t i = 0; i < e->u.call.argc; i++) {
                const ps_expr *a = e->u.call.argv[i];
                const cvar *v = a->kind == PS_EXPR_REF
                                    ? eqn_set_var(set, a->u.ref.key)
                                    : NULL;
                if (v && set->eqns[v->first].kind != EQN_LOOKUP) {
                    for (size_t k = v->first; k != (size_t)-1;
                         k = set->eqns[k].next)
                        if (dep_push(d, k))
                            return -1;
                } else if (collect_refs(set, node, a, red, d)) {
                    return -1;
                }
            }
            return 0;
        }
        if (is_reducer(e->u.call.key) && e->u.call.argc == 1) {
            if (subs_reduction(set, e->u.call.argv[0], &inner, &ignored) !=
                PS_OK)
                return 0;
            r = &inner;
        }
        for (size_t i = 0; i < e->u.call.argc; i++)
            if (collect_refs(set, node, e->u.call.argv[i], r, d))
                return -1;
        return 0;
    }
    default:
        return 0;
    }
}

static int initial_deps(const eqn_set *set, size_t i, dep_list *d)
{
    const eqn *q = &set->eqns[i];
    const ps_expr *e = eqn_startup_expr(q);
    if (e && collect_refs(set, i, e, NULL, d))
        return -1;
    if (q->kind == EQN_DELAY && dep_push(d, q->delay_time))
        return -1;
    if (e && uses_time(e)) {
        /* TIME and the timed builtins need the time settings first; the
           start time itself is computed before TIME has a value (at
           start-up TIME is 0 while INITIAL TIME is computed), and TIME
           STEP needs only the start time. */
        const char *keys[] = {"initial_time", "time_step"};
        size_t first = eqn_set_find(set, keys[0]);
        for (int k = 0; k < 2 && i != first; k++) {
            size_t t = eqn_set_find(set, keys[k]);
            if (t != (size_t)-1 && t != i && dep_push(d, t))
                return -1;
        }
    }
    return 0;
}

static int in_step_graph(const eqn *q)
{
    return q->kind == EQN_AUX && !q->is_constant;
}

static int step_deps(const eqn_set *set, size_t i, dep_list *d)
{
    dep_list all = {0};
    if (set->eqns[i].expr &&
        collect_refs(set, i, set->eqns[i].expr, NULL, &all)) {
        free(all.v);
        return -1;
    }
    for (size_t k = 0; k < all.n; k++)
        if (in_step_graph(&set->eqns[all.v[k]]) && dep_push(d, all.v[k])) {
            free(all.v);
            return -1;
        }
    free(all.v);
    return 0;
}

/* ------------------------------------------------------ topological sort */

typedef int (*deps_fn)(const eqn_set *set, size_t i, dep_list *d);

static ps_status report_cycle(const eqn_set *set, const size_t *stack,
                              size_t depth, size_t back_to, const char *what,
                              ps_error *err)
{
    char msg[PS_ERROR_MESSAGE_MAX];
    size_t start = depth;
    while (start > 0 && stack[start - 1] != back_to)
        start--;
    if (start > 0)
        start--;
    int len = snprintf(msg, sizeof msg, "%s: ", what);
    for (size_t k = start; k < depth && len < (int)sizeof msg; k++)
        len += snprintf(msg + len, sizeof msg - (size_t)len, "%s -> ",
                        set->eqns[stack[k]].name);
    if (len < (int)sizeof msg)
        snprintf(msg + len, sizeof msg - (size_t)len, "%s",
                 set->eqns[back_to].name);
    /* Report at the first model variable of the cycle. */
    const eqn *at = &set->eqns[back_to];
    for (size_t k = start; k < depth; k++)
        if (set->eqns[stack[k]].model_var >= 0) {
            at = &set->eqns[stack[k]];
            break;
        }
    return ps_error_set(err, PS_ERR_CYCLE, set->path, at->loc.line,
                        at->loc.column, "%s", msg);
}

/*
 * Depth-first post-order over the nodes selected by `member`, in file
 * order, so that each equation comes after everything it reads.  Iterative,
 * so long chains cannot overflow the C stack.
 */
static ps_status toposort(const eqn_set *set, int (*member)(const eqn *),
                          deps_fn deps, const char *what, size_t *order,
                          size_t *count, ps_error *err)
{
    size_t n = set->n;
    ps_status st = PS_OK;
    dep_list *adj = calloc(n ? n : 1, sizeof *adj);
    unsigned char *mark = calloc(n ? n : 1, 1); /* 0 new, 1 open, 2 done */
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    size_t *next = calloc(n ? n : 1, sizeof *next);
    if (!adj || !mark || !stack || !next) {
        st = ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (member(&set->eqns[i]) && deps(set, i, &adj[i])) {
            st = ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                              "out of memory");
            goto done;
        }
    *count = 0;
    for (size_t root = 0; root < n; root++) {
        if (!member(&set->eqns[root]) || mark[root])
            continue;
        size_t depth = 0;
        stack[depth++] = root;
        mark[root] = 1;
        while (depth > 0) {
            size_t i = stack[depth - 1];
            if (next[i] < adj[i].n) {
                size_t j = adj[i].v[next[i]++];
                if (!member(&set->eqns[j]) || mark[j] == 2)
                    continue;
                if (mark[j] == 1) {
                    st = report_cycle(set, stack, depth, j, what, err);
                    goto done;
                }
                mark[j] = 1;
                stack[depth++] = j;
            } else {
                mark[i] = 2;
                order[(*count)++] = i;
                depth--;
            }
        }
    }
done:
    if (adj)
        for (size_t i = 0; i < n; i++)
            free(adj[i].v);
    free(adj);
    free(mark);
    free(stack);
    free(next);
    return st;
}

static int in_initial_graph(const eqn *q)
{
    return q->kind != EQN_LOOKUP;
}

ps_status order_initial(const eqn_set *set, size_t *order, size_t *n,
                        ps_error *err)
{
    return toposort(set, in_initial_graph, initial_deps,
                    "initial values form a loop", order, n, err);
}

ps_status order_step(const eqn_set *set, size_t *order, size_t *n,
                     ps_error *err)
{
    return toposort(set, in_step_graph, step_deps, "algebraic loop", order,
                    n, err);
}

/* ------------------------------------------------------------ constants */

/* Is every value e reads fixed for the whole run? */
static int expr_is_constant(const eqn_set *set, const ps_expr *e)
{
    switch (e->kind) {
    case PS_EXPR_NUMBER:
    case PS_EXPR_TABLE:
    case PS_EXPR_STRING:
        return 1;
    case PS_EXPR_REF: {
        const cvar *v = eqn_set_var(set, e->u.ref.key);
        if (!v) /* a range used as a number is fixed; TIME, or an unknown
                   name reported later, is not */
            return subs_dim_find(set, e->u.ref.key) != (size_t)-1 ||
                   subs_elem_find(set, e->u.ref.key) != (size_t)-1;
        /* every equation of the variable must be fixed */
        for (size_t i = v->first; i != (size_t)-1; i = set->eqns[i].next) {
            const eqn *q = &set->eqns[i];
            if (!(q->kind == EQN_INITIAL ||
                  (q->kind == EQN_AUX && q->is_constant)))
                return 0;
        }
        return 1;
    }
    case PS_EXPR_UNARY:
        return expr_is_constant(set, e->u.unary.arg);
    case PS_EXPR_BINARY:
        return expr_is_constant(set, e->u.binary.lhs) &&
               expr_is_constant(set, e->u.binary.rhs);
    case PS_EXPR_CALL: {
        const builtin *b = builtin_find(e->u.call.key);
        if (b && (b->cls == BI_TIMED || b->cls == BI_RANDOM ||
                  b->cls == BI_STATEFUL))
            return 0;
        for (size_t i = 0; i < e->u.call.argc; i++)
            if (!expr_is_constant(set, e->u.call.argv[i]))
                return 0;
        return 1;
    }
    }
    return 0;
}

void mark_constants(eqn_set *set, const size_t *initial_order, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        eqn *q = &set->eqns[initial_order[k]];
        q->is_constant = q->kind == EQN_AUX && !q->init &&
                         (q->values ||
                          (q->expr && expr_is_constant(set, q->expr)));
    }
}
