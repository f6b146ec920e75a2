/*
 * What `plansim sweep` and `plansim solve` read from their command line:
 * lever axes ("NAME=FROM:TO:STEPS"), ranges ("A:B"), the grid of lever
 * values they span, and the targets asked for.
 */
#ifndef PLANSIM_CLI_LEVER_GRID_H
#define PLANSIM_CLI_LEVER_GRID_H

#include <stddef.h>

#include "plansim/scenario.h"
#include "plansim/status.h"

/* Most axes, values on one axis, and points on a grid. */
#define GRID_MAX_AXES 8
#define GRID_MAX_STEPS 100000
#define GRID_MAX_POINTS 1000000

/* One varied lever: --vary "NAME=FROM:TO:STEPS". */
typedef struct grid_axis {
    char *name; /* as written (the model's spelling comes later) */
    double from, to;
    size_t steps; /* at least 2: FROM and TO included */
} grid_axis;

/*
 * Parses "NAME=FROM:TO:STEPS" into *axis (the name is copied: free it).
 * FROM and TO are finite and differ (TO may be below FROM); STEPS is a
 * whole number from 2 to GRID_MAX_STEPS.  Returns 0, or -1 with the
 * reason in msg[size] (axis untouched); msg may be NULL.
 */
int grid_parse_axis(const char *text, grid_axis *axis, char *msg, size_t size);

/* Parses "A:B" with finite A < B.  0, or -1 with the reason in msg. */
int grid_parse_range(const char *text, double *a, double *b, char *msg,
                     size_t size);

/* Value i of an axis: FROM + i (TO - FROM) / (STEPS - 1) rounded to 15
   significant digits; exactly FROM at the first and TO at the last. */
double grid_axis_value(const grid_axis *axis, size_t i);

/* Number of grid points (product of the steps); 0 when it is more than
   GRID_MAX_POINTS. */
size_t grid_count(const grid_axis *axes, size_t n);

/* The lever values values[n] of point `index`, row-major: the last axis
   varies fastest (as C arrays and netCDF lay them out). */
void grid_point(const grid_axis *axes, size_t n, size_t index, double *values);

/*
 * The targets asked for: the indices into sc->targets of the n names
 * (all the scenario's targets when n is 0), in the order given.  *out is
 * a new array of *count indices (caller frees).  PS_ERR_USAGE for a name
 * the scenario has no target of (listing its targets) or a name given
 * twice; PS_ERR_DATA when the scenario has no targets at all.
 */
ps_status grid_select_targets(const ps_scenario *sc, const char *const *names,
                              size_t n, size_t **out, size_t *count,
                              ps_error *err);

#endif
