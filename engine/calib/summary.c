/*
 * Prior and posterior summaries of a calibration: the inputs' moments and
 * quantiles, and the targets' probabilities before and after the data.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/calib_batch.h"

static const double probs[3] = {0.05, 0.5, 0.95};

void ps_calib_summary_free(ps_calib_summary *s)
{
    if (!s)
        return;
    free(s->prior_mean);
    free(s->prior_sd);
    free(s->prior_q);
    free(s->post_mean);
    free(s->post_sd);
    free(s->post_q);
    free(s->prior_p);
    free(s->post_p);
    memset(s, 0, sizeof *s);
}

/* The sd of a distribution by the midpoint rule over its quantile
   function: sd^2 = integral over (0,1) of (Q(u) - mean)^2 du. */
static double dist_sd(const ps_dist *d, double mean)
{
    enum { n = 20000 };
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double e = ps_dist_quantile(d, (i + 0.5) / n) - mean;
        ss += e * e;
    }
    return sqrt(ss / n);
}

/* The weighted share of the rows whose value of column `col` meets t,
   over the rows with a finite value; NaN when there are none. */
static double probability(const ps_sc_target *t, const double *m, size_t n,
                          size_t stride, size_t col, const double *w)
{
    double hit = 0, all = 0;
    for (size_t i = 0; i < n; i++) {
        double v = m[i * stride + col], wi = w ? w[i] : 1;
        if (!isfinite(v) || !(wi > 0))
            continue;
        all += wi;
        if (ps_sc_target_met(t, v))
            hit += wi;
    }
    return all > 0 ? hit / all : NAN;
}

static ps_status alloc_all(ps_calib_summary *s, size_t d, size_t nt)
{
    size_t dd = d ? d : 1, t = nt ? nt : 1;
    s->prior_mean = malloc(dd * sizeof(double));
    s->prior_sd = malloc(dd * sizeof(double));
    s->prior_q = malloc(3 * dd * sizeof(double));
    s->post_mean = malloc(dd * sizeof(double));
    s->post_sd = malloc(dd * sizeof(double));
    s->post_q = malloc(3 * dd * sizeof(double));
    s->prior_p = malloc(t * sizeof(double));
    s->post_p = malloc(t * sizeof(double));
    return s->prior_mean && s->prior_sd && s->prior_q && s->post_mean &&
                   s->post_sd && s->post_q && s->prior_p && s->post_p
               ? PS_OK
               : PS_ERR_NOMEM;
}

ps_status ps_calib_summary_make(const ps_calib_prior *prior,
                                const ps_calib_result *r, size_t nobs,
                                const ps_sc_target *targets, size_t ntargets,
                                ps_calib_summary *out, ps_error *err)
{
    memset(out, 0, sizeof *out);
    size_t d = prior->nparams;
    out->nparams = d;
    out->ntargets = ntargets;
    if (alloc_all(out, d, ntargets) != PS_OK) {
        ps_calib_summary_free(out);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for the calibration summary");
    }
    for (size_t j = 0; j < d; j++) {
        const ps_dist *dist = prior->dists[j];
        out->prior_mean[j] = ps_dist_mean(dist);
        out->prior_sd[j] = dist_sd(dist, out->prior_mean[j]);
        for (size_t k = 0; k < 3; k++)
            out->prior_q[3 * j + k] = ps_dist_quantile(dist, probs[k]);
        if (r->method == PS_CALIB_OPTIMIZE) {
            double sd = r->covariance ? sqrt(r->covariance[j * d + j]) : NAN;
            out->post_mean[j] = r->x[j];
            out->post_sd[j] = sd;
            out->post_q[3 * j] = r->x[j] - 1.6448536269514722 * sd;
            out->post_q[3 * j + 1] = r->x[j];
            out->post_q[3 * j + 2] = r->x[j] + 1.6448536269514722 * sd;
            continue;
        }
        ps_calib_moments mom;
        ps_status st =
            ps_calib_summarize(r->x, r->nparticles, d, j, r->weights, 3, probs,
                               &mom, &out->post_q[3 * j], err);
        if (st != PS_OK) {
            ps_calib_summary_free(out);
            return st;
        }
        out->post_mean[j] = mom.mean;
        out->post_sd[j] = mom.sd;
    }
    for (size_t t = 0; t < ntargets; t++) {
        int draws = r->method != PS_CALIB_OPTIMIZE && r->nextra > nobs + t;
        out->prior_p[t] =
            draws && r->prior_extra
                ? probability(&targets[t], r->prior_extra, r->nparticles,
                              r->nextra, nobs + t, NULL)
                : NAN;
        out->post_p[t] = draws
                             ? probability(&targets[t], r->extra, r->nparticles,
                                           r->nextra, nobs + t, r->weights)
                             : NAN;
    }
    return PS_OK;
}
