/*
 * Free constants: levers, fixed values and model constants that an
 * ensemble sets anew for each evaluation (a grid point of a sweep, a step
 * of a solver) through ps_ensemble_spec.sim.overrides, so that one
 * compiled program serves every evaluation.
 *
 * A lever's time path is replaced by one number over the whole run: a
 * free lever takes one value in every year.
 */
#ifndef PLANSIM_CLI_VARIED_H
#define PLANSIM_CLI_VARIED_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/model.h"
#include "plansim/program.h"
#include "plansim/scenario.h"
#include "plansim/status.h"

/* What a free constant is in the scenario. */
typedef enum varied_kind {
    VARIED_LEVER,   /* a lever: its path becomes one value        */
    VARIED_FIXED,   /* a fixed value                              */
    VARIED_CONSTANT /* a constant of the model the scenario keeps */
} varied_kind;

typedef struct varied_const {
    char *name; /* the model's spelling, with the subscripts given
                   ("capacity[新材料]": that element alone)       */
    varied_kind kind;
    /* Its value in the scenario: the fixed value; the mean of a lever's
       points; a model constant's value with every uncertain input at the
       model's own value. */
    double value;
    int path_varies;   /* a lever whose points differ              */
    const char *label; /* the scenario's label (owned by it), or
                          NULL                                     */
    size_t var;        /* its program variable (once bound)        */
    size_t elem;       /* the element named, or 0 for every element
                          (once bound)                             */
} varied_const;

/* "lever", "fixed value" or "model constant". */
const char *varied_kind_name(varied_kind kind);

/*
 * Resolves the n names (command-line text) against the scenario and its
 * model, after ps_scenario_apply: each must be a lever, a fixed value or
 * a model variable the scenario leaves alone, and none an uncertain
 * input, a stock, a lookup or a time setting; none twice.  A lever's
 * equation is replaced by its value (the mean of its points).  On success
 * *out is a new array of n entries (free with varied_release);
 * PS_ERR_USAGE naming the offending name (and the nearest model name when
 * it names none), or PS_ERR_NOMEM.
 */
ps_status varied_resolve(const ps_scenario *sc, ps_model *model,
                         const char *const *names, size_t n, varied_const **out,
                         ps_error *err);

/*
 * After compiling: finds each free constant's program variable, checks
 * that it is a constant (a model variable computed anew at each step is
 * PS_ERR_USAGE: the scenario has to fix it or make it a lever), and reads
 * the value of the model constants at initialisation with (seed, run 0).
 */
ps_status varied_bind(const ps_program *prog, uint64_t seed, varied_const *fv,
                      size_t n, ps_error *err);

/* Frees the array and what its entries own.  NULL is allowed. */
void varied_release(varied_const *fv, size_t n);

#endif
