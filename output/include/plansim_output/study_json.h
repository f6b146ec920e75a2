/*
 * plansim output: the JSON documents of the studies that print their
 * results rather than keep them in a file of their own (`plansim solve`,
 * `plansim discover`, `plansim fit`).  Each is one object with a
 * `format_version` (1) and a `command`; docs/sweeps.md, docs/discovery.md
 * and docs/calibration.md give their shapes.  Every string is UTF-8 and
 * may be NULL (written as null); every pointer is borrowed.  Written
 * through plansim_output/json.h: NaN and infinities are null.
 */
#ifndef PLANSIM_OUTPUT_STUDY_JSON_H
#define PLANSIM_OUTPUT_STUDY_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plansim/discover.h"
#include "plansim/fit.h"
#include "plansim/status.h"
#include "plansim_output/h5.h"
#include "plansim_output/json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- shared ------------------------------------------------------------- */

/* A target's definition as members of the object being written: name,
   label, variable, time, compare, lo and hi (the bound the rule does not
   use is null), binding. */
void ps_json_target_members(ps_json *j, const ps_h5_target_meta *t);

/* ---- plansim solve ------------------------------------------------------ */

/* One evaluation: the target's probability at lever value x, with its
   95 % Wilson interval (Monte Carlo sampling error). */
typedef struct ps_solve_point {
    double x;
    double probability, ci_low, ci_high; /* NaN when runs is 0 */
    long long hits, runs;
} ps_solve_point;

/* One end of the lever's interval: a value found, or where it lies
   beyond the range searched. */
typedef struct ps_solve_end {
    double x;
    const char *relation; /* "=": found at x; "<=", ">=": reached already
                             at the range's end x; "<", ">": beyond x    */
} ps_solve_end;

typedef struct ps_solve_report {
    const char *title, *scenario;
    uint64_t seed;
    const ps_h5_target_meta *target;
    const char *lever, *lever_label, *lever_units, *lever_kind;
    double lever_value; /* in the scenario (a path: its average)      */
    int path_set_aside; /* a time path taken as one value every year   */
    int largest;        /* the largest value reaching P, not smallest */
    double range_low, range_high, probability, tolerance;
    const char *outcome; /* "found", "everywhere" (every value in the
                            range reaches P: x is the range's end) or
                            "nowhere" (no value does: x is the best end) */
    double x;            /* the answer, or the end named by outcome    */
    double x_miss;       /* found: the neighbour below P; else NaN      */
    ps_solve_point at;   /* the evaluation at x                         */
    /* When some value reaches P: the lever's interval from P's 95 %
       Monte Carlo interval [p_low, p_high] for at.runs runs. */
    int has_interval;
    double p_low, p_high;
    ps_solve_end low, high;
    size_t evaluations, runs_per_evaluation;
    /* A probability that falls somewhere it should grow: the pair. */
    int non_monotone;
    ps_solve_point before, after;
} ps_solve_report;

/* Prints a solve report as one JSON document.  PS_ERR_IO when writing
   to `out` fails. */
ps_status ps_solve_print_json(FILE *out, const ps_solve_report *r,
                              ps_error *err);

/* ---- plansim discover --------------------------------------------------- */

/* A PRIM box: its peeling trajectory, the step chosen, and the
   quasi-p-values [k] of that step's limits (NaN: no limit). */
typedef struct ps_discover_box_view {
    const ps_prim_trajectory *trajectory;
    size_t chosen;
    const double *p_lo, *p_hi;
} ps_discover_box_view;

typedef struct ps_discover_report {
    const char *file;                /* the ensemble file read        */
    const ps_h5_discover_data *data; /* the target, runs and inputs   */
    int missed;                      /* cases: the runs that miss it  */
    size_t cases;                    /* cases of interest             */
    size_t nboxes;
    const ps_discover_box_view *boxes; /* [nboxes]                      */
    const ps_ks_factor *factors;       /* [data->ninputs], ranked       */
} ps_discover_report;

/* Prints a discovery as one JSON document: the target, the runs and
   cases, each box with its limits and peeling trajectory, the factor
   ranking.  PS_ERR_IO when writing to `out` fails. */
ps_status ps_discover_print_json(FILE *out, const ps_discover_report *r,
                                 ps_error *err);

/* ---- plansim fit -------------------------------------------------------- */

/*
 * Prints the fits of n observed variables (names[j] and fits[j], as
 * ps_fit_compute made them) as one JSON document: per variable the
 * pairs counted, MAPE and RMSPE in percent, Theil's U and its
 * decomposition, the means, standard deviations and correlation, and
 * the notes behind any null (ps_fit_flag_text).  `observed` names the
 * observed data (a file, or NULL for a scenario's own series).
 * PS_ERR_IO when writing to `out` fails.
 */
ps_status ps_fit_print_json(FILE *out, const char *observed, size_t n,
                            const char *const *names, const ps_fit *fits,
                            ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
