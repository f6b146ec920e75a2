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

/* How a data variable (":=") is read between its points, as Vensim's
   keywords say: the default and :INTERPOLATE: interpolate linearly, :RAW:
   gives :NA: between points, :HOLD BACKWARD: keeps the last point, :LOOK
   FORWARD: takes the next one. */
typedef enum ps_data_mode {
    PS_DATA_INTERPOLATE,
    PS_DATA_RAW,
    PS_DATA_HOLD_BACKWARD,
    PS_DATA_LOOK_FORWARD
} ps_data_mode;

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
    /* Subscripts.  A subscripted variable may be defined by several
       equations, each over its own part of the variable ("x[A] = ...",
       "x[B] = ..."): each is a ps_var of the same key, chained through
       next_def in file order; the first holds the documentation. */
    ps_subscripts subs;     /* left-hand side [a, b]; empty for scalars  */
    ps_subscripts *excepts; /* :EXCEPT: [..], [..]                       */
    size_t nexcepts;
    double *values;         /* a constant list "1, 2; 3, 4" (row-major
                               over the subscripts), or NULL             */
    size_t nvalues;
    ps_loc *value_locs;     /* where each listed value starts            */
    int is_data;            /* a data variable: ":=" (expr is its source)
                               or no equation (a dataset gives it)       */
    ps_data_mode data_mode;
    size_t next_def;        /* next equation of the same variable, or
                               (size_t)-1                                */
} ps_var;

/*
 * A subscript range: "Dim: a, b, c", "Dim: (d1-d5)", "Dim: a, SubB" (an
 * element list may name other ranges), with optional mappings
 * "-> Other" or "-> (Other: x, y, z)", or an equivalence "Dim <-> Other".
 * Element lists are kept as written; the compiler resolves ranges named
 * inside them, equivalences and mappings.
 */
typedef struct ps_dim_map {
    char *to;             /* key of the range mapped to                  */
    char *to_name;
    ps_subscripts elems;  /* explicit correspondence, or empty: by order */
    ps_loc loc;
} ps_dim_map;

typedef struct ps_dim {
    char *name;
    char *key;
    ps_loc loc;
    ps_subscripts elems;  /* as written (ranges not yet expanded)        */
    ps_dim_map *maps;
    size_t nmaps;
    char *equiv;          /* key of the range this one equals (<->)      */
    ps_expr *get;         /* GET DIRECT SUBSCRIPT(...) or NULL           */
} ps_dim;

/*
 * A model.  `path` names the source in diagnostics.  Variables keep the
 * order of the file.  The model owns every variable and its trees.
 */
/*
 * A macro ":MACRO: NAME(input, param) ... :END OF MACRO:": its equations
 * form a small model of their own, where the parameters are names bound
 * at each call and NAME is the variable whose value the call returns.
 * Each call gets its own copy of the macro's variables (and stocks).
 */
typedef struct ps_macro {
    char *name;
    char *key;
    ps_loc loc;
    ps_subscripts params;
    ps_subscripts outputs;  /* extra outputs after ':' (unsupported)   */
    struct ps_model *body;
} ps_macro;

typedef struct ps_model {
    char *path;
    ps_var *vars;
    size_t nvars;
    size_t cap;
    ps_dim *dims;   /* subscript ranges, in file order */
    size_t ndims;
    ps_macro *macros; /* macro definitions, in file order */
    size_t nmacros;
    char **datasets;  /* files holding the series of data variables that
                         have no equation (Time column, then one column
                         per element named as Vensim writes it)        */
    size_t ndatasets;
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
 * name copied from the key when the name is NULL).  A subscripted
 * equation of a variable already defined by subscripted equations is
 * chained to it (next_def).  Fails with PS_ERR_SEMANTIC, reported at
 * var->loc, when a variable of the same key exists otherwise; then the
 * model is unchanged and *var's contents are freed.
 */
ps_status ps_model_add(ps_model *model, ps_var *var, ps_error *err);

/*
 * Adds a subscript range, taking ownership of everything in *dim (even on
 * failure) and zeroing it.  A range defined twice, or a range named like a
 * variable, is PS_ERR_SEMANTIC at dim->loc.
 */
ps_status ps_model_add_dim(ps_model *model, ps_dim *dim, ps_error *err);

/* Adds a macro, taking ownership of *mac (even on failure) and zeroing
   it.  A macro defined twice is PS_ERR_SEMANTIC at mac->loc. */
ps_status ps_model_add_macro(ps_model *model, ps_macro *mac, ps_error *err);

/* Adds `path` (copied) to the datasets data variables are read from.
   PS_ERR_NOMEM. */
ps_status ps_model_add_dataset(ps_model *model, const char *path,
                               ps_error *err);

/* The macro whose key is `key`, or NULL. */
const ps_macro *ps_model_find_macro(const ps_model *model, const char *key);

/* Frees what a macro owns and zeroes it. */
void ps_macro_clear(ps_macro *mac);

/* The range whose key is `key`, or NULL. */
ps_dim *ps_model_find_dim(const ps_model *model, const char *key);

/* Frees what a range owns and zeroes it. */
void ps_dim_clear(ps_dim *dim);

/* Frees what one variable entry owns and zeroes it. */
void ps_var_clear(ps_var *var);

/* The variable whose canonical key is `key`, or NULL. */
ps_var *ps_model_find_key(const ps_model *model, const char *key);

/* The variable named `name` (any spelling Vensim accepts), or NULL. */
ps_var *ps_model_find(const ps_model *model, const char *name);

/* The variable whose name is nearest to `name` (compared as canonical
   keys, by ps_nearest of plansim/suggest.h) in *near, or NULL when none is
   close enough to be a likely misspelling.  Returns 0, or -1 when memory
   runs out (*near is then NULL).  The variable is the model's. */
int ps_model_nearest(const ps_model *model, const char *name,
                     const ps_var **near);

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
