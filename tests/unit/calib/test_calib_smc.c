/*
 * Likelihood-tempered SMC against a linear Gaussian model, whose posterior
 * and evidence are known in closed form: means, sds and the log evidence
 * agree with the exact ones, with independent and rank-correlated priors.
 * Results are bit-identical for a seed whatever the callback's thread
 * count; a cancellation leaves the last whole stage; impossible data and
 * malformed problems are refused with their reason.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calib_impl.h"
#include "linear_gauss.h"

#define NSEEDS 4

static ps_calib_options smc_options(size_t n, uint64_t seed)
{
    ps_calib_options o;
    ps_calib_options_default(&o);
    o.particles = n;
    o.seed = seed;
    return o;
}

static void run_smc(lg_problem *p, const ps_calib_options *o,
                    ps_calib_result *r)
{
    ps_calib_prior prior = lg_prior(p);
    ps_calib_model model = lg_model(p);
    ps_error err;
    ps_status st = ps_calibrate(PS_CALIB_SMC, &prior, &model, o, r, &err);
    if (st != PS_OK)
        fail_msg("%s: %s", ps_status_name(st), err.message);
}

/* Weighted mean and sd of input j. */
static ps_calib_moments moments(const ps_calib_result *r, size_t j)
{
    ps_calib_moments m;
    assert_int_equal(ps_calib_summarize(r->x, r->nparticles, r->nparams, j,
                                        r->weights, 0, NULL, &m, NULL, NULL),
                     PS_OK);
    return m;
}

/* Each of NSEEDS runs of N particles: means within 3 Monte Carlo
   standard errors sd / sqrt(N / 2) (resampling and the moves correlate
   the particles; over many seeds the error of the mean behaves as if the
   ESS were about N, so this counts half of that), sds within 5 %, the log
   evidence within 0.1; the means averaged over the seeds within 3 of the
   same standard errors divided by sqrt(NSEEDS). */
static void check_against_exact(int correlated)
{
    lg_problem p;
    lg_init(&p, correlated);
    double mean[LG_MAX_D], cov[LG_MAX_D * LG_MAX_D], logz;
    lg_exact(&p, mean, cov, &logz);
    const size_t n = 4000, d = p.d;
    double avg[LG_MAX_D] = {0}, worst_z = 0.0, worst_sd = 0.0, worst_ev = 0.0;
    for (uint64_t seed = 1; seed <= NSEEDS; seed++) {
        ps_calib_options o = smc_options(n, seed);
        ps_calib_result r;
        run_smc(&p, &o, &r);
        assert_int_equal(r.complete, 1);
        assert_true(r.stages[r.nstages - 1].phi == 1.0);
        for (size_t j = 0; j < d; j++) {
            const ps_calib_moments m = moments(&r, j);
            const double sd = sqrt(cov[j * d + j]);
            const double se = sd / sqrt((double)n / 2.0);
            const double zerr = (m.mean - mean[j]) / se;
            const double sderr = m.sd / sd - 1.0;
            worst_z = fmax(worst_z, fabs(zerr));
            worst_sd = fmax(worst_sd, fabs(sderr));
            avg[j] += m.mean / NSEEDS;
            if (!(fabs(zerr) <= 3.0 && fabs(sderr) <= 0.05))
                fail_msg("seed %d input %zu: mean %.5f (exact %.5f, %.2f "
                         "se), sd %.5f (exact %.5f)",
                         (int)seed, j, m.mean, mean[j], zerr, m.sd, sd);
        }
        worst_ev = fmax(worst_ev, fabs(r.log_evidence - logz));
        if (!(fabs(r.log_evidence - logz) <= 0.1))
            fail_msg("seed %d: log evidence %.4f, exact %.4f", (int)seed,
                     r.log_evidence, logz);
        if (seed == 1)
            print_message("  %zu stages, %zu evaluations, last acceptance "
                          "%.2f, log evidence %.4f (exact %.4f)\n",
                          r.nstages, r.evaluations,
                          r.stages[r.nstages - 1].acceptance, r.log_evidence,
                          logz);
        ps_calib_result_free(&r);
    }
    double worst_avg = 0.0;
    for (size_t j = 0; j < d; j++) {
        const double se = sqrt(cov[j * d + j]) / sqrt((double)n / 2.0 * NSEEDS);
        worst_avg = fmax(worst_avg, fabs(avg[j] - mean[j]) / se);
        if (!(fabs(avg[j] - mean[j]) <= 3.0 * se))
            fail_msg("input %zu: mean over seeds %.5f, exact %.5f", j, avg[j],
                     mean[j]);
    }
    print_message("  worst: mean %.2f se (average %.2f se), sd %.2f %%, log "
                  "evidence %.4f\n",
                  worst_z, worst_avg, 100.0 * worst_sd, worst_ev);
}

static void smc_matches_exact_posterior(void **state)
{
    (void)state;
    check_against_exact(0);
}

static void smc_matches_exact_posterior_correlated(void **state)
{
    (void)state;
    check_against_exact(1);
}

/* The prior draws are kept and follow the prior; the extra values travel
   with their particle through resampling and moves; the stages climb to
   1 and the progress callback sees each one. */
static size_t progress_calls;
static double progress_last_phi;

static void count_progress(const ps_calib_stage *s, void *ctx)
{
    (void)ctx;
    assert_true(s->phi >= progress_last_phi);
    progress_last_phi = s->phi;
    progress_calls++;
}

static void smc_result_is_consistent(void **state)
{
    (void)state;
    lg_problem p;
    lg_init(&p, 1);
    ps_calib_options o = smc_options(1000, 7);
    o.progress = count_progress;
    progress_calls = 0;
    progress_last_phi = 0.0;
    ps_calib_result r;
    run_smc(&p, &o, &r);
    const size_t n = r.nparticles, d = r.nparams, k = r.nextra;
    assert_int_equal(r.method, PS_CALIB_SMC);
    assert_int_equal(d, 3);
    assert_int_equal(k, 5);
    assert_int_equal(progress_calls, r.nstages);
    assert_true(progress_last_phi == 1.0);
    assert_true(r.stages[0].phi == 0.0);
    assert_true(isnan(r.stages[0].acceptance));
    size_t evaluations = n;
    double logz = 0.0;
    for (size_t s = 1; s < r.nstages; s++) {
        assert_true(r.stages[s].phi > r.stages[s - 1].phi);
        assert_true(r.stages[s].moves >= 2 && r.stages[s].moves <= 20);
        assert_true(r.stages[s].acceptance > 0.05);
        evaluations += r.stages[s].moves * n;
        assert_int_equal(r.stages[s].evaluations, evaluations);
        logz += r.stages[s].log_evidence_increment;
    }
    assert_int_equal(r.evaluations, evaluations);
    assert_true(fabs(logz - r.log_evidence) < 1e-12);
    double wsum = 0.0, best = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        wsum += r.weights[i];
        best = fmax(best, r.loglik[i]);
        /* The model's outputs are A x of the particle's own x, and its
           log-likelihood is recomputed exactly from them. */
        double ll = 0.0;
        for (size_t q = 0; q < k; q++) {
            double m = 0.0, pm = 0.0;
            for (size_t j = 0; j < d; j++) {
                m += p.a[q * d + j] * r.x[i * d + j];
                pm += p.a[q * d + j] * r.prior_x[i * d + j];
            }
            assert_true(r.extra[i * k + q] == m);
            assert_true(r.prior_extra[i * k + q] == pm);
            const double e = (p.y[q] - m) / p.sigma;
            ll += -0.5 * log(2.0 * M_PI) - log(p.sigma) - 0.5 * e * e;
        }
        assert_true(fabs(ll - r.loglik[i]) < 1e-12);
    }
    assert_true(fabs(wsum - 1.0) < 1e-12);
    assert_true(r.max_loglik == best);
    assert_true(r.ess > 0.99 * (double)n);
    /* The prior draws: means and sds of the marginals within 5 se. */
    for (size_t j = 0; j < d; j++) {
        ps_calib_moments m;
        assert_int_equal(ps_calib_summarize(r.prior_x, n, d, j, NULL, 0, NULL,
                                            &m, NULL, NULL),
                         PS_OK);
        assert_true(fabs(m.mean - p.mu[j]) < 5.0 * p.sd[j] / sqrt((double)n));
        assert_true(fabs(m.sd / p.sd[j] - 1.0) < 0.1);
    }
    ps_calib_result_free(&r);
    ps_calib_result_free(&r); /* freeing twice is harmless */
}

static void assert_same_result(const ps_calib_result *a,
                               const ps_calib_result *b)
{
    const size_t n = a->nparticles, d = a->nparams, k = a->nextra;
    assert_int_equal(a->nstages, b->nstages);
    assert_int_equal(a->evaluations, b->evaluations);
    assert_memory_equal(a->x, b->x, n * d * sizeof *a->x);
    assert_memory_equal(a->weights, b->weights, n * sizeof *a->weights);
    assert_memory_equal(a->loglik, b->loglik, n * sizeof *a->loglik);
    assert_memory_equal(a->extra, b->extra, n * k * sizeof *a->extra);
    assert_memory_equal(a->prior_x, b->prior_x, n * d * sizeof *a->x);
    assert_memory_equal(a->stages, b->stages, a->nstages * sizeof *a->stages);
    assert_memory_equal(&a->log_evidence, &b->log_evidence, sizeof(double));
    assert_int_equal(a->complete, b->complete);
    assert_memory_equal(a->z, b->z, n * d * sizeof *a->z);
    assert_memory_equal(&a->move_scale, &b->move_scale, sizeof(double));
}

/* Same seed: the same bits, at 1 or 4 threads in the callback; another
   seed: other particles. */
static void smc_is_reproducible(void **state)
{
    (void)state;
    lg_problem p;
    lg_init(&p, 1);
    ps_calib_options o = smc_options(500, 11);
    ps_calib_result a, b, c;
    p.threads = 1;
    run_smc(&p, &o, &a);
    p.threads = 4;
    run_smc(&p, &o, &b);
    assert_same_result(&a, &b);
    o.seed = 12;
    run_smc(&p, &o, &c);
    assert_true(memcmp(a.x, c.x, a.nparticles * a.nparams * sizeof *a.x) != 0);
    ps_calib_result_free(&a);
    ps_calib_result_free(&b);
    ps_calib_result_free(&c);
}

/* A cancellation during the run returns the last whole stage; an
   interrupted run's stages are those of an uninterrupted one. */
static void smc_cancel_keeps_last_stage(void **state)
{
    (void)state;
    lg_problem p;
    lg_init(&p, 0);
    ps_calib_options o = smc_options(300, 3);
    ps_calib_result full;
    run_smc(&p, &o, &full);

    volatile sig_atomic_t cancel = 0;
    p.cancel = &cancel;
    p.cancel_after = 5;
    p.calls = 0;
    o.cancel = &cancel;
    ps_calib_prior prior = lg_prior(&p);
    ps_calib_model model = lg_model(&p);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_INTERRUPTED);
    assert_int_equal(err.status, PS_ERR_INTERRUPTED);
    assert_int_equal(p.calls, 5);
    assert_int_equal(r.complete, 0);
    assert_true(r.nstages >= 1 && r.nstages < full.nstages);
    assert_int_equal(r.evaluations, 5 * o.particles);
    assert_memory_equal(r.stages, full.stages, r.nstages * sizeof *r.stages);
    const size_t n = r.nparticles, d = r.nparams;
    double wsum = 0.0;
    for (size_t i = 0; i < n; i++) {
        wsum += r.weights[i];
        for (size_t j = 0; j < d; j++)
            assert_true(isfinite(r.x[i * d + j]));
        assert_true(r.loglik[i] > -INFINITY);
    }
    assert_true(fabs(wsum - 1.0) < 1e-12);
    ps_calib_result_free(&r);

    /* Cancelled before anything ran: nothing. */
    cancel = 1;
    p.cancel_after = 0;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_INTERRUPTED);
    assert_int_equal(r.nstages, 0);
    assert_null(r.x);
    ps_calib_result_free(&r);
    ps_calib_result_free(&full);
}

/* A deep copy of the arrays a resumed run reads. */
static void copy_result(ps_calib_result *dst, const ps_calib_result *src)
{
    const size_t n = src->nparticles, d = src->nparams;
    *dst = *src;
    dst->x = malloc(n * d * sizeof *dst->x);
    dst->z = malloc(n * d * sizeof *dst->z);
    dst->prior_x = malloc(n * d * sizeof *dst->prior_x);
    dst->weights = malloc(n * sizeof *dst->weights);
    dst->loglik = malloc(n * sizeof *dst->loglik);
    dst->stages = malloc(src->nstages * sizeof *dst->stages);
    dst->covariance = NULL;
    const size_t k = src->nextra;
    dst->extra = k ? malloc(n * k * sizeof *dst->extra) : NULL;
    dst->prior_extra = k ? malloc(n * k * sizeof *dst->prior_extra) : NULL;
    if (k) {
        assert_non_null(dst->extra);
        assert_non_null(dst->prior_extra);
        memcpy(dst->extra, src->extra, n * k * sizeof *dst->extra);
        memcpy(dst->prior_extra, src->prior_extra,
               n * k * sizeof *dst->prior_extra);
    }
    assert_non_null(dst->x);
    assert_non_null(dst->z);
    assert_non_null(dst->prior_x);
    assert_non_null(dst->weights);
    assert_non_null(dst->loglik);
    assert_non_null(dst->stages);
    memcpy(dst->x, src->x, n * d * sizeof *dst->x);
    memcpy(dst->z, src->z, n * d * sizeof *dst->z);
    memcpy(dst->prior_x, src->prior_x, n * d * sizeof *dst->prior_x);
    memcpy(dst->weights, src->weights, n * sizeof *dst->weights);
    memcpy(dst->loglik, src->loglik, n * sizeof *dst->loglik);
    memcpy(dst->stages, src->stages, src->nstages * sizeof *dst->stages);
}

/* The result after stage `at`, copied; or an error at that stage. */
typedef struct keeper {
    size_t at;
    int fail;
    ps_calib_result kept;
} keeper;

static ps_status keep_at(const ps_calib_result *so_far, void *ctx,
                         ps_error *err)
{
    keeper *k = ctx;
    assert_int_equal(so_far->complete, 0);
    if (so_far->nstages != k->at)
        return PS_OK;
    if (k->fail)
        return ps_error_set(err, PS_ERR_IO, "post.h5.partial", 0, 0,
                            "disk full");
    copy_result(&k->kept, so_far);
    return PS_OK;
}

/* A run continued from a checkpoint, or from what a cancellation left
   (whose count of runs includes the unfinished stage's), ends bit for
   bit as the uninterrupted run; a checkpoint's error stops the run. */
static void smc_resumes_bit_for_bit(void **state)
{
    (void)state;
    lg_problem p;
    lg_init(&p, 1);
    ps_calib_options o = smc_options(300, 5);
    ps_calib_result full;
    run_smc(&p, &o, &full);
    assert_true(full.nstages >= 4);

    keeper k = {.at = 3};
    o.checkpoint = keep_at;
    o.checkpoint_ctx = &k;
    ps_calib_result again;
    run_smc(&p, &o, &again);
    assert_same_result(&again, &full);
    ps_calib_result_free(&again);
    assert_int_equal(k.kept.nstages, 3);

    ps_calib_options resumed = smc_options(300, 5);
    resumed.resume = &k.kept;
    ps_calib_result r;
    run_smc(&p, &resumed, &r);
    assert_same_result(&r, &full);
    ps_calib_result_free(&r);
    ps_calib_result_free(&k.kept);

    volatile sig_atomic_t cancel = 0;
    p.cancel = &cancel;
    p.cancel_after = 7;
    p.calls = 0;
    ps_calib_options cut = smc_options(300, 5);
    cut.cancel = &cancel;
    ps_calib_prior prior = lg_prior(&p);
    ps_calib_model model = lg_model(&p);
    ps_error err;
    ps_calib_result part;
    assert_int_equal(
        ps_calibrate(PS_CALIB_SMC, &prior, &model, &cut, &part, &err),
        PS_ERR_INTERRUPTED);
    assert_true(part.evaluations > part.stages[part.nstages - 1].evaluations);
    p.cancel = NULL;
    resumed.resume = &part;
    run_smc(&p, &resumed, &r);
    assert_same_result(&r, &full);
    ps_calib_result_free(&r);
    ps_calib_result_free(&part);

    keeper bad = {.at = 2, .fail = 1};
    o.checkpoint_ctx = &bad;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_IO);
    assert_string_equal(err.message, "disk full");
    ps_calib_result_free(&r);

    /* Only SMC continues a run, and only one of its shape. */
    o.checkpoint = NULL;
    o.resume = &full;
    assert_int_equal(ps_calibrate(PS_CALIB_IS, &prior, &model, &o, &r, &err),
                     PS_ERR_USAGE);
    o.particles = 200;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_USAGE);
    ps_calib_result_free(&full);
}

static void smc_refuses_impossible_data(void **state)
{
    (void)state;
    lg_problem p;
    lg_init(&p, 0);
    p.impossible = 1;
    ps_calib_options o = smc_options(100, 1);
    ps_calib_prior prior = lg_prior(&p);
    ps_calib_model model = lg_model(&p);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "no prior draw reproduces"));
    assert_null(r.x);
    assert_int_equal(r.nstages, 0);
    ps_calib_result_free(&r);
}

/* Observations far more precise than the prior need many stages: with
   one allowed, the run says that tempering did not finish. */
static void smc_reports_unfinished_tempering(void **state)
{
    (void)state;
    lg_problem p;
    lg_init(&p, 0);
    p.sigma = 0.01;
    ps_calib_options o = smc_options(200, 1);
    o.max_stages = 1;
    ps_calib_prior prior = lg_prior(&p);
    ps_calib_model model = lg_model(&p);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "in 1 stages"));
    ps_calib_result_free(&r);
}

/* Particles whose likelihood is zero (here: half of the prior) leave at
   the first stage; the posterior is the exact one truncated, checked by
   its support. */
static ps_status half_impossible(void *ctx, size_t n, const double *x,
                                 double *ll, double *extra, ps_error *err)
{
    (void)ctx, (void)extra, (void)err;
    for (size_t i = 0; i < n; i++)
        ll[i] = x[i] < 0.0 ? -INFINITY : -0.5 * (x[i] - 1.0) * (x[i] - 1.0);
    return PS_OK;
}

static void smc_handles_zero_likelihood(void **state)
{
    (void)state;
    ps_dist dist = {.kind = PS_DIST_NORMAL, .p = {0.0, 1.0}};
    const ps_dist *dists[1] = {&dist};
    const char *names[1] = {"x"};
    ps_calib_prior prior = {1, names, dists, NULL};
    ps_calib_model model = {half_impossible, NULL, 0};
    ps_calib_options o = smc_options(1000, 5);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_OK);
    assert_null(r.extra);
    for (size_t i = 0; i < r.nparticles; i++) {
        assert_true(r.x[i] >= 0.0);
        assert_false(isnan(r.weights[i]));
    }
    /* Posterior: N(0.5, 1/2) truncated to x >= 0; the evidence is
       integral of N(x; 0, 1) exp(-(x - 1)^2 / 2) over x >= 0
       = exp(-1/4) / sqrt(2) * P(N(0.5, 1/2) >= 0). */
    const double tail = 0.5 * erfc(-0.5 / sqrt(0.5) / sqrt(2.0));
    const double logz = -0.25 - 0.5 * log(2.0) + log(tail);
    assert_true(fabs(r.log_evidence - logz) < 0.1);
    ps_calib_result_free(&r);
}

/* A callback that fails at its second batch, or returns NaN. */
static size_t failing_calls;

static ps_status failing(void *ctx, size_t n, const double *x, double *ll,
                         double *extra, ps_error *err)
{
    (void)extra;
    const int nan = *(const int *)ctx;
    if (++failing_calls == 2 && !nan)
        return ps_error_set(err, PS_ERR_INTEGRATION, NULL, 0, 0, "run failed");
    for (size_t i = 0; i < n; i++)
        ll[i] = nan && failing_calls == 2 && i == n - 1 ? NAN : -x[i] * x[i];
    return PS_OK;
}

static void callback_errors_stop_the_run(void **state)
{
    (void)state;
    ps_dist dist = {.kind = PS_DIST_NORMAL, .p = {0.0, 1.0}};
    const ps_dist *dists[1] = {&dist};
    const char *names[1] = {"theta"};
    ps_calib_prior prior = {1, names, dists, NULL};
    int nan = 0;
    ps_calib_model model = {failing, &nan, 0};
    ps_calib_options o = smc_options(50, 1);
    ps_calib_result r;
    ps_error err;
    failing_calls = 0;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_INTEGRATION);
    assert_string_equal(err.message, "run failed");
    assert_null(r.x);
    nan = 1;
    failing_calls = 0;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "theta = "));
    assert_null(r.x);
    /* No error record: still refused, nothing written anywhere. */
    failing_calls = 0;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, NULL),
                     PS_ERR_DATA);
    ps_calib_result_free(&r);
}

static void refuses_malformed_problems(void **state)
{
    (void)state;
    lg_problem p;
    lg_init(&p, 1);
    ps_calib_prior prior = lg_prior(&p);
    ps_calib_model model = lg_model(&p);
    ps_calib_options o = smc_options(100, 1);
    ps_calib_result r;
    ps_error err;

    ps_calib_prior empty = prior;
    empty.nparams = 0;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &empty, &model, &o, &r, &err),
                     PS_ERR_USAGE);
    assert_null(r.x);
    o.particles = 1;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_USAGE);
    assert_int_equal(ps_calibrate(PS_CALIB_IS, &prior, &model, &o, &r, &err),
                     PS_ERR_USAGE);
    o.particles = 100;
    o.ess_fraction = 1.0;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_USAGE);
    o.ess_fraction = 0.5;
    /* Rank correlations 0.9, 0.9 and -0.9: not positive definite. */
    p.rank[1] = p.rank[3] = 0.9;
    p.rank[2] = p.rank[6] = 0.9;
    p.rank[5] = p.rank[7] = -0.9;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "not positive definite"));
    assert_non_null(strstr(err.message, "gamma"));
    p.rank[5] = 0.9; /* now symmetric only if [7] follows */
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "not symmetric"));
    lg_init(&p, 1);
    p.dists[1].p[1] = -1.0;
    assert_int_equal(ps_calibrate(PS_CALIB_SMC, &prior, &model, &o, &r, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "beta"));
    ps_calib_result_free(&r);
}

static void names_and_defaults(void **state)
{
    (void)state;
    ps_calib_method m;
    assert_int_equal(ps_calib_method_from_name("smc", &m), 0);
    assert_int_equal(m, PS_CALIB_SMC);
    assert_int_equal(ps_calib_method_from_name("is", &m), 0);
    assert_int_equal(m, PS_CALIB_IS);
    assert_int_equal(ps_calib_method_from_name("optimize", &m), 0);
    assert_int_equal(m, PS_CALIB_OPTIMIZE);
    assert_int_equal(ps_calib_method_from_name("mcmc", &m), -1);
    assert_int_equal(ps_calib_method_from_name(NULL, &m), -1);
    assert_string_equal(ps_calib_method_name(PS_CALIB_IS), "is");
    ps_calib_options o;
    ps_calib_options_default(&o);
    assert_int_equal(o.particles, 1000);
    assert_true(o.ess_fraction == 0.5);
    assert_int_equal(o.max_stages, 200);
    assert_int_equal(o.max_moves, 20);
    assert_true(o.ess_warning == 0.01);
    assert_null(o.progress);
    assert_null(o.cancel);
    ps_calib_result_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(smc_matches_exact_posterior),
        cmocka_unit_test(smc_matches_exact_posterior_correlated),
        cmocka_unit_test(smc_result_is_consistent),
        cmocka_unit_test(smc_is_reproducible),
        cmocka_unit_test(smc_cancel_keeps_last_stage),
        cmocka_unit_test(smc_resumes_bit_for_bit),
        cmocka_unit_test(smc_refuses_impossible_data),
        cmocka_unit_test(smc_reports_unfinished_tempering),
        cmocka_unit_test(smc_handles_zero_likelihood),
        cmocka_unit_test(callback_errors_stop_the_run),
        cmocka_unit_test(refuses_malformed_problems),
        cmocka_unit_test(names_and_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
