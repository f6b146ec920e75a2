/*
 * plansim_study: the fit study's observed table, read, its columns
 * matched to model variables and its times to steps of the run, errors
 * located at the cell (file:line:col); the measures are the engine's
 * (plansim/fit.h).
 */
#ifndef PLANSIM_STUDY_FIT_H
#define PLANSIM_STUDY_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/instance.h"
#include "plansim/program.h"
#include "plansim/series.h"
#include "plansim/status.h"

/* The observed data matched to the model and the run. */
typedef struct fit_data {
    const char *path;
    ps_series *obs;
    size_t *vars;    /* program variable of each observed column       */
    size_t *elems;   /* and its element ("output[north,新材料]"; 0 for a
                        scalar)                                        */
    uint64_t *steps; /* time step of each observed row                 */
    double *sim;     /* nrows x ncols simulated values, NaN until run  */
    size_t saved;    /* rows the run has filled                        */
    double t0, dt;
} fit_data;

/*
 * Reads the table at `path` (borrowed: *d keeps the pointer) into *d and
 * matches each column to a variable of `prog` that has values over time,
 * or to one element of a subscripted one ("output[north,新材料]", as
 * Vensim and `plansim simulate` name columns), once; `sim` is all NaN,
 * `steps` unset until fit_data_match_rows.  PS_ERR_DATA (at the cell)
 * for no variable column, a column naming no variable or element, a
 * whole subscripted variable, a lookup or a variable named twice; the
 * table reader's errors; PS_ERR_NOMEM.  Free *d with fit_data_free, also
 * after an error.
 */
ps_status fit_data_prepare(const char *path, const ps_program *prog,
                           fit_data *d, ps_error *err);

/*
 * Sets each row's step: its time must fall on a TIME STEP of the run
 * described by `ts`, once, and on a saved step unless `every_step` (the
 * run saves at each step).  PS_ERR_DATA (at the cell) for a time outside
 * the run, between steps, not saved or repeated, and for an infinite
 * observed value.
 */
ps_status fit_data_match_rows(fit_data *d, const ps_time_settings *ts,
                              int every_step, ps_error *err);

/* Frees what *d owns (not `path`); *d may be zeroed or half-built. */
void fit_data_free(fit_data *d);

#endif
