/* The linear Gaussian test problem and its exact posterior (GSL). */
#include <math.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>

#include "linear_gauss.h"

void lg_init(lg_problem *p, int correlated)
{
    static const double mu[3] = {1.0, -2.0, 0.5};
    static const double sd[3] = {1.0, 2.0, 0.5};
    static const double rank[9] = {1.0, 0.6,  -0.3, 0.6, 1.0,
                                   0.2, -0.3, 0.2,  1.0};
    static const double a[5 * 3] = {1.0, 0.5, 0.0,  0.3, 1.0, 0.2, 0.0, 0.4,
                                    1.0, 1.0, -1.0, 0.5, 0.2, 0.1, -0.8};
    static const double y[5] = {0.9, -0.6, 0.2, 2.6, -0.4};
    static const char *const names[3] = {"alpha", "beta", "gamma"};
    memset(p, 0, sizeof *p);
    p->d = 3;
    p->k = 5;
    memcpy(p->mu, mu, sizeof mu);
    memcpy(p->sd, sd, sizeof sd);
    memcpy(p->rank, rank, sizeof rank);
    p->correlated = correlated;
    memcpy(p->a, a, sizeof a);
    memcpy(p->y, y, sizeof y);
    p->sigma = 0.5;
    for (size_t j = 0; j < p->d; j++) {
        p->dists[j].kind = PS_DIST_NORMAL;
        p->dists[j].p[0] = mu[j];
        p->dists[j].p[1] = sd[j];
        p->dist_ptrs[j] = &p->dists[j];
        p->names[j] = names[j];
    }
}

ps_calib_prior lg_prior(lg_problem *p)
{
    return (ps_calib_prior){p->d, p->names, p->dist_ptrs,
                            p->correlated ? p->rank : NULL};
}

static ps_status loglik(void *ctx, size_t n, const double *x, double *ll,
                        double *extra, ps_error *err)
{
    lg_problem *p = ctx;
    (void)err;
    p->calls++;
    if (p->cancel && p->cancel_after && p->calls >= p->cancel_after)
        *p->cancel = 1;
    const size_t d = p->d, k = p->k;
    const double s = p->sigma;
    const double c = -0.5 * log(2.0 * M_PI) - log(s);
    const int threads = p->threads > 0 ? p->threads : 1;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 7)
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t r = 0; r < k; r++) {
            double m = 0.0;
            for (size_t j = 0; j < d; j++)
                m += p->a[r * d + j] * x[i * d + j];
            extra[i * k + r] = m;
            const double e = (p->y[r] - m) / s;
            sum += c - 0.5 * e * e;
        }
        ll[i] = p->impossible ? -INFINITY : sum;
    }
    return PS_OK;
}

ps_calib_model lg_model(lg_problem *p)
{
    return (ps_calib_model){loglik, p, p->k};
}

/* The prior covariance S0 = D R D into s0 (d x d). */
static void prior_cov(const lg_problem *p, double *s0)
{
    const size_t d = p->d;
    for (size_t i = 0; i < d; i++) {
        for (size_t j = 0; j < d; j++) {
            double r = i == j ? 1.0 : 0.0;
            if (p->correlated && i != j)
                r = 2.0 * sin(M_PI * p->rank[i * d + j] / 6.0);
            s0[i * d + j] = p->sd[i] * p->sd[j] * r;
        }
    }
}

void lg_exact(const lg_problem *p, double *mean, double *cov,
              double *log_evidence)
{
    const size_t d = p->d, k = p->k;
    const double s2 = p->sigma * p->sigma;
    double s0[LG_MAX_D * LG_MAX_D], prec[LG_MAX_D * LG_MAX_D];
    double b[LG_MAX_D];
    prior_cov(p, s0);

    /* Posterior precision S0^-1 + A^T A / s2, and S0^-1 mu + A^T y / s2. */
    gsl_matrix_view s0v = gsl_matrix_view_array(s0, d, d);
    gsl_matrix_view pv = gsl_matrix_view_array(prec, d, d);
    gsl_matrix_memcpy(&pv.matrix, &s0v.matrix);
    gsl_linalg_cholesky_decomp1(&pv.matrix);
    gsl_vector_const_view muv = gsl_vector_const_view_array(p->mu, d);
    gsl_vector_view bv = gsl_vector_view_array(b, d);
    gsl_linalg_cholesky_solve(&pv.matrix, &muv.vector, &bv.vector);
    gsl_linalg_cholesky_invert(&pv.matrix);
    for (size_t i = 0; i < d; i++) {
        for (size_t r = 0; r < k; r++)
            b[i] += p->a[r * d + i] * p->y[r] / s2;
        for (size_t j = 0; j < d; j++)
            for (size_t r = 0; r < k; r++)
                prec[i * d + j] += p->a[r * d + i] * p->a[r * d + j] / s2;
    }
    gsl_linalg_cholesky_decomp1(&pv.matrix);
    gsl_vector_view mv = gsl_vector_view_array(mean, d);
    gsl_linalg_cholesky_solve(&pv.matrix, &bv.vector, &mv.vector);
    gsl_linalg_cholesky_invert(&pv.matrix);
    memcpy(cov, prec, d * d * sizeof *cov);

    /* y ~ N(A mu, A S0 A^T + s2 I). */
    double c[LG_MAX_K * LG_MAX_K], r[LG_MAX_K], u[LG_MAX_K];
    prior_cov(p, s0);
    for (size_t i = 0; i < k; i++) {
        double m = 0.0;
        for (size_t j = 0; j < d; j++)
            m += p->a[i * d + j] * p->mu[j];
        r[i] = p->y[i] - m;
        for (size_t l = 0; l < k; l++) {
            double v = i == l ? s2 : 0.0;
            for (size_t j = 0; j < d; j++)
                for (size_t q = 0; q < d; q++)
                    v += p->a[i * d + j] * s0[j * d + q] * p->a[l * d + q];
            c[i * k + l] = v;
        }
    }
    gsl_matrix_view cv = gsl_matrix_view_array(c, k, k);
    gsl_linalg_cholesky_decomp1(&cv.matrix);
    double logdet = 0.0;
    for (size_t i = 0; i < k; i++)
        logdet += 2.0 * log(c[i * k + i]);
    gsl_vector_view rv = gsl_vector_view_array(r, k);
    gsl_vector_view uv = gsl_vector_view_array(u, k);
    gsl_linalg_cholesky_solve(&cv.matrix, &rv.vector, &uv.vector);
    double q = 0.0;
    for (size_t i = 0; i < k; i++)
        q += r[i] * u[i];
    *log_evidence = -0.5 * ((double)k * log(2.0 * M_PI) + logdet + q);
}
