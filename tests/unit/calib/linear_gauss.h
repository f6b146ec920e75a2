/*
 * A calibration problem with a closed-form answer: d inputs with normal
 * priors (optionally rank-correlated), k observations y = A x + e with
 * independent normal errors of sd sigma.  With normal marginals the
 * normal-score transform is linear, so the prior is exactly N(mu, S0) with
 * S0 = D R D, R_jk = 2 sin(pi r_jk / 6), and the posterior and the
 * marginal likelihood y ~ N(A mu, A S0 A^T + sigma^2 I) are Gaussian.
 */
#ifndef CALIB_LINEAR_GAUSS_H
#define CALIB_LINEAR_GAUSS_H

#include <signal.h>
#include <stddef.h>

#include "plansim/calib.h"

#define LG_MAX_D 4
#define LG_MAX_K 8

typedef struct lg_problem {
    size_t d, k;
    double mu[LG_MAX_D], sd[LG_MAX_D];
    double rank[LG_MAX_D * LG_MAX_D]; /* used when correlated           */
    int correlated;
    double a[LG_MAX_K * LG_MAX_D];
    double y[LG_MAX_K];
    double sigma;
    /* The callback's behaviour. */
    int threads;         /* OpenMP threads of the callback (0: 1)   */
    size_t calls;        /* batches seen                           */
    size_t cancel_after; /* set *cancel after this many (0: never)  */
    volatile sig_atomic_t *cancel;
    int impossible; /* every likelihood is zero               */
    /* What the prior points to. */
    ps_dist dists[LG_MAX_D];
    const ps_dist *dist_ptrs[LG_MAX_D];
    const char *names[LG_MAX_D];
} lg_problem;

/* The three-input problem of the tests, independent or correlated. */
void lg_init(lg_problem *p, int correlated);

/* The prior and the model (nextra = k: the simulated A x). */
ps_calib_prior lg_prior(lg_problem *p);
ps_calib_model lg_model(lg_problem *p);

/* The exact posterior mean (d), covariance (d x d) and log evidence. */
void lg_exact(const lg_problem *p, double *mean, double *cov,
              double *log_evidence);

#endif
