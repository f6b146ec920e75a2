/*
 * Private to ps_calib: the three samplers behind ps_calibrate
 * (calibrate.c checks the arguments, sets up the prior and dispatches),
 * and the prior's normal-score machinery they share (prior.c).
 */
#ifndef PLANSIM_CALIB_IMPL_H
#define PLANSIM_CALIB_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/calib.h"
#include "plansim/rng.h"

/* RNG streams of the samplers (plansim/rng.h): one per purpose, the stage
   or iteration number added to it, so no two draws share an address. */
enum {
    CALIB_STREAM_PRIOR = 1,           /* run = particle, index = param   */
    CALIB_STREAM_RESAMPLE = 1u << 20, /* + stage: run 0, index 0         */
    CALIB_STREAM_PROPOSE = 2u << 20,  /* + stage x max_moves + move      */
    CALIB_STREAM_ACCEPT = 3u << 20,   /* + stage x max_moves + move      */
    CALIB_STREAM_PREDICT = 4u << 20   /* predictive draws (batch.c)      */
};

/* The prior made ready to sample: the Cholesky factor L of the normal
   scores' correlation (R = L L^T) and its inverse, or identity. */
typedef struct calib_prior {
    const ps_calib_prior *p;
    size_t d;
    double *chol;     /* d x d lower triangular, row major; NULL: identity */
    double *chol_inv; /* L^-1, lower triangular; NULL with chol          */
} calib_prior;

/* Prepares `cp` for `p` (PS_ERR_USAGE when the correlation is not
   positive definite, naming the inputs).  Free with calib_prior_free. */
ps_status calib_prior_init(calib_prior *cp, const ps_calib_prior *p,
                           ps_error *err);
void calib_prior_free(calib_prior *cp);

/* Draws the normal scores of particle i (d values) from the prior: z = L
   e with e standard normal at address (seed, i, CALIB_STREAM_PRIOR). */
void calib_prior_draw(const calib_prior *cp, uint64_t seed, size_t i,
                      double *z);

/* Log prior density of normal scores z, up to a constant:
   -1/2 z^T R^-1 z (computed with the Cholesky factor). */
double calib_prior_logpdf(const calib_prior *cp, const double *z);

/* The normal-score correlation R of the rank correlation r:
   R_jk = 2 sin(pi r_jk / 6) (1 on the diagonal). */
double calib_rank_to_pearson(double r);

/* A standard normal draw at `index` of `addr`: the inverse normal CDF of
   ps_rng_uniform, so a pure function of the address. */
double calib_normal(const ps_rng_address *addr, uint64_t index);

/*
 * Lower Cholesky factor of the symmetric positive definite d x d matrix
 * `a` (row major), in place, the upper triangle zeroed.  Returns d, or
 * the index k of the first pivot that is not above tol x a_kk (the matrix
 * is then not positive definite, or nearly singular; `a` is left
 * partly factored).  Never calls GSL's error handler.
 */
size_t calib_cholesky(double *a, size_t d, double tol);

/* Normalised weights w[0..n) from log weights (-INFINITY: weight 0);
   returns the log of the sum of exp(logw), -INFINITY (and w all 0) when
   every log weight is -INFINITY.  w may be logw. */
double calib_log_normalize(const double *logw, size_t n, double *w);

/*
 * One batch of the model: polls opts->cancel first (PS_ERR_INTERRUPTED
 * when it is set, the model not called), runs the callback on the n
 * input vectors x, adds n to *evaluations, and checks the values (NaN or
 * +INFINITY is PS_ERR_DATA naming the inputs).  `extra` may be NULL when
 * model->nextra is 0.
 */
ps_status calib_evaluate(const ps_calib_prior *prior,
                         const ps_calib_model *model,
                         const ps_calib_options *opts, size_t n,
                         const double *x, double *loglik, double *extra,
                         size_t *evaluations, ps_error *err);

/* Allocates what a sampler of n particles fills in `r` (x, weights,
   loglik, extra, prior_x, prior_extra, and room for `nstages` stages),
   r->complete 0 and the scalars NaN or 0.  PS_ERR_NOMEM. */
ps_status calib_result_alloc(ps_calib_result *r, size_t n, size_t d,
                             size_t nextra, size_t nstages, ps_error *err);

ps_status calib_smc(const calib_prior *cp, const ps_calib_model *model,
                    const ps_calib_options *opts, ps_calib_result *out,
                    ps_error *err);
ps_status calib_is(const calib_prior *cp, const ps_calib_model *model,
                   const ps_calib_options *opts, ps_calib_result *out,
                   ps_error *err);
ps_status calib_optimize(const calib_prior *cp, const ps_calib_model *model,
                         const ps_calib_options *opts, ps_calib_result *out,
                         ps_error *err);

#endif
