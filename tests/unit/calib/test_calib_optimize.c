/*
 * Maximum likelihood through ps_calibrate(PS_CALIB_OPTIMIZE): the exact
 * least-squares point and covariance of a linear Gaussian model, with
 * independent or rank-correlated priors; a logistic curve recovered from
 * noise-free data; uniform priors with the
 * optimum inside and beyond the support; a non-smooth likelihood (the
 * simplex); the evaluation bound; cancellation; a failing callback;
 * impossible data; bit-identical results for a seed.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "plansim/calib.h"

#define MAX_D 3
#define MAX_K 32

typedef struct problem problem;

struct problem {
    size_t d;
    ps_dist dists[MAX_D];
    const ps_dist *dist_ptrs[MAX_D];
    const char *names[MAX_D];
    const double *correlation; /* rank correlation of the prior, or NULL */
    /* loglik of one input vector; writes nextra values to extra when it
       is not NULL. */
    double (*loglik)(const problem *p, const double *x, double *extra);
    size_t nextra;
    /* Data. */
    size_t k;
    double t[MAX_K], y[MAX_K], a[MAX_K * MAX_D];
    double sigma;
    double centre[MAX_D], precision[MAX_D * MAX_D];
    /* What the callback saw and does. */
    size_t calls, evaluations, singles;
    size_t cancel_after; /* set *cancel after this many batches (0: never) */
    volatile sig_atomic_t *cancel;
    size_t fail_after; /* fail the batches after this many (0: never)    */
    /* Progress reports. */
    size_t reports, last_reported;
    int reports_ordered;
};

/* Calls of GSL's error handler: the optimiser must never make one. */
static int gsl_errors;

static void count_gsl_error(const char *reason, const char *file, int line,
                            int gsl_errno)
{
    (void)reason, (void)file, (void)line, (void)gsl_errno;
    gsl_errors++;
}

static ps_status batch(void *ctx, size_t n, const double *x, double *loglik,
                       double *extra, ps_error *err)
{
    problem *p = ctx;
    p->calls++;
    if (p->fail_after > 0 && p->calls > p->fail_after)
        return ps_error_set(err, PS_ERR_INTEGRATION, NULL, 0, 0,
                            "batch %zu failed", p->calls);
    for (size_t i = 0; i < n; i++)
        loglik[i] =
            p->loglik(p, x + i * p->d, extra ? extra + i * p->nextra : NULL);
    p->evaluations += n;
    p->singles += n == 1;
    if (p->cancel_after > 0 && p->calls >= p->cancel_after)
        *p->cancel = 1;
    return PS_OK;
}

static void progress(const ps_calib_stage *s, void *ctx)
{
    problem *p = ctx;
    if (s->evaluations < p->last_reported || s->phi != 1.0 || s->ess != 1.0 ||
        !isnan(s->acceptance) || s->moves != 0 ||
        !isnan(s->log_evidence_increment))
        p->reports_ordered = 0;
    p->last_reported = s->evaluations;
    p->reports++;
}

static void set_dist(problem *p, size_t j, ps_dist_kind kind, double a,
                     double b)
{
    p->dists[j] = (ps_dist){.kind = kind, .p = {a, b}};
    p->dist_ptrs[j] = &p->dists[j];
}

static ps_status run(problem *p, uint64_t seed, size_t max_evaluations,
                     ps_calib_result *r, ps_error *err)
{
    static const char *const names[MAX_D] = {"a", "b", "c"};
    for (size_t j = 0; j < p->d; j++)
        p->names[j] = names[j];
    ps_calib_prior prior = {.nparams = p->d,
                            .names = p->names,
                            .dists = p->dist_ptrs,
                            .correlation = p->correlation};
    ps_calib_model model = {.loglik = batch, .ctx = p, .nextra = p->nextra};
    ps_calib_options o;
    ps_calib_options_default(&o);
    o.seed = seed;
    o.max_evaluations = max_evaluations;
    o.progress = progress;
    o.progress_ctx = p;
    o.cancel = p->cancel;
    p->calls = p->evaluations = p->singles = 0;
    p->reports = p->last_reported = 0;
    p->reports_ordered = 1;
    gsl_errors = 0;
    ps_status st = ps_calibrate(PS_CALIB_OPTIMIZE, &prior, &model, &o, r, err);
    assert_int_equal(gsl_errors, 0);
    return st;
}

/* What every finished result holds. */
static void check_shape(const problem *p, const ps_calib_result *r)
{
    assert_int_equal(r->method, PS_CALIB_OPTIMIZE);
    assert_int_equal(r->nparams, p->d);
    assert_int_equal(r->nparticles, 1);
    assert_int_equal(r->nextra, p->nextra);
    assert_non_null(r->x);
    assert_non_null(r->weights);
    assert_non_null(r->loglik);
    assert_non_null(r->covariance);
    assert_null(r->prior_x);
    assert_null(r->prior_extra);
    assert_true(r->weights[0] == 1.0);
    assert_true(r->loglik[0] == r->max_loglik);
    assert_true(isfinite(r->max_loglik));
    assert_true(isnan(r->log_evidence));
    assert_true(r->ess == 1.0);
    assert_int_equal(r->evaluations, p->evaluations);
    assert_true(r->nstages >= 1);
    assert_int_equal(p->reports, r->nstages);
    assert_true(p->reports_ordered);
    assert_true(r->stages[r->nstages - 1].evaluations <= r->evaluations);
    if (p->nextra > 0)
        assert_non_null(r->extra);
    else
        assert_null(r->extra);
}

/* ------------------------------------------------ linear Gaussian */

static double linear_loglik(const problem *p, const double *x, double *extra)
{
    double ss = 0.0;
    for (size_t i = 0; i < p->k; i++) {
        double m = 0.0;
        for (size_t j = 0; j < p->d; j++)
            m += p->a[i * p->d + j] * x[j];
        const double e = (p->y[i] - m) / p->sigma;
        ss += e * e;
    }
    (void)extra;
    return -0.5 * ss;
}

/* y_i = 1.5 - 2 t_i + 0.7 t_i^2 + sigma e_i, 12 times in [0, 1], with
   fixed errors e; normal priors of mean 4 and sd 10 (so the start is a
   prior draw, not the medians). */
static void linear_init(problem *p)
{
    static const double e[] = {0.31, -1.12, 0.54, 1.41, -0.27, -0.83,
                               0.05, 1.02,  -1.6, 0.66, -0.44, 0.19};
    memset(p, 0, sizeof *p);
    p->d = 3;
    p->k = 12;
    p->sigma = 0.2;
    p->loglik = linear_loglik;
    for (size_t i = 0; i < p->k; i++) {
        const double t = (double)i / (double)(p->k - 1);
        p->a[i * 3 + 0] = 1.0;
        p->a[i * 3 + 1] = t;
        p->a[i * 3 + 2] = t * t;
        p->y[i] = 1.5 - 2.0 * t + 0.7 * t * t + p->sigma * e[i];
    }
    for (size_t j = 0; j < p->d; j++)
        set_dist(p, j, PS_DIST_NORMAL, 4.0, 10.0);
}

/* The least-squares point (A^T A)^-1 A^T y and sigma^2 (A^T A)^-1. */
static void linear_exact(const problem *p, double *x, double *cov)
{
    const size_t d = p->d;
    double ata[MAX_D * MAX_D] = {0}, aty[MAX_D] = {0};
    for (size_t i = 0; i < p->k; i++)
        for (size_t j = 0; j < d; j++) {
            aty[j] += p->a[i * d + j] * p->y[i];
            for (size_t l = 0; l < d; l++)
                ata[j * d + l] += p->a[i * d + j] * p->a[i * d + l];
        }
    gsl_matrix_view m = gsl_matrix_view_array(ata, d, d);
    gsl_vector_view b = gsl_vector_view_array(aty, d);
    gsl_vector_view xv = gsl_vector_view_array(x, d);
    assert_int_equal(gsl_linalg_cholesky_decomp1(&m.matrix), 0);
    assert_int_equal(
        gsl_linalg_cholesky_solve(&m.matrix, &b.vector, &xv.vector), 0);
    assert_int_equal(gsl_linalg_cholesky_invert(&m.matrix), 0);
    for (size_t j = 0; j < d * d; j++)
        cov[j] = p->sigma * p->sigma * ata[j];
}

/* Largest |c_jk - e_jk| / sqrt(e_jj e_kk). */
static double covariance_error(const double *c, const double *e, size_t d)
{
    double worst = 0.0;
    for (size_t j = 0; j < d; j++)
        for (size_t k = 0; k < d; k++)
            worst = fmax(worst, fabs(c[j * d + k] - e[j * d + k]) /
                                    sqrt(e[j * d + j] * e[k * d + k]));
    return worst;
}

static void check_least_squares(const double *correlation)
{
    problem p;
    linear_init(&p);
    p.correlation = correlation;
    double x[MAX_D], cov[MAX_D * MAX_D];
    linear_exact(&p, x, cov);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run(&p, 1, 0, &r, &err), PS_OK);
    check_shape(&p, &r);
    assert_int_equal(r.converged, 1);
    assert_int_equal(r.complete, 1);
    double worst = 0.0;
    for (size_t j = 0; j < p.d; j++)
        worst = fmax(worst, fabs(r.x[j] - x[j]) / fabs(x[j]));
    const double cerr = covariance_error(r.covariance, cov, p.d);
    print_message("  x %.8f %.8f %.8f (exact %.8f %.8f %.8f): %.2g relative; "
                  "covariance %.2g; %zu evaluations in %zu batches, %zu "
                  "iterations\n",
                  r.x[0], r.x[1], r.x[2], x[0], x[1], x[2], worst, cerr,
                  r.evaluations, p.calls, r.nstages - 1);
    assert_true(worst <= 1e-5);
    assert_true(cerr <= 1e-3);
    assert_true(fabs(r.max_loglik - linear_loglik(&p, x, NULL)) <= 1e-9);
    /* Symmetric, as an inverse information is. */
    for (size_t j = 0; j < p.d; j++)
        for (size_t k = 0; k < j; k++)
            assert_true(r.covariance[j * p.d + k] == r.covariance[k * p.d + j]);
    assert_true(r.evaluations <= 2000 * p.d);
    ps_calib_result_free(&r);
}

static void optimize_finds_least_squares_and_its_covariance(void **state)
{
    (void)state;
    check_least_squares(NULL);
}

/* The prior only chooses where the search starts. */
static void optimize_ignores_the_priors_correlation(void **state)
{
    (void)state;
    const double rank[] = {1.0, 0.6, -0.3, 0.6, 1.0, 0.2, -0.3, 0.2, 1.0};
    check_least_squares(rank);
}

/* ------------------------------------------------- logistic curve */

static double logistic(double r, double cap, double x0, double t)
{
    return cap / (1.0 + (cap - x0) / x0 * exp(-r * t));
}

/* x(t) = K / (1 + ((K - x0) / x0) exp(-r t)), x0 = 10, observed at t =
   0..30 without noise, errors of sd 5; extra: the simulated x(30). */
static double logistic_loglik(const problem *p, const double *x, double *extra)
{
    double ss = 0.0;
    for (size_t i = 0; i < p->k; i++) {
        const double e =
            (p->y[i] - logistic(x[0], x[1], 10.0, p->t[i])) / p->sigma;
        ss += e * e;
    }
    if (extra)
        extra[0] = logistic(x[0], x[1], 10.0, 30.0);
    return -0.5 * ss;
}

static void logistic_init(problem *p)
{
    memset(p, 0, sizeof *p);
    p->d = 2;
    p->k = 31;
    p->sigma = 5.0;
    p->nextra = 1;
    p->loglik = logistic_loglik;
    for (size_t i = 0; i < p->k; i++) {
        p->t[i] = (double)i;
        p->y[i] = logistic(0.35, 1000.0, 10.0, p->t[i]);
    }
    set_dist(p, 0, PS_DIST_UNIFORM, 0.05, 1.5);
    set_dist(p, 1, PS_DIST_LOGNORMAL, log(700.0), 0.7);
}

static void optimize_recovers_a_logistic_curve(void **state)
{
    (void)state;
    problem p;
    logistic_init(&p);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run(&p, 3, 0, &r, &err), PS_OK);
    check_shape(&p, &r);
    assert_int_equal(r.converged, 1);
    const double er = fabs(r.x[0] / 0.35 - 1.0);
    const double ek = fabs(r.x[1] / 1000.0 - 1.0);
    print_message("  r %.9f K %.6f: %.2g and %.2g relative; sd %.3g and "
                  "%.3g; %zu evaluations, %zu iterations\n",
                  r.x[0], r.x[1], er, ek, sqrt(r.covariance[0]),
                  sqrt(r.covariance[3]), r.evaluations, r.nstages - 1);
    assert_true(er <= 1e-5);
    assert_true(ek <= 1e-5);
    /* The extra value belongs to the optimum. */
    assert_true(r.extra[0] == logistic(r.x[0], r.x[1], 10.0, 30.0));
    for (size_t j = 0; j < 4; j++)
        assert_true(isfinite(r.covariance[j]));
    assert_true(r.covariance[0] > 0.0 && r.covariance[3] > 0.0);
    ps_calib_result_free(&r);
}

static void optimize_is_reproducible(void **state)
{
    (void)state;
    problem p;
    logistic_init(&p);
    ps_calib_result a, b, c;
    ps_error err;
    assert_int_equal(run(&p, 11, 0, &a, &err), PS_OK);
    assert_int_equal(run(&p, 11, 0, &b, &err), PS_OK);
    assert_memory_equal(a.x, b.x, 2 * sizeof *a.x);
    assert_memory_equal(a.covariance, b.covariance, 4 * sizeof *a.x);
    assert_memory_equal(a.loglik, b.loglik, sizeof *a.loglik);
    assert_memory_equal(a.extra, b.extra, sizeof *a.extra);
    assert_int_equal(a.evaluations, b.evaluations);
    assert_int_equal(a.nstages, b.nstages);
    assert_memory_equal(a.stages, b.stages, a.nstages * sizeof *a.stages);
    /* Another seed starts elsewhere and ends at the same optimum. */
    assert_int_equal(run(&p, 12, 0, &c, &err), PS_OK);
    assert_true(fabs(c.x[0] / a.x[0] - 1.0) <= 1e-5);
    assert_true(fabs(c.x[1] / a.x[1] - 1.0) <= 1e-5);
    ps_calib_result_free(&a);
    ps_calib_result_free(&b);
    ps_calib_result_free(&c);
}

/* ------------------------------------------------- uniform priors */

/* A Gaussian bump: -1/2 (x - centre)^T P (x - centre). */
static double bump_loglik(const problem *p, const double *x, double *extra)
{
    double q = 0.0;
    for (size_t j = 0; j < p->d; j++)
        for (size_t k = 0; k < p->d; k++)
            q += (x[j] - p->centre[j]) * p->precision[j * p->d + k] *
                 (x[k] - p->centre[k]);
    (void)extra;
    return -0.5 * q;
}

/* Inputs uniform on [0, 10] and [-5, 5]; the bump at `centre` with
   covariance s (2 x 2). */
static void bump_init(problem *p, double c0, double c1, const double *s)
{
    memset(p, 0, sizeof *p);
    p->d = 2;
    p->loglik = bump_loglik;
    p->centre[0] = c0;
    p->centre[1] = c1;
    const double det = s[0] * s[3] - s[1] * s[2];
    p->precision[0] = s[3] / det;
    p->precision[1] = p->precision[2] = -s[1] / det;
    p->precision[3] = s[0] / det;
    set_dist(p, 0, PS_DIST_UNIFORM, 0.0, 10.0);
    set_dist(p, 1, PS_DIST_UNIFORM, -5.0, 5.0);
}

static void optimize_finds_an_optimum_inside_uniform_priors(void **state)
{
    (void)state;
    const double s[] = {0.04, 0.012, 0.012, 0.09};
    problem p;
    bump_init(&p, 3.0, -1.5, s);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run(&p, 5, 0, &r, &err), PS_OK);
    check_shape(&p, &r);
    assert_int_equal(r.converged, 1);
    const double e0 = fabs(r.x[0] / 3.0 - 1.0), e1 = fabs(r.x[1] / -1.5 - 1.0);
    const double cerr = covariance_error(r.covariance, s, 2);
    print_message("  x %.9f %.9f: %.2g and %.2g relative; covariance %.2g; "
                  "%zu evaluations\n",
                  r.x[0], r.x[1], e0, e1, cerr, r.evaluations);
    assert_true(e0 <= 1e-5 && e1 <= 1e-5);
    assert_true(cerr <= 1e-3);
    ps_calib_result_free(&r);
}

static void optimize_stops_at_the_edge_of_a_uniform_prior(void **state)
{
    (void)state;
    /* The first input's bump is at 12, beyond its support [0, 10]. */
    const double s[] = {1.0, 0.0, 0.0, 0.09};
    problem p;
    bump_init(&p, 12.0, -1.5, s);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run(&p, 5, 0, &r, &err), PS_OK);
    check_shape(&p, &r);
    print_message("  10 - x %.3g, x %.9f, variance of the second %.6f, "
                  "converged %d\n",
                  10.0 - r.x[0], r.x[1], r.covariance[3], r.converged);
    assert_true(r.x[0] < 10.0 && r.x[0] > 10.0 - 1e-4);
    assert_true(fabs(r.x[1] / -1.5 - 1.0) <= 1e-5);
    /* No spread for an estimate at the edge; the other one has its own. */
    assert_true(isnan(r.covariance[0]) && isnan(r.covariance[1]) &&
                isnan(r.covariance[2]));
    assert_true(fabs(r.covariance[3] / 0.09 - 1.0) <= 1e-3);
    ps_calib_result_free(&r);
}

/* ------------------------------------------------ other paths */

/* -sum |x_j - centre_j| / 0.1: no gradient at the optimum, so BFGS stalls
   and the simplex finishes. */
static double kink_loglik(const problem *p, const double *x, double *extra)
{
    (void)extra;
    return -(fabs(x[0] - p->centre[0]) + fabs(x[1] - p->centre[1])) / 0.1;
}

static void optimize_falls_back_to_the_simplex(void **state)
{
    (void)state;
    const double s[] = {1.0, 0.0, 0.0, 1.0};
    problem p;
    bump_init(&p, 3.0, -1.5, s);
    p.loglik = kink_loglik;
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run(&p, 5, 0, &r, &err), PS_OK);
    check_shape(&p, &r);
    print_message("  x %.9f %.9f, converged %d, %zu evaluations (%zu "
                  "alone)\n",
                  r.x[0], r.x[1], r.converged, r.evaluations, p.singles);
    assert_int_equal(r.converged, 1);
    assert_true(fabs(r.x[0] - 3.0) <= 1e-5 && fabs(r.x[1] + 1.5) <= 1e-5);
    ps_calib_result_free(&r);
}

static void optimize_keeps_to_its_evaluation_bound(void **state)
{
    (void)state;
    problem p;
    logistic_init(&p);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run(&p, 3, 60, &r, &err), PS_OK);
    check_shape(&p, &r);
    print_message("  %zu evaluations of 60, converged %d\n", r.evaluations,
                  r.converged);
    assert_true(r.evaluations <= 60);
    assert_int_equal(r.converged, 0);
    assert_int_equal(r.complete, 1);
    ps_calib_result_free(&r);
}

static void optimize_stops_when_cancelled(void **state)
{
    (void)state;
    volatile sig_atomic_t cancel = 0;
    problem p;
    linear_init(&p);
    p.cancel = &cancel;
    p.cancel_after = 3;
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run(&p, 1, 0, &r, &err), PS_ERR_INTERRUPTED);
    assert_int_equal(err.status, PS_ERR_INTERRUPTED);
    assert_int_equal(p.calls, 3);
    assert_int_equal(r.complete, 0);
    assert_int_equal(r.converged, 0);
    assert_int_equal(r.nparticles, 1);
    assert_non_null(r.x);
    for (size_t j = 0; j < p.d; j++)
        assert_true(isfinite(r.x[j]));
    assert_true(r.loglik[0] == r.max_loglik && isfinite(r.max_loglik));
    assert_non_null(r.covariance);
    for (size_t j = 0; j < p.d * p.d; j++)
        assert_true(isnan(r.covariance[j]));
    assert_true(r.nstages >= 1);
    assert_int_equal(r.evaluations, p.evaluations);
    ps_calib_result_free(&r);

    /* Set before anything ran: no point, nothing to free. */
    cancel = 1;
    p.cancel_after = 0;
    assert_int_equal(run(&p, 1, 0, &r, &err), PS_ERR_INTERRUPTED);
    assert_int_equal(p.calls, 0);
    assert_int_equal(r.nstages, 0);
    assert_null(r.x);
    ps_calib_result_free(&r);
}

static void optimize_passes_on_the_callbacks_error(void **state)
{
    (void)state;
    problem p;
    linear_init(&p);
    p.fail_after = 4;
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run(&p, 1, 0, &r, &err), PS_ERR_INTEGRATION);
    assert_string_equal(err.message, "batch 5 failed");
    assert_null(r.x);
    assert_null(r.covariance);
    assert_int_equal(r.nstages, 0);
    ps_calib_result_free(&r);
}

static double impossible_loglik(const problem *p, const double *x,
                                double *extra)
{
    (void)p, (void)x, (void)extra;
    return -INFINITY;
}

static void optimize_refuses_impossible_data(void **state)
{
    (void)state;
    problem p;
    linear_init(&p);
    p.loglik = impossible_loglik;
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run(&p, 1, 0, &r, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "do not overlap"));
    assert_int_equal(p.calls, 1);
    assert_null(r.x);
    ps_calib_result_free(&r);
}

int main(void)
{
    gsl_set_error_handler(count_gsl_error);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(optimize_finds_least_squares_and_its_covariance),
        cmocka_unit_test(optimize_ignores_the_priors_correlation),
        cmocka_unit_test(optimize_recovers_a_logistic_curve),
        cmocka_unit_test(optimize_is_reproducible),
        cmocka_unit_test(optimize_finds_an_optimum_inside_uniform_priors),
        cmocka_unit_test(optimize_stops_at_the_edge_of_a_uniform_prior),
        cmocka_unit_test(optimize_falls_back_to_the_simplex),
        cmocka_unit_test(optimize_keeps_to_its_evaluation_bound),
        cmocka_unit_test(optimize_stops_when_cancelled),
        cmocka_unit_test(optimize_passes_on_the_callbacks_error),
        cmocka_unit_test(optimize_refuses_impossible_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
