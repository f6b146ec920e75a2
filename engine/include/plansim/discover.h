/*
 * plansim: scenario discovery.  Which uncertain inputs, in which ranges,
 * make a target met (or missed)?
 *
 * The data are an ensemble's runs: for each run the values of its k
 * uncertain inputs and a 0/1 outcome y (1: a "case of interest", e.g. the
 * run meets the 700亿 target).  Two analyses run on them:
 *
 * PRIM, the Patient Rule Induction Method (J. H. Friedman and N. I.
 * Fisher, "Bump hunting in high-dimensional data", Statistics and
 * Computing 9, 1999, 123-143), used for scenario discovery as in B. P.
 * Bryant and R. J. Lempert, "Thinking inside the box", Technological
 * Forecasting & Social Change 77, 2010, 34-49, and as the EMA Workbench
 * implements it (ema_workbench/analysis/prim.py):
 *
 *  - A box is a set of limits lo[j] <= x_j <= hi[j].  It starts as the
 *    range of all the data.  Its coverage is the share of all cases of
 *    interest inside it, its density the share of the runs inside it that
 *    are cases of interest, its mass the share of all runs inside it.
 *  - Peeling: each step considers, for every input, cutting off the
 *    lowest and the highest `peel_alpha` of the box's runs on that input
 *    (a quantile peel; a cut always falls between two distinct values, so
 *    tied values go together, and a discrete input loses whole values),
 *    and takes the cut that raises the density most per run removed (the
 *    Workbench's default "lenient1" objective; with equal-sized peels it
 *    is the cut that raises the density most).  Ties go to the cut that
 *    restricts no new input, then to the first input, lower end first.
 *    Peeling stops when the best cut would leave less than `mass_min` of
 *    all runs, or when no cut raises the density.
 *  - Pasting (optional, on by default as in the Workbench): from the last
 *    peeled box, each step considers widening one restricted limit by
 *    the `paste_alpha` of the runs just outside it, and takes the widening
 *    that raises the density most per run added, until none does.
 *  - Every box on the way is kept: the peeling (and pasting) trajectory,
 *    the trade-off between coverage and density from which users pick a
 *    box (ps_prim_choose gives a default).
 *  - For a box, each restricted limit gets a quasi-p-value (Bryant and
 *    Lempert 2010): the one-sided binomial probability of seeing at least
 *    the box's hits among its runs if the density were that of the box
 *    with this one limit removed.  A large value says the limit adds
 *    little and could be dropped.
 *
 * Factor ranking: for each input, the two-sample Kolmogorov-Smirnov
 * distance between its values in the runs with y = 1 and with y = 0, with
 * the asymptotic p-value.  It ranks inputs one at a time; PRIM finds the
 * joint region.
 *
 * Everything here works on plain arrays, does no input or output, and is
 * deterministic: the same data give the same boxes bit for bit.
 */
#ifndef PLANSIM_DISCOVER_H
#define PLANSIM_DISCOVER_H

#include <stddef.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The runs to analyse; the caller owns every array. */
typedef struct ps_discover_data {
    size_t n;       /* runs, at least 1                                  */
    size_t k;       /* inputs, at least 1                                */
    const double *x; /* [n * k], run-major: x[i * k + j] is input j in run
                        i; finite                                       */
    const unsigned char *y; /* [n]: 1 case of interest, 0 not            */
    const unsigned char *discrete; /* [k], non-zero: input j takes a few
                                      values and its limits sit on them;
                                      NULL: none is discrete            */
} ps_discover_data;

/*
 * Checks the data: n and k at least 1, non-NULL arrays, finite inputs, y
 * 0 or 1.  PS_ERR_USAGE for missing sizes or arrays, PS_ERR_DATA naming
 * the run and input of a value that is not finite or the run of a y that
 * is neither 0 nor 1.
 */
ps_status ps_discover_check(const ps_discover_data *d, ps_error *err);

/* ---------------------------------------------------------------------
 * PRIM
 * --------------------------------------------------------------------- */

typedef struct ps_prim_options {
    double peel_alpha;  /* share of the box a peel removes, in (0, 0.5) */
    double paste_alpha; /* share of the runs outside a limit a paste
                           adds, in (0, 0.5)                          */
    double mass_min;    /* peeling keeps at least this share of all
                           runs in the box, in [0, 1)                 */
    int paste;          /* non-zero: paste after peeling              */
} ps_prim_options;

/* The defaults: peel_alpha 0.05, paste_alpha 0.05, mass_min 0.05, paste
   on (the EMA Workbench's). */
void ps_prim_options_init(ps_prim_options *o);

/* How a box on the trajectory was made from the one before it. */
typedef enum ps_prim_move {
    PS_PRIM_START, /* the first box: the range of all the data */
    PS_PRIM_PEEL,  /* a limit moved in                         */
    PS_PRIM_PASTE  /* a limit moved back out                   */
} ps_prim_move;

typedef struct ps_prim_box {
    ps_prim_move move;
    size_t input;      /* the input whose limit moved (not for START)  */
    int upper;         /* which of its limits: 0 lower, 1 upper        */
    size_t count;      /* searched runs inside the box                 */
    size_t hits;       /* cases of interest among them                 */
    double coverage;   /* hits / cases of interest in all the data     */
    double density;    /* hits / count                                 */
    double mass;       /* count / all runs                             */
    size_t restricted; /* inputs whose limits are inside their range   */
    double *lo, *hi;   /* [k] the limits: lo[j] <= x_j <= hi[j]        */
} ps_prim_box;

/* A peeling and pasting trajectory: plain data. */
typedef struct ps_prim_trajectory {
    size_t n, k;
    size_t total_hits;    /* cases of interest in all the data           */
    size_t searched;      /* runs the search started from                */
    size_t searched_hits; /* cases of interest among them                */
    double *min, *max;    /* [k] range of each input over all the data:
                             a limit equal to it is no restriction      */
    unsigned char *active; /* [n] 1 for the runs searched               */
    size_t nboxes;         /* at least 1                                 */
    ps_prim_box *boxes;    /* [nboxes]; boxes[0] is the START box        */
} ps_prim_trajectory;

/*
 * Runs PRIM on the runs of `d` where active[i] is non-zero (NULL: all
 * runs), e.g. the runs left outside a first box when looking for a
 * second.  Coverage and mass stay relative to all of `d`.  `opts` may be
 * NULL (defaults).  On success *out is a new trajectory owned by the
 * caller (free with ps_prim_trajectory_free); when no cut raises the
 * density (e.g. every searched run is a case of interest) it holds only
 * the START box.  PS_ERR_USAGE for bad options; PS_ERR_DATA for bad data
 * (see ps_discover_check) or when the searched runs hold no case of
 * interest (coverage would be 0 / 0).
 */
ps_status ps_prim_find(const ps_discover_data *d, const unsigned char *active,
                       const ps_prim_options *opts, ps_prim_trajectory **out,
                       ps_error *err);

/* Frees a trajectory and sets *t to NULL.  NULL is allowed. */
void ps_prim_trajectory_free(ps_prim_trajectory **t);

/*
 * The default box, in *box: of the boxes that keep at least
 * `min_coverage` of the searched cases of interest (hits / searched_hits;
 * for a first box this is the coverage) and whose every restriction has a
 * quasi-p-value of at most `max_p`, the one of highest density; of equal
 * densities, the one of larger coverage, then the earlier one.  The START
 * box restricts nothing and always qualifies.  Why the quasi-p filter:
 * with noisy outcomes peeling goes on to cut inputs that do not matter
 * for a sliver of density, and the densest box then carries limits that
 * only fit the noise; 0.05 drops them.  max_p >= 1 turns the filter off
 * (then `d` may be NULL).  PS_ERR_USAGE for missing arguments.
 */
ps_status ps_prim_choose(const ps_discover_data *d,
                         const ps_prim_trajectory *t, double min_coverage,
                         double max_p, size_t *box, ps_error *err);

/*
 * Non-zero when input j's lower (`upper` zero) or upper limit in box b
 * is a restriction: inside the range of all the data.
 */
int ps_prim_restricts(const ps_prim_trajectory *t, size_t b, size_t j,
                      int upper);

/* Sets in[i] to 1 for the searched runs inside box b, else 0. */
void ps_prim_members(const ps_discover_data *d, const ps_prim_trajectory *t,
                     size_t b, unsigned char *in);

/*
 * The quasi-p-values of box b: p_lo[j] and p_hi[j] for input j's lower
 * and upper limits, P(X >= hits) for X binomial with the box's count of
 * trials and the density of the box without that limit (over the searched
 * runs); NaN for a limit that is no restriction.  Arrays of t->k.
 * PS_ERR_USAGE when b is not on the trajectory.
 */
ps_status ps_prim_quasi_p(const ps_discover_data *d,
                          const ps_prim_trajectory *t, size_t b, double *p_lo,
                          double *p_hi, ps_error *err);

/* P(X >= h) for X binomial(n, p), computed without cancellation for tiny
   tails; 1 for h = 0, 0 for h > n, NaN for p outside [0, 1]. */
double ps_binomial_upper_tail(size_t h, size_t n, double p);

/* ---------------------------------------------------------------------
 * Factor ranking
 * --------------------------------------------------------------------- */

typedef struct ps_ks_factor {
    size_t input;  /* index into the inputs                            */
    double d;      /* sup |F1(x) - F0(x)|: the KS distance in [0, 1]    */
    double p;      /* its asymptotic p-value                            */
    int direction; /* +1: cases of interest tend to have larger values
                      (F1 below F0 where they differ most), -1 smaller,
                      0 when d is 0                                    */
} ps_ks_factor;

/*
 * For each input j, out[j] gets the two-sample Kolmogorov-Smirnov
 * distance between the empirical distributions of x_j in the runs with
 * y = 1 (F1) and with y = 0 (F0), ties counted together, and its
 * p-value.  out has d->k entries, in input order.  PS_ERR_DATA for bad
 * data or when either group is empty.
 */
ps_status ps_ks_factors(const ps_discover_data *d, ps_ks_factor *out,
                        ps_error *err);

/* Sorts factors by distance, largest first; equal distances keep input
   order. */
void ps_ks_rank(ps_ks_factor *f, size_t k);

/*
 * The asymptotic p-value of a two-sample KS distance d between samples of
 * n1 and n2 values: Q_KS((sqrt(ne) + 0.12 + 0.11 / sqrt(ne)) d) with
 * ne = n1 n2 / (n1 + n2) and Q_KS(l) = 2 sum_{j>=1} (-1)^(j-1)
 * exp(-2 j^2 l^2), Stephens' small-sample correction (M. A. Stephens,
 * JRSS B 32, 1970, 115-122), as in Numerical Recipes.  Good to a few per
 * cent from ne = 4 on.  NaN when n1 or n2 is 0 or d is outside [0, 1].
 */
double ps_ks_pvalue(double d, size_t n1, size_t n2);

/* Q_KS(l), the Kolmogorov distribution's upper tail P(K > l): 1 for
   l <= 0. */
double ps_kolmogorov_q(double l);

#ifdef __cplusplus
}
#endif
#endif
