/*
 * Likelihood-tempered sequential Monte Carlo.
 *
 * Del Moral, Doucet & Jasra, "Sequential Monte Carlo samplers", JRSS B
 * 68, 411-436, 2006: particles move through the targets
 *   pi_phi(z) ~ L(x(z))^phi N(z; 0, R),   0 = phi_0 < phi_1 < ... = 1,
 * in the prior's normal scores z.  A stage reweights by L^(phi' - phi),
 * resamples and moves the particles with MCMC kernels that leave pi_phi'
 * invariant.  The log evidence is the sum over stages of the log mean
 * incremental weight.
 *
 * Choices (each documented where it is made):
 *   - Exponents are adaptive (Jasra, Stephens, Doucet & Tsagaris, Scand.
 *     J. Stat. 38, 1-22, 2011; Zhou, Johansen & Aston, JCGS 25, 701-726,
 *     2016): the next phi is found by bisection so that the ESS of the
 *     reweighted particles is ess_fraction times what it was (1 if it
 *     stays above that).
 *   - Resampling (systematic) happens at every stage.
 *   - Moves are Gaussian random walks in z scaled from the particles'
 *     covariance (Roberts, Gelman & Gilks, Ann. Appl. Probab. 7, 110-120,
 *     1997: 2.38^2 / d), repeated until most particles have probably
 *     moved (Drovandi & Pettitt, Biometrics 67, 225-233, 2011), the scale
 *     adapted from stage to stage on the acceptance rate.
 * Each move step proposes for all particles at once, so the model runs
 * one batch per step.  Every random number comes from an address of the
 * stage, move and particle (calib_impl.h), and every sum runs in particle
 * order: the result depends on the seed only.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calib_impl.h"

/* The random-walk scale is 2.38 / sqrt(d) times a factor adapted once
   per stage toward this acceptance rate (optimal near 0.234 in many
   dimensions, 0.44 in one; the particles' spread sets the shape). */
#define TARGET_ACCEPTANCE 0.25
#define SCALE_FACTOR_MIN 0.01
#define SCALE_FACTOR_MAX 5.0

/* Moves stop once a particle has probably moved at least once: 1 -
   (1 - a)^k >= 1 - MOVE_MISS for the stage's acceptance rate a so far. */
#define MOVE_MISS 0.01
#define MIN_MOVES 2

/* The particles' correlation gets this ridge before it is factored, and
   an sd below SD_FLOOR (normal-score units: the prior's sd is 1) counts
   as that floor, so a collapsed cloud still proposes moves. */
#define COV_RIDGE 1e-9
#define COV_PIVOT_TOLERANCE 1e-10
#define SD_FLOOR 1e-8

/* Bisection steps for the exponent: 2^-60 of the remaining interval. */
#define BISECTION_STEPS 60

typedef struct particles {
    double *z;     /* n x d normal scores                      */
    double *x;     /* n x d inputs                             */
    double *ll;    /* n log-likelihoods                        */
    double *lp;    /* n log prior densities of z               */
    double *extra; /* n x nextra, or NULL                      */
} particles;

typedef struct smc {
    const calib_prior *cp;
    const ps_calib_model *model;
    const ps_calib_options *opts;
    size_t n, d, ne;
    particles cur, alt; /* alt: proposals, and resampling's target  */
    double *w;          /* n normalised weights                     */
    double *tmp;        /* n scratch                                */
    size_t *index;      /* n resampled indices                      */
    double *factor;     /* d x d proposal factor                    */
    double *mean;       /* d scratch of proposal_factor             */
    double *e;          /* d standard normals of one proposal       */
    double phi, log_evidence, scale;
    size_t evaluations;
} smc;

static int particles_alloc(particles *p, size_t n, size_t d, size_t ne)
{
    p->z = malloc(n * d * sizeof *p->z);
    p->x = malloc(n * d * sizeof *p->x);
    p->ll = malloc(n * sizeof *p->ll);
    p->lp = malloc(n * sizeof *p->lp);
    p->extra = ne > 0 ? malloc(n * ne * sizeof *p->extra) : NULL;
    return p->z && p->x && p->ll && p->lp && (ne == 0 || p->extra);
}

static void particles_free(particles *p)
{
    free(p->z);
    free(p->x);
    free(p->ll);
    free(p->lp);
    free(p->extra);
}

/* Copies particle i of src to particle j of dst. */
static void particle_copy(const smc *s, particles *dst, size_t j,
                          const particles *src, size_t i)
{
    const size_t d = s->d, ne = s->ne;
    memcpy(dst->z + j * d, src->z + i * d, d * sizeof *dst->z);
    memcpy(dst->x + j * d, src->x + i * d, d * sizeof *dst->x);
    dst->ll[j] = src->ll[i];
    dst->lp[j] = src->lp[i];
    if (ne > 0)
        memcpy(dst->extra + j * ne, src->extra + i * ne,
               ne * sizeof *dst->extra);
}

static void smc_free(smc *s)
{
    particles_free(&s->cur);
    particles_free(&s->alt);
    free(s->w);
    free(s->tmp);
    free(s->index);
    free(s->factor);
    free(s->mean);
    free(s->e);
}

static ps_status smc_alloc(smc *s, ps_error *err)
{
    const size_t n = s->n, d = s->d;
    int ok = particles_alloc(&s->cur, n, d, s->ne);
    ok = particles_alloc(&s->alt, n, d, s->ne) && ok;
    s->w = malloc(n * sizeof *s->w);
    s->tmp = malloc(n * sizeof *s->tmp);
    s->index = malloc(n * sizeof *s->index);
    s->factor = malloc(d * d * sizeof *s->factor);
    s->mean = malloc(d * sizeof *s->mean);
    s->e = malloc(d * sizeof *s->e);
    if (!ok || !s->w || !s->tmp || !s->index || !s->factor || !s->mean || !s->e)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "no memory for %zu particles of %zu inputs", n, d);
    return PS_OK;
}

/* Copies the particles and the evidence so far into the result (what it
   holds if a later stage does not finish). */
static void keep_stage(const smc *s, ps_calib_result *out, size_t nstages)
{
    const size_t n = s->n, d = s->d, ne = s->ne;
    memcpy(out->x, s->cur.x, n * d * sizeof *out->x);
    memcpy(out->z, s->cur.z, n * d * sizeof *out->z);
    memcpy(out->weights, s->w, n * sizeof *out->weights);
    memcpy(out->loglik, s->cur.ll, n * sizeof *out->loglik);
    if (ne > 0)
        memcpy(out->extra, s->cur.extra, n * ne * sizeof *out->extra);
    double best = -INFINITY;
    for (size_t i = 0; i < n; i++)
        best = fmax(best, s->cur.ll[i]);
    out->max_loglik = best;
    out->log_evidence = s->log_evidence;
    out->ess = ps_calib_ess(s->w, n);
    out->evaluations = s->evaluations;
    out->move_scale = s->scale;
    out->nstages = nstages;
}

/* keep_stage, then the stage is reported and checkpointed. */
static ps_status record_stage(const smc *s, ps_calib_result *out,
                              size_t nstages, ps_error *err)
{
    keep_stage(s, out, nstages);
    if (s->opts->progress)
        s->opts->progress(&out->stages[nstages - 1], s->opts->progress_ctx);
    if (s->opts->checkpoint)
        return s->opts->checkpoint(out, s->opts->checkpoint_ctx, err);
    return PS_OK;
}

/*
 * Continues an interrupted run: its particles, weights, exponent,
 * evidence, scale and stages become the sampler's, as they were after
 * its last whole stage; the log prior densities are computed again from
 * the normal scores, as the stage computed them.
 */
static ps_status restore(smc *s, ps_calib_result *out, ps_error *err)
{
    const ps_calib_result *r = s->opts->resume;
    const size_t n = s->n, d = s->d, ne = s->ne;
    if (r->nparams != d || r->nextra != ne || (ne > 0 && !r->extra) ||
        (ne > 0 && !r->prior_extra))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the run to continue has %zu inputs and %zu "
                            "predictions per particle, this problem %zu "
                            "and %zu",
                            r->nparams, r->nextra, d, ne);
    memcpy(s->cur.z, r->z, n * d * sizeof *s->cur.z);
    memcpy(s->cur.x, r->x, n * d * sizeof *s->cur.x);
    memcpy(s->cur.ll, r->loglik, n * sizeof *s->cur.ll);
    memcpy(s->w, r->weights, n * sizeof *s->w);
    if (ne > 0) {
        memcpy(s->cur.extra, r->extra, n * ne * sizeof *s->cur.extra);
        memcpy(out->prior_extra, r->prior_extra,
               n * ne * sizeof *out->prior_extra);
    }
    for (size_t i = 0; i < n; i++)
        s->cur.lp[i] = calib_prior_logpdf(s->cp, s->cur.z + i * d);
    memcpy(out->prior_x, r->prior_x, n * d * sizeof *out->prior_x);
    memcpy(out->stages, r->stages, r->nstages * sizeof *out->stages);
    s->phi = r->stages[r->nstages - 1].phi;
    s->log_evidence = r->log_evidence;
    s->scale = r->move_scale;
    /* the runs of the stages kept, not those of a stage left unfinished */
    s->evaluations = r->stages[r->nstages - 1].evaluations;
    keep_stage(s, out, r->nstages);
    return PS_OK;
}

/* Stage 0: the prior draws, equally weighted. */
static ps_status start(smc *s, ps_calib_result *out, ps_error *err)
{
    const size_t n = s->n, d = s->d, ne = s->ne;
    for (size_t i = 0; i < n; i++) {
        double *z = s->cur.z + i * d;
        calib_prior_draw(s->cp, s->opts->seed, i, z);
        ps_calib_prior_to_x(s->cp->p, z, s->cur.x + i * d);
        s->cur.lp[i] = calib_prior_logpdf(s->cp, z);
        s->w[i] = 1.0 / (double)n;
    }
    ps_status st =
        calib_evaluate(s->cp->p, s->model, s->opts, n, s->cur.x, s->cur.ll,
                       s->cur.extra, &s->evaluations, err);
    if (st != PS_OK)
        return st;
    size_t alive = 0;
    for (size_t i = 0; i < n; i++)
        alive += s->cur.ll[i] > -INFINITY;
    if (alive == 0)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "no prior draw reproduces the observations: all "
                            "%zu have a likelihood of zero (the data and the "
                            "prior do not overlap)",
                            n);
    memcpy(out->prior_x, s->cur.x, n * d * sizeof *out->prior_x);
    if (ne > 0)
        memcpy(out->prior_extra, s->cur.extra,
               n * ne * sizeof *out->prior_extra);
    out->stages[0] = (ps_calib_stage){
        .phi = 0.0,
        .ess = (double)n,
        .acceptance = NAN,
        .moves = 0,
        .log_evidence_increment = 0.0,
        .evaluations = s->evaluations,
    };
    return record_stage(s, out, 1, err);
}

/* Log weights log W_i + delta ll_i into tmp (delta > 0: a particle of
   likelihood zero gets -INFINITY, never NaN). */
static void incremental(const smc *s, double delta)
{
    for (size_t i = 0; i < s->n; i++)
        s->tmp[i] = s->w[i] > 0.0 && s->cur.ll[i] > -INFINITY
                        ? log(s->w[i]) + delta * s->cur.ll[i]
                        : -INFINITY;
}

/* ESS of the weights reweighted by L^delta (tmp is overwritten). */
static double ess_at(const smc *s, double delta)
{
    incremental(s, delta);
    calib_log_normalize(s->tmp, s->n, s->tmp);
    return ps_calib_ess(s->tmp, s->n);
}

/*
 * The next exponent.  The target is ess_fraction times the ESS just
 * above the current exponent (that of the particles whose likelihood is
 * not zero; all of them but at the first stage), so a first stage that
 * loses most particles to a zero likelihood still moves on.  The ESS
 * falls monotonically with the step (its log derivative is twice the
 * difference of two means of ll, the second under weights tilted further
 * toward large ll), so bisection finds it; the step kept is the largest
 * one found whose ESS reaches the target, or the smallest tried when
 * even that one is below.
 */
static double next_exponent(const smc *s)
{
    const double remaining = 1.0 - s->phi;
    double alive = 0.0, alive2 = 0.0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->cur.ll[i] > -INFINITY) {
            alive += s->w[i];
            alive2 += s->w[i] * s->w[i];
        }
    }
    const double target = s->opts->ess_fraction * alive * alive / alive2;
    if (ess_at(s, remaining) >= target)
        return 1.0;
    double lo = 0.0, hi = remaining;
    for (int k = 0; k < BISECTION_STEPS; k++) {
        const double mid = 0.5 * (lo + hi);
        if (ess_at(s, mid) >= target)
            lo = mid;
        else
            hi = mid;
    }
    return s->phi + (lo > 0.0 ? lo : hi);
}

/* Reweights to `phi`; returns the stage's log evidence increment, log
   sum_i W_i L_i^(phi - phi_old). */
static double reweight(smc *s, double phi)
{
    incremental(s, phi - s->phi);
    const double inc = calib_log_normalize(s->tmp, s->n, s->w);
    s->phi = phi;
    return inc;
}

/* Systematic resampling with the stage's one uniform; afterwards the
   weights are equal. */
static void resample(smc *s, size_t stage)
{
    const ps_rng_address addr = {s->opts->seed, 0,
                                 CALIB_STREAM_RESAMPLE + stage};
    ps_calib_resample(s->w, s->n, s->n, ps_rng_uniform(&addr, 0), s->index);
    for (size_t j = 0; j < s->n; j++)
        particle_copy(s, &s->alt, j, &s->cur, s->index[j]);
    const particles t = s->cur;
    s->cur = s->alt;
    s->alt = t;
    for (size_t j = 0; j < s->n; j++)
        s->w[j] = 1.0 / (double)s->n;
}

/*
 * The proposal factor: D C^1/2 with D the particles' weighted sds
 * (floored) and C^1/2 the Cholesky factor of their correlation plus a
 * small ridge, or the identity when that is not positive definite (the
 * moves are then axis by axis).  Working from the correlation keeps the
 * ridge relative, whatever the posterior's scale.
 */
static void proposal_factor(smc *s)
{
    const size_t n = s->n, d = s->d;
    double *c = s->factor, *m = s->mean;
    for (size_t j = 0; j < d; j++) {
        double sum = 0.0;
        for (size_t i = 0; i < n; i++)
            sum += s->w[i] * s->cur.z[i * d + j];
        m[j] = sum;
    }
    for (size_t a = 0; a < d; a++) {
        for (size_t b = 0; b <= a; b++) {
            double sum = 0.0;
            for (size_t i = 0; i < n; i++)
                sum += s->w[i] * (s->cur.z[i * d + a] - m[a]) *
                       (s->cur.z[i * d + b] - m[b]);
            c[a * d + b] = c[b * d + a] = sum;
        }
    }
    /* m now holds the sds. */
    for (size_t j = 0; j < d; j++)
        m[j] = fmax(sqrt(c[j * d + j]), SD_FLOOR);
    for (size_t a = 0; a < d; a++) {
        for (size_t b = 0; b < d; b++)
            c[a * d + b] =
                a == b ? 1.0 + COV_RIDGE : c[a * d + b] / (m[a] * m[b]);
    }
    if (calib_cholesky(c, d, COV_PIVOT_TOLERANCE) < d) {
        for (size_t a = 0; a < d; a++)
            for (size_t b = 0; b < d; b++)
                c[a * d + b] = a == b ? 1.0 : 0.0;
    }
    for (size_t a = 0; a < d; a++)
        for (size_t b = 0; b <= a; b++)
            c[a * d + b] *= m[a];
}

/*
 * One random-walk Metropolis step of every particle at exponent phi:
 * z' = z + scale F e, accepted with probability
 * min(1, L(x')^phi pi(z') / (L(x)^phi pi(z))).  A proposal of likelihood
 * zero is rejected; the current particles all have a positive one (the
 * others were not resampled).  Returns the number accepted in *accepted.
 */
static ps_status move(smc *s, size_t stage, size_t step, size_t *accepted,
                      ps_error *err)
{
    const size_t n = s->n, d = s->d;
    const uint64_t stream = stage * s->opts->max_moves + step;
    for (size_t i = 0; i < n; i++) {
        const ps_rng_address addr = {s->opts->seed, i,
                                     CALIB_STREAM_PROPOSE + stream};
        const double *z = s->cur.z + i * d;
        double *zp = s->alt.z + i * d, *e = s->e;
        for (size_t j = 0; j < d; j++)
            e[j] = calib_normal(&addr, j);
        for (size_t a = 0; a < d; a++) {
            double sum = 0.0;
            for (size_t b = 0; b <= a; b++)
                sum += s->factor[a * d + b] * e[b];
            zp[a] = z[a] + s->scale * sum;
        }
        ps_calib_prior_to_x(s->cp->p, zp, s->alt.x + i * d);
        s->alt.lp[i] = calib_prior_logpdf(s->cp, zp);
    }
    ps_status st =
        calib_evaluate(s->cp->p, s->model, s->opts, n, s->alt.x, s->alt.ll,
                       s->alt.extra, &s->evaluations, err);
    if (st != PS_OK)
        return st;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const ps_rng_address addr = {s->opts->seed, i,
                                     CALIB_STREAM_ACCEPT + stream};
        if (!(s->alt.ll[i] > -INFINITY))
            continue;
        const double log_ratio = s->phi * (s->alt.ll[i] - s->cur.ll[i]) +
                                 s->alt.lp[i] - s->cur.lp[i];
        if (log(ps_rng_uniform(&addr, 0)) < log_ratio) {
            particle_copy(s, &s->cur, i, &s->alt, i);
            count++;
        }
    }
    *accepted = count;
    return PS_OK;
}

/* Moves needed so that a particle moves at least once with probability
   1 - MOVE_MISS at acceptance rate a. */
static size_t moves_needed(double a)
{
    if (a >= 1.0)
        return 1;
    if (!(a > 0.0))
        return SIZE_MAX;
    const double k = ceil(log(MOVE_MISS) / log1p(-a));
    return k < 1e9 ? (size_t)k : SIZE_MAX;
}

/* The stage's moves: at least MIN_MOVES, then until moves_needed of the
   acceptance rate so far, at most max_moves.  *acceptance is the mean
   rate, *steps the number made. */
static ps_status move_stage(smc *s, size_t stage, double *acceptance,
                            size_t *steps, ps_error *err)
{
    size_t total = 0, k = 0;
    ps_status st = PS_OK;
    while (k < s->opts->max_moves) {
        size_t accepted;
        st = move(s, stage, k, &accepted, err);
        if (st != PS_OK)
            break;
        total += accepted;
        k++;
        const double a = (double)total / ((double)k * (double)s->n);
        if (k >= MIN_MOVES && k >= moves_needed(a))
            break;
    }
    *steps = k;
    *acceptance = k > 0 ? (double)total / ((double)k * (double)s->n) : NAN;
    return st;
}

/* The next stage's scale: exp(2 (a - target)) times this one, the factor
   kept within [1/2, 2] per stage and the scale within [SCALE_FACTOR_MIN,
   SCALE_FACTOR_MAX] times 2.38 / sqrt(d).  Too many rejections shrink the
   steps; too many acceptances (steps too short to explore) grow them. */
static void adapt_scale(smc *s, double acceptance)
{
    const double base = 2.38 / sqrt((double)s->d);
    const double f =
        fmin(fmax(exp(2.0 * (acceptance - TARGET_ACCEPTANCE)), 0.5), 2.0);
    s->scale = fmin(fmax(s->scale * f, SCALE_FACTOR_MIN * base),
                    SCALE_FACTOR_MAX * base);
}

/*
 * A tempering stage: exponent, reweighting, resampling, moves.
 * Resampling every stage: the exponent is chosen so that reweighting
 * costs a fixed fraction of the ESS, so the usual rule (resample when
 * ESS < N/2) would fire at nearly every stage anyway; resampling always
 * keeps the weights equal, so the ESS before reweighting is N and the
 * moves can spread the copies of the particles that multiplied.
 */
static ps_status stage(smc *s, size_t t, ps_calib_stage *rec, ps_error *err)
{
    const double phi = next_exponent(s);
    const double inc = reweight(s, phi);
    const double ess = ps_calib_ess(s->w, s->n);
    resample(s, t);
    proposal_factor(s);
    double acceptance;
    size_t steps;
    ps_status st = move_stage(s, t, &acceptance, &steps, err);
    if (st != PS_OK)
        return st;
    s->log_evidence += inc;
    adapt_scale(s, acceptance);
    *rec = (ps_calib_stage){
        .phi = phi,
        .ess = ess,
        .acceptance = acceptance,
        .moves = steps,
        .log_evidence_increment = inc,
        .evaluations = s->evaluations,
    };
    return PS_OK;
}

ps_status calib_smc(const calib_prior *cp, const ps_calib_model *model,
                    const ps_calib_options *opts, ps_calib_result *out,
                    ps_error *err)
{
    smc s = {
        .cp = cp,
        .model = model,
        .opts = opts,
        .n = opts->particles,
        .d = cp->d,
        .ne = model->nextra,
        .phi = 0.0,
        .log_evidence = 0.0,
        .scale = 2.38 / sqrt((double)cp->d),
    };
    ps_status st =
        calib_result_alloc(out, s.n, s.d, s.ne, opts->max_stages + 1, err);
    if (st == PS_OK && !(out->z = malloc(s.n * s.d * sizeof *out->z)))
        st =
            ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                         "no memory for %zu particles of %zu inputs", s.n, s.d);
    if (st == PS_OK)
        st = smc_alloc(&s, err);
    if (st == PS_OK)
        st = opts->resume ? restore(&s, out, err) : start(&s, out, err);
    size_t t = opts->resume ? opts->resume->nstages : 1;
    for (; st == PS_OK && s.phi < 1.0 && t <= opts->max_stages; t++) {
        st = stage(&s, t, &out->stages[t], err);
        if (st == PS_OK)
            st = record_stage(&s, out, t + 1, err);
    }
    if (st == PS_OK && s.phi < 1.0)
        st = ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                          "the tempering exponent reached only %.3g of 1 in "
                          "%zu stages: the observations are far more "
                          "informative than the prior (allow more stages, "
                          "or use more particles)",
                          s.phi, opts->max_stages);
    /* Every batch run counts, also those of a stage left unfinished. */
    out->evaluations = s.evaluations;
    out->complete = st == PS_OK;
    smc_free(&s);
    return st;
}
