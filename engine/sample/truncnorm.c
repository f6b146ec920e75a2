/*
 * The truncated normal distribution on [min, max], by its standardised
 * bounds alpha and beta.  Far in a tail, P(alpha) rounds to 1 and the
 * textbook inverse Phi^-1(P(alpha) + u (P(beta) - P(alpha))) collapses onto
 * alpha; the upper tail Q = 1 - P keeps its relative precision there (Q(10)
 * is 7.6e-24, P(10) is 1.0 in doubles).  So every formula below works with
 * P when the interval is left of 0, with Q when it is right of 0, and picks
 * by the value when it straddles 0.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "sample_impl.h"

/* Phi and its complement, exact at the infinities. */
static double big_p(double z)
{
    if (z == -INFINITY)
        return 0.0;
    if (z == INFINITY)
        return 1.0;
    return gsl_cdf_ugaussian_P(z);
}

static double big_q(double z)
{
    return big_p(-z);
}

static double phi(double z)
{
    if (isinf(z))
        return 0.0;
    return exp(-0.5 * z * z) / sqrt(2.0 * M_PI);
}

static void bounds(const ps_dist *d, double *alpha, double *beta)
{
    *alpha = (d->p[2] - d->p[0]) / d->p[1];
    *beta = (d->p[3] - d->p[0]) / d->p[1];
}

/* The mass of [alpha, beta] from Phi and 1 - Phi at its ends. */
static double mass_of(const ps__truncnorm_shape *s)
{
    if (s->alpha >= 0.0)
        return s->q_alpha - s->q_beta;
    if (s->beta <= 0.0)
        return s->p_beta - s->p_alpha;
    return 1.0 - s->p_alpha - s->q_beta;
}

static void shape_of_bounds(ps__truncnorm_shape *s, double alpha, double beta)
{
    s->alpha = alpha;
    s->beta = beta;
    s->p_alpha = big_p(alpha);
    s->p_beta = big_p(beta);
    s->q_alpha = big_q(alpha);
    s->q_beta = big_q(beta);
    s->mass = mass_of(s);
}

double ps__truncnorm_mass(double alpha, double beta)
{
    ps__truncnorm_shape s;
    shape_of_bounds(&s, alpha, beta);
    return s.mass;
}

void ps__truncnorm_shape_init(ps__truncnorm_shape *s, const ps_dist *d)
{
    double alpha, beta;
    bounds(d, &alpha, &beta);
    shape_of_bounds(s, alpha, beta);
}

double ps__truncnorm_shape_quantile(const ps_dist *d,
                                    const ps__truncnorm_shape *s, double u)
{
    const double alpha = s->alpha, beta = s->beta, mass = s->mass;
    double z;
    /* In each branch the target probability is formed from the nearer end
       of [alpha, beta] so it is not the small difference of two numbers. */
    if (alpha >= 0.0) {
        double q =
            u <= 0.5 ? s->q_alpha - u * mass : s->q_beta + (1.0 - u) * mass;
        z = gsl_cdf_ugaussian_Qinv(q);
    } else if (beta <= 0.0) {
        double p =
            u <= 0.5 ? s->p_alpha + u * mass : s->p_beta - (1.0 - u) * mass;
        z = gsl_cdf_ugaussian_Pinv(p);
    } else {
        double p = s->p_alpha + u * mass;
        z = p <= 0.5 ? gsl_cdf_ugaussian_Pinv(p)
                     : gsl_cdf_ugaussian_Qinv(s->q_beta + (1.0 - u) * mass);
    }
    z = fmin(fmax(z, alpha), beta);
    double x = d->p[0] + d->p[1] * z;
    return fmin(fmax(x, d->p[2]), d->p[3]);
}

double ps__truncnorm_quantile(const ps_dist *d, double u)
{
    ps__truncnorm_shape s;
    ps__truncnorm_shape_init(&s, d);
    return ps__truncnorm_shape_quantile(d, &s, u);
}

double ps__truncnorm_cdf(const ps_dist *d, double x)
{
    if (x <= d->p[2])
        return 0.0;
    if (x >= d->p[3])
        return 1.0;
    double alpha, beta;
    bounds(d, &alpha, &beta);
    const double mass = ps__truncnorm_mass(alpha, beta);
    const double z = (x - d->p[0]) / d->p[1];
    double c;
    if (alpha >= 0.0)
        c = (big_q(alpha) - big_q(z)) / mass;
    else if (beta <= 0.0 || z <= 0.0)
        c = (big_p(z) - big_p(alpha)) / mass;
    else
        c = 1.0 - (big_q(z) - big_q(beta)) / mass;
    return fmin(fmax(c, 0.0), 1.0);
}

double ps__truncnorm_mean(const ps_dist *d)
{
    double alpha, beta;
    bounds(d, &alpha, &beta);
    const double mass = ps__truncnorm_mass(alpha, beta);
    double m = d->p[0] + d->p[1] * (phi(alpha) - phi(beta)) / mass;
    return fmin(fmax(m, d->p[2]), d->p[3]);
}
