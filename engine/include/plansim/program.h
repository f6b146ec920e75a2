/*
 * plansim: the compiled form of a model.
 *
 * ps_program_compile() resolves names, expands stateful builtins (DELAY*,
 * SMOOTH*, TREND, FORECAST, ...) into hidden stocks and state, orders the
 * equations (reporting algebraic loops), and lowers every equation into flat
 * code over numbered slots.  A ps_program is immutable once built and may be
 * shared by any number of threads; each run keeps its own mutable state.
 */
#ifndef PLANSIM_PROGRAM_H
#define PLANSIM_PROGRAM_H

#include <stddef.h>

#include "plansim/model.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_program ps_program;

/* How `plansim check` and the output describe a variable. */
typedef enum ps_var_class {
    PS_CLASS_STOCK,
    PS_CLASS_AUX,      /* flow or auxiliary: changes during a run      */
    PS_CLASS_CONSTANT, /* depends on nothing that changes over time    */
    PS_CLASS_LOOKUP
} ps_var_class;

/* "stock", "flow/auxiliary", "constant" or "lookup". */
const char *ps_var_class_name(ps_var_class c);

/*
 * Compiles `model`.  The program copies what it needs: the model may be
 * freed afterwards.  Errors name the model file, line and column; an
 * algebraic loop lists the variables of the cycle.  The caller owns *out.
 */
ps_status ps_program_compile(const ps_model *model, ps_program **out,
                             ps_error *err);

/* Frees a program and sets *p to NULL.  NULL is allowed. */
void ps_program_free(ps_program **p);

/* The model file the program was compiled from (for diagnostics). */
const char *ps_program_path(const ps_program *p);

/* Number of model variables (hidden state of builtins is not counted), in
   the order of the model file. */
size_t ps_program_var_count(const ps_program *p);

/* Display name, class and units (NULL when none) of variable i. */
const char *ps_program_var_name(const ps_program *p, size_t i);
ps_var_class ps_program_var_class(const ps_program *p, size_t i);
const char *ps_program_var_units(const ps_program *p, size_t i);

/* The documentation text of variable i (the .mdl's third field), or NULL
   when it has none. */
const char *ps_program_var_doc(const ps_program *p, size_t i);

/* Non-zero when FINAL TIME, TIME STEP or SAVEPER are equations that can
   change during a run (Vensim reads them at every step); such a model's
   saved times are known only as it runs. */
int ps_program_dynamic_time(const ps_program *p);

/*
 * Subscripts.  A subscripted variable holds ps_program_var_size elements,
 * row-major over its ranges (dimension k runs over range
 * ps_program_var_dim(p, i, k)); a scalar has one element and no range.
 */
size_t ps_program_var_size(const ps_program *p, size_t i);
size_t ps_program_var_ndims(const ps_program *p, size_t i);
size_t ps_program_var_dim(const ps_program *p, size_t i, size_t k);

/* The ranges variables run over: name, element count, element names. */
size_t ps_program_dim_count(const ps_program *p);
const char *ps_program_dim_name(const ps_program *p, size_t d);
size_t ps_program_dim_size(const ps_program *p, size_t d);
const char *ps_program_dim_element(const ps_program *p, size_t d, size_t e);

/* "Name[e1,e2]" of element `flat` of variable i, as Vensim writes it
   ("Name" for a scalar); the caller frees it.  NULL on no memory. */
char *ps_program_element_name(const ps_program *p, size_t i, size_t flat);

/* Index of the variable called `name` (any Vensim spelling), or
   (size_t)-1. */
size_t ps_program_find(const ps_program *p, const char *name);

/* The display name of the variable whose name is nearest to `name`
   (compared as canonical keys, by ps_nearest of plansim/suggest.h), for a
   "did you mean" after an unknown name; NULL when none is close enough,
   or when memory runs out (the suggestion is then left out).  The name
   is the program's. */
const char *ps_program_nearest(const ps_program *p, const char *name);

#ifdef __cplusplus
}
#endif
#endif
