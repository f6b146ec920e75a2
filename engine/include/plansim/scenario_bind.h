/*
 * plansim: a scenario's uncertain inputs and targets bound to a compiled
 * program.
 *
 * A scenario names variables and elements as the modeller writes them;
 * an ensemble needs columns of drawn values, where each column goes in the
 * program (ps_input_slot), the columns' rank correlations, and each
 * target's program variable and element.  Binding works that out once,
 * for any caller: the command line, a test, or one rank of a cluster run.
 */
#ifndef PLANSIM_SCENARIO_BIND_H
#define PLANSIM_SCENARIO_BIND_H

#include <stddef.h>

#include "plansim/ensemble.h"
#include "plansim/program.h"
#include "plansim/scenario.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A column of the runs' inputs: one draw of an uncertain input.  An
   input on several elements is one column (one draw shared by them) or,
   with `per element: true`, one column per element. */
typedef struct ps_sc_column {
    size_t input;        /* its uncertain input: sc->inputs[input]       */
    char *name;          /* the scenario's name ("capacity[新材料]"), or
                            for a per-element draw the variable with that
                            element                                      */
    const ps_dist *dist; /* the input's distribution (the scenario's)    */
} ps_sc_column;

/* What ps_scenario_bind works out.  Owns everything in it except the
   distributions, which stay the scenario's. */
typedef struct ps_sc_binding {
    size_t ncolumns;
    ps_sc_column *columns;
    double *correlation; /* ncolumns x ncolumns rank correlation of the
                            columns, or NULL when the scenario has none;
                            a per-element column is uncorrelated          */
    size_t nslots;
    ps_input_slot *slots; /* where each column goes (ps_ensemble_spec)   */
    size_t ntargets;
    size_t *target_var;  /* per target: its program variable ...        */
    size_t *target_elem; /* ... and element (0 for a scalar)             */
    char **target_names; /* "output[新材料]" as Vensim writes it          */
    size_t nobserved;    /* sc->observed's series (0 without a section) */
    size_t *obs_var;     /* per series: its program variable ...         */
    size_t *obs_elem;    /* ... and element (0 for a scalar)             */
    size_t *obs_of_var;  /* PS_OBS_SHARE: the denominator's variable ... */
    size_t *obs_of_elem; /* ... and element; SIZE_MAX for other kinds    */
} ps_sc_binding;

/*
 * Binds sc's uncertain inputs and targets to `prog`, compiled from
 * `model` (the model sc was applied to).  Errors of an unknown variable
 * or element are located at the scenario's text; PS_ERR_NOMEM.  On
 * failure *out holds nothing.  Free with ps_sc_binding_free.
 */
ps_status ps_scenario_bind(const ps_scenario *sc, const ps_model *model,
                           const ps_program *prog, ps_sc_binding *out,
                           ps_error *err);

/* Frees what a binding owns and zeroes it.  NULL is allowed. */
void ps_sc_binding_free(ps_sc_binding *b);

#ifdef __cplusplus
}
#endif
#endif
