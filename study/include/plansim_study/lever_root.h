/*
 * How far must a lever move?  A bracketing root finder on P(x) - q, where
 * P(x) is a target's estimated probability at lever value x.
 *
 * With common random numbers P(x) = hits(x) / n is a step function of x
 * (it moves by 1/n as single runs cross the threshold), monotone when the
 * model is.  The answer to "the smallest x in [a, b] with P(x) >= q" is
 * found by bisection: check the ends, then halve the first bracket
 * [x_miss, x_hit] (from the worse end) where P crosses q until it is no
 * wider than the tolerance.  Regula falsi would gain little on a step
 * function.  Every evaluation is kept, sorted, and reused by later
 * levels: solving for q and for the ends of q's Monte Carlo interval
 * shares the brackets already found.
 */
#ifndef PLANSIM_STUDY_LEVER_ROOT_H
#define PLANSIM_STUDY_LEVER_ROOT_H

#include <stddef.h>

#include "plansim/status.h"

/* The probability at x: hits out of runs.  Called once per new x. */
typedef ps_status (*ps_root_fn)(void *ctx, double x, long long *hits,
                                long long *runs, ps_error *err);

typedef struct ps_root_point {
    double x;
    long long hits, runs;
    double p; /* hits / runs; NaN when runs is 0 (never reaches q) */
} ps_root_point;

typedef struct ps_root_solver {
    ps_root_fn f;
    void *ctx;
    double a, b; /* the range, a < b                                    */
    int largest; /* 0: P grows with x, find the smallest x reaching q;
                    1: P falls as x grows, find the largest             */
    double tol;  /* stop when the bracket is this narrow (> 0)          */
    size_t max_evaluations; /* 0: no limit but the tolerance's           */
    ps_root_point *pts; /* evaluations, ordered from the worse end          */
    size_t n, cap;
} ps_root_solver;

/* A solver over [a, b]; no evaluation is made yet. */
void ps_root_init(ps_root_solver *s, ps_root_fn f, void *ctx, double a,
                  double b, int largest, double tol);

void ps_root_free(ps_root_solver *s);

typedef enum ps_root_outcome {
    PS_ROOT_FOUND,      /* q is crossed inside the range                   */
    PS_ROOT_EVERYWHERE, /* already reached at the worse end (a, or b with
                        `largest`): x is that end                        */
    PS_ROOT_NOWHERE     /* not reached at the better end: x is that end     */
} ps_root_outcome;

typedef struct ps_root_result {
    ps_root_outcome outcome;
    double x;         /* FOUND: the evaluated value reaching q nearest the
                         crossing; otherwise the end named above          */
    double x_miss;    /* FOUND: its neighbour that does not reach q, within
                         the tolerance; otherwise NaN                      */
    ps_root_point at; /* the evaluation at x                              */
} ps_root_result;

/*
 * Finds where P first reaches q, coming from the worse end, evaluating
 * what the points already known do not settle.  Errors of the callback
 * are returned as they are; PS_ERR_DATA when max_evaluations is reached
 * first.
 */
ps_status ps_root_solve(ps_root_solver *s, double q, ps_root_result *out,
                        ps_error *err);

/*
 * Whether P, read from the worse end to the better, ever falls between
 * two neighbouring evaluations (a model that is not monotone in the
 * lever: the answer is then one crossing, perhaps not the first).
 * Returns 1 and the pair, or 0.
 */
int ps_root_non_monotone(const ps_root_solver *s, const ps_root_point **before,
                         const ps_root_point **after);

/*
 * The 95 % Wilson interval [*lo, *hi] of a proportion p estimated from n
 * runs (p need not be a multiple of 1/n): where P(x) may lie, through
 * Monte Carlo error alone, when the truth is p.
 */
void ps_root_wilson(double p, double n, double *lo, double *hi);

/* The whole answer of a solve: where P reaches p, with its interval. */
typedef struct ps_root_answer {
    ps_root_result answer;  /* where P first reaches p                */
    double qlo, qhi;        /* the 95 % Wilson interval of p for the
                               runs counted at the answer; NaN when p
                               is reached nowhere                     */
    ps_root_result ends[2]; /* where P reaches qlo and qhi (set with
                               them): the lever's interval            */
    const ps_root_point *before, *after; /* where P falls, when the
                                evaluations saw it (non-monotone),
                                else NULL; owned by the solver         */
} ps_root_answer;

/*
 * Solves for p with ps_root_solve, then, unless no value reaches p, for
 * the ends of p's Wilson interval at the answer's runs, which turns the
 * Monte Carlo error of P into an interval on the lever; and looks for a
 * fall of P among all the evaluations.  Errors of ps_root_solve.
 */
ps_status ps_root_answer_for(ps_root_solver *s, double p, ps_root_answer *out,
                             ps_error *err);

#endif
