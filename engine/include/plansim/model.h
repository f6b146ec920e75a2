/*
 * plansim: the model intermediate representation.
 *
 * A ps_model is the parsed equation section of a model: one ps_var per
 * variable, each with its expression tree, units and documentation.  It
 * knows nothing of integration; the compiler (program.h) turns it into the
 * flat form that runs.
 */
#ifndef PLANSIM_MODEL_H
#define PLANSIM_MODEL_H

#include <stddef.h>

#include "plansim/expr.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_var_kind {
    PS_VAR_AUX,   /* auxiliary, flow or constant: value = expr            */
    PS_VAR_STOCK, /* level: d/dt = expr (INTEG's rate), initial = init   */
    PS_VAR_LOOKUP /* standalone lookup table, called like a function     */
} ps_var_kind;

typedef struct ps_var {
    char *name;      /* display name, as first written                      */
    char *key;       /* canonical key (ps_name_key)                         */
    ps_var_kind kind;
    ps_expr *expr;   /* AUX: value; STOCK: net rate; LOOKUP: NULL           */
    ps_expr *init;   /* STOCK: initial value; AUX: ACTIVE INITIAL's initial
                        value or NULL; LOOKUP: NULL                          */
    ps_table *table; /* LOOKUP: the table; otherwise NULL                   */
    char *units;     /* units text without the [min,max] range, or NULL     */
    int has_range;   /* units field carried [min,max(,step)]                */
    double range_min, range_max; /* -INFINITY / INFINITY for '?' (and for
                        Vensim's "nan"), and when has_range is 0            */
    char *doc;       /* documentation text, or NULL; lines are joined by
                        '\n' without their indentation                     */
    int unchangeable; /* written with '==' (an unchangeable constant)       */
    ps_loc loc;      /* where the variable's name starts                    */
    ps_loc units_loc; /* first non-blank character of the units field (just
                        after its '~' when blank); 0:0 when the equation
                        has no units field                                  */
} ps_var;

/*
 * A model.  `path` names the source in diagnostics.  Variables keep the
 * order of the file.  The model owns every variable and its trees.
 */
typedef struct ps_model {
    char *path;
    ps_var *vars;
    size_t nvars;
    size_t cap;
    /* private: name index (open addressing over vars) */
    size_t *index;
    size_t index_cap;
} ps_model;

/* A new empty model whose diagnostics name `path` (copied; may be NULL). */
ps_model *ps_model_new(const char *path);

/* Frees the model and everything it owns; sets *model to NULL.  NULL ok. */
void ps_model_free(ps_model **model);

/*
 * Adds a variable.  The model takes ownership of every pointer in *var
 * (even on failure) and zeroes *var, so the caller's copy owns nothing
 * afterwards.  `var->key` is computed from `var->name` when NULL (and the
 * name copied from the key when the name is NULL).  Fails with
 * PS_ERR_SEMANTIC, reported at var->loc, when a variable of the same key
 * exists; then the model is unchanged and *var's contents are freed.
 */
ps_status ps_model_add(ps_model *model, ps_var *var, ps_error *err);

/* The variable whose canonical key is `key`, or NULL. */
ps_var *ps_model_find_key(const ps_model *model, const char *key);

/* The variable named `name` (any spelling Vensim accepts), or NULL. */
ps_var *ps_model_find(const ps_model *model, const char *name);

/* Index of a variable in model->vars, or (size_t)-1 when absent. */
size_t ps_model_index(const ps_model *model, const char *key);

/* Called in source order (a call before its arguments, a left operand
   before the right) for every PS_EXPR_REF node and every PS_EXPR_CALL
   node of a tree, with the node's canonical key.  A call is a reference
   only when its key names a lookup variable: the visitor tells the two
   apart by looking the key up.  A non-zero return stops the walk. */
typedef int (*ps_ref_visitor)(const ps_expr *node, const char *key,
                              void *ctx);

/* Walks `e` calling `visit` for each reference; returns 0 or the first
   non-zero visitor result.  A NULL tree is an empty walk. */
int ps_expr_visit_refs(const ps_expr *e, ps_ref_visitor visit, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
