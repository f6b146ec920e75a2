/*
 * The working set of equations: a growable array with a hash index over
 * canonical keys.
 */
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"

static size_t hash_key(const char *s)
{
    size_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* Indexes equation i under its key unless an earlier equation of the
   same variable holds it (the index points at a variable's first
   equation). */
static int index_insert(size_t *index, size_t cap, const eqn *eqns,
                        size_t i)
{
    size_t h = hash_key(eqns[i].key) & (cap - 1);
    while (index[h] != (size_t)-1) {
        if (strcmp(eqns[index[h]].key, eqns[i].key) == 0)
            return 0;
        h = (h + 1) & (cap - 1);
    }
    index[h] = i;
    return 0;
}

static int index_grow(eqn_set *set)
{
    size_t cap = set->index_cap ? 2 * set->index_cap : 64;
    size_t *index = malloc(cap * sizeof *index);
    if (!index)
        return -1;
    memset(index, 0xff, cap * sizeof *index);
    for (size_t i = 0; i < set->n; i++)
        index_insert(index, cap, set->eqns, i);
    free(set->index);
    set->index = index;
    set->index_cap = cap;
    return 0;
}

static void eqn_clear(eqn *e)
{
    free(e->key);
    free(e->name);
    ps_expr_free(e->expr);
    ps_expr_free(e->init);
    ps_table_free(e->table);
    if (e->tables)
        for (size_t i = 0; i < e->it.n; i++)
            ps_table_free(e->tables[i]);
    free(e->tables);
    box_free(&e->it);
    free(e->values);
    memset(e, 0, sizeof *e);
}

void eqn_discard(eqn *e)
{
    eqn_clear(e);
}

size_t eqn_set_add_var(eqn_set *set, cvar *v)
{
    if (set->nvars == set->vars_cap) {
        size_t cap = set->vars_cap ? 2 * set->vars_cap : 32;
        cvar *vars = realloc(set->vars, cap * sizeof *vars);
        if (!vars) {
            free(v->key);
            free(v->name);
            free(v->node_of);
            memset(v, 0, sizeof *v);
            return (size_t)-1;
        }
        set->vars = vars;
        set->vars_cap = cap;
    }
    set->vars[set->nvars] = *v;
    memset(v, 0, sizeof *v);
    return set->nvars++;
}

cvar *eqn_set_var(const eqn_set *set, const char *key)
{
    size_t i = eqn_set_find(set, key);
    return i == (size_t)-1 ? NULL : &set->vars[set->eqns[i].var];
}

size_t eqn_set_add(eqn_set *set, eqn *e)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 32;
        eqn *eqns = realloc(set->eqns, cap * sizeof *eqns);
        if (!eqns)
            goto fail;
        set->eqns = eqns;
        set->cap = cap;
    }
    if (2 * (set->n + 1) > set->index_cap && index_grow(set) != 0)
        goto fail;
    set->eqns[set->n] = *e;
    if (index_insert(set->index, set->index_cap, set->eqns, set->n) != 0) {
        /* Duplicate keys are caught by the model; never reached. */
        eqn_clear(&set->eqns[set->n]);
        memset(e, 0, sizeof *e);
        return (size_t)-1;
    }
    memset(e, 0, sizeof *e);
    return set->n++;
fail:
    eqn_clear(e);
    return (size_t)-1;
}

size_t eqn_set_find(const eqn_set *set, const char *key)
{
    if (!set->index_cap)
        return (size_t)-1;
    size_t h = hash_key(key) & (set->index_cap - 1);
    while (set->index[h] != (size_t)-1) {
        if (strcmp(set->eqns[set->index[h]].key, key) == 0)
            return set->index[h];
        h = (h + 1) & (set->index_cap - 1);
    }
    return (size_t)-1;
}

const ps_expr *eqn_startup_expr(const eqn *q)
{
    switch (q->kind) {
    case EQN_AUX:
        return q->init ? q->init : q->expr;
    case EQN_INITIAL:
        return q->expr;
    case EQN_STOCK:
    case EQN_HELD:
    case EQN_DELAY:
        return q->init;
    case EQN_LOOKUP:
        break;
    }
    return NULL;
}

void eqn_set_free(eqn_set *set)
{
    ext_close(set);
    for (size_t i = 0; i < set->n; i++)
        eqn_clear(&set->eqns[i]);
    free(set->eqns);
    free(set->index);
    for (size_t i = 0; i < set->nvars; i++) {
        free(set->vars[i].key);
        free(set->vars[i].name);
        free(set->vars[i].node_of);
    }
    free(set->vars);
    for (size_t i = 0; i < set->ndims; i++) {
        free(set->dims[i].name);
        free(set->dims[i].key);
        free(set->dims[i].elem);
        free(set->dims[i].pos_index);
    }
    free(set->dims);
    for (size_t i = 0; i < set->nelems; i++) {
        free(set->elem_names[i]);
        free(set->elem_keys[i]);
    }
    free(set->elem_names);
    free(set->elem_keys);
    free(set->elem_index);
    memset(set, 0, sizeof *set);
}
