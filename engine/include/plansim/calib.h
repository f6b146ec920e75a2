/*
 * plansim: calibration to history, the sampler side.
 *
 * A calibration problem is a prior over d uncertain inputs and a
 * log-likelihood that says how well the runs of a batch of input vectors
 * reproduce what was observed.  The samplers here know nothing of models
 * or scenarios: the caller's `loglik` callback runs the batch (through the
 * parallel ensemble, or any other way) and the samplers only ever ask for
 * whole batches, so every model run of a stage happens in parallel.
 *
 * The prior.  Each input has a marginal distribution (plansim/dist.h) and
 * the inputs may have rank correlations.  The samplers work in normal
 * scores: z ~ N(0, R), x_j = F_j^-1(Phi(z_j)), with R the Pearson
 * correlation of the normal scores, R_jk = 2 sin(pi r_jk / 6) for the
 * Spearman rank correlation r_jk (the Gaussian copula whose rank
 * correlation is r).  In z the prior density is smooth and has no bounds,
 * so random-walk moves never leave the support, and any marginal the
 * scenario can draw from can be calibrated without its density.
 *
 * Reproducibility.  Every random number is addressed (plansim/rng.h):
 * (seed, particle, stream) with a stream per stage and purpose, so results
 * are bit-identical whatever the callback's thread count, provided the
 * callback's values are (the ensemble's are).
 */
#ifndef PLANSIM_CALIB_H
#define PLANSIM_CALIB_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "plansim/dist.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The prior: marginals and rank correlation.  Borrowed, not owned. */
typedef struct ps_calib_prior {
    size_t nparams;
    const char *const *names;    /* nparams names, for messages            */
    const ps_dist *const *dists; /* nparams marginals (ps_dist_check'ed) */
    const double *correlation;   /* nparams x nparams rank correlation, row
                                    major, or NULL for independent inputs */
} ps_calib_prior;

/*
 * The log-likelihood of a batch: for i < n, loglik[i] of the runs with
 * inputs x[i * nparams .. (i + 1) * nparams) (in the inputs' own units).
 * A run that fails, or that the data make impossible, gives -INFINITY
 * (never NaN).  When nextra > 0 the callback also writes nextra values of
 * each run to extra[i * nextra ..] (the sampler carries them with their
 * particle: simulated observations, target values).  It must be a pure
 * function of x.  An error it returns stops the sampler with that error.
 */
typedef struct ps_calib_model {
    ps_status (*loglik)(void *ctx, size_t n, const double *x, double *loglik,
                        double *extra, ps_error *err);
    void *ctx;
    size_t nextra;
} ps_calib_model;

typedef enum ps_calib_method {
    PS_CALIB_SMC,     /* likelihood-tempered sequential Monte Carlo      */
    PS_CALIB_IS,      /* importance reweighting of prior draws           */
    PS_CALIB_OPTIMIZE /* maximum likelihood and its approximate covariance */
} ps_calib_method;

/* "smc", "is", "optimize"; 0 and *m set, or -1. */
int ps_calib_method_from_name(const char *name, ps_calib_method *m);
const char *ps_calib_method_name(ps_calib_method m);

/* What a stage did, for the progress bar and the posterior file. */
typedef struct ps_calib_stage {
    double phi;        /* tempering exponent reached (1: posterior)    */
    double ess;        /* effective sample size after reweighting     */
    double acceptance; /* mean acceptance rate of its MCMC moves;
                          NaN when no move was made                   */
    size_t moves;      /* MCMC move steps made                        */
    double log_evidence_increment; /* log of the stage's mean incremental
                                      weight                             */
    size_t evaluations; /* likelihood evaluations so far               */
} ps_calib_stage;

/* What a sampler found (below). */
typedef struct ps_calib_result ps_calib_result;

typedef struct ps_calib_options {
    size_t particles; /* N; default 1000                             */
    uint64_t seed;
    double ess_fraction;    /* SMC: next exponent keeps ESS = this x N;
                               default 0.5                                 */
    size_t max_stages;      /* SMC: bound on tempering stages; default 200 */
    size_t max_moves;       /* SMC: bound on move steps per stage; default 20 */
    double ess_warning;     /* IS: warn below this fraction of N; 0.01     */
    size_t max_evaluations; /* optimize: bound on likelihood evaluations;
                              0 (the default): 2000 x nparams             */
    /* Called after each stage (SMC), after the batch (IS) or after each
       iteration (optimize); may be NULL. */
    void (*progress)(const ps_calib_stage *stage, void *ctx);
    void *progress_ctx;
    /* Polled between batches: when set, the sampler stops and returns
       PS_ERR_INTERRUPTED with the result of the last whole stage. */
    volatile sig_atomic_t *cancel;
    /* Called after each whole stage of SMC, before the next starts, with
       the result so far (out->complete 0; z and move_scale set): what a
       resumed calibration continues from.  A status other than PS_OK
       stops the sampler with that status and error.  May be NULL. */
    ps_status (*checkpoint)(const ps_calib_result *so_far, void *ctx,
                            ps_error *err);
    void *checkpoint_ctx;
    /* SMC only: an interrupted result of the same prior, model, options
       and seed (at least one stage, z set; borrowed).  The sampler
       continues after its last stage and ends with what an uninterrupted
       run gives, bit for bit.  NULL: start from the prior. */
    const ps_calib_result *resume;
} ps_calib_options;

/* Fills the defaults above (particles 1000, seed 0 ...). */
void ps_calib_options_default(ps_calib_options *o);

/* What a sampler found.  Owns every array; free with
   ps_calib_result_free. */
typedef struct ps_calib_result {
    ps_calib_method method;
    size_t nparams, nparticles, nextra;
    double *x;       /* nparticles x nparams, the inputs' units         */
    double *weights; /* nparticles, normalised to sum 1                 */
    double *loglik;  /* nparticles                                      */
    double *extra;   /* nparticles x nextra, or NULL                    */
    /* The prior draws the sampler started from, equally weighted
       (SMC's stage 0, IS's draws; NULL for optimize). */
    double *prior_x;     /* nparticles x nparams                            */
    double *prior_extra; /* nparticles x nextra, or NULL                   */
    /* SMC: the particles' normal scores (nparticles x nparams) and the
       random-walk scale of the next stage, what a resumed run continues
       from; NULL and NaN for the other methods. */
    double *z;
    double move_scale;
    size_t nstages;
    ps_calib_stage *stages; /* SMC: one per stage, stage 0 the prior draws;
                               IS: one; optimize: one per iteration        */
    double log_evidence;    /* log marginal likelihood (SMC, IS); NaN for
                               optimize                                     */
    double ess;             /* effective sample size of the final weights    */
    size_t evaluations;     /* likelihood evaluations in all                 */
    int complete;           /* 1: finished; 0: interrupted (the particles are
                               those of the last whole stage)               */
    int collapsed;          /* IS: ESS fell below ess_warning x N, or below
                               10                                            */
    /* optimize: the maximum-likelihood point (x[0..nparams) holds it as
       the one particle, weight 1), the maximum, and the approximate
       covariance of the estimate in the inputs' units (the inverse of the
       observed information), NaN where it cannot be computed. */
    double max_loglik;
    double *covariance; /* nparams x nparams, or NULL                     */
    int converged;      /* optimize: the optimiser met its tolerance     */
} ps_calib_result;

/*
 * Runs `method` on the problem.  PS_ERR_USAGE for an empty prior, fewer
 * than 2 particles or a correlation that is not positive definite;
 * PS_ERR_DATA when every prior draw has a likelihood of zero (the message
 * says so: the data and the prior do not overlap); the callback's error;
 * PS_ERR_INTERRUPTED with *out holding the last whole stage
 * (out->complete 0), or nothing when no stage finished (out->nstages 0);
 * PS_ERR_NOMEM.  *out is always safe to free.
 */
ps_status ps_calibrate(ps_calib_method method, const ps_calib_prior *prior,
                       const ps_calib_model *model,
                       const ps_calib_options *opts, ps_calib_result *out,
                       ps_error *err);

/* Frees what a result owns and zeroes it.  NULL is allowed. */
void ps_calib_result_free(ps_calib_result *r);

/* The normal scores z (nparams) of a prior to inputs x: x_j =
   F_j^-1(Phi(z_j)).  Correlation is already in z. */
void ps_calib_prior_to_x(const ps_calib_prior *prior, const double *z,
                         double *x);

/* Effective sample size (sum w)^2 / sum w^2 of n weights; 0 when they
   sum to 0. */
double ps_calib_ess(const double *w, size_t n);

/*
 * Weighted summary of column `col` of an n x stride matrix with weights
 * w (NULL: equal): mean, sd (weighted population sd), and the quantiles
 * probs[0..nq) written to q[0..nq) (the inverse of the weighted empirical
 * CDF: the smallest value whose cumulative weight reaches p).  NaN
 * values and their weights are left out.  PS_ERR_NOMEM.
 */
typedef struct ps_calib_moments {
    double mean, sd;
} ps_calib_moments;
ps_status ps_calib_summarize(const double *m, size_t n, size_t stride,
                             size_t col, const double *w, size_t nq,
                             const double *probs, ps_calib_moments *mom,
                             double *q, ps_error *err);

/*
 * Indices of n draws from weights w[0..m) (normalised) by systematic
 * resampling with the single uniform u in (0,1): draw i takes the index
 * whose cumulative weight first exceeds (i + u) / n.  Deterministic.
 */
void ps_calib_resample(const double *w, size_t m, size_t n, double u,
                       size_t *index);

/*
 * Drawing from weighted particles: for forecasts from a posterior.  Made
 * once from n particles of d inputs (x, n x d) and their weights (any
 * scale, negative as 0); borrows x, owns the rest.
 *   ps_calib_draws_pick:     the particle whose running weight first
 *                            exceeds v in [0, 1): run r of m taking
 *                            v = (r + u) / m for one uniform u is
 *                            systematic resampling, addressable by run;
 *   ps_calib_draws_quantile: input j's marginal quantile p, the smallest
 *                            value whose running weight reaches p (for
 *                            designs that move each input on its own).
 * PS_ERR_USAGE when no weight is positive; PS_ERR_NOMEM.
 */
typedef struct ps_calib_draws {
    size_t n, d;
    const double *x;
    double *cumulative; /* n running weights, ending at 1                 */
    size_t *sorted;     /* d x n: each input's particles in value order... */
    double *marginal;   /* d x n: ...and their running weights            */
} ps_calib_draws;
ps_status ps_calib_draws_init(ps_calib_draws *dr, size_t n, size_t d,
                              const double *x, const double *w,
                              ps_error *err);
size_t ps_calib_draws_pick(const ps_calib_draws *dr, double v);
double ps_calib_draws_quantile(const ps_calib_draws *dr, size_t j, double p);
void ps_calib_draws_free(ps_calib_draws *dr);

#ifdef __cplusplus
}
#endif
#endif
