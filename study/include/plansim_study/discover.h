/*
 * plansim_study: the discover study.  Reads the target and the runs of an
 * ensemble file (ps_h5_discover_read), runs PRIM for one box or two (the
 * second in the runs outside the first) and the Kolmogorov-Smirnov
 * factor ranking (plansim/discover.h).
 */
#ifndef PLANSIM_STUDY_DISCOVER_H
#define PLANSIM_STUDY_DISCOVER_H

#include <stddef.h>

#include "plansim/discover.h"
#include "plansim/status.h"
#include "plansim_output/h5.h"
#include "plansim_study/run.h"

#define DISC_MAX_BOXES 2

/* What the analysis is asked for. */
typedef struct disc_options {
    const char *file, *target;
    int missed; /* the cases of interest are the runs that missed */
    ps_prim_options prim;
    double min_coverage, max_p;
    size_t nboxes;
    int have_pick[DISC_MAX_BOXES];
    size_t pick[DISC_MAX_BOXES]; /* the chosen step of a box, when had */
} disc_options;

/* One PRIM box: its trajectory, the chosen step, its limits' p-values. */
typedef struct disc_box {
    ps_prim_trajectory *t;
    size_t chosen;
    double *p_lo, *p_hi; /* [k] */
} disc_box;

typedef struct disc_run {
    const disc_options *a;
    ps_h5_discover_data *h;
    ps_discover_data d;
    unsigned char *y, *discrete;
    size_t cases;
    size_t nboxes; /* boxes found: 1, or 2 when a second was asked for and
                      cases were left outside the first */
    disc_box box[DISC_MAX_BOXES];
    ps_ks_factor *factors; /* [k], ranked */
    int bad_pick;          /* the error is about a->pick: a step the trajectory
                              lacks, or a second box there is none of */
} disc_run;

/*
 * Reads r->a->file (bracketed by hooks->read_begin/read_end; hooks may be
 * NULL) and runs the analyses r->a asks for into *r, which the caller
 * zeroed and pointed at its options.  PS_ERR_DATA naming the file when it
 * has no uncertain inputs, no usable run or nothing to discover; with
 * r->bad_pick set, PS_ERR_USAGE for a pick that cannot be had; the file
 * reader's and the analyses' errors; PS_ERR_NOMEM.  Free *r with
 * disc_run_free either way.
 */
ps_status disc_analyse(disc_run *r, const study_hooks *hooks, ps_error *err);

/* Frees what *r holds (not r->a); a zeroed *r is fine. */
void disc_run_free(disc_run *r);

#endif
