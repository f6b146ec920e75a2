/*
 * What `plansim sweep` gives back: the probability surface (target
 * probabilities over the grid of lever values) as a table on stdout, a
 * netCDF-4-compatible HDF5 file and a long-form CSV file
 * (docs/sweeps.md).
 */
#ifndef PLANSIM_CLI_SWEEP_OUT_H
#define PLANSIM_CLI_SWEEP_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lever_grid.h"
#include "plansim/status.h"
#include "scenario_run.h"

/* The results per target and grid point, target-major (the grid points
   row-major, the last axis fastest), and the failures per point. */
typedef struct sweep_surface {
    size_t ntargets, npoints;
    long long *hits, *runs; /* runs: ok runs with a finite value */
    long long *failed;      /* [npoints] */
    double *p, *lo, *hi;    /* hits / runs and its 95 % Wilson interval;
                               NaN where runs is 0 */
} sweep_surface;

/* Allocates a zeroed surface; 0, or -1 when out of memory (then free it
   anyway). */
int sweep_surface_alloc(sweep_surface *s, size_t ntargets, size_t npoints);
void sweep_surface_free(sweep_surface *s);

/* What the surface is about: the prepared scenario (its varied constants
   are the axes, in order), the axes, the targets (indices into
   run->sc->targets) and the ensemble behind every point. */
typedef struct sweep_view {
    const scenario_run *run;
    const grid_axis *axes;
    size_t naxes;
    const size_t *targets;
    size_t nruns;
    uint64_t seed;
} sweep_view;

/*
 * Prints P per target: for one lever a row per target and a column per
 * value; for two a matrix per target, the first lever down; for more a
 * row per grid point with its interval.
 */
void sweep_print_table(FILE *out, const sweep_view *v, const sweep_surface *s);

/* Prints the surface as one JSON document (ps_h5_sweep_print_json). */
ps_status sweep_print_json(FILE *out, const sweep_view *v,
                           const sweep_surface *s, ps_error *err);

/*
 * The surface's HDF5 file, written point by point (ps_h5_sweep_begin):
 * begun before the first point runs (created as "path.partial", or with
 * `resume` the .partial an interrupted sweep left, whose finished points
 * are then read back into `s`), each point put as it finishes, finished
 * (checked and renamed) or abandoned (left as .partial on an
 * interruption).  `v` and `s` are borrowed until then; `command_line`
 * goes into the provenance.  Errors as ps_h5_sweep_begin.
 */
typedef struct sweep_file sweep_file;
ps_status sweep_file_begin(const char *path, const sweep_view *v,
                           sweep_surface *s, const char *command_line,
                           int resume, double flush_seconds, sweep_file **out,
                           ps_error *err);
/* [npoints]: 1 for the points the file holds. */
const unsigned char *sweep_file_done(const sweep_file *f);
ps_status sweep_file_put(sweep_file *f, size_t point, ps_error *err);
ps_status sweep_file_finish(sweep_file **f, ps_error *err);
void sweep_file_abandon(sweep_file **f);

/*
 * Writes the surface to `path` as CSV in long form: the levers under
 * their model names, then target,probability,ci_low,ci_high,hits,runs;
 * one row per target and grid point.  Written to "path.partial", synced
 * and renamed.  PS_ERR_CANTCREAT, PS_ERR_IO naming `path`.
 */
ps_status sweep_write_csv(const char *path, const sweep_view *v,
                          const sweep_surface *s, ps_error *err);

#endif
