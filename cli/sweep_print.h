/*
 * `plansim sweep`'s surface on standard output: the table of P per
 * target, or one JSON document.
 */
#ifndef PLANSIM_CLI_SWEEP_PRINT_H
#define PLANSIM_CLI_SWEEP_PRINT_H

#include <stdio.h>

#include "plansim/status.h"
#include "plansim_study/sweep.h"

/*
 * Prints P per target: for one lever a row per target and a column per
 * value; for two a matrix per target, the first lever down; for more a
 * row per grid point with its interval.
 */
void sweep_print_table(FILE *out, const sweep_view *v, const sweep_surface *s);

/* Prints the surface as one JSON document (ps_h5_sweep_print_json). */
ps_status sweep_print_json(FILE *out, const sweep_view *v,
                           const sweep_surface *s, ps_error *err);

#endif
