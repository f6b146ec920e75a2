/*
 * The model IR: variables in file order plus a hash index over their
 * canonical keys (open addressing, linear probing).
 */
#include "plansim/model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"

/* Slots hold var index + 1; 0 marks an empty slot. */
#define EMPTY_SLOT 0

/* FNV-1a over the key's bytes. */
static size_t key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

void ps_var_clear(ps_var *v)
{
    free(v->name);
    free(v->key);
    ps_expr_free(v->expr);
    ps_expr_free(v->init);
    ps_table_free(v->table);
    free(v->units);
    free(v->doc);
    ps_subscripts_clear(&v->subs);
    for (size_t i = 0; i < v->nexcepts; i++)
        ps_subscripts_clear(&v->excepts[i]);
    free(v->excepts);
    free(v->values);
    free(v->value_locs);
    memset(v, 0, sizeof *v);
    v->next_def = (size_t)-1;
}

void ps_dim_clear(ps_dim *d)
{
    free(d->name);
    free(d->key);
    ps_subscripts_clear(&d->elems);
    for (size_t i = 0; i < d->nmaps; i++) {
        free(d->maps[i].to);
        free(d->maps[i].to_name);
        ps_subscripts_clear(&d->maps[i].elems);
    }
    free(d->maps);
    free(d->equiv);
    ps_expr_free(d->get);
    memset(d, 0, sizeof *d);
}

#define var_clear ps_var_clear

ps_model *ps_model_new(const char *path)
{
    ps_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (path && !(m->path = strdup(path))) {
        free(m);
        return NULL;
    }
    return m;
}

void ps_model_free(ps_model **model)
{
    if (!model || !*model)
        return;
    ps_model *m = *model;
    for (size_t i = 0; i < m->nvars; i++)
        var_clear(&m->vars[i]);
    free(m->vars);
    for (size_t i = 0; i < m->ndims; i++)
        ps_dim_clear(&m->dims[i]);
    free(m->dims);
    for (size_t i = 0; i < m->nmacros; i++)
        ps_macro_clear(&m->macros[i]);
    free(m->macros);
    for (size_t i = 0; i < m->ndatasets; i++)
        free(m->datasets[i]);
    free(m->datasets);
    free(m->index);
    free(m->path);
    free(m);
    *model = NULL;
}

/* The slot holding `key`, or the empty slot where it would go.  The index
   must exist and have at least one empty slot. */
static size_t slot_of(const ps_model *m, const char *key)
{
    size_t mask = m->index_cap - 1;
    size_t s = key_hash(key) & mask;
    while (m->index[s] != EMPTY_SLOT &&
           strcmp(m->vars[m->index[s] - 1].key, key) != 0)
        s = (s + 1) & mask;
    return s;
}

/* Rebuilds the index with room for `nvars` variables at load <= 1/2. */
static int index_grow(ps_model *m, size_t nvars)
{
    size_t cap = 16;
    while (cap < 2 * nvars)
        cap *= 2;
    if (cap <= m->index_cap)
        return 0;
    size_t *index = calloc(cap, sizeof *index);
    if (!index)
        return -1;
    free(m->index);
    m->index = index;
    m->index_cap = cap;
    /* a variable's first equation holds its key (later ones chain) */
    for (size_t i = 0; i < m->nvars; i++) {
        size_t s = slot_of(m, m->vars[i].key);
        if (m->index[s] == EMPTY_SLOT)
            m->index[s] = i + 1;
    }
    return 0;
}

/* Moves *var to the end of model->vars: the model owns its pointers from
   then on and *var is left empty, so the caller's copy frees nothing.
   Returns 0, or -1 when memory runs out (nothing moved). */
static int vars_append(ps_model *model, ps_var *var)
{
    if (model->nvars == model->cap) {
        size_t cap = model->cap ? 2 * model->cap : 16;
        ps_var *vars = realloc(model->vars, cap * sizeof *vars);
        if (!vars)
            return -1;
        model->vars = vars;
        model->cap = cap;
    }
    var->next_def = (size_t)-1;
    model->vars[model->nvars++] = *var;
    memset(var, 0, sizeof *var);
    var->next_def = (size_t)-1;
    return 0;
}

ps_status ps_model_add(ps_model *model, ps_var *var, ps_error *err)
{
    const char *path = model ? model->path : NULL;
    ps_status st = PS_OK;
    if (!model || !var) {
        st = ps_error_set(err, PS_ERR_INTERNAL, path, 0, 0,
                          "ps_model_add called without a model or variable");
        goto fail;
    }
    if (!var->key) {
        if (!var->name) {
            st = ps_error_set(err, PS_ERR_INTERNAL, path, var->loc.line,
                              var->loc.column, "variable without a name");
            goto fail;
        }
        var->key = ps_name_key(var->name, strlen(var->name));
        if (!var->key)
            goto nomem;
    }
    if (!var->name && !(var->name = strdup(var->key)))
        goto nomem;
    ps_var *old = ps_model_find_key(model, var->key);
    if (ps_model_find_dim(model, var->key)) {
        ps_dim *d = ps_model_find_dim(model, var->key);
        st = ps_error_set(err, PS_ERR_SEMANTIC, path, var->loc.line,
                          var->loc.column,
                          "'%s' is already a subscript range (defined at "
                          "%d:%d)",
                          var->name, d->loc.line, d->loc.column);
        goto fail;
    }
    if (old && old->subs.n > 0 && var->subs.n > 0) {
        /* another equation of a subscripted variable: chain it */
        size_t last = (size_t)(old - model->vars);
        while (model->vars[last].next_def != (size_t)-1)
            last = model->vars[last].next_def;
        if (vars_append(model, var) != 0)
            goto nomem;
        model->vars[last].next_def = model->nvars - 1;
        return PS_OK;
    }
    if (old) {
        st = ps_error_set(err, PS_ERR_SEMANTIC, path, var->loc.line,
                          var->loc.column,
                          "'%s' is defined twice (first definition at %d:%d)",
                          var->name, old->loc.line, old->loc.column);
        goto fail;
    }
    if (index_grow(model, model->nvars + 1) != 0)
        goto nomem;
    size_t slot = slot_of(model, var->key);
    if (vars_append(model, var) != 0)
        goto nomem;
    model->index[slot] = model->nvars;
    return PS_OK;
nomem:
    st = ps_error_set(err, PS_ERR_NOMEM, path, var->loc.line, var->loc.column,
                      "out of memory adding a variable");
fail:
    if (var)
        var_clear(var);
    return st;
}

ps_status ps_model_add_dim(ps_model *model, ps_dim *dim, ps_error *err)
{
    const char *path = model->path;
    ps_status st;
    ps_dim *old = ps_model_find_dim(model, dim->key);
    ps_var *var = ps_model_find_key(model, dim->key);
    if (old || var) {
        ps_loc at = old ? old->loc : var->loc;
        st = ps_error_set(err, PS_ERR_SEMANTIC, path, dim->loc.line,
                          dim->loc.column,
                          "'%s' is defined twice (first definition at %d:%d)",
                          dim->name, at.line, at.column);
        ps_dim_clear(dim);
        return st;
    }
    ps_dim *dims = realloc(model->dims, (model->ndims + 1) * sizeof *dims);
    if (!dims) {
        st = ps_error_set(err, PS_ERR_NOMEM, path, dim->loc.line,
                          dim->loc.column, "out of memory adding a range");
        ps_dim_clear(dim);
        return st;
    }
    model->dims = dims;
    model->dims[model->ndims++] = *dim;
    memset(dim, 0, sizeof *dim);
    return PS_OK;
}

void ps_macro_clear(ps_macro *mac)
{
    free(mac->name);
    free(mac->key);
    ps_subscripts_clear(&mac->params);
    ps_subscripts_clear(&mac->outputs);
    ps_model_free(&mac->body);
    memset(mac, 0, sizeof *mac);
}

ps_status ps_model_add_macro(ps_model *model, ps_macro *mac, ps_error *err)
{
    const ps_macro *old = ps_model_find_macro(model, mac->key);
    ps_status st;
    if (old) {
        st = ps_error_set(err, PS_ERR_SEMANTIC, model->path, mac->loc.line,
                          mac->loc.column,
                          "macro '%s' is defined twice (first definition at "
                          "%d:%d)",
                          mac->name, old->loc.line, old->loc.column);
        ps_macro_clear(mac);
        return st;
    }
    ps_macro *v = realloc(model->macros, (model->nmacros + 1) * sizeof *v);
    if (!v) {
        st = ps_error_set(err, PS_ERR_NOMEM, model->path, mac->loc.line,
                          mac->loc.column, "out of memory adding a macro");
        ps_macro_clear(mac);
        return st;
    }
    model->macros = v;
    model->macros[model->nmacros++] = *mac;
    memset(mac, 0, sizeof *mac);
    return PS_OK;
}

ps_status ps_model_add_dataset(ps_model *model, const char *path,
                               ps_error *err)
{
    char **v = realloc(model->datasets, (model->ndatasets + 1) * sizeof *v);
    if (v)
        model->datasets = v;
    char *copy = v ? strdup(path) : NULL;
    if (!copy)
        return ps_error_set(err, PS_ERR_NOMEM, model->path, 0, 0,
                            "out of memory adding a dataset");
    model->datasets[model->ndatasets++] = copy;
    return PS_OK;
}

const ps_macro *ps_model_find_macro(const ps_model *model, const char *key)
{
    for (size_t i = 0; model && key && i < model->nmacros; i++)
        if (strcmp(model->macros[i].key, key) == 0)
            return &model->macros[i];
    return NULL;
}

ps_dim *ps_model_find_dim(const ps_model *model, const char *key)
{
    for (size_t i = 0; model && key && i < model->ndims; i++)
        if (strcmp(model->dims[i].key, key) == 0)
            return &model->dims[i];
    return NULL;
}

size_t ps_model_index(const ps_model *model, const char *key)
{
    if (!model || !key || model->index_cap == 0)
        return (size_t)-1;
    size_t s = slot_of(model, key);
    return model->index[s] == EMPTY_SLOT ? (size_t)-1 : model->index[s] - 1;
}

ps_var *ps_model_find_key(const ps_model *model, const char *key)
{
    size_t i = ps_model_index(model, key);
    return i == (size_t)-1 ? NULL : &model->vars[i];
}

ps_var *ps_model_find(const ps_model *model, const char *name)
{
    if (!model || !name)
        return NULL;
    /* the key on the stack when it fits: a lookup that cannot run out of
       memory, so that NULL means "no such variable" */
    size_t len = strlen(name);
    char buf[512];
    char *key = len < sizeof buf ? buf : malloc(len + 1);
    if (!key)
        return NULL;
    ps_name_key_into(name, len, key);
    ps_var *v = ps_model_find_key(model, key);
    if (key != buf)
        free(key);
    return v;
}

int ps_expr_visit_refs(const ps_expr *e, ps_ref_visitor visit, void *ctx)
{
    if (!e || !visit)
        return 0;
    int rc = 0;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
    case PS_EXPR_TABLE:
    case PS_EXPR_STRING:
        break;
    case PS_EXPR_REF:
        rc = visit(e, e->u.ref.key, ctx);
        break;
    case PS_EXPR_CALL:
        /* The function name comes before its arguments in the text. */
        rc = visit(e, e->u.call.key, ctx);
        for (size_t i = 0; rc == 0 && i < e->u.call.argc; i++)
            rc = ps_expr_visit_refs(e->u.call.argv[i], visit, ctx);
        break;
    case PS_EXPR_UNARY:
        rc = ps_expr_visit_refs(e->u.unary.arg, visit, ctx);
        break;
    case PS_EXPR_BINARY:
        rc = ps_expr_visit_refs(e->u.binary.lhs, visit, ctx);
        if (rc == 0)
            rc = ps_expr_visit_refs(e->u.binary.rhs, visit, ctx);
        break;
    }
    return rc;
}
